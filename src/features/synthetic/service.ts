/**
 * Synthetic case data for demonstrations and benchmarks (`npm run seed:synthetic -- --cases 20000`):
 * invented young people, navigators and providers with realistic shapes — regions weighted like the
 * state's population, ages 12–24, open and closed cases, notes, tasks (some overdue), consents,
 * referrals at every status, safety plans, services delivered, and a timeline of events. Every personal
 * field is encrypted exactly as the service encrypts it. Nothing here describes a real person: names
 * come from a short list of common first names and dates are drawn at random.
 *
 * Deterministic for a given `seed`, so a benchmark can be repeated.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { emailIndex } from '../accounts/service.ts';
import type { Geography } from '../help/index.ts';
import {
  duplicateIndexFor,
  sealCaseField,
  sealPersonal,
  searchTermsOf,
  type CasePersonal,
} from '../cases/index.ts';
import type { ConsentCategory, ReferralStatus, SearchTermKind } from '../cases/index.ts';
import type { Vocabularies } from '../cases/index.ts';
import type { SafetyPlanContent } from '../safety-plans/index.ts';
import { seedHousing } from '../housing/index.ts';
import { seedShelterRequests } from '../shelter-requests/index.ts';
import { refreshStaleFacts } from '../evaluation/index.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { FIRST_NAMES, LANGUAGES, NOTE_TEXT, PRONOUNS, TASK_TEXT, evaluationAnswers } from './words.ts';

export interface SyntheticOptions {
  cases: number;
  /** Timeline events in all (default ten per case), shelter requests' and placements' aside. */
  events?: number;
  seed?: number;
  now?: Date;
  /** Housing programs (default two a region) and past shelter requests (default one per four cases). */
  housingPrograms?: number;
  shelterRequests?: number;
  /** Called after each batch with the cases written so far. */
  progress?: (written: number) => void;
}

export interface SyntheticSummary {
  cases: number;
  events: number;
  notes: number;
  tasks: number;
  referrals: number;
  consents: number;
  safetyPlans: number;
  navigators: number;
  organizations: number;
  /** Housing programs of the synthetic shelter providers, and their availability updates. */
  housingPrograms: number;
  availabilityUpdates: number;
  /** Past shelter requests of the synthetic cases (some unmet), their offers and placements. */
  shelter: { requests: number; offers: number; placements: number; unmet: number };
  ms: number;
}

/** A small, fast, seedable generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Region weights roughly like the share of the state's young people living there. */
const REGION_WEIGHT: Record<string, number> = {
  'west-metro': 30,
  'east-metro': 20,
  central: 12,
  southeast: 10,
};

const EVENT_KINDS = [
  'case.note_added',
  'case.service_recorded',
  'task.created',
  'task.completed',
  'referral.sent',
  'referral.accepted',
  'consent.recorded',
  'safety_plan.saved',
  'case.updated',
  'case.contact_attempt',
];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

interface SeedContext {
  db: Database;
  keyring: Keyring;
  geography: Geography;
  vocabularies: Vocabularies;
  /** With the business calendar, the evaluation's facts of the new cases are written at the end. */
  calendar?: BusinessCalendar;
}

async function insertUser(
  ctx: SeedContext,
  trx: Transaction<DB>,
  user: { organizationId: string; email: string; role: 'navigator' | 'provider_staff'; regions: string[] },
): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('staff_users')
    .values({
      id,
      organization_id: user.organizationId,
      email_index: await emailIndex(ctx, user.email, trx),
      email_encrypted: await encryptField(
        ctx.keyring,
        { scope: `staff:${id}`, table: 'staff_users', recordId: id, field: 'email' },
        user.email,
        trx,
      ),
      role: user.role,
      regions: user.regions,
      // No password: synthetic people cannot sign in. Invite a real account with `nwd users add`.
      password_hash: null,
      updated_at: new Date(),
    })
    .execute();
  return id;
}

