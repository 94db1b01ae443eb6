/**
 * The case service against a database: opening (directly and from a referral), the audited read,
 * regional visibility (another region's case is "not found"), details, navigators, notes, services,
 * closing with the retention date, reopening, the timeline, duplicates told by region name only, and the
 * dashboard's pages at 20,000 cases. Synthetic data only.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditEvents, caseEvents } from '../../../test/coordination.ts';
import { addCaseTeam, addStaff, unnamedYouth, type TestStaff } from '../../../test/staff.ts';
import { SYNTHETIC_PAYLOAD, addItem } from '../queue/testing.ts';
import { ServiceError } from '../../platform/errors.ts';
import { caseContext } from './core.ts';
import { versionOf } from './rules.ts';
import { labelOf } from '../../pack/vocabularies.ts';
import { CaseInputError } from './schema.ts';
import {
  addNote,
  assignNavigator,
  closeCase,
  getCase,
  listCases,
  listTimeline,
  openCase,
  possibleDuplicates,
  recordService,
  referralDraft,
  regionNavigators,
  reopenCase,
  unassignNavigator,
  updateCaseDetails,
  type CaseServiceContext,
} from './service.ts';

let t: TestApp;
let ctx: CaseServiceContext;
let navigator: TestStaff;
let colleague: TestStaff;
let southeast: TestStaff;
let twoRegions: TestStaff;
let admin: TestStaff;
let professional: TestStaff;
const origin = { ip: '192.0.2.10', userAgent: 'vitest' };
const NOW = new Date('2026-11-24T15:00:00Z');

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; field?: string; fields?: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CaseInputError)
      return { code: error.code, field: error.field, fields: error.problems.map((p) => p.field) };
    if (error instanceof ServiceError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

const audits = (action: string, caseId?: string) => auditEvents(t.deps.db, { action, subjectId: caseId });

const caseRow = (id: string) =>
  t.deps.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const events = (caseId: string) => caseEvents(t.deps.db, caseId);

beforeAll(async () => {
  t = await testApp();
  ctx = { ...caseContext(t.deps), now: () => NOW, retentionDays: 30 };
  ({ navigator, colleague, southeast, admin, professional } = await addCaseTeam(t.deps));
  twoRegions = await addStaff(t.deps, 'navigator', ['west-metro', 'southeast'], { name: 'Synthetic Two' });
});
afterAll(async () => {
  await t.close();
});

describe('opening a case directly', () => {
  it('seals the personal fields, assigns the opener, and records the event and the audit without personal data', async () => {
    const opened = await openCase(
      ctx,
      navigator.actor,
      {
        chosenName: 'Synthetic Riley',
        legalName: 'Synthetic Legal Name',
        dateOfBirth: '2010-03-02',
        pronouns: 'they/them',
        genderIdentity: ['nonbinary'],
        raceEthnicity: ['asian', 'white'],
        sexualOrientation: 'queer',
        languages: 'English, Hmong',
        tribalAffiliation: null,
        contactMethod: 'text_message',
        contactValue: '555-0142',
        contactTimes: 'after 4pm',
        codeWord: 'lantern',
        countyFips: '27053',
      },
      origin,
    );
    expect(opened.regionId).toBe('west-metro');
    const row = await caseRow(opened.id);
    expect(row).toMatchObject({
      region_id: 'west-metro',
      jurisdiction: 'mn',
      county_fips: '27053',
      status: 'open',
      age_band: 'under18',
      opened_by: navigator.id,
    });
    expect(row.duplicate_index).toMatch(/^[0-9a-f]{32}$/);
    const raw = row.personal_encrypted.toString('latin1');
    for (const secret of ['Synthetic Riley', 'lantern', '555-0142', 'Hmong'])
      expect(raw).not.toContain(secret);

    const detail = await getCase(ctx, navigator.actor, opened.id, origin);
    expect(detail.personal).toEqual({
      chosenName: 'Synthetic Riley',
      legalName: 'Synthetic Legal Name',
      dateOfBirth: '2010-03-02',
      age: null,
      pronouns: 'they/them',
      genderIdentity: ['nonbinary'],
      raceEthnicity: ['asian', 'white'],
      sexualOrientation: 'queer',
      languages: ['English', 'Hmong'],
      tribalAffiliation: null,
      safeContact: { method: 'text_message', value: '555-0142', times: 'after 4pm', codeWord: 'lantern' },
      door: null,
      exploitation: [],
      entryHousing: null,
    });
    expect(detail.assigned.map((a) => a.name)).toEqual(['Synthetic Navigator']);
    expect(detail.countyName).toBe('Hennepin');
    expect(detail.regionName).toBe('West Metro');
    expect((await events(opened.id)).map((e) => e.event)).toEqual(['case.opened', 'navigator.assigned']);
    const created = await audits('case.create', opened.id);
    expect(created).toEqual([
      expect.objectContaining({
        actor_user_id: navigator.id,
        actor_kind: 'user',
        subject_id: opened.id,
        details: { case: opened.id, region: 'west-metro', possible_matches_in_regions: 0 },
      }),
    ]);
    // The read is audited, and is not a timeline event.
    expect(await audits('case.open', opened.id)).toHaveLength(1);
    expect(await events(opened.id)).toHaveLength(2);
  });

  it('keeps an age when no date of birth is known, and only the date of birth when both are given', async () => {
    const a = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic A', age: '19' }, origin);
    const b = await openCase(
      ctx,
      navigator.actor,
      { chosenName: 'Synthetic B', age: 30, dateOfBirth: '2009-11-25' },
      origin,
    );
    const rows = await t.deps.db
      .selectFrom('cases')
      .select(['id', 'age_band', 'duplicate_index'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(rows.find((r) => r.id === a.id)).toMatchObject({ age_band: '18to24', duplicate_index: null });
    // Born 2009-11-25: 16 on 2026-11-24 (the day before the 17th birthday).
    expect(rows.find((r) => r.id === b.id)?.age_band).toBe('under18');
    expect((await getCase(ctx, navigator.actor, b.id, origin)).personal.age).toBeNull();
  });

  it('reports every problem with its field and writes nothing', async () => {
    const before = await t.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const r = await refusal(
      openCase(
        ctx,
        navigator.actor,
        {
          chosenName: '  ',
          dateOfBirth: '2027-01-01',
          age: 'seventeen',
          genderIdentity: ['not-a-code'],
          raceEthnicity: ['martian'],
          sexualOrientation: 'unknown_code',
          contactMethod: 'pigeon',
          countyFips: '99999',
          codeWord: 'x'.repeat(101),
        },
        origin,
      ),
    );
    expect(r.code).toBe('invalid');
    expect(r.fields).toEqual([
      'chosenName',
      'dateOfBirth',
      'age',
      'genderIdentity',
      'raceEthnicity',
      'sexualOrientation',
      'contactMethod',
      'codeWord',
    ]);
    expect(
      (await refusal(openCase(ctx, navigator.actor, { chosenName: 'X', dateOfBirth: '2010-02-30' }, origin)))
        .field,
    ).toBe('dateOfBirth');
    expect(
      (await refusal(openCase(ctx, navigator.actor, { chosenName: 'X', countyFips: '99999' }, origin))).field,
    ).toBe('countyFips');
    expect((await refusal(openCase(ctx, navigator.actor, { chosenName: 'X\u0007' }, origin))).field).toBe(
      'chosenName',
    );
    const after = await t.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('belongs to one of the opener’s regions; others cannot open cases at all', async () => {
    expect(await refusal(openCase(ctx, twoRegions.actor, { chosenName: 'X' }, origin))).toMatchObject({
      code: 'invalid',
      field: 'regionId',
    });
    expect(
      await refusal(openCase(ctx, navigator.actor, { chosenName: 'X', regionId: 'southeast' }, origin)),
    ).toMatchObject({ code: 'invalid', field: 'regionId' });
    const ok = await openCase(ctx, twoRegions.actor, { chosenName: 'X', regionId: 'southeast' }, origin);
    expect(ok.regionId).toBe('southeast');
    for (const who of [admin, professional])
      expect((await refusal(openCase(ctx, who.actor, { chosenName: 'X' }, origin))).code).toBe('forbidden');
    const noRegion = await addStaff(t.deps, 'navigator', []);
    expect((await refusal(openCase(ctx, noRegion.actor, { chosenName: 'X' }, origin))).code).toBe(
      'forbidden',
    );
  });
});

describe('who sees a case', () => {
  it('answers another region’s navigator exactly as for a missing case, and lets a state administrator read', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Hidden' }, origin);
    const missing = await refusal(getCase(ctx, southeast.actor, randomUUID(), origin));
    const hidden = await refusal(getCase(ctx, southeast.actor, id, origin));
    expect(hidden).toEqual(missing);
    expect(hidden.code).toBe('not_found');
    expect((await refusal(getCase(ctx, southeast.actor, 'not-a-uuid', origin))).code).toBe('not_found');
    expect(
      (await refusal(addNote(ctx, southeast.actor, id, { category: 'contact', body: 'x' }, origin))).code,
    ).toBe('not_found');
    expect(await audits('case.open', id)).toEqual([]);
    expect((await getCase(ctx, admin.actor, id, origin)).personal.chosenName).toBe('Synthetic Hidden');
    // A state administrator reads but does not change cases; a professional does neither.
    expect(
      (await refusal(addNote(ctx, admin.actor, id, { category: 'contact', body: 'x' }, origin))).code,
    ).toBe('forbidden');
    expect((await refusal(getCase(ctx, professional.actor, id, origin))).code).toBe('forbidden');
    // A token narrowed to another action is refused.
    const narrowed = { ...navigator.actor, tokenScopes: ['intake.read' as const] };
    expect((await refusal(getCase(ctx, narrowed, id, origin))).code).toBe('forbidden');
  });
});

describe('opening a case from a referral', () => {
  it('knows how the young person came in: themself for a self-referral, the referrer’s role when it is one of the doors', async () => {
    const doorOf = async (item: Parameters<typeof addItem>[1], input: { door?: string | null } = {}) => {
      const itemId = await addItem(t.deps, item);
      const opened = await openCase(ctx, navigator.actor, { intakeItemId: itemId, ...input }, origin);
      return (await getCase(ctx, navigator.actor, opened.id, origin)).personal.door;
    };
    const asRole = (role: string) => ({
      ...SYNTHETIC_PAYLOAD,
      referrer: { ...SYNTHETIC_PAYLOAD.referrer!, role },
    });
    expect(await doorOf({ kind: 'self_referral', payload: { ...SYNTHETIC_PAYLOAD, referrer: null } })).toBe(
      'youth_self',
    );
    expect(await doorOf({ kind: 'professional_referral', payload: asRole('law_enforcement') })).toBe(
      'law_enforcement',
    );
    expect(await doorOf({ kind: 'consultation', payload: asRole('mental_health') })).toBe('mental_health');
    // A role typed in words is not a door: not known, and the case still opens.
    expect(await doorOf({ kind: 'professional_referral' })).toBeNull();
    // What the navigator chose stands over the referral.
    expect(await doorOf({ kind: 'self_referral' }, { door: 'family_or_friend' })).toBe('family_or_friend');
    const itemId = await addItem(t.deps, { kind: 'self_referral' });
    expect((await referralDraft(ctx, navigator.actor, itemId, origin)).values.door).toBe('youth_self');
  });

  it('fills the details from the referral, links it, and closes it in the queue as connected to services', async () => {
    const itemId = await addItem(t.deps, { age: 16 });
    const draft = await referralDraft(ctx, navigator.actor, itemId, origin);
    expect(draft.values).toMatchObject({
      chosenName: 'Synthetic Youth',
      age: 16,
      contactMethod: 'text_message',
      contactValue: '555-0100',
      contactTimes: 'after school',
      codeWord: 'bluebird',
      languages: ['English'],
      countyFips: '27053',
    });
    expect(draft.existingCaseId).toBeNull();
    // Reading the referral for the form is the queue's audited open.
    expect(await audits('intake.open', itemId)).toHaveLength(1);

    const opened = await openCase(
      ctx,
      navigator.actor,
      { intakeItemId: itemId, pronouns: 'she/her' },
      origin,
    );
    const detail = await getCase(ctx, navigator.actor, opened.id, origin);
    expect(detail.intakeItemId).toBe(itemId);
    expect(detail.personal).toMatchObject({
      chosenName: 'Synthetic Youth',
      age: 16,
      pronouns: 'she/her',
      safeContact: { method: 'text_message', value: '555-0100', times: 'after school', codeWord: 'bluebird' },
    });
    const item = await t.deps.db
      .selectFrom('intake_items')
      .select(['status', 'outcome', 'claimed_by', 'closed_at'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      status: 'closed',
      outcome: 'connected_to_services',
      claimed_by: navigator.id,
    });
    const itemEvents = await t.deps.db
      .selectFrom('intake_events')
      .select(['event', 'detail'])
      .where('item_id', '=', itemId)
      .where('event', '=', 'case_opened')
      .execute();
    expect(itemEvents).toEqual([{ event: 'case_opened', detail: { case: opened.id, status: 'closed' } }]);
    expect(await audits('intake.case_opened', itemId)).toHaveLength(1);
    expect((await events(opened.id))[0]).toMatchObject({
      event: 'case.opened',
      detail: { intake_item: itemId },
    });

    // Once only; the draft then points at the case.
    expect((await refusal(openCase(ctx, colleague.actor, { intakeItemId: itemId }, origin))).code).toBe(
      'conflict',
    );
    expect((await referralDraft(ctx, colleague.actor, itemId, origin)).existingCaseId).toBe(opened.id);
  });

  it('refuses a referral claimed by someone else, of another region, or from another region’s form', async () => {
    const claimed = await addItem(t.deps);
    await t.deps.db
      .updateTable('intake_items')
      .set({ status: 'claimed', claimed_by: colleague.id, claimed_at: NOW })
      .where('id', '=', claimed)
      .execute();
    expect((await refusal(openCase(ctx, navigator.actor, { intakeItemId: claimed }, origin))).code).toBe(
      'conflict',
    );
    expect((await referralDraft(ctx, navigator.actor, claimed, origin)).claimedByOther).toBe(true);
    const theirs = await openCase(ctx, colleague.actor, { intakeItemId: claimed }, origin);
    expect(theirs.regionId).toBe('west-metro');

    const elsewhere = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109' });
    expect(await refusal(openCase(ctx, navigator.actor, { intakeItemId: elsewhere }, origin))).toMatchObject({
      code: 'invalid',
      field: 'intakeItemId',
    });
    expect(
      await refusal(openCase(ctx, navigator.actor, { intakeItemId: 'nonsense', chosenName: 'X' }, origin)),
    ).toMatchObject({ code: 'invalid', field: 'intakeItemId' });
    const consultation = await addItem(t.deps, {
      kind: 'consultation',
      payload: {
        youth: unnamedYouth(null),
        referrer: null,
        observed: null,
        screening: null,
      },
    });
    // Nothing to fill the name from: the form must give it.
    expect(
      await refusal(openCase(ctx, navigator.actor, { intakeItemId: consultation }, origin)),
    ).toMatchObject({
      code: 'invalid',
      field: 'chosenName',
    });
    const named = await openCase(
      ctx,
      navigator.actor,
      { intakeItemId: consultation, chosenName: 'Synthetic Named' },
      origin,
    );
    expect((await getCase(ctx, navigator.actor, named.id, origin)).personal.chosenName).toBe(
      'Synthetic Named',
    );
  });

  it('carries what was observed, the referrer and the screening into the case, with the pathway’s tasks once, linked both ways', async () => {
    const withPathway: CaseServiceContext = { ...ctx, pathway: t.deps.rules.pathway };
    const received = new Date('2026-11-23T15:00:00Z');
    const itemId = await addItem(t.deps, {
      createdAt: received,
      payload: {
        ...SYNTHETIC_PAYLOAD,
        referrer: { ...SYNTHETIC_PAYLOAD.referrer!, role: 'education' },
        observed: 'Synthetic: seen leaving school with an older stranger.',
        screening: {
          instrument: { id: 'synthetic-screen', version: '1' },
          answers: [{ itemId: 'exchange', question: 'Was anything given in exchange?', answer: 'Yes' }],
          facts: { reporterRole: 'education', age: 15, exchangeForValue: 'yes', thirdPartyProfit: 'unknown' },
        },
      },
    });
    const opened = await openCase(withPathway, navigator.actor, { intakeItemId: itemId }, origin);

    // What was observed, who referred (role in words) and the screening's answers: the case's first note.
    const detail = await getCase(withPathway, navigator.actor, opened.id, origin);
    expect(detail.notes).toHaveLength(1);
    const note = detail.notes[0]!;
    expect(note.category).toBe('intake');
    expect(labelOf(t.deps.rules.vocabularies, 'noteCategories', note.category)).toBe('From the referral');
    expect(note.body).toContain('Synthetic: seen leaving school with an older stranger.');
    expect(note.body).toContain('Name: Synthetic Referrer');
    expect(note.body).toContain('Role: School or education');
    expect(note.body).toContain('Phone: 555-0199');
    expect(note.body).toContain('Email: referrer@example.org');
    expect(note.body).toContain('- Was anything given in exchange?: Yes');
    // Sealed under the case's key: the stored bytes do not hold the text.
    const stored = await t.deps.db
      .selectFrom('case_notes')
      .select('body_encrypted')
      .where('case_id', '=', opened.id)
      .executeTakeFirstOrThrow();
    expect(stored.body_encrypted.toString('latin1')).not.toContain('older stranger');

    // The pathway's tasks for those facts, due from when the referral was received, given to the opener.
    const tasks = () =>
      t.deps.db
        .selectFrom('tasks')
        .select(['source', 'source_ref', 'due_at', 'assignee_user_id'])
        .where('case_id', '=', opened.id)
        .orderBy('source_ref')
        .execute();
    const first = await tasks();
    expect(first.map((x) => x.source_ref)).toEqual(['REPORT_CHILD_PROTECTION', 'WRITTEN_REPORT_72H']);
    expect(first.every((x) => x.source === 'pathway' && x.assignee_user_id === navigator.id)).toBe(true);
    expect(first[0]!.due_at.toISOString()).toBe('2026-11-24T15:00:00.000Z');

    // Audited with ids and codes only; the timeline says a note and the tasks were added.
    const [audit] = await audits('case.create', opened.id);
    expect(audit!.details).toMatchObject({
      intake_item: itemId,
      referral_note: note.id,
      pathway_codes: ['REPORT_CHILD_PROTECTION', 'WRITTEN_REPORT_72H'],
    });
    expect(JSON.stringify(audit!.details)).not.toContain('stranger');
    const timeline = (await events(opened.id)).map((e) => e.event);
    expect(timeline.filter((e) => e === 'note.added')).toHaveLength(1);
    expect(timeline.filter((e) => e === 'task.created')).toHaveLength(2);

    // Trying again adds nothing: the referral has its case, and the tasks are not made twice.
    expect(
      (await refusal(openCase(withPathway, navigator.actor, { intakeItemId: itemId }, origin))).code,
    ).toBe('conflict');
    expect(await tasks()).toEqual(first);
    expect(
      await t.deps.db.selectFrom('case_notes').select('id').where('case_id', '=', opened.id).execute(),
    ).toHaveLength(1);

    // Linked both ways: the case names its referral (which its navigator may open), the referral its case.
    expect(detail).toMatchObject({ intakeItemId: itemId, intakeItemVisible: true });
    const caseOpened = await t.deps.db
      .selectFrom('intake_events')
      .select('detail')
      .where('item_id', '=', itemId)
      .where('event', '=', 'case_opened')
      .executeTakeFirstOrThrow();
    expect(caseOpened.detail).toMatchObject({ case: opened.id });
    // A state administrator may open the referral too; another region's navigator sees neither.
    expect((await getCase(withPathway, admin.actor, opened.id, origin)).intakeItemVisible).toBe(true);
    expect((await refusal(getCase(withPathway, southeast.actor, opened.id, origin))).code).toBe('not_found');
  });

  it('opens from a referral with screening facts in one transaction: a failure leaves no case, note or task', async () => {
    const itemId = await addItem(t.deps, {
      payload: {
        ...SYNTHETIC_PAYLOAD,
        screening: {
          instrument: { id: 'synthetic-screen', version: '1' },
          answers: [],
          facts: { reporterRole: 'education', age: 15, exchangeForValue: 'yes', thirdPartyProfit: 'unknown' },
        },
      },
    });
    // Without the pathway's rules the tasks cannot be made: nothing of the opening stays.
    await expect(openCase(ctx, navigator.actor, { intakeItemId: itemId }, origin)).rejects.toThrow(/pathway/);
    expect(
      await t.deps.db.selectFrom('cases').select('id').where('intake_item_id', '=', itemId).execute(),
    ).toHaveLength(0);
    const item = await t.deps.db
      .selectFrom('intake_items')
      .select('status')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(item.status).toBe('new');
    const opened = await openCase(
      { ...ctx, pathway: t.deps.rules.pathway },
      navigator.actor,
      { intakeItemId: itemId },
      origin,
    );
    expect(
      await t.deps.db.selectFrom('tasks').select('id').where('case_id', '=', opened.id).execute(),
    ).toHaveLength(2);
  });

  it('lets only one of two simultaneous openings from one referral win', async () => {
    const itemId = await addItem(t.deps);
    const results = await Promise.allSettled([
      openCase(ctx, navigator.actor, { intakeItemId: itemId }, origin),
      openCase(ctx, navigator.actor, { intakeItemId: itemId }, origin),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as ServiceError).code).toBe('conflict');
  });
});

describe('changing a case', () => {
  it('updates details (fields named in the timeline, not their values), refusing a stale form', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Before', age: 15 }, origin);
    const before = await getCase(ctx, navigator.actor, id, origin);
    const later = { ...ctx, now: () => new Date(NOW.getTime() + 60_000) };
    const result = await updateCaseDetails(
      later,
      navigator.actor,
      id,
      {
        chosenName: 'Synthetic After',
        dateOfBirth: '2004-01-01',
        languages: ['Somali'],
        version: versionOf(before.updatedAt),
      },
      origin,
    );
    expect(result.changed).toEqual(['chosenName', 'dateOfBirth', 'age', 'languages']);
    const after = await getCase(ctx, navigator.actor, id, origin);
    expect(after.personal).toMatchObject({
      chosenName: 'Synthetic After',
      dateOfBirth: '2004-01-01',
      age: null,
    });
    expect(after.ageBand).toBe('18to24');
    const ev = (await events(id)).at(-1)!;
    expect(ev).toMatchObject({
      event: 'case.details_updated',
      detail: { fields: ['chosenName', 'dateOfBirth', 'age', 'languages'] },
    });
    expect(JSON.stringify(ev)).not.toContain('Synthetic After');
    const audit = (await audits('case.update', id))[0]!;
    expect(JSON.stringify(audit)).not.toContain('Synthetic');
    expect(
      (
        await refusal(
          updateCaseDetails(
            ctx,
            colleague.actor,
            id,
            { chosenName: 'Synthetic Stale', version: versionOf(before.updatedAt) },
            origin,
          ),
        )
      ).code,
    ).toBe('conflict');
  });

  it('assigns navigators of the case’s region only, tells them, and ends assignments', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Assign' }, origin);
    expect((await regionNavigators(ctx, 'west-metro')).map((p) => p.name)).toEqual(
      expect.arrayContaining(['Synthetic Colleague', 'Synthetic Navigator', 'Synthetic Two']),
    );
    expect((await regionNavigators(ctx, 'west-metro')).map((p) => p.name)).not.toContain(
      'Synthetic Southeast',
    );
    for (const wrong of [southeast.id, admin.id, randomUUID(), 'x'])
      expect(await refusal(assignNavigator(ctx, navigator.actor, id, wrong, origin))).toMatchObject({
        code: 'invalid',
        field: 'userId',
      });
    await assignNavigator(ctx, navigator.actor, id, colleague.id, origin);
    expect((await refusal(assignNavigator(ctx, navigator.actor, id, colleague.id, origin))).code).toBe(
      'conflict',
    );
    const note = await t.deps.db
      .selectFrom('staff_notifications')
      .select(['text', 'link'])
      .where('user_id', '=', colleague.id)
      .where('kind', '=', 'case_assigned')
      .executeTakeFirstOrThrow();
    expect(note).toEqual({ text: 'A case in West Metro was assigned to you', link: `/staff/cases/${id}` });
    await unassignNavigator(ctx, navigator.actor, id, navigator.id, origin);
    expect((await refusal(unassignNavigator(ctx, navigator.actor, id, navigator.id, origin))).code).toBe(
      'conflict',
    );
    expect((await getCase(ctx, navigator.actor, id, origin)).assigned.map((a) => a.userId)).toEqual([
      colleague.id,
    ]);
    expect((await events(id)).map((e) => e.event)).toEqual([
      'case.opened',
      'navigator.assigned',
      'navigator.assigned',
      'navigator.unassigned',
    ]);
  });

  it('keeps notes encrypted with a category, and services delivered with a date', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Notes' }, origin);
    expect(
      await refusal(addNote(ctx, navigator.actor, id, { category: 'gossip', body: '' }, origin)),
    ).toMatchObject({ fields: ['category', 'body'] });
    const noteId = await addNote(
      ctx,
      navigator.actor,
      id,
      { category: 'contact', body: '  Synthetic note: met at the library.\nAll well.  ' },
      origin,
    );
    const stored = await t.deps.db
      .selectFrom('case_notes')
      .select(['body_encrypted', 'category', 'author_id'])
      .where('id', '=', noteId)
      .executeTakeFirstOrThrow();
    expect(stored.body_encrypted.toString('latin1')).not.toContain('library');
    expect(
      await refusal(recordService(ctx, navigator.actor, id, { serviceCode: 'teleport' }, origin)),
    ).toMatchObject({ field: 'serviceCode' });
    expect(
      await refusal(
        recordService(
          ctx,
          navigator.actor,
          id,
          { serviceCode: 'mental_health', deliveredOn: '2026-11-25' },
          origin,
        ),
      ),
    ).toMatchObject({ field: 'deliveredOn' });
    await recordService(
      ctx,
      navigator.actor,
      id,
      { serviceCode: 'mental_health', deliveredOn: '2026-11-20' },
      origin,
    );
    await recordService(ctx, navigator.actor, id, { serviceCode: 'emergency_shelter' }, origin);
    const detail = await getCase(ctx, navigator.actor, id, origin);
    expect(detail.notes).toMatchObject([
      {
        category: 'contact',
        body: 'Synthetic note: met at the library.\nAll well.',
        author: { userId: navigator.id },
      },
    ]);
    expect(detail.services.map((s) => [s.serviceCode, s.deliveredOn])).toEqual([
      ['emergency_shelter', '2026-11-24'],
      ['mental_health', '2026-11-20'],
    ]);
    expect(detail.timeline.map((e) => e.event)).toEqual([
      'service.recorded',
      'service.recorded',
      'note.added',
      'navigator.assigned',
      'case.opened',
    ]);
    expect(JSON.stringify(await audits('case.note.add', id))).not.toContain('library');
  });

  it('closes with reason, housing and survey, sets the purge date, refuses changes, and reopens', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Close' }, origin);
    expect(await refusal(closeCase(ctx, navigator.actor, id, { feelsSafer: 'maybe' }, origin))).toMatchObject(
      {
        fields: ['reason', 'exitHousing', 'feelsSafer'],
      },
    );
    const closed = await closeCase(
      ctx,
      navigator.actor,
      id,
      { reason: 'goals_met', exitHousing: 'with_family', feelsSafer: 'yes', moreHopeful: 'unsure' },
      origin,
    );
    expect(closed.purgeAfter.toISOString()).toBe('2026-12-24T15:00:00.000Z');
    const row = await caseRow(id);
    expect(row).toMatchObject({
      status: 'closed',
      closed_by: navigator.id,
      close_reason: 'goals_met',
      exit_housing: 'with_family',
      survey_feels_safer: 'yes',
      survey_more_hopeful: 'unsure',
      survey_knows_where_help: 'not_asked',
    });
    expect(row.closed_at?.toISOString()).toBe(NOW.toISOString());
    expect(
      (await refusal(addNote(ctx, navigator.actor, id, { category: 'contact', body: 'x' }, origin))).code,
    ).toBe('conflict');
    expect(
      (
        await refusal(
          closeCase(ctx, navigator.actor, id, { reason: 'other', exitHousing: 'unknown' }, origin),
        )
      ).code,
    ).toBe('conflict');
    await reopenCase(ctx, colleague.actor, id, origin);
    expect((await refusal(reopenCase(ctx, colleague.actor, id, origin))).code).toBe('conflict');
    const reopened = await caseRow(id);
    expect(reopened).toMatchObject({
      status: 'open',
      closed_at: null,
      purge_after: null,
      close_reason: null,
    });
    expect((await events(id)).slice(-2)).toMatchObject([
      {
        event: 'case.closed',
        detail: { reason: 'goals_met', exit_housing: 'with_family', survey_answered: true },
      },
      { event: 'case.reopened', detail: { previous_reason: 'goals_met' } },
    ]);
    // A purged case is gone: it cannot be reopened or read.
    await closeCase(ctx, navigator.actor, id, { reason: 'lost_contact', exitHousing: 'unknown' }, origin);
    await t.deps.db.updateTable('cases').set({ purged_at: NOW }).where('id', '=', id).execute();
    expect((await refusal(reopenCase(ctx, navigator.actor, id, origin))).code).toBe('not_found');
    expect((await refusal(getCase(ctx, navigator.actor, id, origin))).code).toBe('not_found');
  });

  it('pages the timeline newest first', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Timeline' }, origin);
    for (let i = 0; i < 5; i++)
      await addNote(ctx, navigator.actor, id, { category: 'other', body: `Synthetic ${i}` }, origin);
    const first = await listTimeline(ctx, navigator.actor, id, { limit: 3 });
    expect(first.entries).toHaveLength(3);
    const second = await listTimeline(ctx, navigator.actor, id, { limit: 3, before: first.next });
    expect(second.entries.map((e) => e.event)).toEqual(['note.added', 'note.added', 'navigator.assigned']);
    const third = await listTimeline(ctx, navigator.actor, id, { limit: 3, before: second.next });
    expect(third.entries.map((e) => e.event)).toEqual(['case.opened']);
    expect(third.next).toBeNull();
    expect((await refusal(listTimeline(ctx, navigator.actor, id, { before: 'x' }))).code).toBe('invalid');
    expect((await refusal(listTimeline(ctx, southeast.actor, id))).code).toBe('not_found');
  });
});

describe('possible duplicates across regions', () => {
  it('tells only the names of other regions with the same normalised name and date of birth', async () => {
    const west = await openCase(
      ctx,
      navigator.actor,
      { chosenName: 'Synthetic  Jordan', dateOfBirth: '2009-05-05' },
      origin,
    );
    expect(west.possibleDuplicateRegions).toEqual([]);
    await openCase(
      ctx,
      navigator.actor,
      { chosenName: 'synthetic jordan', dateOfBirth: '2009-05-05' },
      origin,
    );
    const se = await openCase(
      ctx,
      southeast.actor,
      { chosenName: 'SYNTHETIC JORDAN ', dateOfBirth: '2009-05-05' },
      origin,
    );
    expect(se.possibleDuplicateRegions).toEqual(['West Metro']);
    // A different date of birth, or none, is no match.
    await openCase(
      ctx,
      southeast.actor,
      { chosenName: 'Synthetic Jordan', dateOfBirth: '2009-05-06' },
      origin,
    );
    await openCase(ctx, southeast.actor, { chosenName: 'Synthetic Jordan', age: 17 }, origin);
    expect(await possibleDuplicates(ctx, navigator.actor, west.id, origin)).toEqual(['Southeast']);
    expect((await getCase(ctx, navigator.actor, west.id, origin)).possibleDuplicateRegions).toEqual([
      'Southeast',
    ]);
    const audit = (await audits('case.duplicates', west.id))[0]!;
    expect(audit.details).toEqual({ case: west.id, region: 'west-metro', possible_matches_in_regions: 1 });
    // A purged case matches nothing any more.
    await t.deps.db
      .updateTable('cases')
      .set({ status: 'closed', closed_at: NOW, purged_at: NOW })
      .where('id', '=', se.id)
      .execute();
    expect(await possibleDuplicates(ctx, navigator.actor, west.id, origin)).toEqual([]);
    // Changing the name or date of birth recomputes the index.
    const other = await openCase(
      ctx,
      southeast.actor,
      { chosenName: 'Synthetic Other', dateOfBirth: '2009-05-05' },
      origin,
    );
    expect(other.possibleDuplicateRegions).toEqual([]);
    const updated = await updateCaseDetails(
      ctx,
      southeast.actor,
      other.id,
      { chosenName: 'Synthetic Jordan', dateOfBirth: '2009-05-05' },
      origin,
    );
    expect(updated.possibleDuplicateRegions).toEqual(['West Metro']);
  });
});

describe('the dashboard lists', () => {
  it('lists my open cases, my regions’ open and closed cases, page by page, audited with the ids shown', async () => {
    const person = await addStaff(t.deps, 'navigator', ['northwest'], { name: 'Synthetic Northwest' });
    const mate = await addStaff(t.deps, 'navigator', ['northwest'], { name: 'Synthetic Mate' });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const at = new Date(NOW.getTime() + i * 60_000);
      const { id } = await openCase(
        { ...ctx, now: () => at },
        person.actor,
        { chosenName: `Synthetic NW ${i}` },
        origin,
      );
      ids.push(id);
    }
    const { id: matesCase } = await openCase(ctx, mate.actor, { chosenName: 'Synthetic Mate Case' }, origin);
    await closeCase(ctx, person.actor, ids[0]!, { reason: 'goals_met', exitHousing: 'own_place' }, origin);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await listCases(ctx, person.actor, { view: 'mine', after, limit: 4 }, origin);
      expect(page.total).toBe(6);
      seen.push(...page.cases.map((c) => c.id));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toEqual(ids.slice(1).reverse());

    const open = await listCases(ctx, person.actor, { view: 'open' }, origin);
    expect(open.cases.map((c) => c.id)).toEqual([...ids.slice(1).reverse(), matesCase]);
    expect(open.cases[0]).toMatchObject({
      chosenName: 'Synthetic NW 6',
      regionName: 'Northwest',
      status: 'open',
    });
    expect(open.cases.find((c) => c.id === matesCase)?.assigned.map((a) => a.name)).toEqual([
      'Synthetic Mate',
    ]);
    const closed = await listCases(ctx, person.actor, { view: 'closed' }, origin);
    expect(closed.cases.map((c) => c.id)).toEqual([ids[0]]);

    // Nothing of another region; a region filter outside mine is refused.
    const theirs = await listCases(ctx, navigator.actor, { view: 'open' }, origin);
    expect(theirs.cases.map((c) => c.id)).not.toContain(ids[1]);
    expect(
      await refusal(listCases(ctx, navigator.actor, { view: 'open', region: 'northwest' }, origin)),
    ).toMatchObject({ field: 'region' });
    expect((await refusal(listCases(ctx, navigator.actor, { after: 'x' }, origin))).field).toBe('after');
    const everyRegion = await listCases(ctx, admin.actor, { view: 'open', region: 'northwest' }, origin);
    expect(everyRegion.total).toBe(7);

    const audit = (await audits('case.list')).filter((a) => a.actor_user_id === person.id);
    expect(audit[0]?.details).toEqual({ view: 'mine', cases: ids.slice(3).reverse() });
    expect(JSON.stringify(audit)).not.toContain('Synthetic NW');
  });

  it('stays fast at 20,000 cases: a page is read from an index and only its rows are decrypted', async () => {
    const person = await addStaff(t.deps, 'navigator', ['southwest'], { name: 'Synthetic Southwest' });
    // 20,000 older cases written straight into the table (their personal field is a placeholder that is
    // never decrypted), then a page's worth of real ones on top.
    await sql`
      insert into cases (id, jurisdiction, region_id, status, age_band, personal_encrypted, opened_at, updated_at,
        closed_at)
      select gen_random_uuid(), 'mn', (array['southwest','west-metro','southeast','northwest'])[1 + g % 4],
        case when g % 5 = 0 then 'closed' else 'open' end, 'under18', '\\x01'::bytea,
        ${NOW}::timestamptz - make_interval(mins => g), ${NOW}::timestamptz - make_interval(mins => g),
        case when g % 5 = 0 then ${NOW}::timestamptz - make_interval(mins => g) end
      from generate_series(1, 20000) g`.execute(t.deps.db);
    await sql`insert into case_assignments (case_id, user_id, assigned_at)
      select id, ${person.id}::uuid, opened_at from cases where region_id = 'southwest' and status = 'open'`.execute(
      t.deps.db,
    );
    await sql`analyze cases`.execute(t.deps.db);
    await sql`analyze case_assignments`.execute(t.deps.db);
    const later = new Date(NOW.getTime() + 3_600_000);
    for (let i = 0; i < 25; i++)
      await openCase({ ...ctx, now: () => later }, person.actor, { chosenName: `Synthetic SW ${i}` }, origin);

    const started = performance.now();
    const first = await listCases(ctx, person.actor, { view: 'open' }, origin);
    const second = await listCases(ctx, person.actor, { view: 'open', after: first.next }, origin);
    const mine = await listCases(ctx, person.actor, { view: 'mine' }, origin);
    const closed = await listCases(ctx, person.actor, { view: 'closed' }, origin);
    const everywhere = await listCases(ctx, admin.actor, { view: 'open' }, origin);
    const elapsed = performance.now() - started;
    expect(first.cases.every((c) => c.chosenName?.startsWith('Synthetic SW'))).toBe(true);
    expect(second.cases).toHaveLength(25);
    expect(second.cases.every((c) => c.chosenName === null)).toBe(true);
    // 4,025 match: counted up to the cap, and said to be more.
    expect([first.total, first.totalCapped]).toEqual([1000, true]);
    expect([mine.total, mine.totalCapped]).toEqual([1000, true]);
    const fewer = await listCases(ctx, person.actor, { view: 'open', q: 'Synthetic SW 1' }, origin);
    expect([fewer.total, fewer.totalCapped]).toEqual([1, false]);
    expect(closed.cases).toHaveLength(25);
    expect(everywhere.cases).toHaveLength(25);
    expect(elapsed).toBeLessThan(3000);

    const plan = async (query: string) =>
      (await sql.raw<{ 'QUERY PLAN': string }>(`explain ${query}`).execute(t.deps.db)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const open = await plan(
      `select id from cases c where status = 'open' and purged_at is null and region_id in ('southwest')
       order by opened_at desc, id desc limit 26`,
    );
    expect(open).toMatch(/Index (Only )?Scan using cases_(region_open|open_recent)/);
    expect(open).not.toMatch(/Seq Scan/);
    const all = await plan(
      `select id from cases c where status = 'open' and purged_at is null order by opened_at desc, id desc limit 26`,
    );
    expect(all).toMatch(/Index (Only )?Scan using cases_open_recent/);
    expect(all).not.toMatch(/Seq Scan/);
    const closedPlan = await plan(
      `select id from cases c where status = 'closed' and purged_at is null and region_id in ('southwest')
       order by closed_at desc, id desc limit 26`,
    );
    expect(closedPlan).toMatch(/Index (Only )?Scan using cases_region_closed/);
    expect(closedPlan).not.toMatch(/Seq Scan/);
  }, 60_000);
});
