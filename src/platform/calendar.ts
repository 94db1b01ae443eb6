/**
 * Business time in a jurisdiction's time zone: which days are working days (not a weekend, not a legal
 * holiday), and deadlines counted in business hours ("4 business hours"), in hours that skip
 * non-business days ("72 hours, excluding weekends and holidays") or in business days ("2 business
 * days"). Holidays are data (`data/<jurisdiction>/holidays.json`), with effective dates.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const HolidayRuleSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('fixed'),
      month: z.number().int().min(1).max(12),
      day: z.number().int().min(1).max(31),
    })
    .strict(),
  z
    .object({
      type: z.literal('nth_weekday'),
      month: z.number().int().min(1).max(12),
      /** 0 = Sunday … 6 = Saturday */
      weekday: z.number().int().min(0).max(6),
      n: z.number().int().min(1).max(5),
    })
    .strict(),
  z
    .object({
      type: z.literal('last_weekday'),
      month: z.number().int().min(1).max(12),
      weekday: z.number().int().min(0).max(6),
    })
    .strict(),
]);

export const HolidaysFileSchema = z
  .object({
    source: z.string().min(1),
    retrieved: isoDate,
    verified: z.boolean(),
    note: z.string().nullable().optional(),
    holidays: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9-]+$/),
          name: z.string().min(1),
          rule: HolidayRuleSchema,
          /** A fixed-date holiday on a Saturday is observed on the Friday before; on a Sunday, the Monday after. */
          observedOnWeekday: z.boolean(),
          effectiveFrom: isoDate,
          effectiveTo: isoDate.nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type HolidaysFile = z.infer<typeof HolidaysFileSchema>;

