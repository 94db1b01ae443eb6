/**
 * The housing reports (`reports.aggregate`): counts and statistics over a period, never a row about a
 * request, a case or a young person.
 *
 * - State administrators and evaluators see the state: shelter requests by region, age band, gender or
 *   month (sent, answered, placed, no bed found, closed for another reason, still open, and the median
 *   time to a first "we can take them"); each program's response rate and median time to answer; and
 *   the beds available each night.
 * - An organization administrator sees its own programs: their response rates, and their beds by night.
 *
 * Every count about requests follows the small-number rule (src/platform/small-numbers.ts): 1 to
 * threshold − 1 hidden, complementary cells hidden so none follows from the totals, and percentages and
 * medians from hidden counts hidden too. Beds by night count beds, not people; the state's view follows
 * the rule all the same, an organization sees its own programs' beds as it entered them.
 */
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { AccessDenied, InputError } from '../../platform/errors.ts';
import {
  DEFAULT_SMALL_NUMBER_THRESHOLD,
  derived,
  publish,
  suppressTable,
  tableSums,
  type Published,
} from '../../platform/small-numbers.ts';
import type { Geography } from '../help/index.ts';
import { GENDERS } from '../housing/index.ts';
import { AGE_BANDS } from '../shelter-requests/index.ts';
import * as q from './queries.ts';
import {
  DEFAULT_DAYS,
  EVENING_HOUR,
  REQUEST_MEASURE_CODES,
  addDays,
  datesOf,
  monthLabel,
  monthsOf,
  toCsv,
  type Breakdown,
  type TableName,
  type RequestMeasure,
} from './rules.ts';
import { ReportQuery } from './schema.ts';

export * from './rules.ts';

export interface ReportsContext {
  db: Database;
  calendar: BusinessCalendar;
  geography: () => Geography;
  /** Availability older than this many hours counts as unknown (`NWD_HOUSING_STALE_HOURS`). */
  staleHours: number;
  /** `NWD_SMALL_NUMBER_THRESHOLD`, default 10. */
  threshold: number;
  now?: () => Date;
}

export function reportsContext(deps: AppDeps): ReportsContext {
  return {
    db: deps.db,
    calendar: deps.rules.calendar,
    geography: () => deps.geography.get(),
    staleHours: deps.config.housingStaleHours ?? 24,
    threshold: deps.config.smallNumberThreshold ?? DEFAULT_SMALL_NUMBER_THRESHOLD,
  };
}

export type ReportScope = 'statewide' | 'organization';

/**
 * What the person sees: the state (state administrators, evaluators) or their organization's programs
 * (organization administrators); null when they may not see reports.
 */
export function reportScope(actor: Actor): ReportScope | null {
  try {
    authorize(actor, 'reports.aggregate', { aggregate: true });
  } catch {
    return null;
  }
  return actor.role === 'org_admin' ? 'organization' : 'statewide';
}

export type RequestCells = Record<RequestMeasure, Published> & { medianMinutesToFirstOffer: Published };

export interface HousingReport {
  period: { from: string; to: string; timezone: string };
  by: Breakdown;
  scope: ReportScope;
  threshold: number;
  /** The state's requests table; null for an organization. */
  requests: { rows: (RequestCells & { group: string; label: string })[]; total: RequestCells } | null;
  programs: {
    programId: string;
    program: string;
    organization: string;
    sent: Published;
    answered: Published;
    yes: Published;
    /** Answered ÷ received, as a percentage (whole number). */
    responseRate: Published;
    medianMinutesToAnswer: Published;
  }[];
  nights: {
    eveningHour: number;
    staleHours: number;
    rows: {
      night: string;
      bedsAvailable: Published;
      programsCounted: Published;
      programsUnknown: Published;
    }[];
  };
}

const nowOf = (ctx: ReportsContext) => (ctx.now ? ctx.now() : new Date());
const minutesOf = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 6) / 10);

