/**
 * Synthetic reporting facts for the evaluation's tests and benchmark: young people with invented,
 * de-identified facts (codes and days only) written straight into report_youth, report_services and
 * report_referrals, so that the true count of every cell is known from the list itself. Deterministic
 * for a seed. Nothing here describes a real person.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/types.ts';

export interface SyntheticYouth {
  subject: string;
  person: string;
  region: string;
  county: string | null;
  ageBand: 'under18' | '18to24' | '25plus' | 'unknown';
  ageAtEntry: number | null;
  genders: string[];
  races: string[];
  tribal: boolean | null;
  door: string | null;
  exploitation: string[];
  entryHousing: string | null;
  exitHousing: string | null;
  openedOn: string;
  closedOn: string | null;
  closeReason: string | null;
  safer: 'yes' | 'no' | 'unsure' | 'not_asked' | null;
  services: { code: string; on: string }[];
  referrals: {
    id: string;
    service: string;
    status: 'sent' | 'accepted' | 'declined' | 'completed' | 'withdrawn';
    sentOn: string;
    accepted: boolean;
    completed: boolean;
    days: number | null;
    declineReason: string | null;
  }[];
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40);

/** A small deterministic random source. */
export function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    /** Picks by weight: [[value, weight], …]. */
    weighted: <T>(list: readonly (readonly [T, number])[]): T => {
      const total = list.reduce((a, [, w]) => a + w, 0);
      let r = next() * total;
      for (const [v, w] of list) if ((r -= w) < 0) return v;
      return list.at(-1)![0];
    },
  };
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

export const REGIONS = [
  ['west-metro', 30],
  ['east-metro', 25],
  ['central', 10],
  ['northeast', 8],
  ['southeast', 9],
  ['southwest', 6],
  ['west-central', 5],
  ['northwest', 4],
] as const;
const COUNTIES: Record<string, string[]> = {
  'west-metro': ['27053', '27139', '27019'],
  'east-metro': ['27123', '27163', '27037', '27003'],
  central: ['27145', '27141'],
  northeast: ['27137', '27017'],
  southeast: ['27109', '27049'],
  southwest: ['27013', '27103'],
  'west-central': ['27111', '27027'],
  northwest: ['27007', '27061'],
};
const RACES = [
  'american_indian_alaska_native',
  'asian',
  'black_african_american',
  'hispanic_latino',
  'white',
];
const SERVICES = [
  'navigation_case_management',
  'emergency_shelter',
  'mental_health',
  'legal_advocacy',
  'basic_needs',
];
const DOORS = [
  'youth_self',
  'law_enforcement',
  'child_protection',
  'education',
  'health_care',
  'family_or_friend',
];
const HOUSING = ['own_place', 'with_family', 'emergency_shelter', 'street_unsheltered', 'unknown'];

/**
 * `n` young people whose cases open between `from` and `to` (some continue from before `from`), with
 * every fact drawn at random; about one in twenty has a second case (same person) in another region.
 */
