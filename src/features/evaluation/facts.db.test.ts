/**
 * The evaluation's reporting facts against a database: a case opened, edited, served, referred and
 * closed gives exactly the expected codes, Minnesota days and numbers; nothing in the facts is a name, a
 * case id or a referral id; the timeline's trigger marks a case stale; a purged case keeps its facts;
 * the same young person in two regions is one `person`; and the job drains the waiting cases in
 * batches. Synthetic data only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { runNwd } from '../../../test/cli.ts';
import { freshDatabase } from '../../../test/db.ts';
import { addCaseTeam, type TestStaff } from '../../../test/staff.ts';
import { blindIndex } from '../../platform/crypto/index.ts';
import { caseContext, caseScope, recordCaseEvent } from '../cases/index.ts';
import {
  addNote,
  closeCase,
  openCase,
  recordService,
  updateCaseDetails,
  type CaseServiceContext,
} from '../cases/service.ts';
import { addCase, addReferral, addReferralNetwork, type ReferralNetwork } from '../referrals/testing.ts';
import type { ReferralStatus } from '../cases/index.ts';
import { refreshFactsCommand } from './cli.ts';
import { REPORT_SUBJECT_PURPOSE, refreshCaseFacts, refreshStaleFacts, type FactsContext } from './facts.ts';
import { drainStaleFacts, evaluationFactsJob, rebuildAllFacts } from './jobs.ts';

let t: TestApp;
let facts: FactsContext;
let navigator: TestStaff;
let southeast: TestStaff;
let net: ReferralNetwork;
const origin = { ip: '192.0.2.30', userAgent: 'vitest' };
/** 22:30 on 2 November 2026 in Minnesota (already 3 November in UTC). */
const OPENED = new Date('2026-11-03T04:30:00Z');
/** 21:00 on 23 November 2026 in Minnesota. */
const CLOSED = new Date('2026-11-24T03:00:00Z');
const HOUR = 3_600_000;

const casesAt = (now: Date): CaseServiceContext => ({ ...caseContext(t.deps), now: () => now });

const subjectOf = async (id: string) =>
  blindIndex(await t.deps.keyring.indexKeyFor(REPORT_SUBJECT_PURPOSE), id);

const youthOf = async (caseId: string) =>
  t.deps.db
    .selectFrom('report_youth')
    .selectAll()
    .where('subject', '=', await subjectOf(caseId))
    .executeTakeFirst();

const stale = async () =>
  (await t.deps.db.selectFrom('report_stale').select('case_id').execute()).map((r) => r.case_id);

/** A referral at a status, sent `sentHoursAgo` before closing, answered `answeredAfterHours` later. */
async function referral(
  caseId: string,
  to: string,
  status: ReferralStatus,
  history: ReferralStatus[],
  options: { sentAt?: Date; answeredAfterHours?: number; reason?: string } = {},
): Promise<string> {
  const sentAt = options.sentAt ?? new Date(OPENED.getTime() + 24 * HOUR);
  const id = await addReferral(t.deps.db, {
    caseId,
    toOrganizationId: to,
    createdBy: navigator.actor.userId,
    status,
    sentAt: status === 'draft' ? null : sentAt,
  });
  const respondedAt =
    options.answeredAfterHours === undefined
      ? null
      : new Date(sentAt.getTime() + options.answeredAfterHours * HOUR);
  await t.deps.db
    .updateTable('referrals')
    .set({ responded_at: respondedAt, status_reason: options.reason ?? null })
    .where('id', '=', id)
    .execute();
  let from: ReferralStatus = 'sent';
  for (const to of history) {
    await t.deps.db
      .insertInto('referral_transitions')
      .values({ referral_id: id, from_status: from, to_status: to, reason: null, at: respondedAt ?? sentAt })
      .execute();
    from = to;
  }
  return id;
}

beforeAll(async () => {
  t = await testApp();
  facts = {
    db: t.deps.db,
    keyring: t.deps.keyring,
    calendar: t.deps.rules.calendar,
    vocabularies: t.deps.rules.vocabularies,
  };
  ({ navigator, southeast } = await addCaseTeam(t.deps));
  net = await addReferralNetwork(t.deps);
});
afterAll(async () => {
  await t.close();
});

