/**
 * The rules of shelter requests, without I/O: the age bands a request gives instead of an age, how soon,
 * the reasons a program cannot take a young person, the reasons a placement ends, how long a bed is held
 * and when a request escalates, and the links and sentences of notifications (never personal data).
 */
import { codesOf } from '../housing/index.ts';
import type { CloseReason, OfferStatus } from './tables.ts';

export type { CloseReason, OfferStatus };

/** An age band instead of an age: what a program needs to know, and no more. */
export const AGE_BANDS = {
  '10-13': { label: '10 to 13', min: 10, max: 13 },
  '14-15': { label: '14 or 15', min: 14, max: 15 },
  '16-17': { label: '16 or 17', min: 16, max: 17 },
  '18-20': { label: '18 to 20', min: 18, max: 20 },
  '21-24': { label: '21 to 24', min: 21, max: 24 },
} as const;
export type AgeBand = keyof typeof AGE_BANDS;
export const AGE_BAND_CODES = codesOf(AGE_BANDS);

export const URGENCY = { tonight: 'Tonight', this_week: 'This week' } as const;
export type Urgency = keyof typeof URGENCY;
export const URGENCY_CODES = codesOf(URGENCY);

/** Why a program cannot take the young person. */
export const DECLINE_REASONS = {
  full: 'No bed free',
  age: 'Outside the ages we serve',
  gender: 'We do not serve this gender',
  safety: 'Not safe here (for example, a known conflict)',
  other: 'Another reason',
} as const;
export type DeclineReason = keyof typeof DECLINE_REASONS;
export const DECLINE_REASON_CODES = codesOf(DECLINE_REASONS);

/** Why a placement ended. */
export const END_REASONS = {
  planned_move: 'Planned move',
  left_on_own: 'Left on their own',
  asked_to_leave: 'Asked to leave by the program',
  safety: 'Left for their safety',
  other: 'Another reason',
} as const;
export type EndReason = keyof typeof END_REASONS;
export const END_REASON_CODES = codesOf(END_REASONS);

/** Why a request closed without a bed confirmed (`case_closed` only by the job, when its case closed). */
export const CLOSE_REASONS: Record<CloseReason, string> = {
  no_bed_found: 'No bed found',
  found_elsewhere: 'A place was found another way',
  no_longer_needed: 'No longer needed',
  case_closed: 'The case was closed',
};
/** The reasons a navigator chooses from. */
export const CHOSEN_CLOSE_REASONS = {
  no_bed_found: CLOSE_REASONS.no_bed_found,
  found_elsewhere: CLOSE_REASONS.found_elsewhere,
  no_longer_needed: CLOSE_REASONS.no_longer_needed,
} as const;
export const CHOSEN_CLOSE_REASON_CODES = codesOf(CHOSEN_CLOSE_REASONS);

export const OFFER_STATUS: Record<OfferStatus, string> = {
  waiting: 'Waiting for an answer',
  holding: 'Can take them: bed held',
  declined: 'Cannot take them',
  confirmed: 'Confirmed',
  released: 'Released',
  expired: 'Hold ended',
};

export const DEFAULT_HOLD_MINUTES = 120;
export const DEFAULT_ESCALATE_MINUTES = 30;

/** Whether a program serving ages `min`–`max` serves someone in the band (any age of it). */
export const servesBand = (band: AgeBand, min: number, max: number): boolean =>
  AGE_BANDS[band].min <= max && AGE_BANDS[band].max >= min;

/** Whether an offer holds its bed at `now`. */
export const holds = (offer: { status: OfferStatus; held_until: Date | null }, now: Date): boolean =>
  offer.status === 'holding' && offer.held_until !== null && offer.held_until > now;

/** When a bed offered at `now` is held until. */
export const holdUntil = (now: Date, minutes: number) => new Date(now.getTime() + minutes * 60_000);

/** Whether a request opened at `createdAt` that nobody answered escalates at `now`. */
export const dueToEscalate = (createdAt: Date, now: Date, minutes: number) =>
  now.getTime() - createdAt.getTime() >= minutes * 60_000;

export const requestLink = (id: string) => `/staff/shelter-requests/${id}`;
export const INBOX_LINK = '/staff/shelter-requests';

/** The sentences of notifications and their emails: fixed, never about the young person. */
export const TEXT = {
  request: 'A navigator is asking for a bed for a young person: please answer',
  offer: 'A program can take the young person of your shelter request',
  declined: 'A program answered your shelter request',
  confirmed: 'Your offer of a bed was confirmed: a referral follows',
  released: 'Thank you: the young person found a bed elsewhere, and your held bed is released',
  escalated: 'A shelter request in your region has had no answer: please help find a bed',
  closed: 'A shelter request to your programs is closed: thank you. Any bed you held is released',
} as const;
