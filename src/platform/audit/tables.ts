/**
 * Query-builder types for the audit log (migration 0003_audit.sql), to be merged into `DB`.
 *
 * Every column's update type is `never`: the table is append-only, so `updateTable('audit_events')`
 * does not compile. The database refuses it too (trigger `audit_events_append_only`).
 */
import type { ColumnType } from 'kysely';

type Immutable<Select, Insert = Select> = ColumnType<Select, Insert, never>;

/** One recorded event. Columns are documented in the migration (`comment on column`). */
export interface AuditEventsTable {
  /** Gap-free position in the chain, assigned under an advisory lock from max(seq) + 1. */
  seq: Immutable<number>;
  id: Immutable<string>;
  /** Read as a `Date` by default; the audit module selects it as ISO text with microseconds. */
  occurred_at: Immutable<Date, string>;
  actor_user_id: Immutable<string | null>;
  actor_kind: Immutable<'user' | 'token' | 'system' | 'anonymous'>;
  action: Immutable<string>;
  subject_type: Immutable<string | null>;
  /** A record id, never personal data itself. */
  subject_id: Immutable<string | null>;
  organization_id: Immutable<string | null>;
  /** From where: the client address as the caller decided to record it. */
  ip: Immutable<string | null>;
  user_agent: Immutable<string | null>;
  reason: Immutable<string | null>;
  /** Extra facts about the event: never personal data. Inserted as JSON text. */
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  prev_hash: Immutable<string>;
  hash: Immutable<string>;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}
