/**
 * The navigator queue: who sees which referrals and self-referrals, opening one (an audited read of
 * personal data), claiming it, recording contact and its outcome, releasing a claim.
 *
 * Visibility is the permission model's: `intake.read` with scope `any` (state administrators) sees every
 * item, including those without a region; `own_regions` (navigators) sees only items of the person's
 * regions. An item outside that scope is answered exactly like one that does not exist, so its
 * existence is not disclosed.
 *
 * Every change takes the item's row lock, checks the status machine below, writes an `intake_events`
 * row and records its audit event last, in one transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { actorKind, can, regionScope, type Actor, type RegionScope } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { markLinkRead } from '../notifications/service.ts';
import { intakeScope, openPayload, type IntakePayload } from '../intake/payload.ts';
import type { AgeBand, IntakeKind, IntakeStatus, Urgency } from '../intake/tables.ts';
import { ServiceError } from '../../platform/errors.ts';

// ---------------------------------------------------------------------------------------------------
// Rules (pure)

/** What a navigator can do to an item. */
export const QUEUE_ACTIONS = ['claim', 'release', 'contacted', 'could_not_reach', 'closed'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];

/** The statuses an outcome can be recorded as. */
export const OUTCOME_STATUSES = ['contacted', 'could_not_reach', 'closed'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

const HANDLED: readonly IntakeStatus[] = ['claimed', 'contacted', 'could_not_reach'];

/**
 * The status after `action`, or null when the action is not allowed from `from`:
 * new → claimed (claim); claimed, contacted, could_not_reach → new (release), → contacted,
 * → could_not_reach or → closed (record an outcome). Closed is final.
 *
 * @example
 * nextStatus('new', 'claim') // 'claimed'
 * nextStatus('closed', 'contacted') // null
 */
export function nextStatus(from: IntakeStatus, action: QueueAction): IntakeStatus | null {
  switch (action) {
    case 'claim':
      return from === 'new' ? 'claimed' : null;
    case 'release':
      return HANDLED.includes(from) ? 'new' : null;
    case 'contacted':
    case 'could_not_reach':
    case 'closed':
      return HANDLED.includes(from) ? action : null;
  }
}

/** Outcome codes, a fixed list: each says which status it goes with. */
export const OUTCOMES = {
  spoke_with_youth: { label: 'Spoke with the young person', status: 'contacted' },
  spoke_with_referrer: { label: 'Spoke with the person who referred', status: 'contacted' },
  met_in_person: { label: 'Met in person', status: 'contacted' },
  no_answer: { label: 'No answer', status: 'could_not_reach' },
  left_safe_message: { label: 'Left a message where it is safe to', status: 'could_not_reach' },
  not_safe_to_contact: { label: 'Not safe to make contact now', status: 'could_not_reach' },
  contact_details_not_working: { label: 'The contact details do not work', status: 'could_not_reach' },
  connected_to_services: { label: 'Connected to services', status: 'closed' },
  declined_services: { label: 'The young person declined services', status: 'closed' },
  referred_to_other_region: { label: "Passed to another region's navigator", status: 'closed' },
  referred_elsewhere: { label: 'Referred to another agency', status: 'closed' },
  no_contact_after_attempts: { label: 'Could not reach after several attempts', status: 'closed' },
  duplicate: { label: 'Duplicate of another referral', status: 'closed' },
  other: { label: 'Other (say what in the note)', status: 'closed' },
} as const satisfies Record<string, { label: string; status: OutcomeStatus }>;
export type OutcomeCode = keyof typeof OUTCOMES;

export const isOutcomeCode = (value: string): value is OutcomeCode => Object.hasOwn(OUTCOMES, value);

/** The outcome codes that go with a status, in display order. */
export function outcomesFor(status: OutcomeStatus): OutcomeCode[] {
  return (Object.keys(OUTCOMES) as OutcomeCode[]).filter((code) => OUTCOMES[code].status === status);
}

export const STATUS_NAMES: Record<IntakeStatus, string> = {
  new: 'New, not claimed',
  claimed: 'Claimed',
  contacted: 'Contacted',
  could_not_reach: 'Could not reach',
  closed: 'Closed',
};

export const KIND_NAMES: Record<IntakeKind, string> = {
  professional_referral: 'Referral from a professional',
  consultation: 'Consultation (no name given)',
  self_referral: 'Self-referral',
};

export const URGENCY_NAMES: Record<Urgency, string> = {
  immediate: 'Immediate',
  soon: 'Soon',
  routine: 'Routine',
};

export const AGE_BAND_NAMES: Record<AgeBand, string> = {
  under18: 'Under 18',
  '18to24': '18 to 24',
  '25plus': '25 or older',
  unknown: 'Not known',
};

export const ESCALATION_NAMES = [
  "The region's navigators",
  "Escalated to all of the region's navigators",
  'Escalated to the state administrators',
] as const;

/** The age if given, otherwise the age band, in words. */
export function ageInWords(age: number | null, band: AgeBand): string {
  return age === null ? AGE_BAND_NAMES[band] : String(age);
}

/**
 * A duration in plain words, at most two units: "less than a minute", "12 minutes", "3 hours 5
 * minutes", "2 days 4 hours".
 *
 * @example
 * durationInWords(3 * 3600_000 + 5 * 60_000) // '3 hours 5 minutes'
 */
export function durationInWords(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours ? `${unit(days, 'day')} ${unit(hours, 'hour')}` : unit(days, 'day');
  if (hours > 0) return mins ? `${unit(hours, 'hour')} ${unit(mins, 'minute')}` : unit(hours, 'hour');
  return unit(mins, 'minute');
}

/** Which items an actor may see or handle: all of them, some regions' (maybe none), or none at all. */
export type QueueScope = RegionScope;

/**
 * The actor's scope for `intake.read` or `intake.handle`; null when the role (or the token) may not
 * take the action anywhere.
 */
export const queueScope = (actor: Actor, action: 'intake.read' | 'intake.handle'): QueueScope | null =>
  regionScope(actor, action);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters other than line breaks and tabs. */
const hasControl = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));
export const NOTE_MAX = 4000;

