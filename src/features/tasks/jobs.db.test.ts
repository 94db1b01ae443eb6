/**
 * Task reminders and escalation with a controllable clock: the assignee is reminded a configurable
 * number of hours before the due time (the region's navigators when nobody is assigned), an overdue task
 * escalates to the region's other navigators after business hours (weekends and Minnesota holidays
 * skipped), each once; a reopened task starts again; messages carry no personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditEvents, caseEventNames, taskRow } from '../../../test/coordination.ts';
import { addStaff, type TestStaff } from '../../../test/staff.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import {
  DEFAULT_TASK_REMINDERS,
  escalationTime,
  remindDueTasks,
  reminderTime,
  taskRemindersJob,
  type TaskReminderDeps,
} from './jobs.ts';
import { coordinationContext, createTask, setTaskDone, type CoordinationContext } from './service.ts';
import { ORIGIN, addCase, calendar, mn } from './testing.ts';

let t: TestApp;
let deps: TaskReminderDeps;
let nav: TestStaff;
let colleague: TestStaff;
let other: TestStaff;
let admin: TestStaff;
let caseId: string;

const at = (now: Date): CoordinationContext => ({ ...coordinationContext(t.deps), now: () => now });

async function notified(link: string) {
  return t.deps.db
    .selectFrom('staff_notifications')
    .select(['user_id', 'kind', 'text'])
    .where('link', '=', link)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
}

beforeAll(async () => {
  t = await testApp();
  deps = { keyring: t.deps.keyring, site: t.deps.site, calendar, settings: DEFAULT_TASK_REMINDERS };
  nav = await addStaff(t.deps, 'navigator', ['northeast']);
  colleague = await addStaff(t.deps, 'navigator', ['northeast']);
  other = await addStaff(t.deps, 'navigator', ['northeast', 'central']);
  await addStaff(t.deps, 'navigator', ['northeast'], { disabled: true });
  await addStaff(t.deps, 'navigator', ['southeast']);
  admin = await addStaff(t.deps, 'state_admin');
  caseId = await addCase(t.deps, { regionId: 'northeast', countyFips: '27137' });
});
afterAll(async () => {
  await t.close();
});

describe('times', () => {
  it('reminds 24 hours before, and escalates 4 business hours after the due time, skipping a holiday weekend', () => {
    const due = mn('2026-11-25', 15); // Wednesday before Thanksgiving
    expect(reminderTime(DEFAULT_TASK_REMINDERS, due, mn('2026-11-20', 9))).toEqual(mn('2026-11-24', 15));
    // 2 business hours on Wednesday, none on Thanksgiving, 2 on Friday morning.
    expect(escalationTime(calendar, DEFAULT_TASK_REMINDERS, due)).toEqual(mn('2026-11-27', 10));
    expect(escalationTime(calendar, DEFAULT_TASK_REMINDERS, mn('2026-11-20', 16))).toEqual(
      mn('2026-11-23', 11),
    );
    expect(
      reminderTime({ remindBeforeHours: 0, escalateAfterBusinessHours: 1 }, due, mn('2026-11-20', 9)),
    ).toEqual(due);
  });

  it('never reminds a task as it is made: one made inside the window is reminded halfway to its due time', () => {
    const made = mn('2026-12-01', 9);
    // Made 24 hours before, with a 24-hour window: not at 9:00, at 21:00.
    expect(reminderTime(DEFAULT_TASK_REMINDERS, mn('2026-12-02', 9), made)).toEqual(mn('2026-12-01', 21));
    // Made 2 hours before: an hour later.
    expect(reminderTime(DEFAULT_TASK_REMINDERS, mn('2026-12-01', 11), made)).toEqual(mn('2026-12-01', 10));
    // Made a day and a minute before: the usual time, a minute after it was made.
    expect(reminderTime(DEFAULT_TASK_REMINDERS, mn('2026-12-02', 9, 1), made)).toEqual(
      mn('2026-12-01', 9, 1),
    );
    // Due when made (or before): no reminder; the escalation follows it.
    expect(reminderTime(DEFAULT_TASK_REMINDERS, made, made)).toBeNull();
    expect(reminderTime(DEFAULT_TASK_REMINDERS, mn('2026-11-30', 9), made)).toBeNull();
  });
});

describe('remindDueTasks', () => {
  it('reminds the assignee once, then escalates to the region’s other navigators once', async () => {
    const created = mn('2026-11-16', 9);
    const due = mn('2026-11-20', 16); // Friday 16:00
    const id = await createTask(
      at(created),
      nav.actor,
      { caseId, title: 'Visit Synthetic Sky at the shelter', dueAt: due, assigneeUserId: nav.id },
      ORIGIN,
    );
    const link = `/staff/cases/${caseId}/tasks`;

    expect(await remindDueTasks(t.deps.db, deps, mn('2026-11-19', 15, 59))).toEqual({
      reminded: 0,
      escalated: 0,
      notifications: 0,
    });
    expect(await remindDueTasks(t.deps.db, deps, mn('2026-11-19', 16))).toEqual({
      reminded: 1,
      escalated: 0,
      notifications: 1,
    });
    expect(await notified(link)).toEqual([
      {
        user_id: nav.id,
        kind: 'task_due',
        text: `A task of yours in Northeast is due ${calendar.describe(due)}`,
      },
    ]);
    // Again: nothing new.
    expect((await remindDueTasks(t.deps.db, deps, mn('2026-11-20', 12))).notifications).toBe(0);
    // Overdue over the weekend: 1 business hour on Friday, 3 on Monday → Monday 11:00.
    expect((await remindDueTasks(t.deps.db, deps, mn('2026-11-23', 10, 59))).escalated).toBe(0);
    expect(await remindDueTasks(t.deps.db, deps, mn('2026-11-23', 11))).toEqual({
      reminded: 0,
      escalated: 1,
      notifications: 2,
    });
    const escalated = (await notified(link)).filter((n) => n.kind === 'task_overdue');
    expect(escalated.map((n) => n.user_id).sort()).toEqual([colleague.id, other.id].sort());
    expect(escalated[0]!.text).toBe(`A task in Northeast is overdue: it was due ${calendar.describe(due)}`);
    expect((await remindDueTasks(t.deps.db, deps, mn('2026-11-24', 11))).notifications).toBe(0);

    const row = await taskRow(t.deps.db, id);
    expect(row.reminded_at).toEqual(mn('2026-11-19', 16));
    expect(row.escalated_at).toEqual(mn('2026-11-23', 11));
    expect(await caseEventNames(t.deps.db, caseId, ['task.reminded', 'task.escalated'])).toEqual([
      'task.reminded',
      'task.escalated',
    ]);
    const audit = await auditEvents(t.deps.db, { subjectId: id, action: ['task.remind', 'task.escalate'] });
    expect(audit).toMatchObject([
      { action: 'task.remind', actor_kind: 'system' },
      { action: 'task.escalate', actor_kind: 'system' },
    ]);

    // The emails hold the sentence and the link, never the title.
    const outbox = await t.deps.db
      .selectFrom('email_outbox')
      .select(['id', 'body_text'])
      .orderBy('created_at')
      .execute();
    expect(outbox.length).toBeGreaterThanOrEqual(3);
    for (const email of outbox) {
      const body = await decryptField(
        t.deps.keyring,
        { table: 'email_outbox', recordId: email.id, field: 'body_text' },
        email.body_text!,
      );
      expect(body).not.toContain('Synthetic Sky');
      expect(body).not.toContain('shelter');
    }

    // Reopened after being done: reminded and escalated again.
    await setTaskDone(at(mn('2026-11-24', 12)), nav.actor, id, true, ORIGIN);
    expect((await remindDueTasks(t.deps.db, deps, mn('2026-11-24', 13))).notifications).toBe(0);
    await setTaskDone(at(mn('2026-11-24', 14)), nav.actor, id, false, ORIGIN);
    expect(await remindDueTasks(t.deps.db, deps, mn('2026-11-24', 15))).toMatchObject({
      reminded: 1,
      escalated: 1,
    });
  });

  it('tells every navigator of the region about an unassigned task, and the state administrators when nobody else can be told', async () => {
    const id = await createTask(
      at(mn('2026-12-01', 9)),
      nav.actor,
      { caseId: null, regionId: 'northeast', title: 'Order bus passes', dueAt: mn('2026-12-02', 9) },
      ORIGIN,
    );
    // Made 24 hours before its due time: not reminded as it is made, but halfway, at 21:00.
    expect((await remindDueTasks(t.deps.db, deps, mn('2026-12-01', 9))).reminded).toBe(0);
    expect((await remindDueTasks(t.deps.db, deps, mn('2026-12-01', 20, 59))).reminded).toBe(0);
    await remindDueTasks(t.deps.db, deps, mn('2026-12-01', 21));
    const reminded = await t.deps.db
      .selectFrom('staff_notifications')
      .select('user_id')
      .where('kind', '=', 'task_due')
      .where('created_at', '=', mn('2026-12-01', 21))
      .execute();
    expect(reminded.map((r) => r.user_id).sort()).toEqual([nav.id, colleague.id, other.id].sort());

    const lonely = await addCase(t.deps, { regionId: 'west-central', countyFips: '27027' });
    const solo = await addStaff(t.deps, 'navigator', ['west-central']);
    await createTask(
      at(mn('2026-12-01', 9)),
      solo.actor,
      { caseId: lonely, title: 'Call back', dueAt: mn('2026-12-01', 10), assigneeUserId: solo.id },
      ORIGIN,
    );
    await remindDueTasks(t.deps.db, deps, mn('2026-12-01', 14));
    const escalated = await notified(`/staff/cases/${lonely}/tasks`);
    expect(escalated.filter((n) => n.kind === 'task_overdue').map((n) => n.user_id)).toEqual([admin.id]);
    expect(id).toBeTruthy();
  });

  it('follows configured thresholds, and runs as a recurring job with a clock', async () => {
    const id = await createTask(
      at(mn('2026-12-07', 9)),
      nav.actor,
      { caseId, title: 'Check in', dueAt: mn('2026-12-07', 12), assigneeUserId: nav.id },
      ORIGIN,
    );
    const settings = { remindBeforeHours: 0, escalateAfterBusinessHours: 1 };
    const job = taskRemindersJob(t.deps.db, { ...deps, settings }, () => mn('2026-12-07', 11, 59));
    expect(job).toMatchObject({ name: 'task-reminders', cron: '* * * * *' });
    expect(await job.run(new Date())).toMatchObject({ reminded: 0 });
    expect(await remindDueTasks(t.deps.db, { ...deps, settings }, mn('2026-12-07', 12))).toMatchObject({
      reminded: 1,
      escalated: 0,
    });
    expect(await remindDueTasks(t.deps.db, { ...deps, settings }, mn('2026-12-07', 13))).toMatchObject({
      escalated: 1,
    });
    expect(id).toBeTruthy();
  });
});
