/**
 * Checks the Minnesota jurisdiction pack (`data/mn/`): every file against its schema, and the
 * invariants the product relies on (every county in exactly one region, no invented phone numbers,
 * directory services that are valid HSDS 3.1 and never show a confidential shelter's address).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateHsdsService } from '../features/directory/hsds-validate.ts';
import { CONFIDENTIAL_LOCATION, TAXONOMY, facetsOf } from '../features/directory/taxonomy.ts';
import {
  county,
  directoryFile,
  lineToCall,
  organization,
  packManifest,
  region,
  zipCrosswalk,
  type FactSource,
} from './schema.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const packDir = path.join(repoRoot, 'data/mn');
const ON = '2026-11-21';

function load<T>(file: string, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(readFileSync(path.join(packDir, file), 'utf8')));
}

const manifest = load('pack.json', packManifest);
const counties = load('counties.json', z.array(county));
const regions = load('regions.json', z.array(region));
const organizations = load('organizations.json', z.array(organization));
const lines = load('lines.json', z.array(lineToCall));
const crosswalk = load('zip-counties.json', zipCrosswalk);
const directory = load('directory.json', directoryFile);

const countyFips = new Set(counties.map((c) => c.fips));
const activeOn = (row: { effectiveFrom: string; effectiveTo: string | null }, date: string) =>
  row.effectiveFrom <= date && (row.effectiveTo === null || date < row.effectiveTo);

/** Digits of every number in the domain notes §6 (lines to call). */
const SOURCED_NUMBERS = new Set([
  '911',
  '18662231111',
  '16123999995',
  '18883737888',
  '233733',
  '18008435678',
  '18663852699',
]);
/** A North American number as people write it: 612-399-9995, (612) 399 9995, +1 612.399.9995. */
const PHONE_SHAPED = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g;
const digits = (s: string) => s.replace(/\D/g, '').replace(/^(?=\d{10}$)/, '1');

/** Every value in a JSON tree, with the key it sits under (`key[]` for the items of an array). */
function* walk(value: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, value];
  if (Array.isArray(value)) for (const item of value) yield* walk(item, `${key}[]`);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* walk(v, k);
}

describe('pack.json', () => {
  it('names Minnesota and lines that exist', () => {
    expect(manifest).toMatchObject({ jurisdiction: 'mn', name: 'Minnesota', timezone: 'America/Chicago' });
    const ids = lines.map((l) => l.id);
    expect(ids).toContain(manifest.statewideLineId);
    expect(ids).toContain(manifest.emergencyLineId);
  });
});

describe('counties.json', () => {
  it('holds the 87 Minnesota counties, FIPS 27001 to 27173 in odd steps, once each', () => {
    expect(counties).toHaveLength(87);
    const expected = Array.from({ length: 87 }, (_, i) => String(27001 + 2 * i));
    expect([...countyFips].sort()).toEqual(expected);
    expect(new Set(counties.map((c) => c.name)).size).toBe(87);
  });

  it('uses the proper county names', () => {
    const byFips = new Map(counties.map((c) => [c.fips, c.name]));
    expect(byFips.get('27085')).toBe('McLeod');
    expect(byFips.get('27087')).toBe('Mahnomen');
    expect(byFips.get('27137')).toBe('St. Louis');
    expect(byFips.get('27073')).toBe('Lac qui Parle');
    expect(byFips.get('27077')).toBe('Lake of the Woods');
  });
});

describe('regions.json', () => {
  it('puts every county in exactly one region on a given date', () => {
    const seen = new Map<string, string[]>();
    for (const r of regions.filter((r) => activeOn(r, ON)))
      for (const m of r.counties.filter((m) => activeOn(m, ON)))
        seen.set(m.fips, [...(seen.get(m.fips) ?? []), r.id]);
    for (const fips of countyFips)
      expect({ fips, regions: seen.get(fips) }).toEqual({ fips, regions: [expect.any(String)] });
    expect(seen.size).toBe(87);
  });

  it('refers only to known counties and navigator organizations', () => {
    const orgIds = new Set(organizations.map((o) => o.id));
    expect(new Set(regions.map((r) => r.id)).size).toBe(regions.length);
    for (const r of regions) {
      if (r.navigatorOrganizationId !== null) expect(orgIds).toContain(r.navigatorOrganizationId);
      for (const m of r.counties) expect(countyFips).toContain(m.fips);
    }
  });

  it('marks the unsourced assignments as unverified', () => {
    const byId = new Map(regions.map((r) => [r.id, r]));
    for (const id of ['southeast', 'northeast', 'central', 'east-metro']) {
      expect(byId.get(id)?.verified).toBe(false);
      for (const m of byId.get(id)?.counties ?? []) expect(m.verified).toBe(false);
    }
  });
});

