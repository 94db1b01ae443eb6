/**
 * How the directory's filters are written in Open Referral HSDS 3.1.
 *
 * HSDS has no fields for "program type", "gender served" or "LGBTQ+ affirming", so they travel as
 * `attributes` whose `taxonomy_term.taxonomy` is one of the vocabularies below. Ages use HSDS's own
 * `minimum_age`/`maximum_age`, languages `languages[].code` (ISO 639-1), and the area served uses
 * `service_areas[]` with `extent_type: "text"` and `extent` holding a county FIPS code (`27053`) or
 * the state FIPS code (`27`) for the whole state.
 */
export const PROGRAM_TYPES = {
  navigator: 'Regional navigator',
  supportive_services: 'Supportive services',
  shelter_housing: 'Shelter and housing',
  labor_trafficking: 'Labor-trafficking services',
  tribal_partner: 'Tribal partner',
  training: 'Training for people who work with youth',
} as const;
export type ProgramType = keyof typeof PROGRAM_TYPES;

/**
 * Program types that are not a service for young people (a training for professionals): the directory
 * lists them only when someone asks for that type.
 */
export const NOT_FOR_YOUTH: readonly ProgramType[] = ['training'];

export const GENDERS_SERVED = {
  any: 'All genders',
  female: 'Girls and young women',
  male: 'Boys and young men',
  transgender_nonbinary: 'Transgender and nonbinary youth',
} as const;
export type GenderServed = keyof typeof GENDERS_SERVED;

export const POPULATION_TERMS = {
  culturally_specific: 'Culturally specific',
  lgbtq_affirming: 'LGBTQ+ affirming',
} as const;

export const TAXONOMY = {
  programType: 'nwd-program-type',
  genderServed: 'nwd-gender-served',
  population: 'nwd-population',
  location: 'nwd-location',
} as const;

/** `nwd-location` term: the location is kept confidential and never published with a street address. */
export const CONFIDENTIAL_LOCATION = 'confidential';

export const STATE_WIDE_EXTENT = '27';

interface HsdsAttribute {
  taxonomy_term?: { taxonomy?: unknown; code?: unknown } | null;
  value?: unknown;
}

/** What the directory filters on, read from one HSDS service. */
export interface DirectoryFacets {
  programTypes: ProgramType[];
  genders: GenderServed[];
  minimumAge: number | null;
  maximumAge: number | null;
  languages: string[];
  /** County FIPS codes served; empty with `statewide` true means the whole state. */
  countyFips: string[];
  statewide: boolean;
  culturallySpecific: boolean;
  /** Which community, when culturally specific (the attribute's `value`). */
  culturallySpecificFor: string | null;
  lgbtqAffirming: boolean;
  confidentialLocation: boolean;
}

function codesIn(attributes: HsdsAttribute[], taxonomy: string): string[] {
  return attributes
    .filter((a) => a.taxonomy_term?.taxonomy === taxonomy && typeof a.taxonomy_term.code === 'string')
    .map((a) => a.taxonomy_term?.code as string);
}

function isKeyOf<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/**
 * Reads the facets of an HSDS service.
 *
 * @example
 * facetsOf({ id: 's1', name: 'Shelter', status: 'active', minimum_age: 12, attributes: [
 *   { id: 'a', taxonomy_term: { taxonomy: 'nwd-program-type', code: 'shelter_housing' } }] })
 * // → { programTypes: ['shelter_housing'], minimumAge: 12, … }
 */
export function facetsOf(service: Record<string, unknown>): DirectoryFacets {
  const attributes = Array.isArray(service.attributes) ? (service.attributes as HsdsAttribute[]) : [];
  const population = attributes.filter((a) => a.taxonomy_term?.taxonomy === TAXONOMY.population);
  const cultural = population.find((a) => a.taxonomy_term?.code === 'culturally_specific');
  const areas = Array.isArray(service.service_areas)
    ? (service.service_areas as { extent?: unknown; extent_type?: unknown }[])
    : [];
  const extents = areas
    .filter((a) => a.extent_type === 'text' && typeof a.extent === 'string')
    .map((a) => a.extent as string);
  const languages = Array.isArray(service.languages)
    ? (service.languages as { code?: unknown }[])
        .map((l) => (typeof l.code === 'string' ? l.code.toLowerCase() : null))
        .filter((c): c is string => c !== null)
    : [];
  const age = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    programTypes: codesIn(attributes, TAXONOMY.programType).filter((c) => isKeyOf(PROGRAM_TYPES, c)),
    genders: codesIn(attributes, TAXONOMY.genderServed).filter((c) => isKeyOf(GENDERS_SERVED, c)),
    minimumAge: age(service.minimum_age),
    maximumAge: age(service.maximum_age),
    languages: [...new Set(languages)],
    countyFips: extents.filter((e) => /^\d{5}$/.test(e)),
    statewide: extents.includes(STATE_WIDE_EXTENT),
    culturallySpecific: cultural !== undefined,
    culturallySpecificFor: typeof cultural?.value === 'string' ? cultural.value : null,
    lgbtqAffirming: population.some((a) => a.taxonomy_term?.code === 'lgbtq_affirming'),
    confidentialLocation: codesIn(attributes, TAXONOMY.location).includes(CONFIDENTIAL_LOCATION),
  };
}
