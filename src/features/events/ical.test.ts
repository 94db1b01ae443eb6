import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFeed, fold } from './ical.ts';
import type { EventRow } from './queries.ts';

const event: EventRow = {
  id: '5e6c1f0a-2b7d-5c43-9f1e-7a0d3b8c2e41',
  kind: 'training',
  title: 'StreetWorks Safe Harbor training',
  description: 'Free training; registration is required, space is limited.',
  course_code: null,
  place_kind: 'in_person',
  place_name: "LSS/Children's Home Society",
  place_address: '1605 Eustis Street, St Paul',
  online_url: null,
  region_id: null,
  capacity: null,
  registration: 'public',
  organizer_organization_id: null,
  organizer_name: 'Lutheran Social Service of Minnesota (LSS) StreetWorks',
  timezone: 'America/Chicago',
  starts_on: '2026-01-21',
  start_time: '11:00',
  end_time: '12:30',
  rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE',
  status: 'scheduled',
  sequence: 3,
  origin: 'pack',
  source: 'seed 002',
  retrieved: '2026-11-21',
  verified: true,
  note: null,
  edited_at: null,
  created_by: null,
  created_at: new Date('2026-11-21T00:00:00Z'),
  updated_by: null,
  updated_at: new Date('2026-11-21T00:00:00Z'),
};
const options = {
  name: 'Safe Harbor events',
  origin: 'https://nwd.example.org',
  timezone: 'America/Chicago',
};
const none = { movedTo: null, startTime: null, endTime: null, placeName: null, placeAddress: null };

/** The starts of every occurrence of the feed in 2026 as UTC ISO strings, with overrides applied. */
function expandFeed(text: string, until = '2027-01-01T00:00:00Z'): { start: string; location: string }[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevents = calendar.getAllSubcomponents('vevent');
  const master = new ICAL.Event(vevents.find((v) => !v.hasProperty('recurrence-id')));
  for (const v of vevents.filter((x) => x.hasProperty('recurrence-id')))
    master.relateException(new ICAL.Event(v));
  const it = master.iterator();
  const out: { start: string; location: string }[] = [];
  for (let next = it.next(); next; next = it.next()) {
    const details = master.getOccurrenceDetails(next);
    const start = details.startDate.toJSDate();
    if (start.getTime() >= Date.parse(until)) break;
    out.push({ start: start.toISOString(), location: details.item.location });
  }
  return out;
}

describe('iCalendar feed', () => {
  it('parses in ical.js and expands the StreetWorks series to the third Wednesdays at 11:00 Central', () => {
    const text = calendarFeed([{ event, changes: [] }], options);
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Chicago');
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260121T110000');
    expect(text).toContain('RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE');
    expect(expandFeed(text).map((o) => o.start)).toEqual([
      '2026-01-21T17:00:00.000Z',
      '2026-03-18T16:00:00.000Z',
      '2026-05-20T16:00:00.000Z',
      '2026-07-15T16:00:00.000Z',
      '2026-09-16T16:00:00.000Z',
      '2026-11-18T17:00:00.000Z',
    ]);
  });

  it('leaves a cancelled occurrence out (EXDATE) and moves a changed one (RECURRENCE-ID)', () => {
    const text = calendarFeed(
      [
        {
          event,
          changes: [
            { occurrenceDate: '2026-03-18', cancelled: true, ...none },
            {
              occurrenceDate: '2026-07-15',
              cancelled: false,
              ...none,
              startTime: '13:00',
              endTime: '14:30',
              placeName: 'Another room',
            },
          ],
        },
      ],
      options,
    );
    expect(text).toContain('EXDATE;TZID=America/Chicago:20260318T110000');
    expect(text).toContain('RECURRENCE-ID;TZID=America/Chicago:20260715T110000');
    const occurrences = expandFeed(text);
    expect(occurrences.map((o) => o.start)).toEqual([
      '2026-01-21T17:00:00.000Z',
      '2026-05-20T16:00:00.000Z',
      '2026-07-15T18:00:00.000Z',
      '2026-09-16T16:00:00.000Z',
      '2026-11-18T17:00:00.000Z',
    ]);
    expect(occurrences[2]?.location).toBe('Another room, 1605 Eustis Street, St Paul');
    // One UID for the series and its override.
    expect(new Set(text.match(/^UID:.*$/gm)).size).toBe(1);
  });

  it('writes a single event once, and folds long lines at 75 octets', () => {
    const text = calendarFeed(
      [{ event: { ...event, rrule: null, description: 'é'.repeat(100) }, changes: [] }],
      options,
    );
    expect(text).not.toContain('RRULE:FREQ=MONTHLY');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(expandFeed(text).map((o) => o.start)).toEqual(['2026-01-21T17:00:00.000Z']);
    expect(fold('a'.repeat(80))).toBe(`${'a'.repeat(75)}\r\n ${'a'.repeat(5)}`);
  });
});
