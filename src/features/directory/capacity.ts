/**
 * Housing programs as Open Referral HSDS 3.1 services with their beds (`capacities`, each a
 * `service_capacity` counted in beds), for the authenticated partner export only.
 *
 * Each program is a service of its own, not a capacity attached to one of the directory's services: in
 * HSDS a capacity belongs to the service a person is eligible for, and a program has its own ages,
 * genders, area and beds; the directory's services come from the jurisdiction pack with their own
 * provenance and no link to the network's member organizations; and a public record must never carry a
 * live count. The program's organization is nested as its `organization`.
 *
 * Never an address: no `service_at_locations` at all, and the `nwd-location` attribute says the location
 * is confidential. Ids of the nested objects are name-based UUIDs (version 5) of the program's id, so the
 * same program exports the same ids every time.
 */
import { createHash } from 'node:crypto';
import { inEffect, type Geography } from '../help/index.ts';
import { GENDERS, NEEDS, PROGRAM_TYPES, type Gender, type ProgramView } from '../housing/index.ts';
import { LANGUAGE_NAMES } from './index.ts';
import {
  CONFIDENTIAL_LOCATION,
  GENDERS_SERVED,
  POPULATION_TERMS,
  PROGRAM_TYPES as DIRECTORY_TYPES,
  TAXONOMY,
} from './taxonomy.ts';

type Json = Record<string, unknown>;

/** RFC 4122's URL namespace: the names below are `urn:nwd:…`. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A name-based UUID (version 5, SHA-1) in the URL namespace.
 *
 * @example
 * nameUuid('urn:nwd:unit:bed') // the same UUID on every call, version 5
 */
