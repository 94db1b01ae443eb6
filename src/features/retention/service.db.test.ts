import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import { auditActions, caseEventNames, caseRow } from '../../../test/coordination.ts';
import { addStaff, sessionFor, type TestStaff } from '../../../test/staff.ts';
import { DataKeyDestroyedError } from '../../platform/crypto/index.ts';
import { ServiceError } from '../../platform/errors.ts';
import { openCaseField, openPersonal, sealCaseField } from '../cases/core.ts';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { eraseCase, exportCase, findPersonCases, purgeDueCases } from './service.ts';
import { seedSynthetic } from '../synthetic/service.ts';

let t: TestApp;
let admin: TestStaff;
let navigator: TestStaff;
const origin = { ip: '127.0.0.1', userAgent: 'test' };
const now = new Date('2026-11-20T18:00:00Z');

beforeAll(async () => {
  t = await testApp();
  await seedSynthetic(
    {
      db: t.deps.db,
      keyring: t.deps.keyring,
      geography: t.deps.geography.get(),
      vocabularies: t.deps.rules.vocabularies,
    },
    { cases: 60, events: 300, seed: 11, now },
  );
  admin = await addStaff(t.deps, 'state_admin');
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
});
afterAll(async () => {
  await t.close();
});

const ctx = (at = now) => ({ db: t.deps.db, keyring: t.deps.keyring, now: () => at });

/** Sets when the case falls due to be purged. */
const purgeAfter = (caseId: string, at: Date | null) =>
  t.deps.db.updateTable('cases').set({ purge_after: at }).where('id', '=', caseId).execute();

/**
 * A case not yet purged: of the status and region, with a date of birth, and with rows of its own in
 * each of the tables `having` names (of `tasks`, an open task), as asked.
 */
async function someCase(
  where: {
    status?: 'open' | 'closed';
    regionId?: string;
    withDob?: boolean;
    having?: ('case_notes' | 'case_search_terms' | 'referrals' | 'tasks')[];
  } = {},
) {
  let q = t.deps.db.selectFrom('cases').selectAll().where('purged_at', 'is', null);
  if (where.status) q = q.where('status', '=', where.status);
  if (where.regionId) q = q.where('region_id', '=', where.regionId);
  if (where.withDob) q = q.where('duplicate_index', 'is not', null);
  for (const table of where.having ?? []) {
    const open = table === 'tasks' ? sql` and r.completed_at is null` : sql``;
    q = q.where(sql<boolean>`exists (select 1 from ${sql.table(table)} r where r.case_id = cases.id${open})`);
  }
  return q.limit(1).executeTakeFirstOrThrow();
}

describe('retention', () => {
  it('purges a closed case once its time has come, by destroying its key, and records it', async () => {
    const row = await someCase({ status: 'closed' });
    await purgeAfter(row.id, new Date(now.getTime() + 1000));
    // Not yet.
    await purgeDueCases(ctx());
    expect((await caseRow(t.deps.db, row.id)).purged_at).toBeNull();
    await purgeAfter(row.id, new Date(now.getTime() - 1000));
    expect(await purgeDueCases(ctx())).toBeGreaterThanOrEqual(1);
    const after = await caseRow(t.deps.db, row.id);
    expect(after.purged_at).not.toBeNull();
    expect(after.duplicate_index).toBeNull();
    await expect(openPersonal(t.deps.keyring, after)).rejects.toBeInstanceOf(DataKeyDestroyedError);
    expect(await auditActions(t.deps.db, row.id)).toContain('case.purge');
    expect(await caseEventNames(t.deps.db, row.id)).toContain('case.purged');
    // Safe to repeat: nothing more to do for this case.
    const again = await purgeDueCases(ctx());
    expect(again).toBe(0);
  });

  it('never purges an open case, whatever its date', async () => {
    const row = await someCase({ status: 'open' });
    await purgeAfter(row.id, new Date(now.getTime() - 1000));
    await purgeDueCases(ctx());
    const after = await caseRow(t.deps.db, row.id);
    expect(after.purged_at).toBeNull();
    await purgeAfter(row.id, null);
  });
});