describe('the facts of one case', () => {
  let caseId: string;
  const referralIds: string[] = [];

  it('hold exactly the codes, Minnesota days and numbers of a case opened, edited, served, referred and closed', async () => {
    const opened = await openCase(
      casesAt(OPENED),
      navigator.actor,
      {
        chosenName: 'Synthetic Juniper',
        legalName: 'Synthetic Juniper Legalname',
        dateOfBirth: '2008-11-03',
        countyFips: '27053',
      },
      origin,
    );
    caseId = opened.id;
    const later = casesAt(new Date(OPENED.getTime() + 2 * HOUR));
    await updateCaseDetails(
      later,
      navigator.actor,
      caseId,
      {
        chosenName: 'Synthetic Juniper',
        legalName: 'Synthetic Juniper Legalname',
        dateOfBirth: '2008-11-03',
        countyFips: '27053',
        raceEthnicity: ['white', 'asian'],
        genderIdentity: ['female'],
        tribalAffiliation: 'Synthetic Nation',
        door: 'education',
        exploitation: ['sex_trafficking', 'labor_trafficking'],
        entryHousing: 'with_friends',
      },
      origin,
    );
    await recordService(
      later,
      navigator.actor,
      caseId,
      { serviceCode: 'emergency_shelter', deliveredOn: '2026-11-03' },
      origin,
    );
    await recordService(later, navigator.actor, caseId, { serviceCode: 'basic_needs' }, origin);
    referralIds.push(
      // Accepted, served and completed: answered in a day and a half.
      await referral(caseId, net.shelterOrg, 'completed', ['accepted', 'in_service', 'completed'], {
        answeredAfterHours: 36,
      }),
      // Declined for a reason of the pack's list, in six hours.
      await referral(caseId, net.clinicOrg, 'declined', ['declined'], {
        answeredAfterHours: 6,
        reason: 'no_capacity',
      }),
      // Declined for a reason the list does not have: counted as "other".
      await referral(caseId, net.clinicOrg, 'declined', ['declined'], {
        answeredAfterHours: 1,
        reason: 'an_old_reason',
      }),
      // Accepted, then closed: still accepted.
      await referral(caseId, net.hostOrg, 'closed', ['accepted', 'closed'], { answeredAfterHours: 2 }),
      // Not answered.
      await referral(caseId, net.clinicOrg, 'sent', []),
    );
    const draft = await referral(caseId, net.shelterOrg, 'draft', []);
    await closeCase(
      casesAt(CLOSED),
      navigator.actor,
      caseId,
      {
        reason: 'goals_met',
        exitHousing: 'transitional_supportive',
        feelsSafer: 'yes',
        moreHopeful: 'unsure',
        knowsWhereHelp: 'no',
      },
      origin,
    );
    expect(await stale()).toContain(caseId);
    expect(await refreshStaleFacts(facts, 50)).toBeGreaterThanOrEqual(1);
    expect(await stale()).not.toContain(caseId);

    const subject = await subjectOf(caseId);
    const youth = await youthOf(caseId);
    expect(youth).toBeDefined();
    const { refreshed_at: refreshedAt, person, organizations, ...rest } = youth!;
    expect(refreshedAt).toBeInstanceOf(Date);
    // Known date of birth: the person is the keyed hash of the duplicate index, not the subject.
    expect(person).toMatch(/^[0-9a-f]{32}$/);
    expect(person).not.toBe(subject);
    expect([...organizations].sort()).toEqual([net.shelterOrg, net.hostOrg].sort());
    expect(rest).toEqual({
      subject,
      jurisdiction: 'mn',
      region_id: 'west-metro',
      county_fips: '27053',
      age_band: 'under18',
      // 17 on 2 November in Minnesota (18 on the UTC day).
      age_at_entry: 17,
      genders: ['female'],
      races: ['white', 'asian'],
      tribal: true,
      door: 'education',
      exploitation: ['sex_trafficking', 'labor_trafficking'],
      entry_housing: 'with_friends',
      exit_housing: 'transitional_supportive',
      opened_on: '2026-11-02',
      closed_on: '2026-11-23',
      close_reason: 'goals_met',
      survey_feels_safer: 'yes',
      survey_more_hopeful: 'unsure',
      survey_knows_where_help: 'no',
    });

    const services = await t.deps.db
      .selectFrom('report_services')
      .select(['service_code', 'delivered_on'])
      .where('subject', '=', subject)
      .orderBy('service_code')
      .execute();
    // A service recorded without a day is of the Minnesota day it was recorded on.
    expect(services).toEqual([
      { service_code: 'basic_needs', delivered_on: '2026-11-03' },
      { service_code: 'emergency_shelter', delivered_on: '2026-11-03' },
    ]);

    const referrals = await t.deps.db
      .selectFrom('report_referrals')
      .selectAll()
      .where('subject', '=', subject)
      .execute();
    const byReferral = new Map(referrals.map((r) => [r.referral, r]));
    const key = await t.deps.keyring.indexKeyFor(REPORT_SUBJECT_PURPOSE);
    expect(byReferral.has(blindIndex(key, draft))).toBe(false);
    const expected = [
      [net.shelterOrg, 'completed', true, true, '1.50', null],
      [net.clinicOrg, 'declined', false, false, '0.25', 'no_capacity'],
      [net.clinicOrg, 'declined', false, false, '0.04', 'other'],
      [net.hostOrg, 'closed', true, false, '0.08', null],
      [net.clinicOrg, 'sent', false, false, null, null],
    ];
    expect(referrals).toHaveLength(expected.length);
    referralIds.forEach((id, i) => {
      const [org, status, accepted, completed, days, reason] = expected[i]!;
      expect(byReferral.get(blindIndex(key, id))).toEqual({
        referral: blindIndex(key, id),
        subject,
        to_organization_id: org,
        service_type: 'emergency_shelter',
        status,
        // Sent at 22:30 on 3 November in Minnesota.
        sent_on: '2026-11-03',
        accepted,
        completed,
        days_to_answer: days,
        decline_reason: reason,
      });
    });
  });

  it('hold no name, case id or referral id in any column', async () => {
    const rows = await sql<{ row: string }>`
      select y::text as row from report_youth y
      union all select s::text from report_services s
      union all select r::text from report_referrals r`.execute(t.deps.db);
    expect(rows.rows.length).toBeGreaterThan(5);
    const all = rows.rows.map((r) => r.row.toLowerCase()).join('\n');
    for (const secret of ['juniper', 'legalname', 'synthetic nation', caseId, ...referralIds])
      expect(all).not.toContain(secret.toLowerCase());
    // Nor does a log line.
    expect(t.logLines.join('\n')).not.toContain('Juniper');
  });

  it('are written again, the same, when refreshed twice (one row per case, services and referrals replaced)', async () => {
    const before = await youthOf(caseId);
    await t.deps.db.transaction().execute((trx) => refreshCaseFacts(facts, trx, caseId));
    const after = await youthOf(caseId);
    expect({ ...after, refreshed_at: null }).toEqual({ ...before, refreshed_at: null });
    const subject = await subjectOf(caseId);
    const count = async (table: 'report_services' | 'report_referrals') =>
      (await t.deps.db.selectFrom(table).select('subject').where('subject', '=', subject).execute()).length;
    expect([await count('report_services'), await count('report_referrals')]).toEqual([2, 5]);
  });

  it('wait again after any event of the case’s timeline', async () => {
    const ctx = casesAt(CLOSED);
    const other = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Aster' }, origin);
    await drainStaleFacts(facts);
    expect(await stale()).toEqual([]);
    await addNote(ctx, navigator.actor, other.id, { category: 'contact', body: 'Synthetic note' }, origin);
    expect(await stale()).toEqual([other.id]);
    await t.deps.db
      .transaction()
      .execute((trx) => recordCaseEvent(trx, { caseId, actorUserId: null, event: 'synthetic.anything' }));
    expect((await stale()).sort()).toEqual([caseId, other.id].sort());
    await drainStaleFacts(facts);
  });

  it('stay as they were once the case’s personal data is destroyed', async () => {
    const before = await youthOf(caseId);
    await t.deps.keyring.destroyDataKey(caseScope(caseId));
    await t.deps.db
      .updateTable('cases')
      .set({ purged_at: new Date(), close_reason: 'lost_contact' })
      .where('id', '=', caseId)
      .execute();
    await t.deps.db
      .transaction()
      .execute((trx) => recordCaseEvent(trx, { caseId, actorUserId: null, event: 'case.purged' }));
    expect(await stale()).toContain(caseId);
    expect(await drainStaleFacts(facts)).toBeGreaterThanOrEqual(1);
    expect(await stale()).toEqual([]);
    expect(await youthOf(caseId)).toEqual(before);
    const subject = await subjectOf(caseId);
    expect(
      await t.deps.db
        .selectFrom('report_referrals')
        .select('referral')
        .where('subject', '=', subject)
        .execute(),
    ).toHaveLength(5);
  });
});

