/**
 * Tasks with a fixed clock: created by hand (with and without a case), from pathway actions (due at
 * the absolute deadline, idempotent per action), from referrals (follow-ups); completed and reopened;
 * the due views per navigator and per region; another region's tasks unseen; titles encrypted; every
 * change on the case's timeline and in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditEvents, caseEvents, taskRow } from '../../../test/coordination.ts';
import { addStaff, type TestStaff } from '../../../test/staff.ts';
import { ServiceError } from '../../platform/errors.ts';
import {
  caseTasks,
  coordinationContext,
  createFollowUpTask,
  createTask,
  createTasksFromPathway,
  deadlineWords,
  dueState,
  endOfLocalDay,
  listTasks,
  parseLocalDateTime,
  setTaskDone,
  taskableActions,
  type CoordinationContext,
} from './service.ts';
import { ORIGIN, addCase, calendar, mn } from './testing.ts';

/** Friday 20 November 2026, 10:00 in Minnesota. */
const NOW = mn('2026-11-20', 10);

let t: TestApp;
let ctx: CoordinationContext;
let nav: TestStaff;
let colleague: TestStaff;
let southeastNav: TestStaff;
let admin: TestStaff;
let caseId: string;
let southeastCase: string;

async function expectServiceError(promise: Promise<unknown>, code: ServiceError['code'], field?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  if (field) expect((error as ServiceError).field).toBe(field);
}

const events = (id: string) => caseEvents(t.deps.db, id);

const audits = (action: string) => auditEvents(t.deps.db, { action });

beforeAll(async () => {
  t = await testApp();
  ctx = { ...coordinationContext(t.deps), now: () => NOW };
  nav = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
  colleague = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Colleague' });
  southeastNav = await addStaff(t.deps, 'navigator', ['southeast']);
  admin = await addStaff(t.deps, 'state_admin');
  caseId = await addCase(t.deps);
  southeastCase = await addCase(t.deps, { regionId: 'southeast', countyFips: '27109' });
});
afterAll(async () => {
  await t.close();
});

describe('rules', () => {
  it('knows where a task stands in Minnesota time', () => {
    expect(endOfLocalDay(calendar, NOW)).toEqual(mn('2026-11-21', 0));
    const at = (dueAt: Date, completedAt: Date | null = null) =>
      dueState(calendar, { dueAt, completedAt }, NOW);
    expect(at(mn('2026-11-20', 9))).toBe('overdue');
    expect(at(NOW)).toBe('overdue');
    expect(at(mn('2026-11-20', 23, 59))).toBe('today');
    expect(at(mn('2026-11-21', 0))).toBe('upcoming');
    expect(at(mn('2026-11-19', 9), NOW)).toBe('done');
  });

  it('reads a due time typed in a form as Minnesota time, refusing impossible dates', () => {
    expect(parseLocalDateTime(calendar, '2026-11-24T14:30')).toEqual(mn('2026-11-24', 14, 30));
    // In July, Minnesota is UTC-5.
    expect(parseLocalDateTime(calendar, '2026-07-01T09:00')?.toISOString()).toBe('2026-07-01T14:00:00.000Z');
    for (const bad of ['', '2026-02-30T10:00', '2026-11-24', '2026-13-01T10:00', '2026-11-24T25:00', 'soon'])
      expect(parseLocalDateTime(calendar, bad)).toBeNull();
  });

  it('offers the pathway duties that have a deadline, in words for the people they bind', () => {
    const actions = taskableActions(t.deps.rules.pathway, '2026-11-20');
    const meeting = actions.find((a) => a.code === 'RETURN_MEETING_24H');
    expect(meeting).toMatchObject({
      title: 'Meet the youth within 24 hours of being found',
      deadlineHours: 24,
    });
    expect(actions.map((a) => a.code)).not.toContain('CALL_911');
    expect(actions.map((a) => a.code)).not.toContain('SAFETY_PLAN');
    const written = actions.find((a) => a.code === 'WRITTEN_REPORT_72H')!;
    expect(deadlineWords(written)).toBe('within 72 hours, not counting weekends and holidays');
  });
});

