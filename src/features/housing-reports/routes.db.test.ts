/**
 * Housing reports through the app: the page (period and breakdown picker, tables with captions and
 * header cells, small counts as "hidden"), the CSV downloads with the same suppression, the staff
 * menu's link, `GET /api/v1/housing/reports` (problem+json for bad parameters) and its OpenAPI, and who is
 * refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { pageWith } from '../../../test/coordination.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { addCase } from '../referrals/testing.ts';

let t: TestApp;
let evaluator: TestStaff;
let adminA: TestStaff;
let navigator: TestStaff;
let provider: TestStaff;
let programA: string;
const { get, api } = staffRequests(() => t);
const PERIOD = 'from=2026-11-01&to=2026-11-30';

beforeAll(async () => {
  t = await testApp();
  const state = await addOrganization(t.deps.db, 'Synthetic State Agency', 'state_agency');
  const orgA = await addOrganization(t.deps.db, 'Synthetic Report Shelter', 'shelter_housing');
  evaluator = await addStaff(t.deps, 'evaluator', [], { organizationId: state });
  adminA = await addStaff(t.deps, 'org_admin', [], { organizationId: orgA });
  provider = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgA });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  const caseId = await addCase(t.deps);
  programA = randomUUID();
  await t.deps.db
    .insertInto('housing_programs')
    .values({
      id: programA,
      organization_id: orgA,
      name: 'Synthetic Report House',
      program_type: 'emergency_shelter',
      min_age: 14,
      max_age: 24,
      genders: ['female'],
      region_ids: ['west-metro'],
      beds_total: 20,
      beds_available: 0,
      created_at: new Date('2026-10-01T12:00:00Z'),
    })
    .execute();
  // 12 placed in West Metro and 3 still open in Southeast, all sent to the program.
  const requests: [string, 'placed' | 'open'][] = [
    ...Array.from({ length: 12 }, () => ['west-metro', 'placed'] as [string, 'placed']),
    ...Array.from({ length: 3 }, () => ['southeast', 'open'] as [string, 'open']),
  ];
  for (const [region, status] of requests) {
    const id = randomUUID();
    const at = new Date('2026-11-05T18:00:00Z');
    await t.deps.db
      .insertInto('shelter_requests')
      .values({
        id,
        case_id: caseId,
        region_id: region,
        county_fips: '27053',
        age_band: '16-17',
        gender: 'female',
        urgency: 'tonight',
        hold_minutes: 120,
        status,
        created_by: navigator.id,
        created_at: at,
        closed_at: status === 'placed' ? new Date(at.getTime() + 3_600_000) : null,
      })
      .execute();
    await t.deps.db
      .insertInto('shelter_offers')
      .values({
        id: randomUUID(),
        request_id: id,
        program_id: programA,
        organization_id: orgA,
        status: status === 'placed' ? 'confirmed' : 'waiting',
        answered_at: status === 'placed' ? new Date(at.getTime() + 15 * 60_000) : null,
      })
      .execute();
  }
  await t.deps.db
    .insertInto('housing_availability_updates')
    .values({
      id: randomUUID(),
      program_id: programA,
      beds_available: 4,
      beds_total: 20,
      via: 'synthetic',
      created_at: new Date('2026-11-05T20:00:00Z'),
    })
    .execute();
});
afterAll(async () => {
  await t.close();
});

describe('the housing reports page', () => {
  it('shows an evaluator the state: the picker, tables with captions and header cells, small counts hidden', async () => {
    const page = await pageWith(await get(evaluator, `/staff/housing/reports?${PERIOD}&by=region`), 200, [
      '<h1',
      'Housing reports',
      'name="from"',
      'value="2026-11-01"',
      'name="by"',
      '<caption>Shelter requests sent Sun, Nov 1, 2026 to Mon, Nov 30, 2026, by region</caption>',
      '<th scope="col">Requests sent</th>',
      '<th scope="row">West Metro</th>',
      '<th scope="row">Synthetic Report House</th>',
      '>hidden<',
      '<caption>Beds available at 9 PM each night',
      `href="/staff/housing/reports/download?table=requests&amp;${PERIOD.replace('&', '&amp;')}&amp;by=region"`,
      'href="/staff/reports" aria-current="page"',
    ]);
    // The Southeast 3 are hidden, and the West Metro 12 with them (the total, 15, is shown).
    expect(page).toMatch(/<th scope="row"><strong>All<\/strong><\/th><td>15<\/td>/);
    expect(page).not.toMatch(/<th scope="row">West Metro<\/th><td>12<\/td>/);
  });

  it('shows an organization administrator their programs only, and refuses navigators and provider staff', async () => {
    const own = await pageWith(await get(adminA, `/staff/housing/reports?${PERIOD}`), 200, [
      'How your programs answered',
      'Synthetic Report House',
    ]);
    expect(own).not.toContain('Shelter requests by');
    for (const who of [navigator, provider]) {
      await pageWith(await get(who, '/staff/housing/reports'), 403, ['Housing reports are for']);
      expect(await (await get(who, '/staff')).text()).not.toContain('href="/staff/reports"');
    }
    expect(await (await get(evaluator, '/staff')).text()).toContain('href="/staff/reports"');
  });

  it('names the field of a bad period', async () => {
    await pageWith(await get(evaluator, '/staff/housing/reports?from=2026-11-30&to=2026-11-01'), 400, [
      'href="#to"',
      'The last day must be on or after the first day.',
    ]);
    await pageWith(await get(evaluator, '/staff/housing/reports?from=2026-13-01'), 400, ['href="#from"']);
  });

  it('downloads each table as CSV with the same suppression', async () => {
    const res = await get(evaluator, `/staff/housing/reports/download?table=requests&${PERIOD}&by=region`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('housing-requests-2026-11-01-to-2026-11-30.csv');
    const csv = await res.text();
    expect(csv).toMatch(/\r\nsoutheast,Southeast,,true,/);
    expect(csv).toMatch(/\r\ntotal,All,15,false,/);
    const nights = await (await get(adminA, `/staff/housing/reports/download?table=nights&${PERIOD}`)).text();
    expect(nights.split('\r\n')[0]).toBe(
      'night,beds_available,beds_available_suppressed,programs_counted,programs_counted_suppressed,programs_unknown,programs_unknown_suppressed',
    );
    expect(nights).toContain('\r\n2026-11-05,4,false,1,false,0,false\r\n');
    expect((await get(adminA, `/staff/housing/reports/download?table=requests&${PERIOD}`)).status).toBe(403);
    expect((await get(evaluator, `/staff/housing/reports/download?table=people`)).status).toBe(400);
    expect((await get(navigator, `/staff/housing/reports/download?table=nights`)).status).toBe(403);
  });
});

describe('GET /api/v1/housing/reports', () => {
  it('answers the report as JSON, a hidden count null and flagged', async () => {
    const res = await api(evaluator, 'GET', `/api/v1/housing/reports?${PERIOD}&by=region`);
    expect(res.status).toBe(200);
    const body = res.json as {
      scope: string;
      smallNumberThreshold: number;
      period: { timezone: string };
      requests: { rows: { group: string; sent: unknown }[]; total: { sent: unknown } };
      programs: { rows: { program: string; sent: unknown; yes: unknown }[] };
      nights: { rows: unknown[] };
    };
    expect([body.scope, body.smallNumberThreshold, body.period.timezone]).toEqual([
      'statewide',
      10,
      'America/Chicago',
    ]);
    expect(body.requests.total.sent).toEqual({ value: 15, suppressed: false });
    expect(body.requests.rows.find((r) => r.group === 'southeast')!.sent).toEqual({
      value: null,
      suppressed: true,
    });
    expect(body.programs.rows[0]).toMatchObject({
      program: 'Synthetic Report House',
      sent: { value: 15, suppressed: false },
      yes: { value: 12, suppressed: false },
    });
    expect(body.nights.rows).toHaveLength(30);
    expect(res.text).not.toContain('case');
  });

  it('answers 400 problem+json naming a bad parameter, and refuses who may not see reports', async () => {
    const by = await t.app.request(`/api/v1/housing/reports?by=county`, {
      headers: { Cookie: (await staffRequests(() => t).session(evaluator)).cookie },
    });
    expect(by.status).toBe(400);
    expect(by.headers.get('content-type')).toContain('application/problem+json');
    expect(((await by.json()) as { field: string }).field).toBe('by');
    const order = await api(evaluator, 'GET', '/api/v1/housing/reports?from=2026-11-30&to=2026-11-01');
    expect([order.status, (order.json as { field: string }).field]).toEqual([400, 'to']);
    expect((await api(adminA, 'GET', `/api/v1/housing/reports?${PERIOD}`)).json).toMatchObject({
      scope: 'organization',
      requests: null,
    });
    expect((await api(navigator, 'GET', '/api/v1/housing/reports')).status).toBe(403);
    expect((await api(provider, 'GET', '/api/v1/housing/reports')).status).toBe(403);
    expect((await api(null, 'GET', '/api/v1/housing/reports')).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    const params = doc.paths['/api/v1/housing/reports']?.get?.parameters?.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['from', 'to', 'by']));
  });
});
