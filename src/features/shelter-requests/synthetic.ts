/**
 * Synthetic shelter requests for demonstrations and benchmarks (`nwd seed-synthetic`): past requests of
 * the synthetic cases, each sent to the synthetic housing programs that fit it by the bed board's rules,
 * with their answers and placements. Plausible shapes: most programs answer within minutes, about a third
 * of answers are "we can take them" (the rest give a reason), most requests with an offer end in a
 * placement, some offers' holds run out, and requests that nothing fits or nobody can take close as
 * unmet (`no_bed_found`, escalated after 30 minutes). Placements end with a reason and where the young
 * person went (the case's exit-housing list), each before the case's next request. Every request is
 * closed (placed or withdrawn) and at least six hours old, so the recurring job has nothing to do.
 *
 * De-identified like the real ones: an age band (from the case's `age_band`), a gender, needs, a county,
 * how soon — never a name, an age or free text. Written in bulk (the benchmark seeds 50,000).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { Gender, Need } from '../housing/index.ts';
import { servesBand, type AgeBand, type DeclineReason, type EndReason } from './rules.ts';
import type { OfferStatus } from './tables.ts';

export interface ShelterSeedSummary {
  requests: number;
  offers: number;
  placements: number;
  /** Of the requests, those closed as unmet need (`no_bed_found`). */
  unmet: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Weighted choice: `[value, weight]` pairs. */
function weighted<T>(rnd: () => number, pairs: readonly (readonly [T, number])[]): T {
  let x = rnd() * pairs.reduce((n, [, w]) => n + w, 0);
  for (const [value, w] of pairs) if ((x -= w) <= 0) return value;
  return pairs.at(-1)![0];
}

const GENDER_WEIGHTS: readonly (readonly [Gender, number])[] = [
  ['female', 60],
  ['male', 25],
  ['transgender', 8],
  ['nonbinary', 7],
];
const DECLINE_WEIGHTS: readonly (readonly [DeclineReason, number])[] = [
  ['full', 55],
  ['age', 8],
  ['gender', 7],
  ['safety', 10],
  ['other', 20],
];
const END_WEIGHTS: readonly (readonly [EndReason, number])[] = [
  ['planned_move', 50],
  ['left_on_own', 25],
  ['asked_to_leave', 10],
  ['safety', 8],
  ['other', 7],
];

interface SeedCase {
  id: string;
  region_id: string;
  county_fips: string | null;
  age_band: string;
  opened_at: Date;
  closed_at: Date | null;
  opened_by: string;
}

interface SeedProgram {
  id: string;
  organization_id: string;
  min_age: number;
  max_age: number;
  genders: string[];
  serves: string[];
  region_ids: string[];
  county_fips: string[];
}

/** Inserts rows in slices small enough for PostgreSQL's limit of parameters per statement. */
async function insertAll<T extends keyof DB>(
  db: Kysely<DB>,
  table: T,
  rows: Insertable<DB[T]>[],
  per: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += per)
    await db
      .insertInto(table)
      // Kysely cannot check one generic insert for four tables; each caller's rows are typed.
      .values(rows.slice(i, i + per) as never)
      .execute();
}

/**
 * Writes `requests` past shelter requests for the cases opened by `navigatorIds`, sent to the housing
 * programs of `organizationIds` (answered by their provider staff), in one transaction.
 *
 * @example
 * await seedShelterRequests(db, { requests: 500, navigatorIds, organizationIds, wentTo: ['family'], rnd, now });
 */
