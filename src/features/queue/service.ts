/**
 * The navigator queue's use cases: who sees which referrals and self-referrals, opening one (an audited
 * read of personal data), claiming it, recording contact and its outcome, releasing a claim.
 *
 * Visibility is the permission model's: `intake.read` with scope `any` (state administrators) sees every
 * item, including those without a region; `own_regions` (navigators) sees only items of the person's
 * regions. An item outside that scope is answered exactly like one that does not exist, so its
 * existence is not disclosed.
 *
 * Each use case starts with its access check (`authorizeQueue`, the platform's `authorize` with the
 * queue's words), then reads the item and checks the input. Every change takes the item's row lock,
 * checks the status machine (rules.ts), writes an `intake_events` row and records its audit event last,
 * in one transaction.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import {
  authorize,
  can,
  regionScope,
  type Action,
  type Actor,
  type RegionScope,
  type Target,
} from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { AccessDenied } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { intakeScope, openPayload, type IntakePayload } from '../intake/index.ts';
import type { AgeBand, IntakeKind, IntakeStatus, Urgency } from '../intake/index.ts';
import { markLinkRead } from '../notifications/service.ts';
import * as q from './queries.ts';
import {
  NOT_FOUND,
  QUEUE_LIMIT,
  QueueError,
  nextStatus,
  statusConflict,
  type OutcomeCode,
  type OutcomeStatus,
  type QueueView,
} from './rules.ts';
import { checkOutcome, type OutcomeInput } from './schema.ts';

export { AGE_BAND_NAMES, QUEUE_LIMIT, QueueError, durationInWords, queueScope } from './rules.ts';
export type { OutcomeInput } from './schema.ts';
/** Where a request came from, for the audit log. */
export type { RequestOrigin };

export interface QueueContext {
  db: Database;
  keyring: Keyring;
  now?: () => Date;
}

const nowOf = (ctx: QueueContext) => (ctx.now ? ctx.now() : new Date());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEE_QUEUE = 'You do not have permission to see the queue.';
const HANDLE = 'You do not have permission to handle this referral.';