/**
 * Writes the synthetic network and cases. Organizations and navigators are created once per run
 * (named "Synthetic …", so they are easy to recognise and remove).
 */
export async function seedSynthetic(ctx: SeedContext, options: SyntheticOptions): Promise<SyntheticSummary> {
  const started = performance.now();
  const rnd = random(options.seed ?? 20261122);
  const now = options.now ?? new Date();
  const totalEvents = options.events ?? options.cases * 10;
  const geo = ctx.geography;
  const v = ctx.vocabularies;
  const run = randomUUID().slice(0, 8);

  // Regions in effect today, with the counties in each.
  const today = isoDay(now);
  const countiesByRegion = new Map<string, string[]>();
  for (const [fips, memberships] of geo.membershipsByCounty) {
    const m = memberships.find(
      (x) => x.effectiveFrom <= today && (x.effectiveTo === null || today < x.effectiveTo),
    );
    if (!m) continue;
    countiesByRegion.set(m.regionId, [...(countiesByRegion.get(m.regionId) ?? []), fips]);
  }
  const regionIds = [...countiesByRegion.keys()].sort();
  if (!regionIds.length)
    throw new Error('The jurisdiction pack has no regions in effect: run "nwd import-pack data/mn" first.');
  const weights = regionIds.map((r) => REGION_WEIGHT[r] ?? 6);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const pickRegion = () => {
    let x = rnd() * weightSum;
    for (let i = 0; i < regionIds.length; i++) {
      x -= weights[i]!;
      if (x <= 0) return regionIds[i]!;
    }
    return regionIds.at(-1)!;
  };

  // The network: a navigator host and three navigators per region, five providers with two staff each.
  const navigators = new Map<string, string[]>();
  const providers: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const regionId of regionIds) {
      const org = await trx
        .insertInto('member_organizations')
        .values({ name: `Synthetic Navigator Host ${regionId} ${run}`, type: 'navigator_host' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++)
        ids.push(
          await insertUser(ctx, trx, {
            organizationId: org.id,
            email: `navigator${i}.${regionId}.${run}@synthetic.example.org`,
            role: 'navigator',
            regions: [regionId],
          }),
        );
      navigators.set(regionId, ids);
    }
    for (let i = 1; i <= 5; i++) {
      const org = await trx
        .insertInto('member_organizations')
        .values({
          name: `Synthetic Provider ${i} ${run}`,
          type: i <= 2 ? 'shelter_housing' : 'service_provider',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      providers.push(org.id);
      for (let j = 1; j <= 2; j++)
        await insertUser(ctx, trx, {
          organizationId: org.id,
          email: `staff${j}.provider${i}.${run}@synthetic.example.org`,
          role: 'provider_staff',
          regions: [],
        });
    }
  });
  const housing = await ctx.db.transaction().execute((trx) =>
    seedHousing(trx, ctx.keyring, {
      organizationIds: providers.slice(0, 2),
      regions: regionIds.map((id) => ({ id, counties: countiesByRegion.get(id) ?? [] })),
      rnd,
      now,
      ...(options.housingPrograms !== undefined ? { programs: options.housingPrograms } : {}),
    }),
  );

  const summary: SyntheticSummary = {
    cases: 0,
    events: 0,
    notes: 0,
    tasks: 0,
    referrals: 0,
    consents: 0,
    safetyPlans: 0,
    navigators: regionIds.length * 3,
    organizations: regionIds.length + providers.length,
    housingPrograms: housing.programs,
    availabilityUpdates: housing.updates,
    shelter: { requests: 0, offers: 0, placements: 0, unmet: 0 },
    ms: 0,
  };
  const day = 86_400_000;
  const BATCH = 200;
  let eventsLeft = totalEvents;

  for (let start = 0; start < options.cases; start += BATCH) {
    const count = Math.min(BATCH, options.cases - start);
    // Spread the events evenly over the remaining cases.
    const eventsThisBatch = Math.round((eventsLeft * count) / (options.cases - start));
    eventsLeft -= eventsThisBatch;
    await ctx.db.transaction().execute(async (trx) => {
      const caseRows = [];
      const searchTerms: { case_id: string; kind: SearchTermKind; digest: string }[] = [];
      const assignments = [];
      const notes = [];
      const tasks = [];
      const consents = [];
      const referrals = [];
      const transitions = [];
      const plans = [];
      const services = [];
      const events: {
        case_id: string;
        at: Date;
        actor_user_id: string | null;
        event: string;
        detail: string;
      }[] = [];
      const batchCases: { id: string; openedAt: Date; navigator: string }[] = [];

      for (let k = 0; k < count; k++) {
        const id = randomUUID();
        const regionId = pickRegion();
        const county = pick(rnd, countiesByRegion.get(regionId)!);
        const navigator = pick(rnd, navigators.get(regionId)!);
        const age = 12 + Math.floor(rnd() * 13);
        const openedAt = new Date(now.getTime() - Math.floor(rnd() * 900) * day - Math.floor(rnd() * day));
        const dob = new Date(openedAt.getTime() - (age * 365.25 + rnd() * 360) * day);
        const knowsDob = rnd() < 0.8;
        const closed = rnd() < 0.35;
        const closedAt = closed
          ? new Date(Math.min(now.getTime(), openedAt.getTime() + (20 + rnd() * 300) * day))
          : null;
        const personal: CasePersonal = {
          chosenName: pick(rnd, FIRST_NAMES),
          legalName: null,
          dateOfBirth: knowsDob ? isoDay(dob) : null,
          age: knowsDob ? null : age,
          pronouns: pick(rnd, PRONOUNS),
          genderIdentity: [pick(rnd, v.genderIdentity).code],
          raceEthnicity:
            rnd() < 0.3
              ? [pick(rnd, v.raceEthnicity).code, pick(rnd, v.raceEthnicity).code]
              : [pick(rnd, v.raceEthnicity).code],
          sexualOrientation: rnd() < 0.5 ? pick(rnd, v.sexualOrientation).code : null,
          languages: [pick(rnd, LANGUAGES)],
          tribalAffiliation: null,
          safeContact: {
            method: pick(rnd, ['phone_call', 'text_message', 'in_person'] as const),
            value: `555-01${String(Math.floor(rnd() * 100)).padStart(2, '0')}`,
            times: pick(rnd, ['After 3 pm on weekdays', 'Mornings', 'Any time by text']),
            codeWord: pick(rnd, ['blue bird', 'pizza night', 'library book', 'green jacket']),
          },
          ...evaluationAnswers(rnd, v),
        };
        caseRows.push({
          id,
          jurisdiction: geo.jurisdiction,
          region_id: regionId,
          county_fips: county,
          status: closed ? ('closed' as const) : ('open' as const),
          age_band: age < 18 ? ('under18' as const) : ('18to24' as const),
          duplicate_index: await duplicateIndexFor(ctx.keyring, personal, trx),
          personal_encrypted: await sealPersonal(ctx.keyring, id, personal, trx),
          opened_by: navigator,
          opened_at: openedAt,
          updated_at: closedAt ?? openedAt,
          closed_at: closedAt,
          closed_by: closed ? navigator : null,
          close_reason: closed ? pick(rnd, v.closeReasons).code : null,
          exit_housing: closed ? pick(rnd, v.exitHousing).code : null,
          survey_feels_safer: closed ? pick(rnd, ['yes', 'yes', 'unsure', 'no', 'not_asked'] as const) : null,
          survey_more_hopeful: closed
            ? pick(rnd, ['yes', 'yes', 'yes', 'unsure', 'not_asked'] as const)
            : null,
          survey_knows_where_help: closed ? pick(rnd, ['yes', 'yes', 'no', 'not_asked'] as const) : null,
          purge_after: closedAt ? new Date(closedAt.getTime() + 2555 * day) : null,
        });
        for (const term of await searchTermsOf(ctx.keyring, personal, trx))
          searchTerms.push({ case_id: id, ...term });
        assignments.push({ case_id: id, user_id: navigator, assigned_by: navigator, assigned_at: openedAt });
        batchCases.push({ id, openedAt, navigator });
        events.push({
          case_id: id,
          at: openedAt,
          actor_user_id: navigator,
          event: 'case.opened',
          detail: '{}',
        });

        const noteCount = Math.floor(rnd() * 3);
        for (let n = 0; n < noteCount; n++) {
          const noteId = randomUUID();
          notes.push({
            id: noteId,
            case_id: id,
            category: pick(rnd, v.noteCategories).code,
            body_encrypted: await sealCaseField(
              ctx.keyring,
              id,
              { table: 'case_notes', recordId: noteId, field: 'body_encrypted' },
              pick(rnd, NOTE_TEXT),
              trx,
            ),
            author_id: navigator,
            created_at: new Date(openedAt.getTime() + rnd() * 30 * day),
          });
        }
        if (!closed && rnd() < 0.6) {
          const taskId = randomUUID();
          tasks.push({
            id: taskId,
            case_id: id,
            region_id: regionId,
            assignee_user_id: navigator,
            source: 'manual' as const,
            title_encrypted: await sealCaseField(
              ctx.keyring,
              id,
              { table: 'tasks', recordId: taskId, field: 'title_encrypted' },
              pick(rnd, TASK_TEXT),
              trx,
            ),
            // About a fifth overdue, the rest due over the next two weeks.
            due_at: new Date(now.getTime() + (rnd() < 0.2 ? -rnd() * 5 : rnd() * 14) * day),
            created_by: navigator,
            created_at: openedAt,
          });
        }
        let consentId: string | null = null;
        const provider = pick(rnd, providers);
        if (rnd() < 0.3) {
          consentId = randomUUID();
          const starts = new Date(openedAt.getTime() + rnd() * 10 * day);
          consents.push({
            id: consentId,
            case_id: id,
            organization_id: provider,
            purpose: pick(rnd, v.consentPurposes).code,
            categories: ['contact', 'identity'] as ConsentCategory[],
            method: rnd() < 0.6 ? ('written' as const) : ('verbal' as const),
            starts_on: isoDay(starts),
            expires_on: isoDay(new Date(starts.getTime() + 365 * day)),
            recorded_by: navigator,
            recorded_at: starts,
          });
        }
        if (rnd() < 0.5) {
          const referralId = randomUUID();
          const sentAt = new Date(openedAt.getTime() + rnd() * 20 * day);
          const status: ReferralStatus = pick(rnd, [
            'sent',
            'accepted',
            'in_service',
            'completed',
            'declined',
            'closed',
            'withdrawn',
          ] as const);
          referrals.push({
            id: referralId,
            case_id: id,
            from_region_id: regionId,
            to_organization_id: provider,
            service_type: pick(rnd, v.services).code,
            share_identifying: consentId !== null,
            consent_id: consentId,
            status,
            status_reason: status === 'declined' ? pick(rnd, v.declineReasons).code : null,
            sent_at: sentAt,
            responded_at: status === 'sent' ? null : new Date(sentAt.getTime() + rnd() * 3 * day),
            remind_at: status === 'sent' ? new Date(sentAt.getTime() + 2 * day) : null,
            created_by: navigator,
            created_at: sentAt,
            updated_at: sentAt,
          });
          transitions.push({
            referral_id: referralId,
            from_status: 'draft' as const,
            to_status: 'sent' as const,
            actor_user_id: navigator,
            at: sentAt,
          });
        }
        if (rnd() < 0.3) {
          const planId = randomUUID();
          plans.push({
            id: planId,
            case_id: id,
            version: 1,
            content_encrypted: await sealCaseField(
              ctx.keyring,
              id,
              { table: 'safety_plans', recordId: planId, field: 'content_encrypted' },
              JSON.stringify({
                warningSigns: ['Someone offers a ride and a place to stay'],
                safePeople: [{ name: 'My aunt', contact: 'Call after 6 pm' }],
                safePlaces: ['The library on Main Street'],
                codeWord: personal.safeContact.codeWord,
                inDanger: 'Call 911. Then text Day One.',
                lines: ['day-one', 'emergency-911'],
                customLines: [],
              } satisfies SafetyPlanContent),
              trx,
            ),
            created_by: navigator,
            created_at: new Date(openedAt.getTime() + rnd() * 15 * day),
          });
        }
        const serviceCount = Math.floor(rnd() * 3);
        for (let s = 0; s < serviceCount; s++)
          services.push({
            id: randomUUID(),
            case_id: id,
            service_code: pick(rnd, v.services).code,
            delivered_on: isoDay(new Date(openedAt.getTime() + rnd() * 60 * day)),
            recorded_by: navigator,
          });
      }
      // The rest of this batch's events, spread over its cases and their first months.
      for (let e = events.length; e < eventsThisBatch; e++) {
        const c = batchCases[Math.floor(rnd() * batchCases.length)]!;
        events.push({
          case_id: c.id,
          at: new Date(Math.min(now.getTime(), c.openedAt.getTime() + rnd() * 120 * day)),
          actor_user_id: c.navigator,
          event: pick(rnd, EVENT_KINDS),
          detail: '{}',
        });
      }
      // Each case takes the next number of its region and year as it is inserted (a trigger).
      caseRows.sort((a, b) => a.opened_at.getTime() - b.opened_at.getTime());
      await trx.insertInto('cases').values(caseRows).execute();
      await trx.insertInto('case_search_terms').values(searchTerms).execute();
      await trx.insertInto('case_assignments').values(assignments).execute();
      if (notes.length) await trx.insertInto('case_notes').values(notes).execute();
      if (tasks.length) await trx.insertInto('tasks').values(tasks).execute();
      if (consents.length) await trx.insertInto('consents').values(consents).execute();
      if (referrals.length) await trx.insertInto('referrals').values(referrals).execute();
      if (transitions.length) await trx.insertInto('referral_transitions').values(transitions).execute();
      if (plans.length) await trx.insertInto('safety_plans').values(plans).execute();
      if (services.length) await trx.insertInto('services_delivered').values(services).execute();
      for (let i = 0; i < events.length; i += 4000)
        await trx
          .insertInto('case_events')
          .values(events.slice(i, i + 4000))
          .execute();
      summary.cases += caseRows.length;
      summary.events += events.length;
      summary.notes += notes.length;
      summary.tasks += tasks.length;
      summary.referrals += referrals.length;
      summary.consents += consents.length;
      summary.safetyPlans += plans.length;
    });
    options.progress?.(summary.cases);
  }
  summary.shelter = await seedShelterRequests(ctx.db, {
    requests: options.shelterRequests ?? Math.round(options.cases / 4),
    navigatorIds: [...navigators.values()].flat(),
    organizationIds: providers.slice(0, 2),
    wentTo: v.exitHousing.map((x) => x.code),
    rnd,
    now,
  });
  if (ctx.calendar) {
    const factsCtx = { ...ctx, calendar: ctx.calendar };
    while ((await refreshStaleFacts(factsCtx, 500)) > 0);
  }
  // Fresh statistics, so the planner sees the new sizes at once.
  for (const table of 'cases case_assignments case_events tasks referrals case_notes consents'.split(' '))
    await sql`analyze ${sql.table(table)}`.execute(ctx.db);
  summary.ms = Math.round(performance.now() - started);
  return summary;
}
