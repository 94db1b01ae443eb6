/**
 * Data stewardship against a real database: edits with provenance and audit, who may edit what, the
 * geography reloaded at once (and on another instance's next request), memberships with dates, the
 * data-health list and its digest, and a pack re-import that keeps an administrator's newer edit.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeographyCache } from '../help/queries.ts';
import { importPack } from '../../pack/import.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import {
  dataHealth,
  editOrganization,
  editService,
  openProblems,
  sendHealthDigest,
  setMembership,
  stewardshipContext,
} from './service.ts';

let t: TestApp;
let state: TestStaff;
let orgAdmin: TestStaff;
let memberOrg: string;
const origin = { ip: '192.0.2.1', userAgent: null };
const http = staffRequests(() => t);
const ORG = 'support-within-reach';

const orgInput = (over: Record<string, unknown> = {}) => ({
  name: 'Support Within Reach',
  type: 'navigator_host',
  phone: '218-555-0142',
  website: 'https://example.org/swr',
  languages: 'English, Spanish',
  source: 'Confirmed by Support Within Reach by phone',
  verified: true,
  ...over,
});

beforeAll(async () => {
  t = await testApp();
  memberOrg = await addOrganization(t.deps.db, 'Synthetic Host', 'navigator_host');
  state = await addStaff(t.deps, 'state_admin');
  orgAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: memberOrg });
});
afterAll(async () => {
  await t.close();
});

describe('editing an organization', () => {
  it('writes the facts with provenance, reloads the geography and records before and after', async () => {
    const ctx = stewardshipContext(t.deps);
    const before = t.deps.geography.get().organizations.get(ORG)!;
    expect(before.phones).toEqual([]);
    await editOrganization(ctx, state.actor, ORG, orgInput(), origin);
    const after = t.deps.geography.get().organizations.get(ORG)!;
    expect(after.phones).toEqual([{ dial: '+12185550142', display: '218-555-0142', description: null }]);
    expect(after.verified).toBe(true);
    const row = await t.deps.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', ORG)
      .executeTakeFirstOrThrow();
    expect(row.checked_by).toMatch(/^State administrator, /);
    expect(row.edited_by).toBe(state.id);
    expect(row.languages).toEqual(['English', 'Spanish']);
    expect(row.checked_at).toBe(row.retrieved);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['details', 'actor_user_id'])
      .where('action', '=', 'data.organization_edit')
      .where('subject_id', '=', ORG)
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(state.id);
    const d = audit.details as {
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      changed: string[];
    };
    expect(d.changed).toContain('publicPhones');
    expect(d.before.publicPhones).toEqual([]);
    expect(d.after.publicPhones).toEqual(['218-555-0142']);
  });

  it('another instance sees the change on its next request', async () => {
    const other = new GeographyCache(t.deps.db, 60_000);
    await other.load();
    await editOrganization(
      stewardshipContext(t.deps),
      state.actor,
      ORG,
      orgInput({ phone: '218-555-0199' }),
      origin,
    );
    expect(other.get().organizations.get(ORG)!.phones[0]?.display).toBe('218-555-0142');
    await other.fresh();
    expect(other.get().organizations.get(ORG)!.phones[0]?.display).toBe('218-555-0199');
  });

  it('refuses bad input naming the field, and checks access before input', async () => {
    const ctx = stewardshipContext(t.deps);
    await expect(
      editOrganization(ctx, state.actor, ORG, orgInput({ website: 'example' }), origin),
    ).rejects.toMatchObject({
      code: 'invalid',
      field: 'website',
    });
    await expect(
      editOrganization(ctx, state.actor, ORG, orgInput({ source: '' }), origin),
    ).rejects.toMatchObject({
      field: 'source',
    });
    // Not their organization: 404 before the bad website is looked at.
    await expect(
      editOrganization(ctx, orgAdmin.actor, ORG, orgInput({ website: 'x' }), origin),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    const navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
    await expect(editOrganization(ctx, navigator.actor, ORG, orgInput(), origin)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('lets an organization administrator edit the organization linked to theirs, but not its link', async () => {
    const ctx = stewardshipContext(t.deps);
    await editOrganization(
      ctx,
      state.actor,
      'someplace-safe',
      { ...orgInput({ name: 'Someplace Safe' }), memberOrganizationId: memberOrg },
      origin,
    );
    await editOrganization(
      ctx,
      orgAdmin.actor,
      'someplace-safe',
      orgInput({ name: 'Someplace Safe', phone: '320-555-0100' }),
      origin,
    );
    expect(t.deps.geography.get().organizations.get('someplace-safe')!.phones[0]?.display).toBe(
      '320-555-0100',
    );
    await expect(
      editOrganization(
        ctx,
        orgAdmin.actor,
        'someplace-safe',
        { ...orgInput({ name: 'Someplace Safe' }), memberOrganizationId: '' },
        origin,
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});

/** The region memberships of Pine County (27115), the county the tests move. */
const pineMemberships = () =>
  t.deps.db.selectFrom('region_counties').selectAll().where('county_fips', '=', '27115').execute();

