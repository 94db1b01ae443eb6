/**
 * Rate limiting as Hono middleware: counts each request under a key taken from it and answers 429
 * (with `Retry-After`) once the limit is reached.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import { problem } from '../problem.ts';
import { hit, assertRateLimitRule, type RateLimitRule } from './limiter.ts';
import type { AnyKysely } from './tables.ts';
import type { RateLimitResult } from './window.ts';

export interface RateLimitOptions<E extends Env = Env> extends RateLimitRule {
  db: AnyKysely;
  /** What to count the request under, e.g. `(c) => addressKey(clientAddress(c))`. */
  key: (c: Context<E>) => string | Promise<string>;
  /** The answer to a refused request; by default `tooManyRequests`. */
  refuse?: (c: Context<E>, result: RateLimitResult) => Response | Promise<Response>;
}

/**
 * A middleware allowing at most `limit` requests per `windowSeconds` for each key. Refused requests
 * get 429 with `Retry-After`: problem+json under `/api/`, a short page elsewhere.
 *
 * @example
 * app.post('/help/contact', rateLimit({ db, bucket: 'help.contact', limit: 10, windowSeconds: 600,
 *   key: (c) => addressKey(clientAddress(c)) }), handler);
 */
export function rateLimit<E extends Env = Env>(options: RateLimitOptions<E>): MiddlewareHandler<E> {
  const { db, key, refuse, ...rule } = options;
  assertRateLimitRule(rule);
  return async (c, next) => {
    const result = await hit(db, { ...rule, key: await key(c) });
    if (!result.allowed) return refuse ? refuse(c, result) : tooManyRequests(c, result);
    await next();
  };
}

/**
 * The default answer to a refused request: 429 with `Retry-After`, as problem+json for `/api/` paths
 * and as a short plain-language page otherwise (the page is meant to be restyled by the caller).
 *
 * @example
 * if (!r.allowed) return tooManyRequests(c, r);
 */
export function tooManyRequests(c: Context, result: Pick<RateLimitResult, 'retryAfterSeconds'>): Response {
  const seconds = Math.max(1, Math.ceil(result.retryAfterSeconds));
  c.header('Retry-After', String(seconds));
  c.header('Cache-Control', 'no-store');
  const wait = waitInWords(seconds);
  if (c.req.path.startsWith('/api/')) {
    return problem(c, {
      title: 'Too many requests',
      status: 429,
      detail: `Too many requests came from this client in a short time. Try again in ${wait}.`,
      retryAfterSeconds: seconds,
    });
  }
  return c.html(
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Please wait a moment</title></head>' +
      `<body><main><h1>Please wait a moment</h1><p>There were too many requests from this connection. Try again in ${wait}.</p>` +
      '<p>If you are in danger now, call 911.</p></main></body></html>',
    429,
  );
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