describe('a young person across regions', () => {
  it('is one person for two cases with the same chosen name and date of birth; a case without one is its own', async () => {
    const ctx = casesAt(OPENED);
    const details = { chosenName: 'Synthetic Wren', dateOfBirth: '2007-05-06' };
    const west = await openCase(ctx, navigator.actor, details, origin);
    const east = await openCase(
      ctx,
      southeast.actor,
      { ...details, chosenName: ' synthetic  WREN ', countyFips: '27109' },
      origin,
    );
    const noBirthday = await openCase(
      ctx,
      navigator.actor,
      { chosenName: 'Synthetic Wren', age: 19 },
      origin,
    );
    await drainStaleFacts(facts);
    const [a, b, c] = [await youthOf(west.id), await youthOf(east.id), await youthOf(noBirthday.id)];
    expect([a?.region_id, b?.region_id]).toEqual(['west-metro', 'southeast']);
    expect(a?.person).toBe(b?.person);
    expect(a?.subject).not.toBe(b?.subject);
    expect(c?.person).toBe(c?.subject);
    expect(c?.person).not.toBe(a?.person);
    // The age given stands for the age at entry; nothing recorded is an empty list, tribal not asked.
    expect(c).toMatchObject({
      age_at_entry: 19,
      age_band: '18to24',
      door: null,
      exploitation: [],
      entry_housing: null,
      genders: [],
      tribal: null,
      closed_on: null,
      organizations: [],
    });
  });
});

