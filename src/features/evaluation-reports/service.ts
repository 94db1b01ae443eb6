/**
 * The evaluation's reports (`reports.aggregate`): one measure for one period, broken down one way,
 * with the small-number protection worked out over the period's biennium (lattice.ts), a trend by
 * quarter over up to five years, and who sees what:
 * - state administrators and evaluators: the whole state;
 * - an organization administrator of a navigator host: the regions it hosts;
 * - any other organization administrator: its own clients (young people it took on), the referrals
 *   sent to it, its programs' placements and its people's trainings.
 * Never a row about one person: every figure is a count of many, or hidden.
 */
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import {
  DIMENSIONS,
  measureOf,
  type Dimension,
  type EvaluationFile,
  type Measure,
  type MeasureCode,
} from '../../pack/evaluation.ts';
import type { Vocabularies } from '../../pack/vocabularies.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import { InputError } from '../../platform/errors.ts';
import {
  DEFAULT_SMALL_NUMBER_THRESHOLD,
  derived,
  publish,
  type Published,
} from '../../platform/small-numbers.ts';
import { groupsFor, type GroupNames } from './groups.ts';
import { hideCells } from './lattice.ts';
import { FiscalCalendar, type Period } from './periods.ts';
import {
  MEASURE_QUERIES,
  firstFactDay,
  hostedRegions,
  type CountRow,
  type ReportScopeFilter,
} from './queries.ts';

export interface EvaluationContext {
  db: Database;
  jurisdiction: () => Promise<string>;
  file: EvaluationFile;
  vocabularies: Vocabularies;
  names: () => Promise<Omit<GroupNames, 'vocabularies' | 'courses'>>;
  timezone: string;
  threshold: number;
  /** Today in Minnesota, YYYY-MM-DD. */
  today: () => string;
}

export function evaluationContext(deps: AppDeps): EvaluationContext {
  const cal = deps.rules.calendar;
  return {
    db: deps.db,
    jurisdiction: async () => (await deps.geography.get()).jurisdiction,
    file: deps.rules.evaluation,
    vocabularies: deps.rules.vocabularies,
    names: async () => {
      const g = await deps.geography.get();
      return {
        regions: new Map([...g.regions.values()].map((r) => [r.id, r.name])),
        counties: new Map(
          [...g.counties.values()].sort((a, b) => a.name.localeCompare(b.name)).map((c) => [c.fips, c.name]),
        ),
      };
    },
    timezone: cal.timezone,
    threshold: deps.config.smallNumberThreshold ?? DEFAULT_SMALL_NUMBER_THRESHOLD,
    today: () => cal.local(new Date()).date,
  };
}

/** Who a report is about, for this person; null when they may not see reports. */
export interface EvaluationScope extends ReportScopeFilter {
  label: string;
}

export async function evaluationScope(ctx: EvaluationContext, actor: Actor): Promise<EvaluationScope | null> {
  try {
    authorize(actor, 'reports.aggregate', { aggregate: true });
  } catch {
    return null;
  }
  if (actor.role !== 'org_admin')
    return { kind: 'statewide', regions: [], organizationId: null, label: 'the whole state' };
  const regions = await hostedRegions(ctx.db, actor.organizationId);
  if (regions.length) {
    const names = (await ctx.names()).regions;
    const label = regions.map((r) => names.get(r) ?? r).join(', ');
    return { kind: 'region', regions, organizationId: null, label: `your regions (${label})` };
  }
  return {
    kind: 'organization',
    regions: [],
    organizationId: actor.organizationId,
    label: 'your organization’s clients, programs and people',
  };
}

export interface ReportRow {
  code: string;
  label: string;
  cells: Record<string, Published>;
  figures: Record<string, Published>;
  /** The row's share of the total (its first column), as a whole percentage. */
  share: Published;
}

