/**
 * The directory's rules, no I/O: turning the filters a person or client chose into a query.
 */
import { findCounty, inEffect, parseCountyInput, todayIn, type Geography } from '../help/index.ts';
import type { ServiceQuery } from './queries.ts';
import type { ServiceFilters } from './schema.ts';
import { NOT_FOR_YOUTH } from './taxonomy.ts';

export type FilterOutcome =
  | { ok: true; query: ServiceQuery; filters: ServiceFilters }
  | { ok: false; status: 400 | 404; field: string; detail: string };

/** Turns validated filters into a query, resolving county names and regions to county codes. */
export function toServiceQuery(geo: Geography, filters: ServiceFilters): FilterOutcome {
  let countyFips: string[] | undefined;
  if (filters.county) {
    const input = parseCountyInput(filters.county);
    const county = input ? findCounty(geo, input) : null;
    if (!input)
      return {
        ok: false,
        status: 400,
        field: 'county',
        detail: 'Give a county name or a five-digit FIPS code such as 27053.',
      };
    if (!county)
      return {
        ok: false,
        status: 404,
        field: 'county',
        detail: `No ${geo.name} county matches "${filters.county}".`,
      };
    countyFips = [county.fips];
  }
  if (filters.region) {
    const region = geo.regions.get(filters.region);
    if (!region)
      return {
        ok: false,
        status: 404,
        field: 'region',
        detail: `There is no region "${filters.region}". Regions: ${[...geo.regions.keys()].join(', ')}.`,
      };
    const today = todayIn(geo.timezone);
    const inRegion = [...geo.membershipsByCounty.values()]
      .flat()
      .filter((m) => m.regionId === region.id && inEffect(today, m.effectiveFrom, m.effectiveTo))
      .map((m) => m.fips);
    countyFips = countyFips ? countyFips.filter((f) => inRegion.includes(f)) : inRegion;
    if (countyFips.length === 0) countyFips = ['none'];
  }
  return {
    ok: true,
    filters,
    query: {
      type: filters.type,
      // A training for professionals is not help for a young person: listed only when asked for.
      excludeTypes: filters.type ? undefined : NOT_FOR_YOUTH,
      countyFips,
      age: filters.age,
      gender: filters.gender === 'any' ? undefined : filters.gender,
      language: filters.language,
      culturallySpecific: filters.culturallySpecific || undefined,
      lgbtqAffirming: filters.lgbtqAffirming || undefined,
      text: filters.q?.trim() || undefined,
      limit: filters.perPage,
      offset: (filters.page - 1) * filters.perPage,
    },
  };
}

/** The last page there is for `total` results (1 when there are none). */
export function lastPage(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}
