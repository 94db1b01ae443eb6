/**
 * The sliding-window estimate, as pure arithmetic (no I/O).
 *
 * Counters are kept per fixed window aligned to the Unix epoch. At a moment `elapsed` milliseconds into
 * the current window, the hits in the last window's length are estimated as
 *
 *     previous × (window − elapsed) / window + current
 *
 * i.e. the previous window's hits are assumed spread evenly and only the part still within one window
 * of now is counted. This keeps two rows per key, one atomic upsert per hit, and avoids the burst of up
 * to twice the limit that plain fixed windows allow across a boundary. All arithmetic is on integer
 * milliseconds, so the comparisons are exact.
 */

export interface RateLimitResult {
  /** Whether this request may go ahead. */
  allowed: boolean;
  /** How many more requests would be allowed now. */
  remaining: number;
  /** 0 when allowed; otherwise whole seconds until one more request would be allowed (at least 1). */
  retryAfterSeconds: number;
}

export interface WindowState {
  /** Hits recorded in the current window (for a hit: this one included). */
  current: number;
  /** Hits recorded in the previous window. */
  previous: number;
  /** Milliseconds since the current window began, 0 ≤ elapsedMs < windowMs. */
  elapsedMs: number;
  windowMs: number;
  limit: number;
}

/**
 * The start (ms since the epoch) of the window holding `nowMs`.
 *
 * @example
 * windowStartOf(Date.UTC(2030, 0, 1, 0, 0, 42), 60_000) === Date.UTC(2030, 0, 1, 0, 0, 0); // true
 */
export function windowStartOf(nowMs: number, windowMs: number): number {
  return Math.floor(nowMs / windowMs) * windowMs;
}

/** The estimate times windowMs (an integer). */
function scaledEstimate(s: WindowState): number {
  return s.previous * (s.windowMs - s.elapsedMs) + s.current * s.windowMs;
}

/**
 * The answer to a hit already counted in `state.current`: allowed while the estimate is at most the limit.
 *
 * @example
 * assessHit({ current: 5, previous: 0, elapsedMs: 0, windowMs: 60_000, limit: 5 });
 * // { allowed: true, remaining: 0, retryAfterSeconds: 0 }
 */
export function assessHit(state: WindowState): RateLimitResult {
  const estimate = scaledEstimate(state);
  const limit = state.limit * state.windowMs;
  const remaining = Math.max(0, Math.floor((limit - estimate) / state.windowMs));
  if (estimate <= limit) return { allowed: true, remaining, retryAfterSeconds: 0 };
  return { allowed: false, remaining, retryAfterSeconds: secondsFor(retryAfterMs(state)) };
}

/**
 * Whether one more hit would be allowed now, without counting it.
 *
 * @example
 * assessPeek({ current: 5, previous: 0, elapsedMs: 0, windowMs: 60_000, limit: 5 });
 * // { allowed: false, remaining: 0, retryAfterSeconds: 72 } (12 s into the next window, the 5 weigh 4)
 */
export function assessPeek(state: WindowState): RateLimitResult {
  const estimate = scaledEstimate(state);
  const limit = state.limit * state.windowMs;
  const remaining = Math.max(0, Math.floor((limit - estimate) / state.windowMs));
  if (estimate + state.windowMs <= limit) return { allowed: true, remaining, retryAfterSeconds: 0 };
  return { allowed: false, remaining, retryAfterSeconds: secondsFor(retryAfterMs(state)) };
}

/**
 * Milliseconds from now until one more hit would be allowed, if nothing else is counted meanwhile.
 *
 * @example
 * retryAfterMs({ current: 5, previous: 0, elapsedMs: 15_000, windowMs: 60_000, limit: 5 }); // 57000
 */
export function retryAfterMs(s: WindowState): number {
  const { current: c, previous: p, elapsedMs: e, windowMs: w, limit: l } = s;
  // Still in this window: p × (w − e − d) + (c + 1) × w ≤ l × w.
  const room = (l - c - 1) * w;
  if (room >= 0) {
    if (p === 0) return 0;
    const d = Math.max(0, w - e - Math.floor(room / p));
    if (d < w - e) return d;
  }
  // In the next window (this one becomes the previous): c × (w − e') + w ≤ l × w. With e' = w (a limit
  // of 1) it is the start of the window after, when nothing weighs any more.
  const next = c === 0 ? 0 : Math.max(0, w - Math.floor(((l - 1) * w) / c));
  return w - e + next;
}

function secondsFor(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
