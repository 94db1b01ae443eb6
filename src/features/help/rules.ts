/**
 * Who a young person should call, for a place and a date: pure lookups over the geography of a
 * jurisdiction pack (no I/O). The rule that matters most: when a county's region or navigator is not
 * confirmed in a source, the statewide line comes first and the region is shown as "likely" — an
 * unverified fact never silently decides where someone is sent.
 */
import { normalizePlace } from './names.ts';
import {
  countiesOf,
  EMPTY_PLACES,
  matchPlaces,
  placeKey,
  type PlaceIndex,
  type PlaceRecord,
} from './places.ts';

export interface Provenanced {
  source: string;
  retrieved: string;
  verified: boolean;
  note: string | null;
}

export interface Line extends Provenanced {
  id: string;
  name: string;
  description: string;
  scope: 'emergency' | 'statewide' | 'national';
  call: { dial: string; display: string } | null;
  text: { dial: string; display: string; body: string | null } | null;
  url: string | null;
  hours: string | null;
}

export interface CountyInfo extends Provenanced {
  fips: string;
  name: string;
  slug: string;
}

export interface OrganizationInfo extends Provenanced {
  id: string;
  name: string;
  description: string;
  city: string | null;
  website: string | null;
  email: string | null;
  phones: { dial: string; display: string; description: string | null }[];
}

