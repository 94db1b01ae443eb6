/**
 * The SQL of cases: rows of cases, their assignments, notes, services delivered and timeline, the
 * dashboard's keyset pages, the possible duplicates in other regions, and the referral a case is opened
 * from. Plain values in, rows out; no access rules here (the service decides who may see what).
 */
import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { CaseRow } from './core.ts';
import type { AgeBand } from '../intake/index.ts';
import { CASE_COUNT_CAP, type AssignedFilter, type CaseSort, type CaseStatusFilter } from './rules.ts';
import type { CaseNotesTable, CasesTable, SearchTermKind, ServicesDeliveredTable } from './tables.ts';

type Db = Database | Transaction<DB>;

/** A case that is not purged, by id (lower case); with `forUpdate`, its row locked. */
export function caseRow(db: Db, caseId: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId.toLowerCase())
    .where('purged_at', 'is', null);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * A case that is not purged, with what its page shows beside it, in one statement: the names of its
 * region and county, the sealed names of who opened and closed it, its number of notes, the region of
 * the referral it was opened from (`item_region`; `item_found` false when there is none) and the names
 * of the other regions holding a case with the same duplicate index.
 */
export function casePageRow(db: Db, caseId: string) {
  return db
    .selectFrom('cases as c')
    .leftJoin('regions as r', 'r.id', 'c.region_id')
    .leftJoin('counties as co', 'co.fips', 'c.county_fips')
    .leftJoin('staff_users as ob', 'ob.id', 'c.opened_by')
    .leftJoin('staff_users as cb', 'cb.id', 'c.closed_by')
    .selectAll('c')
    .select([
      'r.name as region_name',
      'co.name as county_name',
      'ob.display_name_encrypted as opened_by_name',
      'cb.display_name_encrypted as closed_by_name',
      sql<string>`(select count(*) from case_notes n where n.case_id = c.id)`.as('notes_total'),
      sql<string | null>`(select i.region_id from intake_items i where i.id = c.intake_item_id)`.as(
        'item_region',
      ),
      sql<boolean>`exists (select 1 from intake_items i where i.id = c.intake_item_id)`.as('item_found'),
      sql<string[]>`array(
        select distinct dr.name from cases d join regions dr on dr.id = d.region_id
        where c.duplicate_index is not null and d.duplicate_index = c.duplicate_index
          and d.purged_at is null and d.id <> c.id and d.region_id <> c.region_id
        order by dr.name)`.as('duplicate_regions'),
    ])
    .where('c.id', '=', caseId.toLowerCase())
    .where('c.purged_at', 'is', null)
    .executeTakeFirst();
}

/** Names of the other regions holding a case with the same duplicate index (never ids or counts). */
export async function duplicateRegions(
  db: Db,
  row: Pick<CaseRow, 'id' | 'region_id' | 'duplicate_index'>,
): Promise<string[]> {
  if (!row.duplicate_index) return [];
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.id', 'c.region_id')
    .select('r.name')
    .distinct()
    .where('c.duplicate_index', '=', row.duplicate_index)
    .where('c.purged_at', 'is', null)
    .where('c.id', '<>', row.id)
    .where('c.region_id', '<>', row.region_id)
    .orderBy('r.name')
    .execute();
  return rows.map((r) => r.name);
}

/** A referral (intake item) in the queue, its row locked. */
export const intakeItemForUpdate = (trx: Transaction<DB>, itemId: string) =>
  trx
    .selectFrom('intake_items')
    .select([
      'id',
      'kind',
      'region_id',
      'county_fips',
      'age',
      'status',
      'claimed_by',
      'payload_encrypted',
      'created_at',
    ])
    .where('id', '=', itemId.toLowerCase())
    .forUpdate()
    .executeTakeFirst();

export type IntakeItemRow = NonNullable<Awaited<ReturnType<typeof intakeItemForUpdate>>>;

/** The case opened from a referral, if any (with `livingOnly`, only one not purged). */
export function caseOpenedFrom(db: Db, itemId: string, options: { livingOnly?: boolean } = {}) {
  let query = db.selectFrom('cases').select(['id', 'region_id']).where('intake_item_id', '=', itemId);
  if (options.livingOnly) query = query.where('purged_at', 'is', null);
  return query.executeTakeFirst();
}

