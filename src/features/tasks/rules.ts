/**
 * The pure rules of tasks: where a task stands by its due time (overdue, due today, upcoming), the
 * pathway's duties that can become tasks and when they fall due, the form's due-time text, and where a
 * task links to. No I/O.
 */
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { deadlineOf, type ActionCode } from '../pathway/index.ts';
import { inEffectOn } from '../pathway/index.ts';
import type { Audience, Rule, Ruleset } from '../pathway/index.ts';
import type { CaseRow } from '../cases/index.ts';
import type { TaskSource } from '../cases/index.ts';

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

/** The most a due time may lie ahead. */
export const MAX_AHEAD_MS = 2 * 366 * 24 * 3_600_000;

/** Where a task's notifications and list entries point. */
export function taskLink(task: {
  caseId: string | null;
  source: TaskSource;
  sourceRef: string | null;
}): string {
  if (task.source === 'transfer' && task.sourceRef) return `/staff/transfers/${task.sourceRef}`;
  return task.caseId ? `/staff/cases/${task.caseId}/tasks` : '/staff/tasks';
}

/** A case's tasks in the order its tab shows them: open first, soonest due; then done, newest first. */
export function caseTaskOrder(
  a: { id: string; dueAt: Date; completedAt: Date | null },
  b: { id: string; dueAt: Date; completedAt: Date | null },
): number {
  if (!a.completedAt !== !b.completedAt) return a.completedAt ? 1 : -1;
  if (a.completedAt && b.completedAt) return b.completedAt.getTime() - a.completedAt.getTime();
  return a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id);
}

/** Why a task may not be marked done or reopened (a conflict), or null when it may. */
export function doneRefusal(
  task: { source: TaskSource; completedAt: Date | null },
  done: boolean,
): string | null {
  if (task.source === 'transfer')
    return 'This task is done when the transfer is accepted, declined or cancelled. Open the transfer to decide.';
  if (done && task.completedAt) return 'This task is already done.';
  if (!done && !task.completedAt) return 'This task is still open.';
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The shapes of tasks, as the service gives them

/** A person who can be given tasks of a region: an active navigator of it. */
export interface Assignable {
  id: string;
  name: string;
}

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

export interface TaskFilters {
  due?: DueView;
  scope?: TaskScope;
  /** One of the actor's regions (for the region view). */
  regionId?: string;
  limit?: number;
}

export interface CaseTasks {
  case: CaseRow;
  label: string;
  regionName: string;
  tasks: Task[];
  /** Pathway action codes that already have a task on this case. */
  pathwayDone: ActionCode[];
}

/** Where a task's sealed title is (the address its encryption is bound to). */
export const titleAddress = (taskId: string) => ({
  table: 'tasks',
  recordId: taskId,
  field: 'title_encrypted',
});
