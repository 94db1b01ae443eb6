/**
 * The navigator queue's rules, pure: the status machine, the outcome codes, the words the pages and the
 * API use, who may see which items, and when an unclaimed item escalates. No I/O.
 */
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { can, regionScope, type Actor, type RegionScope } from '../../platform/access.ts';
import { ServiceError } from '../../platform/errors.ts';
import type { AgeBand, IntakeKind, IntakeStatus, Urgency } from '../intake/index.ts';

/** A refusal a person can act on; `code` maps to 404, 403, 409 or 400. */
export class QueueError extends ServiceError {}

export const NOT_FOUND = 'There is no such referral, or it is not in your regions.';
export const NOTE_MAX = 4000;

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

export type QueueView = 'open' | 'new' | 'mine' | 'closed' | 'all';
export const QUEUE_VIEWS: Record<QueueView, string> = {
  open: 'Open (not closed)',
  new: 'New, not claimed',
  mine: 'Claimed by me',
  closed: 'Closed',
  all: 'All',
};

export const QUEUE_LIMIT = 200;

/** Why a change cannot be made in the item's status, in words for the person who tried. */
export function statusConflict(status: IntakeStatus, claimedBy: string | null, actor: Actor): QueueError {
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

/** What the actor may do on an item's page. */
export interface ItemActions {
  mayHandle: boolean;
  /** The actor holds the claim. */
  mine: boolean;
  open: boolean;
  mayRelease: boolean;
  mayOpenCase: boolean;
}

export function itemActions(
  actor: Actor,
  item: { regionId: string | null; status: IntakeStatus; claimedBy: { userId: string } | null },
): ItemActions {
  const mayHandle = can(actor, 'intake.handle', { regionId: item.regionId });
  const mine = item.claimedBy?.userId === actor.userId;
  const open = item.status !== 'closed';
  return {
    mayHandle,
    mine,
    open,
    mayRelease: mayHandle && open && item.status !== 'new' && (mine || can(actor, 'intake.handle', {})),
    mayOpenCase:
      can(actor, 'cases.write', { regionId: item.regionId }) && (item.status === 'new' || mine || !open),
  };
}

/** How long an item has waited, or how long it took to close. */
export function waiting(item: { createdAt: Date; closedAt: Date | null }, now: Date): string {
  if (item.closedAt)
    return `Closed after ${durationInWords(item.closedAt.getTime() - item.createdAt.getTime())}`;
  return durationInWords(now.getTime() - item.createdAt.getTime());
}

/** Who holds the claim, as the actor reads it. */
export function claimedByText(
  item: { claimedBy: { userId: string; name: string } | null },
  actor: Actor,
): string {
  if (!item.claimedBy) return 'Nobody yet';
  return item.claimedBy.userId === actor.userId ? 'You' : item.claimedBy.name;
}

// ---------------------------------------------------------------------------------------------------
// Escalation

export interface EscalationSettings {
  /** Business hours unclaimed before the region's navigators are told again (default 4). */
  afterBusinessHours: number;
  /** Clock hours unclaimed before the state administrators are told (default 24). */
  toStateAfterHours: number;
}

export const DEFAULT_ESCALATION: Readonly<EscalationSettings> = {
  afterBusinessHours: 4,
  toStateAfterHours: 24,
};

export type EscalationLevel = 0 | 1 | 2;

/**
 * When an item created at `createdAt` escalates: to the region's navigators, then to the state
 * administrators.
 *
 * @example
 * escalationTimes(calendar, DEFAULT_ESCALATION, fridayAt16).toRegion // Monday 11:00 (no holiday)
 */
export function escalationTimes(
  calendar: BusinessCalendar,
  settings: EscalationSettings,
  createdAt: Date,
): { toRegion: Date; toState: Date } {
  return {
    toRegion: calendar.addBusinessHours(createdAt, settings.afterBusinessHours),
    toState: new Date(createdAt.getTime() + settings.toStateAfterHours * 3_600_000),
  };
}

/** The level an unclaimed item created at `createdAt` should have reached at `now`. */
export function escalationLevelAt(
  calendar: BusinessCalendar,
  settings: EscalationSettings,
  createdAt: Date,
  now: Date,
): EscalationLevel {
  const { toRegion, toState } = escalationTimes(calendar, settings, createdAt);
  if (toState.getTime() <= now.getTime()) return 2;
  if (toRegion.getTime() <= now.getTime()) return 1;
  return 0;
}

const KIND_WORDS: Record<IntakeKind, string> = {
  professional_referral: 'A referral',
  consultation: 'A consultation request',
  self_referral: 'A self-referral',
};

const hoursWord = (n: number) => `${n} ${n === 1 ? 'hour' : 'hours'}`;

/**
 * The sentence of a notification. Only the kind of item, the region's name and how long it waited:
 * never anything about the young person.
 */
export function notificationText(
  kind: IntakeKind,
  regionName: string | null,
  level: EscalationLevel,
  settings: EscalationSettings,
): string {
  const where = regionName ? `in ${regionName}` : 'with no region (the county is not known)';
  const what = KIND_WORDS[kind];
  switch (level) {
    case 0:
      return `${what} is waiting ${where}`;
    case 1:
      return `${what} has waited ${settings.afterBusinessHours} business ${settings.afterBusinessHours === 1 ? 'hour' : 'hours'} unclaimed ${where}`;
    case 2:
      return `${what} has waited ${hoursWord(settings.toStateAfterHours)} unclaimed ${where}`;
  }
}
