/**
 * Changes to tasks: creating one by hand, the tasks the work makes (from a case's pathway actions, a
 * referral's follow-up, a transfer request's decision), and completing and reopening. Each use case
 * checks access first, then its input; each change writes the case's timeline and its audit record
 * last, in one transaction (or inside the caller's, for the tasks other features make).
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { SHARED_SCOPE, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import { activeStaff } from '../notifications/service.ts';
import { evaluatePathway, parsePathwayInput, type ActionCode, type PathwayFacts } from '../pathway/index.ts';
import {
  auditCase,
  caseScope,
  findCase,
  nowOf,
  recordCaseEvent,
  type CaseContext,
  type RequestOrigin,
} from '../cases/index.ts';
import type { TaskSource } from '../cases/index.ts';
import * as q from './queries.ts';
import { doneRefusal, pathwayDueAt, titleAddress, taskableActions, type TaskableAction } from './rules.ts';
import { TaskTitleSchema, pathwayCodesSchema, pathwayFromSchema, taskFieldsSchema } from './schema.ts';

import type { CoordinationContext } from './service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TASK_NOT_FOUND = 'There is no such task, or it is not in your regions.';
const CLOSED = 'This case is closed: tasks cannot be added to it.';

/** The value a schema makes of `value`, or an `InputError` naming `field` (or the schema's path). */
function parse<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const error = InputError.from(result.error);
  throw field && !error.field ? new InputError(error.message, field) : error;
}

