/**
 * Tasks and deadlines of case coordination: created by hand (with or without a case), from a case's
 * pathway actions (due at the action's absolute deadline), from referrals (follow-ups, through
 * `createFollowUpTask`) and by a transfer request (the receiving region's decision); completed and
 * reopened; listed per navigator ("mine": overdue, due today, upcoming) and per region.
 *
 * A task's title may say something about the young person, so it is encrypted: under the case's key
 * (scope `case:<id>`, destroyed with the case) or, for a task without a case, under the shared key. Its
 * region, assignee, source and times stay in clear for the lists, reminders and escalation
 * (`task-reminders.ts`).
 *
 * Who may do what is the permission model's: `cases.read` sees the tasks of the regions it covers
 * (navigators: their own; state administrators: all), `cases.write` creates, completes and reopens them
 * (navigators of the task's region). A task outside the actor's regions is answered like a missing one.
 * Every read of titles is audited (`task.list`) and every change writes the case's timeline and an
 * audit record last, in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { actorKind, can, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { SHARED_SCOPE, decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { staffNames } from '../queue/service.ts';
import { activeStaff } from '../notifications/service.ts';
import { deadlineOf, evaluatePathway, type ActionCode, type PathwayFacts } from '../pathway/index.ts';
import { inEffectOn } from '../pathway/engine.ts';
import type { Audience, Rule, Ruleset } from '../pathway/ruleset.ts';
import {
  CaseError,
  auditCase,
  caseScope,
  caseScopeOf,
  findCase,
  nowOf,
  openPersonal,
  recordCaseEvent,
  type CaseContext,
  type CaseRow,
  type RequestOrigin,
} from '../cases/core.ts';
import type { TaskSource } from '../cases/tables.ts';

// ---------------------------------------------------------------------------------------------------
// Context

/** What tasks, transfers and safety plans need: the case context, the site for email links, the pathway. */
export interface CoordinationContext extends CaseContext {
  site: SiteOrigin;
  pathway: Ruleset;
}

export function coordinationContext(deps: AppDeps): CoordinationContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    calendar: deps.rules.calendar,
    vocabularies: deps.rules.vocabularies,
    site: deps.site,
    pathway: deps.rules.pathway,
  };
}

// ---------------------------------------------------------------------------------------------------
// Rules (pure)

export const TASK_TITLE_MAX = 200;
/** The most tasks one list shows. */
export const TASK_LIST_LIMIT = 200;

export const DUE_VIEWS = ['overdue', 'today', 'upcoming', 'all'] as const;
export type DueView = (typeof DUE_VIEWS)[number];
export const DUE_VIEW_NAMES: Record<DueView, string> = {
  overdue: 'Overdue',
  today: 'Due today',
  upcoming: 'Upcoming',
  all: 'All open tasks',
};

