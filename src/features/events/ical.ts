/**
 * iCalendar feeds (RFC 5545) of the public events, for calendar apps: one VEVENT per event with a
 * stable UID, a series as DTSTART + RRULE, a cancelled occurrence as EXDATE, a changed occurrence as a
 * second VEVENT with the same UID and a RECURRENCE-ID, times as wall-clock times with their TZID and a
 * VTIMEZONE for America/Chicago (US daylight saving rules since 2007). A time zone without a VTIMEZONE
 * here is written in UTC. Lines end in CRLF and are folded at 75 octets.
 */
import { occurrenceFor, type OccurrenceChange } from './rules.ts';
import type { EventRow } from './queries.ts';
import { seriesOf, venueOf } from './service.ts';

/** The VTIMEZONE blocks this feed knows. */
const VTIMEZONES: Record<string, string[]> = {
  'America/Chicago': [
    'BEGIN:VTIMEZONE',
    'TZID:America/Chicago',
    'X-LIC-LOCATION:America/Chicago',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:-0600',
    'TZOFFSETTO:-0500',
    'TZNAME:CDT',
    'DTSTART:19700308T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0600',
    'TZNAME:CST',
    'DTSTART:19701101T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
};

/** Escapes a TEXT value. */
export const escapeText = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (a continuation starts with a space), never inside a character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const wall = (date: string, time: string) => `${date.replace(/-/g, '')}T${time.replace(':', '')}00`;

/** A DATE-TIME property with its zone: `DTSTART;TZID=America/Chicago:20260121T110000`. */
function timeProperty(name: string, date: string, time: string, timezone: string, instant: Date): string {
  return VTIMEZONES[timezone]
    ? `${name};TZID=${timezone}:${wall(date, time)}`
    : `${name}:${utcStamp(instant)}`;
}

export interface FeedEvent {
  event: EventRow;
  changes: readonly OccurrenceChange[];
}

export interface FeedOptions {
  /** The calendar's name, shown by calendar apps. */
  name: string;
  /** The public origin, for each event's link. */
  origin: string;
  /** The pack's time zone. */
  timezone: string;
}

const uidOf = (e: EventRow) => `event-${e.id}@no-wrong-door`;

function commonLines(
  e: EventRow,
  options: FeedOptions,
  place: { placeName: string | null; placeAddress: string | null },
) {
  return [
    `UID:${uidOf(e)}`,
    `DTSTAMP:${utcStamp(e.updated_at)}`,
    `SEQUENCE:${e.sequence}`,
    `SUMMARY:${escapeText(e.title)}`,
    `DESCRIPTION:${escapeText([e.description, `Organized by ${e.organizer_name}.`].filter(Boolean).join('\n\n'))}`,
    `LOCATION:${escapeText(venueOf(e, place))}`,
    `URL:${options.origin}/events/${e.id}`,
    `CATEGORIES:${e.kind === 'training' ? 'Training' : 'Community event'}`,
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
  ];
}

/** The VEVENTs of one event: the event (or series) and one per changed occurrence. */
function vevents({ event: e, changes }: FeedEvent, options: FeedOptions): string[] {
  const series = seriesOf(e);
  const tz = e.timezone;
  const lines: string[] = [];
  if (!e.rrule) {
    // A single event: its one change (if any) is the event itself.
    const o = occurrenceFor(
      series,
      changes.find((c) => c.occurrenceDate === e.starts_on),
      e.starts_on,
    );
    if (!o || o.cancelled) return [];
    lines.push(
      'BEGIN:VEVENT',
      ...commonLines(e, options, o),
      timeProperty('DTSTART', o.date, o.startTime, tz, o.startsAt),
      timeProperty('DTEND', o.date, o.endTime, tz, o.endsAt),
      'END:VEVENT',
    );
    return lines;
  }
  const first = occurrenceFor(series, undefined, e.starts_on);
  if (!first) return [];
  lines.push(
    'BEGIN:VEVENT',
    ...commonLines(e, options, series),
    timeProperty('DTSTART', e.starts_on, e.start_time, tz, first.startsAt),
    timeProperty('DTEND', e.starts_on, e.end_time, tz, first.endsAt),
    `RRULE:${e.rrule}`,
  );
  for (const c of changes.filter((x) => x.cancelled)) {
    const o = occurrenceFor(series, undefined, c.occurrenceDate);
    if (o) lines.push(timeProperty('EXDATE', c.occurrenceDate, e.start_time, tz, o.startsAt));
  }
  lines.push('END:VEVENT');
  for (const c of changes.filter((x) => !x.cancelled)) {
    const original = occurrenceFor(series, undefined, c.occurrenceDate);
    const o = occurrenceFor(series, c, c.occurrenceDate);
    if (!original || !o) continue;
    lines.push(
      'BEGIN:VEVENT',
      ...commonLines(e, options, o),
      timeProperty('RECURRENCE-ID', c.occurrenceDate, e.start_time, tz, original.startsAt),
      timeProperty('DTSTART', o.date, o.startTime, tz, o.startsAt),
      timeProperty('DTEND', o.date, o.endTime, tz, o.endsAt),
      'END:VEVENT',
    );
  }
  return lines;
}

/**
 * The iCalendar text of a feed.
 *
 * @example
 * calendarFeed([{ event, changes: [] }], { name: 'Events', origin: 'https://nwd.example.org', timezone: 'America/Chicago' })
 * // 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…'
 */
export function calendarFeed(events: readonly FeedEvent[], options: FeedOptions): string {
  const zones = new Set(events.map((e) => e.event.timezone).filter((tz) => VTIMEZONES[tz]));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//No Wrong Door//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.name)}`,
    `X-WR-TIMEZONE:${options.timezone}`,
    ...[...zones].flatMap((tz) => VTIMEZONES[tz] ?? []),
    ...events.flatMap((e) => vevents(e, options)),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