describe('creating tasks', () => {
  it('adds a task to a case by hand, its title encrypted, on the timeline and in the audit log', async () => {
    const dueAt = mn('2026-11-23', 15);
    const id = await createTask(
      ctx,
      nav.actor,
      { caseId, title: 'Call the school counsellor back', dueAt, assigneeUserId: colleague.id },
      ORIGIN,
    );
    const row = await taskRow(t.deps.db, id);
    expect(row).toMatchObject({
      case_id: caseId,
      region_id: 'west-metro',
      source: 'manual',
      assignee_user_id: colleague.id,
    });
    expect(row.due_at).toEqual(dueAt);
    expect(row.title_encrypted.toString('latin1')).not.toContain('counsellor');
    expect((await events(caseId)).at(-1)).toMatchObject({
      event: 'task.created',
      detail: { task: id, source: 'manual' },
    });
    const audit = (await audits('task.create')).at(-1)!;
    expect(audit).toMatchObject({ subject_type: 'task', subject_id: id, actor_user_id: nav.id });
    expect(JSON.stringify(audit.details)).not.toContain('counsellor');
  });

  it('adds a task without a case to one of the navigator’s regions', async () => {
    const id = await createTask(
      ctx,
      nav.actor,
      {
        caseId: null,
        regionId: 'west-metro',
        title: 'Restock the outreach kits',
        dueAt: mn('2026-11-20', 16),
      },
      ORIGIN,
    );
    const row = await taskRow(t.deps.db, id);
    expect(row).toMatchObject({ case_id: null, region_id: 'west-metro', assignee_user_id: null });
  });

  it('refuses bad input, naming the field', async () => {
    const base = { caseId, title: 'A task', dueAt: mn('2026-11-23', 15) };
    await expectServiceError(
      createTask(ctx, nav.actor, { ...base, title: '  ' }, ORIGIN),
      'invalid',
      'title',
    );
    await expectServiceError(
      createTask(ctx, nav.actor, { ...base, title: 'x'.repeat(201) }, ORIGIN),
      'invalid',
      'title',
    );
    await expectServiceError(createTask(ctx, nav.actor, { ...base, dueAt: null }, ORIGIN), 'invalid', 'due');
    await expectServiceError(
      createTask(ctx, nav.actor, { ...base, dueAt: mn('2026-11-20', 9) }, ORIGIN),
      'invalid',
      'due',
    );
    await expectServiceError(
      createTask(ctx, nav.actor, { ...base, assigneeUserId: southeastNav.id }, ORIGIN),
      'invalid',
      'assignee',
    );
    await expectServiceError(
      createTask(
        ctx,
        nav.actor,
        { caseId: null, regionId: 'southeast', title: 'x', dueAt: base.dueAt },
        ORIGIN,
      ),
      'invalid',
      'region',
    );
  });

  it('answers another region’s case like a missing one, and refuses roles that cannot write', async () => {
    const input = { caseId: southeastCase, title: 'A task', dueAt: mn('2026-11-23', 15) };
    await expectServiceError(createTask(ctx, nav.actor, input, ORIGIN), 'not_found');
    await expectServiceError(createTask(ctx, admin.actor, { ...input, caseId }, ORIGIN), 'forbidden');
  });

  it('turns pathway duties into tasks due at their absolute deadline, once per duty', async () => {
    const pathwayCase = await addCase(t.deps);
    const found = mn('2026-11-20', 8);
    const first = await createTasksFromPathway(
      ctx,
      nav.actor,
      pathwayCase,
      { codes: ['RETURN_MEETING_24H', 'WRITTEN_REPORT_72H'], from: found, assigneeUserId: nav.id },
      ORIGIN,
    );
    expect(first.created).toHaveLength(2);
    const rows = await t.deps.db
      .selectFrom('tasks')
      .select(['source', 'source_ref', 'due_at', 'assignee_user_id'])
      .where('case_id', '=', pathwayCase)
      .orderBy('due_at')
      .execute();
    // 24 clock hours from Friday 8:00; 72 hours on business days only: Friday 8:00 → Wednesday 8:00
    // (Thanksgiving is Thursday 26 November 2026).
    expect(rows).toEqual([
      {
        source: 'pathway',
        source_ref: 'RETURN_MEETING_24H',
        due_at: mn('2026-11-21', 8),
        assignee_user_id: nav.id,
      },
      {
        source: 'pathway',
        source_ref: 'WRITTEN_REPORT_72H',
        due_at: mn('2026-11-25', 8),
        assignee_user_id: nav.id,
      },
    ]);
    const view = await caseTasks(ctx, nav.actor, pathwayCase, ORIGIN);
    expect(view.tasks.map((task) => task.title)).toEqual([
      'Meet the youth within 24 hours of being found',
      'Follow up in writing within 72 hours of your oral report',
    ]);
    const again = await createTasksFromPathway(
      ctx,
      nav.actor,
      pathwayCase,
      { codes: ['RETURN_MEETING_24H'] },
      ORIGIN,
    );
    expect(again).toEqual({ created: [], skipped: ['RETURN_MEETING_24H'] });
  });

  it('turns the pathway’s answer for facts into tasks for the duties with a deadline', async () => {
    const factsCase = await addCase(t.deps);
    const result = await createTasksFromPathway(
      ctx,
      nav.actor,
      factsCase,
      {
        facts: {
          asOf: '2026-11-20',
          age: 15,
          ageBand: 'under18',
          reporterRole: 'child_protection',
          exchangeForValue: 'yes',
          thirdPartyProfit: 'yes',
          allegedOffenderIsCaregiver: 'no',
          laborExploitation: 'no',
          foreignNational: 'no',
          inOutOfHomeCare: true,
          currentlyMissingFromCare: false,
          foundAfterMissingFromCare: true,
          immediateDanger: false,
          county: null,
          riskFactors: [],
        },
      },
      ORIGIN,
    );
    const refs = (
      await t.deps.db.selectFrom('tasks').select('source_ref').where('case_id', '=', factsCase).execute()
    ).map((r) => r.source_ref);
    expect(result.created.length).toBe(refs.length);
    expect(refs).toContain('RETURN_MEETING_24H');
    expect(refs).not.toContain('SAFETY_PLAN');
  });

  it('refuses unknown duties, a start in the future, and a closed case', async () => {
    await expectServiceError(
      createTasksFromPathway(ctx, nav.actor, caseId, { codes: [] }, ORIGIN),
      'invalid',
      'codes',
    );
    await expectServiceError(
      createTasksFromPathway(ctx, nav.actor, caseId, { codes: ['CALL_911'] }, ORIGIN),
      'invalid',
      'codes',
    );
    await expectServiceError(
      createTasksFromPathway(
        ctx,
        nav.actor,
        caseId,
        { codes: ['RETURN_MEETING_24H'], from: mn('2026-11-21', 8) },
        ORIGIN,
      ),
      'invalid',
      'from',
    );
    const closed = await addCase(t.deps, { status: 'closed' });
    await expectServiceError(
      createTasksFromPathway(ctx, nav.actor, closed, { codes: ['RETURN_MEETING_24H'] }, ORIGIN),
      'conflict',
    );
  });

  it('adds a referral’s follow-up inside the caller’s transaction, once while it is open', async () => {
    const referralId = '00000000-0000-4000-8000-000000000001';
    const make = () =>
      t.deps.db.transaction().execute((trx) =>
        createFollowUpTask(trx, ctx, {
          caseId,
          regionId: 'west-metro',
          referralId,
          dueAt: calendar.addBusinessDays(NOW, 2),
          title: 'Check whether the shelter answered',
        }),
      );
    const id = await make();
    expect(await make()).toBe(id);
    const row = await taskRow(t.deps.db, id);
    expect(row).toMatchObject({ source: 'referral', source_ref: referralId, assignee_user_id: null });
    expect(row.due_at).toEqual(mn('2026-11-24', 10));
    await setTaskDone(ctx, nav.actor, id, true, ORIGIN);
    expect(await make()).not.toBe(id);
  });
});

