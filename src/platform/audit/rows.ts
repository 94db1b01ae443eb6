/**
 * Reading audit rows back: the columns as the hash saw them, and the shape the rest of the app uses.
 * A row's `prev_hash` and `hash` are its own for rows hashed at write time (before migration 0017),
 * its link's (audit_chain) since, and null while the chainer has not reached it yet. A link wins over
 * hashes a row carries itself.
 */
import { sql, type Kysely } from 'kysely';
import { OCCURRED_AT_SQL_FORMAT, type AuditRowValues } from './canonical.ts';
import type { ActorKind } from './schema.ts';
import type { AuditTables } from './tables.ts';

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
  /** Null while the row waits for the chainer (usually under a second). */
  prevHash: string | null;
  hash: string | null;
}

export interface StoredRow extends Omit<AuditRowValues, 'prev_hash'> {
  prev_hash: string | null;
  hash: string | null;
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

/** `occurred_at` as the text the hash covers (UTC, microseconds), independent of the driver's parsers. */
export const OCCURRED_AT_TEXT =
  sql<string>`to_char(audit_events.occurred_at at time zone 'UTC', ${OCCURRED_AT_SQL_FORMAT})`.as(
    'occurred_at',
  );

const EVENT_COLUMNS = AUDIT_COLUMNS.filter(
  (c): c is Exclude<(typeof AUDIT_COLUMNS)[number], 'occurred_at' | 'prev_hash' | 'hash'> =>
    c !== 'occurred_at' && c !== 'prev_hash' && c !== 'hash',
).map((c) => `audit_events.${c}` as const);

/**
 * Every row of audit_events with its chain hashes: its link's, or its own (hashed at write time), null
 * while not linked. Filter on `audit_events.seq` (the link has a `seq` too).
 *
 * @example
 * const rows = await linkedRows(db).where('audit_events.seq', '>', 10).orderBy('audit_events.seq').execute();
 */
export function linkedRows(db: Kysely<AuditTables>) {
  return db
    .selectFrom('audit_events')
    .leftJoin('audit_chain', 'audit_chain.seq', 'audit_events.seq')
    .select([
      ...EVENT_COLUMNS,
      OCCURRED_AT_TEXT,
      sql<string | null>`coalesce(audit_chain.prev_hash, audit_events.prev_hash)`.as('prev_hash'),
      sql<string | null>`coalesce(audit_chain.hash, audit_events.hash)`.as('hash'),
      sql<boolean>`audit_chain.seq is null and audit_events.hash is not null`.as('hashed_at_write'),
    ]);
}

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
