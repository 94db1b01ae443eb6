/**
 * Transfers of a case between regions, when a young person moves (the state machine: `rules.ts`).
 *
 * Accepting moves the case, in one transaction: the case's region becomes the new one (so the old
 * region's navigators lose access and the new region's gain it), the old assignments end and the
 * navigator who accepted is assigned, open tasks move to the new region unassigned (their reminders
 * start again), and the history (timeline, transfers, completed tasks) stays with the case.
 *
 * The receiving region sees only what it needs to decide: age band, county, the region it comes from
 * and the reason. Requesting creates a decision task for the receiving region (reminded and escalated
 * like any task) and notifies its navigators; a decision notifies the requester. Notifications and
 * emails carry no personal data. Every use case checks access first, then its input.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { z } from 'zod';
import { authorize, regionScope, type Actor, type RegionScope } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import { staffNames } from '../queue/service.ts';
import { activeStaff, markLinkRead, notifyStaff } from '../notifications/service.ts';
import {
  auditCase,
  findCase,
  nowOf,
  openCaseField,
  recordCaseEvent,
  sealCaseField,
  type RequestOrigin,
} from '../cases/index.ts';
import { caseLabel, createTransferTask, type CoordinationContext } from '../tasks/service.ts';
import * as q from './queries.ts';
import {
  DECISION_BUSINESS_DAYS,
  isDeclineReason,
  nextTransferStatus,
  transferRefusal,
  type CaseTransfers,
  type IncomingTransfer,
  type TransferSummary,
} from './rules.ts';
import { DeclineReasonSchema, TransferReasonSchema } from './schema.ts';

export * from './rules.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRANSFER_NOT_FOUND = 'There is no such transfer, or it is not for your regions.';
const NOT_DECIDING = 'You do not decide transfers.';
const NO_TRANSFERS = 'You do not have permission to transfer cases.';

const reasonAddress = (transferId: string) => ({
  table: 'case_transfers',
  recordId: transferId,
  field: 'reason_encrypted',
});

/** The value of a schema's check, or an `InputError` naming `field`. */
function valid<T>(result: z.ZodSafeParseResult<T>, field: string): T {
  if (result.success) return result.data;
  throw new InputError(result.error.issues[0]?.message ?? 'Check this field.', field);
}

async function summaries(
  ctx: CoordinationContext,
  rows: q.TransferRow[],
  trx: Transaction<DB>,
): Promise<TransferSummary[]> {
  const names = await staffNames(
    ctx,
    rows.flatMap((r) => [r.requested_by, r.decided_by]),
    trx,
  );
  const person = (id: string) => ({ id, name: names.get(id) ?? 'a colleague' });
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    status: r.status,
    fromRegionId: r.from_region_id,
    fromRegionName: r.from_region_name,
    toRegionId: r.to_region_id,
    toRegionName: r.to_region_name,
    requestedBy: person(r.requested_by),
    requestedAt: r.requested_at,
    decidedBy: r.decided_by ? person(r.decided_by) : null,
    decidedAt: r.decided_at,
    declineReason: r.decline_reason && isDeclineReason(r.decline_reason) ? r.decline_reason : null,
  }));
}

async function incoming(ctx: CoordinationContext, rows: q.TransferRow[], trx: Transaction<DB>) {
  const list = await summaries(ctx, rows, trx);
  const out: IncomingTransfer[] = [];
  for (const [i, r] of rows.entries())
    out.push({
      ...list[i]!,
      ageBand: r.age_band,
      countyName: r.county_name ?? null,
      reason: r.reason_encrypted
        ? await openCaseField(ctx.keyring, reasonAddress(r.id), r.reason_encrypted)
        : null,
    });
  return out;
}

/**
 * The regions in which the actor decides transfers: all, some (maybe none), or null for a role (or
 * token) without `transfers.decide`.
 */
export function decidingRegions(actor: Actor): RegionScope | null {
  return regionScope(actor, 'transfers.decide');
}

// ---------------------------------------------------------------------------------------------------
// Reading

/**
 * The transfers waiting for the actor's regions, oldest first, with what is needed to decide (age band,
 * county, reason). The reasons are decrypted, so the read is audited (`transfer.list`).
 */
export async function incomingTransfers(
  ctx: CoordinationContext,
  actor: Actor,
  origin: RequestOrigin,
): Promise<IncomingTransfer[]> {
  const scope = authorize(actor, 'transfers.decide', undefined, { message: NOT_DECIDING });
  if (!scope.all && scope.regions.length === 0) return [];
  return ctx.db.transaction().execute(async (trx) => {
    let query = q.transferQuery(trx).where('t.status', '=', 'requested');
    if (!scope.all) query = query.where('t.to_region_id', 'in', scope.regions);
    const rows = await query.orderBy('t.requested_at').orderBy('t.id').limit(200).execute();
    const list = await incoming(ctx, rows, trx);
    if (list.length)
      await recordActorAudit(trx, actor, origin, {
        action: 'transfer.list',
        subjectType: 'case_transfer',
        details: { transfers: list.map((t) => t.id), cases: list.map((t) => t.caseId) },
      });
    return list;
  });
}

