/** The rules of housing without a database: staleness, freshness in words, fitting and the board's order. */
import { describe, expect, it } from 'vitest';
import { bedCounts, boardOrder, fits, freshness, isStale, type BoardProgram } from './rules.ts';

const now = new Date('2026-12-07T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

const program = (p: Partial<BoardProgram>): BoardProgram => ({
  id: 'x',
  name: 'Synthetic',
  organizationName: 'Synthetic Org',
  type: 'emergency_shelter',
  minAge: 12,
  maxAge: 17,
  genders: ['female'],
  serves: [],
  culturallySpecificFor: null,
  languages: ['English'],
  regionIds: ['west-metro'],
  countyFips: [],
  bedsTotal: 4,
  bedsAvailable: 1,
  bedTypes: [],
  updatedAt: ago(1),
  ...p,
});

describe('freshness', () => {
  it('reads in plain words', () => {
    expect(freshness(null, now)).toBe('never updated');
    expect(freshness(ago(0.001), now)).toBe('updated just now');
    expect(freshness(ago(1 / 60), now)).toBe('updated 1 minute ago');
    expect(freshness(ago(3), now)).toBe('updated 3 hours ago');
    expect(freshness(ago(72), now)).toBe('updated 3 days ago');
  });

  it('is stale after the configured hours, and when never given', () => {
    expect(isStale(ago(24), now, 24)).toBe(false);
    expect(isStale(ago(24.01), now, 24)).toBe(true);
    expect(isStale(ago(30), now, 48)).toBe(false);
    expect(isStale(null, now, 24)).toBe(true);
  });
});

describe('fitting and ordering', () => {
  it('checks the ages at both ends and a county through its region', () => {
    expect(fits(program({}), { age: 12 })).toBe(true);
    expect(fits(program({}), { age: 18 })).toBe(false);
    expect(fits(program({}), { county: { fips: '27053', regionId: 'west-metro' } })).toBe(true);
    expect(
      fits(program({ regionIds: [], countyFips: ['27053'] }), { county: { fips: '27053', regionId: null } }),
    ).toBe(true);
    expect(fits(program({}), { county: { fips: '27109', regionId: 'southeast' } })).toBe(false);
    expect(fits(program({ bedsAvailable: 0 }), { when: 'tonight' })).toBe(false);
  });

  it('orders fresh beds, then stale beds, then full, then never given', () => {
    const list = [
      program({ name: 'never', bedsAvailable: null, updatedAt: null }),
      program({ name: 'full', bedsAvailable: 0 }),
      program({ name: 'stale', bedsAvailable: 5, updatedAt: ago(30) }),
      program({ name: 'fresh', bedsAvailable: 1 }),
    ];
    expect(list.sort(boardOrder(now, 24)).map((p) => p.name)).toEqual(['fresh', 'stale', 'full', 'never']);
  });

  it('sums the types of bed', () => {
    expect(
      bedCounts({
        available: 0,
        total: 0,
        bedTypes: [
          { name: 'a', total: 2, available: 1 },
          { name: 'b', total: 3, available: 3 },
        ],
      }),
    ).toMatchObject({ available: 4, total: 5 });
  });
});
