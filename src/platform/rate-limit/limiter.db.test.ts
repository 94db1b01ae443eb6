import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { Keyring } from '../crypto/keyring.ts';
import { generateMasterKey } from '../crypto/master-key.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing, rateLimitKeyHash } from './key-hash.ts';
import { hit, peek, pruneRateLimits, reset } from './limiter.ts';
import { rateLimitDb } from './tables.ts';

let t: TestDatabase;
let second: DatabaseHandle;
// A moment aligned to every window used here.
const T0 = Date.UTC(2031, 0, 1);
const at = (ms: number) => new Date(T0 + ms);

beforeAll(async () => {
  t = await freshDatabase();
  second = openDatabase(t.url, 10);
  // As the service does at start: the hashing key comes from the keyring, wrapped by the master key.
  configureRateLimitHashing(
    await new Keyring(t.db, generateMasterKey()).indexKeyFor(RATE_LIMIT_INDEX_PURPOSE),
  );
});
afterAll(async () => {
  await second?.close();
  await t?.drop();
});

async function allRows() {
  return rateLimitDb(t.db).selectFrom('rate_limits').selectAll().orderBy('window_start').execute();
}

describe('hit', () => {
  it('allows exactly `limit` hits, then refuses with a wait', async () => {
    const rule = { bucket: 'test.exact', key: 'client-a', limit: 5, windowSeconds: 60, now: at(0) };
    for (let i = 1; i <= 5; i++) {
      expect(await hit(t.db, rule)).toEqual({ allowed: true, remaining: 5 - i, retryAfterSeconds: 0 });
    }
    const refused = await hit(t.db, rule);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // another key and another bucket count on their own
    expect((await hit(t.db, { ...rule, key: 'client-b' })).remaining).toBe(4);
    expect((await hit(t.db, { ...rule, bucket: 'test.exact-other' })).remaining).toBe(4);
  });

  it('rolls windows over, weighing the previous window while it is within reach', async () => {
    const rule = { bucket: 'test.rollover', key: 'client-a', limit: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) expect((await hit(t.db, { ...rule, now: at(0) })).allowed).toBe(true);
    const refused = await hit(t.db, { ...rule, now: at(10_000) });
    // 4 hits counted: the next window must run until 4 × (remaining share) + 1 ≤ 3, i.e. half of it.
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 50 + 30 });
    // at the next window's start all 4 still weigh: refused
    expect((await peek(t.db, { ...rule, now: at(60_000) })).allowed).toBe(false);
    expect((await peek(t.db, { ...rule, now: at(89_999) })).allowed).toBe(false);
    // halfway through it they weigh 2: one more passes
    expect(await peek(t.db, { ...rule, now: at(90_000) })).toEqual({
      allowed: true,
      remaining: 1,
      retryAfterSeconds: 0,
    });
    expect(await hit(t.db, { ...rule, now: at(90_000) })).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterSeconds: 0,
    });
    // two windows on, only that one hit weighs (fully, at the start)
    expect((await hit(t.db, { ...rule, now: at(120_000) })).remaining).toBe(1);
    // and a window with nothing before it starts afresh
    expect((await hit(t.db, { ...rule, now: at(300_000) })).remaining).toBe(2);
  });

  it('counts 50 concurrent hits from two pools exactly (no lost update)', async () => {
    const rule = { bucket: 'test.concurrent', key: 'client-a', limit: 100, windowSeconds: 60, now: at(0) };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => hit(i % 2 === 0 ? t.db : second.db, rule)),
    );
    // each hit saw its own count: remaining 99, 98, … 50, each once
    expect(results.map((r) => r.remaining).sort((a, b) => b - a)).toEqual(
      Array.from({ length: 50 }, (_, i) => 99 - i),
    );
    const rows = await rateLimitDb(t.db)
      .selectFrom('rate_limits')
      .select('count')
      .where('bucket', '=', 'test.concurrent')
      .execute();
    expect(rows).toEqual([{ count: 50 }]);
    expect((await peek(t.db, rule)).remaining).toBe(50);
  });

  it('admits exactly `limit` of many concurrent hits', async () => {
    const rule = {
      bucket: 'test.concurrent-limit',
      key: 'client-a',
      limit: 30,
      windowSeconds: 60,
      now: at(0),
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => hit(i % 2 === 0 ? t.db : second.db, rule)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(30);
  });
});

