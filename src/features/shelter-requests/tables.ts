/**
 * Table types for shelter requests, their offers and placements (migration 0019).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ShelterRequestsTable {
  id: string;
  case_id: string;
  region_id: string;
  county_fips: string;
  age_band: string;
  gender: string;
  needs: ColumnType<string[], string[] | undefined, string[]>;
  urgency: 'tonight' | 'this_week';
  hold_minutes: number;
  status: ColumnType<'open' | 'placed' | 'withdrawn', 'open' | 'placed' | 'withdrawn' | undefined>;
  confirmed_offer_id: string | null;
  referral_id: string | null;
  escalated_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  closed_at: NullableTimestamp;
  /** Why a withdrawn request closed (migration 0020); null while open or once placed. */
  close_reason: CloseReason | null;
}

export type CloseReason = 'no_bed_found' | 'found_elsewhere' | 'no_longer_needed' | 'case_closed';

export type OfferStatus = 'waiting' | 'holding' | 'declined' | 'confirmed' | 'released' | 'expired';

export interface ShelterOffersTable {
  id: string;
  request_id: string;
  program_id: string;
  organization_id: string;
  status: ColumnType<OfferStatus, OfferStatus | undefined>;
  decline_reason: string | null;
  held_until: NullableTimestamp;
  answered_by: string | null;
  answered_at: NullableTimestamp;
}

export interface HousingPlacementsTable {
  id: string;
  case_id: string;
  program_id: string;
  request_id: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: string | null;
  went_to: string | null;
  created_by: string | null;
  ended_by: string | null;
  created_at: Timestamp;
}

export interface ShelterTables {
  shelter_requests: ShelterRequestsTable;
  shelter_offers: ShelterOffersTable;
  housing_placements: HousingPlacementsTable;
}