export interface MeasureReport {
  measure: Measure;
  period: Period;
  by: Dimension;
  scope: EvaluationScope;
  threshold: number;
  /** Whether each record falls in one group only (the rows add up to the total). */
  exclusive: boolean;
  rows: ReportRow[];
  total: ReportRow;
  /** The first column's total, quarter by quarter, up to five years back. */
  trend: { period: Period; value: Published }[];
}

export interface ReportQuery {
  measure: MeasureCode;
  from?: string | undefined;
  to?: string | undefined;
  by?: Dimension | undefined;
  /** Whether to add the trend by quarter (the dashboard); the biennial report and quality leave it out. */
  trend?: boolean;
}

export const fiscalCalendar = (ctx: EvaluationContext) =>
  new FiscalCalendar(ctx.file.periods.fiscalYearStartMonth);

/**
 * The period asked for: a whole quarter, fiscal year or biennium that has ended (the last ended fiscal
 * year when none is given); otherwise an InputError naming the field.
 */
export function reportPeriod(ctx: EvaluationContext, from?: string, to?: string): Period {
  const cal = fiscalCalendar(ctx);
  const today = ctx.today();
  if (!from && !to) return cal.lastEndedYear(today);
  if (!from || !to)
    throw new InputError('Give both the first and the last day of the period.', from ? 'to' : 'from');
  const period = cal.periodOf(from, to);
  if (!period)
    throw new InputError(
      'Reports cover a whole quarter, a state fiscal year (July to June) or a biennium: choose one from the list.',
      'from',
    );
  if (period.to >= today)
    throw new InputError(
      'That period has not ended yet. Reports cover periods that have ended, so their figures hold still.',
      'to',
    );
  return period;
}

/** The periods someone may choose, newest first, from the first fact on record (or a year back). */
export async function periodChoices(ctx: EvaluationContext): Promise<Period[]> {
  const today = ctx.today();
  const first = (await firstFactDay(ctx.db, await ctx.jurisdiction())) ?? today;
  const cal = fiscalCalendar(ctx);
  const since = cal.year(cal.fiscalYearOf(first)).from;
  // At least the last ended fiscal year (the default), even before any record.
  const floor = cal.lastEndedYear(today).from;
  return cal.choices(today, since < floor ? since : floor);
}

/** A period's biennium, the parts that have ended, in time order. */
export function latticeOf(ctx: EvaluationContext, period: Period): Period[] {
  const b = fiscalCalendar(ctx).bienniumOf(period);
  const today = ctx.today();
  return [...b.quarters, ...b.years, b.biennium].filter((p) => p.to < today);
}

async function courseNames(db: Database): Promise<Map<string, string>> {
  const rows = await db.selectFrom('training_courses').select(['code', 'title']).orderBy('code').execute();
  return new Map(rows.map((r) => [r.code, `${r.code}: ${r.title}`]));
}

/** The share column: the measure's first sum total, else its first column. */
export const shareColumn = (m: Measure) => m.sums[0]?.[0] ?? m.columns[0]!.code;

/** The figure of a row (average, median, percentage) and the count it rests on. */
function figureOf(
  m: Measure,
  code: string,
  v: Record<string, number>,
): { value: number | null; basis: number; from: string[] } {
  switch (code) {
    case 'average_age':
      return {
        value: v.age_known ? Math.round((v.age_sum! / v.age_known) * 10) / 10 : null,
        basis: v.age_known ?? 0,
        from: ['new'],
      };
    case 'median_days_to_accept':
      return {
        value: v.accepted_timed ? Math.round(v.median_days_to_accept! * 10) / 10 : null,
        basis: v.accepted_timed ?? 0,
        from: ['accepted'],
      };
    case 'median_hours_to_contact':
      return {
        value: v.contacted ? Math.round(v.median_hours_to_contact! * 10) / 10 : null,
        basis: v.contacted ?? 0,
        from: ['contacted'],
      };
    default: {
      const question = code.replace(/_yes_percent$/, '');
      const asked = (v[`${question}_yes`] ?? 0) + (v[`${question}_no`] ?? 0);
      return {
        value: asked ? Math.round((100 * (v[`${question}_yes`] ?? 0)) / asked) : null,
        basis: asked,
        from: [`${question}_yes`, `${question}_no`],
      };
    }
  }
}

