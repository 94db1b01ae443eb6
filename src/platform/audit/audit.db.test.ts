import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { chainAudit } from './chain.ts';
import { GENESIS_HASH } from './canonical.ts';
import { AccessDenied } from '../errors.ts';
import { listAudit, listAuditAs } from './list.ts';
import { AuditEventError, recordAudit, recordReadAudit } from './record.ts';
import type { AuditTables } from './tables.ts';
import { ACTOR_ID, appendEvents, auditTestDatabase, sampleEvent, type AuditTestDatabase } from './testing.ts';
import { verifyAuditChain } from './verify.ts';

let a: AuditTestDatabase;
beforeAll(async () => {
  a = await auditTestDatabase();
});
afterAll(async () => {
  await a.t.drop();
});

async function seqs(): Promise<number[]> {
  const rows = await a.db.selectFrom('audit_events').select('seq').orderBy('seq').execute();
  return rows.map((r) => Number(r.seq));
}

describe('recordAudit', () => {
  it('appends a row that the chainer links, and the chain verifies', async () => {
    const first = await a.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorKind: 'anonymous',
        action: 'sign_in.failure',
        ip: '198.51.100.7',
        userAgent: 'Mozilla/5.0 (synthetic)',
        details: { reason: 'bad_password', attempts: 3, nested: { ok: [1, 2.5, null, true] } },
      }),
    );
    expect(first.seq).toBe(1);
    expect(first.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    await appendEvents(a.db, 4);
    const written = await a.db.selectFrom('audit_events').select(['prev_hash', 'hash']).execute();
    expect(written.every((r) => r.prev_hash === null && r.hash === null)).toBe(true);
    expect(await chainAudit(a.db)).toMatchObject({ locked: true, linked: 5, gaps: [], waiting: false });
    const rows = await a.db
      .selectFrom('audit_chain')
      .select(['seq', 'prev_hash', 'hash'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(a.db)).toEqual({
      ok: true,
      rows: 5,
      head: { seq: 5, hash: rows[4]!.hash },
      pending: 0,
    });
  });

  it('keeps one gap-free log under 20 concurrent transactions from two instances, linked in seq order', async () => {
    const before = (await seqs()).length;
    const other = openDatabase(a.t.url, 10);
    try {
      const instances = [a.db, other.db as unknown as Kysely<AuditTables>];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          instances[i % 2]!.transaction().execute(async (trx) => {
            await sql`select pg_sleep(${(i % 5) / 200})`.execute(trx);
            await recordAudit(trx, sampleEvent(100 + i, { action: 'record.update' }));
            // Commit a little later, so rows commit out of seq order.
            await sql`select pg_sleep(${((20 - i) % 7) / 500})`.execute(trx);
          }),
        ),
      );
    } finally {
      await other.close();
    }
    expect(await seqs()).toEqual(Array.from({ length: before + 20 }, (_, i) => i + 1));
    expect(await chainAudit(a.db)).toMatchObject({ linked: 20, gaps: [] });
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, rows: before + 20, pending: 0 });
  });

  it('refuses to run outside a transaction', async () => {
    await expect(recordAudit(a.db as never, sampleEvent(1))).rejects.toThrow(/inside a transaction/);
  });

  it.each([
    ['a personal key', { email: 'x' }],
    ['a personal key in another spelling', { Date_Of_Birth: '2009-01-01' }],
    ['a nested personal key', { changes: [{ field: 'status', phoneNumber: '555-0100' }] }],
    ['an email-shaped value', { contact: 'someone@example.org' }],
    ['a NUL character', { note: 'a\u0000b' }],
    ['a non-finite number', { ratio: Number.NaN }],
  ])('refuses details with %s and writes nothing', async (_label, details) => {
    const before = await seqs();
    const attempt = a.db.transaction().execute((trx) => recordAudit(trx, sampleEvent(1, { details })));
    await expect(attempt).rejects.toThrow(AuditEventError);
    expect(await seqs()).toEqual(before);
  });

  it('records a read as one statement of its own, checked like any event, and the chain takes it in', async () => {
    const actor = {
      userId: ACTOR_ID,
      role: 'navigator' as const,
      organizationId: '00000000-0000-4000-8000-0000000000aa',
      regions: ['west-metro'],
    };
    const origin = { ip: '192.0.2.10', userAgent: 'vitest' };
    const before = await seqs();
    const read = await recordReadAudit(a.db, actor, origin, {
      action: 'case.open',
      subjectType: 'case',
      subjectId: '00000000-0000-4000-8000-000000000001',
      details: { region: 'west-metro' },
    });
    expect(await seqs()).toEqual([...before, read.seq]);
    const row = await a.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'actor_kind', 'action', 'ip'])
      .where('seq', '=', String(read.seq) as never)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_user_id: ACTOR_ID, actor_kind: 'user', action: 'case.open' });
    // A personal key in the details is refused before anything is written.
    await expect(
      recordReadAudit(a.db, actor, origin, { action: 'case.open', details: { email: 'x' } }),
    ).rejects.toThrow(AuditEventError);
    expect(await seqs()).toEqual([...before, read.seq]);
    await chainAudit(a.db);
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, pending: 0 });
  });

  it('refuses inconsistent actors and email-shaped subject ids', async () => {
    const attempt = (e: Parameters<typeof sampleEvent>[1]) =>
      a.db.transaction().execute((trx) => recordAudit(trx, sampleEvent(1, e)));
    await expect(attempt({ actorUserId: null })).rejects.toThrow(/actorUserId/);
    await expect(attempt({ actorKind: 'anonymous' })).rejects.toThrow(/anonymous/);
    await expect(attempt({ subjectId: 'young.person@example.org' })).rejects.toThrow(/record id/);
    await expect(attempt({ action: 'Record Read' })).rejects.toThrow(/action/);
  });

  it('stores awkward but legitimate text exactly as hashed', async () => {
    const long = 'UA '.repeat(400) + '😀';
    const r = await a.db
      .transaction()
      .execute((trx) =>
        recordAudit(
          trx,
          sampleEvent(2, { userAgent: `\uD800${long}\u0000`, reason: 'Court order 42 — “urgent”\r\n' }),
        ),
      );
    const row = await a.db
      .selectFrom('audit_events')
      .select(['user_agent', 'reason'])
      .where('seq', '=', r.seq)
      .executeTakeFirstOrThrow();
    expect(row.user_agent!.startsWith('\uFFFDUA ')).toBe(true);
    expect([...row.user_agent!].length).toBe(512);
    expect(row.reason).toBe('Court order 42 — “urgent”\r\n');
    await chainAudit(a.db);
    expect(await verifyAuditChain(a.db)).toMatchObject({ ok: true, pending: 0 });
  });
});

