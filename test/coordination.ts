/**
 * Test support for reading back what the coordination features wrote (synthetic data only): a task's, a
 * case's or a transfer's row, a case's events (or their names) and the actions audited on a record, in the
 * order written; and a page's status and texts.
 */
import { expect } from 'vitest';
import type { Database } from '../src/db/database.ts';

/** A task's row (throws when there is none). */
export const taskRow = (db: Database, id: string) =>
  db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A case's row (throws when there is none). */
export const caseRow = (db: Database, id: string) =>
  db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A case transfer's row (throws when there is none). */
export const transferRow = (db: Database, id: string) =>
  db.selectFrom('case_transfers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A case's events (name, detail and who), oldest first; with `only`, just those of these names. */
export async function caseEvents(db: Database, caseId: string, only?: string[]) {
  let q = db
    .selectFrom('case_events')
    .select(['event', 'detail', 'actor_user_id'])
    .where('case_id', '=', caseId);
  if (only) q = q.where('event', 'in', only);
  return q.orderBy('id').execute();
}

/** The names of a case's events, oldest first; with `only`, just those names. */
export async function caseEventNames(db: Database, caseId: string, only?: string[]): Promise<string[]> {
  return (await caseEvents(db, caseId, only)).map((e) => e.event);
}

/** A page's HTML, after checking its status and that each of `texts` stands in it. */
export async function pageWith(
  res: Response,
  status: number,
  texts: readonly string[] = [],
): Promise<string> {
  expect(res.status).toBe(status);
  const html = await res.text();
  expectAll(html, texts);
  return html;
}

/** Checks that each of `texts` stands in `html`. */
export function expectAll(html: string, texts: readonly string[]): void {
  for (const text of texts) expect(html).toContain(text);
}

export { auditActions } from './staff.ts';
