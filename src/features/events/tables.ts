/**
 * Table types for events, one-off changes of an occurrence and registrations (migration 0024).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A calendar date as PostgreSQL writes it (`YYYY-MM-DD`). */
type DateString = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export type EventKind = 'training' | 'community';
export type PlaceKind = 'in_person' | 'online';
export type RegistrationMode = 'public' | 'staff' | 'none';
export type RegistrationStatus = 'registered' | 'waitlisted' | 'cancelled';

export interface EventsTable {
  id: string;
  kind: EventKind;
  title: string;
  description: string;
  course_code: string | null;
  place_kind: PlaceKind;
  place_name: string | null;
  place_address: string | null;
  online_url: string | null;
  region_id: string | null;
  capacity: number | null;
  registration: RegistrationMode;
  organizer_organization_id: string | null;
  organizer_name: string;
  timezone: ColumnType<string, string | undefined, string>;
  starts_on: DateString;
  start_time: string;
  end_time: string;
  rrule: string | null;
  status: ColumnType<'scheduled' | 'cancelled', 'scheduled' | 'cancelled' | undefined>;
  sequence: ColumnType<number, number | undefined, number>;
  origin: ColumnType<'staff' | 'pack', 'staff' | 'pack' | undefined>;
  source: string | null;
  retrieved: NullableDate;
  verified: boolean | null;
  note: string | null;
  edited_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface EventOccurrenceChangesTable {
  event_id: string;
  occurrence_date: DateString;
  cancelled: boolean;
  moved_to: NullableDate;
  start_time: string | null;
  end_time: string | null;
  place_name: string | null;
  place_address: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface EventRegistrationsTable {
  id: string;
  event_id: string;
  occurrence_date: DateString;
  status: RegistrationStatus;
  name_encrypted: Buffer;
  email_encrypted: Buffer;
  organization_encrypted: Buffer | null;
  email_index: string;
  cancel_token_hash: string;
  token_encrypted: Buffer;
  channel: 'public' | 'staff';
  created_by: string | null;
  created_at: Timestamp;
  waitlisted_at: NullableTimestamp;
  promoted_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  attended: boolean | null;
  attendance_by: string | null;
  attendance_at: NullableTimestamp;
}

export interface EventTables {
  events: EventsTable;
  event_occurrence_changes: EventOccurrenceChangesTable;
  event_registrations: EventRegistrationsTable;
}