describe('provenance', () => {
  it('explains every unverified row in a note', () => {
    const rows = [
      manifest,
      ...counties,
      ...regions,
      ...regions.flatMap((r) => r.counties),
      ...organizations,
      ...lines,
      crosswalk,
      ...directory.entries,
    ];
    for (const row of rows.filter((r) => !r.verified)) expect(row.note ?? '').not.toBe('');
  });
});

describe('lines.json', () => {
  it('has unique ids and puts the emergency line first', () => {
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    const first = [...lines].sort((a, b) => a.order - b.order)[0];
    expect(first?.id).toBe(manifest.emergencyLineId);
    expect(first?.scope).toBe('emergency');
  });

  it('holds only the numbers in the domain notes', () => {
    for (const l of lines)
      for (const n of [l.call, l.text]) if (n) expect(SOURCED_NUMBERS).toContain(digits(n.dial));
  });
});

describe('zip-counties.json', () => {
  const zips = Object.entries(crosswalk.zips);

  it('covers Minnesota ZIP codes, in order', () => {
    expect(zips.length).toBeGreaterThan(850);
    for (const [zip] of zips) expect(zip).toMatch(/^5[56]\d{3}$/);
    const keys = zips.map(([zip]) => zip);
    expect(keys).toEqual([...keys].sort());
    expect(crosswalk.generatedBy).toBe('scripts/build-zip-crosswalk.ts');
    expect(existsSync(path.join(repoRoot, crosswalk.generatedBy))).toBe(true);
  });

  it('names only Minnesota counties, largest share first', () => {
    for (const [, row] of zips) {
      for (const [fips] of row.counties) expect(countyFips).toContain(fips);
      const shares = row.counties.map(([, share]) => share);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.05);
    }
  });

  it('keeps every county of a ZIP that spans several', () => {
    expect(zips.filter(([, row]) => row.counties.length > 1).length).toBeGreaterThan(100);
  });
});

/** The source given for one published value of a row, or undefined when it has none. */
function sourceOf(row: { sources?: FactSource[] | undefined }, field: string, value: string) {
  const same = (a: string) => (/^\+?[\d\s().-]+$/.test(value) ? digits(a) === digits(value) : a === value);
  return row.sources?.find((f) => f.field === field && same(f.value));
}

describe('organizations.json', () => {
  it('has unique ids and no contact detail without its own source and date', () => {
    expect(new Set(organizations.map((o) => o.id)).size).toBe(organizations.length);
    for (const o of organizations) {
      o.phones.forEach((p, i) => {
        expect(sourceOf(o, `phones[${i}]`, p.display), `${o.id} phones[${i}]`).toBeDefined();
        expect(digits(p.dial)).toBe(digits(p.display));
      });
      if (o.website) expect(sourceOf(o, 'website', o.website), `${o.id} website`).toBeDefined();
      if (o.email) expect(sourceOf(o, 'email', o.email), `${o.id} email`).toBeDefined();
      // Read from public pages, not yet confirmed by the organization itself.
      for (const f of o.sources ?? []) expect(f.verified, `${o.id} ${f.field}`).toBe(false);
    }
  });

  it('publishes contact details for the hosts the sources give them for, and none for the others', () => {
    const reachable = organizations
      .filter((o) => o.phones.length > 0 || o.website !== null)
      .map((o) => o.id)
      .sort();
    expect(reachable).toEqual([
      'pavsa',
      'someplace-safe',
      'southwest-crisis-center',
      'the-link',
      'victim-services-of-olmsted-county',
    ]);
  });
});