export interface RegionInfo extends Provenanced {
  id: string;
  name: string;
  navigatorOrganizationId: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface Membership extends Provenanced {
  regionId: string;
  fips: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface ZipEntry {
  zip: string;
  city: string;
  /** County FIPS with the share of the ZIP's addresses, largest first. */
  counties: { fips: string; share: number }[];
}

export interface Geography {
  jurisdiction: string;
  name: string;
  timezone: string;
  lines: Line[];
  statewideLine: Line;
  emergencyLine: Line;
  counties: Map<string, CountyInfo>;
  countiesByName: Map<string, string>;
  countiesBySlug: Map<string, string>;
  regions: Map<string, RegionInfo>;
  organizations: Map<string, OrganizationInfo>;
  membershipsByCounty: Map<string, Membership[]>;
  zips: Map<string, ZipEntry>;
  zipsByCity: Map<string, string[]>;
  zipProvenance: Provenanced | null;
}

export interface NavigatorAnswer {
  county: { fips: string; name: string; slug: string };
  region: (Omit<RegionInfo, 'navigatorOrganizationId'> & { membership: Provenanced }) | null;
  navigator: OrganizationInfo | null;
  /**
   * True only when the county's membership, its region and the navigator organization are all
   * confirmed in a source. When false, `contactFirst` is the statewide line.
   */
  confirmed: boolean;
  contactFirst: 'navigator' | 'statewide';
  statewide: Line;
}

/** True when `date` falls in [from, to). Dates are ISO strings, so they compare as text. */
export function inEffect(date: string, from: string, to: string | null): boolean {
  return from <= date && (to === null || date < to);
}

/** Today's calendar date in the jurisdiction's time zone, as `YYYY-MM-DD`. */
export function todayIn(timezone: string, now: Date = new Date()): string {
  // Formatting a date in a time zone is costly, and lookups ask on every request: the answer is
  // kept until the end of the current minute (midnight always falls on a minute boundary).
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = todayCache.get(timezone);
  if (cached && cached.minute === minute) return cached.date;
  let format = dateFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timezone, format);
  }
  const date = format.format(now);
  todayCache.set(timezone, { minute, date });
  return date;
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const todayCache = new Map<string, { minute: number; date: string }>();

/**
 * The region, navigator and first contact for a county on a date.
 *
 * @example
 * navigatorForCounty(geo, '27053', '2026-11-21').region?.name // 'West Metro'
 */
export function navigatorForCounty(geo: Geography, fips: string, asOf: string): NavigatorAnswer | null {
  const county = geo.counties.get(fips);
  if (!county) return null;
  const membership = (geo.membershipsByCounty.get(fips) ?? []).find((m) => {
    const region = geo.regions.get(m.regionId);
    return (
      region !== undefined &&
      inEffect(asOf, m.effectiveFrom, m.effectiveTo) &&
      inEffect(asOf, region.effectiveFrom, region.effectiveTo)
    );
  });
  const region = membership ? geo.regions.get(membership.regionId) : undefined;
  const navigator = region?.navigatorOrganizationId
    ? (geo.organizations.get(region.navigatorOrganizationId) ?? null)
    : null;
  const reachable =
    navigator !== null &&
    (navigator.phones.length > 0 || navigator.email !== null || navigator.website !== null);
  const confirmed = Boolean(membership?.verified && region?.verified && navigator?.verified && reachable);
  return {
    county: { fips: county.fips, name: county.name, slug: county.slug },
    region:
      region && membership
        ? {
            id: region.id,
            name: region.name,
            effectiveFrom: region.effectiveFrom,
            effectiveTo: region.effectiveTo,
            source: region.source,
            retrieved: region.retrieved,
            verified: region.verified,
            note: region.note,
            membership: {
              source: membership.source,
              retrieved: membership.retrieved,
              verified: membership.verified,
              note: membership.note,
            },
          }
        : null,
    navigator,
    confirmed,
    contactFirst: confirmed ? 'navigator' : 'statewide',
    statewide: geo.statewideLine,
  };
}

export type CountyInput = { kind: 'fips'; fips: string } | { kind: 'name'; name: string };

export const COUNTY_INPUT_PROBLEM =
  'Give a county name (letters, spaces, dots, apostrophes or hyphens, up to 40 characters) or a five-digit FIPS code such as 27053.';

/** Reads a county query. Returns null when it cannot be a county name or code at all. */
export function parseCountyInput(raw: string): CountyInput | null {
  const value = raw.trim();
  if (/^\d{5}$/.test(value)) return { kind: 'fips', fips: value };
  if (value.length === 0 || value.length > 40) return null;
  if (!/^[\p{L} .'’-]+$/u.test(value)) return null;
  return { kind: 'name', name: value };
}

export function findCounty(geo: Geography, input: CountyInput): CountyInfo | null {
  if (input.kind === 'fips') return geo.counties.get(input.fips) ?? null;
  const key = normalizePlace(input.name);
  const fips = geo.countiesByName.get(key) ?? geo.countiesBySlug.get(key.replace(/ /g, '-'));
  return fips ? (geo.counties.get(fips) ?? null) : null;
}

/** Edit distance, for "did you mean" suggestions on misspelled place names. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** Up to three county names close to what was typed. */
export function suggestCounties(geo: Geography, typed: string): string[] {
  const key = normalizePlace(typed);
  if (!key) return [];
  return [...geo.counties.values()]
    .map((c) => {
      const name = normalizePlace(c.name);
      const distance = name.startsWith(key) ? 0 : editDistance(key, name);
      return { name: c.name, distance };
    })
    .filter((s) => s.distance <= Math.max(2, Math.floor(key.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/**
 * A city mostly in one county (by the share of its ZIP codes' addresses) is answered with that county,
 * and the page offers the others; below this share the page asks which county.
 */
export const PRIMARY_COUNTY_SHARE = 90;

export type PlaceMatch =
  | { kind: 'county'; county: CountyInfo }
  | { kind: 'zip'; zip: ZipEntry }
  | {
      kind: 'city';
      city: string;
      zips: string[];
      /** Counties the place lies in (for a postal city name: its ZIP codes touch), largest share first. */
      fips: string[];
      /** The county holding the place, or at least PRIMARY_COUNTY_SHARE of its ZIP codes, if one does. */
      primary: string | null;
      /** The Census places the name means (empty for a postal city name found through its ZIP codes). */
      places?: PlaceRecord[];
      /** Set when the name is also a county's: that county's FIPS code. */
      countyNamed?: string;
    }
  | { kind: 'county-unknown'; place: string }
  | { kind: 'none'; suggestions: string[] }
  | { kind: 'invalid' };

/**
 * Reads what someone typed in the one search box: a ZIP code, a county, a city, township or
 * unorganized territory (from the pack's Census places), or a postal city name.
 *
 * @example
 * findPlace(geo, '55401')                 // { kind: 'zip', … }
 * findPlace(geo, 'Hennepin')              // { kind: 'county', … }
 * findPlace(geo, 'St Paul', places)       // { kind: 'city', fips: ['27123'], primary: '27123', … }
 * findPlace(geo, 'Duluth, MN')            // { kind: 'city', … } (through its ZIP codes)
 */
export function findPlace(geo: Geography, raw: string, places: PlaceIndex = EMPTY_PLACES): PlaceMatch {
  const value = raw
    .trim()
    .replace(/,?\s*(minnesota|mn)\.?$/i, '')
    .trim();
  if (/^\d{5}(-\d{4})?$/.test(value)) {
    const zip = geo.zips.get(value.slice(0, 5));
    return zip ? { kind: 'zip', zip } : { kind: 'none', suggestions: [] };
  }
  if (/^\d+$/.test(value)) return { kind: 'invalid' };
  const input = parseCountyInput(value);
  if (!input) return { kind: 'invalid' };
  const typed = matchPlaces(places, value);
  const county = typed.asked === null || typed.asked === 'county' ? findCounty(geo, input) : null;
  const name = typed.places[0]?.name ?? value;
  if (county) {
    const elsewhere = countiesOf(typed.places).filter((f) => f !== county.fips);
    if (typed.asked === 'county' || elsewhere.length === 0) return { kind: 'county', county };
    // "Ramsey": Ramsey County, or the city of Ramsey in Anoka County? Ask.
    return {
      kind: 'city',
      city: name,
      zips: [],
      fips: [county.fips, ...elsewhere],
      primary: null,
      places: typed.places,
      countyNamed: county.fips,
    };
  }
  if (typed.places.length > 0) {
    const fips = countiesOf(typed.places).filter((f) => geo.counties.has(f));
    if (fips.length === 0) return { kind: 'county-unknown', place: name };
    return {
      kind: 'city',
      city: name,
      zips: [],
      fips,
      primary: fips.length === 1 ? (fips[0] ?? null) : null,
      places: typed.places,
    };
  }
  const key = normalizePlace(value);
  const zips = geo.zipsByCity.get(key);
  if (zips && zips.length > 0) {
    const weight = new Map<string, number>();
    for (const z of zips) {
      for (const c of geo.zips.get(z)?.counties ?? [])
        weight.set(c.fips, (weight.get(c.fips) ?? 0) + c.share / zips.length);
    }
    const fips = [...weight.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f);
    const top = fips[0];
    const primary = top !== undefined && (weight.get(top) ?? 0) >= PRIMARY_COUNTY_SHARE ? top : null;
    const city = geo.zips.get(zips[0] ?? '')?.city ?? value;
    return { kind: 'city', city, zips, fips, primary };
  }
  const suggestions = [...suggestCounties(geo, value), ...suggestPlaces(places, value)];
  return { kind: 'none', suggestions: [...new Set(suggestions)].slice(0, 3) };
}

/** Up to three place names close to what was typed (a typo, or the start of a name). */
export function suggestPlaces(places: PlaceIndex, typed: string): string[] {
  const key = placeKey(typed);
  if (key.length < 3) return [];
  return places.keys
    .map((k) => ({ k, distance: k.startsWith(key) ? 0 : editDistance(key, k) }))
    .filter((s) => s.distance <= Math.max(1, Math.floor(key.length / 4)))
    .sort((a, b) => a.distance - b.distance || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map((s) => places.byKey.get(s.k)?.[0]?.name ?? s.k);
}
