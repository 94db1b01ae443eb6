/**
 * Telling people that an item waits, and escalating it while nobody claims it.
 *
 * - On arrival: every navigator of the item's region gets an in-app notification and an email (an item
 *   without a region, or in a region with no navigator account, goes to the state administrators).
 * - After `afterBusinessHours` business hours unclaimed (default 4, counted in the jurisdiction's
 *   working hours, skipping weekends and holidays): level 1, all of the region's navigators again,
 *   saying it has waited.
 * - After `toStateAfterHours` hours unclaimed (default 24, clock hours: a young person's wait does not
 *   pause at weekends): level 2, every state administrator (and the region's navigators, if level 1
 *   had not happened yet — an item that arrives on a Friday afternoon reaches the state on Saturday,
 *   before the region's business hours have run).
 *
 * `escalateDue` is idempotent and safe on several instances at once: each item is handled in its own
 * transaction under its row lock (`skip locked`), and its level only goes up. Notifications and emails
 * hold a fixed sentence, the region's name and a link; never anything about the young person.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { Logger } from '../../platform/log.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { activeStaff, notifyStaff, type Recipient } from '../notifications/service.ts';
import { eachInTransaction } from '../../platform/jobs/index.ts';
import * as q from './queries.ts';
import {
  escalationLevelAt,
  notificationText,
  type EscalationLevel,
  type EscalationSettings,
} from './rules.ts';

export {
  DEFAULT_ESCALATION,
  escalationLevelAt,
  escalationTimes,
  notificationText,
  type EscalationLevel,
  type EscalationSettings,
} from './rules.ts';

export interface EscalationDeps {
  keyring: Keyring;
  /** Read when a link is made (development sets the port after start). */
  site: SiteOrigin;
  calendar: BusinessCalendar;
  settings: EscalationSettings;
  log?: Logger;
}

/** What one call of `escalateDue` did. */
export interface EscalationReport {
  /** Items whose region was told of their arrival. */
  announced: number;
  /** Items escalated to level 1 / level 2 in this call. */
  toRegion: number;
  toState: number;
  /** Notifications written (one per person and item). */
  notifications: number;
}

const emptyReport = (): EscalationReport => ({ announced: 0, toRegion: 0, toState: 0, notifications: 0 });

/**
 * Announces or escalates one item, inside the caller's transaction (its own, or the one creating the
 * item). Takes the item's row lock, skipping an item another instance holds; does nothing when there is
 * nothing to do.
 */
export async function announceOrEscalate(
  trx: Transaction<DB>,
  deps: EscalationDeps,
  itemId: string,
  now: Date,
  report: EscalationReport = emptyReport(),
): Promise<EscalationReport> {
  const item = await q.itemForEscalation(trx, itemId);
  if (!item || item.status !== 'new') return report;
  const announced = await q.wasAnnounced(trx, item.id);
  const current = item.escalation_level as EscalationLevel;
  const due = escalationLevelAt(deps.calendar, deps.settings, item.created_at, now);
  const target = Math.max(current, due) as EscalationLevel;
  if (target === current && (announced || current > 0)) return report;

  const navigators = item.region_id ? await activeStaff(trx, 'navigator', item.region_id) : [];
  const admins = await activeStaff(trx, 'state_admin');
  let recipients: Recipient[];
  if (target === 2) {
    // Navigators are told too when the item jumps straight to the state (e.g. over a long weekend).
    recipients = current < 1 ? [...navigators, ...admins] : admins;
  } else {
    recipients = navigators.length ? navigators : admins;
  }
  recipients = [...new Map(recipients.map((r) => [r.id, r])).values()];

  if (recipients.length === 0)
    deps.log?.warn(
      { item: item.id, region: item.region_id, level: target },
      'an intake item is waiting but there is no active navigator or state administrator to tell',
    );
  const text = notificationText(item.kind, item.region_name ?? null, target, deps.settings);
  const link = `/staff/queue/${item.id}`;
  await notifyStaff(trx, deps, recipients, {
    kind: target === 0 ? 'intake_new' : 'intake_escalated',
    text,
    link,
    at: now,
  });
  if (target > current) await q.setEscalation(trx, item.id, target, now);
  const event = target === 0 ? 'announced' : 'escalated';
  const detail = { level: target, recipients: recipients.length };
  await q.insertEvent(trx, { itemId: item.id, at: now, actorUserId: null, event, detail });
  await recordAudit(trx, {
    actorKind: 'system',
    action: target === 0 ? 'intake.announce' : 'intake.escalate',
    subjectType: 'intake_item',
    subjectId: item.id,
    details: { region: item.region_id, ...detail },
  });
  if (target === 0) report.announced++;
  else if (target === 1) report.toRegion++;
  else report.toState++;
  report.notifications += recipients.length;
  return report;
}

/**
 * Announces new items and escalates those unclaimed for too long, as of `now`. One transaction per
 * item; an item that fails is logged and retried on the next run.
 *
 * @example
 * const report = await escalateDue(db, { keyring, site, calendar, settings: DEFAULT_ESCALATION }, new Date());
 * // { announced: 1, toRegion: 0, toState: 0, notifications: 3 }
 */
export async function escalateDue(db: Database, deps: EscalationDeps, now: Date): Promise<EscalationReport> {
  // Cheap candidates first: unclaimed, not yet at the top level, not announced or old enough that the
  // first threshold may have passed (business hours never come sooner than wall-clock hours).
  const soonest = new Date(
    now.getTime() - Math.min(deps.settings.afterBusinessHours, deps.settings.toStateAfterHours) * 3_600_000,
  );
  const candidates = await q.escalationCandidates(db, now, soonest);
  const report = emptyReport();
  await eachInTransaction(db, candidates, (trx, id) => announceOrEscalate(trx, deps, id, now, report), {
    log: deps.log,
    idKey: 'item',
    message: 'could not announce or escalate an intake item; will retry',
  });
  return report;
}

/** The name of the escalation job's queue. */
export const ESCALATION_JOB = 'intake-escalation';

/**
 * The recurring job that runs `escalateDue` every minute.
 *
 * @example
 * await startJobs({ url, log, jobs: [escalationJob(db, { keyring, site, calendar, settings, log })] });
 */
export function escalationJob(
  db: Database,
  deps: EscalationDeps,
  clock: () => Date = () => new Date(),
): { name: string; cron: string; run(): Promise<EscalationReport> } {
  return { name: ESCALATION_JOB, cron: '* * * * *', run: () => escalateDue(db, deps, clock()) };
}
