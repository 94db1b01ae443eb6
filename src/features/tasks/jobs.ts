/**
 * Reminders and escalation of tasks, run every minute as a recurring job.
 *
 * - **Reminder**: when an open task falls due within `remindBeforeHours` (default 24; 0 reminds at the
 *   due time), its assignee is told, in the app and by email; a task nobody is assigned to is told to
 *   every navigator of its region. Once per task (`reminded_at`). A task made inside that window is
 *   reminded halfway to its due time, never as it is made (`reminderTime`).
 * - **Escalation**: when an open task is still not done `escalateAfterBusinessHours` business hours
 *   after its due time (default 4: working hours in the jurisdiction's time zone, weekends and holidays
 *   skipped), the region's other navigators are told; with no other navigator, the state
 *   administrators. Once per task (`escalated_at`).
 *
 * Reopening a task clears both marks, and a transfer moves open tasks to the new region with both
 * cleared, so the new region is told. Each task is handled in its own transaction under its row lock
 * (`skip locked`), so a repeated or concurrent run changes nothing. Notifications and emails hold a
 * fixed sentence, the region's name, the due time and a link: never the task's title or anything about
 * the young person.
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
import { activeStaff, notifyStaff } from '../notifications/service.ts';
import { lockTaskForReminder, markTask, reminderCandidates } from './queries.ts';
import { taskLink } from './rules.ts';

export interface TaskReminderSettings {
  /** Hours before the due time when the assignee is reminded (default 24; 0: at the due time). */
  remindBeforeHours: number;
  /** Business hours after the due time before the region's other navigators are told (default 4). */
  escalateAfterBusinessHours: number;
}

export const DEFAULT_TASK_REMINDERS: Readonly<TaskReminderSettings> = {
  remindBeforeHours: 24,
  escalateAfterBusinessHours: 4,
};

export interface TaskReminderDeps {
  keyring: Keyring;
  /** Read when a link is made (development sets the port after start). */
  site: SiteOrigin;
  calendar: BusinessCalendar;
  settings: TaskReminderSettings;
  log?: Logger;
}

/**
 * When a task made at `createdAt` and due at `dueAt` is reminded: `remindBeforeHours` before the due
 * time; but a task made already inside that window is never reminded the moment it is made (whoever
 * made it knows), rather halfway between when it was made and when it is due. A task due when it is
 * made is not reminded at all: the escalation follows it.
 *
 * @example
 * reminderTime({ remindBeforeHours: 24, … }, mondayAt9, tuesdayAt9) // Monday 21:00, not Monday 9:00
 */
export function reminderTime(settings: TaskReminderSettings, dueAt: Date, createdAt: Date): Date | null {
  const due = dueAt.getTime();
  const made = createdAt.getTime();
  if (due <= made) return null;
  const before = due - settings.remindBeforeHours * 3_600_000;
  return new Date(before > made ? before : made + Math.ceil((due - made) / 2));
}

/**
 * When an overdue task due at `dueAt` escalates.
 *
 * @example
 * escalationTime(calendar, DEFAULT_TASK_REMINDERS, fridayAt16) // Monday 11:00 (no holiday)
 */
export function escalationTime(
  calendar: BusinessCalendar,
  settings: TaskReminderSettings,
  dueAt: Date,
): Date {
  return calendar.addBusinessHours(dueAt, settings.escalateAfterBusinessHours);
}

/** The reminder's sentence: the region and the due time, nothing else. */
export function reminderText(
  calendar: BusinessCalendar,
  regionName: string,
  dueAt: Date,
  mine: boolean,
): string {
  return `${mine ? 'A task of yours' : 'A task nobody has taken'} in ${regionName} is due ${calendar.describe(dueAt)}`;
}

/** The escalation's sentence. */
export function escalationText(calendar: BusinessCalendar, regionName: string, dueAt: Date): string {
  return `A task in ${regionName} is overdue: it was due ${calendar.describe(dueAt)}`;
}

/** What one call of `remindDueTasks` did. */
export interface TaskReminderReport {
  reminded: number;
  escalated: number;
  notifications: number;
}