describe('append-only', () => {
  it.each([
    ['UPDATE', `update audit_events set action = 'record.read' where seq = 1`, /audit_events is append-only/],
    ['DELETE', 'delete from audit_events where seq = 1', /audit_events is append-only/],
    // The chain's links refer to the rows: PostgreSQL refuses a plain TRUNCATE before the trigger runs.
    ['TRUNCATE', 'truncate audit_events', /cannot truncate a table referenced in a foreign key constraint/],
    ['TRUNCATE … CASCADE', 'truncate audit_events cascade', /audit_(events|chain) is append-only/],
  ])('refuses %s through the application connection', async (_op, statement, refusal) => {
    const before = await seqs();
    await expect(sql.raw(statement).execute(a.db)).rejects.toThrow(refusal);
    expect(await seqs()).toEqual(before);
  });

  it.each([
    ['UPDATE', `update audit_chain set hash = repeat('a', 64) where seq = 1`],
    ['DELETE', 'delete from audit_chain where seq = 1'],
    ['TRUNCATE', 'truncate audit_chain'],
  ])('refuses %s of the chain links', async (_op, statement) => {
    await chainAudit(a.db);
    await expect(sql.raw(statement).execute(a.db)).rejects.toThrow(/audit_chain is append-only/);
    expect((await verifyAuditChain(a.db)).ok).toBe(true);
  });
});

