/**
 * Table types for certified specialized residential settings and their direct-contact staff
 * (migration 0021).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date as PostgreSQL writes it (`YYYY-MM-DD`; src/db/database.ts keeps dates as text). */
type DateString = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export interface CertifiedSettingsTable {
  id: string;
  organization_id: string;
  program_id: string | null;
  name: string;
  license_number: string;
  certification_number: string;
  certified_on: DateString;
  expires_on: DateString;
  status: 'certified' | 'renewal_pending' | 'suspended' | 'revoked';
  notes_encrypted: Buffer | null;
  reminded_60_for: NullableDate;
  reminded_30_for: NullableDate;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface CertifiedSettingStaffTable {
  id: string;
  setting_id: string;
  name_encrypted: Buffer;
  role_title: string;
  started_on: DateString;
  trained_on: NullableDate;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CertifiedSettingTables {
  certified_settings: CertifiedSettingsTable;
  certified_setting_staff: CertifiedSettingStaffTable;
}
