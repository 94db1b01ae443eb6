/**
 * Query-builder types for the rate-limit counters (migration 0004_rate_limits.sql). The lead merges
 * `RateLimitTables` into `DB` in src/db/types.ts (`export interface DB extends RateLimitTables { … }`).
 */
import type { ColumnType, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/**
 * One counter: the hits of one key in one bucket during one window, or (for a lock bucket) one lock
 * whose `window_start` is when it began.
 */
export interface RateLimitsTable {
  /** What is counted, e.g. `sign-in.address-failures`: a short lowercase name fixed in the code. */
  bucket: string;
  /** HMAC-SHA256 of the bucket and the key (32 hex characters): never the address or account itself. */
  key_hash: string;
  window_start: Timestamp;
  count: number;
  /** When the row stops mattering: window start + 2 windows (the next window still reads it), or a lock's end. */
  expires_at: Timestamp;
}

export interface RateLimitTables {
  rate_limits: RateLimitsTable;
}

/**
 * Any `Kysely<DB>` or `Transaction<DB>` whose `DB` includes `RateLimitTables` (a `Kysely<DB>` is not
 * assignable to `Kysely<RateLimitTables>`, hence `any`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/**
 * The same connection or transaction, typed for the rate-limit table.
 *
 * @example
 * await rateLimitDb(db).selectFrom('rate_limits').select('bucket').execute();
 */
export function rateLimitDb(db: AnyKysely): Kysely<RateLimitTables> {
  return db as Kysely<RateLimitTables>;
}
