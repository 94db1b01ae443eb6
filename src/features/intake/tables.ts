/**
 * Table types for intake items, their history and staff notifications (migration 0007).
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type IntakeKind = 'professional_referral' | 'consultation' | 'self_referral';
export type AgeBand = 'under18' | '18to24' | '25plus' | 'unknown';
export type Urgency = 'immediate' | 'soon' | 'routine';
export type IntakeStatus = 'new' | 'claimed' | 'contacted' | 'could_not_reach' | 'closed';

export interface IntakeItemsTable {
  id: string;
  kind: IntakeKind;
  jurisdiction: string;
  region_id: string | null;
  county_fips: string | null;
  age: number | null;
  age_band: AgeBand;
  urgency: Urgency;
  status: ColumnType<IntakeStatus, IntakeStatus | undefined, IntakeStatus>;
  reference_hash: string | null;
  payload_encrypted: Buffer;
  claimed_by: string | null;
  claimed_at: NullableTimestamp;
  outcome: string | null;
  outcome_note_encrypted: Buffer | null;
  escalation_level: ColumnType<number, number | undefined, number>;
  escalated_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
}

export interface IntakeEventsTable {
  id: Generated<string>;
  item_id: string;
  at: Timestamp;
  actor_user_id: string | null;
  event: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface StaffNotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  text: string;
  link: string | null;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface IntakeTables {
  intake_items: IntakeItemsTable;
  intake_events: IntakeEventsTable;
  staff_notifications: StaffNotificationsTable;
}
