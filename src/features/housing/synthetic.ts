/**
 * Synthetic housing for demonstrations and benchmarks (`nwd seed-synthetic`): housing programs of the
 * synthetic shelter and housing providers, spread over the regions, with a week of availability updates
 * each (some programs fresh, some out of date). Deterministic for a given random generator. Names are
 * invented ("Synthetic … House"); addresses are invented and encrypted as the service encrypts them.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { SHARED_SCOPE, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { GENDER_CODES, PROGRAM_TYPE_CODES, type Gender, type Need, type ProgramType } from './rules.ts';

export interface HousingSeedSummary {
  programs: number;
  updates: number;
}

const AGES: Record<ProgramType, [number, number]> = {
  emergency_shelter: [12, 17],
  transitional: [16, 24],
  supportive_housing: [18, 24],
  host_home: [14, 20],
  specialized_foster_care: [10, 17],
};
const LANGUAGE_SETS = [['English'], ['English', 'Spanish'], ['English', 'Somali'], ['English', 'Hmong']];
const WORDS = ['Harbor', 'Cedar', 'North Star', 'Prairie', 'River', 'Lakeside', 'Birch', 'Aurora'];

/**
 * Writes `programs` programs over the regions (owned in turn by `organizationIds`) and their
 * availability history over the week before `now`, inside `trx`.
 */
export async function seedHousing(
  trx: Transaction<DB>,
  keyring: Keyring,
  options: {
    organizationIds: readonly string[];
    regions: readonly { id: string; counties: readonly string[] }[];
    rnd: () => number;
    now: Date;
    /** Programs in all, spread over the regions in turn (default two a region). */
    programs?: number;
  },
): Promise<HousingSeedSummary> {
  const { rnd, now } = options;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const summary: HousingSeedSummary = { programs: 0, updates: 0 };
  if (options.organizationIds.length === 0) return summary;
  const hour = 3_600_000;
  const updates = [];
  const count = options.programs ?? options.regions.length * 2;
  for (let n = 0; n < count && options.regions.length; n++) {
    const region = options.regions[n % options.regions.length]!;
    const id = randomUUID();
    const type = PROGRAM_TYPE_CODES[n % PROGRAM_TYPE_CODES.length]!;
    const [minAge, maxAge] = AGES[type];
    const genders: Gender[] = rnd() < 0.5 ? [...GENDER_CODES] : ['female', 'transgender', 'nonbinary'];
    const serves: Need[] = [];
    if (rnd() < 0.6) serves.push('lgbtq_affirming');
    if (rnd() < 0.3) serves.push('pregnant_parenting');
    if (rnd() < 0.2) serves.push('culturally_specific');
    const total = 2 + Math.floor(rnd() * 11);
    // A week of updates, every 6 to 18 hours; a third of programs stopped updating a day or more ago.
    const lastAt = now.getTime() - (rnd() < 0.34 ? 26 + rnd() * 60 : rnd() * 20) * hour;
    const history: { at: Date; available: number }[] = [];
    let available = Math.floor(rnd() * (total + 1));
    for (let at = lastAt; at > now.getTime() - 7 * 24 * hour; at -= (6 + rnd() * 12) * hour) {
      history.push({ at: new Date(at), available });
      available = Math.max(0, Math.min(total, available + Math.round((rnd() - 0.5) * 3)));
    }
    const latest = history[0]!;
    await trx
      .insertInto('housing_programs')
      .values({
        id,
        organization_id: options.organizationIds[n % options.organizationIds.length]!,
        name: `Synthetic ${pick(WORDS)} House ${n + 1}`,
        program_type: type,
        min_age: minAge,
        max_age: maxAge,
        genders,
        serves,
        culturally_specific_for: serves.includes('culturally_specific') ? 'Native youth' : null,
        languages: pick(LANGUAGE_SETS),
        region_ids: [region.id],
        county_fips: region.counties.length && rnd() < 0.3 ? [pick(region.counties)] : [],
        address_encrypted: await encryptField(
          keyring,
          { scope: SHARED_SCOPE, table: 'housing_programs', recordId: id, field: 'address_encrypted' },
          `${100 + n} Synthetic Street`,
          trx,
        ),
        beds_total: total,
        beds_available: latest.available,
        availability_updated_at: latest.at,
        created_at: new Date(now.getTime() - 8 * 24 * hour),
        updated_at: new Date(now.getTime() - 8 * 24 * hour),
      })
      .execute();
    for (const h of history)
      updates.push({
        id: randomUUID(),
        program_id: id,
        beds_available: h.available,
        beds_total: total,
        via: 'synthetic' as const,
        created_at: h.at,
      });
    summary.programs++;
  }
  for (let i = 0; i < updates.length; i += 2000)
    await trx
      .insertInto('housing_availability_updates')
      .values(updates.slice(i, i + 2000))
      .execute();
  summary.updates = updates.length;
  return summary;
}
