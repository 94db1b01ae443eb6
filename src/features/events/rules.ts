/**
 * The rules of events, without the database: recurrence (RFC 5545 RRULE, expanded with `rrule`), wall
 * times in the event's time zone turned into instants (daylight saving time included), and one-off
 * changes and cancellations of single occurrences.
 *
 * An occurrence is named by the local date the rule gives it (`occurrenceDate`), as iCalendar's
 * RECURRENCE-ID does; a series has at most one occurrence a day (the rule's frequency is daily or
 * slower), so the date is enough.
 */
import * as rruleModule from 'rrule';

// Node loads rrule's CommonJS build (its exports under `default`); bundlers load its ES module build.
const { RRule } = (
  (rruleModule as { RRule?: unknown }).RRule
    ? rruleModule
    : (rruleModule as unknown as { default: typeof rruleModule }).default
) as typeof rruleModule;

/** The frequencies a series may have: at most one occurrence a day. */
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
/** The rule parts accepted (no BYHOUR and the like: the time is the event's). */
const PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYSETPOS',
  'COUNT',
  'UNTIL',
  'WKST',
]);

/**
 * The problem with a recurrence rule, in words a person can act on, or null when it is usable.
 *
 * @example
 * ruleProblem('FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE') // null
 * ruleProblem('FREQ=HOURLY') // 'A series repeats daily, weekly, monthly or yearly.'
 */
export function ruleProblem(rule: string): string | null {
  const text = rule.trim().replace(/^RRULE:/i, '');
  const parts = text.split(';').filter(Boolean);
  const names = parts.map((p) => p.split('=')[0]?.toUpperCase() ?? '');
  const freq = parts
    .find((p) => p.toUpperCase().startsWith('FREQ='))
    ?.slice(5)
    .toUpperCase();
  if (!freq) return 'A repeat rule starts with FREQ, for example FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE.';
  if (!FREQUENCIES.has(freq)) return 'A series repeats daily, weekly, monthly or yearly.';
  const unknown = names.find((n) => !PARTS.has(n));
  if (unknown) return `The repeat rule part ${unknown} is not used here. Leave it out.`;
  try {
    const options = RRule.parseString(text);
    new RRule({ ...options, dtstart: new Date(Date.UTC(2026, 0, 1, 12)) }).all((_, i) => i < 2);
  } catch {
    return 'The repeat rule is not a valid RFC 5545 RRULE.';
  }
  return null;
}

/** `YYYY-MM-DD` of a UTC date. */
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const noonUtc = (date: string) => new Date(`${date}T12:00:00Z`);

