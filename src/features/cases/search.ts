/**
 * Finding cases: the case list (filters, presets, pages, and search by case number, date of birth or
 * name), the possible duplicates of a case in other regions, and the blind indexes the search reads —
 * a keyed hash (HMAC-SHA256 under the `case-search` index key, its own key derived with HKDF, see
 * platform/crypto/blind-index.ts) of the young person's normalised chosen name, legal name and date of
 * birth, one row per kind in `case_search_terms`. The terms are written in the transaction that writes
 * the case's personal data, removed when the case is purged (a trigger of migration 0013), and filled in
 * for older cases by {@link backfillSearchTerms}. A term tells only which cases share a value: the value
 * itself cannot be read back without the key.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { recordReadAudit } from '../../platform/audit/audit.ts';
import { blindIndex, type Keyring } from '../../platform/crypto/index.ts';
import type { AnyKysely } from '../../platform/crypto/tables.ts';
import type { RecurringJob } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/log.ts';
import { READ, caseInScope, type CaseServiceContext } from './changes.ts';
import { auditCase, nowOf, openPersonal, type CasePersonal, type RequestOrigin } from './core.ts';
import * as q from './queries.ts';
import { namesOf } from '../queue/service.ts';
import {
  CASE_PAGE_SIZE,
  caseNumberOf,
  normaliseForSearch,
  regionCode,
  searchQueryOf,
  encodeCursor,
  person,
  type AppliedCaseFilters,
  type AssignedFilter,
  type CaseList,
  type CaseListFilters,
  type CaseListView,
  type CaseStatusFilter,
  type CaseSummary,
} from './rules.ts';
import { CaseInputError, caseListSchema } from './schema.ts';
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
  await q.replaceSearchTerms(trx, caseId, await searchTermsOf(keyring, personal, trx));
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
      const rows = await q.casesWithoutSearchTerms(trx, batchSize, [...skipped]);
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

// ---------------------------------------------------------------------------------------------------
// Duplicates

/**
 * "A possible match exists in region X": the names of other regions that hold a case with the same
 * normalised chosen name and date of birth. Nothing else about those cases is told. Audited
 * (`case.duplicates`).
 *
 * @example
 * await possibleDuplicates(ctx, navigator, caseId, origin) // ['Southeast']
 */
export async function possibleDuplicates(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<string[]> {
  authorize(actor, 'cases.read', undefined, READ);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await caseInScope(trx, actor, caseId, 'cases.read');
    const regions = await q.duplicateRegions(trx, row);
    await auditCase(trx, actor, origin, {
      action: 'case.duplicates',
      caseId: row.id,
      details: { region: row.region_id, possible_matches_in_regions: regions.length },
    });
    return regions;
  });
}

// ---------------------------------------------------------------------------------------------------
// The dashboards' lists

/** The preset a combination of filters amounts to, if any. */
function viewOf(status: CaseStatusFilter, assigned: AssignedFilter): CaseListView | null {
  if (status === 'open' && assigned === 'me') return 'mine';
  if (status === 'open' && assigned === 'all') return 'open';
  if (status === 'closed' && assigned === 'all') return 'closed';
  return null;
}

/**
 * A page of the case list: the cases of the actor's regions (every region for a state administrator)
 * that match the filters, in the chosen order, a page at a time (`after` / `before`: the cursors of the
 * neighbouring pages). A preset `view` sets the status and assigned filters left out: the actor's own
 * open cases (`mine`, the default for a navigator), open cases (`open`, the default for a state
 * administrator) or closed ones (`closed`, most recently closed first).
 *
 * The search text `q` is a case number (`WM-2026-0042`), a date of birth (`2009-04-12`, `4/12/2009`)
 * or an exact chosen or legal name, matched through blind indexes (case, accents and spacing do not
 * matter): nothing is decrypted to search. Only the page's rows are decrypted (the chosen name), and
 * the read is audited (`case.list`, with the ids shown and the filters' codes; for a search, that one
 * happened and how many cases it found — never its text).
 *
 * @example
 * const page = await listCases(ctx, navigator, { q: 'WM-2026-0042' }, origin);
 */