describe('the job and the rebuild', () => {
  it('drains the waiting cases in batches, each once, and rebuilds every case on request', async () => {
    await drainStaleFacts(facts);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await addCase(t.deps, { regionId: 'central', countyFips: null }));
    // Cases written straight into the table have no timeline yet: nothing waits for them.
    expect(await stale()).toEqual([]);
    await t.deps.db
      .insertInto('report_stale')
      .values(ids.map((case_id) => ({ case_id })))
      .execute();
    expect(await refreshStaleFacts(facts, 2)).toBe(2);
    expect(await stale()).toHaveLength(3);
    expect(await evaluationFactsJob(facts).run(new Date())).toBe(3);
    expect(await stale()).toEqual([]);
    for (const id of ids) expect((await youthOf(id))?.region_id).toBe('central');
    // A case that does not exist any more leaves nothing behind (the cascade) and stops nothing.
    await t.deps.db.insertInto('report_stale').values({ case_id: ids[0]! }).execute();
    await t.deps.db.deleteFrom('cases').where('id', '=', ids[0]!).execute();
    expect(await stale()).toEqual([]);

    const living = await t.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('purged_at', 'is', null)
      .executeTakeFirstOrThrow();
    await t.deps.db
      .deleteFrom('report_youth')
      .where('subject', '=', await subjectOf(ids[1]!))
      .execute();
    expect(await rebuildAllFacts(facts, 3)).toBe(Number(living.n));
    expect((await youthOf(ids[1]!))?.region_id).toBe('central');
    expect(await refreshFactsCommand(facts, [])).toBe(`Wrote the reporting facts of ${living.n} cases.`);
    expect(await drainStaleFacts(facts)).toBe(0);
  });

  it('leaves a case whose facts cannot be written waiting, and goes on with the others', async () => {
    const broken = await addCase(t.deps, { regionId: 'central', countyFips: null });
    const fine = await addCase(t.deps, { regionId: 'central', countyFips: null });
    await t.deps.db
      .updateTable('cases')
      .set({ personal_encrypted: Buffer.from(randomUUID()) })
      .where('id', '=', broken)
      .execute();
    await t.deps.db
      .insertInto('report_stale')
      .values([{ case_id: broken }, { case_id: fine }])
      .execute();
    expect(await drainStaleFacts(facts)).toBe(1);
    expect(await stale()).toEqual([broken]);
    expect(await youthOf(fine)).toBeDefined();
    expect(await youthOf(broken)).toBeUndefined();
    await t.deps.db.deleteFrom('report_stale').where('case_id', '=', broken).execute();
  });
});

describe('the commands', { timeout: 180_000 }, () => {
  it('seed-synthetic leaves the facts written, and report refresh-facts writes them all again', async () => {
    const db = await freshDatabase();
    try {
      const env = { DATABASE_URL: db.url, NWD_MASTER_KEY: randomBytes(32).toString('hex') };
      const seeded = await runNwd(['seed-synthetic', '--cases', '4', '--shelter-requests', '1'], env);
      expect(seeded.code, seeded.stderr).toBe(0);
      const counts = async () =>
        (
          await sql<{ youth: number; waiting: number }>`select
            (select count(*)::int from report_youth) as youth,
            (select count(*)::int from report_stale) as waiting`.execute(db.db)
        ).rows[0];
      expect(await counts()).toEqual({ youth: 4, waiting: 0 });
      await db.db.deleteFrom('report_youth').execute();
      const refreshed = await runNwd(['report', 'refresh-facts'], env);
      expect([refreshed.code, refreshed.stdout.trim()]).toEqual([0, 'Wrote the reporting facts of 4 cases.']);
      expect(await counts()).toEqual({ youth: 4, waiting: 0 });
      const unknown = await runNwd(['report', 'everything'], env);
      expect(unknown.code).toBe(2);
      // Any other word is a measure (nwd report <measure>): the usage names the measures and refresh-facts.
      expect(unknown.stderr).toContain('There is no measure everything');
      expect(unknown.stderr).toContain('nwd report refresh-facts');
    } finally {
      await db.drop();
    }
  });
});
