import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import type { Logger } from '../log.ts';
import { auditChainCommand, chainAudit, startAuditChainer } from './chain.ts';
import { recordAudit } from './record.ts';
import type { AuditTables } from './tables.ts';
import { appendEvents, auditTestDatabase, sampleEvent, type AuditTestDatabase } from './testing.ts';
import { verifyAuditChain } from './verify.ts';

let a: AuditTestDatabase;
beforeEach(async () => {
  a = await auditTestDatabase();
});
afterEach(async () => {
  await a.t.drop();
});

async function links(): Promise<number[]> {
  const rows = await a.db.selectFrom('audit_chain').select('seq').orderBy('seq').execute();
  return rows.map((r) => Number(r.seq));
}

/** A transaction that writes its audit row, then stays open until `commit()` or `rollBack()`. */
function openWriter(db: Kysely<AuditTables>, i: number) {
  let finish!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (finish = resolve));
  let wrote!: (seq: number) => void;
  const written = new Promise<number>((resolve) => (wrote = resolve));
  const done = db
    .transaction()
    .execute(async (trx) => {
      wrote((await recordAudit(trx, sampleEvent(i))).seq);
      if (!(await decided)) throw new Error('rolled back');
    })
    .catch((error: Error) => {
      if (error.message !== 'rolled back') throw error;
    });
  return {
    written,
    commit: () => (finish(true), done),
    rollBack: () => (finish(false), done),
  };
}

describe('chainAudit', () => {
  it('lets writers append while another has not committed, and waits at the open one', async () => {
    await appendEvents(a.db, 2);
    const other = openDatabase(a.t.url, 2);
    try {
      const slow = openWriter(other.db as unknown as Kysely<AuditTables>, 3);
      expect(await slow.written).toBe(3);
      // No lock: these commit while row 3 is still open.
      await appendEvents(a.db, 2);
      expect(await chainAudit(a.db)).toMatchObject({ linked: 2, gaps: [], waiting: true });
      expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: 2, pending: 2 });
      await slow.commit();
      expect(await chainAudit(a.db)).toMatchObject({ linked: 3, gaps: [], waiting: false });
      expect(await links()).toEqual([1, 2, 3, 4, 5]);
      expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: 5, pending: 0 });
    } finally {
      await other.close();
    }
  });

  it('links 40 concurrent appends from two instances once each, in seq order, with two chainers at once', async () => {
    const other = openDatabase(a.t.url, 10);
    try {
      const instances = [a.db, other.db as unknown as Kysely<AuditTables>];
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          instances[i % 2]!.transaction().execute(async (trx) => {
            await sql`select pg_sleep(${(i % 5) / 200})`.execute(trx);
            await recordAudit(trx, sampleEvent(i));
            await sql`select pg_sleep(${((40 - i) % 7) / 500})`.execute(trx);
          }),
        ),
      );
      const runs = await Promise.all([
        chainAudit(instances[0]!, { batch: 7 }),
        chainAudit(instances[1]!, { batch: 7 }),
        chainAudit(instances[0]!, { batch: 7 }),
        chainAudit(instances[1]!, { batch: 7 }),
      ]);
      expect(runs.some((r) => r.locked)).toBe(true);
      for (;;) {
        const run = await chainAudit(instances[1]!, { batch: 7 });
        if (run.linked === 0) break;
      }
    } finally {
      await other.close();
    }
    expect(await links()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: 40, pending: 0 });
  });

  it('returns at once when another instance holds the lock', async () => {
    await appendEvents(a.db, 1);
    await a.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(727004)`.execute(trx);
      expect(await chainAudit(a.db)).toEqual({
        locked: false,
        linked: 0,
        gaps: [],
        waiting: false,
        head: null,
      });
      expect(await auditChainCommand(a.db)).toMatchObject({ exitCode: 1 });
    });
    expect(await auditChainCommand(a.db)).toEqual({
      exitCode: 0,
      message: 'Audit chain: 1 rows linked. Head: row 1.',
    });
  });

  it('links past the gap a rolled-back transaction leaves, and verify reports it', async () => {
    await appendEvents(a.db, 1);
    await expect(
      a.db.transaction().execute(async (trx) => {
        await recordAudit(trx, sampleEvent(900));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await appendEvents(a.db, 1);
    const seqs = await a.db.selectFrom('audit_events').select('seq').orderBy('seq').execute();
    expect(seqs.map((r) => Number(r.seq))).toEqual([1, 3]);
    // No transaction that could still write row 2 is open: no need to wait for the grace.
    expect(await chainAudit(a.db)).toMatchObject({ linked: 2, gaps: [{ from: 2, to: 2 }], waiting: false });
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'missing' });
    expect(result.ok || result.detail).toMatch(/written by a transaction that rolled back/);
  });

  it('links past a transaction left open longer than the grace; its row, committed late, fails verify', async () => {
    await appendEvents(a.db, 1);
    const other = openDatabase(a.t.url, 2);
    try {
      const stuck = openWriter(other.db as unknown as Kysely<AuditTables>, 2);
      await stuck.written;
      await appendEvents(a.db, 1);
      expect(await chainAudit(a.db)).toMatchObject({ linked: 1, waiting: true });
      const later = new Date(Date.now() + 11_000);
      expect(await chainAudit(a.db, { now: later })).toMatchObject({ linked: 1, gaps: [{ from: 2, to: 2 }] });
      await stuck.commit();
    } finally {
      await other.close();
    }
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'unlinked' });
    expect(result.ok || result.detail).toMatch(
      /^row 2 is not in the chain but row 3 after it is: it was committed after/,
    );
  });

  it('runs in the background every interval and once more when stopped', async () => {
    const warnings: unknown[] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const chainer = startAuditChainer(a.db, log, { intervalMs: 20 });
    try {
      await appendEvents(a.db, 3);
      for (let i = 0; i < 100 && (await links()).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await links()).toEqual([1, 2, 3]);
      await appendEvents(a.db, 1);
    } finally {
      await chainer.stop();
    }
    expect(await links()).toEqual([1, 2, 3, 4]);
    expect(warnings).toEqual([]);
  });
});
