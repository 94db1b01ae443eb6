/**
 * The geography cache following the change feed: no read of data_versions per request while the feed
 * listens, a reload on an announced change, and the per-request check again while the feed is down.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { ChangeFeed, announceChange } from '../../platform/changes/index.ts';
import { createLogger } from '../../platform/log.ts';
import { GeographyCache } from './queries.ts';

let t: TestDatabase;
const log = createLogger(
  'silent',
  new Writable({
    write(_chunk: Buffer, _enc, done) {
      done();
    },
  }),
);
const feeds: ChangeFeed[] = [];

function feed(): ChangeFeed {
  const f = new ChangeFeed(t.url, { log, minBackoffMs: 50, maxBackoffMs: 200 });
  feeds.push(f);
  return f;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(async () => {
  await Promise.all(feeds.map((f) => f.stop()));
  await t.drop();
});

describe('GeographyCache following the feed', () => {
  it('reads no data_versions per request while listening, reloads on an announcement, and checks per request while the feed is down', async () => {
    const geography = new GeographyCache(t.db, 60_000);
    await geography.load();
    const f = feed();
    geography.follow(f);
    await f.start();
    const bump = () =>
      t.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('data_versions')
          .set({ version: sql`version + 1` })
          .where('name', '=', 'geography')
          .execute();
        await announceChange(trx, 'geography', { name: 'geography' });
      });
    const stamp = () => geography.get();

    // Listening: fresh() answers at once even with data_versions locked.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.db.transaction().execute(async (trx) => {
      await sql`lock table data_versions in access exclusive mode`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const started = performance.now();
    await geography.fresh();
    expect(performance.now() - started).toBeLessThan(100);
    release();
    await holder;

    // An announced change reloads it.
    const before = stamp();
    await bump();
    await until(() => stamp() !== before);

    // Down: a change made without an announcement shows on the next fresh(), as before the feed.
    await f.stop();
    const quiet = stamp();
    await t.db
      .updateTable('data_versions')
      .set({ version: sql`version + 1` })
      .where('name', '=', 'geography')
      .execute();
    await geography.fresh();
    expect(stamp()).not.toBe(quiet);
    geography.stop();
  });
});
