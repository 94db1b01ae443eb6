/**
 * Browsing the audit log, newest first.
 */
import type { Kysely } from 'kysely';
import { STORED_COLUMNS, toAuditEvent, type AuditEvent } from './rows.ts';
import { auditFilters, type AuditFilters } from './schema.ts';
import type { AuditTables } from './tables.ts';

/** One page of the log, newest first, and the cursor for the next page (null on the last page). */
export interface AuditPage {
  events: AuditEvent[];
  nextBefore: number | null;
}

/**
 * Browses the log newest first with keyset pagination on `seq`: pass the page's `nextBefore` as
 * `before` to get the next page. `from` is inclusive and `to` exclusive.
 *
 * @example
 * const first = await listAudit(db, { action: 'sign_in.failure', limit: 50 });
 * const second = first.nextBefore ? await listAudit(db, { action: 'sign_in.failure', limit: 50, before: first.nextBefore }) : null;
 */
export async function listAudit<T extends AuditTables>(
  db: Kysely<T>,
  filters: AuditFilters,
): Promise<AuditPage> {
  const f = auditFilters.parse(filters);
  let q = (db as unknown as Kysely<AuditTables>).selectFrom('audit_events');
  if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  if (f.organizationId) q = q.where('organization_id', '=', f.organizationId);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<', f.to);
  if (f.before) q = q.where('seq', '<', f.before);
  const rows = await q
    .select(STORED_COLUMNS)
    .orderBy('seq', 'desc')
    .limit(f.limit + 1)
    .execute();
  const events = rows.slice(0, f.limit).map((r) => toAuditEvent(r));
  return { events, nextBefore: rows.length > f.limit ? events[events.length - 1]!.seq : null };
}