/**
 * How many transfers wait for the actor's decision (as `incomingTransfers` lists them, without its
 * limit), for the staff home page. No personal data read; not audited. 0 without `transfers.decide`.
 */
export async function countTransfersToDecide(
  ctx: Pick<CoordinationContext, 'db'>,
  actor: Actor,
): Promise<number> {
  const scope = decidingRegions(actor);
  if (!scope || (!scope.all && scope.regions.length === 0)) return 0;
  return q.countRequested(ctx.db, scope.all ? null : scope.regions);
}

/** Recent transfers out of the actor's regions (no personal data: regions, statuses, people, times). */
export async function outgoingTransfers(ctx: CoordinationContext, actor: Actor): Promise<TransferSummary[]> {
  authorize(actor, 'transfers.decide', undefined, { message: NOT_DECIDING });
  const scope = regionScope(actor, 'cases.write');
  if (!scope) return [];
  if (!scope.all && scope.regions.length === 0) return [];
  return ctx.db.transaction().execute(async (trx) => {
    let query = q.transferQuery(trx);
    if (!scope.all) query = query.where('t.from_region_id', 'in', scope.regions);
    const rows = await query.orderBy('t.requested_at', 'desc').orderBy('t.id').limit(50).execute();
    return summaries(ctx, rows, trx);
  });
}

/**
 * Every region's transfers, for a state administrator who oversees the network: those waiting for a
 * decision and the recent ones, read-only (regions, statuses, people and times; no personal data, no
 * reasons). Audited (`transfer.list`).
 */
export async function networkTransfers(
  ctx: CoordinationContext,
  actor: Actor,
  origin: RequestOrigin,
): Promise<{ waiting: TransferSummary[]; recent: TransferSummary[] }> {
  const scope = authorize(actor, 'cases.read', undefined, { message: NOT_DECIDING });
  if (!scope.all) throw new ServiceError('forbidden', NOT_DECIDING);
  return ctx.db.transaction().execute(async (trx) => {
    const waitingRows = await q
      .transferQuery(trx)
      .where('t.status', '=', 'requested')
      .orderBy('t.requested_at')
      .orderBy('t.id')
      .limit(200)
      .execute();
    const recentRows = await q
      .transferQuery(trx)
      .where('t.status', '!=', 'requested')
      .orderBy('t.requested_at', 'desc')
      .orderBy('t.id')
      .limit(50)
      .execute();
    const [waiting, recent] = [await summaries(ctx, waitingRows, trx), await summaries(ctx, recentRows, trx)];
    const all = [...waiting, ...recent];
    if (all.length)
      await recordActorAudit(trx, actor, origin, {
        action: 'transfer.list',
        subjectType: 'case_transfer',
        details: { transfers: all.map((t) => t.id), cases: all.map((t) => t.caseId), network: true },
      });
    return { waiting, recent };
  });
}

/** The transfer when the actor decides for its receiving region; like a missing one otherwise. */
async function decidable(trx: Transaction<DB>, actor: Actor, transferId: string) {
  if (!UUID.test(transferId)) throw new ServiceError('not_found', TRANSFER_NOT_FOUND);
  const row = await q.transferTarget(trx, transferId.toLowerCase());
  if (!row) throw new ServiceError('not_found', TRANSFER_NOT_FOUND);
  authorize(
    actor,
    'transfers.decide',
    { regionId: row.to_region_id },
    { hidden: true, message: TRANSFER_NOT_FOUND },
  );
  return row;
}

/**
 * One transfer for the receiving region's decision page: audited (`transfer.open`). Another region's
 * transfer is answered like a missing one.
 */
export async function openTransfer(
  ctx: CoordinationContext,
  actor: Actor,
  transferId: string,
  origin: RequestOrigin,
): Promise<IncomingTransfer> {
  authorize(actor, 'transfers.decide', undefined, { message: NOT_DECIDING });
  return ctx.db.transaction().execute(async (trx) => {
    await decidable(trx, actor, transferId);
    const row = await q.transferQuery(trx).where('t.id', '=', transferId.toLowerCase()).executeTakeFirst();
    if (!row) throw new ServiceError('not_found', TRANSFER_NOT_FOUND);
    const [transfer] = await incoming(ctx, [row], trx);
    await markLinkRead(trx, `/staff/transfers/${row.id}`, nowOf(ctx), actor.userId);
    await auditCase(trx, actor, origin, {
      action: 'transfer.open',
      caseId: row.case_id,
      subjectType: 'case_transfer',
      subjectId: row.id,
      details: { from: row.from_region_id, to: row.to_region_id, status: row.status },
    });
    return transfer!;
  });
}

