import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { chainAudit } from './chain.ts';
import { auditHash } from './canonical.ts';
import { linkedRows } from './rows.ts';
import {
  appendChained,
  appendEvents,
  auditTestDatabase,
  sampleEvent,
  tamper,
  type AuditTestDatabase,
} from './testing.ts';
import { auditVerifyCommand, verifyAuditChain } from './verify.ts';

let a: AuditTestDatabase;
beforeEach(async () => {
  a = await auditTestDatabase();
});
afterEach(async () => {
  await a.t.drop();
});

async function storedRow(seq: number) {
  const row = await linkedRows(a.db).where('audit_events.seq', '=', seq).executeTakeFirstOrThrow();
  return { ...row, seq: Number(row.seq), prev_hash: row.prev_hash!, hash: row.hash! };
}

/** Rewrites a row the way a careful tamperer would: new values and a hash that matches them. */
async function rewrite(seq: number, change: { action?: string; prev_hash?: string }) {
  const row = { ...(await storedRow(seq)), ...change };
  await tamper(
    a.t.pool,
    `with e as (update audit_events set action = $2 where seq = $1)
     update audit_chain set prev_hash = $3, hash = $4 where seq = $1`,
    [seq, row.action, row.prev_hash, auditHash(row)],
  );
}

/** Removes a linked row and its link. */
const removeLinked = (where: string) =>
  tamper(
    a.t.pool,
    `with c as (delete from audit_chain where ${where}) delete from audit_events where ${where}`,
  );

