/**
 * The blind indexes the case list searches: a keyed hash (HMAC-SHA256 under the `case-search` index
 * key, its own key derived with HKDF, see platform/crypto/blind-index.ts) of the young person's
 * normalised chosen name, legal name and date of birth, one row per kind in `case_search_terms`. They
 * are written in the transaction that writes the case's personal data, removed when the case is purged
 * (a trigger of migration 0013), and filled in for older cases by {@link backfillSearchTerms}.
 *
 * A term tells only which cases share a value: the value itself cannot be read back without the key.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { blindIndex, type Keyring } from '../../platform/crypto/index.ts';
import type { AnyKysely } from '../../platform/crypto/tables.ts';
import type { RecurringJob } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/log.ts';
import { openPersonal, type CasePersonal } from './core.ts';
import { normaliseForSearch } from './numbers.ts';
import type { SearchTermKind } from './tables.ts';

/** The blind-index purpose (and HKDF label) of the case search key. */
export const CASE_SEARCH_PURPOSE = 'case-search';

/** The digest of a normalised name or ISO date under the case search key. */
export async function searchDigest(keyring: Keyring, normalised: string, trx?: AnyKysely): Promise<string> {
  return blindIndex(await keyring.indexKeyFor(CASE_SEARCH_PURPOSE, trx), normalised);
}

/**
 * The search terms of a case's personal data: its chosen name, its legal name when it holds one, and its
 * date of birth when known.
 *
 * @example
 * await searchTermsOf(keyring, { chosenName: 'José', legalName: null, dateOfBirth: '2009-04-12' })
 * // [{ kind: 'chosen_name', digest: '…' }, { kind: 'date_of_birth', digest: '…' }]
 */
export async function searchTermsOf(
  keyring: Keyring,
  personal: Pick<CasePersonal, 'chosenName' | 'legalName' | 'dateOfBirth'>,
  trx?: AnyKysely,
): Promise<{ kind: SearchTermKind; digest: string }[]> {
  const values: [SearchTermKind, string | null][] = [
    ['chosen_name', normaliseForSearch(personal.chosenName)],
    ['legal_name', personal.legalName ? normaliseForSearch(personal.legalName) : null],
    ['date_of_birth', personal.dateOfBirth],
  ];
  const terms: { kind: SearchTermKind; digest: string }[] = [];
  for (const [kind, value] of values)
    if (value) terms.push({ kind, digest: await searchDigest(keyring, value, trx) });
  return terms;
}

/** Replaces the search terms of a case (in the transaction that writes its personal data). */
export async function writeSearchTerms(
  trx: Transaction<DB>,
  keyring: Keyring,
  caseId: string,
  personal: Pick<CasePersonal, 'chosenName' | 'legalName' | 'dateOfBirth'>,
): Promise<void> {
  const terms = await searchTermsOf(keyring, personal, trx);
  await trx.deleteFrom('case_search_terms').where('case_id', '=', caseId).execute();
  if (terms.length)
    await trx
      .insertInto('case_search_terms')
      .values(terms.map((t) => ({ case_id: caseId, ...t })))
      .execute();
}

/**
 * Fills in the search terms of cases that have none (every case has a chosen name, so a case without a
 * `chosen_name` term was opened before search existed), `batchSize` cases per transaction, until none
 * is left. A case whose data cannot be read (its key destroyed) is skipped. Safe to run again, and
 * alongside the service. Returns how many cases were filled in.
 *
 * @example
 * await backfillSearchTerms({ db, keyring }); // 0 once every case has its terms
 */
export async function backfillSearchTerms(
  ctx: { db: Database; keyring: Keyring },
  options: { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  let filled = 0;
  const skipped = new Set<string>();
  for (;;) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('cases as c')
        .select(['c.id', 'c.personal_encrypted'])
        .where('c.purged_at', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('case_search_terms as t')
                .select('t.case_id')
                .whereRef('t.case_id', '=', 'c.id')
                .where('t.kind', '=', 'chosen_name'),
            ),
          ),
        )
        .orderBy('c.id')
        .limit(batchSize)
        // Another run (another instance) takes other cases; a case being changed waits for its change.
        .forUpdate()
        .skipLocked();
      if (skipped.size) query = query.where('c.id', 'not in', [...skipped]);
      const rows = await query.execute();
      for (const row of rows) {
        try {
          await writeSearchTerms(trx, ctx.keyring, row.id, await openPersonal(ctx.keyring, row));
          filled += 1;
        } catch {
          skipped.add(row.id);
        }
      }
      return rows.length < batchSize;
    });
    if (done) return filled;
  }
}

/** The background job that fills in search terms of older cases (every 10 minutes; quick when none). */
export const searchTermsJob = (deps: { db: Database; keyring: Keyring; log?: Logger }): RecurringJob => ({
  name: 'case-search-terms',
  cron: '*/10 * * * *',
  run: async () => {
    const filled = await backfillSearchTerms(deps);
    if (filled) deps.log?.info({ cases: filled }, 'case search terms filled in');
    return filled;
  },
});