describe('completing and reopening', () => {
  it('completes and reopens a task, each on the timeline and audited; refuses twice and other regions', async () => {
    const id = await createTask(
      ctx,
      nav.actor,
      { caseId, title: 'Book an interpreter', dueAt: mn('2026-11-24', 9) },
      ORIGIN,
    );
    await setTaskDone(ctx, colleague.actor, id, true, ORIGIN);
    let row = await taskRow(t.deps.db, id);
    expect(row.completed_by).toBe(colleague.id);
    expect(row.completed_at).toEqual(NOW);
    await expectServiceError(setTaskDone(ctx, nav.actor, id, true, ORIGIN), 'conflict');
    await expectServiceError(setTaskDone(ctx, southeastNav.actor, id, false, ORIGIN), 'not_found');
    await expectServiceError(setTaskDone(ctx, admin.actor, id, false, ORIGIN), 'forbidden');
    await setTaskDone(ctx, nav.actor, id, false, ORIGIN);
    row = await taskRow(t.deps.db, id);
    expect(row.completed_at).toBeNull();
    const names = (await events(caseId)).map((e) => e.event);
    expect(names.slice(-2)).toEqual(['task.completed', 'task.reopened']);
    expect((await audits('task.complete')).at(-1)?.subject_id).toBe(id);
    expect((await audits('task.reopen')).at(-1)?.subject_id).toBe(id);
    await expectServiceError(setTaskDone(ctx, nav.actor, 'not-a-uuid', true, ORIGIN), 'not_found');
  });
});

