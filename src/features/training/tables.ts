/**
 * Table types for required trainings (migration 0023).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateString = ColumnType<string, string, string>;
type Texts = ColumnType<string[], string[] | undefined, string[]>;

export type CourseFormat = 'online' | 'in_person' | 'online_or_in_person';
export type Renewal = 'once' | 'yearly' | 'every_n_years';
export type CompletionSource = 'trainer' | 'organization' | 'import' | 'event';

export interface TrainingCoursesTable {
  code: string;
  title: string;
  provider: string;
  format: CourseFormat | null;
  length_text: string | null;
  modules: number | null;
  required_by: string | null;
  renewal: Renewal | null;
  renewal_years: number | null;
  equivalents: ColumnType<string[][], string | undefined, string>;
  source: string;
  retrieved: DateString;
  verified: boolean;
  note: string | null;
  origin: 'pack' | 'staff';
  edited_at: NullableTimestamp;
  edited_by: string | null;
  created_at: Timestamp;
}

export interface TrainingRequirementsTable {
  id: string;
  title: string;
  course_codes: string[];
  roles: Texts;
  organization_types: Texts;
  within_days: number | null;
  source: string;
  retrieved: DateString;
  verified: boolean;
  note: string | null;
  origin: 'pack' | 'staff';
  retired_at: NullableTimestamp;
  edited_at: NullableTimestamp;
  edited_by: string | null;
  created_at: Timestamp;
}

export interface TrainingCourseTrainersTable {
  course_code: string;
  user_id: string;
  assigned_by: string | null;
  created_at: Timestamp;
}

export interface TrainingOrganizationRegionsTable {
  organization_id: string;
  region_id: string;
}

export interface TrainingRosterTable {
  id: string;
  organization_id: string;
  name_encrypted: Buffer;
  email_encrypted: Buffer | null;
  email_index: string | null;
  initials: string;
  role: string;
  title: string | null;
  started_on: string | null;
  removed_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TrainingCompletionsTable {
  id: string;
  organization_id: string;
  staff_user_id: string | null;
  roster_id: string | null;
  course_code: string;
  completed_on: DateString;
  source: CompletionSource;
  event_id: string | null;
  certificate_code: string;
  initials: string;
  recorded_by: string | null;
  created_at: Timestamp;
}

export interface TrainingRemindersTable {
  person_id: string;
  requirement_id: string;
  state: 'due' | 'overdue';
  due_on: DateString;
  sent_at: Timestamp;
}

export interface TrainingTables {
  training_courses: TrainingCoursesTable;
  training_requirements: TrainingRequirementsTable;
  training_course_trainers: TrainingCourseTrainersTable;
  training_organization_regions: TrainingOrganizationRegionsTable;
  training_roster: TrainingRosterTable;
  training_completions: TrainingCompletionsTable;
  training_reminders: TrainingRemindersTable;
}
