/**
 * Reading audit rows back: the columns as the hash saw them, and the shape the rest of the app uses.
 */
import { sql } from 'kysely';
import { OCCURRED_AT_SQL_FORMAT, type AuditRowValues } from './canonical.ts';
import type { ActorKind } from './schema.ts';

/** A stored audit event. `occurredAt` is UTC ISO text with microseconds, exactly as hashed. */
export interface AuditEvent {
  seq: number;
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorKind: ActorKind;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  organizationId: string | null;
  ip: string | null;
  userAgent: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface StoredRow extends AuditRowValues {
  hash: string;
}

/** The audit columns in table order (also the CSV export's header). */
export const AUDIT_COLUMNS = [
  'seq',
  'id',
  'occurred_at',
  'actor_user_id',
  'actor_kind',
  'action',
  'subject_type',
  'subject_id',
  'organization_id',
  'ip',
  'user_agent',
  'reason',
  'details',
  'prev_hash',
  'hash',
] as const;

const OCCURRED_AT_TEXT = sql<string>`to_char(occurred_at at time zone 'UTC', ${OCCURRED_AT_SQL_FORMAT})`.as(
  'occurred_at',
);

/**
 * Every column, `occurred_at` as the text the hash covers (UTC, microseconds), independent of the
 * driver's type parsers. For `select(...)` and `returning(...)`.
 */
export const STORED_COLUMNS = AUDIT_COLUMNS.map((c) => (c === 'occurred_at' ? OCCURRED_AT_TEXT : c)) as (
  Exclude<(typeof AUDIT_COLUMNS)[number], 'occurred_at'> | typeof OCCURRED_AT_TEXT
)[];

export function toAuditEvent(row: StoredRow): AuditEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorKind: row.actor_kind as ActorKind,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    organizationId: row.organization_id,
    ip: row.ip,
    userAgent: row.user_agent,
    reason: row.reason,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
