import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticGeography } from '../../../test/geography-fixture.ts';
import { buildPlaceIndex, matchPlaces, placeKey, splitSuffix, type PlaceRecord } from './places.ts';
import { findPlace, type CountyInfo, type Geography } from './rules.ts';
import { placeIndexFor } from './service.ts';
import { normalizePlace } from './names.ts';

const root = new URL('../../../', import.meta.url);
const index = placeIndexFor('mn');

/** The synthetic geography, with Minnesota's 87 real counties (the places name real FIPS codes). */
function minnesota(): Geography {
  const geo = syntheticGeography();
  const rows = JSON.parse(readFileSync(new URL('data/mn/counties.json', root), 'utf8')) as CountyInfo[];
  const counties = new Map(rows.map((c) => [c.fips, { ...c, slug: c.name.toLowerCase(), note: null }]));
  return {
    ...geo,
    counties,
    countiesByName: new Map(rows.map((c) => [normalizePlace(c.name), c.fips])),
    countiesBySlug: new Map(),
    zips: new Map(),
    zipsByCity: new Map(),
  };
}
const geo = minnesota();
const fipsOf = (name: string) => [...geo.counties.values()].find((c) => c.name === name)?.fips;

/** The Census rows themselves (the extract the build reads), not the built file. */
const censusRows = readFileSync(new URL('data/mn/sources/census-geocodes-v2020-mn.csv', root), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [sumlev, county, , , name] = line.split(',');
    return { sumlev: sumlev ?? '', county: `27${county ?? ''}`, name: name ?? '' };
  });

describe('place names as people type them', () => {
  it('treats St, St. and Saint, case, spaces, apostrophes and a trailing MN alike', () => {
    for (const typed of [
      'St Paul',
      'St. Paul',
      'Saint Paul',
      'saint paul',
      '  ST.   PAUL ',
      'St. Paul, MN',
      'st.paul',
    ])
      expect(placeKey(typed)).toBe('saint paul');
    expect(placeKey("O'Brien")).toBe(placeKey('OBrien'));
    expect(placeKey('Mt. Iron')).toBe('mount iron');
    expect(placeKey('Ramsey County')).toBe('ramsey county');
    expect(placeKey('City of Edina')).toBe('edina');
  });

  it('reads a trailing Township, Twp, UT or city as the kind asked for', () => {
    expect(splitSuffix('lake township')).toEqual({ base: 'lake', kind: 'township' });
    expect(splitSuffix('lake twp')).toEqual({ base: 'lake', kind: 'township' });
    expect(splitSuffix('fort snelling ut')).toEqual({ base: 'fort snelling', kind: 'unorganized' });
    expect(splitSuffix('duluth city')).toEqual({ base: 'duluth', kind: 'city' });
    expect(splitSuffix('duluth')).toEqual({ base: 'duluth', kind: null });
  });

  it('prefers the city for a bare name, and the township when asked', () => {
    const places: PlaceRecord[] = [
      { name: 'Albany', kind: 'city', counties: ['27145'], geoid: 'c' },
      { name: 'Albany', kind: 'township', counties: ['27145'], geoid: 't' },
      { name: 'Center City', kind: 'city', counties: ['27025'], geoid: 'cc' },
    ];
    const small = buildPlaceIndex(places);
    expect(matchPlaces(small, 'albany').places.map((p) => p.geoid)).toEqual(['c']);
    expect(matchPlaces(small, 'Albany Twp').places.map((p) => p.geoid)).toEqual(['t']);
    expect(matchPlaces(small, 'Center City').places.map((p) => p.geoid)).toEqual(['cc']);
    expect(matchPlaces(small, 'Nowhere Township').places).toEqual([]);
  });
});

