/**
 * Intake's SQL: writing a new item with its first history line, and finding an item's status by the
 * hash of its reference code.
 */
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { IntakeStatus } from './tables.ts';

export async function insertItem(trx: Transaction<DB>, row: Insertable<DB['intake_items']>): Promise<void> {
  await trx.insertInto('intake_items').values(row).execute();
}

export async function insertEvent(trx: Transaction<DB>, row: Insertable<DB['intake_events']>): Promise<void> {
  await trx.insertInto('intake_events').values(row).execute();
}

export async function statusByReferenceHash(db: Database, hash: string): Promise<IntakeStatus | null> {
  const row = await db
    .selectFrom('intake_items')
    .select('status')
    .where('reference_hash', '=', hash)
    .executeTakeFirst();
  return row ? row.status : null;
}
