/**
 * Appending to the audit log inside the caller's transaction.
 *
 * Writers take no lock: the row gets its `seq` from a sequence and its time from the database clock
 * at insert, and no hashes. The chainer (chain.ts, in the background) links committed rows into the
 * hash chain in `seq` order. A transaction that rolls back after writing its row leaves a gap in `seq`
 * that `nwd audit verify` reports (it cannot be told from a deleted row), so record the audit event as
 * the last step of the transaction.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { actorKind, type Actor } from '../access.ts';
import { OCCURRED_AT_TEXT } from './rows.ts';
import { auditEventInput, type AuditEventInput } from './schema.ts';
import type { AuditTables } from './tables.ts';

/** An event the log refused before writing: the message names the field, never its value. */
export class AuditEventError extends Error {}

/** Where the event landed in the log (its hashes come when the chainer links it). */
export interface RecordedAudit {
  seq: number;
  id: string;
  occurredAt: string;
}

function checked(event: AuditEventInput) {
  const parsed = auditEventInput.safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`);
    throw new AuditEventError(`Audit event refused: ${issues.join('; ')}`);
  }
  return parsed;
}

/**
 * Appends one event inside the caller's transaction: it commits or rolls back with the change it
 * records.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await changeRole(trx, userId, 'navigator');
 *   await recordAudit(trx, {
 *     actorKind: 'user',
 *     actorUserId: admin.id,
 *     action: 'role.change',
 *     subjectType: 'user',
 *     subjectId: userId,
 *     ip: clientAddress,
 *     details: { from: 'professional', to: 'navigator' },
 *   });
 * });
 */
export async function recordAudit<T extends AuditTables>(
  trx: Transaction<T>,
  event: AuditEventInput,
): Promise<RecordedAudit> {
  const parsed = checked(event);
  if (!trx.isTransaction) throw new AuditEventError('recordAudit must run inside a transaction');
  return insertAudit(trx as unknown as Kysely<AuditTables>, parsed.data);
}

/** The one INSERT of an event already checked. */
async function insertAudit(db: Kysely<AuditTables>, e: AuditEventInput): Promise<RecordedAudit> {
  const stored = await db
    .insertInto('audit_events')
    .values({
      id: randomUUID(),
      occurred_at: sql<string>`clock_timestamp()`,
      actor_user_id: e.actorUserId ?? null,
      actor_kind: e.actorKind,
      action: e.action,
      subject_type: e.subjectType ?? null,
      subject_id: e.subjectId ?? null,
      organization_id: e.organizationId ?? null,
      ip: e.ip ?? null,
      user_agent: e.userAgent ?? null,
      reason: e.reason ?? null,
      details: JSON.stringify(e.details),
    })
    .returning(['seq', 'id', OCCURRED_AT_TEXT])
    .executeTakeFirstOrThrow();
  return { seq: Number(stored.seq), id: stored.id, occurredAt: stored.occurred_at };
}

/**
 * The audit record of something a person (or their API token) did in a request: who, their
 * organization and where from are filled in from the actor and the request's origin.
 *
 * @example
 * await recordActorAudit(trx, actor, origin, { action: 'transfer.list', subjectType: 'case_transfer', details });
 */
export function recordActorAudit<T extends AuditTables>(
  trx: Transaction<T>,
  actor: Actor,
  origin: { ip: string | null; userAgent: string | null },
  event: Omit<AuditEventInput, 'actorKind' | 'actorUserId' | 'organizationId' | 'ip' | 'userAgent'>,
): Promise<RecordedAudit> {
  return recordAudit(trx, actorEvent(actor, origin, event));
}

/** The event of what `actor` did, from where: who, their organization and the origin filled in. */
function actorEvent(
  actor: Actor,
  origin: { ip: string | null; userAgent: string | null },
  event: Omit<AuditEventInput, 'actorKind' | 'actorUserId' | 'organizationId' | 'ip' | 'userAgent'>,
): AuditEventInput {
  return {
    actorKind: actorKind(actor),
    actorUserId: actor.userId,
    organizationId: actor.organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    ...event,
  };
}

/**
 * The audit record of a read that changes nothing (a page or an answer showing a young person's
 * record): one INSERT of its own, atomic by itself, with no transaction around it — a read has no change
 * to commit with. Await it before the answer is sent: an answer is never given without its record.
 *
 * @example
 * const detail = await readTheCase(db, caseId);
 * await recordReadAudit(db, actor, origin, { action: 'case.open', subjectType: 'case', subjectId: caseId });
 * return detail;
 */
export async function recordReadAudit<T extends AuditTables>(
  db: Kysely<T>,
  actor: Actor,
  origin: { ip: string | null; userAgent: string | null },
  event: Omit<AuditEventInput, 'actorKind' | 'actorUserId' | 'organizationId' | 'ip' | 'userAgent'>,
): Promise<RecordedAudit> {
  const parsed = checked(actorEvent(actor, origin, event));
  return insertAudit(db as unknown as Kysely<AuditTables>, parsed.data);
}
