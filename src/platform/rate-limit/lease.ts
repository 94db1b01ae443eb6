/**
 * Rate limits counted in PostgreSQL without a database round trip per request: each instance leases a
 * small allowance of hits for a key (one upsert adds them all to the shared counter) and spends it
 * locally; when it runs out, the next request leases more.
 *
 * Why it stays a limit across instances: a hit is counted in PostgreSQL before any request spends it,
 * so all instances together never admit more than the limit. What an instance leased and did not spend
 * by the end of the window is lost — the client is refused that much earlier, at most one lease per
 * instance. Leases start at one hit (a client making a few requests is counted exactly, as by `hit`)
 * and double while the client keeps asking within the window, up to `limit / LEASE_FRACTION`; once the
 * database says few hits remain, a lease asks for no more than remain, so near the limit it is again
 * one hit per request and a refused client is counted each time it asks (as `hit` does).
 */
import { countHits, type RateLimitRule } from './limiter.ts';
import type { AnyKysely } from './tables.ts';
import { assessHit, type RateLimitResult } from './window.ts';

/** The largest lease is this fraction of the limit (so k instances refuse at most k/16 of it early). */
export const LEASE_FRACTION = 16;
/** Entries of ended windows are dropped once the table holds this many keys. */
const SWEEP_AT = 10_000;

interface Allowance {
  windowStart: number;
  /** When the window ends (ms since the epoch): the allowance is worth nothing after it. */
  windowEnd: number;
  /** Leased hits not yet spent. */
  left: number;
  /** What the database said remained after the last lease (hits not leased by anyone). */
  remaining: number;
  /** The size of the next lease. */
  next: number;
  /** A lease on its way: requests arriving meanwhile wait for it rather than lease on their own. */
  pending: Promise<void> | null;
}

/**
 * Local allowances of hits, leased from the PostgreSQL counters (one per process and limiter).
 *
 * @example
 * const leases = new RateLimitLeases(db);
 * const r = await leases.take({ bucket: 'api.address', limit: 1200, windowSeconds: 60 }, addressKey(ip));
 * if (!r.allowed) return tooManyRequests(c, r);
 */
export class RateLimitLeases {
  private readonly allowances = new Map<string, Allowance>();

  constructor(private readonly db: AnyKysely) {}

  /** Spends one hit of `key` in `rule`'s bucket: from the local allowance, or leased now. */
  async take(rule: RateLimitRule, key: string, now: Date = new Date()): Promise<RateLimitResult> {
    const windowMs = rule.windowSeconds * 1000;
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    const id = `${rule.bucket}\u0000${key}`;
    for (;;) {
      let a = this.allowances.get(id);
      if (!a || a.windowStart !== windowStart) {
        if (a?.pending) {
          await a.pending;
          continue;
        }
        if (this.allowances.size >= SWEEP_AT) this.sweep(now.getTime());
        a = {
          windowStart,
          windowEnd: windowStart + windowMs,
          left: 0,
          remaining: rule.limit,
          next: 1,
          pending: null,
        };
        this.allowances.set(id, a);
      }
      if (a.left > 0) {
        a.left -= 1;
        return { allowed: true, remaining: a.remaining + a.left, retryAfterSeconds: 0 };
      }
      if (a.pending) {
        await a.pending;
        continue;
      }
      return this.lease(rule, key, a, now);
    }
  }

  /** Leases hits for `a` and spends the first on this request (or refuses it). */
  private async lease(rule: RateLimitRule, key: string, a: Allowance, now: Date): Promise<RateLimitResult> {
    const size = Math.max(1, Math.min(a.next, a.remaining));
    let done!: () => void;
    a.pending = new Promise<void>((resolve) => (done = resolve));
    try {
      const counted = await countHits(this.db, { ...rule, key, now }, size);
      const state = { ...counted, limit: rule.limit };
      // Hits that fit: the largest count the estimate allows, less what others had counted before.
      const fits = Math.floor(
        (rule.limit * counted.windowMs - counted.previous * (counted.windowMs - counted.elapsedMs)) /
          counted.windowMs,
      );
      const granted = Math.max(0, Math.min(size, fits - (counted.current - size)));
      a.remaining = Math.max(0, fits - counted.current);
      a.next = Math.max(1, Math.min(a.next * 2, Math.floor(rule.limit / LEASE_FRACTION)));
      if (granted === 0) return assessHit(state);
      a.left = granted - 1;
      return { allowed: true, remaining: a.remaining + a.left, retryAfterSeconds: 0 };
    } finally {
      a.pending = null;
      done();
    }
  }

  /** Forgets the allowances of windows that have ended. */
  private sweep(nowMs: number): void {
    for (const [id, a] of this.allowances) if (a.windowEnd <= nowMs && !a.pending) this.allowances.delete(id);
  }
}
