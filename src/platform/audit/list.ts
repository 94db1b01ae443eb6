/**
 * Browsing the audit log, newest first.
 */
import type { Kysely } from 'kysely';
import { authorize, type Actor } from '../access.ts';
import { linkedRows, toAuditEvent, type AuditEvent } from './rows.ts';
import { auditFilters, type AuditFilters } from './schema.ts';
import type { AuditTables } from './tables.ts';
import { withholdRecordIds } from './withhold.ts';

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
  let q = linkedRows(db as unknown as Kysely<AuditTables>);
  if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  if (f.organizationId) q = q.where('organization_id', '=', f.organizationId);
  if (f.from) q = q.where('audit_events.occurred_at', '>=', f.from);
  if (f.to) q = q.where('audit_events.occurred_at', '<', f.to);
  if (f.before) q = q.where('audit_events.seq', '<', f.before);
  const rows = await q
    .orderBy('audit_events.seq', 'desc')
    .limit(f.limit + 1)
    .execute();
  const events = rows.slice(0, f.limit).map((r) => toAuditEvent(r));
  return { events, nextBefore: rows.length > f.limit ? events[events.length - 1]!.seq : null };
}

/**
 * The log as `actor` may browse it (`audit.read`, checked first: 403 otherwise). With statewide access,
 * as filtered; otherwise only the events of the actor's own organization, whatever organization the
 * filters name, and with the ids of young people's records withheld (withhold.ts).
 *
 * @example
 * const { events, statewide } = await listAuditAs(db, actor, { action: 'role.change', limit: 50 });
 */
export async function listAuditAs<T extends AuditTables>(
  db: Kysely<T>,
  actor: Actor,
  filters: AuditFilters,
): Promise<AuditPage & { statewide: boolean }> {
  const statewide = authorize(actor, 'audit.read').all;
  const page = await listAudit(
    db,
    statewide ? filters : { ...filters, organizationId: actor.organizationId },
  );
  return {
    events: statewide ? page.events : page.events.map(withholdRecordIds),
    nextBefore: page.nextBefore,
    statewide,
  };
}