/** Reads and checks a holidays file (for example `data/mn/holidays.json`). */
export function loadHolidays(path: string): HolidaysFile {
  return HolidaysFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** Day of week (0 = Sunday) of a calendar date. */
const weekdayOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function shiftDate(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

export interface BusinessHours {
  /** Hour the working day starts (local time), for example 8. */
  start: number;
  /** Hour it ends, for example 17. */
  end: number;
}

export interface LocalTime {
  date: string;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export class BusinessCalendar {
  readonly #format: Intl.DateTimeFormat;
  readonly #holidays = new Map<number, Map<string, string>>();

  constructor(
    readonly timezone: string,
    readonly holidaysFile: HolidaysFile,
    readonly hours: BusinessHours = { start: 8, end: 17 },
  ) {
    if (!(hours.start >= 0 && hours.end <= 24 && hours.start < hours.end))
      throw new Error(`Business hours must satisfy 0 ≤ start < end ≤ 24 (got ${hours.start}–${hours.end}).`);
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Holidays observed in a year: date → name. */
  holidaysIn(year: number): Map<string, string> {
    let found = this.#holidays.get(year);
    if (found) return found;
    found = new Map();
    for (const h of this.holidaysFile.holidays) {
      let date: string;
      const r = h.rule;
      if (r.type === 'fixed') {
        date = ymd(year, r.month, r.day);
        if (h.observedOnWeekday) {
          const wd = weekdayOf(year, r.month, r.day);
          if (wd === 6) date = shiftDate(date, -1);
          else if (wd === 0) date = shiftDate(date, 1);
        }
      } else if (r.type === 'nth_weekday') {
        const first = weekdayOf(year, r.month, 1);
        const day = 1 + ((r.weekday - first + 7) % 7) + (r.n - 1) * 7;
        if (day > daysIn(year, r.month)) continue;
        date = ymd(year, r.month, day);
      } else {
        const last = daysIn(year, r.month);
        const wd = weekdayOf(year, r.month, last);
        date = ymd(year, r.month, last - ((wd - r.weekday + 7) % 7));
      }
      if (date < h.effectiveFrom || (h.effectiveTo !== null && date >= h.effectiveTo)) continue;
      found.set(date, h.name);
    }
    this.#holidays.set(year, found);
    return found;
  }

  /** The holiday's name when `date` (YYYY-MM-DD) is an observed holiday. */
  holidayOn(date: string): string | undefined {
    const year = Number(date.slice(0, 4));
    // A 1 January holiday on a Saturday is observed on 31 December of the year before.
    return this.holidaysIn(year).get(date) ?? this.holidaysIn(year + 1).get(date);
  }

  /** True for a weekday that is not a holiday. */
  isBusinessDay(date: string): boolean {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const wd = weekdayOf(y, m, d);
    return wd !== 0 && wd !== 6 && this.holidayOn(date) === undefined;
  }

  /** Wall-clock time of an instant in the calendar's time zone. */
  local(at: Date): LocalTime {
    const parts: Record<string, string> = {};
    for (const p of this.#format.formatToParts(at)) parts[p.type] = p.value;
    const date = `${parts.year}-${parts.month}-${parts.day}`;
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return {
      date,
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      weekday: weekdayOf(y, m, d),
    };
  }

  /** The instant of a wall-clock time (`hour` may be 24: midnight at the end of the day). */
  instant(date: string, hour = 0, minute = 0): Date {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const wall = Date.UTC(y, m - 1, d, hour, minute);
    let guess = wall;
    for (let i = 0; i < 3; i++) {
      const l = this.local(new Date(guess));
      const [ly, lm, ld] = l.date.split('-').map(Number) as [number, number, number];
      const shown = Date.UTC(ly, lm - 1, ld, l.hour, l.minute, l.second);
      const next = guess + (wall - shown);
      if (next === guess) break;
      guess = next;
    }
    return new Date(guess);
  }

  /**
   * `hours` of business time after `from`, counting only the working hours of business days.
   *
   * @example
   * cal.addBusinessHours(fridayAt16, 4) // Monday 11:00 (when Monday is not a holiday)
   */
  addBusinessHours(from: Date, hours: number): Date {
    let remaining = hours * 3_600_000;
    let t = from.getTime();
    for (let guard = 0; guard < 3700; guard++) {
      const l = this.local(new Date(t));
      if (this.isBusinessDay(l.date)) {
        const open = this.instant(l.date, this.hours.start).getTime();
        const close = this.instant(l.date, this.hours.end).getTime();
        const start = Math.max(t, open);
        if (start < close) {
          if (start + remaining <= close) return new Date(start + remaining);
          remaining -= close - start;
        }
      }
      t = this.instant(shiftDate(l.date, 1)).getTime();
    }
    throw new Error('addBusinessHours: no business day within ten years.');
  }

  /**
   * `hours` after `from`, not counting any time on weekends and holidays ("72 hours, excluding
   * weekends and holidays"). Starting on a non-business day, the count starts at the next business day.
   */
  addHoursSkippingNonBusinessDays(from: Date, hours: number): Date {
    let remaining = hours * 3_600_000;
    let t = from.getTime();
    for (let guard = 0; guard < 3700; guard++) {
      const l = this.local(new Date(t));
      const nextMidnight = this.instant(shiftDate(l.date, 1)).getTime();
      if (this.isBusinessDay(l.date)) {
        if (t + remaining <= nextMidnight) return new Date(t + remaining);
        remaining -= nextMidnight - t;
      }
      t = nextMidnight;
    }
    throw new Error('addHoursSkippingNonBusinessDays: no business day within ten years.');
  }

  /**
   * The same wall-clock time `days` business days after `from` (a start outside business days counts
   * from the next business day's opening).
   */
  addBusinessDays(from: Date, days: number): Date {
    let l = this.local(from);
    let hour = l.hour;
    let minute = l.minute;
    if (!this.isBusinessDay(l.date)) {
      hour = this.hours.start;
      minute = 0;
    }
    let date = l.date;
    while (!this.isBusinessDay(date)) date = shiftDate(date, 1);
    let left = days;
    while (left > 0) {
      date = shiftDate(date, 1);
      if (this.isBusinessDay(date)) left--;
    }
    l = this.local(this.instant(date, hour, minute));
    return this.instant(l.date, hour, minute);
  }

  /** A deadline as people read it: "Tuesday, Nov 24, 2026 at 2:05 PM". */
  describe(at: Date): string {
    return formatMoment(at, this.timezone);
  }

  /**
   * A date as people read it: "Nov 24, 2026". An instant is shown in the calendar's time zone; a
   * `YYYY-MM-DD` calendar date is shown as it is.
   */
  formatDate(at: Date | string): string {
    return formatDay(at, this.timezone);
  }

  /** A moment as people read it: "Nov 24, 2026, 9:05 AM". */
  formatDateTime(at: Date): string {
    return formatDayTime(at, this.timezone);
  }
}

// ---------------------------------------------------------------------------------------------------
// One way to show time, everywhere (pages, emails, printouts): US English, 12-hour clock, short months.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formatters are costly to build (about 30 µs each): one per shape and time zone, kept. */
function formatter(name: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${name} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** ICU puts a narrow no-break space before AM/PM; plain text (emails, tests, copy) wants a space. */
const plain = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');

const DAY: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', year: 'numeric' };
const CLOCK: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', hour12: true };

/**
 * A date: "Dec 1, 2026". An instant is shown in `timeZone`; a `YYYY-MM-DD` calendar date (a date of
 * birth, a consent's last day) is shown as it is.
 */
export function formatDay(at: Date | string, timeZone: string): string {
  if (typeof at === 'string') return formatter('day', 'UTC', DAY).format(new Date(`${at}T12:00:00Z`));
  return formatter('day', timeZone, DAY).format(at);
}

/** A date and time: "Dec 1, 2026, 2:05 PM". */
export function formatDayTime(at: Date, timeZone: string): string {
  return plain(formatter('day-time', timeZone, { ...DAY, ...CLOCK }).format(at));
}

/** A moment, for a deadline or an appointment: "Tuesday, Nov 24, 2026 at 2:05 PM". */
export function formatMoment(at: Date, timeZone: string): string {
  const day = formatter('weekday-day', timeZone, { weekday: 'long', ...DAY }).format(at);
  const clock = plain(formatter('clock', timeZone, CLOCK).format(at));
  return `${day} at ${clock}`;
}