describe('every Minnesota place is found', () => {
  it('holds every city, township and unorganized territory of the Census file, each with a county', () => {
    const total = [...index.byKey.values()].flat();
    expect(total.filter((p) => p.kind === 'city')).toHaveLength(853);
    expect(total.filter((p) => p.kind === 'township')).toHaveLength(1781);
    expect(total.filter((p) => p.kind === 'unorganized')).toHaveLength(50);
    expect(total.filter((p) => p.counties.length === 0)).toEqual([]);
  });

  it('resolves the big cities the old search missed to the right county', () => {
    const expected: [string, string][] = [
      ['Bloomington', 'Hennepin'],
      ['Brooklyn Park', 'Hennepin'],
      ['Plymouth', 'Hennepin'],
      ['Eagan', 'Dakota'],
      ['Woodbury', 'Washington'],
      ['Edina', 'Hennepin'],
      ['Minneapolis', 'Hennepin'],
      ['saint paul', 'Ramsey'],
      ['Rochester', 'Olmsted'],
      ['International Falls', 'Koochiching'],
      ['Baudette', 'Lake of the Woods'],
    ];
    for (const [typed, county] of expected)
      expect(findPlace(geo, typed, index), typed).toMatchObject({ kind: 'city', primary: fipsOf(county) });
  });

  it('resolves at least 100 place names drawn from the Census file, in several spellings', () => {
    // Every 12th city row and every 20th township or unorganized row of the Census extract.
    const cities = censusRows.filter((r) => r.sumlev === '162').filter((_, i) => i % 12 === 0);
    const mcds = censusRows
      .filter((r) => r.sumlev === '061' && / (township|UT)$/.test(r.name))
      .filter((_, i) => i % 20 === 0);
    const misses: string[] = [];
    let tried = 0;
    for (const row of [...cities, ...mcds]) {
      const base = row.name.replace(/ (city|township|UT)$/, '');
      const kind = / township$/.test(row.name) ? ' Twp' : / UT$/.test(row.name) ? ' UT' : '';
      for (const typed of [`${base}${kind}`, `  ${base.toUpperCase()}${kind.toLowerCase()} `]) {
        tried += 1;
        const match = findPlace(geo, typed, index);
        // A township's county comes from its own row; a city's counties were checked against the row above.
        const ok =
          (match.kind === 'city' && (row.county === '27000' || match.fips.includes(row.county))) ||
          (match.kind === 'county' && match.county.name === base);
        if (!ok) misses.push(`${typed} → ${JSON.stringify(match).slice(0, 120)}`);
      }
    }
    expect(tried).toBeGreaterThanOrEqual(200);
    expect(misses).toEqual([]);
  });

  it('checks each city against its county rows in the Census file', () => {
    // Cities outside Hennepin, Koochiching and Lake of the Woods have subdivision rows naming their counties.
    const rows = censusRows.filter((r) => r.sumlev === '061' && / city$/.test(r.name));
    const wrong = rows
      .filter((_, i) => i % 7 === 0)
      .filter((r) => {
        const match = findPlace(geo, r.name.replace(/ city$/, ''), index);
        return !(match.kind === 'city' && match.fips.includes(r.county)) && match.kind !== 'county';
      })
      .map((r) => r.name);
    expect(wrong).toEqual([]);
  });

  it('asks which county for a place in several, listing them', () => {
    const hastings = findPlace(geo, 'Hastings', index);
    expect(hastings).toMatchObject({ kind: 'city', primary: null });
    if (hastings.kind === 'city')
      expect(hastings.fips.sort()).toEqual([fipsOf('Dakota'), fipsOf('Washington')].sort());
    // A township name found in many counties asks too.
    const lake = findPlace(geo, 'Lake Township', index);
    expect(lake.kind === 'city' && lake.fips.length > 1 && lake.primary === null).toBe(true);
    // "Ramsey" is a county, and a city in Anoka County.
    expect(findPlace(geo, 'Ramsey', index)).toMatchObject({
      kind: 'city',
      primary: null,
      countyNamed: fipsOf('Ramsey'),
      fips: [fipsOf('Ramsey'), fipsOf('Anoka')],
    });
    expect(findPlace(geo, 'Ramsey County', index)).toMatchObject({
      kind: 'county',
      county: { name: 'Ramsey' },
    });
    // A city in the county of its name is that county.
    expect(findPlace(geo, 'Anoka', index)).toMatchObject({ kind: 'county', county: { name: 'Anoka' } });
  });

  it('does not dead-end on a place whose county the data does not know', () => {
    const unknown = buildPlaceIndex([{ name: 'Somewhere', kind: 'unorganized', counties: [], geoid: 'x' }]);
    expect(findPlace(geo, 'Somewhere UT', unknown)).toEqual({ kind: 'county-unknown', place: 'Somewhere' });
  });

  it('suggests close names for a typo', () => {
    const miss = findPlace(geo, 'Brooklin Park', index);
    expect(miss.kind === 'none' && miss.suggestions).toContain('Brooklyn Park');
  });
});
