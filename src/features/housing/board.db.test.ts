/**
 * The bed board narrows its rows in SQL (queries.ts `programRows` with `board`) before the rules' `fits`
 * decides: over synthetic programs of every type, ages, genders, needs and areas, the board for every
 * combination of filters is exactly the programs `fits` accepts from all of them, in the board's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../../../test/staff.ts';
import { random } from '../synthetic/service.ts';
import { programRows } from './queries.ts';
import {
  BOARD_LIMIT,
  GENDER_CODES,
  boardOrder,
  fits,
  type BoardFilter,
  type Gender,
  type Need,
  type ProgramType,
} from './rules.ts';
import { bedBoard, housingContext } from './service.ts';
import { seedHousing } from './synthetic.ts';

let t: TestApp;
let navigator: TestStaff;
const now = new Date();

beforeAll(async () => {
  t = await testApp();
  const orgs = [
    await addOrganization(t.deps.db, 'Synthetic Board One', 'shelter_housing'),
    await addOrganization(t.deps.db, 'Synthetic Board Two', 'shelter_housing'),
  ];
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  const geo = t.deps.geography.get();
  const regions = [...geo.regions.keys()].map((id) => ({
    id,
    counties: [...geo.membershipsByCounty]
      .filter(([, ms]) => ms.some((m) => m.regionId === id && m.effectiveTo === null))
      .map(([fips]) => fips),
  }));
  await t.deps.db.transaction().execute((trx) =>
    seedHousing(trx, t.deps.keyring, {
      organizationIds: orgs,
      regions,
      rnd: random(5),
      now,
      programs: 60,
    }),
  );
});
afterAll(async () => {
  await t.close();
});

describe('the bed board’s rows narrowed in SQL', () => {
  it('gives for every filter exactly what the rules accept from all programs, in the same order', async () => {
    const ctx = { ...housingContext(t.deps), now: () => now };
    const all = (await programRows(t.deps.db, { active: true })).map((r) => ({
      id: r.id,
      name: r.name,
      organizationName: r.organization_name,
      type: r.program_type as ProgramType,
      minAge: r.min_age,
      maxAge: r.max_age,
      genders: r.genders as Gender[],
      serves: r.serves as Need[],
      culturallySpecificFor: r.culturally_specific_for,
      languages: r.languages,
      regionIds: r.region_ids,
      countyFips: r.county_fips,
      bedsTotal: r.beds_total,
      bedsAvailable: r.beds_available,
      bedTypes: r.bed_types,
      updatedAt: r.availability_updated_at,
    }));
    expect(all.length).toBe(60);
    const filters: BoardFilter[] = [{}];
    for (const age of [undefined, 11, 16, 19, 23])
      for (const gender of [undefined, ...GENDER_CODES])
        for (const needs of [
          undefined,
          ['lgbtq_affirming'],
          ['pregnant_parenting', 'culturally_specific'],
        ] as Need[][])
          for (const place of [
            {},
            { county: { fips: '27053', regionId: 'west-metro' } },
            { county: { fips: '27109', regionId: 'southeast' } },
            { regionId: 'central' },
          ])
            for (const when of [undefined, 'tonight'] as const)
              filters.push({ age, gender, needs, when, ...place });
    filters.push({ types: ['host_home', 'transitional'] }, { language: 'spanish', when: 'tonight' });
    let nonEmpty = 0;
    for (const f of filters) {
      const board = await bedBoard(ctx, navigator.actor, f);
      const expected = all
        .filter((p) => fits(p, f))
        .sort(boardOrder(now, ctx.staleHours))
        .slice(0, BOARD_LIMIT);
      expect(
        board.map((p) => p.id),
        JSON.stringify(f),
      ).toEqual(expected.map((p) => p.id));
      if (board.length) nonEmpty++;
    }
    // The filters are not all empty answers (the comparison above would then prove nothing).
    expect(nonEmpty).toBeGreaterThan(filters.length / 4);
  });
});
