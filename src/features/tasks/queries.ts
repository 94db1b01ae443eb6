/**
 * The SQL of tasks: reading them with their region's name, adding one, completing and reopening, and
 * what the reminder job locks and marks. Titles arrive and leave sealed: the service encrypts them.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { TaskSource } from '../cases/index.ts';

type Db = Database | Transaction<DB>;

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
  't.reminded_at',
  't.escalated_at',
] as const;

/** Tasks with their region's name. */
export function taskQuery(db: Db) {
  return db.selectFrom('tasks as t').innerJoin('regions as r', 'r.id', 't.region_id').select(TASK_COLUMNS);
}
export type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

export interface ListFilter {
  /** Null: every region. */
  regions: string[] | null;
  regionId?: string;
  assigneeUserId?: string;
  /** Due at or before. */
  dueBy?: Date;
  /** Due after (exclusive) or from (inclusive). */
  dueAfter?: Date;
  dueFrom?: Date;
  dueBefore?: Date;
  limit: number;
}

type TasksEb = ExpressionBuilder<DB & { t: DB['tasks'] }, 't'>;

/** The open tasks a list filter picks, shared by the list and its count. */
const picked = (f: Omit<ListFilter, 'limit'>) => (eb: TasksEb) => {
  const and: Expression<SqlBool>[] = [eb('t.completed_at', 'is', null)];
  if (f.regions) and.push(eb('t.region_id', 'in', f.regions));
  if (f.regionId !== undefined) and.push(eb('t.region_id', '=', f.regionId));
  if (f.assigneeUserId !== undefined) and.push(eb('t.assignee_user_id', '=', f.assigneeUserId));
  if (f.dueBy) and.push(eb('t.due_at', '<=', f.dueBy));
  if (f.dueAfter) and.push(eb('t.due_at', '>', f.dueAfter));
  if (f.dueBefore) and.push(eb('t.due_at', '<', f.dueBefore));
  if (f.dueFrom) and.push(eb('t.due_at', '>=', f.dueFrom));
  return eb.and(and);
};

/** Open tasks, soonest due first. */
export function openTasks(db: Db, f: ListFilter): Promise<TaskRow[]> {
  return taskQuery(db).where(picked(f)).orderBy('t.due_at').orderBy('t.id').limit(f.limit).execute();
}

/** How many open tasks the same filter lists (without the list's limit). */
export async function countOpenTasks(db: Db, f: Omit<ListFilter, 'limit'>): Promise<number> {
  const row = await db
    .selectFrom('tasks as t')
    .where(picked(f))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export const tasksOfCase = (db: Db, caseId: string): Promise<TaskRow[]> =>
  taskQuery(db).where('t.case_id', '=', caseId).execute();

export async function regionName(db: Db, id: string): Promise<string | null> {
  return (
    (await db.selectFrom('regions').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null
  );
}

export interface TaskValues {
  id: string;
  caseId: string | null;
  regionId: string;
  assigneeUserId: string | null;
  source: TaskSource;
  sourceRef: string | null;
  titleSealed: Buffer;
  dueAt: Date;
  createdBy: string | null;
  now: Date;
}

export async function insertTask(trx: Transaction<DB>, t: TaskValues): Promise<void> {
  await trx
    .insertInto('tasks')
    .values({
      id: t.id,
      case_id: t.caseId,
      region_id: t.regionId,
      assignee_user_id: t.assigneeUserId,
      source: t.source,
      source_ref: t.sourceRef,
      title_encrypted: t.titleSealed,
      due_at: t.dueAt,
      created_by: t.createdBy,
      created_at: t.now,
    })
    .execute();
}

/** The case's tasks made from these pathway duties (open or done). */
export async function pathwayCodesOnCase(
  trx: Transaction<DB>,
  caseId: string,
  codes: readonly string[],
): Promise<Set<string | null>> {
  if (!codes.length) return new Set();
  const rows = await trx
    .selectFrom('tasks')
    .select('source_ref')
    .where('case_id', '=', caseId)
    .where('source', '=', 'pathway')
    .where('source_ref', 'in', codes)
    .execute();
  return new Set(rows.map((r) => r.source_ref));
}

/** The open follow-up task of a referral, if any. */
export async function openFollowUp(
  trx: Transaction<DB>,
  caseId: string,
  referralId: string,
): Promise<string | null> {
  const row = await trx
    .selectFrom('tasks')
    .select('id')
    .where('case_id', '=', caseId)
    .where('source', '=', 'referral')
    .where('source_ref', '=', referralId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A task, locked for a change. */
export const lockTask = (trx: Transaction<DB>, id: string) =>
  trx
    .selectFrom('tasks')
    .select(['id', 'case_id', 'region_id', 'source', 'completed_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export async function caseStatus(trx: Transaction<DB>, caseId: string): Promise<string | null> {
  return (
    (await trx.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirst())?.status ??
    null
  );
}

/** Marks a task done by `userId`, or open again (its reminders start again). */
export async function setCompletion(
  trx: Transaction<DB>,
  id: string,
  done: { at: Date; by: string } | null,
): Promise<void> {
  await trx
    .updateTable('tasks')
    .set(
      done
        ? { completed_at: done.at, completed_by: done.by }
        : { completed_at: null, completed_by: null, reminded_at: null, escalated_at: null },
    )
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// The reminder job

/** Open tasks that may be due for a reminder (due by `remindBy`) or an escalation (due by `escalateBy`). */
export async function reminderCandidates(db: Database, remindBy: Date, escalateBy: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('id')
    .where('completed_at', 'is', null)
    .where((eb) =>
      eb.or([
        // A task due when it was made is never reminded (src/features/tasks/jobs.ts reminderTime).
        eb.and([
          eb('reminded_at', 'is', null),
          eb('due_at', '<=', remindBy),
          eb('due_at', '>', eb.ref('created_at')),
        ]),
        eb.and([eb('escalated_at', 'is', null), eb('due_at', '<=', escalateBy)]),
      ]),
    )
    .orderBy('due_at')
    .execute();
  return rows.map((r) => r.id);
}

/** A task for the reminder job, locked; undefined when another run holds it. */
export const lockTaskForReminder = (trx: Transaction<DB>, id: string) =>
  taskQuery(trx).where('t.id', '=', id).forUpdate('t').skipLocked().executeTakeFirst();

export async function markTask(
  trx: Transaction<DB>,
  id: string,
  mark: 'reminded_at' | 'escalated_at',
  at: Date,
): Promise<void> {
  await trx
    .updateTable('tasks')
    .set({ [mark]: at })
    .where('id', '=', id)
    .execute();
}

/** A referral's open follow-up tasks, locked for update. */
export function openFollowUps(trx: Transaction<DB>, caseId: string, referralId: string) {
  return trx
    .selectFrom('tasks')
    .select('id')
    .where('case_id', '=', caseId)
    .where('source', '=', 'referral')
    .where('source_ref', '=', referralId)
    .where('completed_at', 'is', null)
    .forUpdate()
    .execute();
}
