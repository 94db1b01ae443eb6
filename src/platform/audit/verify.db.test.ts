import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash } from './canonical.ts';
import { STORED_COLUMNS } from './rows.ts';
import { appendEvents, auditTestDatabase, tamper, type AuditTestDatabase } from './testing.ts';
import { auditVerifyCommand, verifyAuditChain } from './verify.ts';

let a: AuditTestDatabase;
beforeEach(async () => {
  a = await auditTestDatabase();
});
afterEach(async () => {
  await a.t.drop();
});

async function storedRow(seq: number) {
  const row = await a.db
    .selectFrom('audit_events')
    .select(STORED_COLUMNS)
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return { ...row, seq: Number(row.seq) };
}

/** Rewrites a row the way a careful tamperer would: new values and a hash that matches them. */
async function rewrite(seq: number, change: { action?: string; prev_hash?: string }) {
  const row = { ...(await storedRow(seq)), ...change };
  await tamper(a.t.pool, 'update audit_events set action = $2, prev_hash = $3, hash = $4 where seq = $1', [
    seq,
    row.action,
    row.prev_hash,
    auditHash(row),
  ]);
}

describe('verifyAuditChain', () => {
  it('accepts an empty log and an intact one, across batch boundaries', async () => {
    expect(await verifyAuditChain(a.db)).toEqual({ ok: true, rows: 0, head: null });
    await appendEvents(a.db, 7);
    const head = await storedRow(7);
    expect(await verifyAuditChain(a.db, { batchSize: 2 })).toEqual({
      ok: true,
      rows: 7,
      head: { seq: 7, hash: head.hash },
    });
    const command = await auditVerifyCommand(a.db);
    expect(command.exitCode).toBe(0);
    expect(command.message).toBe(`Audit chain intact: 7 rows. Head: row 7, sha256 ${head.hash}.`);
  });

  it('names an altered row when its action is changed in SQL, and the trigger is back on afterwards', async () => {
    await appendEvents(a.db, 6);
    await tamper(a.t.pool, `update audit_events set action = 'record.update' where seq = 3`);
    const result = await verifyAuditChain(a.db, { batchSize: 2 });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'altered' });
    const command = await auditVerifyCommand(a.db);
    expect(command).toEqual({
      exitCode: 1,
      message: expect.stringMatching(/^Audit chain broken at row 3 \(altered\): /),
    });
    await expect(a.t.pool.query('delete from audit_events where seq = 3')).rejects.toThrow(/append-only/);
  });

  it.each([
    [
      'occurred_at by one microsecond',
      `update audit_events set occurred_at = occurred_at + interval '1 microsecond' where seq = 2`,
      2,
      'altered',
    ],
    ['details', `update audit_events set details = '{"n": 20}' where seq = 2`, 2, 'altered'],
    ['an explicit null', `update audit_events set ip = null where seq = 2`, 2, 'altered'],
    ['seq (renumbering the newest row)', `update audit_events set seq = 99 where seq = 6`, 99, 'missing'],
  ])('detects a change to %s', async (_what, statement, firstBadSeq, problem) => {
    await appendEvents(a.db, 6);
    await tamper(a.t.pool, statement);
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: false, firstBadSeq, problem });
  });

  it('names the next row as missing when a middle row is deleted', async () => {
    await appendEvents(a.db, 6);
    await tamper(a.t.pool, 'delete from audit_events where seq = 3');
    const result = await verifyAuditChain(a.db, { batchSize: 2 });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'missing' });
    expect(result.ok || result.detail).toBe('row 3 is missing: row 4 follows row 2');
    expect((await auditVerifyCommand(a.db)).exitCode).toBe(1);
  });

  it('names row 2 as missing when the first row is deleted', async () => {
    await appendEvents(a.db, 3);
    await tamper(a.t.pool, 'delete from audit_events where seq = 1');
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'missing' });
  });

  it('names the next row as missing when a row is replaced with a recomputed hash', async () => {
    await appendEvents(a.db, 5);
    await rewrite(3, { action: 'record.update' });
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'missing' });
  });

  it('names a row chained to another row than the one before it as reordered', async () => {
    await appendEvents(a.db, 5);
    await rewrite(4, { prev_hash: (await storedRow(2)).hash });
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'reordered' });
    expect(result.ok || result.detail).toBe('row 4 is chained to row 2, not to row 3');
  });

  it('catches removal of the newest rows against a recorded head', async () => {
    await appendEvents(a.db, 5);
    const anchor = { seq: 5, hash: (await storedRow(5)).hash };
    expect(await verifyAuditChain(a.db, { anchor })).toMatchObject({ ok: true, rows: 5 });
    await tamper(a.t.pool, 'delete from audit_events where seq >= 4');
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: 3 });
    expect(await verifyAuditChain(a.db, { anchor })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: 'missing',
    });
  });
});