/** The case's transfer tab: its transfers (newest first, reasons decrypted), audited (`transfer.list`). */
export async function caseTransfers(
  ctx: CoordinationContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<CaseTransfers> {
  authorize(actor, 'cases.read', undefined, { message: 'You do not have permission to see cases.' });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = await q
      .transferQuery(trx)
      .where('t.case_id', '=', row.id)
      .orderBy('t.requested_at', 'desc')
      .orderBy('t.id')
      .execute();
    const transfers = await incoming(ctx, rows, trx);
    const regions = await q.otherRegions(trx, row.jurisdiction, row.region_id);
    const label = await caseLabel(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'transfer.list',
      caseId: row.id,
      details: { transfers: transfers.length },
    });
    return { case: row, label, regionName: await q.regionName(trx, row.region_id), transfers, regions };
  });
}

// ---------------------------------------------------------------------------------------------------
// Changes

/**
 * Asks another region to take the case. A navigator of the case's region may, for an open case without
 * a transfer already waiting.
 *
 * @example
 * const id = await requestTransfer(ctx, navigator, caseId, { toRegionId: 'southeast', reason: 'Moved to Rochester to stay with an aunt' }, origin);
 */
export async function requestTransfer(
  ctx: CoordinationContext,
  actor: Actor,
  caseId: string,
  input: { toRegionId: string; reason: string },
  origin: RequestOrigin,
): Promise<string> {
  authorize(actor, 'cases.write', undefined, { message: NO_TRANSFERS });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new ServiceError('conflict', 'This case is closed: it cannot be transferred.');
    const to = await q.regionOf(trx, row.jurisdiction, input.toRegionId);
    if (!to) throw new InputError('Choose the region the young person has moved to.', 'toRegion');
    if (to.id === row.region_id)
      throw new InputError('The case is already in this region: choose another one.', 'toRegion');
    const reason = valid(TransferReasonSchema.safeParse(input.reason), 'reason');
    if (await q.waitingTransfer(trx, row.id))
      throw new ServiceError(
        'conflict',
        'A transfer of this case is already waiting for a decision. Cancel it first to ask another region.',
      );
    const id = randomUUID();
    const fromName = await q.regionName(trx, row.region_id);
    await q.insertTransfer(trx, {
      id,
      caseId: row.id,
      from: row.region_id,
      to: to.id,
      reason: await sealCaseField(ctx.keyring, row.id, reasonAddress(id), reason, trx),
      by: actor.userId,
      at: now,
    });
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'transfer.requested',
      detail: { transfer: id, from: row.region_id, to: to.id },
      at: now,
    });
    await createTransferTask(trx, ctx.keyring, {
      caseId: row.id,
      toRegionId: to.id,
      transferId: id,
      title: `Decide on a case transfer from ${fromName}`,
      dueAt: ctx.calendar.addBusinessDays(now, DECISION_BUSINESS_DAYS),
      createdBy: actor.userId,
      now,
    });
    let people = await activeStaff(trx, 'navigator', to.id);
    if (people.length === 0) people = await activeStaff(trx, 'state_admin');
    const notified = await notifyStaff(trx, ctx, people, {
      kind: 'transfer_requested',
      text: `A case transfer from ${fromName} to ${to.name} is waiting for your decision`,
      link: `/staff/transfers/${id}`,
      at: now,
    });
    await auditTransfer(trx, actor, origin, 'transfer.request', row.id, id, {
      from: row.region_id,
      to: to.id,
      notified,
    });
    return id;
  });
}

function auditTransfer(
  trx: Transaction<DB>,
  actor: Actor,
  origin: RequestOrigin,
  action: string,
  caseId: string,
  transferId: string,
  details: Record<string, unknown>,
): Promise<void> {
  return auditCase(trx, actor, origin, {
    action,
    caseId,
    subjectType: 'case_transfer',
    subjectId: transferId,
    details,
  });
}

/** The refusal of the state machine for the actor's action on a transfer row, thrown. */
function refuseUnless(
  transfer: {
    status: TransferSummary['status'];
    from_region_id: string;
    to_region_id: string;
    requested_by: string;
  },
  actor: Actor,
  action: 'accept' | 'decline' | 'cancel',
): void {
  const refusal = transferRefusal(
    {
      status: transfer.status,
      fromRegionId: transfer.from_region_id,
      toRegionId: transfer.to_region_id,
      requestedBy: transfer.requested_by,
    },
    actor,
    action,
  );
  if (refusal) throw new ServiceError(refusal.code, refusal.message);
}

