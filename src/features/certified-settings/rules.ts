/**
 * The rules of certified specialized residential settings, without I/O: the statuses of a certification
 * and when one has expired, days to expiry, which expiry reminder is due, and when a direct-contact staff
 * member's training is overdue.
 *
 * Dates are calendar dates (`YYYY-MM-DD`) in the pack's time zone, compared as days.
 */

/** The statuses a state administrator records. "Expired" is never recorded: it follows from the date. */
export const RECORDED_STATUSES = {
  certified: 'Certified',
  renewal_pending: 'Renewal pending',
  suspended: 'Suspended',
  revoked: 'Revoked',
} as const;
export type RecordedStatus = keyof typeof RECORDED_STATUSES;
export const RECORDED_STATUS_CODES = Object.keys(RECORDED_STATUSES) as [RecordedStatus, ...RecordedStatus[]];

/** The status a setting shows: the recorded one, or expired once the expiry date has passed. */
export const STATUSES = { ...RECORDED_STATUSES, expired: 'Expired' } as const;
export type SettingStatus = keyof typeof STATUSES;

/**
 * The days after which a direct-contact staff member without the training shows as overdue, when the
 * configuration does not say (`NWD_SETTING_TRAINING_DAYS`). NOT FROM A SOURCE: the seed (DHS, FFPSA
 * settings) says only that the training's website gives the timelines, so this is a local default an
 * administrator should check against the commissioner's rule.
 */
export const DEFAULT_TRAINING_DAYS = 30;

/** The reminders before expiry, in days, largest first: each goes once per expiry date. */
export const REMINDER_DAYS = [60, 30] as const;
export type ReminderDays = (typeof REMINDER_DAYS)[number];

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY;
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (no 31 February). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** The date `days` after `date`. */
export const addDays = (date: string, days: number): string =>
  new Date((dayNumber(date) + days) * DAY).toISOString().slice(0, 10);

/**
 * The status a setting shows on `today`: revoked stays revoked; otherwise, after the expiry date, expired
 * (the certification is valid through its expiry date).
 *
 * @example
 * shownStatus('certified', '2026-01-31', '2026-02-01'); // 'expired'
 */
export function shownStatus(recorded: RecordedStatus, expiresOn: string, today: string): SettingStatus {
  if (recorded === 'revoked') return 'revoked';
  return daysBetween(today, expiresOn) < 0 ? 'expired' : recorded;
}

/**
 * The expiry reminder due on `today`, or null: the 30-day one from 30 days before expiry, the 60-day one
 * from 60 days before (until the 30-day one is due), each only if it has not gone out for this expiry
 * date. None for a revoked certification or after expiry. A run that missed the 60-day mark by a few days
 * still sends it; one that reaches the 30-day mark first sends only the 30-day one.
 *
 * @example
 * reminderDue({ expiresOn: '2027-03-02', status: 'certified', reminded60For: null, reminded30For: null }, '2027-01-01'); // 60
 */
export function reminderDue(
  s: {
    expiresOn: string;
    status: RecordedStatus;
    reminded60For: string | null;
    reminded30For: string | null;
  },
  today: string,
): ReminderDays | null {
  if (s.status === 'revoked') return null;
  const left = daysBetween(today, s.expiresOn);
  if (left < 0) return null;
  if (left <= 30) return s.reminded30For === s.expiresOn ? null : 30;
  if (left <= 60) return s.reminded60For === s.expiresOn ? null : 60;
  return null;
}

/**
 * Whether a direct-contact staff member's training is overdue on `today`: not completed, and started more
 * than `trainingDays` days ago.
 */
export const trainingOverdue = (
  p: { startedOn: string; trainedOn: string | null },
  today: string,
  trainingDays: number,
): boolean => p.trainedOn === null && daysBetween(p.startedOn, today) > trainingDays;

/** The training of a staff member in words: when completed, overdue, or not yet. */
export type TrainingState = 'trained' | 'overdue' | 'not_yet';

export function trainingState(
  p: { startedOn: string; trainedOn: string | null },
  today: string,
  trainingDays: number,
): TrainingState {
  if (p.trainedOn !== null) return 'trained';
  return trainingOverdue(p, today, trainingDays) ? 'overdue' : 'not_yet';
}

/** The link to a setting's page. */
export const settingLink = (id: string) => `/staff/housing/settings/${id}`;

const WORDS = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** A `YYYY-MM-DD` date as people read it: "March 31, 2027". */
export const dateInWords = (date: string): string => WORDS.format(new Date(dayNumber(date) * DAY));

/** Days to expiry in words: "in 12 days", "today", "3 days ago". */
export function daysToExpiryInWords(days: number): string {
  if (days === 0) return 'today';
  const n = Math.abs(days);
  const unit = n === 1 ? 'day' : 'days';
  return days > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}
