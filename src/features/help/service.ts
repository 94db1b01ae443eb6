/**
 * The help finder's use cases, all public: the navigator lookup as the API answers it (kept per
 * loaded geography so a repeated query is neither looked up nor serialised again), and the place
 * search of `/navigator` (a ZIP code, city or county typed in, or chosen from the list).
 */
import { lookupNavigator, type Lookup, type LookupOutcome, type LookupRequest } from './lookup.ts';
import { findPlace, navigatorForCounty, todayIn, type CountyInfo, type Geography } from './rules.ts';

export type NavigatorQuery = LookupRequest;

export type NavigatorJson = { ok: true; body: string } | Extract<LookupOutcome, { ok: false }>;

const CACHE_LIMIT = 5000;
const answers = new WeakMap<Geography, Map<string, string>>();

/** Serialised answers, kept per loaded geography (a reload starts a new cache) and per date. */
function answerCache(geo: Geography): Map<string, string> {
  let cache = answers.get(geo);
  if (!cache) {
    cache = new Map();
    answers.set(geo, cache);
  }
  return cache;
}

/** The navigator lookup for the API, as JSON text, or why it cannot be answered. */
export function navigatorJson(geo: Geography, q: NavigatorQuery): NavigatorJson {
  const cache = answerCache(geo);
  const key = `${q.asOf ?? todayIn(geo.timezone)}|${q.county ?? ''}|${q.zip ?? ''}`;
  // Only answers are kept, so a query found here was valid: no need to look it up again.
  const cached = cache.get(key);
  if (cached !== undefined) return { ok: true, body: cached };
  const outcome = lookupNavigator(geo, q);
  if (!outcome.ok) return outcome;
  const body = JSON.stringify(outcome.lookup);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, body);
  return { ok: true, body };
}

/** What `/navigator` shows for a search. */
export type PlaceSearchOutcome =
  | { kind: 'form' }
  | { kind: 'found'; lookup: Lookup; place: string; alsoIn: CountyInfo[] }
  | { kind: 'again'; title: string; message: string; status: 400 | 404; value: string | undefined };

const found = (lookup: Lookup, place: string, alsoIn: CountyInfo[] = []): PlaceSearchOutcome => ({
  kind: 'found',
  lookup,
  place,
  alsoIn,
});

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
        title: outcome.status === 404 ? 'We could not find that place' : 'Check what you typed',
        message: outcome.detail,
        status: outcome.status,
        value: county ?? zip,
      };
    return found(outcome.lookup, zip ?? county ?? '');
  }
  if (!q) return { kind: 'form' };
  const match = findPlace(geo, q);
  const asOf = todayIn(geo.timezone);
  switch (match.kind) {
    case 'county': {
      const outcome = lookupNavigator(geo, { county: match.county.fips });
      return outcome.ok ? found(outcome.lookup, match.county.name) : { kind: 'form' };
    }
    case 'zip': {
      const outcome = lookupNavigator(geo, { zip: match.zip.zip });
      return outcome.ok ? found(outcome.lookup, `ZIP code ${match.zip.zip}`) : { kind: 'form' };
    }
    case 'city': {
      const results = (match.primary ? [match.primary] : match.fips)
        .map((f) => navigatorForCounty(geo, f, asOf))
        .filter((a) => a !== null)
        .map((a) => ({ ...a, share: null }));
      const others = match.primary ? match.fips.filter((f) => f !== match.primary) : [];
      return found(
        {
          query: {},
          asOf,
          ambiguous: results.length > 1,
          results,
          statewide: geo.statewideLine,
          emergency: geo.emergencyLine,
        },
        match.city,
        others.map((f) => geo.counties.get(f)).filter((c) => c !== undefined),
      );
    }
    case 'none':
      return {
        kind: 'again',
        title: 'We could not find that place',
        message:
          `We could not find "${q}" in ${geo.name}.` +
          (match.suggestions.length
            ? ` Did you mean ${match.suggestions.join(', ')}?`
            : ' Try a ZIP code, or choose your county from the list.'),
        status: 404,
        value: q,
      };
    case 'invalid':
      return {
        kind: 'again',
        title: 'Check what you typed',
        message: 'Type a five-digit ZIP code, a city or a county name.',
        status: 400,
        value: q,
      };
  }
}

/** The counties in alphabetical order, for the county list. */
export const sortedCounties = (geo: Geography): CountyInfo[] =>
  [...geo.counties.values()].sort((a, b) => a.name.localeCompare(b.name));