export function nameUuid(name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(URL_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The unit of every housing capacity: one bed. HSDS names no scheme for beds, so the scheme is this
 * product's own vocabulary, like its taxonomies (`nwd-program-type`, …).
 */
export const BED_UNIT = {
  id: nameUuid('urn:nwd:unit:bed'),
  name: 'Bed',
  scheme: 'nwd-unit',
  identifier: 'bed',
} as const;

/** The vocabulary of housing program types, beside the directory's program types. */
export const HOUSING_TYPE_TAXONOMY = 'nwd-housing-type';

function attribute(programId: string, taxonomy: string, code: string, name: string, value?: string): Json {
  return {
    id: nameUuid(`urn:nwd:housing-program:${programId}:attribute:${taxonomy}:${code}`),
    link_entity: 'service',
    ...(value ? { value } : {}),
    taxonomy_term: {
      id: nameUuid(`urn:nwd:term:${taxonomy}:${code}`),
      code,
      name,
      description: name,
      taxonomy,
    },
  };
}

/** The directory's gender vocabulary (transgender and non-binary youth are one term there). */
const DIRECTORY_GENDER: Record<Gender, keyof typeof GENDERS_SERVED> = {
  female: 'female',
  male: 'male',
  transgender: 'transgender_nonbinary',
  nonbinary: 'transgender_nonbinary',
};

const LANGUAGE_CODES = new Map(
  Object.entries(LANGUAGE_NAMES).map(([code, name]) => [name.toLowerCase(), code]),
);

/** The counties a program serves today (its own, then its regions'), as HSDS service areas. */
function serviceAreas(p: ProgramView, geo: Geography, today: string): Json[] {
  const areas = new Map<string, Json>();
  const add = (fips: string, description: string) => {
    if (areas.has(fips)) return;
    const county = geo.counties.get(fips);
    areas.set(fips, {
      id: nameUuid(`urn:nwd:housing-program:${p.id}:area:${fips}`),
      name: county ? `${county.name} County` : fips,
      description,
      extent: fips,
      extent_type: 'text',
    });
  };
  for (const fips of p.countyFips) add(fips, 'A county the program serves.');
  for (const regionId of p.regionIds) {
    const region = geo.regions.get(regionId);
    for (const [fips, memberships] of geo.membershipsByCounty)
      if (memberships.some((m) => m.regionId === regionId && inEffect(today, m.effectiveFrom, m.effectiveTo)))
        add(fips, `In the ${region?.name ?? regionId} region, which the program serves.`);
  }
  return [...areas.values()].sort((a, b) => String(a.extent).localeCompare(String(b.extent)));
}

/** The program's beds now, as HSDS capacities: one per type of bed, or one for all; none before a first count. */
export function bedCapacities(p: ProgramView, staleHours: number): Json[] {
  if (p.bedsAvailable === null || p.updatedAt === null) return [];
  const updated = p.updatedAt.toISOString();
  const stale = p.stale ? ` Out of date: more than ${staleHours} hours old, so call to check.` : '';
  const counts = p.bedTypes.length
    ? p.bedTypes.map((t) => ({ key: t.name.toLowerCase(), what: `${t.name} beds`, ...t }))
    : [{ key: 'all', what: 'Beds', available: p.bedsAvailable, total: p.bedsTotal }];
  return counts.map((c) => ({
    id: nameUuid(`urn:nwd:housing-program:${p.id}:capacity:${c.key}`),
    unit: BED_UNIT,
    available: c.available,
    maximum: c.total,
    description: `${c.what} free now, as the program last said.${stale}`,
    updated,
  }));
}

const list = (words: string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/**
 * One housing program as an HSDS 3.1 service with its organization and its beds.
 *
 * @example
 * housingService(program, geo, '2026-11-20', 24)
 * // { id, name, status: 'active', minimum_age, …, capacities: [{ unit: { name: 'Bed' }, available: 2, maximum: 8, updated }] }
 */
export function housingService(p: ProgramView, geo: Geography, today: string, staleHours: number): Json {
  const genders = p.genders.map((g) => GENDERS[g]);
  const serves = p.serves.map((n) =>
    n === 'culturally_specific' && p.culturallySpecificFor
      ? `${NEEDS[n]} (${p.culturallySpecificFor})`
      : NEEDS[n],
  );
  const eligibility = `Ages ${p.minAge} to ${p.maxAge}: ${list(genders).toLowerCase()}.`;
  const attributes: Json[] = [
    attribute(p.id, TAXONOMY.programType, 'shelter_housing', DIRECTORY_TYPES.shelter_housing),
    attribute(p.id, HOUSING_TYPE_TAXONOMY, p.type, PROGRAM_TYPES[p.type]),
    ...[...new Set(p.genders.map((g) => DIRECTORY_GENDER[g]))].map((code) =>
      attribute(p.id, TAXONOMY.genderServed, code, GENDERS_SERVED[code]),
    ),
    ...p.serves.map((n) =>
      attribute(
        p.id,
        TAXONOMY.population,
        n,
        n in POPULATION_TERMS ? POPULATION_TERMS[n as keyof typeof POPULATION_TERMS] : NEEDS[n],
        n === 'culturally_specific' ? (p.culturallySpecificFor ?? undefined) : undefined,
      ),
    ),
    attribute(p.id, TAXONOMY.location, CONFIDENTIAL_LOCATION, 'Confidential location'),
  ];
  return {
    id: p.id,
    name: p.name,
    description: `${PROGRAM_TYPES[p.type]}. ${eligibility}${serves.length ? ` ${list(serves)}.` : ''}`,
    status: 'active',
    eligibility_description: eligibility,
    minimum_age: p.minAge,
    maximum_age: p.maxAge,
    application_process:
      'A Safe Harbor navigator asks for a bed through a shelter request in No Wrong Door; the address is shared only once a bed is confirmed.',
    organization: {
      id: p.organizationId,
      name: p.organizationName,
      description: 'A member organization of the No Wrong Door network that runs housing programs.',
    },
    languages: p.languages.map((name) => {
      const code = LANGUAGE_CODES.get(name.toLowerCase());
      return {
        id: nameUuid(`urn:nwd:housing-program:${p.id}:language:${name.toLowerCase()}`),
        name,
        ...(code ? { code } : {}),
      };
    }),
    service_areas: serviceAreas(p, geo, today),
    attributes,
    capacities: bedCapacities(p, staleHours),
  };
}