async function checkAssignee(
  trx: Transaction<DB>,
  regionId: string,
  assigneeUserId: string | null | undefined,
): Promise<string | null> {
  if (!assigneeUserId) return null;
  const ok =
    UUID.test(assigneeUserId) &&
    (await activeStaff(trx, 'navigator', regionId)).some((p) => p.id === assigneeUserId.toLowerCase());
  if (!ok) throw new InputError('Choose a navigator of the region from the list, or nobody yet.', 'assignee');
  return assigneeUserId.toLowerCase();
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
  const about = { subjectType: 'task', subjectId: task.id, details: { region: task.regionId, ...details } };
  if (task.caseId) return auditCase(trx, actor, origin, { action, caseId: task.caseId, ...about });
  await recordActorAudit(trx, actor, origin, {
    action,
    ...about,
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

/** Inserts a task (its title sealed) and, for a case, its `task.created` timeline line. */
async function insertTask(trx: Transaction<DB>, keyring: Keyring, task: NewTask): Promise<string> {
  const id = randomUUID();
  const titleSealed = await encryptField(
    keyring,
    { scope: task.caseId ? caseScope(task.caseId) : SHARED_SCOPE, ...titleAddress(id) },
    task.title,
    trx,
  );
  await q.insertTask(trx, { ...task, id, titleSealed });
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
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to add tasks.' });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = input.caseId
      ? await findCase(trx, actor, input.caseId, 'cases.write', { forUpdate: true })
      : null;
    const { title, due } = parse(taskFieldsSchema(now), { title: input.title, due: input.dueAt });
    if (row && row.status !== 'open') throw new ServiceError('conflict', CLOSED);
    if (!row && (!input.regionId || !can(actor, 'cases.write', { regionId: input.regionId })))
      throw new InputError('Choose one of your regions from the list.', 'region');
    const regionId = row ? row.region_id : input.regionId!;
    const assignee = await checkAssignee(trx, regionId, input.assigneeUserId);
    const caseId = row ? row.id : null;
    const id = await insertTask(trx, ctx.keyring, {
      caseId,
      regionId,
      assigneeUserId: assignee,
      source: 'manual',
      sourceRef: null,
      title,
      dueAt: due,
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
  /** When the deadlines start (default now; not in the future; an invalid date is refused). */
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
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to add tasks.' });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const from = input.from ? parse(pathwayFromSchema(now), input.from, 'from') : now;
    const available = taskableActions(ctx.pathway, ctx.calendar.local(from).date);
    const codes: string[] = input.facts
      ? evaluatePathway(input.facts, ctx.pathway)
          .actions.map((a) => a.code)
          .filter((c) => available.some((a) => a.code === c))
      : parse(pathwayCodesSchema(available), [...(input.codes ?? [])], 'codes');
    const actions = available.filter((a) => codes.includes(a.code));
    if (row.status !== 'open') throw new ServiceError('conflict', CLOSED);
    const assignee = await checkAssignee(trx, row.region_id, input.assigneeUserId);
    const { created, skipped } = await addPathwayTasks(trx, ctx.keyring, ctx.calendar, {
      caseId: row.id,
      regionId: row.region_id,
      actions,
      from,
      assigneeUserId: assignee,
      createdBy: actor.userId,
      now,
    });
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
 * Adds a case's pathway tasks inside the caller's transaction (which has locked the case and checked
 * the actor and the assignee): one task per action, due at its deadline counted from `from`, skipping
 * every action the case already has a task for (open or done), so that running it again adds nothing.
 * The caller records the audit event.
 */
async function addPathwayTasks(
  trx: Transaction<DB>,
  keyring: Keyring,
  calendar: CoordinationContext['calendar'],
  input: {
    caseId: string;
    regionId: string;
    actions: readonly TaskableAction[];
    from: Date;
    assigneeUserId: string | null;
    createdBy: string;
    now: Date;
  },
): Promise<{ created: string[]; skipped: ActionCode[] }> {
  const existing = await q.pathwayCodesOnCase(
    trx,
    input.caseId,
    input.actions.map((a) => a.code),
  );
  const created: string[] = [];
  const skipped: ActionCode[] = [];
  for (const action of input.actions) {
    if (existing.has(action.code)) {
      skipped.push(action.code);
      continue;
    }
    const id = await insertTask(trx, keyring, {
      caseId: input.caseId,
      regionId: input.regionId,
      assigneeUserId: input.assigneeUserId,
      source: 'pathway',
      sourceRef: action.code,
      title: action.title,
      dueAt: pathwayDueAt(action, input.from, calendar),
      createdBy: input.createdBy,
      now: input.now,
    });
    created.push(id);
  }
  return { created, skipped };
}

/**
 * The pathway tasks of a case being opened from a referral, inside the opening's transaction: every
 * action with a deadline the pathway answers for the screening's facts (checked against the rules; facts
 * it cannot read add no task), due counted from `from` (when the referral was received). Idempotent per
 * case and action code. Returns the action codes and task ids created; the caller audits them.
 *
 * @example
 * await pathwayTasksForNewCase(trx, ctx, { caseId, regionId, facts: screening.facts, from: item.created_at, … });
 */
export async function pathwayTasksForNewCase(
  trx: Transaction<DB>,
  ctx: Pick<CoordinationContext, 'keyring' | 'calendar' | 'pathway'>,
  input: {
    caseId: string;
    regionId: string;
    facts: Record<string, unknown>;
    from: Date;
    assigneeUserId: string | null;
    createdBy: string;
    now: Date;
  },
): Promise<{ created: string[]; codes: ActionCode[] }> {
  const parsed = parsePathwayInput(input.facts, ctx.pathway, input.from);
  if (!parsed.ok) return { created: [], codes: [] };
  const available = taskableActions(ctx.pathway, ctx.calendar.local(input.from).date);
  const answered = new Set(evaluatePathway(parsed.facts, ctx.pathway).actions.map((a) => a.code));
  const actions = available.filter((a) => answered.has(a.code));
  const { created, skipped } = await addPathwayTasks(trx, ctx.keyring, ctx.calendar, { ...input, actions });
  return { created, codes: actions.map((a) => a.code).filter((c) => !skipped.includes(c)) };
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
  const title = parse(TaskTitleSchema, input.title, 'title');
  const open = await q.openFollowUp(trx, input.caseId, input.referralId);
  if (open) return open;
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
 * Closes a referral's open follow-up tasks when the referral is answered (or withdrawn, or marked as
 * no answer), inside the caller's transaction (the referral's change, which checked the actor and
 * records its own audit event). Each closed task gets a `task.completed` line on the case's timeline
 * that says the referral closed it. Returns the ids of the tasks it closed.
 *
 * @example
 * await closeFollowUpTasks(trx, { caseId, referralId, byUserId: actor.userId, at: now, because: 'accepted' });
 */
export async function closeFollowUpTasks(
  trx: Transaction<DB>,
  input: { caseId: string; referralId: string; byUserId: string; at: Date; because: string },
): Promise<string[]> {
  const open = await q.openFollowUps(trx, input.caseId, input.referralId);
  for (const task of open) {
    await q.setCompletion(trx, task.id, { at: input.at, by: input.byUserId });
    await recordCaseEvent(trx, {
      caseId: input.caseId,
      actorUserId: input.byUserId,
      event: 'task.completed',
      detail: { task: task.id, source: 'referral', closed_by: `referral.${input.because}` },
      at: input.at,
    });
  }
  return open.map((t) => t.id);
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
  const { toRegionId, transferId, ...task } = input;
  return insertTask(trx, keyring, {
    ...task,
    regionId: toRegionId,
    assigneeUserId: null,
    source: 'transfer',
    sourceRef: transferId,
  });
}

// ---------------------------------------------------------------------------------------------------
// Completing and reopening

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
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to change tasks.' });
  if (!UUID.test(taskId)) throw new ServiceError('not_found', TASK_NOT_FOUND);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const task = await q.lockTask(trx, taskId.toLowerCase());
    if (!task) throw new ServiceError('not_found', TASK_NOT_FOUND);
    authorize(actor, 'cases.read', { regionId: task.region_id }, { hidden: true, message: TASK_NOT_FOUND });
    authorize(
      actor,
      'cases.write',
      { regionId: task.region_id },
      { message: 'Only the navigators of the task’s region can change it.' },
    );
    const refusal = doneRefusal({ source: task.source, completedAt: task.completed_at }, done);
    if (refusal) throw new ServiceError('conflict', refusal);
    if (!done && task.case_id && (await q.caseStatus(trx, task.case_id)) !== 'open')
      throw new ServiceError('conflict', 'This case is closed: its tasks cannot be reopened.');
    await q.setCompletion(trx, task.id, done ? { at: now, by: actor.userId } : null);
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
