/**
 * The transfer state machine, pure: a navigator of the case's region **requests** a transfer to another
 * region; a navigator of the receiving region **accepts** or **declines** it (a reason code); the
 * requester may **cancel** it while it waits. Accepted, declined and cancelled are final, and a case has
 * at most one transfer waiting. No I/O.
 */
import { can, type Actor } from '../../platform/access.ts';
import type { AgeBand } from '../intake/index.ts';
import type { CaseRow } from '../cases/index.ts';
import type { TransferStatus } from '../cases/index.ts';

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

/** The outcome as a person reads it: the status, and the decline's reason. */
export function outcomeText(t: Pick<TransferSummary, 'status' | 'declineReason'>): string {
  const status = TRANSFER_STATUS_NAMES[t.status];
  return t.status === 'declined' && t.declineReason
    ? `${status}: ${DECLINE_REASONS[t.declineReason]}`
    : status;
}

// ---------------------------------------------------------------------------------------------------
// The shapes of transfers, as the service gives them

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

export interface CaseTransfers {
  case: CaseRow;
  label: string;
  regionName: string;
  transfers: IncomingTransfer[];
  /** Regions the case can be moved to (all but its own), by name. */
  regions: { id: string; name: string }[];
}