// ---------------------------------------------------------------------------------------------------
// Errors and context

/** A refusal a person can act on; `code` maps to 404, 403, 409 or 400. */
export class QueueError extends ServiceError {}

const NOT_FOUND = 'There is no such referral, or it is not in your regions.';

export interface QueueContext {
  db: Database;
  keyring: Keyring;
  now?: () => Date;
}

/** Where a request came from, for the audit log. */
export type { RequestOrigin };

const nowOf = (ctx: QueueContext) => (ctx.now ? ctx.now() : new Date());

// ---------------------------------------------------------------------------------------------------
// Reading

export type QueueView = 'open' | 'new' | 'mine' | 'closed' | 'all';
export const QUEUE_VIEWS: Record<QueueView, string> = {
  open: 'Open (not closed)',
  new: 'New, not claimed',
  mine: 'Claimed by me',
  closed: 'Closed',
  all: 'All',
};

export interface QueueFilters {
  view?: QueueView;
  /** A region id, or `none` for items without a region (state administrators). */
  region?: string;
  urgency?: Urgency;
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

function summaryQuery(db: Database | Transaction<DB>) {
  return db
    .selectFrom('intake_items as i')
    .leftJoin('regions as r', 'r.id', 'i.region_id')
    .leftJoin('counties as c', 'c.fips', 'i.county_fips')
    .select(SUMMARY_COLUMNS);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

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
  const names = new Map<string, string>();
  if (wanted.length === 0) return names;
  const rows = await (trx ?? ctx.db)
    .selectFrom('staff_users')
    .select(['id', 'display_name_encrypted'])
    .where('id', 'in', wanted)
    .execute();
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

function toSummary(row: SummaryRow, names: Map<string, string>): QueueItemSummary {
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

export const QUEUE_LIMIT = 200;

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
  const scope = queueScope(actor, 'intake.read');
  if (!scope) throw new QueueError('forbidden', 'You do not have permission to see the queue.');
  if (!scope.all && scope.regions.length === 0) return [];
  const view = filters.view ?? 'open';
  let q = summaryQuery(ctx.db);
  if (!scope.all) q = q.where('i.region_id', 'in', scope.regions);
  if (filters.region === 'none') q = q.where('i.region_id', 'is', null);
  else if (filters.region) q = q.where('i.region_id', '=', filters.region);
  if (filters.urgency) q = q.where('i.urgency', '=', filters.urgency);
  switch (view) {
    case 'open':
      q = q.where('i.status', '<>', 'closed');
      break;
    case 'new':
      q = q.where('i.status', '=', 'new');
      break;
    case 'mine':
      q = q.where('i.claimed_by', '=', actor.userId).where('i.status', '<>', 'closed');
      break;
    case 'closed':
      q = q.where('i.status', '=', 'closed');
      break;
    case 'all':
      break;
  }
  q =
    view === 'closed' || view === 'all'
      ? q.orderBy('i.created_at', 'desc')
      : q
          .orderBy(sql`case i.urgency when 'immediate' then 0 when 'soon' then 1 else 2 end`)
          .orderBy('i.created_at', 'asc');
  const rows = await q
    .orderBy('i.id')
    .limit(Math.min(Math.max(filters.limit ?? QUEUE_LIMIT, 1), QUEUE_LIMIT))
    .execute();
  const names = await staffNames(
    ctx,
    rows.map((r) => r.claimed_by),
  );
  return rows.map((r) => toSummary(r, names));
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

/** An item the actor may read, locked for the change that follows; not found otherwise. */
async function visibleItem(trx: Transaction<DB>, actor: Actor, id: string, lock: boolean) {
  if (!UUID.test(id)) throw new QueueError('not_found', NOT_FOUND);
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
    .where('id', '=', id.toLowerCase());
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row || !can(actor, 'intake.read', { regionId: row.region_id }))
    throw new QueueError('not_found', NOT_FOUND);
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
  if (!queueScope(actor, 'intake.read'))
    throw new QueueError('forbidden', 'You do not have permission to see the queue.');
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const item = await visibleItem(trx, actor, id, false);
    const row = await summaryQuery(trx).where('i.id', '=', item.id).executeTakeFirstOrThrow();
    const payload = await openPayload(ctx.keyring, item.id, item.payload_encrypted);
    const stored = await readNotes(ctx, item.id, item.outcome_note_encrypted, trx);
    const events = await trx
      .selectFrom('intake_events')
      .select(['at', 'event', 'actor_user_id', 'detail'])
      .where('item_id', '=', item.id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    const names = await staffNames(
      ctx,
      [row.claimed_by, ...events.map((e) => e.actor_user_id), ...stored.map((n) => n.by)],
      trx,
    );
    await trx
      .insertInto('intake_events')
      .values({ item_id: item.id, at: now, actor_user_id: actor.userId, event: 'opened' })
      .execute();
    await markLinkRead(trx, `/staff/queue/${item.id}`, now, actor.userId);
    await recordAudit(trx, {
      actorKind: actorKind(actor),
      actorUserId: actor.userId,
      action: 'intake.open',
      subjectType: 'intake_item',
      subjectId: item.id,
      organizationId: actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
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

/** The actor may handle items of this region (checked once the item is known to be visible). */
function requireHandle(actor: Actor, regionId: string | null): void {
  if (!can(actor, 'intake.handle', { regionId }))
    throw new QueueError('forbidden', 'You do not have permission to handle this referral.');
}

function statusConflict(status: IntakeStatus, claimedBy: string | null, actor: Actor): QueueError {
  if (status === 'closed') return new QueueError('conflict', 'This referral is already closed.');
  if (status === 'new')
    return new QueueError('conflict', 'This referral is not claimed. Claim it first, then record contact.');
  if (claimedBy === actor.userId)
    return new QueueError('conflict', 'You have already claimed this referral.');
  return new QueueError(
    'conflict',
    'Someone else has already claimed this referral. It stays with them; open it to see who.',
  );
}

async function recordChange(
  trx: Transaction<DB>,
  actor: Actor,
  origin: RequestOrigin,
  now: Date,
  item: { id: string; region_id: string | null },
  change: { event: string; action: string; detail: Record<string, unknown> },
): Promise<void> {
  await trx
    .insertInto('intake_events')
    .values({
      item_id: item.id,
      at: now,
      actor_user_id: actor.userId,
      event: change.event,
      detail: JSON.stringify(change.detail),
    })
    .execute();
  await recordAudit(trx, {
    actorKind: actorKind(actor),
    actorUserId: actor.userId,
    action: change.action,
    subjectType: 'intake_item',
    subjectId: item.id,
    organizationId: actor.organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    details: { region: item.region_id, ...change.detail },
  });
}

/**
 * Claims an unclaimed item for the actor. Only one claim can win: the row is locked, and a second
 * claimer gets a `conflict` saying someone else has it.
 *
 * @example
 * await claimItem(ctx, navigator, id, origin); // the item is now 'claimed' by the navigator
 */
export async function claimItem(
  ctx: QueueContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const item = await visibleItem(trx, actor, id, true);
    requireHandle(actor, item.region_id);
    if (nextStatus(item.status, 'claim') === null) throw statusConflict(item.status, item.claimed_by, actor);
    await trx
      .updateTable('intake_items')
      .set({ status: 'claimed', claimed_by: actor.userId, claimed_at: now, updated_at: now })
      .where('id', '=', item.id)
      .where('status', '=', 'new')
      .execute();
    await recordChange(trx, actor, origin, now, item, {
      event: 'claimed',
      action: 'intake.claim',
      detail: {},
    });
  });
}

/**
 * Gives a claimed item back to the queue (status new, unclaimed). The person who claimed it may, and so
 * may someone whose scope is every item (a state administrator, to reassign).
 */
export async function releaseItem(
  ctx: QueueContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const item = await visibleItem(trx, actor, id, true);
    requireHandle(actor, item.region_id);
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
    await trx
      .updateTable('intake_items')
      .set({ status: 'new', claimed_by: null, claimed_at: null, updated_at: now })
      .where('id', '=', item.id)
      .execute();
    await recordChange(trx, actor, origin, now, item, {
      event: 'released',
      action: 'intake.release',
      detail: { from: item.status, own_claim: ownClaim },
    });
  });
}

export interface OutcomeInput {
  status: string;
  outcome: string;
  note?: string | null;
}

/** Checks an outcome as a person entered it; the error names the field. */
export function checkOutcome(input: OutcomeInput): {
  status: OutcomeStatus;
  outcome: OutcomeCode;
  note: string | null;
} {
  const status = input.status;
  if (!(OUTCOME_STATUSES as readonly string[]).includes(status))
    throw new QueueError('invalid', 'Choose what happened: contacted, could not reach, or closed.', 'status');
  const s = status as OutcomeStatus;
  if (!isOutcomeCode(input.outcome) || OUTCOMES[input.outcome].status !== s)
    throw new QueueError('invalid', 'Choose an outcome from the list for what happened.', 'outcome');
  const note = (input.note ?? '').trim();
  if (note.length > NOTE_MAX)
    throw new QueueError('invalid', `The note must be ${NOTE_MAX} characters or fewer.`, 'note');
  if (hasControl(note))
    throw new QueueError('invalid', 'Use letters, numbers, spaces and punctuation in the note.', 'note');
  if (input.outcome === 'other' && !note)
    throw new QueueError('invalid', 'Say in the note what the outcome was.', 'note');
  return { status: s, outcome: input.outcome, note: note || null };
}

/**
 * Records contact, a failed attempt, or closing, with an outcome code from `OUTCOMES` and an optional
 * note (encrypted under the item's key, kept with the earlier notes). Only the person who claimed the
 * item may record it.
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
  const checked = checkOutcome(input);
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const item = await visibleItem(trx, actor, id, true);
    requireHandle(actor, item.region_id);
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
    await trx
      .updateTable('intake_items')
      .set({
        status: next,
        outcome: checked.outcome,
        outcome_note_encrypted: sealedNotes,
        closed_at: next === 'closed' ? now : null,
        updated_at: now,
      })
      .where('id', '=', item.id)
      .execute();
    await recordChange(trx, actor, origin, now, item, {
      event: checked.status,
      action: 'intake.outcome',
      detail: { status: checked.status, outcome: checked.outcome, with_note: checked.note !== null },
    });
  });
}