describe('verifyAuditChain', () => {
  it('accepts an empty log and an intact one, across batch boundaries', async () => {
    expect(await verifyAuditChain(a.db)).toEqual({ ok: true, rows: 0, head: null, pending: 0 });
    await appendChained(a.db, 7);
    const head = await storedRow(7);
    expect(await verifyAuditChain(a.db, { batchSize: 2 })).toEqual({
      ok: true,
      rows: 7,
      head: { seq: 7, hash: head.hash },
      pending: 0,
    });
    const command = await auditVerifyCommand(a.db);
    expect(command.exitCode).toBe(0);
    expect(command.message).toBe(`Audit chain intact: 7 rows. Head: row 7, sha256 ${head.hash}.`);
  });

  it('names an altered row when its action is changed in SQL, and the trigger is back on afterwards', async () => {
    await appendChained(a.db, 6);
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
    // The row's link stays behind: the row it sealed is gone.
    ['seq (renumbering the newest row)', `update audit_events set seq = 99 where seq = 6`, 6, 'missing'],
    ['a link', `update audit_chain set hash = repeat('a', 64) where seq = 4`, 4, 'altered'],
  ])('detects a change to %s', async (_what, statement, firstBadSeq, problem) => {
    await appendChained(a.db, 6);
    await tamper(a.t.pool, statement, [], { withoutKeys: true });
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: false, firstBadSeq, problem });
  });

  it('names the next row as missing when a middle row is deleted', async () => {
    await appendChained(a.db, 6);
    await removeLinked('seq = 3');
    const result = await verifyAuditChain(a.db, { batchSize: 2 });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'missing' });
    expect(result.ok || result.detail).toBe('row 3 is missing: row 4 follows row 2');
    expect((await auditVerifyCommand(a.db)).exitCode).toBe(1);
  });

  it('names row 2 as missing when the first row is deleted', async () => {
    await appendChained(a.db, 3);
    await removeLinked('seq = 1');
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'missing' });
  });

  it('names the next row as missing when a row is replaced with a recomputed hash', async () => {
    await appendChained(a.db, 5);
    await rewrite(3, { action: 'record.update' });
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'missing' });
  });

  it('names a row chained to another row than the one before it as reordered', async () => {
    await appendChained(a.db, 5);
    await rewrite(4, { prev_hash: (await storedRow(2)).hash });
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'reordered' });
    expect(result.ok || result.detail).toBe('row 4 is chained to row 2, not to row 3');
  });

  it('catches removal of the newest rows against a recorded head', async () => {
    await appendChained(a.db, 5);
    const anchor = { seq: 5, hash: (await storedRow(5)).hash };
    expect(await verifyAuditChain(a.db, { anchor })).toMatchObject({ ok: true, rows: 5 });
    await removeLinked('seq >= 4');
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: 3 });
    expect(await verifyAuditChain(a.db, { anchor })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: 'missing',
    });
  });

  it('names a row deleted before the chainer reached it: the chainer links past the gap, verify fails', async () => {
    await appendEvents(a.db, 5);
    await tamper(a.t.pool, 'delete from audit_events where seq = 3');
    expect(await chainAudit(a.db)).toMatchObject({ locked: true, linked: 4, gaps: [{ from: 3, to: 3 }] });
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'missing' });
    expect(result.ok || result.detail).toMatch(
      /^row 3 is missing: row 4 follows row 2 in the chain, linked past the gap: deleted before the chainer reached it, or written by a transaction that rolled back/,
    );
    expect((await auditVerifyCommand(a.db)).exitCode).toBe(1);
  });

  it('reports rows not linked yet as pending, and as a failure once older than the grace', async () => {
    await appendChained(a.db, 2);
    await appendEvents(a.db, 2);
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: 2, pending: 2 });
    expect((await auditVerifyCommand(a.db)).message).toMatch(
      /^Audit chain intact: 2 rows\. Head: row 2, sha256 [0-9a-f]{64}\. 2 newer rows are not linked yet/,
    );
    const later = new Date(Date.now() + 6 * 60_000);
    const result = await verifyAuditChain(a.db, { now: later });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'unlinked' });
    expect(await verifyAuditChain(a.db, { now: later, graceMs: 60 * 60_000 })).toMatchObject({ ok: true });
    await chainAudit(a.db);
    expect(await verifyAuditChain(a.db, { now: later })).toMatchObject({ ok: true, rows: 4, pending: 0 });
  });

  it('names a row whose link was removed while later rows are linked', async () => {
    await appendChained(a.db, 4);
    await tamper(a.t.pool, 'delete from audit_chain where seq = 2');
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'unlinked' });
    expect(result.ok || result.detail).toMatch(/^row 2 is not in the chain but row 3 after it is/);
  });

  it('verifies rows hashed when they were written (before migration 0017) and the chain linked after them', async () => {
    // Three rows as the earlier writer stored them: seq from max + 1, hashes in the row.
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const event = sampleEvent(seq);
      const values = {
        seq,
        id: `00000000-0000-4000-8000-00000000000${seq}`,
        occurred_at: `2024-01-0${seq}T12:00:00.000000Z`,
        actor_user_id: event.actorUserId!,
        actor_kind: 'user',
        action: 'record.read',
        subject_type: 'case',
        subject_id: event.subjectId!,
        organization_id: null,
        ip: event.ip!,
        user_agent: event.userAgent!,
        reason: null,
        details: event.details!,
        prev_hash: prev,
      };
      const hash = auditHash(values);
      await a.t.pool.query(
        `insert into audit_events (seq, id, occurred_at, actor_user_id, actor_kind, action, subject_type,
           subject_id, organization_id, ip, user_agent, reason, details, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [...Object.values(values).map((v) => (typeof v === 'object' && v ? JSON.stringify(v) : v)), hash],
      );
      prev = hash;
    }
    await sql`select setval('audit_events_seq', 3)`.execute(a.db);
    await appendChained(a.db, 2);
    const links = await a.db.selectFrom('audit_chain').select(['seq', 'prev_hash']).orderBy('seq').execute();
    expect(links.map((l) => [Number(l.seq), l.prev_hash])).toEqual([
      [4, prev],
      [5, (await storedRow(4)).hash],
    ]);
    expect(await verifyAuditChain(a.db, { batchSize: 2 })).toMatchObject({ ok: true, rows: 5, pending: 0 });
    await tamper(a.t.pool, `update audit_events set reason = 'x' where seq = 2`);
    const result = await verifyAuditChain(a.db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'altered' });
    expect(result.ok || result.detail).toMatch(/changed after it was written$/);
  });
});
