/**
 * The staff home page's counts, per role: each appears only for a role that may open its list, is
 * scoped like that list, and changes when the data does. And the list behind "Consents ending in the
 * next 30 days", audited and limited to the person's regions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditEvents, pageWith } from '../../../test/coordination.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { addItem } from '../queue/testing.ts';
import { addCase, addConsent, addPerson, addReferral } from '../referrals/testing.ts';
import { homeCounts } from './home.ts';

let t: TestApp;
let navigator: TestStaff;
let stateAdmin: TestStaff;
let providerStaff: TestStaff;
let shelter: string;

const { get } = staffRequests(() => t);

beforeAll(async () => {
  t = await testApp();
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  stateAdmin = await addStaff(t.deps, 'state_admin');
  shelter = await addOrganization(t.deps.db, 'Synthetic Shelter');
  providerStaff = await addPerson(t.deps, 'provider_staff', shelter);
});
afterAll(async () => {
  await t.close();
});

/** The counts of the person's home page by label. */
async function countsOf(person: TestStaff): Promise<Record<string, number>> {
  const groups = await homeCounts(t.deps, person.actor);
  return Object.fromEntries(groups.flatMap((g) => g.counts.map((c) => [c.label, c.count])));
}

/** A day `days` from today in Minnesota (YYYY-MM-DD). */
const inDays = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });

describe('the staff home counts', () => {
  it('shows each role only the counts of lists it may open', async () => {
    const nav = Object.keys(await countsOf(navigator));
    expect(nav).toEqual(
      expect.arrayContaining([
        'New in the referral queue, not yet claimed',
        'My overdue tasks',
        'My tasks due today',
        'Consents ending in the next 30 days',
      ]),
    );
    expect(nav).not.toContain('Public data problems to check');
    const provider = Object.keys(await countsOf(providerStaff));
    expect(provider).toEqual(
      expect.arrayContaining([
        'New in your inbox, waiting for your answer',
        'Active clients (referrals under way)',
      ]),
    );
    expect(provider).not.toContain('New in the referral queue, not yet claimed');
    expect(provider).not.toContain('Consents ending in the next 30 days');
    const admin = Object.keys(await countsOf(stateAdmin));
    expect(admin).toEqual(
      expect.arrayContaining(['Public data problems to check', 'People invited, not yet set up']),
    );
  });

  it('counts change when the data does, each within its scope', async () => {
    const before = await countsOf(navigator);
    const providerBefore = await countsOf(providerStaff);

    await addItem(t.deps, { age: 16 }); // a new referral in the queue of west-metro
    const inRegion = await addCase(t.deps, { regionId: 'west-metro' });
    const elsewhere = await addCase(t.deps, { regionId: 'northeast' });
    const consents = [
      { caseId: inRegion, startsOn: -300, expiresOn: 10 },
      { caseId: elsewhere, startsOn: -300, expiresOn: 10 },
      // Ends later than 30 days, or already revoked: not counted.
      { caseId: inRegion, startsOn: -10, expiresOn: 200 },
      { caseId: inRegion, startsOn: -10, expiresOn: 5, revoked: true },
    ];
    for (const { caseId, startsOn, expiresOn, revoked } of consents)
      await addConsent(t.deps.db, {
        caseId,
        organizationId: shelter,
        recordedBy: navigator.id,
        startsOn: inDays(startsOn),
        expiresOn: inDays(expiresOn),
        revoked,
      });
    await addReferral(t.deps.db, { caseId: inRegion, toOrganizationId: shelter, createdBy: navigator.id });

    const after = await countsOf(navigator);
    expect(after['New in the referral queue, not yet claimed']).toBe(
      before['New in the referral queue, not yet claimed']! + 1,
    );
    // Only the west-metro consent is the navigator's; the state administrator sees both.
    expect(after['Consents ending in the next 30 days']).toBe(
      before['Consents ending in the next 30 days']! + 1,
    );
    expect((await countsOf(stateAdmin))['Consents ending in the next 30 days']).toBeGreaterThanOrEqual(2);
    const providerAfter = await countsOf(providerStaff);
    expect(providerAfter['New in your inbox, waiting for your answer']).toBe(
      providerBefore['New in your inbox, waiting for your answer']! + 1,
    );
  });

  it('lists the consents ending soon on their page, only the region’s, and audits the reading', async () => {
    const html = await pageWith(await get(navigator, '/staff/consents/expiring'), 200);
    expect(html).toContain('Consents ending soon');
    const rows = html.match(/<tr><th scope="row"><a href="\/staff\/cases\/[^"]+\/consents">Case WM-/g) ?? [];
    expect(rows.length).toBe((await countsOf(navigator))['Consents ending in the next 30 days']);
    expect(html).not.toMatch(/Case NE-/);
    const audit = await auditEvents(t.deps.db, { action: 'consent.list', actorUserId: navigator.id });
    expect(audit.length).toBeGreaterThan(0);

    const refused = await get(providerStaff, '/staff/consents/expiring');
    expect(refused.status).toBe(403);
  });
});
