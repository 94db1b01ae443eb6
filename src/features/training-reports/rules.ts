/**
 * The rules of the training reports, without I/O: the breakdowns, the quarters (calendar quarters of
 * Minnesota dates: January–March, April–June, July–September, October–December), the tables and a table
 * as CSV.
 */

export const BREAKDOWNS = {
  course: 'Course',
  organization_type: 'Organization type',
  region: 'Region',
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;
export const BREAKDOWN_CODES = Object.keys(BREAKDOWNS) as [Breakdown, ...Breakdown[]];

/** The tables a report has, as the CSV download names them. */
export const TABLES = {
  completions: 'Completions by quarter',
  events: 'People trained per event',
  settings: 'Certified settings with staff not all trained',
} as const;
export type TableName = keyof typeof TABLES;
export const TABLE_CODES = Object.keys(TABLES) as [TableName, ...TableName[]];

/** The longest period a report covers, in days (two years: eight quarters). */
export const MAX_DAYS = 731;

/** The quarter of a date: "2026-11-05" → "2026-Q4". */
export const quarterOf = (date: string): string =>
  `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

/** The first and last day of a quarter: "2026-Q4" → ["2026-10-01", "2026-12-31"]. */
export function quarterDates(quarter: string): { from: string; to: string } {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const first = (q - 1) * 3 + 1;
  const last = new Date(Date.UTC(year, first + 2, 0)).toISOString().slice(0, 10);
  return { from: `${year}-${String(first).padStart(2, '0')}-01`, to: last };
}

const QUARTER_MONTHS = ['January–March', 'April–June', 'July–September', 'October–December'];

/** "2026-Q4" → "October–December 2026". */
export const quarterLabel = (quarter: string): string =>
  `${QUARTER_MONTHS[Number(quarter.slice(6)) - 1] ?? quarter} ${quarter.slice(0, 4)}`;

/** Days from `from` to `to`, both counted. */
export { daysIn } from '../../platform/report-period.ts';

export { toCsv, type CsvValue } from '../../platform/report-csv.ts';