describe('listAudit', () => {
  it('pages newest first with a keyset cursor and filters', async () => {
    await a.db
      .transaction()
      .execute((trx) => recordAudit(trx, sampleEvent(7, { subjectId: 'case-unique-7' })));
    const all = await listAudit(a.db, { limit: 500 });
    const total = all.events.length;
    expect(all.nextBefore).toBeNull();
    expect(all.events.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => total - i));

    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await listAudit(a.db, { limit: 7, before });
      seen.push(...page.events.map((e) => e.seq));
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
    expect(seen).toEqual(all.events.map((e) => e.seq));

    const failures = await listAudit(a.db, { action: 'sign_in.failure', limit: 10 });
    expect(failures.events.map((e) => e.seq)).toEqual([1]);
    expect(failures.events[0]).toMatchObject({
      actorKind: 'anonymous',
      actorUserId: null,
      ip: '198.51.100.7',
    });

    const byActor = await listAudit(a.db, {
      actorUserId: ACTOR_ID.toUpperCase(),
      subjectType: 'case',
      limit: 500,
    });
    expect(byActor.events.length).toBe(total - 1);
    const bySubject = await listAudit(a.db, { subjectType: 'case', subjectId: 'case-unique-7', limit: 5 });
    expect(bySubject.events.map((e) => e.seq)).toEqual([total]);

    const first = all.events[total - 1]!;
    const future = await listAudit(a.db, { from: new Date(Date.now() + 60_000), limit: 5 });
    expect(future.events).toEqual([]);
    const window = await listAudit(a.db, {
      from: first.occurredAt,
      to: new Date(Date.now() + 60_000),
      limit: 500,
    });
    expect(window.events.length).toBe(total);
  });

  it('rejects a limit out of range', async () => {
    await expect(listAudit(a.db, { limit: 0 })).rejects.toThrow();
    await expect(listAudit(a.db, { limit: 501 })).rejects.toThrow();
  });
});

describe('listAuditAs', () => {
  const ORG_A = '11111111-1111-4111-8111-111111111111';
  const ORG_B = '22222222-2222-4222-8222-222222222222';
  const CASE_ID = '33333333-3333-4333-8333-333333333333';
  const person = (role: 'state_admin' | 'org_admin' | 'navigator', organizationId = ORG_A) => ({
    userId: ACTOR_ID,
    role,
    organizationId,
    regions: [],
  });

  it("narrows an organization administrator to their organization's events, record ids withheld", async () => {
    await a.db.transaction().execute(async (trx) => {
      await recordAudit(
        trx,
        sampleEvent(1, { organizationId: ORG_A, action: 'narrow.a', subjectId: CASE_ID }),
      );
      await recordAudit(
        trx,
        sampleEvent(2, { organizationId: ORG_B, action: 'narrow.b', subjectId: CASE_ID }),
      );
    });
    const mine = await listAuditAs(a.db, person('org_admin'), { subjectId: CASE_ID, limit: 50 });
    expect(mine.statewide).toBe(false);
    expect(mine.events.map((e) => e.action)).toEqual(['narrow.a']);
    expect(mine.events[0]).toMatchObject({ subjectType: 'case', subjectId: 'withheld' });
    // naming another organization does not widen it
    const asked = await listAuditAs(a.db, person('org_admin'), { organizationId: ORG_B, limit: 50 });
    expect(asked.events.every((e) => e.organizationId === ORG_A)).toBe(true);
    expect(asked.events.some((e) => e.action === 'narrow.a')).toBe(true);

    const all = await listAuditAs(a.db, person('state_admin', ORG_B), { subjectId: CASE_ID, limit: 50 });
    expect(all.statewide).toBe(true);
    expect(all.events.map((e) => [e.action, e.subjectId])).toEqual([
      ['narrow.b', CASE_ID],
      ['narrow.a', CASE_ID],
    ]);
  });

  it('refuses a role without audit.read before reading anything', async () => {
    await expect(listAuditAs(a.db, person('navigator'), { limit: 50 })).rejects.toBeInstanceOf(AccessDenied);
    await expect(
      listAuditAs(a.db, { ...person('state_admin'), tokenScopes: ['cases.read'] }, { limit: 50 }),
    ).rejects.toBeInstanceOf(AccessDenied);
  });
});