describe('region memberships with dates', () => {
  it('moves a county from a date: the old membership ends that day, lookups follow the date', async () => {
    const ctx = stewardshipContext(t.deps);
    // Pine (27115) to Northeast from 2020-07-01.
    const from = await pineMemberships();
    expect(from).toHaveLength(1);
    const oldRegion = from[0]!.region_id;
    const target = oldRegion === 'northeast' ? 'central' : 'northeast';
    await setMembership(
      ctx,
      state.actor,
      target,
      {
        county: '27115',
        effectiveFrom: '2020-07-01',
        source: 'https://example.org/map-2020',
        verified: true,
      },
      origin,
    );
    const rows = await t.deps.db
      .selectFrom('region_counties')
      .selectAll()
      .where('county_fips', '=', '27115')
      .orderBy('effective_from')
      .execute();
    expect(rows.map((r) => [r.region_id, r.effective_from, r.effective_to])).toEqual([
      [oldRegion, from[0]!.effective_from, '2020-07-01'],
      [target, '2020-07-01', null],
    ]);
    const list = t.deps.geography.get().membershipsByCounty.get('27115')!;
    expect(list.map((m) => m.regionId).sort()).toEqual([oldRegion, target].sort());
    // An overlapping one is refused, naming the start date.
    await expect(
      setMembership(
        ctx,
        state.actor,
        oldRegion,
        {
          county: '27115',
          effectiveFrom: '2019-01-01',
          effectiveTo: '2021-01-01',
          source: 'x source',
          verified: false,
        },
        origin,
      ),
    ).rejects.toMatchObject({ field: 'effectiveFrom' });
    await expect(
      setMembership(
        ctx,
        state.actor,
        target,
        { county: '27115', effectiveFrom: '2021-01-01', effectiveTo: '2020-01-01', source: 'x source' },
        origin,
      ),
    ).rejects.toMatchObject({ field: 'effectiveTo' });
    await expect(setMembership(ctx, orgAdmin.actor, target, {}, origin)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('directory services', () => {
  it('edits the HSDS fields the finder shows, with languages and eligibility', async () => {
    const ctx = stewardshipContext(t.deps);
    const s = await t.deps.db
      .selectFrom('directory_services')
      .select(['id', 'name', 'description'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await editService(
      ctx,
      state.actor,
      s.id,
      {
        name: s.name,
        description: s.description,
        eligibility: 'Young people 24 and under',
        minimumAge: '12',
        maximumAge: '24',
        phone: '651-555-0100',
        languages: ['English', 'Somali'],
        source: 'https://example.org/service',
        verified: true,
      },
      origin,
    );
    const row = await t.deps.db
      .selectFrom('directory_services')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.languages.length).toBe(2);
    expect(row.minimum_age).toBe(12);
    expect((row.hsds as { eligibility_description?: string }).eligibility_description).toBe(
      'Young people 24 and under',
    );
    expect(row.edited_by).toBe(state.id);
    await expect(
      editService(
        ctx,
        state.actor,
        s.id,
        { name: s.name, description: s.description, minimumAge: '30', maximumAge: '20', source: 'src x' },
        origin,
      ),
    ).rejects.toMatchObject({ field: 'maximumAge' });
  });
});

describe('data health', () => {
  it('lists unverified, stale and unreachable facts; only state administrators see it', async () => {
    const ctx = stewardshipContext(t.deps);
    const { items } = await dataHealth(ctx, state.actor);
    expect(items.some((i) => i.problem === 'unverified' && i.kind === 'membership')).toBe(true);
    expect(items.some((i) => i.problem === 'unreachable' && i.label.startsWith('Ramsey'))).toBe(true);
    // Northwest's navigator now has a phone: its counties are not listed as unreachable.
    expect(items.some((i) => i.problem === 'unreachable' && i.label.startsWith('Beltrami'))).toBe(false);
    // Two years on, everything checked today is stale.
    const later = await openProblems(
      t.deps.db,
      'America/Chicago',
      12,
      new Date(Date.now() + 2 * 365 * 86_400_000),
    );
    expect(later.some((i) => i.problem === 'stale' && i.label === 'Organization: Support Within Reach')).toBe(
      true,
    );
    await expect(dataHealth(ctx, orgAdmin.actor)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the page shows the count and a link to fix each', async () => {
    const res = await http.get(state, '/staff/data-health');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/\d+ problems need checking/);
    expect(html).toContain('href="/staff/data/regions/');
    expect((await http.get(orgAdmin, '/staff/data-health')).status).toBe(403);
  });

  it('the digest tells every state administrator through the outbox while anything is open', async () => {
    const before = await t.deps.db
      .selectFrom('email_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const r = await sendHealthDigest({ ...stewardshipContext(t.deps), timezone: 'America/Chicago' });
    expect(r.open).toBeGreaterThan(0);
    expect(r.told).toBeGreaterThanOrEqual(1);
    const after = await t.deps.db
      .selectFrom('email_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(r.told);
  });
});

describe('re-importing the pack', () => {
  it('keeps an administrator’s newer edit and reports it', async () => {
    const result = await importPack(t.deps.db, resolve('data/mn'), { force: true });
    expect(result.skipped.map((k) => `${k.kind}:${k.id}`)).toEqual(
      expect.arrayContaining([`organization:${ORG}`, 'organization:someplace-safe']),
    );
    expect(result.skipped.some((k) => k.kind === 'membership' && k.id.includes('27115'))).toBe(true);
    const row = await t.deps.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', ORG)
      .executeTakeFirstOrThrow();
    expect(row.phones[0]?.display).toBe('218-555-0199');
    const moved = await pineMemberships();
    expect(moved).toHaveLength(2);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'pack.import_kept_edits')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.details)).toContain(`organization:${ORG}`);
    // An unedited organization is written from the pack as before.
    const unedited = await t.deps.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', 'the-link')
      .executeTakeFirst();
    expect(unedited?.edited_at ?? null).toBeNull();
  });
});

describe('the API', () => {
  const put = async (who: TestStaff, path: string, body: unknown) => {
    const { cookie } = await http.session(who);
    return t.app.request(path, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { Cookie: cookie, Origin: 'http://localhost:3000', 'Content-Type': 'application/json' },
    });
  };

  it('saves, names a refused field, and hides an organization that is not the caller’s', async () => {
    const ok = await put(state, `/api/v1/data/organizations/${ORG}`, orgInput({ phone: '218-555-0111' }));
    expect(ok.status).toBe(200);
    expect(t.deps.geography.get().organizations.get(ORG)!.phones[0]?.display).toBe('218-555-0111');
    const bad = await put(state, `/api/v1/data/organizations/${ORG}`, orgInput({ email: 'nobody' }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('Email must be an email address');
    expect((await put(orgAdmin, `/api/v1/data/organizations/${ORG}`, orgInput())).status).toBe(404);
    const health = await t.app.request('/api/v1/data/health', {
      headers: { Cookie: (await http.session(state)).cookie },
    });
    expect(health.status).toBe(200);
    expect(((await health.json()) as { open: number }).open).toBeGreaterThan(0);
  });
});
