/**
 * Every city, township and unorganized territory of a jurisdiction (from Census files, see the pack's
 * places.json), and how a typed name finds them: pure, no I/O.
 */
import { normalizePlace } from './names.ts';

export type PlaceKind = 'city' | 'township' | 'unorganized';

export interface PlaceRecord {
  name: string;
  kind: PlaceKind;
  /** County FIPS codes the place lies in; empty when the source does not say. */
  counties: string[];
  geoid: string;
}

export interface PlaceIndex {
  byKey: Map<string, PlaceRecord[]>;
  keys: string[];
}

/** Words people add after a place name, and the kind each one asks for. */
const SUFFIXES: [RegExp, PlaceKind | 'county'][] = [
  [/ (township|twp|twsp|tship)$/, 'township'],
  [/ (unorganized territory|unorganized|unorg|ut)$/, 'unorganized'],
  [/ city$/, 'city'],
  [/ county$/, 'county'],
];

/**
 * The comparable form of a place name: as `normalizePlace`, with apostrophes dropped ("O'Brien" and
 * "OBrien" alike) and "Mt"/"Ft" spelled out; the trailing word "county" is kept here, because a
 * place search must tell "Ramsey" from "Ramsey County".
 *
 * @example
 * placeKey('  St.   Paul ')  // 'saint paul'
 * placeKey('SAINT PAUL, MN') // 'saint paul'
 */
export function placeKey(input: string): string {
  const county = /\bcounty\s*[.,]?\s*$/i.test(input.replace(/,?\s*(minnesota|mn)\.?\s*$/i, ''));
  const key = normalizePlace(
    input
      .replace(/['’`]/g, '')
      .replace(/,?\s*(minnesota|mn)\.?\s*$/i, '')
      .replace(/^\s*city of\s+/i, ''),
  )
    .replace(/\bmt\b/g, 'mount')
    .replace(/\bft\b/g, 'fort');
  return county ? `${key} county` : key;
}

/** Splits "lake township" into the name and the kind asked for; "center city" is tried whole first. */
export function splitSuffix(key: string): { base: string; kind: PlaceKind | 'county' | null } {
  for (const [re, kind] of SUFFIXES) if (re.test(key)) return { base: key.replace(re, ''), kind };
  return { base: key, kind: null };
}

export function buildPlaceIndex(places: PlaceRecord[]): PlaceIndex {
  const byKey = new Map<string, PlaceRecord[]>();
  for (const p of places) {
    const key = placeKey(p.name);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return { byKey, keys: [...byKey.keys()] };
}

export const EMPTY_PLACES: PlaceIndex = { byKey: new Map(), keys: [] };

/**
 * The places a typed name means. A bare name that is a city means the city (people say "Albany" for
 * the city, "Albany Township" for the township); "X Township", "X Twp", "X UT" or "X city" ask for
 * that kind. `asked` is the kind the person named, if any.
 *
 * @example
 * matchPlaces(index, 'St Paul')          // { places: [St. Paul city], asked: null }
 * matchPlaces(index, 'Lake Twp')         // { places: [every Lake township], asked: 'township' }
 */
export function matchPlaces(
  index: PlaceIndex,
  raw: string,
): { places: PlaceRecord[]; asked: PlaceKind | 'county' | null; key: string } {
  const key = placeKey(raw);
  const whole = index.byKey.get(key);
  if (whole) return { places: preferCities(whole), asked: null, key };
  const { base, kind } = splitSuffix(key);
  if (kind === null || kind === 'county') return { places: [], asked: kind, key: base };
  const all = index.byKey.get(base) ?? [];
  const ofKind = all.filter((p) => p.kind === kind);
  return { places: ofKind.length ? ofKind : preferCities(all), asked: kind, key: base };
}

function preferCities(places: PlaceRecord[]): PlaceRecord[] {
  const cities = places.filter((p) => p.kind === 'city');
  return cities.length ? cities : places;
}

/** The counties of a set of places, in order of first appearance, without repeats. */
export function countiesOf(places: PlaceRecord[]): string[] {
  return [...new Set(places.flatMap((p) => p.counties))];
}

/** How a place is named on a page: "Albany", "Albany Township", "Fort Snelling (unorganized)". */
export function placeLabel(p: PlaceRecord): string {
  if (p.kind === 'township') return `${p.name} Township`;
  if (p.kind === 'unorganized') return `${p.name} (unorganized territory)`;
  return p.name;
}
