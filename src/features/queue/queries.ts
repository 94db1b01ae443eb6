/**
 * The navigator queue's SQL: reading items and their history, the changes a navigator makes, and the
 * escalation job's reads and writes. Plain values in, rows out; no rules, no access checks.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { RegionScope } from '../../platform/access.ts';
import type { IntakeStatus, Urgency } from '../intake/index.ts';
import type { QueueView } from './rules.ts';

type Db = Database | Transaction<DB>;

const SUMMARY_COLUMNS = [
  'i.id',
  'i.kind',
  'i.region_id',
  'r.name as region_name',
  'i.county_fips',
  'c.name as county_name',
  'i.age',
  'i.age_band',
  'i.urgency',
  'i.status',
  'i.claimed_by',
  'i.claimed_at',
  'i.outcome',
  'i.escalation_level',
  'i.created_at',
  'i.closed_at',
] as const;

function summaryQuery(db: Db) {
  return db
    .selectFrom('intake_items as i')
    .leftJoin('regions as r', 'r.id', 'i.region_id')
    .leftJoin('counties as c', 'c.fips', 'i.county_fips')
    .select(SUMMARY_COLUMNS);
}

export type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

export interface ListRowsFilter {
  scope: RegionScope;
  view: QueueView;
  /** A region id, or `none` for items without a region. */
  region?: string | undefined;
  urgency?: Urgency | undefined;
  userId: string;
  limit: number;
}

type ItemsEb = ExpressionBuilder<DB & { i: DB['intake_items'] }, 'i'>;

/** The items a list filter picks (scope, region, urgency and view), shared by the list and its count. */
const picked = (f: Omit<ListRowsFilter, 'limit'>) => (eb: ItemsEb) => {
  const and: Expression<SqlBool>[] = [];
  if (!f.scope.all) and.push(eb('i.region_id', 'in', f.scope.regions));
  if (f.region === 'none') and.push(eb('i.region_id', 'is', null));
  else if (f.region) and.push(eb('i.region_id', '=', f.region));
  if (f.urgency) and.push(eb('i.urgency', '=', f.urgency));
  if (f.view === 'open') and.push(eb('i.status', '<>', 'closed'));
  else if (f.view === 'new') and.push(eb('i.status', '=', 'new'));
  else if (f.view === 'mine') and.push(eb('i.claimed_by', '=', f.userId), eb('i.status', '<>', 'closed'));
  else if (f.view === 'closed') and.push(eb('i.status', '=', 'closed'));
  return eb.and(and);
};

/** Open items most urgent first, then oldest first; closed (and all) newest first. */
export function listSummaryRows(db: Db, f: ListRowsFilter): Promise<SummaryRow[]> {
  let q = summaryQuery(db).where(picked(f));
  q =
    f.view === 'closed' || f.view === 'all'
      ? q.orderBy('i.created_at', 'desc')
      : q
          .orderBy(sql`case i.urgency when 'immediate' then 0 when 'soon' then 1 else 2 end`)
          .orderBy('i.created_at', 'asc');
  return q.orderBy('i.id').limit(f.limit).execute();
}

/** How many items the same filter lists (without the list's limit). */
export async function countSummaryRows(db: Db, f: Omit<ListRowsFilter, 'limit'>): Promise<number> {
  const row = await db
    .selectFrom('intake_items as i')
    .where(picked(f))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export const summaryRow = (db: Db, id: string): Promise<SummaryRow> =>
  summaryQuery(db).where('i.id', '=', id).executeTakeFirstOrThrow();

/** The columns a change needs, optionally under the row lock. */
export function itemForChange(trx: Transaction<DB>, id: string, lock: boolean) {
  let q = trx
    .selectFrom('intake_items')
    .select([
      'id',
      'region_id',
      'status',
      'claimed_by',
      'claimed_at',
      'payload_encrypted',
      'outcome_note_encrypted',
    ])
    .where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export const itemEvents = (trx: Transaction<DB>, id: string) =>
  trx
    .selectFrom('intake_events')
    .select(['at', 'event', 'actor_user_id', 'detail'])
    .where('item_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();

/** A line of an item's history. */
export async function insertEvent(
  trx: Transaction<DB>,
  e: {
    itemId: string;
    at: Date;
    actorUserId: string | null;
    event: string;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await trx
    .insertInto('intake_events')
    .values({
      item_id: e.itemId,
      at: e.at,
      actor_user_id: e.actorUserId,
      event: e.event,
      ...(e.detail ? { detail: JSON.stringify(e.detail) } : {}),
    })
    .execute();
}

export const staffNameRows = (db: Db, ids: string[]) =>
  db.selectFrom('staff_users').select(['id', 'display_name_encrypted']).where('id', 'in', ids).execute();

export async function setClaimed(trx: Transaction<DB>, id: string, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable('intake_items')
    .set({ status: 'claimed', claimed_by: userId, claimed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'new')
    .execute();
}

export async function setReleased(trx: Transaction<DB>, id: string, now: Date): Promise<void> {
  await trx
    .updateTable('intake_items')
    .set({ status: 'new', claimed_by: null, claimed_at: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setOutcome(
  trx: Transaction<DB>,
  id: string,
  o: { status: IntakeStatus; outcome: string; sealedNotes: Buffer | null; now: Date },
): Promise<void> {
  await trx
    .updateTable('intake_items')
    .set({
      status: o.status,
      outcome: o.outcome,
      outcome_note_encrypted: o.sealedNotes,
      closed_at: o.status === 'closed' ? o.now : null,
      updated_at: o.now,
    })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// Escalation

/** An unclaimed item under its row lock, skipping one another instance holds. */
export const itemForEscalation = (trx: Transaction<DB>, id: string) =>
  trx
    .selectFrom('intake_items as i')
    .leftJoin('regions as r', 'r.id', 'i.region_id')
    .select([
      'i.id',
      'i.kind',
      'i.status',
      'i.region_id',
      'r.name as region_name',
      'i.escalation_level',
      'i.created_at',
    ])
    .where('i.id', '=', id)
    .forUpdate('i')
    .skipLocked()
    .executeTakeFirst();

export async function wasAnnounced(trx: Transaction<DB>, id: string): Promise<boolean> {
  const row = await trx
    .selectFrom('intake_events')
    .select('id')
    .where('item_id', '=', id)
    .where('event', 'in', ['announced', 'escalated'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function setEscalation(
  trx: Transaction<DB>,
  id: string,
  level: number,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('intake_items')
    .set({ escalation_level: level, escalated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Items that may need announcing or escalating: unclaimed, below the top level, and not yet announced
 * or created before `soonest`; oldest first.
 */
export async function escalationCandidates(db: Database, now: Date, soonest: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('intake_items as i')
    .select('i.id')
    .where('i.status', '=', 'new')
    .where('i.escalation_level', '<', 2)
    .where('i.created_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('i.created_at', '<=', soonest),
        eb.not(
          eb.exists(
            eb
              .selectFrom('intake_events as e')
              .select('e.id')
              .whereRef('e.item_id', '=', 'i.id')
              .where('e.event', 'in', ['announced', 'escalated']),
          ),
        ),
      ]),
    )
    .orderBy('i.created_at')
    .execute();
  return rows.map((r) => r.id);
}
