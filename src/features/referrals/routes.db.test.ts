/**
 * The consent and referral pages through the app: the Consents tab (never a condition of service,
 * recording with the field at fault named, revoking), the printable consent form, the Referrals tab
 * (a referral with identifying details refused without consent), the inbox and one referral as the
 * receiving organization sees it, steps by form, the navigation link, and random input never a 500.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAll, pageWith } from '../../../test/coordination.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { addCase, addPerson } from './testing.ts';

let t: TestApp;
let shelterOrg: string;
let navigator: TestStaff;
let southeastNavigator: TestStaff;
let shelterStaff: TestStaff;
let professional: TestStaff;
let stateAdmin: TestStaff;
let caseId: string;

const YOUTH = /Synthetic Juniper|555-0177|marigold/;

const { get, post } = staffRequests(() => t);

/** A consent recorded on the case (throws when there is none). */
const caseConsent = () =>
  t.deps.db.selectFrom('consents').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();

async function audited(action: string, caseOf: string): Promise<number> {
  const rows = await t.deps.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', action)
    .where('details', '@>', JSON.stringify({ case: caseOf }) as never)
    .execute();
  return rows.length;
}

beforeAll(async () => {
  t = await testApp();
  const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
  shelterOrg = await addOrganization(t.deps.db, 'Synthetic Shelter', 'shelter_housing');
  navigator = await addPerson(t.deps, 'navigator', host, ['west-metro'], { name: 'Synthetic Navigator' });
  southeastNavigator = await addPerson(t.deps, 'navigator', host, ['southeast']);
  shelterStaff = await addPerson(t.deps, 'provider_staff', shelterOrg);
  professional = await addPerson(t.deps, 'professional', host);
  stateAdmin = await addPerson(t.deps, 'state_admin', host);
  caseId = await addCase(t.deps, {
    person: {
      chosenName: 'Synthetic Juniper',
      safeContact: { method: 'phone_call', value: '555-0177', times: null, codeWord: 'marigold' },
    },
  });
});
afterAll(async () => {
  await t.close();
});

