/**
 * Reminding a provider that a referral waits for its answer, then escalating to the sending region.
 *
 * - When a referral is sent, `remind_at` is set `remindAfterBusinessDays` business days later (default
 *   2, `NWD_REFERRAL_REMIND_AFTER_BUSINESS_DAYS`; weekends and the pack's holidays skipped).
 * - At `remind_at`, still `sent`: the receiving organization's people who can answer (organization
 *   administrators, provider staff, navigators) get an in-app notification and an email (when it has
 *   nobody who can answer, the sending region's navigators do).
 * - `escalateAfterBusinessDays` business days after that (default 2,
 *   `NWD_REFERRAL_ESCALATE_AFTER_BUSINESS_DAYS`), still `sent`: the navigators of the case's region and
 *   the receiving organization's administrators are told it has had no answer; the navigators may then
 *   mark it "no answer" and refer elsewhere.
 *
 * `remindDue` is idempotent and safe on several instances: one transaction per referral under its row
 * lock (`skip locked`), and `reminded_at` / `escalated_at` are written once. Notifications and emails
 * hold a fixed sentence, an organization's or region's name and a link; never anything about the young
 * person.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { eachInTransaction, type RecurringJob } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/log.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { recordCaseEvent } from '../cases/index.ts';
import { activeStaff } from '../notifications/service.ts';
import { lockForReminder, reminderCandidates } from './queries.ts';
import { notifyPeople, referralLink, respondersOf, type ReferralTiming } from './service.ts';

export interface ReminderDeps {
  keyring: Keyring;
  /** Read when a link is made (development sets the port after start). */
  site: SiteOrigin;
  calendar: BusinessCalendar;
  timing: ReferralTiming;
  log?: Logger;
}

/**
 * When a referral sent at `sentAt` is reminded and escalated, if nobody answers.
 *
 * @example
 * reminderTimes(calendar, DEFAULT_REFERRAL_TIMING, fridayAt10) // { remindAt: Tuesday 10:00, escalateAt: Thursday 10:00 }
 */
export function reminderTimes(
  calendar: BusinessCalendar,
  timing: ReferralTiming,
  sentAt: Date,
): { remindAt: Date; escalateAt: Date } {
  const remindAt = calendar.addBusinessDays(sentAt, timing.remindAfterBusinessDays);
  return { remindAt, escalateAt: escalationTime(calendar, timing, remindAt) };
}

/** The escalation after a reminder due at `remindAt`. */
export function escalationTime(calendar: BusinessCalendar, timing: ReferralTiming, remindAt: Date): Date {
  return calendar.addBusinessDays(remindAt, timing.escalateAfterBusinessDays);
}

const days = (n: number) => `${n} business ${n === 1 ? 'day' : 'days'}`;

/** The reminder's sentence. */
export const reminderText = (timing: ReferralTiming) =>
  `A referral has waited ${days(timing.remindAfterBusinessDays)} for your organization’s answer`;

/** The escalation's sentence: the receiving organization's name and how long, nothing more. */
export function escalationText(timing: ReferralTiming, organizationName: string): string {
  const n = days(timing.remindAfterBusinessDays + timing.escalateAfterBusinessDays);
  const text = `${organizationName} has not answered a referral sent ${n} ago`;
  return text.length <= 120 ? text : `A referral has had no answer for ${n}`;
}

/** The reminder's sentence when the organization has nobody who can answer (sent to the navigators). */
export function nobodyText(timing: ReferralTiming, organizationName: string): string {
  const text = `Nobody at ${organizationName} can answer a referral that has waited ${days(timing.remindAfterBusinessDays)}`;
  return text.length <= 120 ? text : 'A referral waits for an organization that has nobody who can answer it';
}

export interface ReminderReport {
  reminded: number;
  escalated: number;
  notifications: number;
}

/** A reminder or escalation on the case's timeline (`referral.reminded|escalated`) and in the audit log. */
async function recordSystemStep(
  trx: Transaction<DB>,
  referral: { id: string; caseId: string },
  step: 'remind' | 'escalate',
  detail: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await recordCaseEvent(trx, {
    caseId: referral.caseId,
    actorUserId: null,
    event: step === 'remind' ? 'referral.reminded' : 'referral.escalated',
    detail,
    at: now,
  });
  await recordAudit(trx, {
    actorKind: 'system',
    action: `referral.${step}`,
    subjectType: 'referral',
    subjectId: referral.id,
    details: { case: referral.caseId, ...detail },
  });
}

