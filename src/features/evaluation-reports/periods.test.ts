import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from './periods.ts';

const cal = new FiscalCalendar(7);

describe('the state fiscal periods', () => {
  it('puts July to June in the fiscal year it ends in', () => {
    expect(cal.fiscalYearOf('2025-07-01')).toBe(2026);
    expect(cal.fiscalYearOf('2026-06-30')).toBe(2026);
    expect(cal.fiscalYearOf('2026-12-07')).toBe(2027);
    expect(new FiscalCalendar(1).fiscalYearOf('2026-12-07')).toBe(2026);
  });

  it('names quarters, years and bienniums by their days', () => {
    expect(cal.quarter(2026, 3)).toMatchObject({ from: '2026-01-01', to: '2026-03-31', short: 'Q3 FY26' });
    expect(cal.quarter(2024, 3).to).toBe('2024-03-31');
    expect(cal.year(2026)).toMatchObject({ from: '2025-07-01', to: '2026-06-30' });
    // A biennium begins with the fiscal year that starts in an odd-numbered calendar year.
    expect(cal.biennium(2026)).toMatchObject({ from: '2025-07-01', to: '2027-06-30', short: 'FY26–27' });
    expect(cal.bienniumOf(cal.quarter(2027, 2)).biennium.from).toBe('2025-07-01');
  });

  it('accepts only a whole quarter, fiscal year or biennium', () => {
    expect(cal.periodOf('2025-10-01', '2025-12-31')?.kind).toBe('quarter');
    expect(cal.periodOf('2025-07-01', '2026-06-30')?.kind).toBe('year');
    expect(cal.periodOf('2025-07-01', '2027-06-30')?.kind).toBe('biennium');
    expect(cal.periodOf('2026-07-01', '2028-06-30')).toBeNull(); // starts in an even year
    expect(cal.periodOf('2025-01-01', '2025-12-31')).toBeNull();
    expect(cal.periodOf('2025-10-01', '2025-12-30')).toBeNull();
  });

  it('offers every ended period from the first record, the last ended fiscal year by default', () => {
    expect(cal.lastEndedYear('2026-12-07').to).toBe('2026-06-30');
    expect(cal.lastEndedYear('2026-07-01').to).toBe('2026-06-30');
    expect(cal.lastEndedYear('2026-06-30').to).toBe('2025-06-30');
    expect(cal.lastEndedQuarter('2026-12-07').to).toBe('2026-09-30');
    const choices = cal.choices('2026-12-07', '2025-07-01');
    expect(choices.every((p) => p.to < '2026-12-07')).toBe(true);
    expect(choices.map((p) => p.short)).toEqual([
      'Q1 FY27',
      'FY26',
      'Q4 FY26',
      'Q3 FY26',
      'Q2 FY26',
      'Q1 FY26',
    ]);
    expect(cal.quartersUpTo('2026-06-30', 5).map((p) => p.short)).toEqual([
      'Q4 FY25',
      'Q1 FY26',
      'Q2 FY26',
      'Q3 FY26',
      'Q4 FY26',
    ]);
  });
});