export const regionById = (db: Db, regionId: string) =>
  db
    .selectFrom('regions')
    .select(['id', 'jurisdiction', 'name'])
    .where('id', '=', regionId)
    .executeTakeFirst();

export async function countyExists(db: Db, fips: string): Promise<boolean> {
  const county = await db.selectFrom('counties').select('fips').where('fips', '=', fips).executeTakeFirst();
  return county !== undefined;
}

/** Inserts a case; returns the case number it was given (by the `cases_number` trigger). */
export function insertCase(trx: Transaction<DB>, values: Insertable<CasesTable>) {
  return trx
    .insertInto('cases')
    .values(values)
    .returning(['number_region_id', 'number_year', 'number_seq'])
    .executeTakeFirstOrThrow();
}

export async function updateCase(
  trx: Transaction<DB>,
  caseId: string,
  values: Updateable<CasesTable>,
): Promise<void> {
  await trx.updateTable('cases').set(values).where('id', '=', caseId).execute();
}

export async function insertAssignment(
  trx: Transaction<DB>,
  a: { caseId: string; userId: string; assignedBy: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('case_assignments')
    .values({ case_id: a.caseId, user_id: a.userId, assigned_by: a.assignedBy, assigned_at: a.at })
    .execute();
}

/** Whether the person is assigned to the case now. */
export async function isAssigned(db: Db, caseId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_assignments')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends the person's assignment to the case; false when they were not assigned. */
export async function endAssignment(
  trx: Transaction<DB>,
  caseId: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const ended = await trx
    .updateTable('case_assignments')
    .set({ ended_at: at })
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(ended.numUpdatedRows) > 0;
}

/** The current assignments of the cases, oldest first. */
/** The open assignments of the cases, oldest first, with the assignee's sealed display name. */
export const activeAssignments = (db: Db, caseIds: string[]) =>
  caseIds.length
    ? db
        .selectFrom('case_assignments as a')
        .innerJoin('staff_users as u', 'u.id', 'a.user_id')
        .select(['a.case_id', 'a.user_id', 'a.assigned_at', 'u.display_name_encrypted'])
        .where('a.case_id', 'in', caseIds)
        .where('a.ended_at', 'is', null)
        .orderBy('a.assigned_at')
        .execute()
    : Promise.resolve([]);

/** The referral a case was opened from: closed as "connected to services" unless already closed. */
export async function markReferralCaseOpened(
  trx: Transaction<DB>,
  actorUserId: string,
  item: { id: string; status: string; claimed_by: string | null },
  caseId: string,
  now: Date,
): Promise<void> {
  if (item.status !== 'closed') {
    await trx
      .updateTable('intake_items')
      .set({
        status: 'closed',
        claimed_by: item.claimed_by ?? actorUserId,
        claimed_at: item.claimed_by ? undefined : now,
        outcome: 'connected_to_services',
        closed_at: now,
        updated_at: now,
      })
      .where('id', '=', item.id)
      .execute();
  }
  await trx
    .insertInto('intake_events')
    .values({
      item_id: item.id,
      at: now,
      actor_user_id: actorUserId,
      event: 'case_opened',
      detail: JSON.stringify({ case: caseId, ...(item.status !== 'closed' ? { status: 'closed' } : {}) }),
    })
    .execute();
}

/** What a page of the case list is read with: the filters settled, the scope, the page's cursor. */
export interface CaseListQuery {
  userId: string;
  /** The regions in scope (null: every region). */
  regions: string[] | null;
  status: CaseStatusFilter;
  assigned: AssignedFilter;
  county: string | null;
  ageBand: AgeBand | null;
  /** Only cases changed since then. */
  activeSince: Date | null;
  /** The search: a case number (by the regions its code stands for), or a blind-index digest. */
  search:
    | { kind: 'number'; numberRegions: string[]; year: number; seq: number }
    | { kind: 'date_of_birth' | 'name'; digest: string }
    | null;
  sort: CaseSort;
  cursor: { key: string[]; id: string; direction: 'after' | 'before' } | null;
  limit: number;
}

/** The columns of each order, newest first (the case id breaks ties). */
const SORT_COLUMNS: Record<
  CaseSort,
  ('updated_at' | 'opened_at' | 'closed_at' | 'number_year' | 'number_seq')[]
> = {
  activity: ['updated_at'],
  opened: ['opened_at'],
  closed: ['closed_at'],
  number: ['number_year', 'number_seq'],
};

/**
 * A page of the case list and how many cases match in all. Keyset pagination on the order's columns
 * and the id, with the cursor's key as PostgreSQL wrote it (timestamps exact to the microsecond); a
 * `before` cursor reads the page before it (returned in the list's order). The scope (`regions`) is
 * always applied: a search never reaches a case outside it.
 */
export async function caseListPage(db: Database, q: CaseListQuery) {
  const base = () => {
    let query = db.selectFrom('cases as c').where('c.purged_at', 'is', null);
    if (q.regions !== null) query = query.where('c.region_id', 'in', q.regions);
    if (q.status !== 'all') query = query.where('c.status', '=', q.status);
    if (q.county !== null) query = query.where('c.county_fips', '=', q.county);
    if (q.ageBand !== null) query = query.where('c.age_band', '=', q.ageBand);
    if (q.activeSince !== null) query = query.where('c.updated_at', '>=', q.activeSince);
    if (q.sort === 'closed') query = query.where('c.closed_at', 'is not', null);
    const assignment = (userId?: string) =>
      sql<boolean>`exists (select 1 from case_assignments a where a.case_id = c.id and a.ended_at is null${
        userId !== undefined ? sql` and a.user_id = ${userId}` : sql``
      })`;
    if (q.assigned === 'me') query = query.where(assignment(q.userId));
    if (q.assigned === 'anyone') query = query.where(assignment());
    if (q.assigned === 'nobody') query = query.where(sql<boolean>`not ${assignment()}`);
    const search = q.search;
    if (search?.kind === 'number')
      query = query
        .where('c.number_region_id', 'in', search.numberRegions.length ? search.numberRegions : [''])
        .where('c.number_year', '=', search.year)
        .where('c.number_seq', '=', search.seq);
    else if (search) {
      const kinds: SearchTermKind[] =
        search.kind === 'name' ? ['chosen_name', 'legal_name'] : ['date_of_birth'];
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('case_search_terms as t')
            .select('t.case_id')
            .whereRef('t.case_id', '=', 'c.id')
            .where('t.kind', 'in', kinds)
            .where('t.digest', '=', search.digest),
        ),
      );
    }
    return query;
  };
  const columns = SORT_COLUMNS[q.sort];
  const keyRefs = columns.map((col) => sql.ref(`c.${col}`));
  const keyTuple = sql.join([...keyRefs, sql.ref('c.id')]);
  let page = base()
    .leftJoin('regions as r', 'r.id', 'c.region_id')
    .leftJoin('counties as co', 'co.fips', 'c.county_fips')
    .select([
      'c.id',
      'c.personal_encrypted',
      'c.status',
      'c.region_id',
      'r.name as region_name',
      'co.name as county_name',
      'c.age_band',
      'c.opened_at',
      'c.updated_at',
      'c.closed_at',
      'c.number_region_id',
      'c.number_year',
      'c.number_seq',
    ])
    .select(sql<string[]>`array[${sql.join(keyRefs.map((k) => sql`${k}::text`))}]`.as('sort_key'));
  const backwards = q.cursor?.direction === 'before';
  if (q.cursor) {
    const values = q.cursor.key.map((v, i) =>
      columns[i] === 'number_year' || columns[i] === 'number_seq'
        ? sql`${Number(v)}::integer`
        : sql`${v}::timestamptz`,
    );
    const cursorTuple = sql.join([...values, sql`${q.cursor.id}::uuid`]);
    page = page.where(sql<boolean>`(${keyTuple}) ${sql.raw(backwards ? '>' : '<')} (${cursorTuple})`);
  }
  const direction = backwards ? 'asc' : 'desc';
  for (const ref of keyRefs) page = page.orderBy(ref, direction);
  const [rows, count] = await Promise.all([
    page
      .orderBy('c.id', direction)
      .limit(q.limit + 1)
      .execute(),
    // Counted up to one past the cap, in the page's own order (so along the index the page reads): the
    // count costs the same at 20,000 cases as at 200,000.
    db
      .selectFrom(
        keyRefs
          .reduce((query, ref) => query.orderBy(ref, 'desc'), base().select('c.id'))
          .orderBy('c.id', 'desc')
          .limit(CASE_COUNT_CAP + 1)
          .as('matching'),
      )
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(count.n);
  return { rows, total: Math.min(n, CASE_COUNT_CAP), totalCapped: n > CASE_COUNT_CAP };
}

export type CaseListRow = Awaited<ReturnType<typeof caseListPage>>['rows'][number];

/** The ids of the regions (of every jurisdiction). */
export async function regionIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('regions').select('id').execute();
  return rows.map((r) => r.id);
}

/** The newest notes of a case (bodies still sealed), with their authors' sealed names. */
export const latestNotes = (db: Db, caseId: string, limit: number) =>
  db
    .selectFrom('case_notes as n')
    .leftJoin('staff_users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.category', 'n.body_encrypted', 'n.author_id', 'n.created_at'])
    .select('u.display_name_encrypted as author_name')
    .where('n.case_id', '=', caseId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(limit)
    .execute();

/** The services delivered in a case, newest first, with the recorders' sealed names. */
export const servicesOf = (db: Db, caseId: string) =>
  db
    .selectFrom('services_delivered as s')
    .leftJoin('staff_users as u', 'u.id', 's.recorded_by')
    .select(['s.id', 's.service_code', 's.delivered_on', 's.recorded_by', 's.created_at'])
    .select('u.display_name_encrypted as recorded_by_name')
    .where('s.case_id', '=', caseId)
    .orderBy('s.delivered_on', 'desc')
    .orderBy('s.created_at', 'desc')
    .execute();

export async function insertNote(trx: Transaction<DB>, values: Insertable<CaseNotesTable>): Promise<void> {
  await trx.insertInto('case_notes').values(values).execute();
}

export async function insertService(
  trx: Transaction<DB>,
  values: Insertable<ServicesDeliveredTable>,
): Promise<void> {
  await trx.insertInto('services_delivered').values(values).execute();
}

/**
 * A page of a case's timeline, newest first, before the entry `before` (its id), with the actors'
 * sealed names.
 */
export async function timelinePage(db: Db, caseId: string, before: string | null, limit: number) {
  let q = db
    .selectFrom('case_events as e')
    .leftJoin('staff_users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.at', 'e.event', 'e.actor_user_id', 'e.detail'])
    .select('u.display_name_encrypted as actor_name')
    .where('e.case_id', '=', caseId);
  // The cursor row's own (at, id): entries written with the same time still page exactly.
  if (before !== null)
    q = q.where(
      sql<boolean>`(e.at, e.id) < (select k.at, k.id from case_events k where k.id = ${before} and k.case_id = ${caseId})`,
    );
  const rows = await q
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? String(page[page.length - 1]!.id) : null };
}