export function syntheticYouth(seed: number, n: number, from: string, to: string): SyntheticYouth[] {
  const r = random(seed);
  const span = daysBetween(from, to);
  const out: SyntheticYouth[] = [];
  for (let i = 0; i < n; i++) {
    const person = hash(`person ${seed} ${i}`);
    const cases = r.next() < 0.05 ? 2 : 1;
    for (let k = 0; k < cases; k++) {
      const region = r.weighted(REGIONS);
      const openedOn = addDays(from, r.int(-120, span));
      const closed = r.next() < 0.6;
      const closedOn = closed ? addDays(openedOn, r.int(0, 400)) : null;
      const age = r.next() < 0.1 ? null : r.int(12, 24);
      const races =
        r.next() < 0.1
          ? []
          : r.next() < 0.15
            ? [r.pick(RACES), r.pick(RACES)].filter((x, j, a) => a.indexOf(x) === j)
            : [r.pick(RACES)];
      const services = Array.from({ length: r.int(0, 4) }, () => ({
        code: r.pick(SERVICES),
        on: addDays(openedOn, r.int(0, 200)),
      }));
      const referrals = Array.from({ length: r.int(0, 2) }, (_, j) => {
        const status = r.pick(['sent', 'accepted', 'declined', 'completed', 'withdrawn'] as const);
        const accepted = status === 'accepted' || status === 'completed';
        const answered = accepted || status === 'declined';
        return {
          id: hash(`referral ${seed} ${i} ${k} ${j}`),
          service: r.pick(SERVICES),
          status,
          sentOn: addDays(openedOn, r.int(0, 90)),
          accepted,
          completed: status === 'completed',
          days: answered ? r.int(0, 40) / 4 : null,
          declineReason: status === 'declined' ? r.pick(['no_capacity', 'not_eligible', 'other']) : null,
        };
      });
      out.push({
        subject: hash(`case ${seed} ${i} ${k}`),
        person,
        region,
        county: r.next() < 0.08 ? null : r.pick(COUNTIES[region]!),
        ageBand: age === null ? 'unknown' : age < 18 ? 'under18' : '18to24',
        ageAtEntry: age,
        genders:
          r.next() < 0.05
            ? []
            : [
                r.weighted([
                  ['female', 80],
                  ['male', 12],
                  ['transgender', 5],
                  ['nonbinary', 3],
                ] as const),
              ],
        races,
        tribal: r.next() < 0.12 ? true : null,
        door: r.next() < 0.1 ? null : r.pick(DOORS),
        exploitation:
          r.next() < 0.1
            ? []
            : [
                r.weighted([
                  ['sex_trafficking', 40],
                  ['sexual_exploitation', 40],
                  ['labor_trafficking', 5],
                  ['at_risk', 15],
                ] as const),
              ],
        entryHousing: r.next() < 0.2 ? null : r.pick(HOUSING),
        exitHousing: closed ? r.pick(HOUSING) : null,
        openedOn,
        closedOn,
        closeReason: closed ? r.pick(['goals_met', 'lost_contact', 'youth_chose_to_end']) : null,
        safer: closed ? r.pick(['yes', 'yes', 'no', 'unsure', 'not_asked'] as const) : null,
        services: services.filter((s) => !closedOn || s.on <= closedOn),
        referrals,
      });
    }
  }
  return out;
}

/** Writes the facts (in batches, in one transaction). `organizationId` receives every referral. */
export async function insertFacts(
  db: Kysely<DB>,
  youth: readonly SyntheticYouth[],
  organizationId: string,
  jurisdiction = 'mn',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < youth.length; i += 1000) {
      const batch = youth.slice(i, i + 1000);
      await trx
        .insertInto('report_youth')
        .values(
          batch.map((y) => ({
            subject: y.subject,
            person: y.person,
            jurisdiction,
            region_id: y.region,
            county_fips: y.county,
            age_band: y.ageBand,
            age_at_entry: y.ageAtEntry,
            genders: y.genders,
            races: y.races,
            tribal: y.tribal,
            door: y.door,
            exploitation: y.exploitation,
            entry_housing: y.entryHousing,
            exit_housing: y.exitHousing,
            opened_on: y.openedOn,
            closed_on: y.closedOn,
            close_reason: y.closeReason,
            survey_feels_safer: y.safer,
            survey_more_hopeful: y.safer,
            survey_knows_where_help: y.safer,
            organizations: y.referrals.some((x) => x.accepted) ? [organizationId] : [],
          })),
        )
        .execute();
      const services = batch.flatMap((y) =>
        y.services.map((s) => ({ subject: y.subject, service_code: s.code, delivered_on: s.on })),
      );
      if (services.length) await trx.insertInto('report_services').values(services).execute();
      const referrals = batch.flatMap((y) =>
        y.referrals.map((x) => ({
          referral: x.id,
          subject: y.subject,
          to_organization_id: organizationId,
          service_type: x.service,
          status: x.status,
          sent_on: x.sentOn,
          accepted: x.accepted,
          completed: x.completed,
          days_to_answer: x.days,
          decline_reason: x.declineReason,
        })),
      );
      if (referrals.length) await trx.insertInto('report_referrals').values(referrals).execute();
    }
  });
  await sql`analyze report_youth, report_services, report_referrals`.execute(db);
}
