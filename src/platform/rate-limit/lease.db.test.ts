import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { BlindIndexKey } from '../crypto/blind-index.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing, rateLimitKeyHash } from './key-hash.ts';
import { LEASE_FRACTION, RateLimitLeases } from './lease.ts';
import { peek } from './limiter.ts';
import { rateLimitDb } from './tables.ts';

let t: TestDatabase;
let second: DatabaseHandle;
// A moment aligned to every window used here.
const T0 = Date.UTC(2031, 0, 1);
const at = (ms: number) => new Date(T0 + ms);

beforeAll(async () => {
  t = await freshDatabase();
  second = openDatabase(t.url, 10);
  configureRateLimitHashing(new BlindIndexKey(RATE_LIMIT_INDEX_PURPOSE, randomBytes(32)));
});
afterAll(async () => {
  await second?.close();
  await t?.drop();
});

/** What PostgreSQL holds for the key in the window starting at `start`. */
async function stored(bucket: string, key: string, start: Date): Promise<number> {
  const row = await rateLimitDb(t.db)
    .selectFrom('rate_limits')
    .select('count')
    .where('bucket', '=', bucket)
    .where('key_hash', '=', rateLimitKeyHash(bucket, key))
    .where('window_start', '=', start)
    .executeTakeFirst();
  return row?.count ?? 0;
}

describe('RateLimitLeases', () => {
  it('counts a client asking now and then exactly, one hit at a time', async () => {
    const leases = new RateLimitLeases(t.db);
    const rule = { bucket: 'lease.casual', limit: 1600, windowSeconds: 60 };
    expect(await leases.take(rule, 'client-a', at(0))).toEqual({
      allowed: true,
      remaining: 1599,
      retryAfterSeconds: 0,
    });
    expect(await stored(rule.bucket, 'client-a', at(0))).toBe(1);
  });

  it('leases more as a busy client keeps asking: far fewer round trips, never past the limit', async () => {
    const leases = new RateLimitLeases(t.db);
    const rule = { bucket: 'lease.busy', limit: 1600, windowSeconds: 60 };
    let allowed = 0;
    for (let i = 0; i < 2000; i++) if ((await leases.take(rule, 'client-b', at(1000))).allowed) allowed++;
    expect(allowed).toBe(1600);
    // what PostgreSQL counted covers every hit spent; the refused ones are counted too (one each)
    expect(await stored(rule.bucket, 'client-b', at(0))).toBe(2000);
    // and the leases grew: a fresh limiter's first ten requests lease 1, 2, 4 and 8 hits (4 round trips)
    const counting = new RateLimitLeases(t.db);
    const other = { ...rule, bucket: 'lease.growth' };
    for (let i = 0; i < 10; i++) await counting.take(other, 'client-c', at(1000));
    expect(await stored(other.bucket, 'client-c', at(0))).toBe(1 + 2 + 4 + 8);
  });

  it('bounds a lease to limit / LEASE_FRACTION', async () => {
    const leases = new RateLimitLeases(t.db);
    const rule = { bucket: 'lease.bounded', limit: 320, windowSeconds: 60 };
    for (let i = 0; i < 100; i++) await leases.take(rule, 'client-d', at(0));
    const counted = await stored(rule.bucket, 'client-d', at(0));
    expect(counted).toBeGreaterThanOrEqual(100);
    expect(counted - 100).toBeLessThan(rule.limit / LEASE_FRACTION);
  });

  it('keeps the limit across instances: two limiters on two pools admit at most the limit together', async () => {
    const rule = { bucket: 'lease.shared', limit: 200, windowSeconds: 60 };
    const a = new RateLimitLeases(t.db);
    const b = new RateLimitLeases(second.db);
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).take(rule, 'client-e', at(0))),
    );
    const admitted = results.filter((r) => r.allowed).length;
    expect(admitted).toBeLessThanOrEqual(rule.limit);
    // early refusal is bounded by one unspent lease per instance
    expect(admitted).toBeGreaterThanOrEqual(rule.limit - 2 * (rule.limit / LEASE_FRACTION));
    // and the shared counter says the client is at its limit, for any instance that asks
    expect((await peek(t.db, { ...rule, key: 'client-e', now: at(0) })).allowed).toBe(false);
  });

  it('refuses with the wait `hit` would give, and lets the client through in the next windows', async () => {
    const leases = new RateLimitLeases(t.db);
    const rule = { bucket: 'lease.wait', limit: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) expect((await leases.take(rule, 'client-f', at(0))).allowed).toBe(true);
    const refused = await leases.take(rule, 'client-f', at(10_000));
    // 4 hits counted: the next window must run until 4 × (remaining share) + 1 ≤ 3 (as in limiter.db.test)
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 80 });
    expect((await leases.take(rule, 'client-f', at(90_000))).allowed).toBe(true);
  });

  it('never spends hits leased in one window in the next', async () => {
    const leases = new RateLimitLeases(t.db);
    const rule = { bucket: 'lease.rollover', limit: 1600, windowSeconds: 60 };
    for (let i = 0; i < 20; i++) await leases.take(rule, 'client-g', at(59_000));
    const leased = await stored(rule.bucket, 'client-g', at(0));
    expect(leased).toBeGreaterThan(20);
    await leases.take(rule, 'client-g', at(60_000));
    // the new window's hit was counted in the new window, not taken from what was left
    expect(await stored(rule.bucket, 'client-g', at(60_000))).toBe(1);
    expect(await stored(rule.bucket, 'client-g', at(0))).toBe(leased);
  });
});
