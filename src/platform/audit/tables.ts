/**
 * Query-builder types for the audit log (migrations 0003_audit.sql and 0017_audit_chain.sql), to be
 * merged into `DB`.
 *
 * Every column's update type is `never`: the tables are append-only, so `updateTable('audit_events')`
 * does not compile. The database refuses it too (triggers `audit_events_append_only` and
 * `audit_chain_append_only`).
 */
import type { ColumnType } from 'kysely';

type Immutable<Select, Insert = Select> = ColumnType<Select, Insert, never>;

/** One recorded event. Columns are documented in the migrations (`comment on column`). */
export interface AuditEventsTable {
  /** Position in the log, from the sequence `audit_events_seq` at insert (never given by a writer). */
  seq: ColumnType<number, never, never>;
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
  /** Rows written before migration 0017 only (hashed at write time); null since (see audit_chain). */
  prev_hash: ColumnType<string | null, never, never>;
  hash: ColumnType<string | null, never, never>;
}

/** One link of the chain, written by the chainer (chain.ts) for a row of audit_events. */
export interface AuditChainTable {
  seq: Immutable<number>;
  prev_hash: Immutable<string>;
  hash: Immutable<string>;
  chained_at: ColumnType<Date, never, never>;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_chain: AuditChainTable;
}
