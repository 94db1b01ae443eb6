/**
 * The navigator lookup as the API and the pages ask it: validation and answer, no I/O.
 */
import {
  COUNTY_INPUT_PROBLEM,
  findCounty,
  navigatorForCounty,
  parseCountyInput,
  suggestCounties,
  todayIn,
  type Geography,
  type Line,
  type NavigatorAnswer,
} from './rules.ts';

export interface LookupRequest {
  county?: string | undefined;
  zip?: string | undefined;
  asOf?: string | undefined;
}

export interface Lookup {
  query: { county?: string; zip?: string };
  asOf: string;
  ambiguous: boolean;
  results: (NavigatorAnswer & { share: number | null })[];
  statewide: Line;
  emergency: Line;
}

export type LookupOutcome =
  | { ok: true; lookup: Lookup }
  | {
      ok: false;
      status: 400 | 404;
      field: 'county' | 'zip' | 'asOf';
      detail: string;
      suggestions?: string[];
    };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * @example
 * lookupNavigator(geo, { zip: '55401' }) // { ok: true, lookup: { results: [Hennepin …] } }
 * lookupNavigator(geo, { zip: '5540' })  // { ok: false, status: 400, field: 'zip', … }
 */
export function lookupNavigator(geo: Geography, request: LookupRequest): LookupOutcome {
  const asOf = request.asOf ?? todayIn(geo.timezone);
  if (!validDate(asOf))
    return {
      ok: false,
      status: 400,
      field: 'asOf',
      detail: 'Give the date as YYYY-MM-DD, for example 2026-11-21.',
    };
  const hasCounty = request.county !== undefined && request.county !== '';
  const hasZip = request.zip !== undefined && request.zip !== '';
  if (hasCounty === hasZip) {
    return {
      ok: false,
      status: 400,
      field: hasCounty ? 'zip' : 'county',
      detail: hasCounty
        ? 'Give either a county or a ZIP code, not both.'
        : 'Give a county (name or FIPS code) or a five-digit ZIP code, for example ?county=Hennepin or ?zip=55401.',
    };
  }
  const base = { asOf, statewide: geo.statewideLine, emergency: geo.emergencyLine };
  if (hasCounty) {
    const raw = request.county ?? '';
    const input = parseCountyInput(raw);
    if (!input) return { ok: false, status: 400, field: 'county', detail: COUNTY_INPUT_PROBLEM };
    const county = findCounty(geo, input);
    if (!county) {
      const suggestions = input.kind === 'name' ? suggestCounties(geo, input.name) : [];
      return {
        ok: false,
        status: 404,
        field: 'county',
        detail:
          `No ${geo.name} county matches "${raw.trim()}".` +
          (suggestions.length
            ? ` Did you mean ${suggestions.join(', ')}?`
            : ' Check the spelling, or search by ZIP code.'),
        suggestions,
      };
    }
    const answer = navigatorForCounty(geo, county.fips, asOf);
    return {
      ok: true,
      lookup: {
        ...base,
        query: { county: raw.trim() },
        ambiguous: false,
        results: answer ? [{ ...answer, share: null }] : [],
      },
    };
  }
  const zip = (request.zip ?? '').trim();
  if (!/^\d{5}$/.test(zip))
    return { ok: false, status: 400, field: 'zip', detail: 'A ZIP code is five digits, for example 55401.' };
  const entry = geo.zips.get(zip);
  if (!entry) {
    return {
      ok: false,
      status: 404,
      field: 'zip',
      detail: `ZIP code ${zip} is not a ${geo.name} ZIP code we know. Check the number, or search by county or city.`,
    };
  }
  const results = entry.counties
    .map((c) => {
      const answer = navigatorForCounty(geo, c.fips, asOf);
      return answer ? { ...answer, share: c.share } : null;
    })
    .filter((a): a is NavigatorAnswer & { share: number } => a !== null);
  return { ok: true, lookup: { ...base, query: { zip }, ambiguous: results.length > 1, results } };
}
