/**
 * SQL of translations made after shipping.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { LaterTranslation } from '../../platform/i18n/index.ts';

export async function laterTranslations(db: Kysely<DB>): Promise<LaterTranslation[]> {
  return db.selectFrom('translations').select(['locale', 'key', 'text', 'status', 'source']).execute();
}

/** Writes the rows, each over any earlier one of its language and key. */
export async function saveTranslations(
  trx: Transaction<DB>,
  rows: readonly LaterTranslation[],
  updatedBy: string | null,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('translations')
      .values(rows.slice(i, i + 500).map((r) => ({ ...r, updated_by: updatedBy, updated_at: new Date() })))
      .onConflict((oc) =>
        oc.columns(['locale', 'key']).doUpdateSet((eb) => ({
          text: eb.ref('excluded.text'),
          status: eb.ref('excluded.status'),
          source: eb.ref('excluded.source'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