describe('peek and reset', () => {
  it('peek does not count', async () => {
    const rule = { bucket: 'test.peek', key: 'client-a', limit: 2, windowSeconds: 60, now: at(0) };
    for (let i = 0; i < 5; i++)
      expect(await peek(t.db, rule)).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    await hit(t.db, rule);
    expect(await peek(t.db, rule)).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    await hit(t.db, rule);
    expect(await peek(t.db, rule)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('reset forgets one key in one bucket', async () => {
    const rule = { bucket: 'test.reset', key: 'client-a', limit: 1, windowSeconds: 60, now: at(0) };
    await hit(t.db, rule);
    await hit(t.db, { ...rule, key: 'client-b' });
    expect((await peek(t.db, rule)).allowed).toBe(false);
    expect(await reset(t.db, 'test.reset', 'client-a')).toBe(true);
    expect(await reset(t.db, 'test.reset', 'client-a')).toBe(false);
    expect((await peek(t.db, rule)).allowed).toBe(true);
    expect((await peek(t.db, { ...rule, key: 'client-b' })).allowed).toBe(false);
  });
});

describe('privacy', () => {
  it('stores only a keyed hash of the key, never the address or email itself', async () => {
    const raw = ['192.0.2.44', 'synthetic.person.zyxwv@example.org', '2001:db8::44'];
    for (const key of raw)
      await hit(t.db, { bucket: 'test.privacy', key, limit: 5, windowSeconds: 60, now: at(0) });
    const rows = await allRows();
    const dump = JSON.stringify(rows);
    for (const key of raw) {
      expect(dump).not.toContain(key);
      // nor an unkeyed hash that anyone could recompute
      expect(dump).not.toContain(createHash('sha256').update(key).digest('hex').slice(0, 32));
    }
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{32}$/);
    const mine = rows.filter((r) => r.bucket === 'test.privacy').map((r) => r.key_hash);
    expect(new Set(mine).size).toBe(3);
    // the same key hashes differently in another bucket (counters cannot be linked across buckets)
    expect(rateLimitKeyHash('test.privacy', raw[0]!)).not.toBe(rateLimitKeyHash('test.other', raw[0]!));
  });

  it('the table itself refuses a key that is not a hash', async () => {
    await expect(
      sql`insert into rate_limits (bucket, key_hash, window_start, count, expires_at)
          values ('test.raw', '192.0.2.44', now(), 1, now() + interval '1 minute')`.execute(t.db),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('pruning', () => {
  it('pruneRateLimits deletes rows that have expired, and only those', async () => {
    const base = Date.UTC(2032, 0, 1);
    const rule = { bucket: 'test.prune', limit: 5, windowSeconds: 60 };
    await hit(t.db, { ...rule, key: 'old', now: new Date(base) });
    await hit(t.db, { ...rule, key: 'recent', now: new Date(base + 60_000) });
    const count = () =>
      rateLimitDb(t.db)
        .selectFrom('rate_limits')
        .select('key_hash')
        .where('bucket', '=', 'test.prune')
        .execute();
    expect(await count()).toHaveLength(2);
    // the first row matters until two windows after it began
    expect(await pruneRateLimits(t.db, new Date(base + 119_999))).toBe(0);
    const pruned = await pruneRateLimits(t.db, new Date(base + 120_000));
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await count();
    expect(left).toEqual([{ key_hash: rateLimitKeyHash('test.prune', 'recent') }]);
    // batched pruning too
    expect(await pruneRateLimits(t.db, new Date(base + 180_000), { batchSize: 10 })).toBe(1);
    expect(await count()).toHaveLength(0);
  });

  it('a hit opening a new window clears expired rows on the way', async () => {
    const base = Date.UTC(2033, 0, 1);
    for (let i = 0; i < 20; i++) {
      await hit(t.db, {
        bucket: 'test.opportunistic',
        key: `client-${i}`,
        limit: 5,
        windowSeconds: 60,
        now: new Date(base),
      });
    }
    await hit(t.db, {
      bucket: 'test.opportunistic',
      key: 'late',
      limit: 5,
      windowSeconds: 60,
      now: new Date(base + 600_000),
    });
    const rows = await allRows();
    expect(rows.filter((r) => r.expires_at.getTime() <= base + 600_000)).toEqual([]);
    expect(rows.filter((r) => r.bucket === 'test.opportunistic')).toHaveLength(1);
  });
});