/** One measure's report. */
export async function measureReport(
  ctx: EvaluationContext,
  actor: Actor,
  q: ReportQuery,
  /** Counts already read for this measure, breakdown, scope and biennium (several tables at once). */
  counted?: CountRow[],
): Promise<MeasureReport> {
  const scope = await evaluationScope(ctx, actor);
  if (!scope)
    throw new InputError('Reports are for state administrators, evaluators and organization administrators.');
  const measure = measureOf(ctx.file, q.measure);
  if (!measure.scopes.includes(scope.kind))
    throw new InputError(`${measure.title} is not reported for ${scope.label}.`, 'measure');
  const by = q.by ?? 'none';
  if (by !== 'none' && !measure.breakdowns.includes(by))
    throw new InputError(
      `${measure.title} cannot be broken down by ${DIMENSIONS[by].label.toLowerCase()}.`,
      'by',
    );
  if (by === 'county' && scope.kind === 'organization')
    throw new InputError('Counties are reported for the state and for regions only.', 'by');
  const period = reportPeriod(ctx, q.from, q.to);
  const jurisdiction = await ctx.jurisdiction();
  const lattice = latticeOf(ctx, period);
  const input = { jurisdiction, timezone: ctx.timezone, scope, metroRegions: ctx.file.metro.regions };
  const rows = counted ?? (await MEASURE_QUERIES[measure.code](ctx.db, { ...input, periods: lattice, by }));

  const names = {
    ...(await ctx.names()),
    vocabularies: ctx.vocabularies,
    courses: by === 'course' ? await courseNames(ctx.db) : new Map<string, string>(),
  };
  const seen = new Set(rows.flatMap((r) => (r.group === null ? [] : [r.group])));
  // A navigator host's report lists its own regions only (the others would all read 0).
  const inScope = (g: { code: string }) =>
    by !== 'region' || scope.kind !== 'region' || scope.regions.includes(g.code) || seen.has(g.code);
  const groups = by === 'none' ? [] : groupsFor(by, names, seen).filter(inScope);
  const exclusive = by === 'none' || DIMENSIONS[by].kind === 'exclusive';
  const columns = measure.columns.map((c) => c.code);
  const empty = () => Object.fromEntries(columns.map((c) => [c, 0])) as Record<string, number>;
  const allOf = lattice.map(() => empty());
  const groupOf = lattice.map(() => groups.map(() => empty()));
  const index = new Map(groups.map((g, i) => [g.code, i]));
  const raw = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const target = r.group === null ? allOf[r.period]! : groupOf[r.period]![index.get(r.group)!];
    if (!target) continue;
    for (const c of columns) target[c] = r.values[c] ?? 0;
    raw.set(`${r.period}:${r.group ?? ''}`, r.values);
  }
  const hidden = hideCells({
    periods: lattice,
    columns: measure.columns,
    sums: measure.sums,
    groups: groups.map((g) => g.code),
    exclusive,
    counts: lattice.map((_, p) => ({
      all: columns.map((c) => allOf[p]![c]!),
      groups: groupOf[p]!.map((g) => columns.map((c) => g[c]!)),
    })),
    threshold: ctx.threshold,
  });

  const p = lattice.findIndex((x) => x.from === period.from && x.to === period.to);
  const share = shareColumn(measure);
  const shareIndex = columns.indexOf(share);
  const totalShare = publish(allOf[p]![share]!, hidden.all[p]![shareIndex]!);
  const rowOf = (
    code: string,
    label: string,
    counts: Record<string, number>,
    hiddenRow: boolean[],
    values: Record<string, number> | undefined,
  ): ReportRow => {
    const cells = Object.fromEntries(columns.map((c, i) => [c, publish(counts[c]!, hiddenRow[i]!)]));
    const figures = Object.fromEntries(
      measure.figures.map((f) => {
        const fig = figureOf(measure, f.code, values ?? {});
        return [
          f.code,
          derived(
            fig.value,
            fig.from.flatMap((c) => (cells[c] ? [cells[c]] : [])),
            fig.basis,
            ctx.threshold,
          ),
        ];
      }),
    );
    const part = cells[share]!;
    const shareValue = totalShare.value ? Math.round((100 * (part.value ?? 0)) / totalShare.value) : null;
    return {
      code,
      label,
      cells,
      figures,
      share: derived(shareValue, [part, totalShare], totalShare.value ?? 0, ctx.threshold),
    };
  };
  const total = rowOf('total', 'All', allOf[p]!, hidden.all[p]!, raw.get(`${p}:`));
  const tableRows = groups.map((g, gi) =>
    rowOf(g.code, g.label, groupOf[p]![gi]!, hidden.groups[p]![gi]!, raw.get(`${p}:${g.code}`)),
  );

  return {
    measure,
    period,
    by,
    scope,
    threshold: ctx.threshold,
    exclusive,
    rows: tableRows,
    total,
    trend:
      q.trend === false
        ? []
        : await trendOf(ctx, measure, scope, period, jurisdiction, {
            lattice,
            totals: rows.filter((r) => r.group === null),
          }),
  };
}

