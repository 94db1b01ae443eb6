/**
 * Training reports through the app, on synthetic data with known counts: completions by course,
 * organization type and region for a quarter (exact above the small-number threshold, hidden below, with
 * complementary suppression of a quarter's rows), people trained per event, the certified settings whose
 * direct-contact staff are not all trained (state administrators only), the CSV downloads, the API and
 * who is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { pageWith } from '../../../test/coordination.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';

let t: TestApp;
let stateAdmin: TestStaff;
let evaluator: TestStaff;
let adminA: TestStaff;
let navigator: TestStaff;
let trainer: TestStaff;
const { get, api } = staffRequests(() => t);
const Q4 = 'quarter=2026-Q4';
const bytes = Buffer.from('synthetic');

interface Cell {
  value: number | null;
  suppressed: boolean;
}
interface Body {
  scope: string;
  period: { from: string; to: string; timezone: string };
  completions: { quarter: string; group: string; completions: Cell; people: Cell }[];
  events: { title: string; date: string; registered: Cell; attended: Cell; completions: Cell }[];
  settings: { setting: string; staff: number; trained: number; overdue: number }[] | null;
}
const shown = (value: number): Cell => ({ value, suppressed: false });
const hidden: Cell = { value: null, suppressed: true };
const row = (b: Body, group: string) => b.completions.find((r) => r.group === group)!;

let certificate = 0;
async function roster(organizationId: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  for (const id of ids)
    await t.deps.db
      .insertInto('training_roster')
      .values({
        id,
        organization_id: organizationId,
        name_encrypted: bytes,
        initials: 'S.R.',
        role: 'provider_staff',
      })
      .execute();
  return ids;
}
async function complete(
  organizationId: string,
  people: string[],
  course: string,
  on: string,
  eventId: string | null = null,
) {
  for (const person of people)
    await t.deps.db
      .insertInto('training_completions')
      .values({
        id: randomUUID(),
        organization_id: organizationId,
        roster_id: person,
        course_code: course,
        completed_on: on,
        source: eventId ? 'event' : 'organization',
        event_id: eventId,
        certificate_code: `SYNR${String(++certificate).padStart(6, '0')}`,
        initials: 'S.R.',
      })
      .execute();
}
async function event(title: string, course: string | null, organizationId: string, on: string) {
  const id = randomUUID();
  await t.deps.db
    .insertInto('events')
    .values({
      id,
      kind: 'training',
      title,
      description: '',
      course_code: course,
      place_kind: 'online',
      registration: 'staff',
      organizer_organization_id: organizationId,
      organizer_name: 'Synthetic Organizer',
      starts_on: on,
      start_time: '11:00',
      end_time: '12:30',
    })
    .execute();
  return id;
}
async function register(
  eventId: string,
  on: string,
  n: number,
  status: 'registered' | 'cancelled',
  attended: boolean | null,
) {
  for (let i = 0; i < n; i++)
    await t.deps.db
      .insertInto('event_registrations')
      .values({
        id: randomUUID(),
        event_id: eventId,
        occurrence_date: on,
        status,
        name_encrypted: bytes,
        email_encrypted: bytes,
        email_index: randomUUID(),
        cancel_token_hash: randomUUID(),
        token_encrypted: bytes,
        channel: 'staff',
        attended,
      })
      .execute();
}
async function setting(
  organizationId: string,
  name: string,
  status: 'certified' | 'revoked',
  staff: [string, string | null][],
) {
  const id = randomUUID();
  await t.deps.db
    .insertInto('certified_settings')
    .values({
      id,
      organization_id: organizationId,
      name,
      license_number: 'SYN-1',
      certification_number: 'SYN-2',
      certified_on: '2026-01-01',
      expires_on: '2028-01-01',
      status,
    })
    .execute();
  for (const [startedOn, trainedOn] of staff)
    await t.deps.db
      .insertInto('certified_setting_staff')
      .values({
        id: randomUUID(),
        setting_id: id,
        name_encrypted: bytes,
        role_title: 'Youth worker',
        started_on: startedOn,
        trained_on: trainedOn,
      })
      .execute();
}

beforeAll(async () => {
  t = await testApp();
  const db = t.deps.db;
  const state = await addOrganization(db, 'Synthetic State Agency', 'state_agency');
  const orgA = await addOrganization(db, 'Synthetic Training Shelter', 'shelter_housing');
  const orgB = await addOrganization(db, 'Synthetic County', 'child_protection');
  stateAdmin = await addStaff(t.deps, 'state_admin', [], { organizationId: state });
  evaluator = await addStaff(t.deps, 'evaluator', [], { organizationId: state });
  adminA = await addStaff(t.deps, 'org_admin', [], { organizationId: orgA });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  trainer = await addStaff(t.deps, 'trainer', [], { organizationId: state });
  await db
    .insertInto('training_organization_regions')
    .values([
      { organization_id: orgA, region_id: 'west-metro' },
      { organization_id: orgB, region_id: 'southeast' },
    ])
    .execute();
  for (const code of ['SYN-A', 'SYN-B'])
    await db
      .insertInto('training_courses')
      .values({
        code,
        title: `Synthetic course ${code.slice(4)}`,
        provider: 'Synthetic provider',
        source: 'synthetic',
        retrieved: '2026-01-01',
        verified: false,
        origin: 'staff',
      })
      .execute();
  // Q4 2026: orgA's 12 people take course A (10 of them at an event on Nov 18) and 10 of them course B;
  // orgB's 3 people take course A. One completion in Q3, outside the quarter.
  const a = await roster(orgA, 12);
  const b = await roster(orgB, 3);
  const e1 = await event('Synthetic training day', 'SYN-A', orgA, '2026-11-18');
  const e2 = await event('Synthetic county training', 'SYN-A', orgB, '2026-12-02');
  const e3 = await event('Synthetic community evening', null, orgA, '2026-11-20');
  await complete(orgA, a.slice(0, 10), 'SYN-A', '2026-11-18', e1);
  await complete(orgA, a.slice(10), 'SYN-A', '2026-10-07');
  await complete(orgA, a.slice(0, 10), 'SYN-B', '2026-12-01');
  await complete(orgB, b, 'SYN-A', '2026-12-02', e2);
  await complete(orgB, b.slice(0, 1), 'SYN-B', '2026-09-15');
  await register(e1, '2026-11-18', 10, 'registered', true);
  await register(e1, '2026-11-18', 2, 'registered', false);
  await register(e1, '2026-11-18', 2, 'cancelled', null);
  await register(e2, '2026-12-02', 3, 'registered', true);
  await register(e3, '2026-11-20', 4, 'registered', true);
  const recent = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await setting(orgA, 'Synthetic Setting One', 'certified', [
    ['2020-01-01', '2020-01-15'],
    ['2020-02-01', null],
    [recent, null],
  ]);
  await setting(orgA, 'Synthetic Setting Two', 'certified', [['2020-01-01', '2020-01-20']]);
  await setting(orgB, 'Synthetic Setting Revoked', 'revoked', [['2020-01-01', null]]);
});
afterAll(async () => {
  await t.close();
});

describe('completions by quarter', () => {
  it('counts completions and people by course: exact above the threshold', async () => {
    const res = await api(evaluator, 'GET', `/api/v1/training/reports?${Q4}&by=course`);
    expect(res.status).toBe(200);
    const body = res.json as Body;
    expect([body.scope, body.period.from, body.period.to, body.period.timezone]).toEqual([
      'statewide',
      '2026-10-01',
      '2026-12-31',
      'America/Chicago',
    ]);
    expect(body.completions.map((r) => [r.quarter, r.group])).toEqual([
      ['2026-Q4', 'SYN-A'],
      ['2026-Q4', 'SYN-B'],
      ['2026-Q4', 'total'],
    ]);
    expect([row(body, 'SYN-A').completions, row(body, 'SYN-A').people]).toEqual([shown(15), shown(15)]);
    expect([row(body, 'SYN-B').completions, row(body, 'SYN-B').people]).toEqual([shown(10), shown(10)]);
    expect([row(body, 'total').completions, row(body, 'total').people]).toEqual([shown(25), shown(15)]);
  });

  it('hides 1 to 9 by organization type, and a neighbour so the total does not give it away', async () => {
    const body = (await api(evaluator, 'GET', `/api/v1/training/reports?${Q4}&by=organization_type`))
      .json as Body;
    expect(row(body, 'child_protection').completions).toEqual(hidden);
    expect(row(body, 'child_protection').people).toEqual(hidden);
    // 22 = 25 − 3: hidden with it. People are not a sum (a person takes two courses): 12 shown.
    expect(row(body, 'shelter_housing').completions).toEqual(hidden);
    expect(row(body, 'shelter_housing').people).toEqual(shown(12));
    expect(row(body, 'total').completions).toEqual(shown(25));
  });

  it('counts by region through the organizations’ regions, and spans quarters over a date range', async () => {
    const body = (await api(evaluator, 'GET', `/api/v1/training/reports?${Q4}&by=region`)).json as Body;
    expect(row(body, 'west-metro').completions).toEqual(shown(22));
    expect(row(body, 'southeast').completions).toEqual(hidden);
    const range = (
      await api(evaluator, 'GET', '/api/v1/training/reports?from=2026-07-01&to=2026-12-31&by=course')
    ).json as Body;
    expect(range.completions.filter((r) => r.group === 'total').map((r) => r.quarter)).toEqual([
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(
      range.completions.find((r) => r.quarter === '2026-Q3' && r.group === 'SYN-B')!.completions,
    ).toEqual(hidden);
  });

  it('shows an organization administrator their own organization, as recorded', async () => {
    const body = (await api(adminA, 'GET', `/api/v1/training/reports?${Q4}&by=organization_type`))
      .json as Body;
    expect(body.scope).toBe('organization');
    expect(body.completions.map((r) => [r.group, r.completions.value, r.people.value])).toEqual([
      ['shelter_housing', 22, 12],
      ['total', 22, 12],
    ]);
    expect(body.events.map((e) => e.title)).toEqual(['Synthetic training day']);
    expect(body.settings).toBeNull();
  });
});

describe('people trained per event and certified settings', () => {
  it('counts each course event’s date: registered, attended, completions; small counts hidden for the state', async () => {
    const body = (await api(evaluator, 'GET', `/api/v1/training/reports?${Q4}`)).json as Body;
    expect(body.events.map((e) => [e.title, e.date])).toEqual([
      ['Synthetic training day', '2026-11-18'],
      ['Synthetic county training', '2026-12-02'],
    ]);
    expect(body.events[0]).toMatchObject({
      registered: shown(12),
      attended: shown(10),
      completions: shown(10),
    });
    expect(body.events[1]).toMatchObject({ registered: hidden, attended: hidden, completions: hidden });
    expect(body.settings).toBeNull();
  });

  it('lists for state administrators the settings whose staff are not all trained, with the overdue', async () => {
    const body = (await api(stateAdmin, 'GET', `/api/v1/training/reports?${Q4}`)).json as Body;
    expect(body.settings).toEqual([
      expect.objectContaining({ setting: 'Synthetic Setting One', staff: 3, trained: 1, overdue: 1 }),
    ]);
  });
});

describe('the training reports page, downloads and who is refused', () => {
  it('shows the picker and tables with captions and header cells, small counts as "hidden"', async () => {
    const page = await pageWith(
      await get(stateAdmin, `/staff/training/reports?${Q4}&by=organization_type`),
      200,
      [
        'Training reports',
        'name="quarter"',
        'value="2026-Q4"',
        '<caption>Training completions',
        '<th scope="col">Completions</th>',
        '<th scope="row">County or tribal child protection</th>',
        '>hidden<',
        '<th scope="row">Synthetic training day</th>',
        '<th scope="row">Synthetic Setting One</th>',
        '1 of 3',
        'href="/staff/training/reports/download?table=completions&amp;from=2026-10-01&amp;to=2026-12-31&amp;by=organization_type"',
      ],
    );
    expect(page).not.toContain('Synthetic Setting Two');
    expect(page).not.toContain('value="2026-10-01"');
    // The page open is marked once in the menu: the reports, not the training home above them.
    expect(page).toContain('href="/staff/reports" aria-current="page"');
    expect(page).not.toContain('href="/staff/training" aria-current="page"');
    const evaluatorPage = await pageWith(await get(evaluator, `/staff/training/reports?${Q4}`), 200, [
      'People trained per event',
    ]);
    expect(evaluatorPage).not.toContain('Synthetic Setting One');
    await pageWith(await get(evaluator, '/staff/training/reports?from=2026-12-31&to=2026-10-01'), 400, [
      'href="#to"',
      'The last day must be on or after the first day.',
    ]);
    expect(await (await get(evaluator, '/staff')).text()).toContain('href="/staff/reports"');
    expect(await (await get(navigator, '/staff')).text()).not.toContain('href="/staff/reports"');
  });

  it('downloads each table as CSV with the same suppression', async () => {
    const period = 'from=2026-10-01&to=2026-12-31';
    const res = await get(
      evaluator,
      `/staff/training/reports/download?table=completions&${period}&by=organization_type`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(
      'training-completions-2026-10-01-to-2026-12-31.csv',
    );
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe(
      'quarter,quarter_name,organization_type,organization_type_name,completions,completions_suppressed,people,people_suppressed',
    );
    expect(csv).toContain(
      '\r\n2026-Q4,October–December 2026,child_protection,County or tribal child protection,,true,,true\r\n',
    );
    expect(csv).toContain('\r\n2026-Q4,October–December 2026,total,All,25,false,15,false\r\n');
    const events = await (
      await get(evaluator, `/staff/training/reports/download?table=events&${period}`)
    ).text();
    expect(events).toContain('\r\nSynthetic training day,SYN-A,2026-11-18,12,false,10,false,10,false\r\n');
    const settings = await (
      await get(stateAdmin, `/staff/training/reports/download?table=settings&${period}`)
    ).text();
    expect(settings).toContain('\r\nSynthetic Setting One,Synthetic Training Shelter');
    expect((await get(evaluator, `/staff/training/reports/download?table=settings&${period}`)).status).toBe(
      403,
    );
    expect((await get(evaluator, '/staff/training/reports/download?table=people')).status).toBe(400);
  });

  it('refuses who may not see reports, and answers problem+json for a bad parameter', async () => {
    for (const who of [navigator, trainer]) {
      await pageWith(await get(who, '/staff/training/reports'), 403, ['Training reports are for']);
      expect((await api(who, 'GET', '/api/v1/training/reports')).status).toBe(403);
    }
    expect((await api(null, 'GET', '/api/v1/training/reports')).status).toBe(401);
    const bad = await api(evaluator, 'GET', '/api/v1/training/reports?by=county');
    expect([bad.status, (bad.json as { field: string }).field]).toEqual([400, 'by']);
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    expect(doc.paths['/api/v1/training/reports']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['quarter', 'from', 'to', 'by']),
    );
  });
});
