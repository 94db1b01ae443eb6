/**
 * `nwd report <measure>` as an operator runs it, against a database of its own (DATABASE_URL) holding
 * synthetic facts whose truth is known: JSON as the API gives it, CSV broken down by race with hidden
 * counts empty and flagged, an unknown measure refused with the usage (exit 2), and `nwd help` naming
 * the command. Today is the real date: the default period is the last ended fiscal year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNwd } from '../../../test/cli.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { insertFacts, syntheticYouth, type SyntheticYouth } from '../../../test/evaluation-facts.ts';
import { addOrganization } from '../../../test/staff.ts';
import { FiscalCalendar } from './periods.ts';
import { ReportSchema } from './schema.ts';

let db: TestDatabase;
let youth: SyntheticYouth[];
const cal = new FiscalCalendar(7);
const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
const lastYear = cal.lastEndedYear(today);
const FY2026 = cal.year(2026);

beforeAll(async () => {
  db = await freshDatabase();
  const provider = await addOrganization(db.db, 'Synthetic Command Provider');
  youth = syntheticYouth(31, 400, cal.year(2025).from, FY2026.to);
  await insertFacts(db.db, youth, provider);
}, 120_000);
afterAll(() => db?.drop());

const nwd = (args: string[]) => runNwd(args, { DATABASE_URL: db.url });

/** The young people active in the period, once per person. */
const served = (from: string, to: string) =>
  new Set(
    youth.filter((y) => y.openedOn <= to && (y.closedOn === null || y.closedOn >= from)).map((y) => y.person),
  ).size;

describe('nwd report <measure>', { timeout: 120_000 }, () => {
  it('prints a measure as JSON, as the API gives it', async () => {
    const out = await nwd(['report', 'youth_served', '--format', 'json']);
    expect(out.code, out.stderr).toBe(0);
    const report = ReportSchema.parse(JSON.parse(out.stdout));
    expect([report.measure.code, report.scope, report.by, report.period.from, report.period.to]).toEqual([
      'youth_served',
      'statewide',
      'none',
      lastYear.from,
      lastYear.to,
    ]);
    expect(report.total.counts.served).toEqual({
      value: served(lastYear.from, lastYear.to),
      suppressed: false,
    });
    expect(report.trend.length).toBeGreaterThan(1);
    // Counts only: no record's key (a 40-digit hash) is printed.
    expect(out.stdout).not.toMatch(/[0-9a-f]{40}/);
  });

  it('prints a measure as CSV by race for a period asked, a hidden count empty and flagged', async () => {
    const out = await nwd([
      'report',
      'youth_served',
      '--format',
      'csv',
      '--by',
      'race',
      '--from',
      FY2026.from,
      '--to',
      FY2026.to,
    ]);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trimEnd().split(/\r?\n/);
    expect(lines[0]).toMatch(/^period_from,period_to,race,label,new,new_suppressed,continuing,/);
    expect(lines.some((l) => l.startsWith('2025-07-01,2026-06-30,white,White,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('2025-07-01,2026-06-30,two_or_more,'))).toBe(true);
    const total = lines.at(-1)!.split(',');
    expect(total.slice(0, 4)).toEqual(['2025-07-01', '2026-06-30', 'total', 'All']);
    expect(total).toContain(String(served(FY2026.from, FY2026.to)));
    // A hidden value is empty, never a zero or a number.
    for (const line of lines.slice(1))
      for (const [, value] of line.matchAll(/,([^,]*),true(?=,|$)/g)) expect(value, line).toBe('');
  });

  it('refuses an unknown measure, a breakdown and a period, with the usage and exit 2', async () => {
    const unknown = await nwd(['report', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no measure nosuch');
    expect(unknown.stderr).toContain('Usage: nwd report <measure>');
    expect(unknown.stdout).toBe('');
    const by = await nwd(['report', 'youth_served', '--by', 'course']);
    expect([by.code, by.stderr.includes('cannot be broken down')]).toEqual([2, true]);
    const none = await nwd(['report']);
    expect([none.code, none.stderr.includes('Name one measure')]).toEqual([2, true]);
    const format = await nwd(['report', 'youth_served', '--format', 'xml']);
    expect([format.code, format.stderr.includes('--format is csv or json')]).toEqual([2, true]);
    const period = await nwd(['report', 'youth_served', '--from', '2026-01-01', '--to', '2026-01-31']);
    expect([period.code, period.stderr.includes('whole quarter')]).toEqual([2, true]);
  });

  it('is listed by nwd help', async () => {
    const help = await nwd(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('report <measure>');
    expect(help.stdout).toContain('report refresh-facts');
  });
});
