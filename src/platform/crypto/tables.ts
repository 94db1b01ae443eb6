/**
 * Table types for the encryption layer (migration 0002_data_keys). The lead merges `CryptoTables` into
 * `DB` in src/db/types.ts (`export interface DB extends CryptoTables { … }`).
 */
import type { ColumnType, Generated, Kysely } from 'kysely';

type CreatedAt = Generated<Date>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** One data key (DEK) per scope, stored wrapped under a master key; emptied when destroyed. */
export interface DataKeysTable {
  id: Generated<string>;
  scope: string;
  /** version byte, 12-byte IV, wrapped key, 16-byte tag; empty once destroyed. */
  wrapped: Buffer;
  master_key_id: string;
  created_at: CreatedAt;
  rotated_at: NullableTimestamp;
  destroyed_at: NullableTimestamp;
}

/** One random blind-index key per purpose, stored wrapped under a master key. */
export interface IndexKeysTable {
  purpose: string;
  wrapped: Buffer;
  master_key_id: string;
  created_at: CreatedAt;
  rotated_at: NullableTimestamp;
}

export interface CryptoTables {
  data_keys: DataKeysTable;
  index_keys: IndexKeysTable;
}

/**
 * Any `Kysely<DB>` or `Transaction<DB>` whose `DB` includes `CryptoTables` (a `Transaction<DB>` is not
 * assignable to `Kysely<CryptoTables>`, hence `any`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/**
 * The same connection or transaction, typed for the encryption tables.
 *
 * @example
 * await cryptoDb(trx).selectFrom('data_keys').select('id').execute();
 */
export function cryptoDb(db: AnyKysely): Kysely<CryptoTables> {
  return db as Kysely<CryptoTables>;
}
