/**
 * Housing capacity in Open Referral HSDS 3.1: the authenticated partner export
 * (`GET /api/v1/hsds/partner-export`) carries each housing program as a service with its beds now, valid
 * against the official HSDS 3.1 schema, for those who may see the bed board only; the public directory
 * (its pages, its API and its export) never carries a capacity, a program's live count or its address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import type { Action } from '../../platform/access.ts';
import { createApiToken } from '../accounts/service.ts';
import { createProgram, housingContext, updateAvailability } from '../housing/service.ts';
import { BED_UNIT, nameUuid } from './capacity.ts';
import { validateHsdsService } from './hsds-validate.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };
const HOUR = 3_600_000;
const ADDRESS = '77 Sealed Synthetic Lane';

let t: TestApp;
let provider: TestStaff;
let navigator: TestStaff;
let stateAdmin: TestStaff;
let professional: TestStaff;
let evaluator: TestStaff;
let plain: string;
let typed: string;
let never: string;
let disabledProgram: string;
let plainUpdatedAt: Date;

const { api, get } = staffRequests(() => t);

const PROGRAM = {
  name: 'Synthetic Capacity House',
  type: 'emergency_shelter',
  minAge: 12,
  maxAge: 17,
  genders: ['female', 'transgender', 'nonbinary'],
  serves: ['lgbtq_affirming', 'culturally_specific'],
  culturallySpecificFor: 'Synthetic community',
  languages: ['English', 'Spanish'],
  regionIds: ['west-metro'],
  countyFips: ['27123'],
  address: ADDRESS,
  bedsTotal: 6,
};

type Service = Record<string, any>;
interface Page {
  total_items: number;
  contents: Service[];
}

beforeAll(async () => {
  t = await testApp();
  const org = await addOrganization(t.deps.db, 'Synthetic Capacity Shelter', 'shelter_housing');
  const gone = await addOrganization(t.deps.db, 'Synthetic Capacity Gone', 'shelter_housing');
  provider = await addStaff(t.deps, 'provider_staff', [], { organizationId: org });
  const goneProvider = await addStaff(t.deps, 'provider_staff', [], { organizationId: gone });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  stateAdmin = await addStaff(t.deps, 'state_admin');
  professional = await addStaff(t.deps, 'professional');
  evaluator = await addStaff(t.deps, 'evaluator');
  const ctx = housingContext(t.deps);
  plain = await createProgram(ctx, provider.actor, PROGRAM, ORIGIN);
  plainUpdatedAt = (await updateAvailability(ctx, provider.actor, plain, { available: 2 }, 'page', ORIGIN))
    .updatedAt;
  typed = await createProgram(
    ctx,
    provider.actor,
    {
      ...PROGRAM,
      name: 'Synthetic Capacity Rooms',
      type: 'transitional',
      minAge: 16,
      maxAge: 24,
      serves: ['pregnant_parenting'],
      countyFips: [],
      languages: ['English', 'Synthetic Sign'],
      bedTypes: [
        { name: 'Single', total: 4 },
        { name: 'Parenting room', total: 2 },
      ],
    },
    ORIGIN,
  );
  await updateAvailability(
    { ...ctx, now: () => new Date(Date.now() - 30 * HOUR) },
    provider.actor,
    typed,
    {
      bedTypes: [
        { name: 'Single', total: 4, available: 3 },
        { name: 'Parenting room', total: 2, available: 0 },
      ],
    },
    'api',
    ORIGIN,
  );
  never = await createProgram(ctx, provider.actor, { ...PROGRAM, name: 'Synthetic Capacity New' }, ORIGIN);
  disabledProgram = await createProgram(
    ctx,
    goneProvider.actor,
    { ...PROGRAM, name: 'Synthetic Capacity Disabled' },
    ORIGIN,
  );
  await updateAvailability(ctx, goneProvider.actor, disabledProgram, { available: 5 }, 'page', ORIGIN);
  await t.deps.db
    .updateTable('member_organizations')
    .set({ disabled_at: new Date() })
    .where('id', '=', gone)
    .execute();
});
afterAll(async () => {
  await t.close();
});

const partnerExport = async (who: TestStaff) => {
  const res = await api(who, 'GET', '/api/v1/hsds/partner-export');
  expect(res.status).toBe(200);
  return { page: res.json as Page, text: res.text };
};

describe('the partner export (HSDS 3.1 with capacities)', () => {
  it('validates against the official HSDS 3.1 schema, capacities and all', async () => {
    const { page } = await partnerExport(navigator);
    expect(page.total_items).toBe(page.contents.length);
    const housing = page.contents.filter((s) => Array.isArray(s.capacities));
    expect(housing.map((s) => s.id).sort()).toEqual([plain, typed, never].sort());
    for (const s of page.contents) expect(validateHsdsService(s), String(s.id)).toEqual({ valid: true });
    // The whole directory comes first, as in the public export.
    const publicExport = (await (await t.app.request('/api/v1/hsds/export')).json()) as Page;
    expect(page.contents.slice(0, publicExport.total_items)).toEqual(publicExport.contents);
    expect(page.total_items).toBe(publicExport.total_items + 3);
  });

  it('carries the beds now: available, maximum, unit bed, updated; one per type of bed; none before a count', async () => {
    const { page } = await partnerExport(stateAdmin);
    const byId = new Map(page.contents.map((s) => [s.id as string, s]));
    const p = byId.get(plain)!;
    expect(p.capacities).toEqual([
      {
        id: nameUuid(`urn:nwd:housing-program:${plain}:capacity:all`),
        unit: { id: BED_UNIT.id, name: 'Bed', scheme: 'nwd-unit', identifier: 'bed' },
        available: 2,
        maximum: 6,
        description: 'Beds free now, as the program last said.',
        updated: plainUpdatedAt.toISOString(),
      },
    ]);
    const rooms = byId.get(typed)!;
    expect(
      rooms.capacities.map((c: Service) => [c.unit.identifier, c.available, c.maximum, c.description]),
    ).toEqual([
      [
        'bed',
        3,
        4,
        'Single beds free now, as the program last said. Out of date: more than 24 hours old, so call to check.',
      ],
      [
        'bed',
        0,
        2,
        'Parenting room beds free now, as the program last said. Out of date: more than 24 hours old, so call to check.',
      ],
    ]);
    expect(byId.get(never)!.capacities).toEqual([]);
    // A disabled organization's program is not exported, like the bed board leaves it out.
    expect(byId.has(disabledProgram)).toBe(false);
  });

  it('describes the program in HSDS terms the directory reads: ages, genders, who else, languages, areas', async () => {
    const { page } = await partnerExport(navigator);
    const p = page.contents.find((s) => s.id === plain)!;
    expect(p).toMatchObject({
      name: 'Synthetic Capacity House',
      status: 'active',
      minimum_age: 12,
      maximum_age: 17,
      organization: { name: expect.stringContaining('Synthetic Capacity Shelter') },
    });
    const terms = (p.attributes as Service[]).map(
      (a) => `${a.taxonomy_term.taxonomy}:${a.taxonomy_term.code}`,
    );
    expect(terms).toEqual([
      'nwd-program-type:shelter_housing',
      'nwd-housing-type:emergency_shelter',
      'nwd-gender-served:female',
      'nwd-gender-served:transgender_nonbinary',
      'nwd-population:lgbtq_affirming',
      'nwd-population:culturally_specific',
      'nwd-location:confidential',
    ]);
    expect(
      (p.attributes as Service[]).find((a) => a.taxonomy_term.code === 'culturally_specific')!.value,
    ).toBe('Synthetic community');
    expect(p.languages.map((l: Service) => [l.name, l.code])).toEqual([
      ['English', 'en'],
      ['Spanish', 'es'],
    ]);
    // Its own county, then every county of West Metro today (Hennepin among them), once each.
    const extents = (p.service_areas as Service[]).map((a) => a.extent as string);
    expect(extents).toContain('27123');
    expect(extents).toContain('27053');
    expect(new Set(extents).size).toBe(extents.length);
    expect(p.service_at_locations).toBeUndefined();
  });

  it('never carries the confidential address', async () => {
    const { text } = await partnerExport(navigator);
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain('Sealed Synthetic');
  });

  it('is for those who may see the bed board: 401 anonymous, 403 other roles and tokens without housing.read', async () => {
    expect((await api(null, 'GET', '/api/v1/hsds/partner-export')).status).toBe(401);
    for (const who of [provider, professional, evaluator])
      expect((await api(who, 'GET', '/api/v1/hsds/partner-export')).status).toBe(403);
    const token = async (scopes: Action[]) =>
      (
        await createApiToken(
          { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
          'system',
          { userId: navigator.id, scopes, expiresInDays: 1 },
          ORIGIN,
        )
      ).token;
    const call = async (scopes: Action[]) =>
      t.app.request('/api/v1/hsds/partner-export', {
        headers: { Authorization: `Bearer ${await token(scopes)}` },
      });
    expect((await call(['housing.read'])).status).toBe(200);
    expect((await call(['cases.read'])).status).toBe(403);
  });

  it('is in the OpenAPI document under Directory', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as Service;
    const op = doc.paths['/api/v1/hsds/partner-export']?.get;
    expect(op?.tags).toEqual(['Directory']);
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '403']));
  });
});

describe('the public directory', () => {
  it('holds no capacity, no live count and no address: its export, its API and its pages', async () => {
    const answers = [
      await t.app.request('/api/v1/hsds/export'),
      await t.app.request('/api/v1/services?type=shelter_housing'),
      await t.app.request('/api/v1/services?type=shelter_housing&county=27053&age=15'),
      await t.app.request('/services?type=shelter_housing'),
      await t.app.request('/services?county=27053'),
    ];
    const exported = (await (await t.app.request('/api/v1/hsds/export')).json()) as Page;
    for (const s of exported.contents.slice(0, 3))
      answers.push(await t.app.request(`/api/v1/services/${s.id}`), await t.app.request(`/services/${s.id}`));
    for (const res of answers) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain('capacities');
      expect(text).not.toContain('service_capacity');
      expect(text).not.toContain(ADDRESS);
      // The housing programs themselves (and so their counts) are not published.
      expect(text).not.toContain('Synthetic Capacity');
    }
    expect(exported.contents.some((s) => s.id === plain)).toBe(false);
  });

  it('a housing program id is not a public service', async () => {
    expect((await t.app.request(`/api/v1/services/${plain}`)).status).toBe(404);
    expect((await get(null, `/services/${plain}`)).status).toBe(404);
  });
});