describe('directory.json', () => {
  const services = directory.entries.map((e) => e.service);

  it('holds valid HSDS 3.1 services', () => {
    for (const service of services)
      expect({ name: service.name, ...validateHsdsService(service) }).toEqual({
        name: service.name,
        valid: true,
      });
  });

  it('uses unique ids', () => {
    const ids = services.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const attributeIds = [...walk(services)]
      .filter(([k]) => k === 'attributes')
      .flatMap(([, v]) => (v as { id: string }[]).map((a) => a.id));
    expect(new Set(attributeIds).size).toBe(attributeIds.length);
  });

  it('gives every service sensible facets', () => {
    for (const service of services) {
      const f = facetsOf(service);
      expect(f.programTypes.length, String(service.name)).toBeGreaterThan(0);
      expect(f.countyFips.length > 0 || f.statewide, String(service.name)).toBe(true);
      for (const fips of f.countyFips) expect(countyFips).toContain(fips);
      if (f.maximumAge !== null) expect(f.maximumAge).toBeLessThanOrEqual(24);
      if (f.minimumAge !== null && f.maximumAge !== null)
        expect(f.minimumAge).toBeLessThanOrEqual(f.maximumAge);
      if (f.genders.includes('any')) expect(f.genders).toEqual(['any']);
    }
  });

  it("serves each region's counties with that region's navigator", () => {
    const navigators = services.filter((s) => facetsOf(s).programTypes.includes('navigator'));
    for (const r of regions) {
      const host = organizations.find((o) => o.id === r.navigatorOrganizationId);
      const service = navigators.find((s) => (s.organization as { name?: unknown }).name === host?.name);
      expect(service, r.id).toBeDefined();
      expect(facetsOf(service ?? {}).countyFips.sort()).toEqual(
        r.counties
          .filter((m) => activeOn(m, ON))
          .map((m) => m.fips)
          .sort(),
      );
    }
  });

  it('never publishes the address of a confidential shelter or home', () => {
    for (const service of services) {
      const f = facetsOf(service);
      if (f.programTypes.includes('shelter_housing'))
        expect(f.confidentialLocation, String(service.name)).toBe(true);
      if (f.confidentialLocation)
        expect([...walk(service)].filter(([k]) => k === 'addresses' || k === 'address_1')).toEqual([]);
    }
  });

  it('spells the confidential attribute as the directory reads it', () => {
    const terms = [...walk(services)]
      .filter(([k]) => k === 'taxonomy_term')
      .map(([, v]) => v as { taxonomy: string; code: string });
    expect(terms).toContainEqual(
      expect.objectContaining({ taxonomy: TAXONOMY.location, code: CONFIDENTIAL_LOCATION }),
    );
    for (const t of terms) expect(Object.values(TAXONOMY)).toContain(t.taxonomy);
  });
});

describe('phone numbers and websites', () => {
  const rows = [...organizations, ...directory.entries];
  /** Numbers read in a cited public page (each row's `sources`), besides the lines in lines.json. */
  const cited = new Set(rows.flatMap((r) => (r.sources ?? []).map((f) => digits(f.value))));

  it('are published in the directory only with their own source and date', () => {
    for (const e of directory.entries) {
      const s = e.service as { name: string; url?: string; phones?: { number: string }[] };
      (s.phones ?? []).forEach((p, i) =>
        expect(sourceOf(e, `phones[${i}]`, p.number), `${s.name} phones[${i}]`).toBeDefined(),
      );
      if (s.url) expect(sourceOf(e, 'url', s.url), `${s.name} url`).toBeDefined();
      for (const f of e.sources ?? []) expect(f.verified, `${s.name} ${f.field}`).toBe(false);
    }
  });

  it('appear in text only when sourced: a line, a cited value, or a note that cites its page', () => {
    for (const row of rows) {
      for (const [key, value] of walk(row)) {
        if (typeof value !== 'string' || key === 'id' || key.endsWith('_id')) continue;
        for (const match of value.match(PHONE_SHAPED) ?? []) {
          const ok =
            SOURCED_NUMBERS.has(digits(match)) ||
            cited.has(digits(match)) ||
            (key === 'note' && /https?:\/\//.test(value));
          expect(ok, `${match} in ${key}`).toBe(true);
        }
      }
    }
  });
});

describe('the HSDS schema copy in data/hsds-3.1', () => {
  const shared = path.resolve(repoRoot, '../shared/hsds-3.1');
  it('is the official schema, unchanged', () => {
    const file = 'schema/compiled_service_with_definitions.json';
    const copy = readFileSync(path.join(repoRoot, 'data/hsds-3.1', path.basename(file)));
    // SHA-256 of Open Referral's compiled_service_with_definitions.json (HSDS 3.1), as copied.
    expect(createHash('sha256').update(copy).digest('hex')).toBe(
      '050c81c16e367bdee873b525342ec187f00e058f205a890feedbcdea5ed5ad81',
    );
    // Where the official files stand beside the repository, the copy equals them byte for byte.
    if (existsSync(shared)) expect(copy.equals(readFileSync(path.join(shared, file)))).toBe(true);
  });

  it('accepts the official full service example and rejects a broken service', () => {
    const example = path.join(shared, 'examples/service_full.json');
    if (existsSync(example))
      expect(validateHsdsService(JSON.parse(readFileSync(example, 'utf8')))).toEqual({ valid: true });
    expect(
      validateHsdsService({ id: 'x', name: 'n', status: 'active', phones: [{ id: 'y', number: 5 }] }),
    ).toMatchObject({
      valid: false,
      errors: expect.arrayContaining(['/id: must match format "uuid"', '/phones/0/number: must be string']),
    });
  });
});
