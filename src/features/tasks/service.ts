/**
 * Tasks and deadlines of case coordination: created by hand (with or without a case), from a case's
 * pathway actions (due at the action's absolute deadline), from referrals (follow-ups, through
 * `createFollowUpTask`) and by a transfer request (the receiving region's decision); completed and
 * reopened; listed per navigator ("mine": overdue, due today, upcoming) and per region. This file reads
 * them; changes.ts (exported from here) creates, completes and reopens them.
 *
 * A task's title may say something about the young person, so it is encrypted: under the case's key
 * (scope `case:<id>`, destroyed with the case) or, for a task without a case, under the shared key. Its
 * region, assignee, source and times stay in clear for the lists, reminders and escalation (`jobs.ts`).
 *
 * Who may do what is the permission model's: `cases.read` sees the tasks of the regions it covers
 * (navigators: their own; state administrators: all), `cases.write` creates, completes and reopens them
 * (navigators of the task's region). A task outside the actor's regions is answered like a missing one.
 * Every use case checks access first, then its input. Every read of titles is audited (`task.list`) and
 * every change writes the case's timeline and an audit record last, in one transaction.
 */
import type { Transaction } from 'kysely';
import type { AppDeps } from '../../app-types.ts';
import type { DB } from '../../db/types.ts';
import { authorize, can, regionScope, type Actor, type RegionScope } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { decryptField, type Keyring } from '../../platform/crypto/index.ts';
import { InputError } from '../../platform/errors.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { staffNames } from '../queue/service.ts';
import { activeStaff } from '../notifications/service.ts';
import { type ActionCode, type Ruleset } from '../pathway/index.ts';
import {
  auditCase,
  findCase,
  nowOf,
  openPersonal,
  type CaseContext,
  type CaseRow,
  type RequestOrigin,
} from '../cases/index.ts';
import * as q from './queries.ts';
import {
  TASK_LIST_LIMIT,
  caseTaskOrder,
  endOfLocalDay,
  taskLink,
  titleAddress,
  type Assignable,
  type CaseTasks,
  type Task,
  type TaskFilters,
} from './rules.ts';

export * from './rules.ts';
export * from './changes.ts';

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
// Helpers

/** The name a case goes by on its pages (its chosen name). Decrypts: call inside an audited read. */
export async function caseLabel(keyring: Keyring, row: CaseRow): Promise<string> {
  return (await openPersonal(keyring, row)).chosenName;
}

/**
 * The navigators a task of each region can be assigned to (its active navigators), by name, for the
 * forms of a person who adds tasks.
 */
export async function assignableGroups(
  ctx: Pick<CaseContext, 'db' | 'keyring'>,
  actor: Actor,
  regions: readonly { id: string; name: string }[],
): Promise<{ regionName: string; navigators: Assignable[] }[]> {
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to add tasks.' });
  const groups = [];
  for (const r of regions) {
    const people = await activeStaff(ctx.db, 'navigator', r.id);
    const names = await staffNames(
      ctx,
      people.map((p) => p.id),
    );
    const navigators = people
      .map((p) => ({ id: p.id, name: names.get(p.id) ?? 'a colleague' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    groups.push({ regionName: r.name, navigators });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------
// Reading

async function toTasks(ctx: Pick<CaseContext, 'db' | 'keyring'>, rows: q.TaskRow[], trx: Transaction<DB>) {
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
      title: await decryptField(ctx.keyring, titleAddress(r.id), r.title_encrypted, trx),
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

/** Case ids an audit record can list (the details hold at most 8 KB). */
const AUDIT_CASE_IDS = 150;

/** The list filter of `listTasks` (and of its count): the actor's scope, view and due window. */
function listFilter(
  ctx: Pick<CaseContext, 'calendar' | 'now'>,
  actor: Actor,
  scope: RegionScope,
  filters: TaskFilters,
): Omit<q.ListFilter, 'limit'> {
  const view = filters.scope ?? 'mine';
  const due = filters.due ?? 'all';
  const now = nowOf(ctx);
  const endOfToday = endOfLocalDay(ctx.calendar, now);
  return {
    regions: scope.all ? null : scope.regions,
    ...(filters.regionId !== undefined ? { regionId: filters.regionId } : {}),
    ...(view === 'mine' ? { assigneeUserId: actor.userId } : {}),
    ...(due === 'overdue' ? { dueBy: now } : {}),
    ...(due === 'today' ? { dueAfter: now, dueBefore: endOfToday } : {}),
    ...(due === 'upcoming' ? { dueFrom: endOfToday } : {}),
  };
}

/**
 * How many open tasks `listTasks` shows with these filters, for the staff home page: the same scope,
 * without reading any title (so not audited). 0 for a role that does not see tasks.
 */
export async function countTasks(
  ctx: Pick<CaseContext, 'db' | 'calendar' | 'now'>,
  actor: Actor,
  filters: TaskFilters,
): Promise<number> {
  const scope = regionScope(actor, 'cases.read');
  if (!scope || (!scope.all && scope.regions.length === 0)) return 0;
  return q.countOpenTasks(ctx.db, listFilter(ctx, actor, scope, filters));
}

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
  const scope = authorize(actor, 'cases.read', undefined, {
    message: 'You do not have permission to see tasks.',
  });
  const view = filters.scope ?? 'mine';
  const due = filters.due ?? 'all';
  if (filters.regionId !== undefined && !can(actor, 'cases.read', { regionId: filters.regionId }))
    throw new InputError('Choose one of your regions from the list.', 'region');
  if (!scope.all && scope.regions.length === 0) return [];
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await q.openTasks(trx, {
      ...listFilter(ctx, actor, scope, filters),
      limit: Math.min(Math.max(filters.limit ?? TASK_LIST_LIMIT, 1), TASK_LIST_LIMIT),
    });
    const tasks = await toTasks(ctx, rows, trx);
    if (tasks.length) {
      const cases = [...new Set(tasks.map((t) => t.caseId).filter((id): id is string => id !== null))];
      await recordActorAudit(trx, actor, origin, {
        action: 'task.list',
        subjectType: 'task',
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
  authorize(actor, 'cases.read', undefined, { message: 'You do not have permission to see cases.' });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const tasks = (await toTasks(ctx, await q.tasksOfCase(trx, row.id), trx)).sort(caseTaskOrder);
    const regionName = (await q.regionName(trx, row.region_id)) ?? row.region_id;
    const label = await caseLabel(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'task.list',
      caseId: row.id,
      details: { tasks: tasks.length },
    });
    return {
      case: row,
      label,
      regionName,
      tasks,
      pathwayDone: tasks
        .filter((t) => t.source === 'pathway' && t.sourceRef)
        .map((t) => t.sourceRef as ActionCode),
    };
  });
}
