/**
 * Table types for staff accounts (migration 0006).
 */
import type { ColumnType, Generated } from 'kysely';
import type { OrganizationType, Role } from '../../platform/access.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface MemberOrganizationsTable {
  id: Generated<string>;
  name: string;
  type: OrganizationType;
  created_at: Generated<Date>;
  disabled_at: NullableTimestamp;
}

export interface StaffUsersTable {
  id: string;
  organization_id: string;
  email_index: string;
  email_encrypted: Buffer;
  display_name_encrypted: Buffer | null;
  role: Role;
  regions: ColumnType<string[], string[] | undefined, string[]>;
  password_hash: string | null;
  totp_secret_encrypted: Buffer | null;
  totp_pending_encrypted: Buffer | null;
  /** When the pending key was made; it is shown again until it is confirmed or an hour has passed. */
  totp_pending_since: Date | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  recovery_code_hashes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export type SessionStage = 'second_factor' | 'enrol_second_factor' | 'complete';

export interface StaffSessionsTable {
  id_hash: string;
  user_id: string;
  stage: SessionStage;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  reauthenticated_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  ip: string | null;
  user_agent: string | null;
}

export type LinkPurpose = 'setup' | 'invitation' | 'password_reset';

export interface OneTimeLinksTable {
  token_hash: string;
  purpose: LinkPurpose;
  user_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  scopes: string[];
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface AccountTables {
  member_organizations: MemberOrganizationsTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  one_time_links: OneTimeLinksTable;
  api_tokens: ApiTokensTable;
}
