/**
 * Table types for housing programs and their availability history (migration 0018).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** One kind of bed in a program, with how many there are and how many are free. */
export interface BedTypeCount {
  name: string;
  total: number;
  available: number;
}

type BedTypes = ColumnType<BedTypeCount[], string | undefined, string>;

export interface HousingProgramsTable {
  id: string;
  organization_id: string;
  name: string;
  program_type: string;
  min_age: number;
  max_age: number;
  genders: string[];
  serves: ColumnType<string[], string[] | undefined, string[]>;
  culturally_specific_for: string | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  region_ids: ColumnType<string[], string[] | undefined, string[]>;
  county_fips: ColumnType<string[], string[] | undefined, string[]>;
  address_encrypted: Buffer | null;
  beds_total: number;
  beds_available: number | null;
  bed_types: BedTypes;
  availability_updated_at: NullableTimestamp;
  availability_updated_by: string | null;
  stale_reminded_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HousingAvailabilityUpdatesTable {
  id: string;
  program_id: string;
  beds_available: number;
  beds_total: number;
  bed_types: BedTypes;
  via: 'page' | 'api' | 'synthetic';
  updated_by: string | null;
  created_at: Timestamp;
}

export interface HousingTables {
  housing_programs: HousingProgramsTable;
  housing_availability_updates: HousingAvailabilityUpdatesTable;
}
