/**
 * Writing the evaluation's reporting facts (migration 0025, docs/evaluation.md): for one case, its row of
 * `report_youth`, its services delivered (`report_services`) and the referrals it sent
 * (`report_referrals`), read from the case and written in the caller's transaction. Only codes, Minnesota
 * days and numbers are copied, under keyed hashes: the case id and referral ids never leave the case
 * tables, nor does a name, a contact detail or any free text. The case's personal JSON is decrypted once,
 * in memory, for its codes; nothing of it is logged.
 *
 * Choices the reports should know:
 * - `tribal` is true when a tribal affiliation is recorded, otherwise null: the form asks for the
 *   affiliation, not whether there is one, so an empty answer means "not asked", never "no".
 * - `decline_reason` is the decline's reason code when it is one of the pack's `declineReasons`, `other`
 *   for a reason the list no longer has, and null when no reason was given.
 * - A referral counts as accepted when the organization ever accepted it (its status, or an `accepted`
 *   step of its history: it may be closed since); `days_to_answer` is the time from sending to the
 *   organization's answer (accept or decline), in days to two decimals.
 * - A case whose personal data was destroyed (retention: `purged_at` set) keeps its facts as last
 *   written: nothing in them leads back to the person.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { blindIndex, type Keyring } from '../../platform/crypto/index.ts';
import type { Logger } from '../../platform/log.ts';
import { ageOn, openPersonal, type Vocabularies } from '../cases/index.ts';
import type { ReportReferralStatus } from './tables.ts';

/** The keyed-hash purpose of a case's (and a referral's) subject in the facts. */
export const REPORT_SUBJECT_PURPOSE = 'report-subject';
/** The keyed-hash purpose of a young person across regions (from the case's duplicate index). */
export const REPORT_PERSON_PURPOSE = 'report-person';

export interface FactsContext {
  db: Database;
  keyring: Keyring;
  /** The jurisdiction's calendar: facts hold its days (Minnesota: America/Chicago). */
  calendar: Pick<BusinessCalendar, 'local'>;
  vocabularies: Pick<Vocabularies, 'declineReasons'>;
  log?: Logger;
}

/** Statuses of a referral that mean the organization took the young person on. */
const ACCEPTED_STATUSES: readonly string[] = ['accepted', 'in_service', 'completed'];
const DAY_MS = 86_400_000;

/** Days between two instants, to two decimals (never below zero). */
export const daysBetween = (from: Date, to: Date) =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / (DAY_MS / 100)) / 100);

/**
 * Writes the facts of one case in `trx`: its `report_youth` row (inserted or replaced), and its services
 * and referrals (deleted and written again). Returns false, writing nothing, for a case that does not
 * exist or whose personal data was destroyed.
 *
 * @example
 * await db.transaction().execute((trx) => refreshCaseFacts(ctx, trx, caseId)); // true
 */
