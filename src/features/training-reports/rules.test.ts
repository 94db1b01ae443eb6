/** The training reports' rules: calendar quarters of Minnesota dates, and a table as CSV. */
import { describe, expect, it } from 'vitest';
import { quarterDates, quarterLabel, quarterOf, toCsv } from './rules.ts';

describe('quarters', () => {
  it('names the quarter of a date, and its first and last day', () => {
    expect(['2026-01-01', '2026-03-31', '2026-04-01', '2026-09-30', '2026-12-31'].map(quarterOf)).toEqual([
      '2026-Q1',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(quarterDates('2028-Q1')).toEqual({ from: '2028-01-01', to: '2028-03-31' });
    expect(quarterDates('2026-Q2')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(quarterDates('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterLabel('2026-Q3')).toBe('July–September 2026');
  });
});

describe('toCsv', () => {
  it('gives a published count two columns and defuses a formula', () => {
    const csv = toCsv(
      [
        { name: 'event', published: false },
        { name: 'attended', published: true },
      ],
      [
        ['=SUM(A1), "x"', { value: null, suppressed: true }],
        ['Plain', { value: 12, suppressed: false }],
      ],
    );
    expect(csv).toBe('event,attended,attended_suppressed\r\n"\'=SUM(A1), ""x""",,true\r\nPlain,12,false\r\n');
  });
});