/** The two notices of the job: to whom each goes, and what it marks and records. */
const NOTICES = {
  remind: { mark: 'reminded_at', kind: 'task_due', event: 'task.reminded', action: 'task.remind' },
  escalate: { mark: 'escalated_at', kind: 'task_overdue', event: 'task.escalated', action: 'task.escalate' },
} as const;

async function handleTask(
  trx: Transaction<DB>,
  deps: TaskReminderDeps,
  taskId: string,
  now: Date,
  report: TaskReminderReport,
): Promise<void> {
  const task = await lockTaskForReminder(trx, taskId);
  if (!task || task.completed_at) return;
  const remindAt = reminderTime(deps.settings, task.due_at, task.created_at);
  const remind = task.reminded_at === null && remindAt !== null && remindAt <= now;
  const escalate =
    task.escalated_at === null && escalationTime(deps.calendar, deps.settings, task.due_at) <= now;
  if (!remind && !escalate) return;

  const link = taskLink({ caseId: task.case_id, source: task.source, sourceRef: task.source_ref });
  const navigators = await activeStaff(trx, 'navigator', task.region_id);
  const assignee = navigators.find((p) => p.id === task.assignee_user_id) ?? null;
  const detail: Record<string, unknown> = { task: task.id, region: task.region_id };

  for (const which of [remind ? 'remind' : null, escalate ? 'escalate' : null] as const) {
    if (!which) continue;
    const notice = NOTICES[which];
    let people = assignee ? [assignee] : navigators;
    let text = reminderText(deps.calendar, task.region_name, task.due_at, assignee !== null);
    if (which === 'escalate') {
      people = navigators.filter((p) => p.id !== task.assignee_user_id);
      if (people.length === 0) people = await activeStaff(trx, 'state_admin');
      text = escalationText(deps.calendar, task.region_name, task.due_at);
    }
    const sent = await notifyStaff(trx, deps, people, { kind: notice.kind, text, link, at: now });
    await markTask(trx, task.id, notice.mark, now);
    if (which === 'remind') report.reminded++;
    else report.escalated++;
    report.notifications += sent;
    if (task.case_id)
      await recordCaseEvent(trx, {
        caseId: task.case_id,
        actorUserId: null,
        event: notice.event,
        detail: { ...detail, recipients: sent },
        at: now,
      });
    await recordAudit(trx, {
      actorKind: 'system',
      action: notice.action,
      subjectType: 'task',
      subjectId: task.id,
      details: { ...detail, case: task.case_id, recipients: sent },
    });
  }
}

/**
 * Reminds and escalates the open tasks that are due for it at `now`. One transaction per task; a task
 * that fails is logged and tried again on the next run.
 *
 * @example
 * const report = await remindDueTasks(db, { keyring, site, calendar, settings: DEFAULT_TASK_REMINDERS }, new Date());
 * // { reminded: 2, escalated: 0, notifications: 2 }
 */
export async function remindDueTasks(
  db: Database,
  deps: TaskReminderDeps,
  now: Date,
): Promise<TaskReminderReport> {
  // Cheap candidates first; business hours never come sooner than clock hours.
  const remindBy = new Date(now.getTime() + deps.settings.remindBeforeHours * 3_600_000);
  const escalateBy = new Date(now.getTime() - deps.settings.escalateAfterBusinessHours * 3_600_000);
  const candidates = await reminderCandidates(db, remindBy, escalateBy);
  const report: TaskReminderReport = { reminded: 0, escalated: 0, notifications: 0 };
  await eachInTransaction(db, candidates, (trx, id) => handleTask(trx, deps, id, now, report), {
    log: deps.log,
    idKey: 'task',
    message: 'could not remind or escalate a task; will retry',
  });
  return report;
}

/** The name of the job's queue. */
export const TASK_REMINDERS_JOB = 'task-reminders';

/**
 * The recurring job that runs `remindDueTasks` every minute.
 *
 * @example
 * await startJobs({ url, log, jobs: [taskRemindersJob(db, { keyring, site, calendar, settings, log })] });
 */
export function taskRemindersJob(
  db: Database,
  deps: TaskReminderDeps,
  clock: () => Date = () => new Date(),
): RecurringJob {
  return { name: TASK_REMINDERS_JOB, cron: '* * * * *', run: () => remindDueTasks(db, deps, clock()) };
}
