/**
 * The staff API's rate limit, as Hono middleware on `/api/v1/*`: each request counts once against its
 * client address and, when it carries `Authorization: Bearer …`, once against that token. Every answer
 * says where the caller stands (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`); past a
 * limit the answer is 429 problem+json with `Retry-After`. Counters live in PostgreSQL (limiter.ts), so
 * every instance counts against the same limits; hits are leased from them in small batches (lease.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../problem.ts';
import { addressKey } from './address.ts';
import { RateLimitLeases } from './lease.ts';
import { assertRateLimitRule, type RateLimitRule } from './limiter.ts';
import type { AnyKysely } from './tables.ts';
import type { RateLimitResult } from './window.ts';

/** Requests per window: per bearer token and per client address (NWD_API_RATE_LIMIT_*). */
export interface ApiRateLimits {
  perToken: number;
  perAddress: number;
  windowSeconds: number;
}

/** The defaults of NWD_API_RATE_LIMIT_PER_TOKEN, _PER_ADDRESS and _WINDOW_SECONDS. */
export const API_RATE_LIMIT_DEFAULTS: Readonly<ApiRateLimits> = {
  perToken: 600,
  perAddress: 1200,
  windowSeconds: 60,
};

export const API_TOKEN_BUCKET = 'api.token';
export const API_ADDRESS_BUCKET = 'api.address';

/** The bearer token of the request, as sent (counted only as a keyed hash), or null. */
function bearerOf(c: Context): string | null {
  const m = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '');
  return m ? m[1]! : null;
}

/** Whole seconds until the current window ends (when its count stops weighing fully). */
function secondsToWindowEnd(windowSeconds: number, now: Date): number {
  const windowMs = windowSeconds * 1000;
  return Math.max(1, Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000));
}

/** Where a request stands against the API limits: the limit nearest to refusing, and its answer. */
export interface ApiLimitStanding {
  limit: number;
  result: RateLimitResult;
  /** `RateLimit-Reset`: seconds to the window's end, or the wait when refused. */
  resetSeconds: number;
}

/**
 * Counts API requests against the limits: once against the client address and, with a bearer
 * token, once against the token. Hits are leased from PostgreSQL in small batches (lease.ts), so a
 * busy client costs a database round trip only now and then while every instance still counts
 * against the same limits. One per app: the middleware and the public fast path share it.
 *
 * @example
 * const limiter = new ApiRateLimiter(db, API_RATE_LIMIT_DEFAULTS);
 * const standing = await limiter.count(addressKey(ip), null);
 */
export class ApiRateLimiter {
  private readonly leases: RateLimitLeases;
  private readonly address: RateLimitRule;
  private readonly token: RateLimitRule;

  constructor(
    db: AnyKysely,
    readonly limits: ApiRateLimits,
  ) {
    this.address = {
      bucket: API_ADDRESS_BUCKET,
      limit: limits.perAddress,
      windowSeconds: limits.windowSeconds,
    };
    this.token = { bucket: API_TOKEN_BUCKET, limit: limits.perToken, windowSeconds: limits.windowSeconds };
    assertRateLimitRule(this.address);
    assertRateLimitRule(this.token);
    this.leases = new RateLimitLeases(db);
  }

  /** Counts one request of `addressKey` (and of `bearer`, when there is one). */
  async count(address: string, bearer: string | null, now: Date = new Date()): Promise<ApiLimitStanding> {
    const counted: { limit: number; result: RateLimitResult }[] = [
      { limit: this.address.limit, result: await this.leases.take(this.address, address, now) },
    ];
    if (bearer !== null)
      counted.push({ limit: this.token.limit, result: await this.leases.take(this.token, bearer, now) });
    // The headers tell of the limit nearest to refusing: a refused one first, then the least remaining.
    const binding = counted.reduce((a, b) =>
      a.result.allowed !== b.result.allowed
        ? a.result.allowed
          ? b
          : a
        : b.result.remaining < a.result.remaining
          ? b
          : a,
    );
    const { result } = binding;
    return {
      ...binding,
      resetSeconds: result.allowed
        ? secondsToWindowEnd(this.limits.windowSeconds, now)
        : result.retryAfterSeconds,
    };
  }
}

/** The `RateLimit-*` headers of a standing. */
export function rateLimitHeaders(standing: ApiLimitStanding): [string, string][] {
  return [
    ['RateLimit-Limit', String(standing.limit)],
    ['RateLimit-Remaining', String(standing.result.remaining)],
    ['RateLimit-Reset', String(standing.resetSeconds)],
  ];
}

/**
 * The API limit: refuses a request once its token or its address has used up the window's budget.
 * Pass the app's `limiter` to share its leased allowances; without one it makes its own.
 *
 * @example
 * app.use('/api/v1/*', apiRateLimit({ db, limits: API_RATE_LIMIT_DEFAULTS, address: clientAddress }));
 */
export function apiRateLimit(options: {
  db: AnyKysely;
  limits: ApiRateLimits;
  address: (c: Context) => string;
  limiter?: ApiRateLimiter;
}): MiddlewareHandler {
  const limiter = options.limiter ?? new ApiRateLimiter(options.db, options.limits);
  return async (c, next) => {
    const standing = await limiter.count(addressKey(options.address(c)), bearerOf(c));
    for (const [name, value] of rateLimitHeaders(standing)) c.header(name, value);
    if (!standing.result.allowed) return tooManyRequests(c, standing.result);
    await next();
  };
}

/**
 * A refused API request: 429 problem+json with `Retry-After`.
 *
 * @example
 * if (!r.allowed) return tooManyRequests(c, r);
 */
export function tooManyRequests(c: Context, result: Pick<RateLimitResult, 'retryAfterSeconds'>): Response {
  const seconds = Math.max(1, Math.ceil(result.retryAfterSeconds));
  c.header('Retry-After', String(seconds));
  c.header('Cache-Control', 'no-store');
  return problem(c, tooManyRequestsProblem(seconds));
}

/** The problem details of a refusal that may be retried after `seconds`. */
export function tooManyRequestsProblem(seconds: number) {
  return {
    title: 'Too many requests',
    status: 429,
    detail: `Too many requests came from this client in a short time. Try again in ${waitInWords(seconds)}.`,
    retryAfterSeconds: seconds,
  };
}

/**
 * A wait in plain words, rounded up: "1 second", "45 seconds", "2 minutes", "1 hour".
 *
 * @example
 * waitInWords(61); // '2 minutes'
 */
export function waitInWords(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}
