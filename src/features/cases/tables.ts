/**
 * Table types for case coordination (migrations 0009, 0010 and 0013).
 */
import type { ColumnType, Generated } from 'kysely';
import type { AgeBand } from '../intake/index.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateColumn = ColumnType<string, string, string>;

export type CaseStatus = 'open' | 'closed';
export type SurveyAnswer = 'yes' | 'no' | 'unsure' | 'not_asked';

export interface CasesTable {
  id: string;
  jurisdiction: string;
  region_id: string;
  county_fips: string | null;
  status: ColumnType<CaseStatus, CaseStatus | undefined, CaseStatus>;
  age_band: AgeBand;
  intake_item_id: string | null;
  duplicate_index: string | null;
  personal_encrypted: Buffer;
  opened_by: string | null;
  opened_at: Timestamp;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  close_reason: string | null;
  exit_housing: string | null;
  survey_feels_safer: SurveyAnswer | null;
  survey_more_hopeful: SurveyAnswer | null;
  survey_knows_where_help: SurveyAnswer | null;
  purge_after: NullableTimestamp;
  purged_at: NullableTimestamp;
  /** The case number's region (the one that opened it), year and place; given by a trigger on insert. */
  number_region_id: ColumnType<string, string | undefined, string>;
  number_year: ColumnType<number, number | undefined, number>;
  number_seq: ColumnType<number, number | undefined, number>;
}

export interface CaseNumberCountersTable {
  region_id: string;
  year: number;
  last_number: number;
}

export const SEARCH_TERM_KINDS = ['chosen_name', 'legal_name', 'date_of_birth'] as const;
export type SearchTermKind = (typeof SEARCH_TERM_KINDS)[number];

export interface CaseSearchTermsTable {
  case_id: string;
  kind: SearchTermKind;
  /** Blind index (HMAC) of the normalised value: 32 hex characters. */
  digest: string;
}

export interface CaseAssignmentsTable {
  case_id: string;
  user_id: string;
  assigned_by: string | null;
  assigned_at: Timestamp;
  ended_at: NullableTimestamp;
}

export const CONSENT_CATEGORIES = [
  'contact',
  'identity',
  'demographics',
  'screening',
  'safety_plan',
  'notes',
  'services',
] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

export interface ConsentsTable {
  id: string;
  case_id: string;
  organization_id: string;
  purpose: string;
  categories: ColumnType<ConsentCategory[], ConsentCategory[], ConsentCategory[]>;
  method: 'written' | 'verbal';
  witness_encrypted: Buffer | null;
  starts_on: DateColumn;
  expires_on: DateColumn;
  recorded_by: string;
  recorded_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export const REFERRAL_STATUSES = [
  'draft',
  'sent',
  'accepted',
  'declined',
  'no_response',
  'in_service',
  'completed',
  'closed',
  'withdrawn',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export interface ReferralsTable {
  id: string;
  case_id: string;
  from_region_id: string;
  to_organization_id: string;
  service_type: string;
  share_identifying: boolean;
  consent_id: string | null;
  message_encrypted: Buffer | null;
  status: ColumnType<ReferralStatus, ReferralStatus | undefined, ReferralStatus>;
  status_reason: string | null;
  sent_at: NullableTimestamp;
  responded_at: NullableTimestamp;
  remind_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  escalated_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReferralTransitionsTable {
  id: Generated<string>;
  referral_id: string;
  from_status: ReferralStatus;
  to_status: ReferralStatus;
  reason: string | null;
  actor_user_id: string | null;
  actor_organization_id: string | null;
  at: Timestamp;
}

export type ReferralMessageKind = 'message' | 'accepted' | 'declined';

export interface ReferralMessagesTable {
  id: string;
  referral_id: string;
  author_user_id: string;
  author_organization_id: string;
  side: 'sender' | 'receiver';
  kind: ColumnType<ReferralMessageKind, ReferralMessageKind | undefined, ReferralMessageKind>;
  body_encrypted: Buffer;
  created_at: Timestamp;
}

export const OUTSIDE_STATUSES = ['sent', 'accepted', 'declined', 'completed', 'withdrawn'] as const;
export type OutsideStatus = (typeof OUTSIDE_STATUSES)[number];

export interface OutsideReferralsTable {
  id: string;
  case_id: string;
  from_region_id: string;
  directory_service_id: string;
  service_name: string;
  organization_name: string | null;
  service_type: string;
  status: ColumnType<OutsideStatus, OutsideStatus | undefined, OutsideStatus>;
  note_encrypted: Buffer | null;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export type TransferStatus = 'requested' | 'accepted' | 'declined' | 'cancelled';

export interface CaseTransfersTable {
  id: string;
  case_id: string;
  from_region_id: string;
  to_region_id: string;
  status: ColumnType<TransferStatus, TransferStatus | undefined, TransferStatus>;
  reason_encrypted: Buffer | null;
  decline_reason: string | null;
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export type TaskSource = 'pathway' | 'referral' | 'manual' | 'intake' | 'transfer';

export interface TasksTable {
  id: string;
  case_id: string | null;
  region_id: string;
  assignee_user_id: string | null;
  source: TaskSource;
  source_ref: string | null;
  title_encrypted: Buffer;
  due_at: Timestamp;
  completed_at: NullableTimestamp;
  completed_by: string | null;
  reminded_at: NullableTimestamp;
  escalated_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
}

export interface SafetyPlansTable {
  id: string;
  case_id: string;
  version: number;
  content_encrypted: Buffer;
  created_by: string;
  created_at: Timestamp;
}

export interface CaseNotesTable {
  id: string;
  case_id: string;
  category: string;
  body_encrypted: Buffer;
  author_id: string;
  created_at: Timestamp;
}

export interface ServicesDeliveredTable {
  id: string;
  case_id: string;
  service_code: string;
  delivered_on: DateColumn;
  recorded_by: string;
  created_at: Timestamp;
}

export interface CaseEventsTable {
  id: Generated<string>;
  case_id: string;
  at: Timestamp;
  actor_user_id: string | null;
  event: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface CaseTables {
  cases: CasesTable;
  case_number_counters: CaseNumberCountersTable;
  case_search_terms: CaseSearchTermsTable;
  case_assignments: CaseAssignmentsTable;
  consents: ConsentsTable;
  referrals: ReferralsTable;
  referral_transitions: ReferralTransitionsTable;
  referral_messages: ReferralMessagesTable;
  outside_referrals: OutsideReferralsTable;
  case_transfers: CaseTransfersTable;
  tasks: TasksTable;
  safety_plans: SafetyPlansTable;
  case_notes: CaseNotesTable;
  services_delivered: ServicesDeliveredTable;
  case_events: CaseEventsTable;
}