async function tellRequester(
  trx: Transaction<DB>,
  ctx: CoordinationContext,
  requestedBy: string,
  text: string,
  now: Date,
): Promise<number> {
  const person = await q.activePerson(trx, requestedBy);
  if (!person) return 0;
  return notifyStaff(trx, ctx, [person], {
    kind: 'transfer_decided',
    text,
    link: '/staff/transfers',
    at: now,
  });
}

/**
 * Accepts or declines a transfer into one of the actor's regions. Accepting moves the case to the
 * region (see the module's comment); declining needs a reason code from `DECLINE_REASONS`.
 *
 * @example
 * await decideTransfer(ctx, receivingNavigator, transferId, { decision: 'accept' }, origin);
 */
export async function decideTransfer(
  ctx: CoordinationContext,
  actor: Actor,
  transferId: string,
  input: { decision: 'accept' | 'decline'; reason?: string | null },
  origin: RequestOrigin,
): Promise<{ caseId: string }> {
  authorize(actor, 'transfers.decide', undefined, { message: NOT_DECIDING });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const first = await decidable(trx, actor, transferId);
    const reason =
      input.decision === 'decline' ? valid(DeclineReasonSchema.safeParse(input.reason ?? ''), 'reason') : '';
    // The case first, then the transfer: the same order as a cancellation, so the two cannot deadlock.
    const row = await q.lockLiveCase(trx, first.case_id);
    const transfer = await q.lockTransfer(trx, transferId.toLowerCase());
    if (!row) throw new ServiceError('not_found', TRANSFER_NOT_FOUND);
    refuseUnless(transfer, actor, input.decision);
    if (input.decision === 'accept' && row.status !== 'open')
      throw new ServiceError(
        'conflict',
        'This case has been closed since the request: it cannot be accepted.',
      );
    if (input.decision === 'accept' && row.region_id !== transfer.from_region_id)
      throw new ServiceError('conflict', 'This case is no longer in the region that asked for the transfer.');
    const status = nextTransferStatus(transfer.status, input.decision)!;
    await q.settleTransfer(
      trx,
      transfer.id,
      status as 'accepted' | 'declined',
      actor.userId,
      now,
      input.decision === 'decline' ? reason : null,
    );
    await q.closeDecisionTask(trx, transfer.id, actor.userId, now);
    const toName = await q.regionName(trx, transfer.to_region_id);
    const accept = input.decision === 'accept';
    const { moved, assignmentsEnded } = accept
      ? await q.moveCase(trx, row.id, transfer.to_region_id, actor.userId, now)
      : { moved: 0, assignmentsEnded: 0 };
    const places = { transfer: transfer.id, from: transfer.from_region_id, to: transfer.to_region_id };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: accept ? 'transfer.accepted' : 'transfer.declined',
      detail: {
        ...places,
        ...(accept
          ? { tasks_moved: moved, assignments_ended: assignmentsEnded, assigned: actor.userId }
          : { reason }),
      },
      at: now,
    });
    if (accept)
      await recordCaseEvent(trx, {
        caseId: row.id,
        actorUserId: actor.userId,
        event: 'navigator.assigned',
        detail: { user: actor.userId, transfer: transfer.id },
        at: now,
      });
    const notified = await tellRequester(
      trx,
      ctx,
      transfer.requested_by,
      accept
        ? `${toName} accepted a case transfer you asked for: the case is now theirs`
        : `${toName} declined a case transfer you asked for: the case stays with you`,
      now,
    );
    await auditTransfer(
      trx,
      actor,
      origin,
      accept ? 'transfer.accept' : 'transfer.decline',
      row.id,
      transfer.id,
      {
        from: transfer.from_region_id,
        to: transfer.to_region_id,
        notified,
        ...(accept ? { tasks_moved: moved } : { reason }),
      },
    );
    return { caseId: row.id };
  });
}

/**
 * Cancels the case's waiting transfer. Only the person who asked for it may.
 *
 * @example
 * await cancelTransfer(ctx, navigator, caseId, origin);
 */
export async function cancelTransfer(
  ctx: CoordinationContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<void> {
  authorize(actor, 'cases.write', undefined, { message: NO_TRANSFERS });
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const transfer = await q.waitingTransfer(trx, row.id, true);
    if (!transfer) throw new ServiceError('conflict', 'No transfer of this case is waiting for a decision.');
    refuseUnless(transfer, actor, 'cancel');
    await q.settleTransfer(trx, transfer.id, 'cancelled', actor.userId, now);
    await q.closeDecisionTask(trx, transfer.id, actor.userId, now);
    await markLinkRead(trx, `/staff/transfers/${transfer.id}`, now, null);
    const places = { from: transfer.from_region_id, to: transfer.to_region_id };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'transfer.cancelled',
      detail: { transfer: transfer.id, ...places },
      at: now,
    });
    await auditTransfer(trx, actor, origin, 'transfer.cancel', row.id, transfer.id, places);
  });
}
