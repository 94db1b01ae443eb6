/**
 * The rules of housing programs and the bed board, without I/O: the program types and who a program
 * serves, when availability is stale, how freshness reads ("updated 3 hours ago"), whether a program fits
 * a young person, and the bed board's order (beds available now first, fresh before stale).
 */
import type { BedTypeCount } from './tables.ts';

export type { BedTypeCount };

/** The codes of a vocabulary (its keys), as the non-empty tuple `z.enum` takes. */
export const codesOf = <K extends string>(vocabulary: Readonly<Record<K, unknown>>): [K, ...K[]] =>
  Object.keys(vocabulary) as [K, ...K[]];

export const PROGRAM_TYPES = {
  emergency_shelter: 'Emergency shelter',
  transitional: 'Transitional housing',
  supportive_housing: 'Supportive housing',
  host_home: 'Host home',
  specialized_foster_care: 'Specialized foster care',
} as const;
export type ProgramType = keyof typeof PROGRAM_TYPES;
export const PROGRAM_TYPE_CODES = codesOf(PROGRAM_TYPES);

/** The genders a program may serve (the case vocabulary's, less "prefers not to say"). */
export const GENDERS = {
  female: 'Girls and young women',
  male: 'Boys and young men',
  transgender: 'Transgender youth',
  nonbinary: 'Non-binary or genderqueer youth',
} as const;
export type Gender = keyof typeof GENDERS;
export const GENDER_CODES = codesOf(GENDERS);

/** Who else a program serves: what a navigator may ask for on the bed board. */
export const NEEDS = {
  lgbtq_affirming: 'LGBTQ+ affirming',
  pregnant_parenting: 'Pregnant or parenting youth',
  culturally_specific: 'Culturally specific',
} as const;
export type Need = keyof typeof NEEDS;
export const NEED_CODES = codesOf(NEEDS);

/** How soon a bed is needed: tonight (a bed free now) or any time (every program that fits). */
export const WHEN = { tonight: 'Tonight', any: 'Any time' } as const;
export type When = keyof typeof WHEN;

/** Safe Harbor youth services and housing: 24 years of age or younger (Minn. Stat. 145.4716). */
export const MAX_AGE = 24;
export const MAX_BEDS = 500;
export const MAX_BED_TYPES = 10;
export const DEFAULT_STALE_HOURS = 24;
/** At most this many programs on the bed board (the state has far fewer). */
export const BOARD_LIMIT = 500;
/** How many past updates a program's page shows. */
export const HISTORY_LIMIT = 30;

const HOUR = 3_600_000;

/** Whether availability last updated at `updatedAt` (null: never) is stale at `now`. */
export function isStale(updatedAt: Date | null, now: Date, staleHours: number): boolean {
  return updatedAt === null || now.getTime() - updatedAt.getTime() > staleHours * HOUR;
}

/**
 * How fresh availability is, in words.
 *
 * @example
 * freshness(new Date(now.getTime() - 3 * 3_600_000), now) // 'updated 3 hours ago'
 */
export function freshness(updatedAt: Date | null, now: Date): string {
  if (updatedAt === null) return 'never updated';
  const minutes = Math.max(0, Math.floor((now.getTime() - updatedAt.getTime()) / 60_000));
  if (minutes < 1) return 'updated just now';
  if (minutes < 60) return `updated ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `updated ${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  const days = Math.floor(hours / 24);
  return `updated ${days} days ago`;
}

/** A program as the bed board matches and orders it. */
export interface BoardProgram {
  id: string;
  name: string;
  organizationName: string;
  type: ProgramType;
  minAge: number;
  maxAge: number;
  genders: Gender[];
  serves: Need[];
  culturallySpecificFor: string | null;
  languages: string[];
  regionIds: string[];
  countyFips: string[];
  bedsTotal: number;
  bedsAvailable: number | null;
  bedTypes: BedTypeCount[];
  updatedAt: Date | null;
}

/** What a navigator asks of the bed board; every part is optional. */
export interface BoardFilter {
  age?: number | undefined;
  gender?: Gender | undefined;
  needs?: readonly Need[] | undefined;
  language?: string | undefined;
  /** The county (FIPS) where the young person is, and its region (a program serving the region serves it). */
  county?: { fips: string; regionId: string | null } | undefined;
  regionId?: string | undefined;
  types?: readonly ProgramType[] | undefined;
  when?: When | undefined;
}

/** Whether a program fits what the navigator asked. */
export function fits(p: BoardProgram, f: BoardFilter): boolean {
  if (f.age !== undefined && (f.age < p.minAge || f.age > p.maxAge)) return false;
  if (f.gender !== undefined && !p.genders.includes(f.gender)) return false;
  if (f.needs?.some((n) => !p.serves.includes(n))) return false;
  if (f.language && !p.languages.some((l) => l.toLowerCase() === f.language!.toLowerCase())) return false;
  if (f.types?.length && !f.types.includes(p.type)) return false;
  if (f.county) {
    const { fips, regionId } = f.county;
    if (!p.countyFips.includes(fips) && !(regionId !== null && p.regionIds.includes(regionId))) return false;
  }
  if (f.regionId !== undefined && !p.regionIds.includes(f.regionId)) return false;
  if (f.when === 'tonight' && !((p.bedsAvailable ?? 0) > 0)) return false;
  return true;
}

/**
 * The bed board's order: programs with a bed free now first (fresh counts before stale ones, more beds
 * first), then programs that are full, then those that never said; newest update, then name, last.
 */
export function boardOrder(now: Date, staleHours: number) {
  const rank = (p: BoardProgram) =>
    (p.bedsAvailable ?? 0) > 0
      ? isStale(p.updatedAt, now, staleHours)
        ? 1
        : 0
      : p.bedsAvailable === 0
        ? 2
        : 3;
  return (a: BoardProgram, b: BoardProgram): number =>
    rank(a) - rank(b) ||
    (b.bedsAvailable ?? 0) - (a.bedsAvailable ?? 0) ||
    (b.updatedAt?.getTime() ?? 0) - (a.updatedAt?.getTime() ?? 0) ||
    a.name.localeCompare(b.name);
}

/** The counts an update leaves: with bed types, the sums of theirs. */
export function bedCounts(input: { available: number; total: number; bedTypes?: readonly BedTypeCount[] }): {
  available: number;
  total: number;
  bedTypes: BedTypeCount[];
} {
  const types = input.bedTypes ?? [];
  if (types.length === 0) return { available: input.available, total: input.total, bedTypes: [] };
  return {
    available: types.reduce((n, t) => n + t.available, 0),
    total: types.reduce((n, t) => n + t.total, 0),
    bedTypes: types.map((t) => ({ name: t.name, total: t.total, available: t.available })),
  };
}

/** The staff page of a program (its availability form). */
export const programLink = (id: string) => `/staff/housing/programs/${id}`;
