/**
 * Transfers of a case between regions, when a young person moves.
 *
 * The state machine (pure, below): a navigator of the case's region **requests** a transfer to another
 * region, with a reason (encrypted under the case's key); a navigator of the receiving region
 * **accepts** it or **declines** it (a reason code); the requester may **cancel** it while it waits.
 * Accepted, declined and cancelled are final, and a case has at most one transfer waiting.
 *
 * Accepting moves the case, in one transaction: the case's region becomes the new one (so the old
 * region's navigators lose access and the new region's gain it), the old assignments end and the
 * navigator who accepted is assigned, open tasks move to the new region unassigned (their reminders
 * start again), and the history (timeline, transfers, completed tasks) stays with the case.
 *
 * The receiving region sees only what it needs to decide: age band, county, the region it comes from
 * and the reason. Requesting creates a decision task for the receiving region (reminded and escalated
 * like any task) and notifies its navigators; a decision notifies the requester. Notifications and
 * emails carry no personal data.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { actorKind, can, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { AgeBand } from '../intake/tables.ts';
import { staffNames } from '../queue/service.ts';
import { activeStaff, markLinkRead, notifyStaff } from '../notifications/service.ts';
import {
  CaseError,
  auditCase,
  caseScopeOf,
  findCase,
  nowOf,
  openCaseField,
  recordCaseEvent,
  sealCaseField,
  type CaseRow,
  type RequestOrigin,
} from '../cases/core.ts';
import type { TransferStatus } from '../cases/tables.ts';
import { caseLabel, createTransferTask, type CoordinationContext } from '../tasks/service.ts';

// ---------------------------------------------------------------------------------------------------
// The state machine (pure)

export const TRANSFER_STATUSES = ['requested', 'accepted', 'declined', 'cancelled'] as const;
export const TRANSFER_ACTIONS = ['accept', 'decline', 'cancel'] as const;
export type TransferAction = (typeof TRANSFER_ACTIONS)[number];

export const TRANSFER_STATUS_NAMES: Record<TransferStatus, string> = {
  requested: 'Waiting for a decision',
  accepted: 'Accepted',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/** Why a receiving region declines: codes in clear (never personal data), shown with these labels. */
export const DECLINE_REASONS = {
  not_in_region: 'The young person does not live or stay in our region',
  no_capacity: 'We cannot take on the case now',
  needs_information: 'We need more information first: call us',
  youth_declined: 'The young person does not want to move their case',
  other: 'Another reason: we will call you',
} as const;
export type DeclineReason = keyof typeof DECLINE_REASONS;
export const isDeclineReason = (v: string): v is DeclineReason => Object.hasOwn(DECLINE_REASONS, v);

/** Business days the receiving region has to decide before its decision task is overdue. */
export const DECISION_BUSINESS_DAYS = 2;

/**
 * The status after `action`, or null when it is not allowed: only a waiting transfer moves, and the
 * three outcomes are final.
 *
 * @example
 * nextTransferStatus('requested', 'accept') // 'accepted'
 * nextTransferStatus('declined', 'accept') // null
 */
export function nextTransferStatus(from: TransferStatus, action: TransferAction): TransferStatus | null {
  if (from !== 'requested') return null;
  switch (action) {
    case 'accept':
      return 'accepted';
    case 'decline':
      return 'declined';
    case 'cancel':
      return 'cancelled';
  }
}

export interface TransferFacts {
  status: TransferStatus;
  fromRegionId: string;
  toRegionId: string;
  requestedBy: string;
}

/**
 * Why the actor may not take `action` on the transfer, or null when they may: accepting and declining
 * belong to the receiving region's navigators (`transfers.decide`), cancelling to the person who asked.
 */
export function transferRefusal(
  transfer: TransferFacts,
  actor: Actor,
  action: TransferAction,
): { code: 'forbidden' | 'conflict'; message: string } | null {
  if (action === 'cancel') {
    if (
      transfer.requestedBy !== actor.userId ||
      !can(actor, 'cases.write', { regionId: transfer.fromRegionId })
    )
      return { code: 'forbidden', message: 'Only the person who asked for the transfer can cancel it.' };
  } else if (!can(actor, 'transfers.decide', { regionId: transfer.toRegionId })) {
    return { code: 'forbidden', message: 'Only the navigators of the receiving region can decide.' };
  }
  if (nextTransferStatus(transfer.status, action) === null)
    return {
      code: 'conflict',
      message: `This transfer has already been ${TRANSFER_STATUS_NAMES[transfer.status].toLowerCase()}.`,
    };
  return null;
}