export const TASK_SCOPES = ['mine', 'region'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

export const SOURCE_NAMES: Record<TaskSource, string> = {
  pathway: 'Pathway duty',
  referral: 'Referral follow-up',
  manual: 'Added by hand',
  intake: 'From the referral queue',
  transfer: 'Transfer decision',
};

export type DueState = 'done' | 'overdue' | 'today' | 'upcoming';

/** The end of the calendar day of `now` in the jurisdiction's time zone (midnight that starts tomorrow). */
export function endOfLocalDay(calendar: BusinessCalendar, now: Date): Date {
  const today = calendar.local(now).date;
  const next = new Date(`${today}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return calendar.instant(next.toISOString().slice(0, 10));
}

/**
 * Where a task stands at `now`: done, overdue (its due time has passed), due today (before midnight in
 * the jurisdiction's time zone) or upcoming.
 *
 * @example
 * dueState(calendar, { dueAt: tomorrowNoon, completedAt: null }, now) // 'upcoming'
 */
export function dueState(
  calendar: BusinessCalendar,
  task: { dueAt: Date; completedAt: Date | null },
  now: Date,
): DueState {
  if (task.completedAt) return 'done';
  if (task.dueAt.getTime() <= now.getTime()) return 'overdue';
  return task.dueAt.getTime() < endOfLocalDay(calendar, now).getTime() ? 'today' : 'upcoming';
}

/** The pathway text a navigator reads for a duty: the words for whom the duty binds. */
function audienceOf(binds: Rule['binds']): Audience[] {
  switch (binds) {
    case 'child_protection':
      return ['child_protection', 'professional', 'default'];
    case 'official':
      return ['official', 'professional', 'default'];
    case 'reporter':
      return ['mandated', 'professional', 'default'];
    case 'anyone':
      return ['professional', 'default'];
  }
}

/** A pathway action a task can be made from: it has a deadline. */
export interface TaskableAction {
  code: ActionCode;
  title: string;
  deadlineHours: number;
  deadlineBusinessDays: boolean;
}

/** Calling 911 is done at once, never tracked as a task. */
const NOT_TASKS: readonly ActionCode[] = ['CALL_911'];

/**
 * The pathway's actions with a deadline, as in effect on `date` (YYYY-MM-DD), in the rules file's order.
 *
 * @example
 * taskableActions(ruleset, '2026-12-01').find((a) => a.code === 'RETURN_MEETING_24H')
 * // { code: 'RETURN_MEETING_24H', title: 'Meet the youth within 24 hours of being found', deadlineHours: 24, … }
 */
export function taskableActions(ruleset: Ruleset, date: string): TaskableAction[] {
  const found = new Map<ActionCode, TaskableAction>();
  for (const rule of ruleset.rules) {
    if (found.has(rule.code) || !inEffectOn(rule, date)) continue;
    if (rule.deadlineHours === undefined || NOT_TASKS.includes(rule.code)) continue;
    const text = audienceOf(rule.binds)
      .map((a) => rule.text[a])
      .find((t) => t !== undefined);
    found.set(rule.code, {
      code: rule.code,
      title: (text ?? rule.text.default).title,
      deadlineHours: rule.deadlineHours,
      deadlineBusinessDays: rule.deadlineBusinessDays ?? false,
    });
  }
  return [...found.values()];
}

/** "within 24 hours", "within 72 hours, not counting weekends and holidays", "at once". */
export function deadlineWords(
  action: Pick<TaskableAction, 'deadlineHours' | 'deadlineBusinessDays'>,
): string {
  if (action.deadlineHours === 0) return 'at once';
  const hours = `within ${action.deadlineHours} ${action.deadlineHours === 1 ? 'hour' : 'hours'}`;
  return action.deadlineBusinessDays ? `${hours}, not counting weekends and holidays` : hours;
}

/** When a task made from `action` falls due, counted from `from`. */
export function pathwayDueAt(action: TaskableAction, from: Date, calendar: BusinessCalendar): Date {
  const due = deadlineOf(
    {
      code: action.code,
      required: true,
      deadlineHours: action.deadlineHours,
      ...(action.deadlineBusinessDays ? { deadlineBusinessDays: true } : {}),
      binds: 'anyone',
      title: action.title,
      explanation: '',
      basis: [],
    },
    from,
    calendar,
  );
  return due ?? from;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters other than line breaks and tabs. */
const hasControl = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));

/** Checks a title as a person typed it; the error names the field. */
export function checkTitle(raw: string, field = 'title'): string {
  const title = raw.trim().replace(/\s+/g, ' ');
  if (!title) throw new CaseError('invalid', 'Say what needs doing.', field);
  if (title.length > TASK_TITLE_MAX)
    throw new CaseError('invalid', `Keep the task to ${TASK_TITLE_MAX} characters or fewer.`, field);
  if (hasControl(title))
    throw new CaseError('invalid', 'Use letters, numbers, spaces and punctuation in the task.', field);
  return title;
}

/**
 * A due time typed in a form (`YYYY-MM-DDTHH:MM`, the jurisdiction's wall-clock time) as an instant.
 * Null when the text is not such a time.
 */
export function parseLocalDateTime(calendar: BusinessCalendar, text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return null;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return calendar.instant(date, h, mi);
}

/** The `datetime-local` value of an instant, in the jurisdiction's time. */
export function localDateTimeValue(calendar: BusinessCalendar, at: Date): string {
  const l = calendar.local(at);
  return `${l.date}T${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}

const MAX_AHEAD_MS = 2 * 366 * 24 * 3_600_000;

function checkDue(dueAt: Date | null, now: Date, field = 'due'): Date {
  if (!dueAt || Number.isNaN(dueAt.getTime()))
    throw new CaseError('invalid', 'Enter when it is due, as a date and a time.', field);
  if (dueAt.getTime() <= now.getTime())
    throw new CaseError('invalid', 'Choose a due time in the future.', field);
  if (dueAt.getTime() - now.getTime() > MAX_AHEAD_MS)
    throw new CaseError('invalid', 'Choose a due time within the next two years.', field);
  return dueAt;
}

// ---------------------------------------------------------------------------------------------------
// Storage helpers

const titleAddress = (taskId: string) => ({ table: 'tasks', recordId: taskId, field: 'title_encrypted' });

function sealTitle(
  keyring: Keyring,
  taskId: string,
  caseId: string | null,
  title: string,
  trx: Transaction<DB>,
): Promise<Buffer> {
  return encryptField(
    keyring,
    { scope: caseId ? caseScope(caseId) : SHARED_SCOPE, ...titleAddress(taskId) },
    title,
    trx,
  );
}

function openTitle(keyring: Keyring, taskId: string, sealed: Buffer, trx?: Transaction<DB>): Promise<string> {
  return decryptField(keyring, titleAddress(taskId), sealed, trx);
}

/** A person who can be given tasks of a region: an active navigator of it. */
export interface Assignable {
  id: string;
  name: string;
}

/** The navigators a task of the region can be assigned to, by name. */
export async function assignableNavigators(
  ctx: Pick<CaseContext, 'db' | 'keyring'>,
  regionId: string,
): Promise<Assignable[]> {
  const people = await activeStaff(ctx.db, 'navigator', regionId);
  const names = await staffNames(
    ctx,
    people.map((p) => p.id),
  );
  return people
    .map((p) => ({ id: p.id, name: names.get(p.id) ?? 'a colleague' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function checkAssignee(
  trx: Transaction<DB>,
  regionId: string,
  assigneeUserId: string | null | undefined,
  field = 'assignee',
): Promise<string | null> {
  if (!assigneeUserId) return null;
  const ok =
    UUID.test(assigneeUserId) &&
    (await activeStaff(trx, 'navigator', regionId)).some((p) => p.id === assigneeUserId.toLowerCase());
  if (!ok)
    throw new CaseError('invalid', 'Choose a navigator of the region from the list, or nobody yet.', field);
  return assigneeUserId.toLowerCase();
}

/** Where a task's notifications and list entries point. */
export function taskLink(task: {
  caseId: string | null;
  source: TaskSource;
  sourceRef: string | null;
}): string {
  if (task.source === 'transfer' && task.sourceRef) return `/staff/transfers/${task.sourceRef}`;
  return task.caseId ? `/staff/cases/${task.caseId}/tasks` : '/staff/tasks';
}

/** The audit record of a change to a task: about the case when there is one. */
async function auditTask(
  trx: Transaction<DB>,
  actor: Actor,
  origin: RequestOrigin,
  task: { id: string; caseId: string | null; regionId: string },
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  if (task.caseId) {
    await auditCase(trx, actor, origin, {
      action,
      caseId: task.caseId,
      subjectType: 'task',
      subjectId: task.id,
      details: { region: task.regionId, ...details },
    });
    return;
  }
  await recordAudit(trx, {
    actorKind: actorKind(actor),
    actorUserId: actor.userId,
    action,
    subjectType: 'task',
    subjectId: task.id,
    organizationId: actor.organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    details: { region: task.regionId, ...details },
  });
}

/** The name a case goes by on its pages (its chosen name). Decrypts: call inside an audited read. */
export async function caseLabel(keyring: Keyring, row: CaseRow): Promise<string> {
  return (await openPersonal(keyring, row)).chosenName;
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface Task {
  id: string;
  caseId: string | null;
  regionId: string;
  regionName: string;
  assignee: Assignable | null;
  source: TaskSource;
  sourceRef: string | null;
  title: string;
  dueAt: Date;
  completedAt: Date | null;
  completedBy: Assignable | null;
  createdAt: Date;
  createdBy: Assignable | null;
  link: string;
}

const TASK_COLUMNS = [
  't.id',
  't.case_id',
  't.region_id',
  'r.name as region_name',
  't.assignee_user_id',
  't.source',
  't.source_ref',
  't.title_encrypted',
  't.due_at',
  't.completed_at',
  't.completed_by',
  't.created_at',
  't.created_by',
] as const;

function taskQuery(db: Database | Transaction<DB>) {
  return db.selectFrom('tasks as t').innerJoin('regions as r', 'r.id', 't.region_id').select(TASK_COLUMNS);
}
type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

async function toTasks(ctx: Pick<CaseContext, 'db' | 'keyring'>, rows: TaskRow[], trx: Transaction<DB>) {
  const names = await staffNames(
    ctx,
    rows.flatMap((r) => [r.assignee_user_id, r.completed_by, r.created_by]),
    trx,
  );
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? 'a colleague' } : null);
  const tasks: Task[] = [];
  for (const r of rows) {
    tasks.push({
      id: r.id,
      caseId: r.case_id,
      regionId: r.region_id,
      regionName: r.region_name,
      assignee: person(r.assignee_user_id),
      source: r.source,
      sourceRef: r.source_ref,
      title: await openTitle(ctx.keyring, r.id, r.title_encrypted, trx),
      dueAt: r.due_at,
      completedAt: r.completed_at,
      completedBy: person(r.completed_by),
      createdAt: r.created_at,
      createdBy: person(r.created_by),
      link: taskLink({ caseId: r.case_id, source: r.source, sourceRef: r.source_ref }),
    });
  }
  return tasks;
}

export interface TaskFilters {
  due?: DueView;
  scope?: TaskScope;
  /** One of the actor's regions (for the region view). */
  regionId?: string;
  limit?: number;
}

/** Case ids an audit record can list (the details hold at most 8 KB). */
const AUDIT_CASE_IDS = 150;

/**
 * The open tasks the actor may see, soonest due first: `mine` (assigned to them) or `region` (the tasks
 * of their regions, or of every region for a state administrator), narrowed to overdue, due today or
 * upcoming. Titles are decrypted, so the read is audited (`task.list`, with the cases it touched).
 *
 * @example
 * const overdue = await listTasks(ctx, navigator, { due: 'overdue', scope: 'mine' }, origin);
 */
export async function listTasks(
  ctx: CaseContext,
  actor: Actor,
  filters: TaskFilters,
  origin: RequestOrigin,
): Promise<Task[]> {
  const scope = caseScopeOf(actor, 'cases.read');
  if (!scope) throw new CaseError('forbidden', 'You do not have permission to see tasks.');
  const view = filters.scope ?? 'mine';
  const due = filters.due ?? 'all';
  if (filters.regionId !== undefined && !can(actor, 'cases.read', { regionId: filters.regionId }))
    throw new CaseError('invalid', 'Choose one of your regions from the list.', 'region');
  if (!scope.all && scope.regions.length === 0) return [];
  const now = nowOf(ctx);
  const endOfToday = endOfLocalDay(ctx.calendar, now);
  return ctx.db.transaction().execute(async (trx) => {
    let q = taskQuery(trx).where('t.completed_at', 'is', null);
    if (!scope.all) q = q.where('t.region_id', 'in', scope.regions);
    if (filters.regionId !== undefined) q = q.where('t.region_id', '=', filters.regionId);
    if (view === 'mine') q = q.where('t.assignee_user_id', '=', actor.userId);
    if (due === 'overdue') q = q.where('t.due_at', '<=', now);
    if (due === 'today') q = q.where('t.due_at', '>', now).where('t.due_at', '<', endOfToday);
    if (due === 'upcoming') q = q.where('t.due_at', '>=', endOfToday);
    const rows = await q
      .orderBy('t.due_at')
      .orderBy('t.id')
      .limit(Math.min(Math.max(filters.limit ?? TASK_LIST_LIMIT, 1), TASK_LIST_LIMIT))
      .execute();
    const tasks = await toTasks(ctx, rows, trx);
    if (tasks.length) {
      const cases = [...new Set(tasks.map((t) => t.caseId).filter((id): id is string => id !== null))];
      await recordAudit(trx, {
        actorKind: actorKind(actor),
        actorUserId: actor.userId,
        action: 'task.list',
        subjectType: 'task',
        organizationId: actor.organizationId,
        ip: origin.ip,
        userAgent: origin.userAgent,
        details: {
          scope: view,
          due,
          region: filters.regionId ?? null,
          tasks: tasks.length,
          cases: cases.slice(0, AUDIT_CASE_IDS),
          more_cases: Math.max(cases.length - AUDIT_CASE_IDS, 0),
        },
      });
    }
    return tasks;
  });
}

export interface CaseTasks {
  case: CaseRow;
  label: string;
  regionName: string;
  tasks: Task[];
  /** Pathway action codes that already have a task on this case. */
  pathwayDone: ActionCode[];
}

/**
 * The tasks of one case (open first, soonest due; then completed, newest first), with its label. An
 * audited read (`task.list`).
 */
export async function caseTasks(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<CaseTasks> {
  if (!caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see cases.');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = await taskQuery(trx).where('t.case_id', '=', row.id).execute();
    const tasks = await toTasks(ctx, rows, trx);
    tasks.sort((a, b) => {
      if (!a.completedAt !== !b.completedAt) return a.completedAt ? 1 : -1;
      if (a.completedAt && b.completedAt) return b.completedAt.getTime() - a.completedAt.getTime();
      return a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id);
    });
    const region = await trx
      .selectFrom('regions')
      .select('name')
      .where('id', '=', row.region_id)
      .executeTakeFirstOrThrow();
    const label = await caseLabel(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'task.list',
      caseId: row.id,
      details: { tasks: tasks.length },
    });
    return {
      case: row,
      label,
      regionName: region.name,
      tasks,
      pathwayDone: tasks
        .filter((t) => t.source === 'pathway' && t.sourceRef)
        .map((t) => t.sourceRef as ActionCode),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Creating

interface NewTask {
  caseId: string | null;
  regionId: string;
  assigneeUserId: string | null;
  source: TaskSource;
  sourceRef: string | null;
  title: string;
  dueAt: Date;
  createdBy: string | null;
  now: Date;
}

/** Inserts a task and, for a case, its `task.created` timeline line (no permission checks). */
async function insertTask(trx: Transaction<DB>, keyring: Keyring, task: NewTask): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('tasks')
    .values({
      id,
      case_id: task.caseId,
      region_id: task.regionId,
      assignee_user_id: task.assigneeUserId,
      source: task.source,
      source_ref: task.sourceRef,
      title_encrypted: await sealTitle(keyring, id, task.caseId, task.title, trx),
      due_at: task.dueAt,
      created_by: task.createdBy,
      created_at: task.now,
    })
    .execute();
  if (task.caseId)
    await recordCaseEvent(trx, {
      caseId: task.caseId,
      actorUserId: task.createdBy,
      event: 'task.created',
      detail: {
        task: id,
        source: task.source,
        ...(task.sourceRef ? { source_ref: task.sourceRef } : {}),
        region: task.regionId,
        due_at: task.dueAt.toISOString(),
        assigned: task.assigneeUserId !== null,
      },
      at: task.now,
    });
  return id;
}

export interface ManualTaskInput {
  /** The case, or null for a task of a region without a case. */
  caseId: string | null;
  /** For a task without a case: one of the actor's regions. Ignored with a case (its region counts). */
  regionId?: string | null;
  title: string;
  dueAt: Date | null;
  assigneeUserId?: string | null;
}

/**
 * Adds a task by hand: to a case (in the case's region) or to one of the actor's regions without a
 * case. The assignee, if any, must be an active navigator of that region.
 *
 * @example
 * const id = await createTask(ctx, navigator, { caseId, title: 'Call the school counsellor back', dueAt }, origin);
 */
export async function createTask(
  ctx: CaseContext,
  actor: Actor,
  input: ManualTaskInput,
  origin: RequestOrigin,
): Promise<string> {
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to add tasks.');
  const now = nowOf(ctx);
  const title = checkTitle(input.title);
  const dueAt = checkDue(input.dueAt, now);
  return ctx.db.transaction().execute(async (trx) => {
    let regionId: string;
    if (input.caseId) {
      const row = await findCase(trx, actor, input.caseId, 'cases.write', { forUpdate: true });
      if (row.status !== 'open')
        throw new CaseError('conflict', 'This case is closed: tasks cannot be added to it.');
      regionId = row.region_id;
    } else {
      if (!input.regionId || !can(actor, 'cases.write', { regionId: input.regionId }))
        throw new CaseError('invalid', 'Choose one of your regions from the list.', 'region');
      regionId = input.regionId;
    }
    const assignee = await checkAssignee(trx, regionId, input.assigneeUserId);
    const caseId = input.caseId ? input.caseId.toLowerCase() : null;
    const id = await insertTask(trx, ctx.keyring, {
      caseId,
      regionId,
      assigneeUserId: assignee,
      source: 'manual',
      sourceRef: null,
      title,
      dueAt,
      createdBy: actor.userId,
      now,
    });
    await auditTask(trx, actor, origin, { id, caseId, regionId }, 'task.create', {
      source: 'manual',
      assigned: assignee !== null,
    });
    return id;
  });
}

export interface PathwayTaskInput {
  /** Chosen action codes (from `taskableActions`). */
  codes?: readonly string[];
  /** Or facts: every action with a deadline the pathway answers for them. */
  facts?: PathwayFacts;
  /** When the deadlines start (default now; not in the future). */
  from?: Date | null;
  assigneeUserId?: string | null;
}

/**
 * Turns a case's pathway actions into tasks, each due at the action's absolute deadline counted from
 * `from` (`deadlineOf`: clock hours, or hours on business days only). Idempotent per case and action
 * code: an action that already has a task (open or done) on the case is skipped.
 *
 * @example
 * await createTasksFromPathway(ctx, navigator, caseId, { codes: ['RETURN_MEETING_24H'] }, origin);
 * // { created: [<task id>], skipped: [] } — "Meet the youth within 24 hours of being found", due in 24 hours
 */
export async function createTasksFromPathway(
  ctx: CoordinationContext,
  actor: Actor,
  caseId: string,
  input: PathwayTaskInput,
  origin: RequestOrigin,
): Promise<{ created: string[]; skipped: ActionCode[] }> {
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to add tasks.');
  const now = nowOf(ctx);
  const from = input.from ?? now;
  if (Number.isNaN(from.getTime()) || from.getTime() > now.getTime())
    throw new CaseError('invalid', 'The time the deadlines count from cannot be in the future.', 'from');
  const available = taskableActions(ctx.pathway, ctx.calendar.local(from).date);
  let codes: string[];
  if (input.facts) {
    codes = evaluatePathway(input.facts, ctx.pathway).actions.map((a) => a.code);
    codes = codes.filter((c) => available.some((a) => a.code === c));
  } else {
    codes = [...new Set(input.codes ?? [])];
    if (codes.length === 0)
      throw new CaseError('invalid', 'Choose at least one duty to add as a task.', 'codes');
    if (codes.some((c) => !available.some((a) => a.code === c)))
      throw new CaseError('invalid', 'Choose duties from the list.', 'codes');
  }
  const actions = available.filter((a) => codes.includes(a.code));
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: tasks cannot be added to it.');
    const assignee = await checkAssignee(trx, row.region_id, input.assigneeUserId);
    const existing = new Set(
      actions.length
        ? (
            await trx
              .selectFrom('tasks')
              .select('source_ref')
              .where('case_id', '=', row.id)
              .where('source', '=', 'pathway')
              .where(
                'source_ref',
                'in',
                actions.map((a) => a.code),
              )
              .execute()
          ).map((r) => r.source_ref)
        : [],
    );
    const created: string[] = [];
    const skipped: ActionCode[] = [];
    for (const action of actions) {
      if (existing.has(action.code)) {
        skipped.push(action.code);
        continue;
      }
      const id = await insertTask(trx, ctx.keyring, {
        caseId: row.id,
        regionId: row.region_id,
        assigneeUserId: assignee,
        source: 'pathway',
        sourceRef: action.code,
        title: action.title,
        dueAt: pathwayDueAt(action, from, ctx.calendar),
        createdBy: actor.userId,
        now,
      });
      created.push(id);
    }
    if (created.length)
      await auditCase(trx, actor, origin, {
        action: 'task.create',
        caseId: row.id,
        details: {
          source: 'pathway',
          codes: actions.filter((a) => !skipped.includes(a.code)).map((a) => a.code),
          tasks: created,
        },
      });
    return { created, skipped };
  });
}

/**
 * A referral's follow-up task, inside the caller's transaction (the referral's change): for the
 * referrals module, which has already checked the actor's permission and records its own audit event.
 * Writes the task (title encrypted under the case's key, `source` 'referral', `source_ref` the
 * referral's id) and a `task.created` line on the case's timeline. While an open follow-up task of the
 * referral exists, it is returned unchanged instead of adding another.
 *
 * @example
 * const taskId = await createFollowUpTask(trx, ctx, {
 *   caseId, regionId: row.region_id, referralId, title: 'Check whether the shelter answered',
 *   dueAt: ctx.calendar.addBusinessDays(now, 2),
 * });
 */
export async function createFollowUpTask(
  trx: Transaction<DB>,
  ctx: Pick<CaseContext, 'keyring' | 'now'>,
  input: {
    caseId: string;
    regionId: string;
    referralId: string;
    dueAt: Date;
    title: string;
    /** Default: nobody (the region's navigators see it in the region view). */
    assigneeUserId?: string | null;
    /** Who asked for it (null for a job). */
    createdBy?: string | null;
  },
): Promise<string> {
  const title = checkTitle(input.title);
  const open = await trx
    .selectFrom('tasks')
    .select('id')
    .where('case_id', '=', input.caseId)
    .where('source', '=', 'referral')
    .where('source_ref', '=', input.referralId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  if (open) return open.id;
  return insertTask(trx, ctx.keyring, {
    caseId: input.caseId,
    regionId: input.regionId,
    assigneeUserId: input.assigneeUserId ?? null,
    source: 'referral',
    sourceRef: input.referralId,
    title,
    dueAt: input.dueAt,
    createdBy: input.createdBy ?? null,
    now: nowOf(ctx),
  });
}

/**
 * The transfer's decision task for the receiving region (inside the transfer request's transaction):
 * unassigned, so every navigator of that region sees it, is reminded and escalated like any task.
 */
export async function createTransferTask(
  trx: Transaction<DB>,
  keyring: Keyring,
  input: {
    caseId: string;
    toRegionId: string;
    transferId: string;
    title: string;
    dueAt: Date;
    createdBy: string;
    now: Date;
  },
): Promise<string> {
  return insertTask(trx, keyring, {
    caseId: input.caseId,
    regionId: input.toRegionId,
    assigneeUserId: null,
    source: 'transfer',
    sourceRef: input.transferId,
    title: input.title,
    dueAt: input.dueAt,
    createdBy: input.createdBy,
    now: input.now,
  });
}

// ---------------------------------------------------------------------------------------------------
// Completing and reopening

const TASK_NOT_FOUND = 'There is no such task, or it is not in your regions.';

/**
 * Marks a task done, or open again. Navigators of the task's region may; a transfer's decision task
 * changes only with the transfer's decision; a task of a closed case cannot be reopened.
 *
 * @example
 * await setTaskDone(ctx, navigator, taskId, true, origin);
 */
export async function setTaskDone(
  ctx: CaseContext,
  actor: Actor,
  taskId: string,
  done: boolean,
  origin: RequestOrigin,
): Promise<{ caseId: string | null }> {
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to change tasks.');
  if (!UUID.test(taskId)) throw new CaseError('not_found', TASK_NOT_FOUND);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const task = await trx
      .selectFrom('tasks')
      .select(['id', 'case_id', 'region_id', 'source', 'completed_at'])
      .where('id', '=', taskId.toLowerCase())
      .forUpdate()
      .executeTakeFirst();
    if (!task || !can(actor, 'cases.read', { regionId: task.region_id }))
      throw new CaseError('not_found', TASK_NOT_FOUND);
    if (!can(actor, 'cases.write', { regionId: task.region_id }))
      throw new CaseError('forbidden', 'Only the navigators of the task’s region can change it.');
    if (task.source === 'transfer')
      throw new CaseError(
        'conflict',
        'This task is done when the transfer is accepted, declined or cancelled. Open the transfer to decide.',
      );
    if (done && task.completed_at) throw new CaseError('conflict', 'This task is already done.');
    if (!done && !task.completed_at) throw new CaseError('conflict', 'This task is still open.');
    if (!done && task.case_id) {
      const row = await trx
        .selectFrom('cases')
        .select('status')
        .where('id', '=', task.case_id)
        .executeTakeFirst();
      if (row?.status !== 'open')
        throw new CaseError('conflict', 'This case is closed: its tasks cannot be reopened.');
    }
    await trx
      .updateTable('tasks')
      .set(
        done
          ? { completed_at: now, completed_by: actor.userId }
          : { completed_at: null, completed_by: null, reminded_at: null, escalated_at: null },
      )
      .where('id', '=', task.id)
      .execute();
    if (task.case_id)
      await recordCaseEvent(trx, {
        caseId: task.case_id,
        actorUserId: actor.userId,
        event: done ? 'task.completed' : 'task.reopened',
        detail: { task: task.id, source: task.source },
        at: now,
      });
    await auditTask(
      trx,
      actor,
      origin,
      { id: task.id, caseId: task.case_id, regionId: task.region_id },
      done ? 'task.complete' : 'task.reopen',
      { source: task.source },
    );
    return { caseId: task.case_id };
  });
}
