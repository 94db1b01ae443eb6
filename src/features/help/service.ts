/**
 * The help finder's use cases, all public: the navigator lookup as the API answers it (kept per
 * loaded geography so a repeated query is neither looked up nor serialised again), and the place
 * search of `/navigator` (a ZIP code, city or county typed in, or chosen from the list).
 */
import { existsSync, readFileSync } from 'node:fs';
import { lookupNavigator, type Lookup, type LookupOutcome, type LookupRequest } from './lookup.ts';
import type { MessageKey } from '../../platform/i18n/index.ts';
import { buildPlaceIndex, EMPTY_PLACES, type PlaceIndex, type PlaceRecord } from './places.ts';
import { findPlace, navigatorForCounty, todayIn, type CountyInfo, type Geography } from './rules.ts';
import { PlacesFileSchema } from './schema.ts';

export type NavigatorQuery = LookupRequest;

export type NavigatorJson = { ok: true; body: string } | Extract<LookupOutcome, { ok: false }>;

/** A serialised answer, ready to write: its bytes (and, once asked for, their gzip). */
export interface PreparedAnswer {
  body: Buffer;
  gzip?: Buffer;
}

/** Answers kept per query as sent: bounded, since spellings of a county are many. */
const CACHE_LIMIT = 2000;
/** Longer queries are answered but not kept (no honest query is this long; the cache stays small). */
const KEY_LIMIT = 200;

/** The answers of one loaded geography on one day. */
interface AnswerDay {
  date: string;
  /** By the normalised query (`county|zip|asOf`): the JSON text. */
  byQuery: Map<string, string>;
  /** By the URL's query string exactly as a client sent it: the bytes, for the public fast path. */
  bySearch: Map<string, PreparedAnswer>;
  /** What `/navigator` shows, by what was typed or chosen. */
  places: Map<string, PlaceSearchOutcome>;
}

const answers = new WeakMap<Geography, AnswerDay>();

/**
 * The answers of a geography for today: a reload of the geography (an edit, a pack import) makes a
 * new `Geography` object and so starts empty, and so does a new day.
 */
function answerDay(geo: Geography): AnswerDay {
  const date = todayIn(geo.timezone);
  let day = answers.get(geo);
  if (!day || day.date !== date) {
    day = { date, byQuery: new Map(), bySearch: new Map(), places: new Map() };
    answers.set(geo, day);
  }
  return day;
}

/**
 * The navigator lookup for the API, as JSON text, or why it cannot be answered. With `search` (the
 * URL's query string as sent), the answer is also kept for `preparedNavigatorAnswer`.
 */
export function navigatorJson(geo: Geography, q: NavigatorQuery, search?: string): NavigatorJson {
  const day = answerDay(geo);
  const key = `${q.asOf ?? ''}|${q.county ?? ''}|${q.zip ?? ''}`;
  // Only answers are kept, so a query found here was valid: no need to look it up again.
  let body = day.byQuery.get(key);
  if (body === undefined) {
    const outcome = lookupNavigator(geo, q);
    if (!outcome.ok) return outcome;
    body = JSON.stringify(outcome.lookup);
    if (key.length <= KEY_LIMIT) {
      if (day.byQuery.size >= CACHE_LIMIT) day.byQuery.clear();
      day.byQuery.set(key, body);
    }
  }
  if (search !== undefined && search.length <= KEY_LIMIT && !day.bySearch.has(search)) {
    if (day.bySearch.size >= CACHE_LIMIT) day.bySearch.clear();
    day.bySearch.set(search, { body: Buffer.from(body) });
  }
  return { ok: true, body };
}

/**
 * The serialised answer to a query string the API has answered before for this geography and day
 * (`county=Hennepin`, `zip=55401`), or undefined: the public fast path writes it without the router.
 * Any query string found here was checked by the API's schema and lookup when it was first answered.
 */
export function preparedNavigatorAnswer(geo: Geography, search: string): PreparedAnswer | undefined {
  return answerDay(geo).bySearch.get(search);
}

const placeIndexes = new Map<string, PlaceIndex>();

/**
 * The places of a jurisdiction (`data/<jurisdiction>/places.json`, Census facts shipped with the code,
 * not edited by administrators), read once. A pack without the file finds places by ZIP codes only.
 */
