import { describe, expect, it } from 'vitest';
import {
  addDays,
  expand,
  isRuleDate,
  ruleDates,
  ruleProblem,
  zonedInstant,
  type SeriesTimes,
} from './rules.ts';

const TZ = 'America/Chicago';
const streetWorks: SeriesTimes = {
  startsOn: '2026-01-21',
  startTime: '11:00',
  endTime: '12:30',
  rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE',
  timezone: TZ,
  placeName: "LSS/Children's Home Society",
  placeAddress: '1605 Eustis Street, St Paul',
};

describe('recurrence', () => {
  it('expands the StreetWorks series to the third Wednesdays of odd months', () => {
    expect(ruleDates(streetWorks, '2026-01-01', '2027-12-31')).toEqual([
      '2026-01-21',
      '2026-03-18',
      '2026-05-20',
      '2026-07-15',
      '2026-09-16',
      '2026-11-18',
      '2027-01-20',
      '2027-03-17',
      '2027-05-19',
      '2027-07-21',
      '2027-09-15',
      '2027-11-17',
    ]);
  });

  it('keeps 11:00 Central across daylight saving time', () => {
    const [jan, mar, may, , , nov] = expand(streetWorks, [], '2026-01-01', '2026-12-31');
    expect(jan?.startsAt.toISOString()).toBe('2026-01-21T17:00:00.000Z'); // CST, UTC-6
    expect(mar?.startsAt.toISOString()).toBe('2026-03-18T16:00:00.000Z'); // CDT, UTC-5
    expect(may?.endsAt.toISOString()).toBe('2026-05-20T17:30:00.000Z');
    expect(nov?.startsAt.toISOString()).toBe('2026-11-18T17:00:00.000Z');
  });

  it('reads the skipped and the repeated hour of the clock changes', () => {
    expect(zonedInstant('2026-03-08', '02:30', TZ).toISOString()).toBe('2026-03-08T08:30:00.000Z'); // 3:30 CDT
    expect(zonedInstant('2026-11-01', '01:30', TZ).toISOString()).toBe('2026-11-01T06:30:00.000Z'); // first 1:30
    expect(zonedInstant('2026-11-01', '03:00', TZ).toISOString()).toBe('2026-11-01T09:00:00.000Z');
  });

  it('applies a cancellation and a one-off change of a single occurrence', () => {
    const occurrences = expand(
      streetWorks,
      [
        {
          occurrenceDate: '2026-03-18',
          cancelled: true,
          movedTo: null,
          startTime: null,
          endTime: null,
          placeName: null,
          placeAddress: null,
        },
        {
          occurrenceDate: '2026-05-20',
          cancelled: false,
          movedTo: '2026-05-27',
          startTime: '13:00',
          endTime: '14:30',
          placeName: 'Another room',
          placeAddress: null,
        },
      ],
      '2026-01-01',
      '2026-06-30',
    );
    expect(occurrences.map((o) => [o.occurrenceDate, o.date, o.cancelled, o.changed])).toEqual([
      ['2026-01-21', '2026-01-21', false, false],
      ['2026-03-18', '2026-03-18', true, false],
      ['2026-05-20', '2026-05-27', false, true],
    ]);
    expect(occurrences[2]?.startsAt.toISOString()).toBe('2026-05-27T18:00:00.000Z');
    expect(occurrences[2]?.placeName).toBe('Another room');
  });

  it('has one date for a single event', () => {
    const once = { ...streetWorks, rrule: null };
    expect(ruleDates(once, '2026-01-01', '2026-12-31')).toEqual(['2026-01-21']);
    expect(isRuleDate(once, '2026-01-22')).toBe(false);
    expect(isRuleDate(streetWorks, '2026-07-15')).toBe(true);
    expect(isRuleDate(streetWorks, '2026-07-16')).toBe(false);
  });

  it('refuses rules with several occurrences a day or parts it does not use', () => {
    expect(ruleProblem('FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE')).toBeNull();
    expect(ruleProblem('FREQ=HOURLY')).toMatch(/daily, weekly/);
    expect(ruleProblem('FREQ=WEEKLY;BYHOUR=3')).toMatch(/BYHOUR/);
    expect(ruleProblem('INTERVAL=2')).toMatch(/FREQ/);
    expect(ruleProblem('FREQ=WEEKLY;BYDAY=XX')).toMatch(/not a valid/);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
