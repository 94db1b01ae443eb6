/**
 * Table types for the evaluation's reporting facts (migration 0025): de-identified facts of each case,
 * under keyed hashes, and the cases whose facts wait to be written again.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateString = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type Texts = ColumnType<string[], string[] | undefined, string[]>;
/** numeric comes back from PostgreSQL as text. */
type Numeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export type SurveyAnswerCode = 'yes' | 'no' | 'unsure' | 'not_asked';

export interface ReportYouthTable {
  subject: string;
  person: string;
  jurisdiction: string;
  region_id: string;
  county_fips: string | null;
  age_band: 'under18' | '18to24' | '25plus' | 'unknown';
  age_at_entry: number | null;
  genders: Texts;
  races: Texts;
  tribal: boolean | null;
  door: string | null;
  exploitation: Texts;
  entry_housing: string | null;
  exit_housing: string | null;
  opened_on: DateString;
  closed_on: NullableDate;
  close_reason: string | null;
  survey_feels_safer: SurveyAnswerCode | null;
  survey_more_hopeful: SurveyAnswerCode | null;
  survey_knows_where_help: SurveyAnswerCode | null;
  organizations: Texts;
  refreshed_at: Generated<Date>;
}

export interface ReportServicesTable {
  subject: string;
  service_code: string;
  delivered_on: DateString;
}

export type ReportReferralStatus =
  'sent' | 'accepted' | 'declined' | 'no_response' | 'in_service' | 'completed' | 'closed' | 'withdrawn';

export interface ReportReferralsTable {
  referral: string;
  subject: string;
  to_organization_id: string;
  service_type: string;
  status: ReportReferralStatus;
  sent_on: DateString;
  accepted: Generated<boolean>;
  completed: Generated<boolean>;
  days_to_answer: Numeric;
  decline_reason: string | null;
}

export interface ReportStaleTable {
  case_id: string;
  since: Timestamp;
}

export interface EvaluationTables {
  report_youth: ReportYouthTable;
  report_services: ReportServicesTable;
  report_referrals: ReportReferralsTable;
  report_stale: ReportStaleTable;
}
