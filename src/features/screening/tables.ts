/**
 * Table types for screening instruments (migration 0008).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type InstrumentStatus = 'loaded' | 'published' | 'retired';

export interface ScreeningInstrumentsTable {
  id: string;
  version: string;
  name: string;
  validated: boolean;
  definition: ColumnType<unknown, string, string>;
  checksum: string;
  status: ColumnType<InstrumentStatus, InstrumentStatus | undefined, InstrumentStatus>;
  loaded_by: string | null;
  loaded_at: Timestamp;
  status_changed_at: Timestamp;
}

export interface ScreeningTables {
  screening_instruments: ScreeningInstrumentsTable;
}