/** A case and its transfers, as the state machine sees them (for property tests and reasoning). */
export interface TransferWorld {
  caseRegion: string;
  transfers: (TransferFacts & { id: number })[];
}

export type TransferCommand =
  | { kind: 'request'; actor: Actor; toRegionId: string }
  | { kind: TransferAction; actor: Actor; transfer: number };

/**
 * One step of the world: what `requestTransfer`, `decideTransfer` and `cancelTransfer` do, without a
 * database. Returns the new world, or the refusal.
 */
export function stepTransfers(
  world: TransferWorld,
  command: TransferCommand,
): { ok: true; world: TransferWorld } | { ok: false; code: 'forbidden' | 'conflict' | 'invalid' } {
  if (command.kind === 'request') {
    if (!can(command.actor, 'cases.write', { regionId: world.caseRegion }))
      return { ok: false, code: 'forbidden' };
    if (command.toRegionId === world.caseRegion) return { ok: false, code: 'invalid' };
    if (world.transfers.some((t) => t.status === 'requested')) return { ok: false, code: 'conflict' };
    const transfer = {
      id: world.transfers.length,
      status: 'requested' as const,
      fromRegionId: world.caseRegion,
      toRegionId: command.toRegionId,
      requestedBy: command.actor.userId,
    };
    return { ok: true, world: { ...world, transfers: [...world.transfers, transfer] } };
  }
  const transfer = world.transfers[command.transfer];
  if (!transfer) return { ok: false, code: 'invalid' };
  const refusal = transferRefusal(transfer, command.actor, command.kind);
  if (refusal) return { ok: false, code: refusal.code };
  const status = nextTransferStatus(transfer.status, command.kind)!;
  return {
    ok: true,
    world: {
      caseRegion: status === 'accepted' ? transfer.toRegionId : world.caseRegion,
      transfers: world.transfers.map((t) => (t.id === transfer.id ? { ...t, status } : t)),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Storage helpers

const REASON_MAX = 1000;
const hasControl = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRANSFER_NOT_FOUND = 'There is no such transfer, or it is not for your regions.';

const reasonAddress = (transferId: string) => ({
  table: 'case_transfers',
  recordId: transferId,
  field: 'reason_encrypted',
});

async function openReason(
  ctx: CoordinationContext,
  id: string,
  sealed: Buffer | null,
): Promise<string | null> {
  return sealed ? openCaseField(ctx.keyring, reasonAddress(id), sealed) : null;
}

async function regionName(trx: Transaction<DB>, id: string): Promise<string> {
  return (await trx.selectFrom('regions').select('name').where('id', '=', id).executeTakeFirst())?.name ?? id;
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface TransferSummary {
  id: string;
  caseId: string;
  status: TransferStatus;
  fromRegionId: string;
  fromRegionName: string;
  toRegionId: string;
  toRegionName: string;
  requestedBy: { id: string; name: string };
  requestedAt: Date;
  decidedBy: { id: string; name: string } | null;
  decidedAt: Date | null;
  declineReason: DeclineReason | null;
}

/** What a receiving region sees to decide: no name, no contact details. */
export interface IncomingTransfer extends TransferSummary {
  ageBand: AgeBand;
  countyName: string | null;
  reason: string | null;
}

function transferQuery(trx: Transaction<DB>) {
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
type TransferRow = Awaited<ReturnType<ReturnType<typeof transferQuery>['executeTakeFirstOrThrow']>>;

async function summaries(
  ctx: CoordinationContext,
  rows: TransferRow[],
  trx: Transaction<DB>,
): Promise<TransferSummary[]> {
  const names = await staffNames(
    ctx,
    rows.flatMap((r) => [r.requested_by, r.decided_by]),
    trx,
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    status: r.status,
    fromRegionId: r.from_region_id,
    fromRegionName: r.from_region_name,
    toRegionId: r.to_region_id,
    toRegionName: r.to_region_name,
    requestedBy: { id: r.requested_by, name: names.get(r.requested_by) ?? 'a colleague' },
    requestedAt: r.requested_at,
    decidedBy: r.decided_by ? { id: r.decided_by, name: names.get(r.decided_by) ?? 'a colleague' } : null,
    decidedAt: r.decided_at,
    declineReason: r.decline_reason && isDeclineReason(r.decline_reason) ? r.decline_reason : null,
  }));
}

async function incoming(ctx: CoordinationContext, rows: TransferRow[], trx: Transaction<DB>) {
  const list = await summaries(ctx, rows, trx);
  const out: IncomingTransfer[] = [];
  for (const [i, r] of rows.entries())
    out.push({
      ...list[i]!,
      ageBand: r.age_band,
      countyName: r.county_name ?? null,
      reason: await openReason(ctx, r.id, r.reason_encrypted),
    });
  return out;
}

/**
 * The regions in which the actor decides transfers: all, some (maybe none), or null for a role (or
 * token) without `transfers.decide`.
 */
export function decidingRegions(actor: Actor): { all: true } | { all: false; regions: string[] } | null {
  return caseScopeOf(actor, 'transfers.decide');
}

/**
 * The transfers waiting for the actor's regions, oldest first, with what is needed to decide (age band,
 * county, reason). The reasons are decrypted, so the read is audited (`transfer.list`).
 */
export async function incomingTransfers(
  ctx: CoordinationContext,
  actor: Actor,
  origin: RequestOrigin,
): Promise<IncomingTransfer[]> {
  const scope = decidingRegions(actor);
  if (!scope) throw new CaseError('forbidden', 'You do not decide transfers.');
  if (!scope.all && scope.regions.length === 0) return [];
  return ctx.db.transaction().execute(async (trx) => {
    let q = transferQuery(trx).where('t.status', '=', 'requested');
    if (!scope.all) q = q.where('t.to_region_id', 'in', scope.regions);
    const rows = await q.orderBy('t.requested_at').orderBy('t.id').limit(200).execute();
    const list = await incoming(ctx, rows, trx);
    if (list.length)
      await recordAudit(trx, {
        actorKind: actorKind(actor),
        actorUserId: actor.userId,
        action: 'transfer.list',
        subjectType: 'case_transfer',
        organizationId: actor.organizationId,
        ip: origin.ip,
        userAgent: origin.userAgent,
        details: { transfers: list.map((t) => t.id), cases: list.map((t) => t.caseId) },
      });
    return list;
  });
}

/** Recent transfers out of the actor's regions (no personal data: regions, statuses, people, times). */
export async function outgoingTransfers(ctx: CoordinationContext, actor: Actor): Promise<TransferSummary[]> {
  const scope = caseScopeOf(actor, 'cases.write');
  if (!scope || (!scope.all && scope.regions.length === 0)) return [];
  return ctx.db.transaction().execute(async (trx) => {
    let q = transferQuery(trx);
    if (!scope.all) q = q.where('t.from_region_id', 'in', scope.regions);
    const rows = await q.orderBy('t.requested_at', 'desc').orderBy('t.id').limit(50).execute();
    return summaries(ctx, rows, trx);
  });
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
  if (!decidingRegions(actor)) throw new CaseError('forbidden', 'You do not decide transfers.');
  if (!UUID.test(transferId)) throw new CaseError('not_found', TRANSFER_NOT_FOUND);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await transferQuery(trx).where('t.id', '=', transferId.toLowerCase()).executeTakeFirst();
    if (!row || !can(actor, 'transfers.decide', { regionId: row.to_region_id }))
      throw new CaseError('not_found', TRANSFER_NOT_FOUND);
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

export interface CaseTransfers {
  case: CaseRow;
  label: string;
  regionName: string;
  transfers: IncomingTransfer[];
  /** Regions the case can be moved to (all but its own), by name. */
  regions: { id: string; name: string }[];
}

/** The case's transfer tab: its transfers (newest first, reasons decrypted), audited (`transfer.list`). */
export async function caseTransfers(
  ctx: CoordinationContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<CaseTransfers> {
  if (!caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see cases.');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = await transferQuery(trx)
      .where('t.case_id', '=', row.id)
      .orderBy('t.requested_at', 'desc')
      .orderBy('t.id')
      .execute();
    const transfers = await incoming(ctx, rows, trx);
    const regions = await trx
      .selectFrom('regions')
      .select(['id', 'name'])
      .where('jurisdiction', '=', row.jurisdiction)
      .where('id', '<>', row.region_id)
      .orderBy('name')
      .execute();
    const label = await caseLabel(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'transfer.list',
      caseId: row.id,
      details: { transfers: transfers.length },
    });
    return { case: row, label, regionName: await regionName(trx, row.region_id), transfers, regions };
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
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to transfer cases.');
  const reason = input.reason.trim();
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: it cannot be transferred.');
    const to = await trx
      .selectFrom('regions')
      .select(['id', 'name'])
      .where('id', '=', input.toRegionId)
      .where('jurisdiction', '=', row.jurisdiction)
      .executeTakeFirst();
    if (!to) throw new CaseError('invalid', 'Choose the region the young person has moved to.', 'toRegion');
    if (to.id === row.region_id)
      throw new CaseError('invalid', 'The case is already in this region: choose another one.', 'toRegion');
    if (!reason) throw new CaseError('invalid', 'Say why the case should move.', 'reason');
    if (reason.length > REASON_MAX)
      throw new CaseError('invalid', `Keep the reason to ${REASON_MAX} characters or fewer.`, 'reason');
    if (hasControl(reason))
      throw new CaseError('invalid', 'Use letters, numbers, spaces and punctuation in the reason.', 'reason');
    const pending = await trx
      .selectFrom('case_transfers')
      .select('id')
      .where('case_id', '=', row.id)
      .where('status', '=', 'requested')
      .executeTakeFirst();
    if (pending)
      throw new CaseError(
        'conflict',
        'A transfer of this case is already waiting for a decision. Cancel it first to ask another region.',
      );
    const id = randomUUID();
    const fromName = await regionName(trx, row.region_id);
    await trx
      .insertInto('case_transfers')
      .values({
        id,
        case_id: row.id,
        from_region_id: row.region_id,
        to_region_id: to.id,
        reason_encrypted: await sealCaseField(ctx.keyring, row.id, reasonAddress(id), reason, trx),
        requested_by: actor.userId,
        requested_at: now,
      })
      .execute();
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
    await auditCase(trx, actor, origin, {
      action: 'transfer.request',
      caseId: row.id,
      subjectType: 'case_transfer',
      subjectId: id,
      details: { from: row.region_id, to: to.id, notified },
    });
    return id;
  });
}

/** Completes the transfer's decision task (inside the decision's transaction). */
async function closeDecisionTask(trx: Transaction<DB>, transferId: string, actor: Actor, now: Date) {
  await trx
    .updateTable('tasks')
    .set({ completed_at: now, completed_by: actor.userId })
    .where('source', '=', 'transfer')
    .where('source_ref', '=', transferId)
    .where('completed_at', 'is', null)
    .execute();
}

async function tellRequester(
  trx: Transaction<DB>,
  ctx: CoordinationContext,
  requestedBy: string,
  text: string,
  now: Date,
): Promise<number> {
  const person = await trx
    .selectFrom('staff_users')
    .select(['id', 'email_encrypted'])
    .where('id', '=', requestedBy)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
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
  if (!decidingRegions(actor)) throw new CaseError('forbidden', 'You do not decide transfers.');
  if (!UUID.test(transferId)) throw new CaseError('not_found', TRANSFER_NOT_FOUND);
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'decline' && !isDeclineReason(reason))
    throw new CaseError('invalid', 'Choose why you decline, from the list.', 'reason');
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const first = await trx
      .selectFrom('case_transfers')
      .select(['case_id', 'to_region_id'])
      .where('id', '=', transferId.toLowerCase())
      .executeTakeFirst();
    if (!first || !can(actor, 'transfers.decide', { regionId: first.to_region_id }))
      throw new CaseError('not_found', TRANSFER_NOT_FOUND);
    // The case first, then the transfer: the same order as a cancellation, so the two cannot deadlock.
    const row = await trx
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', first.case_id)
      .where('purged_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    const transfer = await trx
      .selectFrom('case_transfers')
      .selectAll()
      .where('id', '=', transferId.toLowerCase())
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!row) throw new CaseError('not_found', TRANSFER_NOT_FOUND);
    const refusal = transferRefusal(
      {
        status: transfer.status,
        fromRegionId: transfer.from_region_id,
        toRegionId: transfer.to_region_id,
        requestedBy: transfer.requested_by,
      },
      actor,
      input.decision,
    );
    if (refusal) throw new CaseError(refusal.code, refusal.message);
    if (input.decision === 'accept' && row.status !== 'open')
      throw new CaseError('conflict', 'This case has been closed since the request: it cannot be accepted.');
    if (input.decision === 'accept' && row.region_id !== transfer.from_region_id)
      throw new CaseError('conflict', 'This case is no longer in the region that asked for the transfer.');
    const status = nextTransferStatus(transfer.status, input.decision)!;
    await trx
      .updateTable('case_transfers')
      .set({
        status,
        decided_by: actor.userId,
        decided_at: now,
        decline_reason: input.decision === 'decline' ? reason : null,
      })
      .where('id', '=', transfer.id)
      .execute();
    await closeDecisionTask(trx, transfer.id, actor, now);
    const toName = await regionName(trx, transfer.to_region_id);
    let moved = 0;
    let assignmentsEnded = 0;
    if (input.decision === 'accept') {
      await trx
        .updateTable('cases')
        .set({ region_id: transfer.to_region_id, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      const ended = await trx
        .updateTable('case_assignments')
        .set({ ended_at: now })
        .where('case_id', '=', row.id)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      assignmentsEnded = Number(ended.numUpdatedRows);
      await trx
        .insertInto('case_assignments')
        .values({ case_id: row.id, user_id: actor.userId, assigned_by: actor.userId, assigned_at: now })
        .execute();
      const result = await trx
        .updateTable('tasks')
        .set({
          region_id: transfer.to_region_id,
          assignee_user_id: null,
          reminded_at: null,
          escalated_at: null,
        })
        .where('case_id', '=', row.id)
        .where('completed_at', 'is', null)
        .executeTakeFirst();
      moved = Number(result.numUpdatedRows);
    }
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: input.decision === 'accept' ? 'transfer.accepted' : 'transfer.declined',
      detail: {
        transfer: transfer.id,
        from: transfer.from_region_id,
        to: transfer.to_region_id,
        ...(input.decision === 'accept'
          ? { tasks_moved: moved, assignments_ended: assignmentsEnded, assigned: actor.userId }
          : { reason }),
      },
      at: now,
    });
    if (input.decision === 'accept')
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
      input.decision === 'accept'
        ? `${toName} accepted a case transfer you asked for: the case is now theirs`
        : `${toName} declined a case transfer you asked for: the case stays with you`,
      now,
    );
    await auditCase(trx, actor, origin, {
      action: input.decision === 'accept' ? 'transfer.accept' : 'transfer.decline',
      caseId: row.id,
      subjectType: 'case_transfer',
      subjectId: transfer.id,
      details: {
        from: transfer.from_region_id,
        to: transfer.to_region_id,
        notified,
        ...(input.decision === 'accept' ? { tasks_moved: moved } : { reason }),
      },
    });
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
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to transfer cases.');
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const transfer = await trx
      .selectFrom('case_transfers')
      .selectAll()
      .where('case_id', '=', row.id)
      .where('status', '=', 'requested')
      .forUpdate()
      .executeTakeFirst();
    if (!transfer) throw new CaseError('conflict', 'No transfer of this case is waiting for a decision.');
    const refusal = transferRefusal(
      {
        status: transfer.status,
        fromRegionId: transfer.from_region_id,
        toRegionId: transfer.to_region_id,
        requestedBy: transfer.requested_by,
      },
      actor,
      'cancel',
    );
    if (refusal) throw new CaseError(refusal.code, refusal.message);
    await trx
      .updateTable('case_transfers')
      .set({ status: 'cancelled', decided_by: actor.userId, decided_at: now })
      .where('id', '=', transfer.id)
      .execute();
    await closeDecisionTask(trx, transfer.id, actor, now);
    await markLinkRead(trx, `/staff/transfers/${transfer.id}`, now, null);
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'transfer.cancelled',
      detail: { transfer: transfer.id, from: transfer.from_region_id, to: transfer.to_region_id },
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'transfer.cancel',
      caseId: row.id,
      subjectType: 'case_transfer',
      subjectId: transfer.id,
      details: { from: transfer.from_region_id, to: transfer.to_region_id },
    });
  });
}
