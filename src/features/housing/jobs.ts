/**
 * The reminder of stale availability, run every ten minutes as a recurring job: when a program's beds
 * available were last updated more than `staleHours` ago (or never, for a program older than that), its
 * organization's administrators and provider staff are told, in the app and by email, with a link to the
 * program's update form. Once per stale period: a program is reminded again only after another
 * `staleHours` without an update. Each program is handled in its own transaction under its row lock
 * (`skip locked`), so a repeated or concurrent run tells nobody twice. The email holds a fixed sentence
 * and a link, nothing else.
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
import { lockForReminder, markReminded, staleCandidates } from './queries.ts';
import { isStale, programLink } from './rules.ts';

export interface HousingReminderDeps {
  keyring: Keyring;
  site: SiteOrigin;
  staleHours: number;
  log?: Logger;
}

/** The email's headline: a fixed sentence. */
export const STALE_HEADLINE = 'Please update the beds available of a housing program';

/** The in-app sentence: the program's name (a public fact of the provider) and how long. */
export const staleText = (programName: string, staleHours: number) =>
  `Beds available for ${programName} have not been updated in ${staleHours} hours`;

export interface HousingReminderReport {
  reminded: number;
  notifications: number;
}

async function remindProgram(
  trx: Transaction<DB>,
  deps: HousingReminderDeps,
  id: string,
  now: Date,
  report: HousingReminderReport,
): Promise<void> {
  const program = await lockForReminder(trx, id);
  if (!program) return;
  const staleBefore = new Date(now.getTime() - deps.staleHours * 3_600_000);
  if (!isStale(program.availability_updated_at, now, deps.staleHours)) return;
  if (program.availability_updated_at === null && program.created_at >= staleBefore) return;
  if (program.stale_reminded_at !== null && program.stale_reminded_at > staleBefore) return;
  const people = await activeStaffQuery(trx)
    .where('u.organization_id', '=', program.organization_id)
    .where('u.role', 'in', ['org_admin', 'provider_staff'])
    .orderBy('u.id')
    .execute();
  const sent = await notifyStaff(
    trx,
    deps,
    people,
    {
      kind: 'housing_stale',
      text: staleText(program.name, deps.staleHours),
      link: programLink(program.id),
      at: now,
    },
    STALE_HEADLINE,
  );
  await markReminded(trx, program.id, now);
  report.reminded++;
  report.notifications += sent;
  await recordAudit(trx, {
    actorKind: 'system',
    action: 'housing.stale_reminder',
    subjectType: 'housing_program',
    subjectId: program.id,
    organizationId: program.organization_id,
    details: { recipients: sent, stale_hours: deps.staleHours },
  });
}

/**
 * Reminds the organizations of the programs whose availability is stale at `now`.
 *
 * @example
 * await remindStalePrograms(db, { keyring, site, staleHours: 24 }, new Date()); // { reminded: 1, notifications: 2 }
 */
export async function remindStalePrograms(
  db: Database,
  deps: HousingReminderDeps,
  now: Date,
): Promise<HousingReminderReport> {
  const staleBefore = new Date(now.getTime() - deps.staleHours * 3_600_000);
  const report: HousingReminderReport = { reminded: 0, notifications: 0 };
  await eachInTransaction(
    db,
    await staleCandidates(db, staleBefore),
    (trx, id) => remindProgram(trx, deps, id, now, report),
    {
      log: deps.log,
      idKey: 'housing_program',
      message: 'could not remind a housing program of stale availability; will retry',
    },
  );
  return report;
}

export const HOUSING_REMINDERS_JOB = 'housing-reminders';

/** The recurring job that runs `remindStalePrograms` every ten minutes. */
export function housingRemindersJob(
  db: Database,
  deps: HousingReminderDeps,
  clock: () => Date = () => new Date(),
): RecurringJob {
  return {
    name: HOUSING_REMINDERS_JOB,
    cron: '*/10 * * * *',
    run: () => remindStalePrograms(db, deps, clock()),
  };
}