/** `authorize`, its refusal as a QueueError (which the pages and other features answer). */
function authorizeQueue(
  actor: Actor,
  action: Action,
  target?: Target,
  refusal: { message?: string; hidden?: boolean } = {},
): RegionScope {
  try {
    return authorize(actor, action, target, refusal);
  } catch (error) {
    if (error instanceof AccessDenied) throw new QueueError(error.code, error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface QueueFilters {
  view?: QueueView;
  /** A region id, or `none` for items without a region (state administrators). */
  region?: string | undefined;
  urgency?: Urgency | undefined;
  limit?: number;
}

export interface QueueItemSummary {
  id: string;
  kind: IntakeKind;
  regionId: string | null;
  regionName: string | null;
  countyFips: string | null;
  countyName: string | null;
  age: number | null;
  ageBand: AgeBand;
  urgency: Urgency;
  status: IntakeStatus;
  claimedBy: { userId: string; name: string } | null;
  claimedAt: Date | null;
  outcome: string | null;
  escalationLevel: number;
  createdAt: Date;
  closedAt: Date | null;
}

/**
 * Staff display names for a set of people (colleagues who claimed or acted on an item); someone
 * without a name shows as "a colleague".
 */
export async function staffNames(
  ctx: Pick<QueueContext, 'db' | 'keyring'>,
  ids: Iterable<string | null>,
  trx?: Transaction<DB>,
): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  return namesOf(ctx, await q.staffNameRows(trx ?? ctx.db, wanted), trx);
}

/** The display names of staff rows already read (`id`, `display_name_encrypted`), by id. */
export async function namesOf(
  ctx: Pick<QueueContext, 'keyring'>,
  rows: readonly { id: string; display_name_encrypted: Buffer | null }[],
  trx?: Transaction<DB>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const row of rows) {
    names.set(
      row.id,
      row.display_name_encrypted
        ? await decryptField(
            ctx.keyring,
            { table: 'staff_users', recordId: row.id, field: 'display_name' },
            row.display_name_encrypted,
            trx,
          )
        : 'a colleague',
    );
  }
  return names;
}

function toSummary(row: q.SummaryRow, names: Map<string, string>): QueueItemSummary {
  return {
    id: row.id,
    kind: row.kind,
    regionId: row.region_id,
    regionName: row.region_name ?? null,
    countyFips: row.county_fips,
    countyName: row.county_name ?? null,
    age: row.age,
    ageBand: row.age_band,
    urgency: row.urgency,
    status: row.status,
    claimedBy: row.claimed_by
      ? { userId: row.claimed_by, name: names.get(row.claimed_by) ?? 'a colleague' }
      : null,
    claimedAt: row.claimed_at,
    outcome: row.outcome,
    escalationLevel: row.escalation_level,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

/**
 * The items the actor may see, filtered: open items most urgent first, then oldest first (the longest
 * wait at the top); closed items newest first. Holds no personal data beyond age and county, so it is
 * not audited; opening an item is.
 *
 * @example
 * const items = await listQueue(ctx, navigator, { view: 'new' });
 */
export async function listQueue(
  ctx: QueueContext,
  actor: Actor,
  filters: QueueFilters = {},
): Promise<QueueItemSummary[]> {
  const scope = authorizeQueue(actor, 'intake.read', undefined, { message: SEE_QUEUE });
  if (!scope.all && scope.regions.length === 0) return [];
  const rows = await q.listSummaryRows(ctx.db, {
    scope,
    view: filters.view ?? 'open',
    region: filters.region,
    urgency: filters.urgency,
    userId: actor.userId,
    limit: Math.min(Math.max(filters.limit ?? QUEUE_LIMIT, 1), QUEUE_LIMIT),
  });
  const names = await staffNames(
    ctx,
    rows.map((r) => r.claimed_by),
  );
  return rows.map((r) => toSummary(r, names));
}

/**
 * How many items the queue list shows in `view` (`new`: not yet claimed), in the same scope as
 * `listQueue`, for the staff home page. No personal data; not audited.
 */
export async function countQueue(
  ctx: Pick<QueueContext, 'db'>,
  actor: Actor,
  view: QueueView,
): Promise<number> {
  const scope = regionScope(actor, 'intake.read');
  if (!scope || (!scope.all && scope.regions.length === 0)) return 0;
  return q.countSummaryRows(ctx.db, { scope, view, userId: actor.userId });
}

export interface QueueNote {
  at: Date;
  byUserId: string;
  by: string;
  status: OutcomeStatus;
  outcome: OutcomeCode;
  text: string;
}

export interface QueueEvent {
  at: Date;
  event: string;
  byUserId: string | null;
  /** The person's name, "the system" for escalations, or "a colleague". */
  by: string;
  detail: Record<string, unknown>;
}

export interface QueueItemDetail extends QueueItemSummary {
  payload: IntakePayload;
  notes: QueueNote[];
  history: QueueEvent[];
}

interface StoredNote {
  at: string;
  by: string;
  status: OutcomeStatus;
  outcome: OutcomeCode;
  text: string;
}

const notesAddress = (id: string) => ({
  scope: intakeScope(id),
  table: 'intake_items',
  recordId: id,
  field: 'outcome_note_encrypted',
});

async function readNotes(
  ctx: Pick<QueueContext, 'keyring'>,
  id: string,
  sealed: Buffer | null,
  trx?: Transaction<DB>,
): Promise<StoredNote[]> {
  if (!sealed) return [];
  return JSON.parse(await decryptField(ctx.keyring, notesAddress(id), sealed, trx)) as StoredNote[];
}

/** An item the actor may read (locked for the change that follows when `lock`); not found otherwise. */
async function visibleItem(trx: Transaction<DB>, actor: Actor, id: string, lock: boolean) {
  const row = UUID.test(id) ? await q.itemForChange(trx, id.toLowerCase(), lock) : undefined;
  if (!row) throw new QueueError('not_found', NOT_FOUND);
  authorizeQueue(actor, 'intake.read', { regionId: row.region_id }, { message: NOT_FOUND, hidden: true });
  return row;
}

/**
 * Opens an item: its decrypted personal fields, the notes and its history. Audited (`intake.open`) in
 * the same transaction as the read, with an `opened` event in the item's history; the actor's
 * notifications about this item are marked read.
 *
 * @example
 * const item = await openItem(ctx, navigator, id, { ip: '127.0.0.1', userAgent: null });
 */
export async function openItem(
  ctx: QueueContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
): Promise<QueueItemDetail> {
  authorizeQueue(actor, 'intake.read', undefined, { message: SEE_QUEUE });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const item = await visibleItem(trx, actor, id, false);
    const row = await q.summaryRow(trx, item.id);
    const payload = await openPayload(ctx.keyring, item.id, item.payload_encrypted);
    const stored = await readNotes(ctx, item.id, item.outcome_note_encrypted, trx);
    const events = await q.itemEvents(trx, item.id);
    const names = await staffNames(
      ctx,
      [row.claimed_by, ...events.map((e) => e.actor_user_id), ...stored.map((n) => n.by)],
      trx,
    );
    await q.insertEvent(trx, { itemId: item.id, at: now, actorUserId: actor.userId, event: 'opened' });
    await markLinkRead(trx, `/staff/queue/${item.id}`, now, actor.userId);
    await recordActorAudit(trx, actor, origin, {
      action: 'intake.open',
      subjectType: 'intake_item',
      subjectId: item.id,
      details: { region: item.region_id, status: item.status },
    });
    return {
      ...toSummary(row, names),
      payload,
      notes: stored.map((n) => ({
        at: new Date(n.at),
        byUserId: n.by,
        by: names.get(n.by) ?? 'a colleague',
        status: n.status,
        outcome: n.outcome,
        text: n.text,
      })),
      history: events.map((e) => ({
        at: e.at,
        event: e.event,
        byUserId: e.actor_user_id,
        by: e.actor_user_id ? (names.get(e.actor_user_id) ?? 'a colleague') : 'the system',
        detail: e.detail,
      })),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Changes

type LockedItem = NonNullable<Awaited<ReturnType<typeof q.itemForChange>>>;

/** What a change did: its history event, audit action and the detail both record. */
type Change = (
  trx: Transaction<DB>,
  item: LockedItem,
  now: Date,
  actor: Actor,
) => Promise<{ event: string; action: string; detail: Record<string, unknown> }>;

/**
 * In one transaction: the item the actor may handle, under its row lock, then `change`, then its
 * history line and audit record (last).
 */
function changeItem(ctx: QueueContext, actor: Actor, id: string, origin: RequestOrigin, change: Change) {
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const item = await visibleItem(trx, actor, id, true);
    authorizeQueue(actor, 'intake.handle', { regionId: item.region_id }, { message: HANDLE });
    const done = await change(trx, item, now, actor);
    await q.insertEvent(trx, {
      itemId: item.id,
      at: now,
      actorUserId: actor.userId,
      event: done.event,
      detail: done.detail,
    });
    await recordActorAudit(trx, actor, origin, {
      action: done.action,
      subjectType: 'intake_item',
      subjectId: item.id,
      details: { region: item.region_id, ...done.detail },
    });
  });
}

/** A use case that changes one item: the access check first, then the change. */
const itemUseCase =
  (change: Change) =>
  async (ctx: QueueContext, actor: Actor, id: string, origin: RequestOrigin): Promise<void> => {
    authorizeQueue(actor, 'intake.handle', undefined, { message: HANDLE });
    await changeItem(ctx, actor, id, origin, change);
  };

/**
 * Claims an unclaimed item for the actor. Only one claim can win: the row is locked, and a second
 * claimer gets a `conflict` saying someone else has it.
 *
 * @example
 * await claimItem(ctx, navigator, id, origin); // the item is now 'claimed' by the navigator
 */
export const claimItem = itemUseCase(async (trx, item, now, actor) => {
  if (nextStatus(item.status, 'claim') === null) throw statusConflict(item.status, item.claimed_by, actor);
  await q.setClaimed(trx, item.id, actor.userId, now);
  return { event: 'claimed', action: 'intake.claim', detail: {} };
});

/**
 * Gives a claimed item back to the queue (status new, unclaimed). The person who claimed it may, and so
 * may someone whose scope is every item (a state administrator, to reassign).
 */
export const releaseItem = itemUseCase(async (trx, item, now, actor) => {
  if (nextStatus(item.status, 'release') === null)
    throw new QueueError(
      'conflict',
      item.status === 'closed' ? 'This referral is already closed.' : 'This referral is not claimed.',
    );
  const ownClaim = item.claimed_by === actor.userId;
  if (!ownClaim && !can(actor, 'intake.handle', {}))
    throw new QueueError(
      'forbidden',
      'Only the person who claimed this referral, or a state administrator, can release it.',
    );
  await q.setReleased(trx, item.id, now);
  return { event: 'released', action: 'intake.release', detail: { from: item.status, own_claim: ownClaim } };
});

/**
 * Records contact, a failed attempt, or closing, with an outcome code from `OUTCOMES` and an optional
 * note (encrypted under the item's key, kept with the earlier notes). Only the person who claimed the
 * item may record it. A person who may not handle the item is refused before the input is checked.
 *
 * @example
 * await recordOutcome(ctx, navigator, id, { status: 'contacted', outcome: 'spoke_with_youth' }, origin);
 */
export async function recordOutcome(
  ctx: QueueContext,
  actor: Actor,
  id: string,
  input: OutcomeInput,
  origin: RequestOrigin,
): Promise<void> {
  authorizeQueue(actor, 'intake.handle', undefined, { message: HANDLE });
  await changeItem(ctx, actor, id, origin, async (trx, item, now) => {
    const checked = checkOutcome(input);
    const next = nextStatus(item.status, checked.status);
    if (next === null) throw statusConflict(item.status, item.claimed_by, actor);
    if (item.claimed_by !== actor.userId)
      throw new QueueError(
        'conflict',
        'Only the person who claimed this referral can record contact. Ask them, or a state administrator to release it.',
      );
    let sealedNotes = item.outcome_note_encrypted;
    if (checked.note) {
      const notes = await readNotes(ctx, item.id, item.outcome_note_encrypted, trx);
      notes.push({
        at: now.toISOString(),
        by: actor.userId,
        status: checked.status,
        outcome: checked.outcome,
        text: checked.note,
      });
      sealedNotes = await encryptField(ctx.keyring, notesAddress(item.id), JSON.stringify(notes), trx);
    }
    await q.setOutcome(trx, item.id, { status: next, outcome: checked.outcome, sealedNotes, now });
    return {
      event: checked.status,
      action: 'intake.outcome',
      detail: { status: checked.status, outcome: checked.outcome, with_note: checked.note !== null },
    };
  });
}
