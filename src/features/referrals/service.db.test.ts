/**
 * Consent enforcement and closed-loop referrals through the API, on every path that shares data:
 * creating a referral with identifying details (refused without an active covering consent: none,
 * another organization's, without identity, not started, ended, revoked), sending a draft (consent
 * re-checked), and every read by the receiving organization (only the categories an active consent
 * covers; de-identified after expiry and after revocation; the message withheld then). The status
 * machine through the API on random steps, who and when recorded, notifications without personal
 * data, audit of every read and change.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { emailBodies, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { auditActions, auditEvents, caseEventNames } from '../../../test/coordination.ts';
import { addDays } from '../consents/service.ts';
import { decideTransition, type Side } from './service.ts';
import { addCase, addConsent, addPerson, addReferralNetwork } from './testing.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '../cases/tables.ts';

let t: TestApp;
let hostOrg: string;
let shelterOrg: string;
let clinicOrg: string;
let navigator: TestStaff;
let southeastNavigator: TestStaff;
let shelterStaff: TestStaff;
let shelterAdmin: TestStaff;
let clinicStaff: TestStaff;
let stateAdmin: TestStaff;
let caseId: string;
let today: string;

const YOUTH = /Synthetic Rowan|555-0142|bluebird|Legal Synthetic/;

const { api, get } = staffRequests(() => t);

/** The navigator records a consent on the case through the API. */
const recordConsent = (body: Record<string, unknown>) =>
  api(navigator, 'POST', `/api/v1/cases/${caseId}/consents`, body);

const refer = (person: TestStaff, id: string, body: Record<string, unknown>) =>
  api(person, 'POST', `/api/v1/cases/${id}/referrals`, body);

beforeAll(async () => {
  t = await testApp();
  today = t.deps.rules.calendar.local(new Date()).date;
  ({ hostOrg, shelterOrg, clinicOrg, navigator, shelterStaff, clinicStaff, stateAdmin } =
    await addReferralNetwork(t.deps, {
      navigator: 'Synthetic Navigator',
      shelterStaff: 'Synthetic Shelter Worker',
    }));
  southeastNavigator = await addPerson(t.deps, 'navigator', hostOrg, ['southeast']);
  shelterAdmin = await addPerson(t.deps, 'org_admin', shelterOrg);
  caseId = await addCase(t.deps, {
    person: {
      chosenName: 'Synthetic Rowan',
      legalName: 'Legal Synthetic Name',
      pronouns: 'she/her',
      languages: ['Hmong'],
      safeContact: { method: 'text_message', value: '555-0142', times: 'after 4 pm', codeWord: 'bluebird' },
    },
  });
});
afterAll(async () => {
  await t.close();
});

