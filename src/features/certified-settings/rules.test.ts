/**
 * The rules of certified settings: expired follows from the date, days between dates, which expiry
 * reminder is due (60, then 30, each once per expiry date), and when untrained staff are overdue.
 */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateInWords,
  daysBetween,
  daysToExpiryInWords,
  isCalendarDate,
  reminderDue,
  shownStatus,
  trainingState,
} from './rules.ts';

describe('dates', () => {
  it('counts days across months, leap days and years', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-12-31', '2028-01-01')).toBe(1);
    expect(daysBetween('2027-03-31', '2027-01-30')).toBe(-60);
    expect(addDays('2027-01-30', 60)).toBe('2027-03-31');
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-13-01')).toBe(false);
    expect(isCalendarDate('3/31/2027')).toBe(false);
  });

  it('says dates and days to expiry in words', () => {
    expect(dateInWords('2027-03-31')).toBe('March 31, 2027');
    expect(daysToExpiryInWords(0)).toBe('today');
    expect(daysToExpiryInWords(1)).toBe('in 1 day');
    expect(daysToExpiryInWords(-3)).toBe('3 days ago');
  });
});

describe('status', () => {
  it('is expired the day after the expiry date, unless revoked', () => {
    expect(shownStatus('certified', '2027-03-31', '2027-03-31')).toBe('certified');
    expect(shownStatus('certified', '2027-03-31', '2027-04-01')).toBe('expired');
    expect(shownStatus('renewal_pending', '2027-03-31', '2027-04-01')).toBe('expired');
    expect(shownStatus('suspended', '2027-03-31', '2027-03-01')).toBe('suspended');
    expect(shownStatus('revoked', '2027-03-31', '2027-04-01')).toBe('revoked');
  });
});

describe('expiry reminders', () => {
  const s = {
    expiresOn: '2027-03-31',
    status: 'certified' as const,
    reminded60For: null,
    reminded30For: null,
  };
  const on = (days: number) => addDays('2027-03-31', -days);

  it('is due 60 days before, then 30 days before, and not outside the window', () => {
    expect(reminderDue(s, on(61))).toBeNull();
    expect(reminderDue(s, on(60))).toBe(60);
    expect(reminderDue(s, on(31))).toBe(60);
    expect(reminderDue(s, on(30))).toBe(30);
    expect(reminderDue(s, on(0))).toBe(30);
    expect(reminderDue(s, on(-1))).toBeNull();
  });

  it('goes once per expiry date, and again for a new expiry date', () => {
    const sent60 = { ...s, reminded60For: '2027-03-31' };
    expect(reminderDue(sent60, on(45))).toBeNull();
    expect(reminderDue(sent60, on(30))).toBe(30);
    const sent30 = { ...sent60, reminded30For: '2027-03-31' };
    expect(reminderDue(sent30, on(10))).toBeNull();
    const renewed = { ...sent30, expiresOn: '2028-03-31' };
    expect(reminderDue(renewed, addDays('2028-03-31', -60))).toBe(60);
  });

  it('is never due for a revoked certification', () => {
    expect(reminderDue({ ...s, status: 'revoked' }, on(30))).toBeNull();
  });
});

describe('training', () => {
  it('is overdue only when untrained more than the days after starting', () => {
    const p = { startedOn: '2027-01-01', trainedOn: null };
    expect(trainingState(p, '2027-01-31', 30)).toBe('not_yet');
    expect(trainingState(p, '2027-02-01', 30)).toBe('overdue');
    expect(trainingState({ ...p, trainedOn: '2027-03-01' }, '2027-06-01', 30)).toBe('trained');
  });
});
