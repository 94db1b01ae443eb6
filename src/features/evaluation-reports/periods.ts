/**
 * The periods a report may cover (period-locking, docs/evaluation.md): a quarter of the state fiscal
 * year, a fiscal year or a biennium (two fiscal years, the first beginning in an odd-numbered year),
 * and only once it has ended. Every period nests in one biennium, so a report's small-number
 * protection is worked out over that biennium's periods together, the same whichever of them is asked.
 *
 * Dates are Minnesota days, YYYY-MM-DD. No I/O.
 */

export type PeriodKind = 'quarter' | 'year' | 'biennium';

export interface Period {
  kind: PeriodKind;
  /** First day. */
  from: string;
  /** Last day. */
  to: string;
  /** The fiscal year it ends in (FY2027 runs from July 2026 to June 2027 when the year begins in July). */
  fiscalYear: number;
  /** 1–4 for a quarter, else null. */
  quarter: number | null;
  label: string;
  /** A short label for charts: "Q1 FY27". */
  short: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The first day of a month counted from year 0 (month 0 = January of year 0). */
const dayOfMonthIndex = (index: number) => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
/** The last day of a month counted from year 0. */
function lastDayOfMonthIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${pad(month + 1)}-${pad(last)}`;
}
const monthIndexOf = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const monthName = (index: number) => `${MONTHS[index % 12]} ${Math.floor(index / 12)}`;

/** The calendar of fiscal periods for a fiscal year that begins in `startMonth` (1–12). */
export class FiscalCalendar {
  constructor(readonly startMonth: number) {}

  /** The month index (from year 0) at which fiscal year `fy` begins. */
  #yearStart(fy: number): number {
    return this.startMonth === 1 ? fy * 12 : (fy - 1) * 12 + this.startMonth - 1;
  }

  /** The fiscal year a day falls in. */
  fiscalYearOf(date: string): number {
    const m = monthIndexOf(date);
    const year = Number(date.slice(0, 4));
    return this.startMonth === 1 || m < year * 12 + this.startMonth - 1 ? year : year + 1;
  }

  quarter(fy: number, q: number): Period {
    const start = this.#yearStart(fy) + (q - 1) * 3;
    const yy = pad(fy % 100);
    return {
      kind: 'quarter',
      from: dayOfMonthIndex(start),
      to: lastDayOfMonthIndex(start + 2),
      fiscalYear: fy,
      quarter: q,
      label: `Quarter ${q} of fiscal year ${fy} (${monthName(start)} to ${monthName(start + 2)})`,
      short: `Q${q} FY${yy}`,
    };
  }

  year(fy: number): Period {
    const start = this.#yearStart(fy);
    return {
      kind: 'year',
      from: dayOfMonthIndex(start),
      to: lastDayOfMonthIndex(start + 11),
      fiscalYear: fy,
      quarter: null,
      label: `Fiscal year ${fy} (${monthName(start)} to ${monthName(start + 11)})`,
      short: `FY${pad(fy % 100)}`,
    };
  }

  /** The biennium made of fiscal years `first` (even-numbered: it begins in an odd calendar year) and first + 1. */
  biennium(first: number): Period {
    const start = this.#yearStart(first);
    return {
      kind: 'biennium',
      from: dayOfMonthIndex(start),
      to: lastDayOfMonthIndex(start + 23),
      fiscalYear: first + 1,
      quarter: null,
      label: `Biennium of fiscal years ${first} and ${first + 1} (${monthName(start)} to ${monthName(start + 23)})`,
      short: `FY${pad(first % 100)}–${pad((first + 1) % 100)}`,
    };
  }

  /** The first fiscal year of the biennium holding fiscal year `fy`. */
  bienniumStart(fy: number): number {
    return fy % 2 === 0 ? fy : fy - 1;
  }

  /** The period that runs exactly from `from` to `to`, or null when it is not a quarter, year or biennium. */
  periodOf(from: string, to: string): Period | null {
    const fy = this.fiscalYearOf(from);
    const candidates = [
      ...[1, 2, 3, 4].map((q) => this.quarter(fy, q)),
      this.year(fy),
      this.biennium(this.bienniumStart(fy)),
    ];
    return candidates.find((p) => p.from === from && p.to === to) ?? null;
  }

  /** The periods of the biennium that holds `period`: its eight quarters, two years and itself, in time order. */
  bienniumOf(period: Period): { quarters: Period[]; years: Period[]; biennium: Period } {
    const first = this.bienniumStart(period.fiscalYear);
    return {
      quarters: [first, first + 1].flatMap((fy) => [1, 2, 3, 4].map((q) => this.quarter(fy, q))),
      years: [this.year(first), this.year(first + 1)],
      biennium: this.biennium(first),
    };
  }

  /** The latest quarter that has ended before `today`, or null before the first. */
  lastEndedQuarter(today: string): Period {
    for (let q = 4; q >= 1; q--) {
      const p = this.quarter(this.fiscalYearOf(today), q);
      if (p.to < today) return p;
    }
    // Every quarter of this fiscal year is still to end: the last quarter of the year before.
    return this.quarter(this.fiscalYearOf(today) - 1, 4);
  }

  /** The latest fiscal year that has ended before `today`: the reports' default period. */
  lastEndedYear(today: string): Period {
    const fy = this.fiscalYearOf(today);
    const year = this.year(fy);
    return year.to < today ? year : this.year(fy - 1);
  }

  /** Up to `count` quarters ending with the one that ends on `to`, oldest first. */
  quartersUpTo(to: string, count: number): Period[] {
    const last = this.fiscalYearOf(to);
    const out: Period[] = [];
    for (let fy = last; out.length < count && fy > last - count; fy--)
      for (let q = 4; q >= 1 && out.length < count; q--) {
        const p = this.quarter(fy, q);
        if (p.to <= to) out.push(p);
      }
    return out.reverse();
  }

  /** The periods someone may ask for, newest first: every ended quarter, year and biennium since `since`. */
  choices(today: string, since: string): Period[] {
    const out: Period[] = [];
    for (let fy = this.fiscalYearOf(today); fy >= this.fiscalYearOf(since); fy--) {
      if (fy % 2 === 1) out.push(this.biennium(fy - 1));
      out.push(this.year(fy));
      for (let q = 4; q >= 1; q--) out.push(this.quarter(fy, q));
    }
    return out.filter((p) => p.to < today && p.to >= since);
  }
}