describe('the due views', () => {
  let overdue: string;
  let today: string;
  let upcoming: string;
  let colleagues: string;

  beforeAll(async () => {
    const earlier = { ...ctx, now: () => mn('2026-11-19', 8) };
    const add = (title: string, dueAt: Date, assignee: string | null, c = ctx) =>
      createTask(c, nav.actor, { caseId, title, dueAt, assigneeUserId: assignee }, ORIGIN);
    overdue = await add('Overdue task', mn('2026-11-20', 9), nav.id, earlier);
    today = await add('Task due today', mn('2026-11-20', 17), nav.id);
    upcoming = await add('Upcoming task', mn('2026-11-27', 9), nav.id);
    colleagues = await add('A colleague’s task', mn('2026-11-20', 12), colleague.id);
    await createTask(
      ctx,
      southeastNav.actor,
      { caseId: southeastCase, title: 'Southeast task', dueAt: mn('2026-11-20', 12) },
      ORIGIN,
    );
  });

  const ids = (list: { id: string }[]) => list.map((x) => x.id);

  it('shows a navigator their own tasks: overdue, due today, upcoming', async () => {
    const mine = (due: 'overdue' | 'today' | 'upcoming' | 'all') =>
      listTasks(ctx, nav.actor, { scope: 'mine', due }, ORIGIN);
    expect(ids(await mine('overdue'))).toEqual([overdue]);
    expect(ids(await mine('today'))).toEqual([today]);
    expect(ids(await mine('upcoming'))).toContain(upcoming);
    expect(ids(await mine('upcoming'))).not.toContain(today);
    const all = await mine('all');
    expect(ids(all)).toEqual(expect.arrayContaining([overdue, today, upcoming]));
    expect(ids(all)).not.toContain(colleagues);
    expect(all.find((x) => x.id === overdue)).toMatchObject({
      title: 'Overdue task',
      link: `/staff/cases/${caseId}/tasks`,
    });
  });

  it('shows the region’s tasks to its navigators and every region’s to a state administrator', async () => {
    const region = ids(await listTasks(ctx, colleague.actor, { scope: 'region', due: 'today' }, ORIGIN));
    expect(region).toEqual(expect.arrayContaining([today, colleagues]));
    const titles = (await listTasks(ctx, nav.actor, { scope: 'region', due: 'all' }, ORIGIN)).map(
      (x) => x.title,
    );
    expect(titles).not.toContain('Southeast task');
    const everything = await listTasks(ctx, admin.actor, { scope: 'region', due: 'today' }, ORIGIN);
    expect(everything.map((x) => x.title)).toContain('Southeast task');
    await expectServiceError(
      listTasks(ctx, nav.actor, { scope: 'region', regionId: 'southeast' }, ORIGIN),
      'invalid',
      'region',
    );
  });

  it('audits a list that shows titles, with the cases it touched', async () => {
    await listTasks(ctx, nav.actor, { scope: 'mine', due: 'overdue' }, ORIGIN);
    const audit = (await audits('task.list')).at(-1)!;
    expect(audit.actor_user_id).toBe(nav.id);
    expect(audit.details).toMatchObject({ scope: 'mine', due: 'overdue', tasks: 1, cases: [caseId] });
  });

  it('refuses roles without cases.read', async () => {
    const professional = await addStaff(t.deps, 'professional');
    await expectServiceError(listTasks(ctx, professional.actor, {}, ORIGIN), 'forbidden');
  });
});
