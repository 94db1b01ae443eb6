/**
 * The SQL of transfers: reading them with their regions, case and county; the case and the transfer
 * locked for a change; moving a case (assignments, open tasks) when a transfer is accepted.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

type Trx = Transaction<DB>;

/** How many transfers wait for a decision (`requested`), into `regions` (null: every region). */
export async function countRequested(db: Kysely<DB> | Trx, regions: string[] | null): Promise<number> {
  let q = db
    .selectFrom('case_transfers as t')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .where('t.status', '=', 'requested');
  if (regions) q = q.where('t.to_region_id', 'in', regions);
  const row = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

/** Transfers of cases that still exist, with their regions' names, the age band and the county. */
export function transferQuery(trx: Trx) {
  return trx
    .selectFrom('case_transfers as t')
    .innerJoin('regions as rf', 'rf.id', 't.from_region_id')
    .innerJoin('regions as rt', 'rt.id', 't.to_region_id')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .leftJoin('counties as co', 'co.fips', 'c.county_fips')
    .select([
      't.id',
      't.case_id',
      't.status',
      't.from_region_id',
      'rf.name as from_region_name',
      't.to_region_id',
      'rt.name as to_region_name',
      't.reason_encrypted',
      't.decline_reason',
      't.requested_by',
      't.requested_at',
      't.decided_by',
      't.decided_at',
      'c.age_band',
      'co.name as county_name',
    ])
    .where('c.purged_at', 'is', null);
}
export type TransferRow = Awaited<ReturnType<ReturnType<typeof transferQuery>['executeTakeFirstOrThrow']>>;

export async function regionName(trx: Trx, id: string): Promise<string> {
  return (await trx.selectFrom('regions').select('name').where('id', '=', id).executeTakeFirst())?.name ?? id;
}

/** The regions of the jurisdiction, but `except`, by name. */
export const otherRegions = (trx: Trx, jurisdiction: string, except: string) =>
  trx
    .selectFrom('regions')
    .select(['id', 'name'])
    .where('jurisdiction', '=', jurisdiction)
    .where('id', '<>', except)
    .orderBy('name')
    .execute();

export const regionOf = (trx: Trx, jurisdiction: string, id: string) =>
  trx
    .selectFrom('regions')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('jurisdiction', '=', jurisdiction)
    .executeTakeFirst();

/** The case's transfer waiting for a decision, if any (locked with `forUpdate`). */
export function waitingTransfer(trx: Trx, caseId: string, forUpdate = false) {
  let q = trx
    .selectFrom('case_transfers')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'requested');
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export const transferTarget = (trx: Trx, id: string) =>
  trx
    .selectFrom('case_transfers')
    .select(['case_id', 'to_region_id'])
    .where('id', '=', id)
    .executeTakeFirst();

export const lockLiveCase = (trx: Trx, id: string) =>
  trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', id)
    .where('purged_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();

export const lockTransfer = (trx: Trx, id: string) =>
  trx.selectFrom('case_transfers').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();

export async function insertTransfer(
  trx: Trx,
  t: { id: string; caseId: string; from: string; to: string; reason: Buffer; by: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('case_transfers')
    .values({
      id: t.id,
      case_id: t.caseId,
      from_region_id: t.from,
      to_region_id: t.to,
      reason_encrypted: t.reason,
      requested_by: t.by,
      requested_at: t.at,
    })
    .execute();
}

/** Ends a waiting transfer: accepted, declined (with the reason code) or cancelled. */
export async function settleTransfer(
  trx: Trx,
  id: string,
  status: 'accepted' | 'declined' | 'cancelled',
  by: string,
  at: Date,
  declineReason: string | null = null,
): Promise<void> {
  await trx
    .updateTable('case_transfers')
    .set({
      status,
      decided_by: by,
      decided_at: at,
      ...(status === 'cancelled' ? {} : { decline_reason: declineReason }),
    })
    .where('id', '=', id)
    .execute();
}

/** Completes the transfer's decision task. */
export async function closeDecisionTask(trx: Trx, transferId: string, by: string, at: Date): Promise<void> {
  await trx
    .updateTable('tasks')
    .set({ completed_at: at, completed_by: by })
    .where('source', '=', 'transfer')
    .where('source_ref', '=', transferId)
    .where('completed_at', 'is', null)
    .execute();
}

/**
 * Moves the case to the region: its assignments end and `navigator` is assigned, its open tasks move
 * unassigned (their reminders start again). Returns how many tasks moved and assignments ended.
 */
export async function moveCase(
  trx: Trx,
  caseId: string,
  regionId: string,
  navigator: string,
  at: Date,
): Promise<{ moved: number; assignmentsEnded: number }> {
  await trx
    .updateTable('cases')
    .set({ region_id: regionId, updated_at: at })
    .where('id', '=', caseId)
    .execute();
  const ended = await trx
    .updateTable('case_assignments')
    .set({ ended_at: at })
    .where('case_id', '=', caseId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  await trx
    .insertInto('case_assignments')
    .values({ case_id: caseId, user_id: navigator, assigned_by: navigator, assigned_at: at })
    .execute();
  const tasks = await trx
    .updateTable('tasks')
    .set({ region_id: regionId, assignee_user_id: null, reminded_at: null, escalated_at: null })
    .where('case_id', '=', caseId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return { moved: Number(tasks.numUpdatedRows), assignmentsEnded: Number(ended.numUpdatedRows) };
}

/** The person who asked, if still active. */
export const activePerson = (trx: Trx, id: string) =>
  trx
    .selectFrom('staff_users')
    .select(['id', 'email_encrypted'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
