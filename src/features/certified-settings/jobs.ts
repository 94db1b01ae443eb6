/**
 * The reminder of a certification's expiry, run hourly as a recurring job: 60 days and again 30 days
 * before a certified setting's expiry date, its organization's administrators and the state
 * administrators are told, in the app and by email, with a link to the setting's page. Each reminder goes
 * once per expiry date (`reminded_60_for`, `reminded_30_for` hold the date it went for), so a renewal
 * with a new expiry date starts them again. None for a revoked certification or after expiry. Each
 * setting is handled in its own transaction under its row lock, so a repeated or concurrent run tells
 * nobody twice. The email holds a fixed sentence and a link, nothing else.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { eachInTransaction, type RecurringJob } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/log.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { activeStaffQuery, notifyStaff } from '../notifications/service.ts';
import { todayIn } from '../help/index.ts';
import { lockSetting, markReminded, reminderCandidates } from './queries.ts';
import { REMINDER_DAYS, addDays, dateInWords, daysBetween, reminderDue, settingLink } from './rules.ts';

export interface SettingReminderDeps {
  keyring: Keyring;
  site: SiteOrigin;
  /** The pack's time zone: the day "today" is. */
  timezone: string;
  log?: Logger;
}

/** The email's headline: a fixed sentence. */
export const EXPIRY_HEADLINE = 'A certified setting’s certification expires soon';

/** The in-app sentence: the setting's name (a fact of the provider), the date and how many days. */
export const expiryText = (settingName: string, expiresOn: string, daysLeft: number) =>
  `The certification of ${settingName} expires on ${dateInWords(expiresOn)}, in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}. Plan its renewal.`;

export interface SettingReminderReport {
  reminded: number;
  notifications: number;
}

async function remindSetting(
  trx: Transaction<DB>,
  deps: SettingReminderDeps,
  id: string,
  now: Date,
  today: string,
  report: SettingReminderReport,
): Promise<void> {
  const s = await lockSetting(trx, id);
  if (!s) return;
  const due = reminderDue(
    {
      expiresOn: s.expires_on,
      status: s.status,
      reminded60For: s.reminded_60_for,
      reminded30For: s.reminded_30_for,
    },
    today,
  );
  if (due === null) return;
  const people = await activeStaffQuery(trx)
    .where((eb) =>
      eb.or([
        eb('u.role', '=', 'state_admin'),
        eb.and([eb('u.role', '=', 'org_admin'), eb('u.organization_id', '=', s.organization_id)]),
      ]),
    )
    .orderBy('u.id')
    .execute();
  const daysLeft = daysBetween(today, s.expires_on);
  const sent = await notifyStaff(
    trx,
    deps,
    people,
    {
      kind: 'setting_expiry',
      text: expiryText(s.name, s.expires_on, daysLeft),
      link: settingLink(s.id),
      at: now,
    },
    EXPIRY_HEADLINE,
  );
  await markReminded(trx, s.id, due, s.expires_on);
  report.reminded++;
  report.notifications += sent;
  await recordAudit(trx, {
    actorKind: 'system',
    action: 'housing.setting.expiry_reminder',
    subjectType: 'certified_setting',
    subjectId: s.id,
    organizationId: s.organization_id,
    details: { reminder_days: due, days_left: daysLeft, expires_on: s.expires_on, recipients: sent },
  });
}

/**
 * Sends the 60- and 30-day expiry reminders due at `now`.
 *
 * @example
 * await remindExpiringSettings(db, { keyring, site, timezone: 'America/Chicago' }, new Date()); // { reminded: 1, notifications: 3 }
 */
export async function remindExpiringSettings(
  db: Database,
  deps: SettingReminderDeps,
  now: Date,
): Promise<SettingReminderReport> {
  const today = todayIn(deps.timezone, now);
  const report: SettingReminderReport = { reminded: 0, notifications: 0 };
  await eachInTransaction(
    db,
    await reminderCandidates(db, today, addDays(today, REMINDER_DAYS[0])),
    (trx, id) => remindSetting(trx, deps, id, now, today, report),
    {
      log: deps.log,
      idKey: 'certified_setting',
      message: 'could not remind a certified setting of its expiry; will retry',
    },
  );
  return report;
}

export const SETTING_REMINDERS_JOB = 'setting-reminders';

/** The recurring job that runs `remindExpiringSettings` every hour. */
export function settingRemindersJob(
  db: Database,
  deps: SettingReminderDeps,
  clock: () => Date = () => new Date(),
): RecurringJob {
  return {
    name: SETTING_REMINDERS_JOB,
    cron: '17 * * * *',
    run: () => remindExpiringSettings(db, deps, clock()),
  };
}