describe('the Consents tab', () => {
  it('says consent is never a condition of service, offers the form, and is audited', async () => {
    const html = await pageWith(await get(navigator, `/staff/cases/${caseId}/consents`), 200);
    expectAll(html, [
      'Consent is never a condition of service',
      'aria-current="page"',
      'name="categories"',
      'None. Referrals from this case go de-identified.',
    ]);
    expect(await audited('consent.list', caseId)).toBe(1);
    expect((await get(southeastNavigator, `/staff/cases/${caseId}/consents`)).status).toBe(404);
    expect((await get(shelterStaff, `/staff/cases/${caseId}/consents`)).status).toBe(403);
    const admin = await (await get(stateAdmin, `/staff/cases/${caseId}/consents`)).text();
    expect(admin).not.toContain('Record the consent');
  });

  it('names the field at fault, then records the consent', async () => {
    const bad = await post(navigator, `/staff/cases/${caseId}/consents`, {
      organizationId: shelterOrg,
      purpose: 'housing_placement',
      categories: ['identity', 'contact'],
      method: 'verbal',
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('href="#witness"');
    expect(badHtml).toMatch(/value="housing_placement" selected/);
    const ok = await post(navigator, `/staff/cases/${caseId}/consents`, {
      organizationId: shelterOrg,
      purpose: 'housing_placement',
      categories: ['identity', 'contact'],
      method: 'verbal',
      witness: 'Synthetic Witness',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/staff/cases/${caseId}/consents?done=recorded`);
    const html = await (await get(navigator, ok.headers.get('location')!)).text();
    expectAll(html, ['Consent recorded.', 'Synthetic Shelter', 'witnessed by Synthetic Witness']);
  });

  it('prints a plain-language form that says what is shared, with whom, until when, and how to take it back', async () => {
    const consent = await caseConsent();
    const html = await pageWith(
      await get(navigator, `/staff/cases/${caseId}/consents/${consent.id}/print`),
      200,
    );
    for (const words of [
      'Agreement to share information',
      'Saying no will not change the help you get.',
      'Consent is never a condition of service.',
      'You can change your mind at any time.',
      'Synthetic Juniper',
      'Synthetic Shelter',
      'Housing or shelter placement',
      'your name, date of birth or age, and pronouns',
      'Synthetic Witness heard you agree.',
      '@media print',
    ])
      expect(html).toContain(words);
    expect(await audited('consent.print', caseId)).toBe(1);
    expect(
      (await get(navigator, `/staff/cases/${caseId}/consents/${crypto.randomUUID()}/print`)).status,
    ).toBe(404);
  });

  it('revokes by form; a second time is a conflict', async () => {
    const consent = await caseConsent();
    const other = await addCase(t.deps);
    expect((await post(navigator, `/staff/cases/${other}/consents/${consent.id}/revoke`)).status).toBe(404);
    const res = await post(navigator, `/staff/cases/${caseId}/consents/${consent.id}/revoke`);
    expect([res.status, res.headers.get('location')]).toEqual([
      303,
      `/staff/cases/${caseId}/consents?done=revoked`,
    ]);
    const html = await (await get(navigator, res.headers.get('location')!)).text();
    expect(html).toContain('Ended and revoked consents');
    expect(html).toMatch(/<span class="usa-tag nwd-tag-base">Revoked<\/span>/);
    expect((await post(navigator, `/staff/cases/${caseId}/consents/${consent.id}/revoke`)).status).toBe(409);
  });
});

describe('the Referrals tab, the inbox and one referral', () => {
  let referralId: string;

  it('refuses identifying details without consent, naming the choice, and sends a de-identified referral', async () => {
    const refused = await post(navigator, `/staff/cases/${caseId}/referrals`, {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: 'yes',
      send: 'yes',
    });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('href="#shareIdentifying"');
    expect(html).toContain('No active consent allows identifying details.');
    const sent = await post(navigator, `/staff/cases/${caseId}/referrals`, {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: 'no',
      message: 'Needs a safe place from Friday.',
      send: 'yes',
    });
    expect([sent.status, sent.headers.get('location')]).toEqual([
      303,
      `/staff/cases/${caseId}/referrals?done=sent`,
    ]);
    const tab = await (await get(navigator, sent.headers.get('location')!)).text();
    expect(tab).toContain('Referral sent.');
    expect(tab).toContain('Sent, waiting for an answer');
    referralId = (
      await t.deps.db
        .selectFrom('referrals')
        .select('id')
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).id;
  });

  it('shows the receiving organization its inbox and notification, without personal data', async () => {
    const html = await pageWith(await get(shelterStaff, '/staff/referrals'), 200);
    expectAll(html, [
      `/staff/referrals/${referralId}`,
      'A new referral is waiting for your organization’s answer',
      'Emergency shelter',
      'Hennepin',
    ]);
    expect(html).not.toMatch(YOUTH);
    expect(html).toMatch(/href="\/staff\/referrals"[^>]*>Referrals<\/a>/);
    const sent = await (await get(navigator, '/staff/referrals?box=sent')).text();
    expect(sent).toContain(`/staff/referrals/${referralId}`);
    expect((await get(shelterStaff, '/staff/referrals?box=sent')).status).toBe(400);
  });

  it('opens the referral for the receiver with its message and no personal data, and takes steps by form', async () => {
    const html = await pageWith(await get(shelterStaff, `/staff/referrals/${referralId}`), 200);
    expect(html).toContain('Needs a safe place from Friday.');
    expect(html).toContain('De-identified: no name or contact details');
    expect(html).not.toMatch(YOUTH);
    expect(html).not.toContain(`/staff/cases/${caseId}`);
    expect(html).toContain('value="declined"');
    const noReason = await post(shelterStaff, `/staff/referrals/${referralId}/transitions`, {
      to: 'declined',
    });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('href="#reason-declined"');
    const wrongSide = await post(shelterStaff, `/staff/referrals/${referralId}/transitions`, {
      to: 'withdrawn',
    });
    expect(wrongSide.status).toBe(403);
    const accepted = await post(shelterStaff, `/staff/referrals/${referralId}/transitions`, {
      to: 'accepted',
    });
    expect([accepted.status, accepted.headers.get('location')]).toEqual([
      303,
      `/staff/referrals/${referralId}?done=accepted`,
    ]);
    const after = await (await get(shelterStaff, accepted.headers.get('location')!)).text();
    expect(after).toContain('Accepted. The sending navigator has been told.');
    expect(after).toContain('value="in_service"');
    const again = await post(shelterStaff, `/staff/referrals/${referralId}/transitions`, { to: 'accepted' });
    expect(again.status).toBe(409);
    const notified = await (await get(navigator, `/staff/referrals/${referralId}`)).text();
    expect(notified).toContain(`/staff/cases/${caseId}/referrals`);
    expect(notified).toContain('value="withdrawn"');
  });

  it('is not found for other organizations and other regions, and refused to roles without referrals', async () => {
    const clinic = await addPerson(
      t.deps,
      'provider_staff',
      await addOrganization(t.deps.db, 'Synthetic Clinic'),
    );
    expect((await get(clinic, `/staff/referrals/${referralId}`)).status).toBe(404);
    expect((await get(southeastNavigator, `/staff/referrals/${referralId}`)).status).toBe(404);
    expect((await get(professional, '/staff/referrals')).status).toBe(403);
    expect(await (await get(professional, '/staff')).text()).not.toContain('href="/staff/referrals"');
    const anonymous = await get(null, '/staff/referrals');
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/staff/sign-in']);
  });

  it('never answers 500 to random ids and form values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
        fc.dictionary(
          fc.constantFrom(
            'to',
            'reason',
            'organizationId',
            'toOrganizationId',
            'purpose',
            'categories',
            'method',
            'witness',
            'startsOn',
            'expiresOn',
            'serviceType',
            'shareIdentifying',
            'message',
            'send',
          ),
          fc.string({ maxLength: 30 }),
        ),
        async (id, fields) => {
          const safe = encodeURIComponent(id);
          for (const path of [
            `/staff/cases/${safe}/consents`,
            `/staff/cases/${caseId}/consents`,
            `/staff/cases/${caseId}/referrals`,
            `/staff/referrals/${safe}/transitions`,
            `/staff/referrals/${referralId}/transitions`,
            `/staff/cases/${caseId}/consents/${safe}/revoke`,
          ]) {
            const res = await post(navigator, path, fields);
            expect(res.status).toBeLessThan(500);
          }
          expect((await get(shelterStaff, `/staff/referrals/${safe}`)).status).toBeLessThan(500);
          expect((await get(navigator, `/staff/referrals?view=${safe}`)).status).toBeLessThan(500);
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