export function placeIndexFor(jurisdiction: string): PlaceIndex {
  const cached = placeIndexes.get(jurisdiction);
  if (cached) return cached;
  const file = new URL(
    `../../../data/${jurisdiction.replace(/[^a-z0-9-]/g, '')}/places.json`,
    import.meta.url,
  );
  let index = EMPTY_PLACES;
  if (existsSync(file)) {
    const parsed = PlacesFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`places.json: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    index = buildPlaceIndex(parsed.data.places);
  }
  placeIndexes.set(jurisdiction, index);
  return index;
}

/** A message for the public page, said in the page's language: its key and its values. */
export interface PublicMessage {
  key: MessageKey;
  values?: Record<string, string>;
}

/** The place searched for, as the page names it: a ZIP code, or a county's or a place's name. */
export type PlaceName = { zip: string } | { name: string };

/** What `/navigator` shows for a search. */
export type PlaceSearchOutcome =
  | { kind: 'form' }
  | {
      kind: 'found';
      lookup: Lookup;
      place: PlaceName;
      alsoIn: CountyInfo[];
      /** For the choice of county: what of the place lies in each county, by FIPS code. */
      notes?: Record<string, Pick<PlaceRecord, 'name' | 'kind'>>;
    }
  | {
      kind: 'again';
      title: MessageKey;
      message: PublicMessage;
      status: 200 | 400 | 404;
      value: string | undefined;
      /** True when the search found the place but cannot tell its county: a question, not an error. */
      question?: boolean;
    };

const found = (
  lookup: Lookup,
  place: PlaceName,
  alsoIn: CountyInfo[] = [],
  notes?: Record<string, Pick<PlaceRecord, 'name' | 'kind'>>,
): PlaceSearchOutcome => ({ kind: 'found', lookup, place, alsoIn, ...(notes ? { notes } : {}) });

/**
 * @example
 * searchPlace(geo, { zip: '55401' })      // { kind: 'found', lookup: { results: [Hennepin …] }, … }
 * searchPlace(geo, { q: 'Nowhereville' }) // { kind: 'again', status: 404, … }
 */
export function searchPlace(
  geo: Geography,
  query: { q?: string | undefined; county?: string | undefined; zip?: string | undefined },
): PlaceSearchOutcome {
  const { q, county, zip } = query;
  if (county || zip) {
    const outcome = lookupNavigator(geo, { county, zip });
    if (!outcome.ok)
      return {
        kind: 'again',
        title: outcome.status === 404 ? 'help.again.notFoundTitle' : 'help.again.checkTitle',
        message: lookupProblem(outcome, geo.name, { county, zip }),
        status: outcome.status,
        value: county ?? zip,
      };
    return found(outcome.lookup, zip ? { zip } : { name: county ?? '' });
  }
  if (!q) return { kind: 'form' };
  const match = findPlace(geo, q, placeIndexFor(geo.jurisdiction));
  const asOf = todayIn(geo.timezone);
  switch (match.kind) {
    case 'county': {
      const outcome = lookupNavigator(geo, { county: match.county.fips });
      return outcome.ok ? found(outcome.lookup, { name: match.county.name }) : { kind: 'form' };
    }
    case 'zip': {
      const outcome = lookupNavigator(geo, { zip: match.zip.zip });
      return outcome.ok ? found(outcome.lookup, { zip: match.zip.zip }) : { kind: 'form' };
    }
    case 'city': {
      const results = (match.primary ? [match.primary] : match.fips)
        .map((f) => navigatorForCounty(geo, f, asOf))
        .filter((a) => a !== null)
        .map((a) => ({ ...a, share: null }));
      const others = match.primary ? match.fips.filter((f) => f !== match.primary) : [];
      const notes: Record<string, Pick<PlaceRecord, 'name' | 'kind'>> = {};
      if (match.countyNamed) {
        for (const p of match.places ?? [])
          for (const f of p.counties) if (f !== match.countyNamed) notes[f] = { name: p.name, kind: p.kind };
      }
      return found(
        {
          query: {},
          asOf,
          ambiguous: results.length > 1,
          results,
          statewide: geo.statewideLine,
          emergency: geo.emergencyLine,
        },
        { name: match.city },
        others.map((f) => geo.counties.get(f)).filter((c) => c !== undefined),
        notes,
      );
    }
    case 'county-unknown':
      return {
        kind: 'again',
        title: 'help.again.whichTitle',
        message: { key: 'help.again.countyUnknown', values: { place: match.place } },
        status: 200,
        value: undefined,
        question: true,
      };
    case 'none':
      return {
        kind: 'again',
        title: 'help.again.notFoundTitle',
        message: match.suggestions.length
          ? {
              key: 'help.again.noneSuggest',
              values: { q, area: geo.name, suggestions: match.suggestions.join(', ') },
            }
          : { key: 'help.again.none', values: { q, area: geo.name } },
        status: 404,
        value: q,
      };
    case 'invalid':
      return {
        kind: 'again',
        title: 'help.again.checkTitle',
        message: { key: 'help.again.invalid' },
        status: 400,
        value: q,
      };
  }
}

/** Why a county or ZIP code chosen or typed in the address has no answer, as the public page says it. */
function lookupProblem(
  outcome: Extract<LookupOutcome, { ok: false }>,
  area: string,
  query: { county?: string | undefined; zip?: string | undefined },
): PublicMessage {
  const county = query.county ?? '';
  const zip = query.zip ?? '';
  if (county && zip) return { key: 'help.again.both' };
  if (county) {
    if (outcome.status !== 404) return { key: 'help.again.countyInput' };
    const suggestions = outcome.suggestions ?? [];
    return suggestions.length
      ? {
          key: 'help.again.noCountySuggest',
          values: { q: county, area, suggestions: suggestions.join(', ') },
        }
      : { key: 'help.again.noCounty', values: { q: county, area } };
  }
  if (outcome.status === 404) return { key: 'help.again.zipUnknown', values: { zip, area } };
  return { key: 'help.again.zipDigits' };
}

/**
 * `searchPlace`, kept for the loaded geography and the day: the same search gives the same object
 * (so the page can keep what it rendered from it) until the data or the date changes.
 */
export function keptPlaceSearch(
  geo: Geography,
  query: { q?: string | undefined; county?: string | undefined; zip?: string | undefined },
): PlaceSearchOutcome {
  const places = answerDay(geo).places;
  const key = JSON.stringify([query.q ?? null, query.county ?? null, query.zip ?? null]);
  let outcome = places.get(key);
  if (outcome === undefined) {
    outcome = searchPlace(geo, query);
    // Only places found are kept: what was mistyped is answered again (and may be anything).
    if (outcome.kind === 'found' && key.length <= KEY_LIMIT) {
      if (places.size >= CACHE_LIMIT) places.clear();
      places.set(key, outcome);
    }
  }
  return outcome;
}

/** The counties in alphabetical order, for the county list. */
export const sortedCounties = (geo: Geography): CountyInfo[] =>
  [...geo.counties.values()].sort((a, b) => a.name.localeCompare(b.name));
