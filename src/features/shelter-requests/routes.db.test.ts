/**
 * Shelter requests through the staff pages: a navigator sends a request from the case's Housing tab,
 * two providers answer on their requests page (one offers, one cannot, with a reason), the navigator
 * confirms on the request's page, the placement shows on the case and the bed count drops by one; the
 * navigator ends the placement. Who may use which page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { addProgram as addProgramTo, bedsOf as bedsIn } from '../../../test/shelter.ts';
import { addCase } from '../referrals/testing.ts';

let t: TestApp;
let navigator: TestStaff;
let southeast: TestStaff;
let providerA: TestStaff;
let providerB: TestStaff;
let professional: TestStaff;
let programA: string;
let programB: string;
let caseId: string;

const { get, post, api } = staffRequests(() => t);

const addProgram = (organizationId: string, name: string, available: number) =>
  addProgramTo(t.deps.db, organizationId, { name, available, total: 4 });
const bedsOf = (id: string) => bedsIn(t.deps.db, id);

beforeAll(async () => {
  t = await testApp();
  const orgA = await addOrganization(t.deps.db, 'Synthetic Page Shelter A', 'shelter_housing');
  const orgB = await addOrganization(t.deps.db, 'Synthetic Page Shelter B', 'shelter_housing');
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  southeast = await addStaff(t.deps, 'navigator', ['southeast']);
  professional = await addStaff(t.deps, 'professional');
  providerA = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgA });
  providerB = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgB });
  programA = await addProgram(orgA, 'Synthetic Page Harbor A', 2);
  programB = await addProgram(orgB, 'Synthetic Page Harbor B', 1);
  caseId = await addCase(t.deps);
});
afterAll(async () => {
  await t.close();
});

describe('a shelter request through the pages', () => {
  it('is sent, answered yes and no, confirmed; the placement shows on the case and a bed is taken', async () => {
    const tab = await get(navigator, `/staff/cases/${caseId}/housing`);
    expect(tab.status).toBe(200);
    const tabHtml = await tab.text();
    expect(tabHtml).toContain('Ask shelters for a bed');
    expect(tabHtml).toContain('No placements yet.');

    const refused = await post(navigator, `/staff/cases/${caseId}/housing/requests`, {
      gender: 'female',
      county: '27053',
      urgency: 'tonight',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Choose an age band.');

    const sent = await post(navigator, `/staff/cases/${caseId}/housing/requests`, {
      ageBand: '16-17',
      gender: 'female',
      county: '27053',
      urgency: 'tonight',
    });
    expect(sent.status).toBe(303);
    const requestPath = sent.headers.get('location')!.split('?')[0]!;
    const requestId = requestPath.split('/').pop()!;

    const inbox = await get(providerA, '/staff/shelter-requests');
    expect(inbox.status).toBe(200);
    const inboxHtml = await inbox.text();
    expect(inboxHtml).toContain('Synthetic Page Harbor A');
    expect(inboxHtml).not.toContain('Synthetic Page Harbor B');
    expect(inboxHtml).toContain('We can take them');
    expect(inboxHtml).toContain('<a href="/staff/shelter-requests" aria-current="page">Shelter requests</a>');
    expect(inboxHtml).not.toContain('Synthetic Sky');

    const before = await bedsOf(programA);
    const yes = await post(providerA, `/staff/shelter-requests/${requestId}/answer`, {
      programId: programA,
      answer: 'offer',
    });
    expect(yes.status).toBe(303);
    expect(await bedsOf(programA)).toBe(before! - 1);
    // The provider's own form says a bed is held, so its next count leaves it out.
    const programs = await (await get(providerA, '/staff/housing/programs')).text();
    expect(programs).toContain('Also 1 bed is held for a shelter request');
    expect(await (await get(providerB, '/staff/housing/programs')).text()).not.toContain(
      'held for a shelter',
    );
    const noReason = await post(providerB, `/staff/shelter-requests/${requestId}/answer`, {
      programId: programB,
      answer: 'decline',
    });
    expect(noReason.status).toBe(400);
    const no = await post(providerB, `/staff/shelter-requests/${requestId}/answer`, {
      programId: programB,
      answer: 'decline',
      [`reason-x`]: 'full',
    });
    expect(no.status).toBe(303);

    const page = await get(navigator, requestPath);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('Can take them: bed held');
    expect(pageHtml).toContain('No bed free');
    const offerId = /name="offerId" value="([0-9a-f-]{36})"/.exec(pageHtml)![1]!;
    expect((await get(southeast, requestPath)).status).toBe(404);
    expect((await post(providerA, `${requestPath}/confirm`, { offerId })).status).toBe(403);

    const confirmed = await post(navigator, `${requestPath}/confirm`, { offerId });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/staff/cases/${caseId}/housing?done=confirmed`);
    expect(await bedsOf(programA)).toBe(before! - 1);
    const again = await post(navigator, `${requestPath}/confirm`, { offerId });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already has a confirmed bed');

    const after = await (await get(navigator, `/staff/cases/${caseId}/housing?done=confirmed`)).text();
    expect(after).toContain('Synthetic Page Harbor A');
    expect(after).toContain('Staying now');
    const placementId = /\/staff\/placements\/([0-9a-f-]{36})\/end/.exec(after)![1]!;
    const ended = await post(navigator, `/staff/placements/${placementId}/end`, {
      reason: 'planned_move',
      wentTo: 'with_family',
    });
    expect(ended.status).toBe(303);
    const endedHtml = await (await get(navigator, `/staff/cases/${caseId}/housing`)).text();
    expect(endedHtml).toContain('Planned move');
    expect(endedHtml).toContain('With family');
    // On the case's timeline.
    const overview = await (await get(navigator, `/staff/cases/${caseId}`)).text();
    expect(overview).toContain('Shelter request sent');
    expect(overview).toContain('Placement started');
    expect(overview).toContain('Placement ended: went to With family');
  });

  it('keeps each page to its roles', async () => {
    expect((await get(providerA, `/staff/cases/${caseId}/housing`)).status).toBe(403);
    expect((await get(southeast, `/staff/cases/${caseId}/housing`)).status).toBe(404);
    expect((await get(navigator, '/staff/shelter-requests')).status).toBe(403);
    expect((await get(professional, '/staff/shelter-requests')).status).toBe(403);
    expect(
      (await post(providerA, `/staff/cases/${caseId}/housing/requests`, { ageBand: '16-17' })).status,
    ).toBe(403);
  });
});

describe('closing a request and recording a stay on the pages', () => {
  it('closes with a reason (a missing one is named), and records a stay (a bad day is named)', async () => {
    const own = await addCase(t.deps);
    await post(navigator, `/staff/cases/${own}/housing/requests`, {
      ageBand: '16-17',
      gender: 'female',
      county: '27053',
      urgency: 'this_week',
    });
    const request = await t.deps.db
      .selectFrom('shelter_requests')
      .select('id')
      .where('case_id', '=', own)
      .executeTakeFirstOrThrow();
    const page = await (await get(navigator, `/staff/shelter-requests/${request.id}`)).text();
    expect(page).toContain('Close this request');
    const missing = await post(navigator, `/staff/shelter-requests/${request.id}/close`, {});
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Choose why the request is closing.');
    const closed = await post(navigator, `/staff/shelter-requests/${request.id}/close`, {
      reason: 'no_bed_found',
    });
    expect(closed.status).toBe(303);
    const after = await (await get(navigator, closed.headers.get('location')!)).text();
    expect(after).toContain('Closed without a bed: No bed found');
    expect(after).not.toContain('Close this request');
    const tab = await (await get(navigator, `/staff/cases/${own}/housing`)).text();
    expect(tab).toContain('Closed: No bed found');
    expect(tab).toContain('Record a stay that did not come from a shelter request');

    const bad = await post(navigator, `/staff/cases/${own}/housing/placements`, {
      programId: programB,
      startedOn: '2026-02-30',
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Give a day that exists');
    expect(badHtml).toContain('value="2026-02-30"');
    const stay = await post(navigator, `/staff/cases/${own}/housing/placements`, {
      programId: programB,
      startedOn: '2026-03-14',
    });
    expect(stay.status).toBe(303);
    const withStay = await (await get(navigator, stay.headers.get('location')!)).text();
    expect(withStay).toContain('Stay recorded.');
    expect(withStay).toContain('Synthetic Page Harbor B');
    expect(withStay).toContain('Staying now');
    expect(
      (await post(providerA, `/staff/cases/${own}/housing/placements`, { programId: programB })).status,
    ).toBe(403);
  });
});

describe('the API', () => {
  it('sends a request and answers it, with problem+json naming the field or the conflict', async () => {
    const apiCase = await addCase(t.deps);
    const body = {
      caseId: apiCase,
      ageBand: '14-15',
      gender: 'nonbinary',
      county: '27053',
      urgency: 'this_week',
    };
    const free = await api(navigator, 'POST', '/api/v1/housing/requests', { ...body, note: 'Sky, 15' });
    expect(free.status).toBe(400);
    const noBand = await api(navigator, 'POST', '/api/v1/housing/requests', { ...body, ageBand: undefined });
    expect(noBand.status).toBe(400);
    expect(JSON.stringify(noBand.json)).toContain('ageBand');
    expect((await api(providerA, 'POST', '/api/v1/housing/requests', body)).status).toBe(403);
    expect((await api(southeast, 'POST', '/api/v1/housing/requests', body)).status).toBe(404);
    const sent = await api(navigator, 'POST', '/api/v1/housing/requests', body);
    expect(sent.status).toBe(201);
    expect(sent.json.programs).toBe(2);
    const path = `/api/v1/housing/requests/${sent.json.id}/offers`;
    const before = await bedsOf(programA);
    const offer = await api(providerA, 'POST', path, { answer: 'offer', programId: programA });
    expect(offer.status).toBe(200);
    expect(offer.json.status).toBe('holding');
    expect(await bedsOf(programA)).toBe(before! - 1);
    const twice = await api(providerA, 'POST', path, { answer: 'offer', programId: programA });
    expect(twice.status).toBe(409);
    expect(twice.json.detail ?? twice.json.title).toMatch(/already answered/);
    expect((await api(providerB, 'POST', path, { answer: 'offer', programId: programA })).status).toBe(404);
    expect((await api(navigator, 'POST', path, { answer: 'offer', programId: programA })).status).toBe(403);
    const declined = await api(providerB, 'POST', path, {
      answer: 'decline',
      programId: programB,
      reason: 'age',
    });
    expect(declined.json).toEqual({ status: 'declined', heldUntil: null });
  });
});
