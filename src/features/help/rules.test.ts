import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { syntheticGeography } from '../../../test/geography-fixture.ts';
import { countySlug, normalizePlace } from './names.ts';
import { lookupNavigator } from './lookup.ts';
import {
  editDistance,
  findPlace,
  inEffect,
  navigatorForCounty,
  parseCountyInput,
  suggestCounties,
  todayIn,
} from './rules.ts';

const geo = syntheticGeography();

describe('place names', () => {
  it('compares county names the way people type them', () => {
    expect(normalizePlace('St. Louis County')).toBe('saint louis');
    expect(normalizePlace('  SAINT   louis ')).toBe('saint louis');
    expect(normalizePlace('Lac qui Parle')).toBe('lac qui parle');
    expect(countySlug('Lake of the Woods')).toBe('lake-of-the-woods');
  });

  it('measures edit distance', () => {
    expect(editDistance('hennepin', 'henepin')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('effective dates', () => {
  it('treats the end date as exclusive', () => {
    expect(inEffect('2019-12-31', '2014-08-01', '2020-01-01')).toBe(true);
    expect(inEffect('2020-01-01', '2014-08-01', '2020-01-01')).toBe(false);
    expect(inEffect('2014-07-31', '2014-08-01', null)).toBe(false);
  });

  it('gives today in the jurisdiction, not in UTC', () => {
    // 03:00 UTC on 22 November is still 21 November in Minnesota.
    expect(todayIn('America/Chicago', new Date('2026-11-22T03:00:00Z'))).toBe('2026-11-21');
  });
});

describe('navigatorForCounty', () => {
  it('sends a confirmed county to its navigator first', () => {
    const a = navigatorForCounty(geo, '27001', '2026-01-01');
    expect(a?.region?.id).toBe('north');
    expect(a?.navigator?.id).toBe('org-a');
    expect(a?.confirmed).toBe(true);
    expect(a?.contactFirst).toBe('navigator');
  });

  it('puts the statewide line first when the region is not confirmed', () => {
    const a = navigatorForCounty(geo, '27003', '2026-01-01');
    expect(a?.region?.id).toBe('east');
    expect(a?.confirmed).toBe(false);
    expect(a?.contactFirst).toBe('statewide');
    expect(a?.statewide.id).toBe('statewide');
  });

  it('follows region boundaries through time', () => {
    expect(navigatorForCounty(geo, '27003', '2019-06-01')?.region?.id).toBe('north');
    expect(navigatorForCounty(geo, '27003', '2020-01-01')?.region?.id).toBe('east');
    expect(navigatorForCounty(geo, '27001', '2010-01-01')?.region).toBeNull();
  });

  it('never confirms a navigator nobody can reach', () => {
    const g = syntheticGeography();
    const org = g.organizations.get('org-a');
    if (!org) throw new Error('fixture');
    org.phones = [];
    expect(navigatorForCounty(g, '27001', '2026-01-01')?.contactFirst).toBe('statewide');
  });

  it('answers a county with no region with the statewide line', () => {
    const a = navigatorForCounty(geo, '27005', '2026-01-01');
    expect(a?.region).toBeNull();
    expect(a?.contactFirst).toBe('statewide');
  });

  it('returns null for an unknown county', () => {
    expect(navigatorForCounty(geo, '27999', '2026-01-01')).toBeNull();
  });
});

describe('parseCountyInput and findPlace', () => {
  it('reads FIPS codes and names, and refuses what cannot be either', () => {
    expect(parseCountyInput('27053')).toEqual({ kind: 'fips', fips: '27053' });
    expect(parseCountyInput(' St. Louis ')).toEqual({ kind: 'name', name: 'St. Louis' });
    expect(parseCountyInput('<script>')).toBeNull();
    expect(parseCountyInput('x'.repeat(41))).toBeNull();
    expect(parseCountyInput('')).toBeNull();
  });

  it('finds ZIP codes, counties and cities', () => {
    expect(findPlace(geo, '55001')).toMatchObject({ kind: 'zip', zip: { zip: '55001' } });
    expect(findPlace(geo, '55001-1234')).toMatchObject({ kind: 'zip' });
    expect(findPlace(geo, 'saint beta')).toMatchObject({ kind: 'county', county: { fips: '27003' } });
    expect(findPlace(geo, 'Alpha County, MN')).toMatchObject({ kind: 'county', county: { fips: '27001' } });
    // Twin Falls: one ZIP 70/30 between Alpha and St. Beta, one all St. Beta → 35% and 65%.
    const city = findPlace(geo, 'twin falls');
    expect(city).toMatchObject({ kind: 'city', fips: ['27003', '27001'], primary: null });
    // Alphaville: its only ZIP is all Alpha → answered with Alpha.
    expect(findPlace(geo, 'Alphaville')).toMatchObject({ kind: 'city', fips: ['27001'], primary: '27001' });
    expect(findPlace(geo, '1234')).toEqual({ kind: 'invalid' });
    expect(findPlace(geo, '99999')).toEqual({ kind: 'none', suggestions: [] });
  });

  it('suggests close county names', () => {
    expect(suggestCounties(geo, 'Alpah')).toContain('Alpha');
    expect(suggestCounties(geo, 'gam')).toEqual(['Gamma Lake']);
    expect(suggestCounties(geo, 'zzzzzzzzzz')).toEqual([]);
  });
});

describe('lookupNavigator', () => {
  it('asks which county when a ZIP code spans several', () => {
    const r = lookupNavigator(geo, { zip: '55002', asOf: '2026-01-01' });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.lookup.ambiguous).toBe(true);
      expect(r.lookup.results.map((x) => [x.county.fips, x.share])).toEqual([
        ['27001', 70],
        ['27003', 30],
      ]);
    }
  });

  it('names the field of each problem', () => {
    expect(lookupNavigator(geo, {})).toMatchObject({ ok: false, status: 400, field: 'county' });
    expect(lookupNavigator(geo, { county: 'Alpha', zip: '55001' })).toMatchObject({
      ok: false,
      status: 400,
      field: 'zip',
    });
    expect(lookupNavigator(geo, { zip: '5500' })).toMatchObject({ ok: false, status: 400, field: 'zip' });
    expect(lookupNavigator(geo, { zip: '56999' })).toMatchObject({ ok: false, status: 404, field: 'zip' });
    expect(lookupNavigator(geo, { county: 'Alpah' })).toMatchObject({
      ok: false,
      status: 404,
      field: 'county',
      suggestions: ['Alpha'],
    });
    expect(lookupNavigator(geo, { county: 'Alpha', asOf: '2026-02-30' })).toMatchObject({
      ok: false,
      status: 400,
      field: 'asOf',
    });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (county, zip, asOf) => {
          const r = lookupNavigator(geo, { county, zip, asOf });
          expect(r.ok || [400, 404].includes(r.status)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(['county', 'zip', 'city', 'none', 'invalid']).toContain(findPlace(geo, text).kind);
      }),
      { numRuns: 2000 },
    );
  });
});
