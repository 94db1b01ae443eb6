/**
 * Stored screening instruments (table `screening_instruments`): SQL only.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { InstrumentStatus } from './tables.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** The published instrument's key and checksum (at most one, by a unique index). */
export function publishedInstrument(db: Executor, options: { lock?: boolean } = {}) {
  const query = db
    .selectFrom('screening_instruments')
    .select(['id', 'version', 'checksum'])
    .where('status', '=', 'published');
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/** A stored instrument's definition and checksum. */
export function storedDefinition(db: Executor, id: string, version: string) {
  return db
    .selectFrom('screening_instruments')
    .select(['definition', 'checksum'])
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Every stored instrument, newest first. */
export function storedInstruments(db: Executor) {
  return db
    .selectFrom('screening_instruments')
    .select(['id', 'version', 'name', 'validated', 'status', 'loaded_at'])
    .orderBy('loaded_at', 'desc')
    .orderBy('id')
    .orderBy('version')
    .execute();
}

/** A stored instrument's checksum and status, locked for the rest of the transaction. */
export function lockInstrument(trx: Transaction<DB>, id: string, version: string) {
  return trx
    .selectFrom('screening_instruments')
    .select(['checksum', 'status'])
    .where('id', '=', id)
    .where('version', '=', version)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertInstrument(
  trx: Transaction<DB>,
  row: {
    id: string;
    version: string;
    name: string;
    validated: boolean;
    definition: string;
    checksum: string;
    loadedBy: string;
  },
): Promise<void> {
  await trx
    .insertInto('screening_instruments')
    .values({
      id: row.id,
      version: row.version,
      name: row.name,
      validated: row.validated,
      definition: row.definition,
      checksum: row.checksum,
      loaded_by: row.loadedBy,
    })
    .onConflict((oc) => oc.columns(['id', 'version']).doNothing())
    .execute();
}

export async function setInstrumentStatus(
  trx: Transaction<DB>,
  id: string,
  version: string,
  status: InstrumentStatus,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('screening_instruments')
    .set({ status, status_changed_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .execute();
}