/**
 * Reminds or escalates one referral inside the caller's transaction, under its row lock (skipping one
 * another instance holds). Does nothing when nothing is due or it is no longer waiting.
 */
export async function remindOrEscalate(
  trx: Transaction<DB>,
  deps: ReminderDeps,
  referralId: string,
  now: Date,
  report: ReminderReport,
): Promise<void> {
  const r = await lockForReminder(trx, referralId);
  if (!r || r.status !== 'sent' || r.remind_at === null) return;
  const remindDue = r.reminded_at === null && r.remind_at.getTime() <= now.getTime();
  const escalateDue =
    r.escalated_at === null &&
    escalationTime(deps.calendar, deps.timing, r.remind_at).getTime() <= now.getTime();
  if (!remindDue && !escalateDue) return;
  const link = referralLink(r.id);
  const navigators = await activeStaff(trx, 'navigator', r.region_id);
  const set: { reminded_at?: Date; escalated_at?: Date } = {};

  if (remindDue) {
    const responders = await respondersOf(trx, r.to_organization_id);
    const sent = await notifyPeople(trx, deps, responders.length ? responders : navigators, {
      kind: 'referral_reminder',
      text: responders.length ? reminderText(deps.timing) : nobodyText(deps.timing, r.organization_name),
      link,
      at: now,
    });
    set.reminded_at = now;
    const detail = { referral: r.id, recipients: sent, to_sender: responders.length === 0 };
    await recordSystemStep(trx, { id: r.id, caseId: r.case_id }, 'remind', detail, now);
    report.reminded++;
    report.notifications += sent;
  }
  if (escalateDue) {
    const admins = await respondersOf(trx, r.to_organization_id, ['org_admin']);
    const text = escalationText(deps.timing, r.organization_name);
    const sent = await notifyPeople(trx, deps, [...navigators, ...admins], {
      kind: 'referral_escalated',
      text,
      link,
      at: now,
    });
    set.escalated_at = now;
    set.reminded_at ??= r.reminded_at ?? now;
    const detail = { referral: r.id, recipients: sent };
    await recordSystemStep(trx, { id: r.id, caseId: r.case_id }, 'escalate', detail, now);
    report.escalated++;
    report.notifications += sent;
  }
  await trx.updateTable('referrals').set(set).where('id', '=', r.id).execute();
}

/**
 * Reminds and escalates every referral that is due as of `now`. One transaction per referral; one that
 * fails is logged and retried on the next run.
 *
 * @example
 * await remindDue(db, { keyring, site, calendar, timing: DEFAULT_REFERRAL_TIMING }, new Date()); // { reminded: 1, escalated: 0, notifications: 2 }
 */
export async function remindDue(db: Database, deps: ReminderDeps, now: Date): Promise<ReminderReport> {
  // Business days are never shorter than calendar days: a referral whose reminder was due less than
  // `escalateAfterBusinessDays` calendar days ago cannot be due for escalation yet.
  const escalateBefore = new Date(now.getTime() - deps.timing.escalateAfterBusinessDays * 86_400_000);
  const candidates = await reminderCandidates(db, now, escalateBefore);
  const report: ReminderReport = { reminded: 0, escalated: 0, notifications: 0 };
  await eachInTransaction(
    db,
    candidates.map((c) => c.id),
    (trx, id) => remindOrEscalate(trx, deps, id, now, report),
    {
      log: deps.log,
      idKey: 'referral',
      message: 'could not remind or escalate a referral; will retry',
    },
  );
  return report;
}

/** The name of the reminder job's queue. */
export const REFERRAL_REMINDER_JOB = 'referral-reminders';

/**
 * The recurring job that runs `remindDue` every five minutes (business days need no finer clock).
 *
 * @example
 * await startJobs({ url, log, jobs: [referralReminderJob(db, { keyring, site, calendar, timing, log })] });
 */
export function referralReminderJob(
  db: Database,
  deps: ReminderDeps,
  clock: () => Date = () => new Date(),
): RecurringJob & { run(): Promise<ReminderReport> } {
  return { name: REFERRAL_REMINDER_JOB, cron: '*/5 * * * *', run: () => remindDue(db, deps, clock()) };
}
