import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineOf, type PathwayAction } from '../features/pathway/index.ts';
import { BusinessCalendar, HolidaysFileSchema, loadHolidays } from './calendar.ts';

const cal = new BusinessCalendar('America/Chicago', loadHolidays('data/mn/holidays.json'));
/** Wall-clock time in Minnesota. */
const mn = (date: string, hour: number, minute = 0) => cal.instant(date, hour, minute);
const shown = (d: Date) => {
  const l = cal.local(d);
  return `${l.date} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
};

describe('Minnesota holidays', () => {
  it('lists the 2026 holidays on the days they are observed', () => {
    expect([...cal.holidaysIn(2026).keys()].sort()).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03', // 4 July is a Saturday: observed on the Friday before
      '2026-09-07',
      '2026-10-12',
      '2026-11-11',
      '2026-11-26',
      '2026-12-25',
    ]);
  });

  it('moves a Sunday holiday to Monday and a Saturday New Year to the Friday before', () => {
    expect(cal.holidayOn('2023-01-02')).toBe("New Year's Day"); // 1 January 2023 was a Sunday
    expect(cal.holidayOn('2021-12-31')).toBe("New Year's Day"); // 1 January 2022 was a Saturday
    expect(cal.isBusinessDay('2021-12-31')).toBe(false);
  });

  it('applies a holiday only from its effective date', () => {
    expect(cal.holidayOn('2022-06-20')).toBeUndefined(); // Juneteenth, before 2023
    expect(cal.holidayOn('2023-06-19')).toBe('Juneteenth');
  });

  it('knows weekends and weekdays', () => {
    expect(cal.isBusinessDay('2026-11-21')).toBe(false); // Saturday
    expect(cal.isBusinessDay('2026-11-23')).toBe(true); // Monday
    expect(cal.isBusinessDay('2026-11-26')).toBe(false); // Thanksgiving
  });

  it('refuses a holidays file with an unknown rule', () => {
    const bad = {
      source: 's',
      retrieved: '2026-01-01',
      verified: false,
      holidays: [
        {
          id: 'x',
          name: 'X',
          rule: { type: 'easter' },
          observedOnWeekday: false,
          effectiveFrom: '2000-01-01',
          effectiveTo: null,
        },
      ],
    };
    expect(HolidaysFileSchema.safeParse(bad).success).toBe(false);
  });
});

describe('business time', () => {
  it('counts 4 business hours across a weekend: Friday 16:00 → Monday 11:00', () => {
    expect(shown(cal.addBusinessHours(mn('2026-11-20', 16), 4))).toBe('2026-11-23 11:00');
  });

  it('skips Thanksgiving: Wednesday 15:00 + 4 business hours → Friday 10:00', () => {
    expect(shown(cal.addBusinessHours(mn('2026-11-25', 15), 4))).toBe('2026-11-27 10:00');
  });

  it('starts at opening time when asked outside office hours', () => {
    expect(shown(cal.addBusinessHours(mn('2026-11-23', 6), 1))).toBe('2026-11-23 09:00');
    expect(shown(cal.addBusinessHours(mn('2026-11-23', 19), 1))).toBe('2026-11-24 09:00');
  });

  it('counts 72 hours without weekends and holidays: Friday 10:00 → Wednesday 10:00', () => {
    expect(shown(cal.addHoursSkippingNonBusinessDays(mn('2026-11-20', 10), 72))).toBe('2026-11-25 10:00');
    // Across Thanksgiving: Wednesday 10:00 → Wednesday (next week) 10:00 (Thu holiday, Sat, Sun skipped).
    expect(shown(cal.addHoursSkippingNonBusinessDays(mn('2026-11-25', 10), 72))).toBe('2026-12-01 10:00');
  });

  it('keeps wall-clock time across the change to daylight saving time', () => {
    // 8 March 2026: clocks go forward. Friday 6 March 10:00 + 72 business-day hours → Wednesday 11 March 10:00.
    expect(shown(cal.addHoursSkippingNonBusinessDays(mn('2026-03-06', 10), 72))).toBe('2026-03-11 10:00');
    expect(shown(cal.addBusinessDays(mn('2026-03-06', 10), 2))).toBe('2026-03-10 10:00');
  });

  it('adds business days at the same time of day', () => {
    expect(shown(cal.addBusinessDays(mn('2026-11-24', 14, 5), 2))).toBe('2026-11-27 14:05'); // skips Thanksgiving
    expect(shown(cal.addBusinessDays(mn('2026-11-21', 14), 1))).toBe('2026-11-24 08:00'); // Saturday: from Monday's opening
  });

  it('never goes backwards and never lands outside business days', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2030-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 100 }),
        (from, hours) => {
          const end = cal.addBusinessHours(from, hours);
          expect(end.getTime()).toBeGreaterThan(from.getTime());
          const l = cal.local(end);
          expect(cal.isBusinessDay(l.date)).toBe(true);
          expect(l.hour * 60 + l.minute).toBeGreaterThanOrEqual(8 * 60);
          expect(l.hour * 60 + l.minute).toBeLessThanOrEqual(17 * 60);
          const skip = cal.addHoursSkippingNonBusinessDays(from, hours);
          expect(skip.getTime()).toBeGreaterThanOrEqual(from.getTime() + hours * 3_600_000 - 3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('describes a deadline as people read it', () => {
    expect(cal.describe(mn('2026-11-24', 14, 5))).toBe('Tuesday, Nov 24, 2026 at 2:05 PM');
    expect(cal.describe(mn('2026-12-01', 0, 30))).toBe('Tuesday, Dec 1, 2026 at 12:30 AM');
  });

  it('shows dates and date-times the US way, in Minnesota time', () => {
    expect(cal.formatDate(mn('2026-12-01', 14, 5))).toBe('Dec 1, 2026');
    // 03:00 UTC on 2 December is still 1 December in Minnesota.
    expect(cal.formatDate(new Date('2026-12-02T03:00:00Z'))).toBe('Dec 1, 2026');
    expect(cal.formatDate('2009-02-28')).toBe('Feb 28, 2009');
    expect(cal.formatDateTime(mn('2026-12-01', 14, 5))).toBe('Dec 1, 2026, 2:05 PM');
    expect(cal.formatDateTime(mn('2026-12-01', 9, 0))).toBe('Dec 1, 2026, 9:00 AM');
  });
});

describe('pathway deadlines', () => {
  const base: PathwayAction = {
    code: 'HOTLINE_INFO',
    required: false,
    binds: 'anyone',
    title: 't',
    explanation: 'e',
    basis: [],
  };

  it('turns hours into the moment an action falls due', () => {
    const from = mn('2026-11-20', 14, 5);
    expect(deadlineOf({ ...base }, from, cal)).toBeNull();
    expect(deadlineOf({ ...base, deadlineHours: 0 }, from, cal)).toEqual(from);
    expect(shown(deadlineOf({ ...base, deadlineHours: 24 }, from, cal)!)).toBe('2026-11-21 14:05');
    expect(shown(deadlineOf({ ...base, deadlineHours: 72, deadlineBusinessDays: true }, from, cal)!)).toBe(
      '2026-11-25 14:05',
    );
  });
});