/**
 * The share column's total, quarter by quarter over up to five years, each protected in its biennium.
 * The report's own totals serve for its biennium (`known`); the other bienniums are counted together,
 * in one statement.
 */
async function trendOf(
  ctx: EvaluationContext,
  measure: Measure,
  scope: ReportScopeFilter,
  period: Period,
  jurisdiction: string,
  known: { lattice: readonly Period[]; totals: readonly CountRow[] },
) {
  const cal = fiscalCalendar(ctx);
  // From the first quarter with any fact on record: zeros before it would read as "nothing happened".
  const first = (await firstFactDay(ctx.db, jurisdiction)) ?? period.from;
  const quarters = cal.quartersUpTo(period.to, 20).filter((q) => q.to >= first || q.from >= period.from);
  const bienniums = new Map<number, Period[]>();
  for (const q of quarters) bienniums.set(cal.bienniumStart(q.fiscalYear), latticeOf(ctx, q));
  const columns = measure.columns.map((c) => c.code);
  const share = columns.indexOf(shareColumn(measure));
  const same = (a: readonly Period[], b: readonly Period[]) =>
    a.length === b.length && a.every((x, i) => x.from === b[i]!.from && x.to === b[i]!.to);
  const toCount = [...bienniums.values()].filter((lattice) => !same(lattice, known.lattice));
  const counted: CountRow[] = toCount.length
    ? await MEASURE_QUERIES[measure.code](ctx.db, {
        jurisdiction,
        timezone: ctx.timezone,
        scope,
        metroRegions: ctx.file.metro.regions,
        periods: toCount.flat(),
        by: 'none',
      })
    : [];
  const out = new Map<string, Published>();
  let offset = 0;
  for (const lattice of bienniums.values()) {
    let rows: readonly CountRow[];
    if (same(lattice, known.lattice)) rows = known.totals;
    else {
      const first = offset;
      rows = counted
        .filter((r) => r.period >= first && r.period < first + lattice.length)
        .map((r) => ({ ...r, period: r.period - first }));
      offset += lattice.length;
    }
    const counts = lattice.map((_, i) => {
      const v = rows.find((r) => r.period === i)?.values ?? {};
      return { all: columns.map((c) => v[c] ?? 0), groups: [] };
    });
    const hidden = hideCells({
      periods: lattice,
      columns: measure.columns,
      sums: measure.sums,
      groups: [],
      exclusive: true,
      counts,
      threshold: ctx.threshold,
    });
    lattice.forEach((x, i) =>
      out.set(`${x.from}:${x.to}`, publish(counts[i]!.all[share]!, hidden.all[i]![share]!)),
    );
  }
  return quarters.flatMap((q) => {
    const value = out.get(`${q.from}:${q.to}`);
    return value ? [{ period: q, value }] : [];
  });
}
