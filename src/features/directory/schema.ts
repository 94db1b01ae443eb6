/**
 * The directory's filters, read the same way by the page and the API.
 */
import { z } from '@hono/zod-openapi';
import { findCounty, inEffect, parseCountyInput, todayIn, type Geography } from '../help/rules.ts';
import { GENDERS_SERVED, PROGRAM_TYPES } from './taxonomy.ts';
import type { ServiceQuery } from './queries.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'on', 'yes', 'no'])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'on' || v === 'yes');

const programTypes = Object.keys(PROGRAM_TYPES) as [
  keyof typeof PROGRAM_TYPES,
  ...(keyof typeof PROGRAM_TYPES)[],
];
const genders = Object.keys(GENDERS_SERVED) as [
  keyof typeof GENDERS_SERVED,
  ...(keyof typeof GENDERS_SERVED)[],
];

export const ServiceFiltersSchema = z.object({
  type: z.enum(programTypes).optional().openapi({ description: 'Program type.' }),
  county: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'County name or five-digit FIPS code served.', example: 'Ramsey' }),
  region: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'a region id such as west-metro')
    .optional()
    .openapi({
      description: 'Region id (see /api/v1/navigators): services serving any county of the region.',
    }),
  age: z.coerce
    .number()
    .int()
    .min(0)
    .max(120)
    .optional()
    .openapi({ description: 'Age of the young person: services whose age range includes it.' }),
  gender: z
    .enum(genders)
    .optional()
    .openapi({ description: 'Gender served. Services open to all genders always match.' }),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'a two- or three-letter language code such as so or hmn')
    .optional()
    .openapi({ description: 'ISO 639 language code.' }),
  culturallySpecific: flag.openapi({ description: 'Only culturally specific services.' }),
  lgbtqAffirming: flag.openapi({ description: 'Only LGBTQ+ affirming services.' }),
  q: z.string().max(100).optional().openapi({ description: 'Words in the name or description.' }),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});
export type ServiceFilters = z.infer<typeof ServiceFiltersSchema>;

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
