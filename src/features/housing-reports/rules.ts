/**
 * The rules of the housing reports, without I/O: the breakdowns, the period (Minnesota dates, at most a
 * year), the nights of a period and the evening hour at which beds are counted, the measures' names and
 * definitions, and a table as CSV.
 */
import { daysIn } from '../../platform/report-period.ts';

export const BREAKDOWNS = {
  region: 'Region',
  age: 'Age band',
  gender: 'Gender',
  month: 'Month',
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;
export const BREAKDOWN_CODES = Object.keys(BREAKDOWNS) as [Breakdown, ...Breakdown[]];

/** Beds are counted each night at this hour, Minnesota time (9 PM): the count a navigator would see then. */
export const EVENING_HOUR = 21;
/** The longest period a report covers, in days. */
export const MAX_DAYS = 366;
/** Without a period: the 30 days up to today. */
export const DEFAULT_DAYS = 30;

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted. */
export { daysIn };

/** Every date of the period, in order. */
export const datesOf = (from: string, to: string): string[] =>
  Array.from({ length: Math.max(0, daysIn(from, to)) }, (_, i) => addDays(from, i));

/** The months (YYYY-MM) the period touches. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2026-11" → "November 2026". */
export const monthLabel = (month: string): string =>
  `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;

/** The measures of requests, in the order of their columns, each with what it counts. */
export const REQUEST_MEASURES = {
  sent: ['Requests sent', 'Shelter requests navigators sent in the period.'],
  answered: ['Answered', 'Requests at least one program answered (yes or no).'],
  placed: ['Placed', 'Requests that ended with a bed: the navigator confirmed an offer.'],
  unmet: ['No bed found', 'Requests closed because no bed was found: unmet need.'],
  closedOther: [
    'Closed for another reason',
    'Requests closed because a bed was found elsewhere, it was no longer needed, or the case closed.',
  ],
  open: ['Still open', 'Requests not yet placed or closed.'],
} as const;
export type RequestMeasure = keyof typeof REQUEST_MEASURES;
export const REQUEST_MEASURE_CODES = Object.keys(REQUEST_MEASURES) as RequestMeasure[];

export const PROGRAM_MEASURES = {
  sent: ['Requests received', 'Shelter requests sent to the program in the period.'],
  answered: ['Answered', 'Requests the program answered, yes or no.'],
  yes: ['Said yes', 'Answers "we can take them".'],
} as const;
export type ProgramMeasure = keyof typeof PROGRAM_MEASURES;
export const PROGRAM_MEASURE_CODES = Object.keys(PROGRAM_MEASURES) as ProgramMeasure[];

/** The tables a report has, as the CSV download names them. */
export const TABLES = {
  requests: 'Shelter requests',
  programs: 'Program response rates',
  nights: 'Beds available by night',
} as const;
export type TableName = keyof typeof TABLES;
export const TABLE_CODES = Object.keys(TABLES) as [TableName, ...TableName[]];

/** Minutes as people read them: "45 minutes", "2 hours 5 minutes". */
export function minutesText(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} ${m === 1 ? 'minute' : 'minutes'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return `${h} ${h === 1 ? 'hour' : 'hours'}${rest ? ` ${rest} ${rest === 1 ? 'minute' : 'minutes'}` : ''}`;
}

export { toCsv, type CsvValue } from '../../platform/report-csv.ts';