export async function refreshCaseFacts(
  ctx: Pick<FactsContext, 'keyring' | 'calendar' | 'vocabularies'>,
  trx: Transaction<DB>,
  caseId: string,
): Promise<boolean> {
  const row = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!row || row.purged_at !== null) return false;
  const personal = await openPersonal(ctx.keyring, row);
  const subjectKey = await ctx.keyring.indexKeyFor(REPORT_SUBJECT_PURPOSE, trx);
  const subject = blindIndex(subjectKey, row.id);
  const person =
    row.duplicate_index === null
      ? subject
      : blindIndex(await ctx.keyring.indexKeyFor(REPORT_PERSON_PURPOSE, trx), row.duplicate_index);
  const dayOf = (at: Date) => ctx.calendar.local(at).date;
  const openedOn = dayOf(row.opened_at);
  const age = personal.dateOfBirth ? ageOn(personal.dateOfBirth, openedOn) : personal.age;

  const services = await trx
    .selectFrom('services_delivered')
    .select(['service_code', 'delivered_on'])
    .where('case_id', '=', row.id)
    .execute();
  const referrals = await trx
    .selectFrom('referrals')
    .select([
      'id',
      'to_organization_id',
      'service_type',
      'status',
      'status_reason',
      'sent_at',
      'responded_at',
      'created_at',
    ])
    .where('case_id', '=', row.id)
    .where('status', '!=', 'draft')
    .execute();
  const everAccepted = new Set(
    referrals.length === 0
      ? []
      : (
          await trx
            .selectFrom('referral_transitions')
            .select('referral_id')
            .where(
              'referral_id',
              'in',
              referrals.map((r) => r.id),
            )
            .where('to_status', '=', 'accepted')
            .execute()
        ).map((t) => t.referral_id),
  );
  const declineCodes = new Set(ctx.vocabularies.declineReasons.map((r) => r.code));
  const referralFacts = referrals.map((r) => {
    const accepted = ACCEPTED_STATUSES.includes(r.status) || everAccepted.has(r.id);
    const declined = r.status === 'declined';
    const sentAt = r.sent_at ?? r.created_at;
    return {
      referral: blindIndex(subjectKey, r.id),
      subject,
      to_organization_id: r.to_organization_id,
      service_type: r.service_type,
      status: r.status as ReportReferralStatus,
      sent_on: dayOf(sentAt),
      accepted,
      completed: r.status === 'completed',
      days_to_answer:
        (accepted || declined) && r.responded_at !== null ? daysBetween(sentAt, r.responded_at) : null,
      decline_reason:
        !declined || r.status_reason === null
          ? null
          : declineCodes.has(r.status_reason)
            ? r.status_reason
            : 'other',
    };
  });

  const youth = {
    subject,
    person,
    jurisdiction: row.jurisdiction,
    region_id: row.region_id,
    county_fips: row.county_fips,
    age_band: row.age_band,
    age_at_entry: age !== null && age >= 0 && age <= 120 ? age : null,
    genders: personal.genderIdentity,
    races: personal.raceEthnicity,
    tribal: personal.tribalAffiliation ? true : null,
    door: personal.door,
    exploitation: personal.exploitation,
    entry_housing: personal.entryHousing,
    exit_housing: row.exit_housing,
    opened_on: openedOn,
    closed_on: row.closed_at ? dayOf(row.closed_at) : null,
    close_reason: row.close_reason,
    survey_feels_safer: row.survey_feels_safer,
    survey_more_hopeful: row.survey_more_hopeful,
    survey_knows_where_help: row.survey_knows_where_help,
    organizations: [...new Set(referralFacts.filter((r) => r.accepted).map((r) => r.to_organization_id))],
    refreshed_at: new Date(),
  };
  const { subject: _key, ...update } = youth;
  await trx
    .insertInto('report_youth')
    .values(youth)
    .onConflict((oc) => oc.column('subject').doUpdateSet(update))
    .execute();
  await trx.deleteFrom('report_services').where('subject', '=', subject).execute();
  if (services.length)
    await trx
      .insertInto('report_services')
      .values(services.map((s) => ({ subject, service_code: s.service_code, delivered_on: s.delivered_on })))
      .execute();
  await trx.deleteFrom('report_referrals').where('subject', '=', subject).execute();
  if (referralFacts.length) await trx.insertInto('report_referrals').values(referralFacts).execute();
  return true;
}

/**
 * Writes the facts of up to `limit` cases waiting in `report_stale`, oldest first, each in its own
 * transaction that takes its row (`for update skip locked`, so runs side by side share the work) and
 * deletes it. A case that fails is logged (its id and the error's name) and left waiting for the next
 * run.
 * Returns how many cases were taken (written, or skipped as purged).
 *
 * @example
 * while ((await refreshStaleFacts(ctx, 200)) > 0);
 */
export async function refreshStaleFacts(ctx: FactsContext, limit: number): Promise<number> {
  let taken = 0;
  const failed: string[] = [];
  while (taken < limit) {
    const current: { id: string | null } = { id: null };
    try {
      await ctx.db.transaction().execute(async (trx) => {
        let next = trx.selectFrom('report_stale').select('case_id').orderBy('since').orderBy('case_id');
        if (failed.length) next = next.where('case_id', 'not in', failed);
        const stale = await next.limit(1).forUpdate().skipLocked().executeTakeFirst();
        if (!stale) return;
        current.id = stale.case_id;
        await trx.deleteFrom('report_stale').where('case_id', '=', stale.case_id).execute();
        await refreshCaseFacts(ctx, trx, stale.case_id);
      });
    } catch (error) {
      if (current.id === null) throw error;
      failed.push(current.id);
      // The case's id and the error's name only: a message could quote data.
      ctx.log?.warn(
        { case: current.id, err: error instanceof Error ? error.name : 'error' },
        'could not write the reporting facts of a case; will retry',
      );
      continue;
    }
    if (current.id === null) break;
    taken++;
  }
  return taken;
}
