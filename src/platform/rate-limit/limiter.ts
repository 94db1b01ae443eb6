/**
 * A rate limiter whose counters live in PostgreSQL, so that every instance of the service counts
 * against the same limits. One atomic upsert per hit (no read-modify-write across instances); the
 * sliding-window estimate is described in window.ts and the table in 0004_rate_limits.sql.
 */
import { sql } from 'kysely';
import { rateLimitKeyHash } from './key-hash.ts';
import { rateLimitDb, type AnyKysely } from './tables.ts';
import { assessHit, assessPeek, windowStartOf, type RateLimitResult } from './window.ts';

export type { RateLimitResult } from './window.ts';

/** A limit: at most `limit` hits per `windowSeconds` for each key of `bucket`. */
export interface RateLimitRule {
  /** A short lowercase name, e.g. `public-form.address` (letters, digits, `_ . : -`). */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitRequest extends RateLimitRule {
  /** What is counted: an address, an account's blind index… Stored only as a keyed hash. */
  key: string;
  /** The moment of the hit; the server's clock by default. */
  now?: Date;
}

const BUCKET = /^[a-z][a-z0-9_.:-]{0,62}$/;
const MAX_COUNT = 2_147_483_647;
/** Expired rows deleted by the hit that opens a new window (the periodic job does the rest). */
const OPPORTUNISTIC_PRUNE_BATCH = 200;

/**
 * Throws unless the rule is usable: a bucket name as the table accepts it, a whole positive limit and
 * window (at most a year).
 *
 * @example
 * assertRateLimitRule({ bucket: 'public-form.address', limit: 60, windowSeconds: 60 });
 */
export function assertRateLimitRule(rule: RateLimitRule): void {
  if (!BUCKET.test(rule.bucket)) {
    throw new RangeError(
      `A rate-limit bucket must match ${BUCKET} (got ${JSON.stringify(rule.bucket.slice(0, 70))}).`,
    );
  }
  if (!Number.isInteger(rule.limit) || rule.limit < 1 || rule.limit >= MAX_COUNT) {
    throw new RangeError(`A rate limit must be a whole number of at least 1 (got ${rule.limit}).`);
  }
  if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1 || rule.windowSeconds > 366 * 86_400) {
    throw new RangeError(
      `A rate-limit window must be a whole number of seconds, 1 to a year (got ${rule.windowSeconds}).`,
    );
  }
}

interface Moment {
  windowMs: number;
  start: number;
  elapsedMs: number;
}

function momentOf(request: RateLimitRequest): Moment {
  assertRateLimitRule(request);
  const nowMs = (request.now ?? new Date()).getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('A rate-limit hit needs a valid date.');
  const windowMs = request.windowSeconds * 1000;
  const start = windowStartOf(nowMs, windowMs);
  return { windowMs, start, elapsedMs: nowMs - start };
}

/**
 * Counts one hit of `key` in `bucket` and says whether it may go ahead. Refused hits are counted too,
 * so a client that keeps hammering stays refused while one that waits `retryAfterSeconds` gets through.
 *
 * @example
 * const r = await hit(db, { bucket: 'public-form.address', key: addressKey(ip), limit: 60, windowSeconds: 60 });
 * if (!r.allowed) return tooManyRequests(c, r.retryAfterSeconds);
 */
export async function hit(db: AnyKysely, request: RateLimitRequest): Promise<RateLimitResult> {
  const counted = await countHits(db, request, 1);
  return assessHit({ ...counted, limit: request.limit });
}

/** The window's counts right after `countHits` added its hits (`current` includes them). */
export interface CountedHits {
  current: number;
  previous: number;
  elapsedMs: number;
  windowMs: number;
  /** The start of the window they were counted in (ms since the epoch). */
  windowStart: number;
}

/**
 * Adds `hits` hits of `key` in `bucket` to the current window at once and returns the window's counts
 * (a lease of several hits, see lease.ts; `hit` counts one).
 *
 * @example
 * const { current, previous } = await countHits(db, { bucket: 'api.address', key, limit: 1200, windowSeconds: 60 }, 8);
 */
