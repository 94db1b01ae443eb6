/**
 * The change feed against a real PostgreSQL: an announcement reaches the subscribers of its topic once
 * its transaction commits and never when it rolls back; a lost connection is noticed (`connected`
 * false), reconnected with backoff, and every subscriber told to reload; a keyring drops a destroyed
 * key when told, and reads keys from the database while the feed is down.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { Keyring, decryptField, encryptField, generateMasterKey } from '../crypto/index.ts';
import { createLogger } from '../log.ts';
import { ChangeFeed, announceChange, type ChangeDetails } from './index.ts';

let t: TestDatabase;
const logLines: string[] = [];
const log = createLogger(
  'info',
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
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

async function until(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Ends the feeds' listening connections from the server side, as a restart or a network cut would. */
async function cutListeners(): Promise<number> {
  const cut = await sql<{ n: number }>`
    select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
    where datname = current_database() and application_name = 'nwd-changes'`.execute(t.db);
  return cut.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  t = await freshDatabase();
});
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.stop()));
});
afterAll(async () => {
  await t.drop();
});

describe('ChangeFeed', () => {
  it('delivers an announcement to its topic once the transaction commits, and never a rolled-back one', async () => {
    const f = feed();
    const seen: ChangeDetails['geography'][] = [];
    const keys: ChangeDetails['data-key'][] = [];
    let resyncs = 0;
    f.subscribe({ topic: 'geography', change: (d) => void seen.push(d), resync: () => void resyncs++ });
    f.subscribe({ topic: 'data-key', change: (d) => void keys.push(d), resync: () => undefined });
    await f.start();
    expect(f.connected).toBe(true);
    expect(resyncs).toBe(1);

    let announced!: () => void;
    const inTransaction = new Promise<void>((r) => (announced = r));
    let commit!: () => void;
    const committed = new Promise<void>((r) => (commit = r));
    const writer = t.db.transaction().execute(async (trx) => {
      await announceChange(trx, 'geography', { name: 'geography' });
      announced();
      await committed;
    });
    await inTransaction;
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    commit();
    await writer;
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ name: 'geography' }]);

    await t.db
      .transaction()
      .execute(async (trx) => {
        await announceChange(trx, 'geography', { name: 'rolled-back' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await announceChange(t.db, 'data-key', { scope: 'case:synthetic', id: null });
    await until(() => keys.length === 1);
    expect(keys).toEqual([{ scope: 'case:synthetic', id: null }]);
    expect(seen).toEqual([{ name: 'geography' }]);
    // Anything else on the channel is ignored.
    await sql`select pg_notify('nwd_changes', 'not json'), pg_notify('nwd_changes', '{"topic":"other","detail":{}}')`.execute(
      t.db,
    );
    await announceChange(t.db, 'geography', { name: 'after' });
    await until(() => seen.length === 2);
    expect(seen[1]).toEqual({ name: 'after' });
  });

  it('notices a lost connection, reconnects with backoff and tells every subscriber to reload', async () => {
    const f = feed();
    let resyncs = 0;
    f.subscribe({ topic: 'geography', change: () => undefined, resync: () => void resyncs++ });
    await f.start();
    expect(await cutListeners()).toBe(1);
    await until(() => !f.connected);
    await until(() => f.connected);
    expect(f.connections).toBe(2);
    expect(resyncs).toBe(2);
    expect(logLines.join('')).toContain('lost the connection that listens for changes');
  });

  it('keeps trying while the database refuses it, and never throws', async () => {
    const u = new URL(t.url);
    u.pathname = '/nwd_no_such_database';
    const f = new ChangeFeed(u.toString(), { log, minBackoffMs: 20, maxBackoffMs: 40 });
    feeds.push(f);
    await f.start();
    expect(f.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(f.connected).toBe(false);
    expect(logLines.join('')).toContain('could not listen for changes');
  });
});

describe('Keyring following the feed', () => {
  it('drops a data key destroyed elsewhere once announced, and reads keys from the database while the feed is down', async () => {
    const master = generateMasterKey();
    const here = new Keyring(t.db, master);
    const elsewhere = new Keyring(t.db, master);
    const f = feed();
    here.follow(f);
    await f.start();
    const at = { scope: 'case:synthetic-feed', table: 'cases', recordId: 'synthetic', field: 'note' };
    const sealed = await encryptField(elsewhere, at, 'Synthetic note');
    expect(await decryptField(here, at, sealed)).toBe('Synthetic note');

    await t.db.transaction().execute((trx) => elsewhere.destroyDataKey('case:synthetic-feed', trx));
    await until(async () => {
      try {
        await decryptField(here, at, sealed);
        return false;
      } catch {
        return true;
      }
    }, 1000);

    // Down: a key destroyed without an announcement is not served from memory.
    const other = { ...at, scope: 'case:synthetic-quiet' };
    const quiet = await encryptField(elsewhere, other, 'Synthetic quiet note');
    expect(await decryptField(here, other, quiet)).toBe('Synthetic quiet note');
    await f.stop();
    await t.db
      .updateTable('data_keys')
      .set({ wrapped: Buffer.alloc(0), destroyed_at: new Date() })
      .where('scope', '=', 'case:synthetic-quiet')
      .execute();
    await expect(decryptField(here, other, quiet)).rejects.toThrow();
  });
});
