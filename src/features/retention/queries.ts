/**
 * The SQL of retention: closing a case's open work when its keys are destroyed, the cases due for
 * purging, finding a person's cases, and every row an export reads.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';

type Trx = Transaction<DB>;

/**
 * Marks the case purged and closes what stays open on it: referrals still under way are withdrawn (the
 * provider sees why), a pending transfer is cancelled, and open tasks are completed by `actorUserId`
 * (or, for the retention job, which has no person to complete them, removed).
 */
export async function markPurged(
  trx: Trx,
  caseId: string,
  at: Date,
  actorUserId: string | null,
): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ purged_at: at, duplicate_index: null, updated_at: at })
    .where('id', '=', caseId)
    .execute();
  // Nothing stays open on a case whose data is gone: referrals still under way are withdrawn (the
  // provider sees why), a pending transfer is cancelled and open tasks are completed.
  const open = await trx
    .selectFrom('referrals')
    .select(['id', 'status'])
    .where('case_id', '=', caseId)
    .where('status', 'in', ['draft', 'sent', 'accepted', 'in_service'])
    .execute();
  for (const r of open) {
    await trx
      .updateTable('referrals')
      .set({ status: 'withdrawn', status_reason: 'case_erased', updated_at: at, remind_at: null })
      .where('id', '=', r.id)
      .execute();
    await trx
      .insertInto('referral_transitions')
      .values({
        referral_id: r.id,
        from_status: r.status,
        to_status: 'withdrawn',
        reason: 'case_erased',
        actor_user_id: actorUserId,
        at,
      })
      .execute();
  }
  await trx
    .updateTable('case_transfers')
    .set({ status: 'cancelled', decided_at: at, decided_by: actorUserId })
    .where('case_id', '=', caseId)
    .where('status', '=', 'requested')
    .execute();
  if (actorUserId)
    await trx
      .updateTable('tasks')
      .set({ completed_at: at, completed_by: actorUserId })
      .where('case_id', '=', caseId)
      .where('completed_at', 'is', null)
      .execute();
  // The retention job has no person to complete them: open tasks of a purged case are removed.
  else
    await trx.deleteFrom('tasks').where('case_id', '=', caseId).where('completed_at', 'is', null).execute();
}

/** Closed cases whose retention period has ended, oldest first. */
export async function casesDueForPurge(db: Database, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('purged_at', 'is', null)
    .where('status', '=', 'closed')
    .where('purge_after', '<=', now)
    .orderBy('purge_after')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** A case locked for purging or erasing. */
export const lockCase = (trx: Trx, id: string) =>
  trx
    .selectFrom('cases')
    .select(['id', 'region_id', 'intake_item_id', 'purge_after', 'purged_at', 'status'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/** Cases by id, or by the duplicate index of a name and date of birth, oldest first. */
export function findCases(db: Database, by: { id: string } | { index: string }) {
  let q = db
    .selectFrom('cases')
    .select(['id', 'region_id', 'status', 'opened_at', 'closed_at', 'purged_at'])
    .orderBy('opened_at');
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('duplicate_index', '=', by.index);
  return q.execute();
}

export const caseRow = (trx: Trx, id: string) =>
  trx.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();

export const intakeItem = (trx: Trx, id: string) =>
  trx.selectFrom('intake_items').selectAll().where('id', '=', id).executeTakeFirst();

export async function closeOnRequest(trx: Trx, caseId: string, by: string, at: Date): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ status: 'closed', closed_at: at, closed_by: by, close_reason: 'erased_on_request' })
    .where('id', '=', caseId)
    .execute();
}

/** Every row held about a case, for its export, each kind oldest first. */
export async function caseRecords(trx: Trx, caseId: string) {
  return {
    assignments: await trx
      .selectFrom('case_assignments')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('assigned_at')
      .execute(),
    consents: await trx
      .selectFrom('consents')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('recorded_at')
      .execute(),
    referrals: await trx
      .selectFrom('referrals')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
    transitions: await trx
      .selectFrom('referral_transitions')
      .innerJoin('referrals', 'referrals.id', 'referral_transitions.referral_id')
      .selectAll('referral_transitions')
      .where('referrals.case_id', '=', caseId)
      .orderBy('referral_transitions.at')
      .execute(),
    messages: await trx
      .selectFrom('referral_messages')
      .innerJoin('referrals', 'referrals.id', 'referral_messages.referral_id')
      .selectAll('referral_messages')
      .where('referrals.case_id', '=', caseId)
      .orderBy('referral_messages.created_at')
      .orderBy('referral_messages.id')
      .execute(),
    outside: await trx
      .selectFrom('outside_referrals')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
    transfers: await trx
      .selectFrom('case_transfers')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('requested_at')
      .execute(),
    tasks: await trx
      .selectFrom('tasks')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('due_at')
      .execute(),
    plans: await trx
      .selectFrom('safety_plans')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('version')
      .execute(),
    notes: await trx
      .selectFrom('case_notes')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
    services: await trx
      .selectFrom('services_delivered')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('delivered_on')
      .execute(),
    events: await trx
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('at')
      .execute(),
  };
}