export async function listCases(
  ctx: CaseServiceContext,
  actor: Actor,
  filters: CaseListFilters,
  origin: RequestOrigin,
): Promise<CaseList> {
  const scope = authorize(actor, 'cases.read', undefined, READ);
  const schema = caseListSchema((regionId) => can(actor, 'cases.read', { regionId }));
  const parsed = schema.safeParse(filters);
  // One problem at a time, in the order of the filters.
  if (!parsed.success) throw new CaseInputError(CaseInputError.from(parsed.error).problems.slice(0, 1));
  const f = parsed.data;
  const presetView = f.view ?? (scope.all ? 'open' : 'mine');
  // A search looks through every case in scope, open or closed, unless filters say otherwise.
  const searching = f.q !== null;
  const status = f.status ?? (searching ? 'all' : presetView === 'closed' ? 'closed' : 'open');
  const assigned = f.assigned ?? (presetView === 'mine' && !searching ? 'me' : 'all');
  const sort = f.sort ?? (status === 'closed' ? 'closed' : 'opened');
  if (sort === 'closed' && status !== 'closed')
    throw new CaseInputError([
      { field: 'sort', message: 'Sort by date closed is for closed cases: choose another order.' },
    ]);
  const cursor = f.after ?? f.before;
  if (cursor && cursor.sort !== sort)
    throw new CaseInputError([
      { field: f.after ? 'after' : 'before', message: 'That page of cases does not exist.' },
    ]);
  const search = f.q !== null ? searchQueryOf(f.q) : null;
  if (f.q !== null && search === null)
    throw new CaseInputError([
      { field: 'q', message: 'Search: that date does not exist. Enter a date of birth like 2009-04-12.' },
    ]);
  const applied: AppliedCaseFilters = {
    view: f.q === null && !f.county && !f.ageBand && !f.activity ? viewOf(status, assigned) : null,
    q: f.q,
    searchKind: search?.kind ?? null,
    status,
    assigned,
    region: f.region,
    county: f.county,
    ageBand: f.ageBand,
    activity: f.activity,
    sort,
  };
  const limit = Math.min(Math.max(filters.limit ?? CASE_PAGE_SIZE, 1), 100);
  const regions = f.region !== null ? [f.region] : scope.all ? null : scope.regions;
  const now = nowOf(ctx);

  let searchTerm: q.CaseListQuery['search'] = null;
  if (search?.kind === 'number') {
    const numberRegions = (await q.regionIds(ctx.db)).filter((id) => regionCode(id) === search.code);
    searchTerm = { kind: 'number', numberRegions, year: search.year, seq: search.seq };
  } else if (search)
    searchTerm = {
      kind: search.kind,
      digest: await searchDigest(ctx.keyring, search.kind === 'name' ? search.name : search.date),
    };

  const empty = regions !== null && regions.length === 0;
  const { rows, total, totalCapped } = empty
    ? { rows: [], total: 0, totalCapped: false }
    : await q.caseListPage(ctx.db, {
        userId: actor.userId,
        regions,
        status,
        assigned,
        county: f.county,
        ageBand: f.ageBand,
        activeSince: f.activity ? new Date(now.getTime() - Number(f.activity) * 86_400_000) : null,
        search: searchTerm,
        sort,
        cursor: cursor ? { key: cursor.key, id: cursor.id, direction: f.after ? 'after' : 'before' } : null,
        limit,
      });
  const backwards = f.before !== null;
  const more = rows.length > limit;
  const shown = backwards ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const cursorOf = (r: q.CaseListRow) => encodeCursor({ sort, key: r.sort_key, id: r.id });
  const first = shown[0];
  const last = shown[shown.length - 1];
  // Forwards: a next page when more rows came, a previous one when this page has a cursor. Backwards:
  // the reverse.
  const next = last && (backwards || more) ? cursorOf(last) : null;
  const previous = first && (backwards ? more : cursor !== null) ? cursorOf(first) : null;
  const ids = shown.map((r) => r.id);
  const assignments = await q.activeAssignments(ctx.db, ids);
  const names = await namesOf(
    ctx,
    assignments.map((a) => ({ id: a.user_id, display_name_encrypted: a.display_name_encrypted })),
  );
  const who = (id: string) => person(names, id);
  const cases = await Promise.all(
    shown.map(async (r): Promise<CaseSummary> => {
      let chosenName: string | null = null;
      try {
        chosenName = (await openPersonal(ctx.keyring, r)).chosenName;
      } catch {
        // An erased or unreadable case still lists, without its name.
      }
      return {
        id: r.id,
        caseNumber: caseNumberOf(r),
        chosenName,
        status: r.status,
        regionId: r.region_id,
        regionName: r.region_name ?? r.region_id,
        countyName: r.county_name ?? null,
        ageBand: r.age_band,
        openedAt: r.opened_at,
        updatedAt: r.updated_at,
        closedAt: r.closed_at,
        assigned: assignments.filter((a) => a.case_id === r.id).map((a) => who(a.user_id)!),
      };
    }),
  );
  // Codes only: never the search text, which may be a name or a date of birth.
  const codes = {
    ...(applied.view === null ? { status, assigned } : {}),
    ...(f.county ? { county: f.county } : {}),
    ...(f.ageBand ? { age_band: f.ageBand } : {}),
    ...(f.activity ? { activity_days: Number(f.activity) } : {}),
    ...(f.sort ? { sort } : {}),
  };
  if (cases.length || search)
    await recordReadAudit(ctx.db, actor, origin, {
      action: 'case.list',
      subjectType: 'case',
      details: {
        ...(applied.view ? { view: applied.view } : {}),
        ...(f.region ? { region: f.region } : {}),
        ...codes,
        ...(search ? { search: true, results: total } : {}),
        cases: ids,
      },
    });
  return { cases, total, totalCapped, next, previous, filters: applied };
}