/** The groups of a breakdown, in order, with their labels (every one, even with no requests). */
function groupsOf(
  ctx: ReportsContext,
  by: Breakdown,
  from: string,
  to: string,
): { group: string; label: string }[] {
  switch (by) {
    case 'region':
      return [...ctx.geography().regions.values()]
        .filter((r) => r.effectiveTo === null)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => ({ group: r.id, label: r.name }));
    case 'age':
      return Object.entries(AGE_BANDS).map(([group, band]) => ({ group, label: band.label }));
    case 'gender':
      return Object.entries(GENDERS).map(([group, label]) => ({ group, label }));
    case 'month':
      return monthsOf(from, to).map((group) => ({ group, label: monthLabel(group) }));
  }
}

/** The period asked for, checked; without dates, the 30 days up to today (Minnesota time). */
export function reportPeriod(ctx: ReportsContext, raw: unknown): { from: string; to: string; by: Breakdown } {
  const parsed = ReportQuery.safeParse(raw ?? {});
  if (!parsed.success) throw InputError.from(parsed.error);
  const today = ctx.calendar.local(nowOf(ctx)).date;
  const to = parsed.data.to ?? (parsed.data.from && parsed.data.from > today ? parsed.data.from : today);
  const from =
    parsed.data.from ?? (addDays(to, -(DEFAULT_DAYS - 1)) < to ? addDays(to, -(DEFAULT_DAYS - 1)) : to);
  const again = ReportQuery.safeParse({ from, to, by: parsed.data.by });
  if (!again.success) throw InputError.from(again.error);
  return { from, to, by: parsed.data.by };
}

/** The state's shelter requests by group, with a total row, under the small-number rule. */
async function requestsTable(
  ctx: ReportsContext,
  period: { from: Date; to: Date },
  p: { from: string; to: string; by: Breakdown },
): Promise<HousingReport['requests']> {
  const counts = await q.requestCounts(ctx.db, period, p.by, ctx.calendar.timezone);
  const byGroup = new Map(counts.map((c) => [c.grp, c]));
  const groups = groupsOf(ctx, p.by, p.from, p.to);
  // Groups no longer listed (a retired region) still count, under their code.
  for (const c of counts)
    if (c.grp !== null && !groups.some((g) => g.group === c.grp)) groups.push({ group: c.grp, label: c.grp });
  const empty: q.RequestCounts = {
    grp: null,
    sent: 0,
    answered: 0,
    placed: 0,
    unmet: 0,
    closed_other: 0,
    open: 0,
    with_offer: 0,
    median_seconds: null,
  };
  const facts = [...groups.map((g) => byGroup.get(g.group) ?? empty), byGroup.get(null) ?? empty];
  const column = (m: RequestMeasure) => (m === 'closedOther' ? 'closed_other' : m);
  const grid = facts.map((f) => REQUEST_MEASURE_CODES.map((m) => f[column(m)]));
  const col = (m: RequestMeasure) => REQUEST_MEASURE_CODES.indexOf(m);
  // The total row is the sum of the groups in every column; in every row, sent = placed + no bed
  // found + closed for another reason + still open.
  const sums = tableSums(grid.length, {
    totalRowColumns: REQUEST_MEASURE_CODES.map(col),
    rowSums: [{ total: col('sent'), parts: (['placed', 'unmet', 'closedOther', 'open'] as const).map(col) }],
  });
  const hidden = suppressTable(grid, sums, ctx.threshold);
  const cells = facts.map((f, r) => {
    const out = Object.fromEntries(
      REQUEST_MEASURE_CODES.map((m, c) => [m, publish(grid[r]![c]!, hidden[r]![c]!)]),
    ) as Record<RequestMeasure, Published>;
    return {
      ...out,
      medianMinutesToFirstOffer: derived(
        minutesOf(f.median_seconds),
        [out.sent],
        f.with_offer,
        ctx.threshold,
      ),
    };
  });
  return {
    rows: groups.map((g, i) => ({ group: g.group, label: g.label, ...cells[i]! })),
    total: cells[cells.length - 1]!,
  };
}

/**
 * The housing report of a period: for the state, or for the person's organization's programs.
 *
 * @example
 * await housingReport(ctx, evaluator, { from: '2026-11-01', to: '2026-11-30', by: 'region' });
 */