export async function countHits(
  db: AnyKysely,
  request: RateLimitRequest,
  hits: number,
): Promise<CountedHits> {
  const { windowMs, start, elapsedMs } = momentOf(request);
  if (!Number.isInteger(hits) || hits < 1 || hits >= MAX_COUNT)
    throw new RangeError(`A rate-limit count must be a whole number of at least 1 (got ${hits}).`);
  const { bucket } = request;
  const keyHash = rateLimitKeyHash(bucket, request.key);
  // One statement: the upsert takes the row lock, so concurrent hits from any instance serialise on it
  // and each sees its own count. The previous window is only read (no one writes a past window).
  const { rows } = await sql<{ current: number; previous: number }>`
    with counted as (
      insert into rate_limits as r (bucket, key_hash, window_start, count, expires_at)
      values (${bucket}, ${keyHash}, ${new Date(start)}, ${hits}, ${new Date(start + 2 * windowMs)})
      on conflict (bucket, key_hash, window_start)
      do update set count = least(r.count::bigint + ${hits}, ${MAX_COUNT})::int
      returning r.count
    )
    select
      counted.count as current,
      coalesce(
        (select p.count from rate_limits p
          where p.bucket = ${bucket} and p.key_hash = ${keyHash} and p.window_start = ${new Date(start - windowMs)}),
        0
      ) as previous
    from counted`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('The rate-limit upsert returned no row.');
  if (row.current === hits && !db.isTransaction) {
    // The first hit of a window: a good moment to clear a few expired rows. Never fails the hit (and
    // never runs inside the caller's transaction, which an error would abort).
    await pruneRateLimits(db, new Date(start + elapsedMs), { batchSize: OPPORTUNISTIC_PRUNE_BATCH }).catch(
      () => undefined,
    );
  }
  return { current: row.current, previous: row.previous, elapsedMs, windowMs, windowStart: start };
}

/**
 * Whether one more hit of `key` would be allowed now, without counting it.
 *
 * @example
 * const r = await peek(db, { bucket: 'sign-in.address-failures', key: addressKey(ip), limit: 20, windowSeconds: 900 });
 * if (!r.allowed) console.error(`wait ${r.retryAfterSeconds} s`);
 */
export async function peek(db: AnyKysely, request: RateLimitRequest): Promise<RateLimitResult> {
  const { windowMs, start, elapsedMs } = momentOf(request);
  const rows = await rateLimitDb(db)
    .selectFrom('rate_limits')
    .select(['window_start', 'count'])
    .where('bucket', '=', request.bucket)
    .where('key_hash', '=', rateLimitKeyHash(request.bucket, request.key))
    .where('window_start', 'in', [new Date(start), new Date(start - windowMs)])
    .execute();
  let current = 0;
  let previous = 0;
  for (const row of rows) {
    if (row.window_start.getTime() === start) current = row.count;
    else previous = row.count;
  }
  return assessPeek({ current, previous, elapsedMs, windowMs, limit: request.limit });
}

/**
 * Forgets every count of `key` in `bucket`; true when there was one.
 *
 * @example
 * await reset(db, 'sign-in.account-failures', emailIndex);
 */
export async function reset(db: AnyKysely, bucket: string, key: string): Promise<boolean> {
  const result = await rateLimitDb(db)
    .deleteFrom('rate_limits')
    .where('bucket', '=', bucket)
    .where('key_hash', '=', rateLimitKeyHash(bucket, key))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Deletes rows that expired at or before `olderThan` (counters two windows old, ended locks) and
 * returns how many. For a periodic job, with `new Date()`; `batchSize` bounds one call and skips rows
 * another instance is deleting or counting.
 *
 * @example
 * await pruneRateLimits(db, new Date()); // e.g. every 10 minutes from pg-boss
 */
export async function pruneRateLimits(
  db: AnyKysely,
  olderThan: Date,
  options: { batchSize?: number } = {},
): Promise<number> {
  if (options.batchSize === undefined) {
    const result = await rateLimitDb(db)
      .deleteFrom('rate_limits')
      .where('expires_at', '<=', olderThan)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  const result = await sql`
    delete from rate_limits r
    using (
      select bucket, key_hash, window_start from rate_limits
      where expires_at <= ${olderThan}
      order by expires_at
      limit ${options.batchSize}
      for update skip locked
    ) old
    where r.bucket = old.bucket and r.key_hash = old.key_hash and r.window_start = old.window_start`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0n);
}