/** Adds days to a calendar date. */
export function addDays(date: string, days: number): string {
  const d = noonUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/**
 * The local dates of a series' occurrences (as the rule gives them, before changes) from `from` to
 * `to`, both included. A single event (no rule) has its one date.
 *
 * @example
 * ruleDates({ startsOn: '2026-01-21', rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE' }, '2026-01-01', '2026-06-30')
 * // ['2026-01-21', '2026-03-18', '2026-05-20']
 */
export function ruleDates(
  series: { startsOn: string; rrule: string | null },
  from: string,
  to: string,
): string[] {
  if (!series.rrule) return series.startsOn >= from && series.startsOn <= to ? [series.startsOn] : [];
  const rule = new RRule({
    ...RRule.parseString(series.rrule.replace(/^RRULE:/i, '')),
    dtstart: noonUtc(series.startsOn),
  });
  return rule.between(noonUtc(from), noonUtc(to), true).map(isoDate);
}

/** Whether `date` is an occurrence of the series (before changes). */
export const isRuleDate = (series: { startsOn: string; rrule: string | null }, date: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(date) && ruleDates(series, date, date).includes(date);

/** The offset of `timeZone` from UTC at `at`, in minutes (Chicago in winter: -360). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant of a wall-clock time in a time zone. A time skipped when clocks spring forward is read as
 * the time an hour later; a time that happens twice in the fall is the first of the two.
 *
 * @example
 * zonedInstant('2026-07-15', '11:00', 'America/Chicago').toISOString() // '2026-07-15T16:00:00.000Z'
 * zonedInstant('2026-01-21', '11:00', 'America/Chicago').toISOString() // '2026-01-21T17:00:00.000Z'
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const HALF_DAY = 12 * 60 * 60_000;
  const before = offsetMinutes(new Date(wall - HALF_DAY), timeZone);
  const after = offsetMinutes(new Date(wall + HALF_DAY), timeZone);
  const valid = [before, after]
    .map((offset) => ({ offset, at: wall - offset * 60_000 }))
    .filter((c) => offsetMinutes(new Date(c.at), timeZone) === c.offset)
    .map((c) => c.at);
  // Both readings valid (the repeated hour in the fall): the first; none (the skipped hour): an hour later.
  return new Date(valid.length ? Math.min(...valid) : wall - before * 60_000);
}

/** The local date of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export interface SeriesTimes {
  startsOn: string;
  startTime: string;
  endTime: string;
  rrule: string | null;
  timezone: string;
  placeName: string | null;
  placeAddress: string | null;
}

export interface OccurrenceChange {
  occurrenceDate: string;
  cancelled: boolean;
  movedTo: string | null;
  startTime: string | null;
  endTime: string | null;
  placeName: string | null;
  placeAddress: string | null;
}

export interface Occurrence {
  /** The date the rule gives it: its name (RECURRENCE-ID), also after a change. */
  occurrenceDate: string;
  /** The local date it happens on (after a change). */
  date: string;
  startTime: string;
  endTime: string;
  startsAt: Date;
  endsAt: Date;
  placeName: string | null;
  placeAddress: string | null;
  changed: boolean;
  cancelled: boolean;
}

/**
 * The occurrences that start from `from` (a local date) to `to` (included), with one-off changes
 * applied; cancelled occurrences are included, marked, so pages can say so. A changed occurrence is
 * found by its rule date when that falls in the window, and by its new date otherwise.
 *
 * @example
 * expand(streetWorks, [], '2026-01-01', '2026-12-31').length // 6
 */
export function expand(
  series: SeriesTimes,
  changes: readonly OccurrenceChange[],
  from: string,
  to: string,
): Occurrence[] {
  const byDate = new Map(changes.map((c) => [c.occurrenceDate, c]));
  const dates = new Set(ruleDates(series, from, to));
  // A change that moves an occurrence into the window from outside it.
  for (const c of changes) if (c.movedTo && c.movedTo >= from && c.movedTo <= to) dates.add(c.occurrenceDate);
  const out: Occurrence[] = [];
  for (const occurrenceDate of dates) {
    const o = occurrenceFor(series, byDate.get(occurrenceDate), occurrenceDate);
    if (o) out.push(o);
  }
  return out
    .filter((o) => o.date >= from && o.date <= to)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/**
 * One occurrence, named by its rule date, with its change (if any) applied; null when the date is not
 * one of the series' dates.
 */
export function occurrenceFor(
  series: SeriesTimes,
  c: OccurrenceChange | undefined,
  occurrenceDate: string,
): Occurrence | null {
  if (!isRuleDate(series, occurrenceDate)) return null;
  const date = c?.movedTo ?? occurrenceDate;
  const startTime = c?.startTime ?? series.startTime;
  const endTime = c?.endTime ?? series.endTime;
  return {
    occurrenceDate,
    date,
    startTime,
    endTime,
    startsAt: zonedInstant(date, startTime, series.timezone),
    endsAt: zonedInstant(date, endTime, series.timezone),
    placeName: c?.placeName ?? series.placeName,
    placeAddress: c?.placeAddress ?? series.placeAddress,
    changed: Boolean(
      c && !c.cancelled && (c.movedTo || c.startTime || c.endTime || c.placeName || c.placeAddress),
    ),
    cancelled: c?.cancelled ?? false,
  };
}

/** "Wednesday, January 21, 2026" for a local date. */
export function dateInWords(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(noonUtc(date));
}

/** "11:00 a.m." for "11:00"; "12:30 p.m." for "12:30". */
export function timeInWords(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const suffix = h < 12 ? 'a.m.' : 'p.m.';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}:${String(m).padStart(2, '0')} ${suffix}`;
}

/** The rule in plain words for the common cases, else the rule itself. */
export function ruleInWords(rule: string | null): string {
  if (!rule) return 'Once';
  const r = rule.replace(/^RRULE:/i, '');
  if (r === 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE') return 'Every other month on the third Wednesday';
  if (r === 'FREQ=WEEKLY') return 'Every week';
  if (r === 'FREQ=MONTHLY') return 'Every month';
  return `Repeats: ${r}`;
}
