import { describe, expect, it } from 'vitest';
import { datesOf, daysIn, minutesText, monthLabel, monthsOf, toCsv } from './rules.ts';

describe('the housing reports’ rules', () => {
  it('lists the nights and months of a period, across a year’s end and a leap day', () => {
    expect(datesOf('2027-12-30', '2028-01-02')).toEqual([
      '2027-12-30',
      '2027-12-31',
      '2028-01-01',
      '2028-01-02',
    ]);
    expect(daysIn('2028-02-28', '2028-03-01')).toBe(3);
    expect(monthsOf('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsOf('2026-11-01', '2026-11-30')).toEqual(['2026-11']);
    expect(monthLabel('2027-01')).toBe('January 2027');
  });

  it('says minutes in words', () => {
    expect(minutesText(1)).toBe('1 minute');
    expect(minutesText(45.4)).toBe('45 minutes');
    expect(minutesText(125)).toBe('2 hours 5 minutes');
    expect(minutesText(60)).toBe('1 hour');
  });

  it('writes CSV: a hidden count empty with its flag, commas quoted, formulas defused', () => {
    const csv = toCsv(
      [
        { name: 'program', published: false },
        { name: 'sent', published: true },
      ],
      [
        ['House, North', { value: 12, suppressed: false }],
        ['=HYPERLINK("x")', { value: null, suppressed: true }],
      ],
    );
    expect(csv).toBe(
      'program,sent,sent_suppressed\r\n"House, North",12,false\r\n"\'=HYPERLINK(""x"")",,true\r\n',
    );
  });
});