describe("a person's requests", () => {
  it('finds every case of a person by the name they use and date of birth, however it is typed', async () => {
    const row = await someCase({ status: 'open', withDob: true });
    const personal = await openPersonal(t.deps.keyring, row);
    const found = await findPersonCases(ctx(), admin.actor, {
      chosenName: `  ${personal.chosenName.toUpperCase()} `,
      dateOfBirth: personal.dateOfBirth!,
    });
    expect(found.map((m) => m.caseId)).toContain(row.id);
    expect(await findPersonCases(ctx(), admin.actor, { caseId: row.id })).toHaveLength(1);
    await expect(findPersonCases(ctx(), navigator.actor, { caseId: row.id })).rejects.toBeInstanceOf(
      ServiceError,
    );
  });

  it('exports everything held in a case, decrypted, and audits it', async () => {
    const withNotes = await someCase({ having: ['case_notes', 'referrals'] });
    const doc = (await exportCase(ctx(), admin.actor, withNotes.id, origin)) as Record<string, any>;
    expect(doc.case.id).toBe(withNotes.id);
    expect(typeof doc.case.details.chosenName).toBe('string');
    expect(doc.notes.length).toBeGreaterThan(0);
    expect(typeof doc.notes[0].text).toBe('string');
    expect(doc.referrals[0].history.length).toBeGreaterThan(0);
    expect(doc.timeline.length).toBeGreaterThan(0);
    expect(await auditActions(t.deps.db, withNotes.id)).toContain('case.export');
    await expect(exportCase(ctx(), navigator.actor, withNotes.id, origin)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  /** A message on the case's first referral and a referral outside the network, written as the services do. */
  async function addConversation(caseId: string) {
    const referral = await t.deps.db
      .selectFrom('referrals')
      .select('id')
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const messageId = randomUUID();
    const outsideId = randomUUID();
    const seal = (table: string, recordId: string, field: string, text: string) =>
      sealCaseField(t.deps.keyring, caseId, { table, recordId, field }, text);
    await t.deps.db
      .insertInto('referral_messages')
      .values({
        id: messageId,
        referral_id: referral.id,
        author_user_id: navigator.id,
        author_organization_id: navigator.actor.organizationId!,
        side: 'sender',
        body_encrypted: await seal(
          'referral_messages',
          messageId,
          'body_encrypted',
          'Synthetic message: she can come on Tuesday.',
        ),
        created_at: now,
      })
      .execute();
    await t.deps.db
      .insertInto('outside_referrals')
      .values({
        id: outsideId,
        case_id: caseId,
        from_region_id: 'west-metro',
        directory_service_id: 'synthetic-outside-service',
        service_name: 'Synthetic Outside Service',
        organization_name: 'Synthetic Outside Organization',
        service_type: t.deps.rules.vocabularies.services[0]!.code,
        note_encrypted: await seal(
          'outside_referrals',
          outsideId,
          'note_encrypted',
          'Synthetic note: called them, waiting list.',
        ),
        created_by: navigator.id,
        updated_by: navigator.id,
      })
      .execute();
    return { referralId: referral.id, messageId, outsideId };
  }

  it('exports a referral’s conversation and the referrals outside the network, decrypted', async () => {
    const row = await someCase({ regionId: 'west-metro', having: ['referrals'] });
    const { referralId, messageId, outsideId } = await addConversation(row.id);
    const doc = (await exportCase(ctx(), admin.actor, row.id, origin)) as Record<string, any>;
    const referral = doc.referrals.find((r: { id: string }) => r.id === referralId);
    expect(referral.messages).toEqual([
      expect.objectContaining({
        id: messageId,
        side: 'sender',
        kind: 'message',
        authorUserId: navigator.id,
        text: 'Synthetic message: she can come on Tuesday.',
      }),
    ]);
    expect(doc.outsideReferrals).toEqual([
      expect.objectContaining({
        id: outsideId,
        serviceName: 'Synthetic Outside Service',
        organizationName: 'Synthetic Outside Organization',
        status: 'sent',
        note: 'Synthetic note: called them, waiting list.',
      }),
    ]);
  });

  it('erases the conversation, the outside referrals’ notes and the search terms with the case', async () => {
    const row = await someCase({ regionId: 'west-metro', having: ['referrals', 'case_search_terms'] });
    const { messageId, outsideId } = await addConversation(row.id);
    const terms = () =>
      t.deps.db.selectFrom('case_search_terms').select('kind').where('case_id', '=', row.id).execute();
    expect((await terms()).length).toBeGreaterThan(0);
    await eraseCase(ctx(), admin.actor, row.id, origin);
    // The case can no longer be found by name or date of birth.
    expect(await terms()).toEqual([]);
    // The message and the note stay as rows (counts still add up) but can no longer be read.
    const message = await t.deps.db
      .selectFrom('referral_messages')
      .select('body_encrypted')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    const outside = await t.deps.db
      .selectFrom('outside_referrals')
      .select('note_encrypted')
      .where('id', '=', outsideId)
      .executeTakeFirstOrThrow();
    for (const [table, recordId, field, sealed] of [
      ['referral_messages', messageId, 'body_encrypted', message.body_encrypted],
      ['outside_referrals', outsideId, 'note_encrypted', outside.note_encrypted!],
    ] as const)
      await expect(openCaseField(t.deps.keyring, { table, recordId, field }, sealed)).rejects.toBeInstanceOf(
        DataKeyDestroyedError,
      );
  });

  it('leaves no search terms for a case purged by the retention job', async () => {
    const row = await someCase({ status: 'closed', having: ['case_search_terms'] });
    await purgeAfter(row.id, new Date(now.getTime() - 1000));
    await purgeDueCases(ctx());
    expect((await caseRow(t.deps.db, row.id)).purged_at).not.toBeNull();
    expect(
      await t.deps.db.selectFrom('case_search_terms').select('kind').where('case_id', '=', row.id).execute(),
    ).toEqual([]);
  });

  it('erases a case on request: closed, unreadable, referrals withdrawn, tasks completed, audited', async () => {
    const row = await someCase({ status: 'open', having: ['tasks'] });
    await eraseCase(ctx(), admin.actor, row.id, origin);
    const after = await caseRow(t.deps.db, row.id);
    expect(after).toMatchObject({ status: 'closed', close_reason: 'erased_on_request' });
    expect(after.purged_at).not.toBeNull();
    await expect(openPersonal(t.deps.keyring, after)).rejects.toBeInstanceOf(DataKeyDestroyedError);
    const openTasks = await t.deps.db
      .selectFrom('tasks')
      .select('id')
      .where('case_id', '=', row.id)
      .where('completed_at', 'is', null)
      .execute();
    expect(openTasks).toEqual([]);
    const live = await t.deps.db
      .selectFrom('referrals')
      .select('status')
      .where('case_id', '=', row.id)
      .where('status', 'in', ['draft', 'sent', 'accepted', 'in_service'])
      .execute();
    expect(live).toEqual([]);
    expect(await auditActions(t.deps.db, row.id)).toContain('case.erase');
    await expect(exportCase(ctx(), admin.actor, row.id, origin)).rejects.toMatchObject({ code: 'conflict' });
    await expect(eraseCase(ctx(), admin.actor, row.id, origin)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('the pages', () => {
  async function request(
    person: TestStaff,
    path: string,
    form?: Record<string, string>,
    reauthenticated = true,
  ) {
    const s = await sessionFor(t.deps.db, person.id);
    if (!reauthenticated)
      await t.deps.db
        .updateTable('staff_sessions')
        .set({ reauthenticated_at: new Date(Date.now() - 3_600_000) })
        .where('csrf_token', '=', s.csrf)
        .execute();
    return t.app.request(path, {
      method: form ? 'POST' : 'GET',
      headers: {
        Cookie: s.cookie,
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_SITE.origin } : {}),
      },
      ...(form ? { body: new URLSearchParams({ csrf: s.csrf, ...form }).toString() } : {}),
    });
  }

  it('lets a state administrator search, export after signing in again, and erase with a typed confirmation', async () => {
    const row = await someCase({ status: 'open' });
    expect((await request(admin, '/staff/admin/person-requests')).status).toBe(200);
    const bad = await request(admin, '/staff/admin/person-requests', { chosenName: '', dateOfBirth: 'soon' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('There is a problem');
    const found = await request(admin, '/staff/admin/person-requests', { caseId: row.id });
    expect(await found.text()).toContain(`/staff/admin/cases/${row.id}/export.json`);

    const stale = await request(admin, `/staff/admin/cases/${row.id}/export.json`, undefined, false);
    expect(stale.status).toBe(303);
    expect(stale.headers.get('Location')).toMatch(/^\/staff\/reauthenticate\?next=/);
    const exported = await request(admin, `/staff/admin/cases/${row.id}/export.json`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('Content-Disposition')).toContain('attachment');
    expect(((await exported.json()) as { case: { id: string } }).case.id).toBe(row.id);

    const unconfirmed = await request(admin, `/staff/admin/cases/${row.id}/erase`, { confirm: 'erase' });
    expect(unconfirmed.status).toBe(400);
    const erased = await request(admin, `/staff/admin/cases/${row.id}/erase`, { confirm: 'ERASE' });
    expect(erased.status).toBe(200);
    const after = await caseRow(t.deps.db, row.id);
    expect(after.purged_at).not.toBeNull();
  });

  it('refuses everyone else', async () => {
    const row = await someCase({ status: 'open' });
    expect((await request(navigator, '/staff/admin/person-requests')).status).toBe(403);
    expect((await request(navigator, `/staff/admin/cases/${row.id}/export.json`)).status).toBe(403);
    expect(
      (await request(navigator, `/staff/admin/cases/${row.id}/erase`, { confirm: 'ERASE' })).status,
    ).toBe(403);
  });
});
