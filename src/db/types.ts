/**
 * Table types for the query builder, kept beside the migrations they mirror.
 */
import type { ColumnType, Generated } from 'kysely';
import type { AccountTables } from '../features/accounts/tables.ts';
import type { IntakeTables } from '../features/intake/tables.ts';
import type { CaseTables } from '../features/cases/tables.ts';
import type { AuditTables } from '../platform/audit/tables.ts';
import type { CryptoTables } from '../platform/crypto/tables.ts';
import type { MailTables } from '../platform/mail/tables.ts';
import type { RateLimitTables } from '../platform/rate-limit/tables.ts';
import type { ScreeningTables } from '../features/screening/tables.ts';
import type { HousingTables } from '../features/housing/tables.ts';
import type { ShelterTables } from '../features/shelter-requests/tables.ts';
import type { CertifiedSettingTables } from '../features/certified-settings/tables.ts';
import type { EventTables } from '../features/events/tables.ts';
import type { TranslationTables } from '../features/translations/tables.ts';
import type { TrainingTables } from '../features/training/tables.ts';
import type { EvaluationTables } from '../features/evaluation/tables.ts';

type DateString = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

interface ProvenanceColumns {
  source: string;
  retrieved: DateString;
  verified: boolean;
  note: string | null;
}

/** Who checked a fact an administrator maintains, when, and whether an administrator last wrote it (0011). */
interface StewardshipColumns {
  checked_by: ColumnType<string, string | undefined, string>;
  /** Generated from `retrieved`: the day the fact was last checked. */
  checked_at: ColumnType<string, never, never>;
  edited_by: ColumnType<string | null, string | null | undefined, string | null>;
  edited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PacksTable {
  jurisdiction: string;
  name: string;
  timezone: string;
  statewide_line_id: string;
  emergency_line_id: string;
  version: string;
  checksum: string;
  source: string;
  retrieved: DateString;
  verified: boolean;
  imported_at: Timestamp;
}

export interface CountiesTable extends ProvenanceColumns {
  fips: string;
  jurisdiction: string;
  name: string;
  slug: string;
}

export interface OrganizationsTable extends ProvenanceColumns, StewardshipColumns {
  id: string;
  jurisdiction: string;
  name: string;
  description: string;
  city: string | null;
  website: string | null;
  email: string | null;
  phones: ColumnType<{ dial: string; display: string; description: string | null }[], string, string>;
  type: ColumnType<string, string | undefined, string>;
  text_dial: ColumnType<string | null, string | null | undefined, string | null>;
  text_display: ColumnType<string | null, string | null | undefined, string | null>;
  hours: ColumnType<string | null, string | null | undefined, string | null>;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  address_confidential: ColumnType<boolean, boolean | undefined, boolean>;
  member_organization_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RegionsTable extends ProvenanceColumns, StewardshipColumns {
  id: string;
  jurisdiction: string;
  name: string;
  navigator_organization_id: string | null;
  effective_from: DateString;
  effective_to: DateString | null;
}

export interface RegionCountiesTable extends ProvenanceColumns, StewardshipColumns {
  region_id: string;
  county_fips: string;
  effective_from: DateString;
  effective_to: DateString | null;
}

export interface LinesToCallTable extends ProvenanceColumns {
  id: string;
  jurisdiction: string;
  name: string;
  description: string;
  scope: 'emergency' | 'statewide' | 'national';
  call_dial: string | null;
  call_display: string | null;
  text_dial: string | null;
  text_display: string | null;
  text_body: string | null;
  url: string | null;
  hours: string | null;
  sort_order: number;
}

export interface ZipCountiesTable {
  zip: string;
  county_fips: string;
  city: string;
  share: ColumnType<number, number, number>;
  source: string;
  retrieved: DateString;
  verified: boolean;
}

export interface DirectoryServicesTable extends ProvenanceColumns, StewardshipColumns {
  id: string;
  jurisdiction: string;
  name: string;
  organization_name: string | null;
  description: string | null;
  program_types: string[];
  genders: string[];
  minimum_age: number | null;
  maximum_age: number | null;
  languages: string[];
  county_fips: string[];
  statewide: boolean;
  culturally_specific: boolean;
  culturally_specific_for: string | null;
  lgbtq_affirming: boolean;
  confidential_location: boolean;
  hsds: ColumnType<Record<string, unknown>, string, string>;
  origin: 'pack' | 'hsds-import';
  updated_at: Generated<Date>;
}

export interface DataVersionsTable {
  name: string;
  version: Generated<number>;
  changed_at: Generated<Date>;
}

export interface DB
  extends
    AccountTables,
    CaseTables,
    IntakeTables,
    AuditTables,
    CryptoTables,
    MailTables,
    RateLimitTables,
    ScreeningTables,
    HousingTables,
    ShelterTables,
    CertifiedSettingTables,
    EventTables,
    TrainingTables,
    EvaluationTables,
    TranslationTables {
  packs: PacksTable;
  counties: CountiesTable;
  organizations: OrganizationsTable;
  regions: RegionsTable;
  region_counties: RegionCountiesTable;
  lines_to_call: LinesToCallTable;
  zip_counties: ZipCountiesTable;
  directory_services: DirectoryServicesTable;
  data_versions: DataVersionsTable;
}