describe('consents through the API', () => {
  it('records a consent for one year from today by default, with the witness encrypted, on the timeline and in the audit log', async () => {
    const res = await recordConsent({
      organizationId: clinicOrg,
      purpose: 'care_coordination',
      categories: ['identity'],
      method: 'verbal',
      witness: 'Synthetic Witness',
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      organization: { id: clinicOrg },
      categories: ['identity'],
      method: 'verbal',
      witness: 'Synthetic Witness',
      startsOn: today,
      state: 'active',
    });
    expect(res.json.expiresOn).toBe(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`);
    const row = await t.deps.db
      .selectFrom('consents')
      .select(['witness_encrypted'])
      .where('id', '=', res.json.id)
      .executeTakeFirstOrThrow();
    expect(row.witness_encrypted!.toString('latin1')).not.toContain('Synthetic Witness');
    expect(await caseEventNames(t.deps.db, caseId)).toContain('consent.recorded');
    expect(await auditActions(t.deps.db, res.json.id)).toEqual(['consent.record']);
    const list = await api(navigator, 'GET', `/api/v1/cases/${caseId}/consents`);
    expect(list.json.consents.map((c: { id: string }) => c.id)).toContain(res.json.id);
  });

  it('names the field at fault, and refuses consents longer than a year or verbal ones without a witness', async () => {
    const base = { organizationId: clinicOrg, purpose: 'care_coordination', categories: ['identity'] };
    const verbal = await recordConsent({
      ...base,
      method: 'verbal',
    });
    expect([verbal.status, verbal.json.field]).toEqual([400, 'witness']);
    const long = await recordConsent({
      ...base,
      method: 'written',
      expiresOn: addDays(today, 400),
    });
    expect([long.status, long.json.field]).toEqual([400, 'expiresOn']);
    const unknown = await recordConsent({
      ...base,
      method: 'written',
      everything: true,
    });
    expect(unknown.status).toBe(400);
    const badCategory = await recordConsent({
      ...base,
      categories: ['everything'],
      method: 'written',
    });
    expect([badCategory.status, badCategory.json.field]).toEqual([400, 'categories.0']);
  });

  it('answers 401, 403 and 404 before reading anything', async () => {
    const body = {
      organizationId: clinicOrg,
      purpose: 'care_coordination',
      categories: ['identity'],
      method: 'written',
    };
    expect((await api(null, 'POST', `/api/v1/cases/${caseId}/consents`, body)).status).toBe(401);
    expect((await api(shelterStaff, 'POST', `/api/v1/cases/${caseId}/consents`, body)).status).toBe(403);
    expect((await api(stateAdmin, 'POST', `/api/v1/cases/${caseId}/consents`, body)).status).toBe(403);
    expect((await api(southeastNavigator, 'POST', `/api/v1/cases/${caseId}/consents`, body)).status).toBe(
      404,
    );
    expect((await api(southeastNavigator, 'GET', `/api/v1/cases/${caseId}/consents`)).status).toBe(404);
    expect((await api(stateAdmin, 'GET', `/api/v1/cases/${caseId}/consents`)).status).toBe(200);
  });

  it('revokes once; a second revocation is a conflict; another region cannot', async () => {
    const created = await recordConsent({
      organizationId: clinicOrg,
      purpose: 'other',
      categories: ['contact'],
      method: 'written',
    });
    expect((await api(southeastNavigator, 'POST', `/api/v1/consents/${created.json.id}/revoke`)).status).toBe(
      404,
    );
    const revoked = await api(navigator, 'POST', `/api/v1/consents/${created.json.id}/revoke`);
    expect([revoked.status, revoked.json.state]).toEqual([200, 'revoked']);
    const again = await api(navigator, 'POST', `/api/v1/consents/${created.json.id}/revoke`);
    expect(again.status).toBe(409);
    expect(await auditActions(t.deps.db, created.json.id)).toEqual(['consent.record', 'consent.revoke']);
  });
});

describe('sharing identifying details needs an active consent that covers the organization', () => {
  let freshCase: string;
  beforeAll(async () => {
    freshCase = await addCase(t.deps, { person: { chosenName: 'Synthetic Rowan' } });
  });

  const identifying = (caseOf: string) =>
    refer(navigator, caseOf, {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: true,
      message: 'Needs a bed tonight.',
    });

  /** An active consent for the shelter, recorded today for thirty days. */
  const shelterConsent = (caseOf: string) =>
    addConsent(t.deps.db, {
      caseId: caseOf,
      organizationId: shelterOrg,
      recordedBy: navigator.id,
      startsOn: today,
      expiresOn: addDays(today, 30),
    });

  async function referralCount(caseOf: string): Promise<number> {
    const r = await t.deps.db
      .selectFrom('referrals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('case_id', '=', caseOf)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it('is a 409 problem naming shareIdentifying when no consent, another organization’s, one without identity, one not started, ended or revoked', async () => {
    const cases: [string, Parameters<typeof addConsent>[1] | null][] = [
      ['none', null],
      [
        'other organization',
        {
          caseId: '',
          organizationId: clinicOrg,
          recordedBy: navigator.id,
          startsOn: today,
          expiresOn: addDays(today, 30),
        },
      ],
      [
        'contact only',
        {
          caseId: '',
          organizationId: shelterOrg,
          recordedBy: navigator.id,
          categories: ['contact'],
          startsOn: today,
          expiresOn: addDays(today, 30),
        },
      ],
      [
        'not started',
        {
          caseId: '',
          organizationId: shelterOrg,
          recordedBy: navigator.id,
          startsOn: addDays(today, 1),
          expiresOn: addDays(today, 30),
        },
      ],
      [
        'ended',
        {
          caseId: '',
          organizationId: shelterOrg,
          recordedBy: navigator.id,
          startsOn: addDays(today, -30),
          expiresOn: today,
        },
      ],
      [
        'revoked',
        {
          caseId: '',
          organizationId: shelterOrg,
          recordedBy: navigator.id,
          startsOn: today,
          expiresOn: addDays(today, 30),
          revoked: true,
        },
      ],
    ];
    for (const [, consent] of cases) {
      const c = await addCase(t.deps);
      if (consent) await addConsent(t.deps.db, { ...consent, caseId: c });
      const res = await identifying(c);
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({ status: 409, field: 'shareIdentifying' });
      expect(res.json.detail).toMatch(/consent/);
      expect(await referralCount(c)).toBe(0);
    }
  });

  it('is accepted with an active consent, which the referral links; de-identified referrals need none', async () => {
    const consentId = await shelterConsent(freshCase);
    const res = await identifying(freshCase);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      status: 'draft',
      shareIdentifying: true,
      allowedTransitions: ['sent', 'withdrawn'],
    });
    const row = await t.deps.db
      .selectFrom('referrals')
      .select(['consent_id', 'message_encrypted'])
      .where('id', '=', res.json.id)
      .executeTakeFirstOrThrow();
    expect(row.consent_id).toBe(consentId);
    expect(row.message_encrypted!.toString('latin1')).not.toContain('bed tonight');
    const plain = await refer(navigator, await addCase(t.deps), {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: false,
      send: true,
    });
    expect([plain.status, plain.json.status]).toEqual([201, 'sent']);
  });

  it('is re-checked when a draft is sent: revoked in between, the send is a 409 and it stays a draft', async () => {
    const c = await addCase(t.deps);
    const consentId = await shelterConsent(c);
    const draft = await identifying(c);
    expect(draft.status).toBe(201);
    expect((await api(navigator, 'POST', `/api/v1/consents/${consentId}/revoke`)).status).toBe(200);
    const send = await api(navigator, 'POST', `/api/v1/referrals/${draft.json.id}/transitions`, {
      to: 'sent',
    });
    expect([send.status, send.json.field]).toEqual([409, 'shareIdentifying']);
    const row = await t.deps.db
      .selectFrom('referrals')
      .select('status')
      .where('id', '=', draft.json.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  it('refuses unknown services and organizations with the field named, and other regions’ cases as missing', async () => {
    const bad = await refer(navigator, freshCase, {
      toOrganizationId: shelterOrg,
      serviceType: 'spa_day',
      shareIdentifying: false,
    });
    expect([bad.status, bad.json.field]).toEqual([400, 'serviceType']);
    const nowhere = await refer(navigator, freshCase, {
      toOrganizationId: crypto.randomUUID(),
      serviceType: 'emergency_shelter',
      shareIdentifying: false,
    });
    expect([nowhere.status, nowhere.json.field]).toEqual([400, 'toOrganizationId']);
    const elsewhere = await refer(southeastNavigator, freshCase, {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: false,
    });
    expect(elsewhere.status).toBe(404);
  });
});

describe('what the receiving organization sees', () => {
  let referralId: string;
  let consentId: string;

  beforeAll(async () => {
    const consent = await recordConsent({
      organizationId: shelterOrg,
      purpose: 'housing_placement',
      categories: ['identity', 'contact'],
      method: 'written',
    });
    consentId = consent.json.id;
    const res = await refer(navigator, caseId, {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: true,
      message: 'Prefers a text first.',
      send: true,
    });
    expect(res.status).toBe(201);
    referralId = res.json.id;
  });

  it('is only the categories its consent covers, with the message; each read audited', async () => {
    const res = await api(shelterStaff, 'GET', `/api/v1/referrals/${referralId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      caseId: null,
      status: 'sent',
      sharing: 'identifying',
      consent: { id: consentId, categories: ['contact', 'identity'] },
      message: 'Prefers a text first.',
      viewer: { sender: false, receiver: true },
      allowedTransitions: ['accepted', 'declined'],
    });
    expect(res.json.shared.identity).toMatchObject({
      chosenName: 'Synthetic Rowan',
      legalName: 'Legal Synthetic Name',
    });
    expect(res.json.shared.contact).toMatchObject({ value: '555-0142', codeWord: 'bluebird' });
    expect(res.json.shared.demographics).toBeUndefined();
    expect(res.text).not.toContain('Hmong');
    const audit = await auditEvents(t.deps.db, { subjectId: referralId, action: 'referral.read' });
    expect(audit.at(-1)).toMatchObject({
      actor_user_id: shelterStaff.id,
      details: { side: 'receiver', sharing: 'identifying', categories: ['contact', 'identity'] },
    });
  });

  it('is never a draft, nor another organization’s referral, and the inbox holds no personal data', async () => {
    const draft = await refer(navigator, caseId, {
      toOrganizationId: shelterOrg,
      serviceType: 'mental_health',
      shareIdentifying: false,
    });
    expect((await api(shelterStaff, 'GET', `/api/v1/referrals/${draft.json.id}`)).status).toBe(404);
    expect((await api(clinicStaff, 'GET', `/api/v1/referrals/${referralId}`)).status).toBe(404);
    expect((await api(southeastNavigator, 'GET', `/api/v1/referrals/${referralId}`)).status).toBe(404);
    // State administrators oversee the network: they read it, as the sending side does.
    expect((await api(stateAdmin, 'GET', `/api/v1/referrals/${referralId}`)).status).toBe(200);
    const inbox = await api(shelterAdmin, 'GET', '/api/v1/referrals?view=all');
    expect(inbox.status).toBe(200);
    const ids = inbox.json.referrals.map((r: { id: string }) => r.id);
    expect(ids).toContain(referralId);
    expect(ids).not.toContain(draft.json.id);
    expect(inbox.text).not.toMatch(YOUTH);
    expect(inbox.text).not.toContain(caseId);
    const sent = await api(navigator, 'GET', '/api/v1/referrals?box=sent&view=drafts');
    expect(sent.json.referrals.map((r: { id: string }) => r.id)).toContain(draft.json.id);
  });

  it('shows the sending navigator the message and the case, but no personal details', async () => {
    const res = await api(navigator, 'GET', `/api/v1/referrals/${referralId}`);
    expect(res.json).toMatchObject({
      caseId,
      message: 'Prefers a text first.',
      shared: null,
      viewer: { sender: true },
    });
    expect(res.json.allowedTransitions.sort()).toEqual(['no_response', 'withdrawn']);
  });

  it('is de-identified after the consent ends, identifying again under a renewed consent', async () => {
    await t.deps.db
      .updateTable('consents')
      .set({ starts_on: addDays(today, -400), expires_on: today })
      .where('id', '=', consentId)
      .execute();
    const ended = await api(shelterStaff, 'GET', `/api/v1/referrals/${referralId}`);
    expect(ended.json).toMatchObject({
      sharing: 'consent_ended',
      shared: null,
      message: null,
      messageWithheld: true,
    });
    expect(ended.text).not.toMatch(YOUTH);
    expect(ended.text).not.toContain('Prefers a text');
    const page = await get(shelterStaff, `/staff/referrals/${referralId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toMatch(YOUTH);
    const renewed = await recordConsent({
      organizationId: shelterOrg,
      purpose: 'housing_placement',
      categories: ['identity'],
      method: 'written',
    });
    const again = await api(shelterStaff, 'GET', `/api/v1/referrals/${referralId}`);
    expect(again.json).toMatchObject({
      sharing: 'identifying',
      consent: { id: renewed.json.id, categories: ['identity'] },
    });
    expect(again.json.shared.identity.chosenName).toBe('Synthetic Rowan');
    expect(again.json.shared.contact).toBeUndefined();
    expect(again.text).not.toContain('555-0142');
    // Revoked: de-identified at once, on the page too.
    expect((await api(navigator, 'POST', `/api/v1/consents/${renewed.json.id}/revoke`)).status).toBe(200);
    const revoked = await api(shelterStaff, 'GET', `/api/v1/referrals/${referralId}`);
    expect(revoked.json).toMatchObject({ sharing: 'consent_ended', shared: null, message: null });
    expect(revoked.text).not.toMatch(YOUTH);
    const after = await get(shelterStaff, `/staff/referrals/${referralId}`);
    const html = await after.text();
    expect(html).not.toMatch(YOUTH);
    expect(html).toContain('has ended or was revoked');
  });

  it('shows a de-identified referral’s message, and nothing identifying', async () => {
    const res = await refer(navigator, caseId, {
      toOrganizationId: clinicOrg,
      serviceType: 'health_care',
      shareIdentifying: false,
      message: 'Clinic visit needed this week.',
      send: true,
    });
    const seen = await api(clinicStaff, 'GET', `/api/v1/referrals/${res.json.id}`);
    expect(seen.json).toMatchObject({
      sharing: 'de_identified',
      shared: null,
      message: 'Clinic visit needed this week.',
      ageBand: 'under18',
      countyName: 'Hennepin',
    });
    expect(seen.text).not.toMatch(YOUTH);
  });
});

describe('steps through the API', () => {
  async function sentReferral(): Promise<string> {
    const c = await addCase(t.deps);
    const res = await refer(navigator, c, {
      toOrganizationId: shelterOrg,
      serviceType: 'transitional_supportive_housing',
      shareIdentifying: false,
      send: true,
    });
    return res.json.id;
  }

  it('records who, which organization and when for each step, tells the other side without personal data, and audits', async () => {
    const id = await sentReferral();
    const accepted = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'accepted',
    });
    expect([accepted.status, accepted.json.status]).toEqual([200, 'accepted']);
    expect(accepted.json.allowedTransitions.sort()).toEqual(['closed', 'in_service']);
    const view = await api(navigator, 'GET', `/api/v1/referrals/${id}`);
    expect(view.json.history.map((h: { from: string; to: string }) => `${h.from}>${h.to}`)).toEqual([
      'draft>sent',
      'sent>accepted',
    ]);
    expect(view.json.history[1]).toMatchObject({ by: 'Synthetic Shelter Worker', byUserId: shelterStaff.id });
    expect(view.json.history[1].organization).toMatch(/^Synthetic Shelter/);
    expect(view.json.respondedAt).not.toBeNull();
    const told = await t.deps.db
      .selectFrom('staff_notifications')
      .select(['user_id', 'kind', 'text'])
      .where('link', '=', `/staff/referrals/${id}`)
      .execute();
    expect(
      told
        .filter((n) => n.kind === 'referral_new')
        .map((n) => n.user_id)
        .sort(),
    ).toEqual([shelterStaff.id, shelterAdmin.id].sort());
    expect(told.find((n) => n.kind === 'referral_update')).toMatchObject({ user_id: navigator.id });
    const bodies = await emailBodies(t.deps);
    const about = bodies.filter((b) => b.includes(`/staff/referrals/${id}`));
    expect(about.length).toBe(3);
    for (const body of about) expect(body).not.toMatch(YOUTH);
    expect(await auditActions(t.deps.db, id)).toEqual([
      'referral.create',
      'referral.transition',
      'referral.transition',
      'referral.read',
    ]);
    const task = await t.deps.db
      .selectFrom('tasks')
      .select(['source', 'assignee_user_id'])
      .where('source_ref', '=', id)
      .executeTakeFirstOrThrow();
    expect(task).toEqual({ source: 'referral', assignee_user_id: navigator.id });
  });

  it('answers an illegal step 409, the other side’s step 403, a missing reason 400 naming it', async () => {
    const id = await sentReferral();
    const wrongSide = await api(navigator, 'POST', `/api/v1/referrals/${id}/transitions`, { to: 'accepted' });
    expect(wrongSide.status).toBe(403);
    const noReason = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'declined',
    });
    expect([noReason.status, noReason.json.field]).toEqual([400, 'reason']);
    const declined = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'declined',
      reason: 'no_capacity',
    });
    expect([declined.status, declined.json.statusReason]).toEqual([200, 'no_capacity']);
    const illegal = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'accepted',
    });
    expect(illegal.status).toBe(409);
    expect(illegal.json).toMatchObject({ title: 'Conflict', status: 409 });
    const unknown = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'teleported',
    });
    expect([unknown.status, unknown.json.field]).toEqual([400, 'to']);
    expect(
      (await api(clinicStaff, 'POST', `/api/v1/referrals/${id}/transitions`, { to: 'accepted' })).status,
    ).toBe(404);
  });

  it('follows the pure machine on random steps by random people', async () => {
    const people: [TestStaff, Side[]][] = [
      [navigator, ['sender']],
      [shelterStaff, ['receiver']],
      [clinicStaff, []],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            who: fc.integer({ min: 0, max: 2 }),
            to: fc.constantFrom(...REFERRAL_STATUSES),
            reason: fc.constantFrom(
              null,
              'no_capacity',
              'goals_met',
              'service_provided',
              'lost_contact',
              'sent_in_error',
            ),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (steps) => {
          const c = await addCase(t.deps);
          const created = await refer(navigator, c, {
            toOrganizationId: shelterOrg,
            serviceType: 'basic_needs',
            shareIdentifying: false,
          });
          const id: string = created.json.id;
          let status: ReferralStatus = 'draft';
          let recorded = 0;
          for (const step of steps) {
            const [person, sides] = people[step.who]!;
            const res = await api(person, 'POST', `/api/v1/referrals/${id}/transitions`, {
              to: step.to,
              reason: step.reason,
            });
            // The receiver and strangers do not see a draft at all.
            const visible = sides.includes('sender') || (sides.includes('receiver') && status !== 'draft');
            const decision = decideTransition(
              status,
              step.to,
              visible ? sides : [],
              step.reason,
              t.deps.rules.vocabularies.declineReasons,
            );
            const expected = !visible
              ? 404
              : decision.ok
                ? 200
                : { conflict: 409, forbidden: 403, invalid: 400 }[decision.code];
            expect(res.status).toBe(expected);
            if (decision.ok && visible) {
              status = decision.to;
              recorded++;
              expect(res.json.status).toBe(status);
            }
          }
          const rows = await t.deps.db
            .selectFrom('referral_transitions')
            .select(['to_status', 'actor_user_id', 'at'])
            .where('referral_id', '=', id)
            .orderBy('id')
            .execute();
          expect(rows).toHaveLength(recorded);
          expect(rows.every((r) => r.actor_user_id !== null && r.at instanceof Date)).toBe(true);
          const stored = await t.deps.db
            .selectFrom('referrals')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          expect(stored.status).toBe(status);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('the OpenAPI document', () => {
  it('describes every consent and referral route, with the enums and the 409 on shareIdentifying', async () => {
    const doc = (await api(null, 'GET', '/api/openapi.json')).json;
    for (const path of [
      '/api/v1/cases/{id}/consents',
      '/api/v1/consents/{id}/revoke',
      '/api/v1/cases/{id}/referrals',
      '/api/v1/referrals',
      '/api/v1/referrals/{id}',
      '/api/v1/referrals/{id}/transitions',
    ])
      expect(doc.paths[path], path).toBeDefined();
    expect(doc.paths['/api/v1/cases/{id}/referrals'].post.responses['409']).toBeDefined();
    expect(doc.components.schemas.ReferralTransition.properties.to.enum).toContain('in_service');
    expect(doc.components.schemas.ConsentInput.properties.categories.items.enum).toContain('safety_plan');
  });
});
