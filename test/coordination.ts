/**
 * Test support for reading back what the coordination features wrote (synthetic data only): a task's or
 * a case's row, the names of a case's events and the actions audited on a record, in the order written.
 */
import type { Database } from '../src/db/database.ts';

/** A task's row (throws when there is none). */
export const taskRow = (db: Database, id: string) =>
  db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A case's row (throws when there is none). */
export const caseRow = (db: Database, id: string) =>
  db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** The names of a case's events, oldest first; with `only`, just those names. */
export async function caseEventNames(db: Database, caseId: string, only?: string[]): Promise<string[]> {
  let q = db.selectFrom('case_events').select('event').where('case_id', '=', caseId);
  if (only) q = q.where('event', 'in', only);
  return (await q.orderBy('id').execute()).map((e) => e.event);
}

export { auditActions } from './staff.ts';
