/**
 * Appending to the audit log inside the caller's transaction.
 *
 * Appends are serialised by a transaction-scoped advisory lock, so every instance sharing the database
 * writes one chain; `seq` is max(seq) + 1 read under that lock, so a rolled-back transaction leaves no
 * gap. The lock is held until the caller commits: record the audit event as the last step of the
 * transaction to keep that window short.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { actorKind, type Actor } from '../access.ts';
import { auditHash, GENESIS_HASH, OCCURRED_AT_SQL_FORMAT, type AuditRowValues } from './canonical.ts';
import { STORED_COLUMNS } from './rows.ts';
import { auditEventInput, type AuditEventInput } from './schema.ts';
import type { AuditTables } from './tables.ts';

/** Advisory lock id for appends (migrations use 727001). */
export const AUDIT_LOCK_KEY = 727_003;

/** An event the log refused before writing: the message names the field, never its value. */
export class AuditEventError extends Error {}

/** Where the event landed in the chain. */
export interface RecordedAudit {
  seq: number;
  id: string;
  occurredAt: string;
  hash: string;
}

/**
 * Appends one event to the chain inside the caller's transaction: it commits or rolls back with the
 * change it records. The transaction must use READ COMMITTED (PostgreSQL's default), so that the
 * statement after the lock sees the row the previous holder committed.
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
  const parsed = auditEventInput.safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`);
    throw new AuditEventError(`Audit event refused: ${issues.join('; ')}`);
  }
  const e = parsed.data;
  if (!trx.isTransaction) throw new AuditEventError('recordAudit must run inside a transaction');
  const db = trx as unknown as Kysely<AuditTables>;

  const locked = await sql<{ isolation: string }>`
    select pg_advisory_xact_lock(${AUDIT_LOCK_KEY}), current_setting('transaction_isolation') as isolation
  `.execute(db);
  const isolation = locked.rows[0]?.isolation;
  if (isolation !== 'read committed') {
    throw new AuditEventError(`recordAudit needs a READ COMMITTED transaction, not ${isolation}`);
  }
  // A new statement after the lock: its snapshot includes the previous holder's committed row.
  const head = await sql<{ occurred_at: string; seq: number | string | null; hash: string | null }>`
    select to_char(clock_timestamp() at time zone 'UTC', ${OCCURRED_AT_SQL_FORMAT}) as occurred_at,
           last.seq, last.hash
    from (select 1) as one
    left join lateral (select seq, hash from audit_events order by seq desc limit 1) as last on true
  `.execute(db);
  const h = head.rows[0]!;

  const values: AuditRowValues = {
    seq: h.seq === null ? 1 : Number(h.seq) + 1,
    id: randomUUID(),
    occurred_at: h.occurred_at,
    actor_user_id: e.actorUserId ?? null,
    actor_kind: e.actorKind,
    action: e.action,
    subject_type: e.subjectType ?? null,
    subject_id: e.subjectId ?? null,
    organization_id: e.organizationId ?? null,
    ip: e.ip ?? null,
    user_agent: e.userAgent ?? null,
    reason: e.reason ?? null,
    details: e.details,
    prev_hash: h.hash ?? GENESIS_HASH,
  };
  const hash = auditHash(values);
  const stored = await db
    .insertInto('audit_events')
    .values({ ...values, actor_kind: e.actorKind, details: JSON.stringify(values.details), hash })
    .returning(STORED_COLUMNS)
    .executeTakeFirstOrThrow();
  // The row must verify as stored; if it would not, refuse it (the caller's transaction rolls back).
  if (auditHash({ ...stored, seq: Number(stored.seq) }) !== hash) {
    throw new AuditEventError('Audit event refused: it would not read back exactly as hashed');
  }
  return { seq: values.seq, id: values.id, occurredAt: values.occurred_at, hash };
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
  return recordAudit(trx, {
    actorKind: actorKind(actor),
    actorUserId: actor.userId,
    organizationId: actor.organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    ...event,
  });
}
