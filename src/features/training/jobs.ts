/**
 * The reminder of required trainings, run every hour as a recurring job: for each person whose required
 * training becomes due (within 30 days) or overdue, the person (when they have an account) is told in the
 * app and by email (with a link to their own trainings page), and their organization's administrators get one message per organization and run
 * saying people of theirs have trainings due or overdue, with a link to the organization's training page.
 * Once per due state: each (person, requirement, state, due day) is claimed in `training_reminders`
 * before anyone is told, so a repeated or concurrent run tells nobody twice, and a renewal (a new due
 * day) starts again. Roster entries have no account: only their administrators are told. Each
 * organization is handled in its own transaction. The emails hold fixed sentences and a link, nothing
 * else.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { eachInTransaction, type RecurringJob } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/log.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { todayIn } from '../help/index.ts';
import { notifyStaff } from '../notifications/service.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import * as q from './queries.ts';
import { organizationLink } from './rules.ts';
import { complianceOf, type Person } from './service.ts';

export interface TrainingReminderDeps {
  keyring: Keyring;
  site: SiteOrigin;
  timezone: string;
  dueDays: number;
  log?: Logger;
}

export const DUE_HEADLINE = 'A required training is due soon';
export const OVERDUE_HEADLINE = 'A required training is overdue';
export const ADMIN_HEADLINE = 'People of your organization have required trainings due or overdue';

export interface TrainingReminderReport {
  organizations: number;
  reminders: number;
  notifications: number;
}

async function remindOrganization(
  trx: Transaction<DB>,
  deps: TrainingReminderDeps,
  cat: Catalogue,
  orgId: string,
  now: Date,
  report: TrainingReminderReport,
): Promise<void> {
  const org = (await q.organizationRows(trx, { id: orgId }))[0];
  if (!org) return;
  const staff = await q.staffPeople(trx, [org.id]);
  const roster = await q.rosterPeople(trx, [org.id]);
  const people: Person[] = [
    ...staff.map((u) => ({
      id: u.id,
      kind: 'user' as const,
      organizationId: org.id,
      role: u.role,
      title: null,
      startedOn: todayIn(deps.timezone, u.created_at),
    })),
    ...roster.map((r) => ({
      id: r.id,
      kind: 'roster' as const,
      organizationId: org.id,
      role: r.role,
      title: r.title,
      startedOn: r.started_on ?? r.created_at.toISOString().slice(0, 10),
    })),
  ];
  const today = todayIn(deps.timezone, now);
  const states = complianceOf(
    people,
    new Map([[org.id, org.type]]),
    await q.completionRows(trx, [org.id]),
    cat,
    today,
    deps.dueDays,
  );
  let claimed = 0;
  let sent = 0;
  for (const person of people) {
    for (const s of states.get(person.id) ?? []) {
      if ((s.state !== 'due' && s.state !== 'overdue') || s.dueOn === null) continue;
      const fresh = await q.claimReminder(trx, {
        personId: person.id,
        requirementId: s.requirementId,
        state: s.state,
        dueOn: s.dueOn,
        at: now,
      });
      if (!fresh) continue;
      claimed++;
      const account = person.kind === 'user' ? staff.find((u) => u.id === person.id) : undefined;
      if (account) {
        const headline = s.state === 'due' ? DUE_HEADLINE : OVERDUE_HEADLINE;
        sent += await notifyStaff(
          trx,
          deps,
          [{ id: account.id, email_encrypted: account.email_encrypted }],
          {
            kind: 'training_due',
            text: headline,
            link: '/staff/training/mine',
            at: now,
          },
          headline,
        );
      }
    }
  }
  if (claimed === 0) return;
  sent += await notifyStaff(
    trx,
    deps,
    await q.organizationAdmins(trx, org.id),
    { kind: 'training_due_organization', text: ADMIN_HEADLINE, link: organizationLink(org.id), at: now },
    ADMIN_HEADLINE,
  );
  report.organizations++;
  report.reminders += claimed;
  report.notifications += sent;
  await recordAudit(trx, {
    actorKind: 'system',
    action: 'training.reminder',
    subjectType: 'member_organization',
    subjectId: org.id,
    organizationId: org.id,
    details: { reminders: claimed, recipients: sent },
  });
}

/**
 * Reminds people and their administrators of required trainings that became due or overdue at `now`.
 *
 * @example
 * await remindTrainings(db, { keyring, site, timezone: 'America/Chicago', dueDays: 90 }, new Date()); // { organizations: 1, reminders: 3, notifications: 2 }
 */
export async function remindTrainings(
  db: Database,
  deps: TrainingReminderDeps,
  now: Date,
): Promise<TrainingReminderReport> {
  const report: TrainingReminderReport = { organizations: 0, reminders: 0, notifications: 0 };
  const cat = await loadCatalogue(db);
  if (!cat.requirements.some((r) => r.retired_at === null)) return report;
  const ids = (await q.organizationRows(db)).map((o) => o.id);
  await eachInTransaction(db, ids, (trx, id) => remindOrganization(trx, deps, cat, id, now, report), {
    log: deps.log,
    idKey: 'organization',
    message: 'could not remind an organization of required trainings; will retry',
  });
  return report;
}

export const TRAINING_REMINDERS_JOB = 'training-reminders';

/** The recurring job that runs `remindTrainings` every hour. */
export function trainingRemindersJob(
  db: Database,
  deps: TrainingReminderDeps,
  clock: () => Date = () => new Date(),
): RecurringJob {
  return {
    name: TRAINING_REMINDERS_JOB,
    cron: '17 * * * *',
    run: () => remindTrainings(db, deps, clock()),
  };
}