export async function seedShelterRequests(
  db: Database,
  options: {
    requests: number;
    navigatorIds: readonly string[];
    organizationIds: readonly string[];
    /** The exit-housing codes a placement may end with (where the young person went). */
    wentTo: readonly string[];
    rnd: () => number;
    now: Date;
  },
): Promise<ShelterSeedSummary> {
  const { rnd, now } = options;
  const summary: ShelterSeedSummary = { requests: 0, offers: 0, placements: 0, unmet: 0 };
  /** Requests are sent up to six hours before the case closed (or before now). */
  const lastAsk = (c: { closed_at: Date | null }) =>
    Math.min(c.closed_at?.getTime() ?? Infinity, now.getTime()) - 6 * HOUR;
  if (options.requests < 1 || !options.navigatorIds.length || !options.organizationIds.length) return summary;
  const cases = (
    await db
      .selectFrom('cases')
      .select(['id', 'region_id', 'county_fips', 'age_band', 'opened_at', 'closed_at', 'opened_by'])
      .where('opened_by', 'in', [...options.navigatorIds])
      .orderBy('opened_at')
      .orderBy('id')
      .execute()
  ).flatMap((c): SeedCase[] =>
    c.opened_by !== null && c.opened_at.getTime() < lastAsk(c) - HOUR
      ? [{ ...c, opened_by: c.opened_by }]
      : [],
  );
  const programs: SeedProgram[] = await db
    .selectFrom('housing_programs')
    .select(['id', 'organization_id', 'min_age', 'max_age', 'genders', 'serves', 'region_ids', 'county_fips'])
    .where('organization_id', 'in', [...options.organizationIds])
    .orderBy('id')
    .execute();
  const staff = await db
    .selectFrom('staff_users')
    .select(['id', 'organization_id'])
    .where('organization_id', 'in', [...options.organizationIds])
    .where('role', 'in', ['provider_staff', 'org_admin'])
    .orderBy('id')
    .execute();
  if (!cases.length) return summary;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const staffOf = (org: string) => staff.filter((s) => s.organization_id === org).map((s) => s.id);

  // Which cases asked, and how often: a case chosen at random for each request (some ask again).
  const asks = new Map<SeedCase, number>();
  for (let i = 0; i < options.requests; i++) {
    const c = pick(cases);
    asks.set(c, (asks.get(c) ?? 0) + 1);
  }

  const requests: Insertable<DB['shelter_requests']>[] = [];
  const offers: Insertable<DB['shelter_offers']>[] = [];
  const placements: Insertable<DB['housing_placements']>[] = [];
  const events: Insertable<DB['case_events']>[] = [];

  for (const [c, count] of asks) {
    const end = lastAsk(c);
    // Nothing closes after the case closed, or after now.
    const cap = Math.min(c.closed_at?.getTime() ?? Infinity, now.getTime()) - MINUTE;
    const times = Array.from(
      { length: count },
      () => c.opened_at.getTime() + rnd() * (end - c.opened_at.getTime()),
    ).sort((a, b) => a - b);
    const minor = c.age_band !== '18to24';
    const band: AgeBand = minor
      ? weighted(rnd, [
          ['10-13', 10],
          ['14-15', 35],
          ['16-17', 55],
        ] as const)
      : weighted(rnd, [
          ['18-20', 65],
          ['21-24', 35],
        ] as const);
    const gender = weighted(rnd, GENDER_WEIGHTS);
    const county = c.county_fips ?? '';
    times.forEach((at, k) => {
      const createdAt = new Date(at);
      const nextAt = times[k + 1] ?? cap;
      const needs: Need[] = [];
      if (rnd() < 0.2) needs.push('lgbtq_affirming');
      if (rnd() < 0.08) needs.push('pregnant_parenting');
      if (rnd() < 0.05) needs.push('culturally_specific');
      const urgency = rnd() < 0.7 ? ('tonight' as const) : ('this_week' as const);
      const holdMinutes = weighted(rnd, [
        [120, 80],
        [60, 8],
        [240, 8],
        [720, 4],
      ] as const);
      const fitting = programs
        .filter(
          (p) =>
            (p.region_ids.includes(c.region_id) || p.county_fips.includes(county)) &&
            servesBand(band, p.min_age, p.max_age) &&
            p.genders.includes(gender) &&
            needs.every((n) => p.serves.includes(n)),
        )
        .slice(0, 12);
      const id = randomUUID();
      const asked = fitting.map((p) => {
        // Most answer within minutes (about 9 on average); about one in eight never answers.
        const answered = rnd() < 0.88;
        const answeredAt = answered
          ? new Date(at + Math.min(240, 1 + -Math.log(1 - rnd()) * 8) * MINUTE)
          : null;
        const yes = answered && rnd() < 0.32;
        return {
          id: randomUUID(),
          program: p,
          answeredAt,
          yes,
          reason: answered && !yes ? weighted(rnd, DECLINE_WEIGHTS) : null,
          heldUntil: yes ? new Date(answeredAt!.getTime() + holdMinutes * MINUTE) : null,
        };
      });
      const firstAnswer = Math.min(...asked.map((o) => o.answeredAt?.getTime() ?? Infinity));
      // Nobody answered in 30 minutes: escalated then (at once when no program fits).
      const escalatedAt = !asked.length
        ? createdAt
        : firstAnswer - at > 30 * MINUTE
          ? new Date(at + 30 * MINUTE)
          : null;
      const yesOffers = asked
        .filter((o) => o.yes)
        .sort((a, b) => a.answeredAt!.getTime() - b.answeredAt!.getTime());
      const caseClosedOnIt = c.closed_at !== null && k === count - 1 && rnd() < 0.03;
      let status: 'placed' | 'withdrawn' = 'withdrawn';
      let closeReason: 'no_bed_found' | 'found_elsewhere' | 'no_longer_needed' | 'case_closed' | null;
      let confirmed: (typeof asked)[number] | undefined;
      let closedAt: Date;
      if (caseClosedOnIt) {
        closeReason = 'case_closed';
        closedAt = c.closed_at!;
      } else if (yesOffers.length && rnd() < 0.85) {
        // The navigator confirms an offer while it holds (usually the first), within the hour.
        confirmed = yesOffers[rnd() < 0.8 ? 0 : yesOffers.length - 1]!;
        status = 'placed';
        closeReason = null;
        closedAt = new Date(confirmed.answeredAt!.getTime() + (2 + rnd() * 55) * MINUTE);
      } else if (yesOffers.length) {
        closeReason = rnd() < 0.6 ? 'found_elsewhere' : 'no_longer_needed';
        closedAt = new Date(
          Math.min(cap, Math.max(...yesOffers.map((o) => o.heldUntil!.getTime())) + rnd() * 6 * HOUR),
        );
      } else {
        closeReason = 'no_bed_found';
        closedAt = new Date(Math.min(cap, at + (2 + rnd() * 22) * HOUR));
        summary.unmet++;
      }
      requests.push({
        id,
        case_id: c.id,
        region_id: c.region_id,
        county_fips: county,
        age_band: band,
        gender,
        needs,
        urgency,
        hold_minutes: holdMinutes,
        status,
        close_reason: closeReason,
        confirmed_offer_id: confirmed?.id ?? null,
        escalated_at: escalatedAt,
        created_by: c.opened_by,
        created_at: createdAt,
        closed_at: closedAt,
      });
      for (const o of asked) {
        // An answer after the request closed never came; a hold that ran out before it closed expired.
        const answered = o.answeredAt !== null && o.answeredAt.getTime() <= closedAt.getTime();
        const offerStatus: OfferStatus =
          o === confirmed
            ? 'confirmed'
            : !answered
              ? 'released'
              : !o.yes
                ? 'declined'
                : o.heldUntil!.getTime() <= closedAt.getTime()
                  ? 'expired'
                  : 'released';
        const staffIds = staffOf(o.program.organization_id);
        offers.push({
          id: o.id,
          request_id: id,
          program_id: o.program.id,
          organization_id: o.program.organization_id,
          status: offerStatus,
          decline_reason: offerStatus === 'declined' ? o.reason : null,
          held_until: answered ? o.heldUntil : null,
          answered_by: answered && staffIds.length ? pick(staffIds) : null,
          answered_at: answered ? o.answeredAt : null,
        });
      }
      events.push({
        case_id: c.id,
        actor_user_id: c.opened_by,
        event: 'shelter_request.sent',
        detail: JSON.stringify({ request: id, programs: asked.length, urgency, age_band: band }),
        at: createdAt,
      });
      if (!confirmed) return;
      const placementId = randomUUID();
      // Ended before the case's next request (or its closing); the latest of an open case may go on.
      const ends = k < count - 1 || c.closed_at !== null || rnd() < 0.6;
      const endedAt = ends
        ? new Date(closedAt.getTime() + rnd() * Math.max(0, nextAt - closedAt.getTime()))
        : null;
      const endReason = endedAt ? weighted(rnd, END_WEIGHTS) : null;
      const wentTo = endedAt && options.wentTo.length ? pick(options.wentTo) : null;
      placements.push({
        id: placementId,
        case_id: c.id,
        program_id: confirmed.program.id,
        request_id: id,
        started_at: closedAt,
        ended_at: endedAt,
        end_reason: endReason,
        went_to: wentTo,
        created_by: c.opened_by,
        ended_by: endedAt ? c.opened_by : null,
        created_at: closedAt,
      });
      const started = {
        request: id,
        offer: confirmed.id,
        program: confirmed.program.id,
        placement: placementId,
      };
      events.push({
        case_id: c.id,
        actor_user_id: c.opened_by,
        event: 'placement.started',
        detail: JSON.stringify(started),
        at: closedAt,
      });
      if (endedAt)
        events.push({
          case_id: c.id,
          actor_user_id: c.opened_by,
          event: 'placement.ended',
          detail: JSON.stringify({
            placement: placementId,
            program: confirmed.program.id,
            reason: endReason,
            went_to: wentTo,
          }),
          at: endedAt,
        });
    });
  }
  await db.transaction().execute(async (trx) => {
    await insertAll(trx, 'shelter_requests', requests, 2000);
    await insertAll(trx, 'shelter_offers', offers, 5000);
    await insertAll(trx, 'housing_placements', placements, 4000);
    await insertAll(trx, 'case_events', events, 4000);
  });
  for (const table of ['housing_programs', 'shelter_requests', 'shelter_offers', 'housing_placements'])
    await sql`analyze ${sql.table(table)}`.execute(db);
  summary.requests = requests.length;
  summary.offers = offers.length;
  summary.placements = placements.length;
  return summary;
}
