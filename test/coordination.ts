/**
 * Test support for reading back what the coordination features wrote (synthetic data only): a task's, a
 * case's or a transfer's row, a case's events (or their names), the audit events (or their actions) of a
 * record, in the order written; and a page's status and texts.
 */
import { expect } from 'vitest';
import type { Database } from '../src/db/database.ts';

/** A task's row (throws when there is none). */
export const taskRow = (db: Database, id: string) =>
  db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A case's row (throws when there is none). */
export const caseRow = (db: Database, id: string) =>
  db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A referral's row (throws when there is none). */
export const referralRow = (db: Database, id: string) =>
  db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

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

/**
 * The audit events of an action (or any of several), about a subject, or by a person, as asked; oldest
 * first. Each with who, about what, the details and the address.
 */
export async function auditEvents(
  db: Database,
  where: { action?: string | string[]; subjectId?: string; actorUserId?: string },
) {
  let q = db
    .selectFrom('audit_events')
    .select(['action', 'actor_kind', 'actor_user_id', 'subject_type', 'subject_id', 'details', 'ip']);
  if (typeof where.action === 'string') q = q.where('action', '=', where.action);
  else if (where.action) q = q.where('action', 'in', where.action);
  if (where.subjectId !== undefined) q = q.where('subject_id', '=', where.subjectId);
  if (where.actorUserId !== undefined) q = q.where('actor_user_id', '=', where.actorUserId);
  return q.orderBy('seq').execute();
}

export { auditActions } from './staff.ts';