/** The active navigators of a region: ids and sealed display names. */
export const navigatorRows = (db: Db, regionId: string) =>
  db
    .selectFrom('staff_users')
    .select(['id', 'display_name_encrypted'])
    .where('role', '=', 'navigator')
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`${regionId} = any(regions)`)
    .execute();

export const staffUser = (db: Db, userId: string) =>
  db
    .selectFrom('staff_users')
    .select(['id', 'role', 'regions', 'disabled_at'])
    .where('id', '=', userId.toLowerCase())
    .executeTakeFirst();

/** Replaces the search terms of a case. */
export async function replaceSearchTerms(
  trx: Transaction<DB>,
  caseId: string,
  terms: { kind: SearchTermKind; digest: string }[],
): Promise<void> {
  await trx.deleteFrom('case_search_terms').where('case_id', '=', caseId).execute();
  if (terms.length)
    await trx
      .insertInto('case_search_terms')
      .values(terms.map((t) => ({ case_id: caseId, ...t })))
      .execute();
}

/**
 * Up to `limit` cases not purged that have no search terms yet (no `chosen_name` term), locked: another
 * run (another instance) takes other cases; a case being changed waits for its change.
 */
export function casesWithoutSearchTerms(trx: Transaction<DB>, limit: number, skip: string[]) {
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
    .limit(limit)
    .forUpdate()
    .skipLocked();
  if (skip.length) query = query.where('c.id', 'not in', skip);
  return query.execute();
}