export async function housingReport(ctx: ReportsContext, actor: Actor, raw: unknown): Promise<HousingReport> {
  authorize(actor, 'reports.aggregate', { aggregate: true }, { message: 'Your role does not see reports.' });
  const scope = reportScope(actor)!;
  const p = reportPeriod(ctx, raw);
  const cal = ctx.calendar;
  const period = { from: cal.instant(p.from), to: cal.instant(addDays(p.to, 1)) };
  const organizationId = scope === 'organization' ? actor.organizationId : null;
  const threshold = ctx.threshold;
  const statewide = scope === 'statewide';

  const programs = (await q.programCounts(ctx.db, period, organizationId)).map((row) => {
    const grid = [[row.sent, row.answered, row.yes]];
    const hidden = suppressTable(grid, [], threshold)[0]!;
    const [sent, answered, yes] = grid[0]!.map((n, i) => publish(n, hidden[i]!)) as [
      Published,
      Published,
      Published,
    ];
    return {
      programId: row.program_id,
      program: row.program_name,
      organization: row.organization_name,
      sent,
      answered,
      yes,
      responseRate: derived(
        row.sent ? Math.round((row.answered / row.sent) * 100) : null,
        [sent, answered],
        row.sent,
        threshold,
      ),
      medianMinutesToAnswer: derived(minutesOf(row.median_seconds), [answered], row.answered, threshold),
    };
  });

  const dates = datesOf(p.from, p.to);
  const instants = dates.map((d) => cal.instant(d, EVENING_HOUR));
  const nights = await q.nightCounts(ctx.db, instants, ctx.staleHours, organizationId);
  const byInstant = new Map(nights.map((n) => [new Date(n.at).getTime(), n]));
  const nightRows = dates.map((night, i) => {
    const n = byInstant.get(instants[i]!.getTime());
    const counts = [n?.beds_available ?? 0, n?.programs_counted ?? 0, n?.programs_unknown ?? 0];
    const hidden = statewide ? suppressTable([counts], [], threshold)[0]! : [false, false, false];
    const [bedsAvailable, programsCounted, programsUnknown] = counts.map((c, j) =>
      publish(c, hidden[j]!),
    ) as [Published, Published, Published];
    return { night, bedsAvailable, programsCounted, programsUnknown };
  });

  return {
    period: { from: p.from, to: p.to, timezone: cal.timezone },
    by: p.by,
    scope,
    threshold,
    requests: statewide ? await requestsTable(ctx, period, p) : null,
    programs,
    nights: { eveningHour: EVENING_HOUR, staleHours: ctx.staleHours, rows: nightRows },
  };
}

/** One table of the report as CSV, under the same suppression as the page. */
export function reportCsv(report: HousingReport, table: TableName): string {
  if (table === 'requests') {
    const requests = report.requests;
    if (!requests) throw new AccessDenied('Only the state sees the shelter requests table.');
    const measures = [...REQUEST_MEASURE_CODES, 'medianMinutesToFirstOffer'] as const;
    const names: Record<(typeof measures)[number], string> = {
      sent: 'requests_sent',
      answered: 'answered',
      placed: 'placed',
      unmet: 'no_bed_found',
      closedOther: 'closed_other_reason',
      open: 'still_open',
      medianMinutesToFirstOffer: 'median_minutes_to_first_offer',
    };
    return toCsv(
      [
        { name: report.by, published: false },
        { name: `${report.by}_name`, published: false },
        ...measures.map((m) => ({ name: names[m], published: true })),
      ],
      [
        ...requests.rows.map((r) => [r.group, r.label, ...measures.map((m) => r[m])]),
        ['total', 'All', ...measures.map((m) => requests.total[m])],
      ],
    );
  }
  if (table === 'programs')
    return toCsv(
      [
        { name: 'program', published: false },
        { name: 'organization', published: false },
        { name: 'requests_received', published: true },
        { name: 'answered', published: true },
        { name: 'said_yes', published: true },
        { name: 'response_rate_percent', published: true },
        { name: 'median_minutes_to_answer', published: true },
      ],
      report.programs.map((p) => [
        p.program,
        p.organization,
        p.sent,
        p.answered,
        p.yes,
        p.responseRate,
        p.medianMinutesToAnswer,
      ]),
    );
  return toCsv(
    [
      { name: 'night', published: false },
      { name: 'beds_available', published: true },
      { name: 'programs_counted', published: true },
      { name: 'programs_unknown', published: true },
    ],
    report.nights.rows.map((n) => [n.night, n.bedsAvailable, n.programsCounted, n.programsUnknown]),
  );
}
