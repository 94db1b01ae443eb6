/**
 * Housing pages and API through the app: a provider's programs with the compact availability form (a
 * tap saves), a program's page with its history and confidential address, the program form with errors
 * that name the field, another organization's program answered 404, the bed board page for navigators
 * (never an address), roles refused, the navigation links, `PUT /api/v1/housing-programs/{id}/availability`
 * and `GET /api/v1/housing/availability` (problem+json errors, ordering, filters) and their OpenAPI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { pageWith } from '../../../test/coordination.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { createApiToken } from '../accounts/service.ts';
import { createProgram, housingContext, updateAvailability } from './service.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };
const HOUR = 3_600_000;

let t: TestApp;
let provider: TestStaff;
let otherProvider: TestStaff;
let navigator: TestStaff;
let stateAdmin: TestStaff;
let professional: TestStaff;
let shelter: string;
let full: string;
let stale: string;
let elsewhere: string;

const { get, post, api } = staffRequests(() => t);

const PROGRAM = {
  name: 'Synthetic Route House',
  type: 'emergency_shelter',
  minAge: 12,
  maxAge: 17,
  genders: ['female', 'transgender', 'nonbinary'],
  serves: ['lgbtq_affirming'],
  languages: ['English'],
  regionIds: ['west-metro'],
  address: '200 Confidential Avenue',
  bedsTotal: 4,
};

beforeAll(async () => {
  t = await testApp();
  const org = await addOrganization(t.deps.db, 'Synthetic Route Shelter', 'shelter_housing');
  const otherOrg = await addOrganization(t.deps.db, 'Synthetic Route Other', 'shelter_housing');
  provider = await addStaff(t.deps, 'provider_staff', [], { organizationId: org });
  otherProvider = await addStaff(t.deps, 'provider_staff', [], { organizationId: otherOrg });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  stateAdmin = await addStaff(t.deps, 'state_admin');
  professional = await addStaff(t.deps, 'professional');
  const ctx = housingContext(t.deps);
  const ago = (h: number) => ({ ...ctx, now: () => new Date(Date.now() - h * HOUR) });
  shelter = await createProgram(ctx, provider.actor, PROGRAM, ORIGIN);
  await updateAvailability(ago(3), provider.actor, shelter, { available: 1 }, 'page', ORIGIN);
  full = await createProgram(ctx, provider.actor, { ...PROGRAM, name: 'Synthetic Route Full' }, ORIGIN);
  await updateAvailability(ago(1), provider.actor, full, { available: 0 }, 'page', ORIGIN);
  stale = await createProgram(ctx, provider.actor, { ...PROGRAM, name: 'Synthetic Route Stale' }, ORIGIN);
  await updateAvailability(ago(30), provider.actor, stale, { available: 3 }, 'page', ORIGIN);
  elsewhere = await createProgram(
    ctx,
    otherProvider.actor,
    { ...PROGRAM, name: 'Synthetic Route Southeast', regionIds: ['southeast'], genders: ['male'] },
    ORIGIN,
  );
  await updateAvailability(ctx, otherProvider.actor, elsewhere, { available: 2 }, 'api', ORIGIN);
});
afterAll(async () => {
  await t.close();
});

const bedsOf = async (id: string) =>
  t.deps.db
    .selectFrom('housing_programs')
    .select(['beds_available', 'beds_total'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('a provider’s programs', () => {
  it('lists the organization’s programs with a button per count, and the navigation link', async () => {
    const page = await pageWith(await get(provider, '/staff/housing/programs'), 200, [
      '<a href="/staff/housing/programs" aria-current="page">Housing programs</a>',
      'Synthetic Route House',
      'Tap how many beds are free now',
      'aria-label="4 of 4 beds free now"',
      'Out of date',
    ]);
    expect(page).not.toContain('Synthetic Route Southeast');
    expect(page).not.toContain('/staff/housing/beds');
  });

  it('saves the number tapped, and keeps it in the history', async () => {
    const res = await post(provider, `/staff/housing/programs/${shelter}/availability`, {
      back: 'list',
      available: '3',
      total: '4',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/housing/programs?done=updated');
    expect(await bedsOf(shelter)).toEqual({ beds_available: 3, beds_total: 4 });
    await pageWith(await get(provider, `/staff/housing/programs/${shelter}?done=updated`), 200, [
      'Beds available saved',
      'Updates of beds available',
      '200 Confidential Avenue',
      'updated just now',
    ]);
  });

  it('explains a count that cannot be saved', async () => {
    const res = await post(provider, `/staff/housing/programs/${shelter}/availability`, { available: '9' });
    await pageWith(res, 400, ['The beds were not saved', 'more beds available than the 4 beds in all']);
    expect((await bedsOf(shelter)).beds_available).toBe(3);
  });

  it('answers another organization’s program as not found, and refuses other roles', async () => {
    expect((await get(otherProvider, `/staff/housing/programs/${shelter}`)).status).toBe(404);
    expect(
      (await post(otherProvider, `/staff/housing/programs/${shelter}/availability`, { available: '0' }))
        .status,
    ).toBe(404);
    expect((await bedsOf(shelter)).beds_available).toBe(3);
    for (const who of [navigator, stateAdmin, professional])
      expect((await get(who, '/staff/housing/programs')).status).toBe(403);
    const anonymous = await get(null, '/staff/housing/programs');
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/staff/sign-in']);
  });

  it('adds a program from the form, naming the field at fault', async () => {
    const fields = {
      name: 'Synthetic Form House',
      type: 'host_home',
      minAge: '14',
      maxAge: '12',
      genders: ['female', 'male'],
      serves: ['pregnant_parenting'],
      languages: 'English, Spanish',
      regionIds: ['central'],
      countyFips: ['27053'],
      bedsTotal: '',
      bedTypes: 'Single: 2\nParenting room: 1',
      address: '300 Synthetic Road',
    };
    const wrong = await post(provider, '/staff/housing/programs', fields);
    await pageWith(wrong, 400, [
      'There is a problem',
      'href="#maxAge"',
      'The oldest age cannot be below the youngest.',
    ]);
    const badTypes = await post(provider, '/staff/housing/programs', {
      ...fields,
      maxAge: '20',
      bedTypes: 'many beds',
    });
    await pageWith(badTypes, 400, ['href="#bedTypes"', 'a colon and a number']);
    const ok = await post(provider, '/staff/housing/programs', { ...fields, maxAge: '20' });
    expect(ok.status).toBe(303);
    const id = /programs\/([0-9a-f-]{36})\?done=added/.exec(ok.headers.get('location') ?? '')?.[1];
    expect(id).toBeDefined();
    const row = await t.deps.db
      .selectFrom('housing_programs')
      .selectAll()
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      program_type: 'host_home',
      beds_total: 3,
      languages: ['English', 'Spanish'],
      county_fips: ['27053'],
      genders: ['female', 'male'],
    });
    expect(row.bed_types).toEqual([
      { name: 'Single', total: 2, available: 0 },
      { name: 'Parenting room', total: 1, available: 0 },
    ]);
    // A program with types of bed is updated type by type.
    const page = await pageWith(await get(provider, `/staff/housing/programs/${id}`), 200, [
      'Parenting room (of 1)',
    ]);
    expect(page).toContain('name="typeAvailable1"');
    const saved = await post(provider, `/staff/housing/programs/${id}/availability`, {
      typeName0: 'Single',
      typeTotal0: '2',
      typeAvailable0: '2',
      typeName1: 'Parenting room',
      typeTotal1: '1',
      typeAvailable1: '1',
    });
    expect(saved.status).toBe(303);
    expect(await bedsOf(id!)).toEqual({ beds_available: 3, beds_total: 3 });
    // The edit form shows the description again, and saves a change.
    await pageWith(await get(provider, `/staff/housing/programs/${id}/edit`), 200, [
      'value="Synthetic Form House"',
      '300 Synthetic Road',
      'Single: 2',
    ]);
    const changed = await post(provider, `/staff/housing/programs/${id}/edit`, {
      ...fields,
      maxAge: '21',
      name: 'Synthetic Renamed',
    });
    expect(changed.status).toBe(303);
    expect(
      (
        await t.deps.db
          .selectFrom('housing_programs')
          .select('name')
          .where('id', '=', id!)
          .executeTakeFirstOrThrow()
      ).name,
    ).toBe('Synthetic Renamed');
  });
});

describe('the bed board page', () => {
  it('shows navigators the programs that fit, beds free first, freshness shown, never an address', async () => {
    const page = await pageWith(
      await get(navigator, '/staff/housing/beds?age=15&gender=female&county=27053'),
      200,
      [
        '<a href="/staff/housing/beds" aria-current="page">Bed board</a>',
        'Synthetic Route House',
        '3 of 4 free',
        'Full (4 beds)',
        'Out of date',
        'updated 30 hours ago',
      ],
    );
    expect(page).not.toContain('Confidential Avenue');
    expect(page).not.toContain('Synthetic Route Southeast');
    expect(page.indexOf('Synthetic Route House')).toBeLessThan(page.indexOf('Synthetic Route Stale'));
    expect(page.indexOf('Synthetic Route Stale')).toBeLessThan(page.indexOf('Synthetic Route Full'));
  });

  it('names a filter it cannot use', async () => {
    await pageWith(await get(navigator, '/staff/housing/beds?age=40'), 400, ['href="#age"', 'up to 24']);
    await pageWith(await get(navigator, '/staff/housing/beds?county=99999'), 400, ['href="#county"']);
  });

  it('is refused to provider staff and professionals, and shown to state administrators', async () => {
    expect((await get(provider, '/staff/housing/beds')).status).toBe(403);
    expect((await get(professional, '/staff/housing/beds')).status).toBe(403);
    await pageWith(await get(stateAdmin, '/staff/housing/beds'), 200, ['Synthetic Route Southeast']);
  });
});

describe('the housing API', () => {
  it('records availability with PUT, with problem+json errors that name the field', async () => {
    const path = `/api/v1/housing-programs/${full}/availability`;
    const ok = await api(provider, 'PUT', path, { available: 2 });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: full, beds: { available: 2, total: 4, types: [] } });
    expect(Date.now() - Date.parse(ok.json.updatedAt)).toBeLessThan(60_000);
    const bad = await api(provider, 'PUT', path, { available: 'many' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ status: 400, field: 'available' });
    for (const available of [null, true, '', 1.5])
      expect((await api(provider, 'PUT', path, { available })).json).toMatchObject({
        status: 400,
        field: 'available',
      });
    const over = await api(provider, 'PUT', path, { available: 7 });
    expect([over.status, over.json.field]).toEqual([400, 'available']);
    expect((await api(otherProvider, 'PUT', path, { available: 0 })).status).toBe(404);
    expect((await api(navigator, 'PUT', path, { available: 0 })).status).toBe(403);
    expect((await api(null, 'PUT', path, { available: 0 })).status).toBe(401);
    expect(await bedsOf(full)).toEqual({ beds_available: 2, beds_total: 4 });
  });

  it('answers the bed board with GET, filtered and ordered, never an address', async () => {
    const { token } = await createApiToken(
      { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
      'system',
      { userId: navigator.id, scopes: ['housing.read'], expiresInDays: 1 },
      ORIGIN,
    );
    const call = (query: string) =>
      t.app.request(`/api/v1/housing/availability${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    const res = await call('?age=16&gender=female&county=27053&needs=lgbtq_affirming');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('Confidential');
    const body = JSON.parse(text) as {
      staleAfterHours: number;
      programs: { name: string; stale: boolean; freshness: string; beds: { available: number } }[];
    };
    expect(body.staleAfterHours).toBe(24);
    const ours = body.programs.filter((p) => p.name.startsWith('Synthetic Route'));
    expect(ours.map((p) => [p.name, p.beds.available, p.stale])).toEqual([
      ['Synthetic Route House', 3, false],
      ['Synthetic Route Full', 2, false],
      ['Synthetic Route Stale', 3, true],
    ]);
    expect(ours[2]!.freshness).toBe('updated 30 hours ago');
    const tonightMale = (await (await call('?gender=male&when=tonight')).json()) as {
      programs: { name: string }[];
    };
    // The form's program (serving boys too, 3 beds free) comes before the one with 2.
    expect(tonightMale.programs.map((p) => p.name)).toEqual([
      'Synthetic Renamed',
      'Synthetic Route Southeast',
    ]);

    const wrong = await call('?gender=robot');
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(((await wrong.json()) as { field: string }).field).toBe('gender');
    const county = await call('?county=99999');
    expect([county.status, ((await county.json()) as { field: string }).field]).toEqual([400, 'county']);
    expect((await api(provider, 'GET', '/api/v1/housing/availability')).status).toBe(403);
    expect((await api(null, 'GET', '/api/v1/housing/availability')).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    expect(doc.paths['/api/v1/housing-programs/{id}/availability']?.put).toBeDefined();
    const params = doc.paths['/api/v1/housing/availability']?.get?.parameters?.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['age', 'gender', 'county', 'needs', 'when']));
  });
});

describe('the staff home page', () => {
  it('tells a provider how many of their programs are out of date, and a navigator how many have a bed free', async () => {
    await pageWith(await get(provider, '/staff'), 200, [
      '<a href="/staff/housing/programs" class="nwd-count nwd-warn"><b>1</b>Your housing programs with beds out of date</a>',
    ]);
    const board = await pageWith(await get(navigator, '/staff'), 200, [
      'Housing programs with a bed free now',
    ]);
    const free = /href="\/staff\/housing\/beds\?when=tonight" class="nwd-count"><b>(\d+)<\/b>/.exec(
      board,
    )?.[1];
    expect(Number(free)).toBe(5);
    // An organization without housing programs is not asked about them.
    const page = await pageWith(await get(professional, '/staff'), 200);
    expect(page).not.toContain('Housing programs');
    const none = await addStaff(t.deps, 'org_admin', [], {
      organizationId: await addOrganization(t.deps.db, 'Synthetic No Housing', 'service_provider'),
    });
    expect(await pageWith(await get(none, '/staff'), 200)).not.toContain('beds out of date');
  });
});
