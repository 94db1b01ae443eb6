/**
 * Reports made of several tables of one period: the printable biennial report (every table, in the
 * evaluation's order) and the data-quality view (what the records lack, read from the same protected
 * cells). The young-people-served counts of all their breakdowns are read in one statement.
 */
import { DIMENSIONS, measureOf, type Dimension, type MeasureCode } from '../../pack/evaluation.ts';
import type { Actor } from '../../platform/access.ts';
import { derived, type Published } from '../../platform/small-numbers.ts';
import type { Period } from './periods.ts';
import { youthServedBy, type CountRow } from './queries.ts';
import {
  evaluationScope,
  latticeOf,
  measureReport,
  reportPeriod,
  shareColumn,
  type EvaluationContext,
  type EvaluationScope,
  type MeasureReport,
} from './service.ts';

/** The tables of the printable biennial report, in the evaluation's order. */
export const BIENNIAL_TABLES: readonly (readonly [MeasureCode, Dimension])[] = [
  ['youth_served', 'none'],
  ['youth_served', 'age_band'],
  ['youth_served', 'gender'],
  ['youth_served', 'race'],
  ['youth_served', 'metro'],
  ['youth_served', 'region'],
  ['youth_served', 'tribal'],
  ['youth_served', 'door'],
  ['youth_served', 'exploitation'],
  ['youth_served', 'entry_housing'],
  ['services', 'service'],
  ['exits', 'exit_housing'],
  ['exits', 'close_reason'],
  ['referrals', 'service'],
  ['referrals', 'decline_reason'],
  ['first_contact', 'region'],
  ['shelter_requests', 'region'],
  ['placements', 'program_type'],
  ['trainings', 'organization_type'],
];

/** Every table of the biennial report the person may see, for one period. */
export async function biennialReport(
  ctx: EvaluationContext,
  actor: Actor,
  q: { from?: string | undefined; to?: string | undefined },
): Promise<MeasureReport[]> {
  const scope = await evaluationScope(ctx, actor);
  const period = reportPeriod(ctx, q.from, q.to);
  const tables = BIENNIAL_TABLES.filter(([m, by]) => {
    const measure = measureOf(ctx.file, m);
    return scope && measure.scopes.includes(scope.kind) && (by === 'none' || measure.breakdowns.includes(by));
  });
  // The young people's breakdowns in one statement, the other tables beside it (the database works on
  // them at once: a report of many tables costs its longest query, not the sum of them).
  const one = (measure: MeasureCode, by: Dimension, counted?: CountRow[]) =>
    measureReport(ctx, actor, { measure, by, from: period.from, to: period.to, trend: false }, counted);
  const others = Promise.all(
    tables.map(([measure, by]) => (measure === 'youth_served' ? null : one(measure, by))),
  );
  const [done, youth] = await Promise.all([
    others,
    scope ? youthServedFor(ctx, scope, period, tables) : new Map<Dimension, CountRow[]>(),
  ]);
  const out: MeasureReport[] = [];
  for (const [i, [measure, by]] of tables.entries())
    out.push(done[i] ?? (await one(measure, by, youth.get(by))));
  return out;
}

/** The young-people-served counts of several breakdowns of one period's biennium, read at once. */
async function youthServedFor(
  ctx: EvaluationContext,
  scope: EvaluationScope,
  period: Period,
  tables: readonly (readonly [MeasureCode, Dimension])[],
): Promise<Map<Dimension, CountRow[]>> {
  const dims = tables.filter(([m]) => m === 'youth_served').map(([, by]) => by);
  if (!dims.length) return new Map();
  const jurisdiction = await ctx.jurisdiction();
  return youthServedBy(
    ctx.db,
    {
      jurisdiction,
      timezone: ctx.timezone,
      scope,
      metroRegions: ctx.file.metro.regions,
      periods: latticeOf(ctx, period),
    },
    dims,
  );
}

export interface QualityLine {
  /** What may be missing: "Race and ethnicity". */
  label: string;
  measure: MeasureCode;
  missing: Published;
  of: Published;
  percent: Published;
}

/** What the young people served (and whose case closed) lack, per detail the measures read. */
const QUALITY: readonly {
  measure: MeasureCode;
  by: Dimension;
  missing: readonly string[];
  label?: string;
}[] = [
  { measure: 'youth_served', by: 'race', missing: ['not_recorded', 'unknown', 'declined'] },
  { measure: 'youth_served', by: 'gender', missing: ['not_recorded', 'declined'] },
  { measure: 'youth_served', by: 'age_band', missing: ['unknown'] },
  { measure: 'youth_served', by: 'county', missing: ['not_recorded'] },
  {
    measure: 'youth_served',
    by: 'tribal',
    missing: ['not_recorded'],
    label: 'Tribal affiliation (none recorded)',
  },
  { measure: 'youth_served', by: 'door', missing: ['not_recorded'] },
  { measure: 'youth_served', by: 'exploitation', missing: ['not_recorded'] },
  { measure: 'youth_served', by: 'entry_housing', missing: ['not_recorded', 'unknown'] },
  { measure: 'exits', by: 'exit_housing', missing: ['not_recorded', 'unknown'] },
];

/**
 * The data-quality view: for each detail, how many records in the period lack it (not recorded, not
 * known or declined), out of how many. The counts are the reports' own cells, with their protection, so
 * this view reveals nothing the tables hide; a missing count made of several hidden cells is hidden.
 */
export async function qualityReport(
  ctx: EvaluationContext,
  actor: Actor,
  q: { from?: string | undefined; to?: string | undefined },
): Promise<{ period: Period; threshold: number; lines: QualityLine[] }> {
  const scope = await evaluationScope(ctx, actor);
  const period = reportPeriod(ctx, q.from, q.to);
  const lines: QualityLine[] = [];
  const t = ctx.threshold;
  const items = QUALITY.filter(
    (item) =>
      scope &&
      measureOf(ctx.file, item.measure).scopes.includes(scope.kind) &&
      !(item.by === 'county' && scope.kind === 'organization'),
  );
  const youth = scope
    ? await youthServedFor(
        ctx,
        scope,
        period,
        items.map((i) => [i.measure, i.by] as const),
      )
    : new Map<Dimension, CountRow[]>();
  for (const item of items) {
    const r = await measureReport(
      ctx,
      actor,
      { measure: item.measure, by: item.by, from: period.from, to: period.to, trend: false },
      item.measure === 'youth_served' ? youth.get(item.by) : undefined,
    );
    const column = shareColumn(r.measure);
    const cells = r.rows.filter((x) => item.missing.includes(x.code)).map((x) => x.cells[column]!);
    const of = r.total.cells[column]!;
    const missing: Published = cells.some((c) => c.suppressed)
      ? { value: null, suppressed: true }
      : { value: cells.reduce((a, c) => a + (c.value ?? 0), 0), suppressed: false };
    const pct = of.value && missing.value !== null ? Math.round((100 * missing.value) / of.value) : null;
    lines.push({
      label: item.label ?? DIMENSIONS[item.by].label,
      measure: item.measure,
      missing,
      of,
      percent: derived(pct, [missing, of], of.value ?? 0, t),
    });
  }
  if (scope && measureOf(ctx.file, 'exits').scopes.includes(scope.kind)) {
    const r = await measureReport(ctx, actor, {
      measure: 'exits',
      from: period.from,
      to: period.to,
      trend: false,
    });
    const of = r.total.cells.closed!;
    for (const [question, label] of [
      ['safer', 'Closing question: do they feel safer'],
      ['hopeful', 'Closing question: are they more hopeful'],
      ['knows_help', 'Closing question: do they know where to get help'],
    ] as const) {
      const missing = r.total.cells[`${question}_not_asked`]!;
      const pct = of.value && missing.value !== null ? Math.round((100 * missing.value) / of.value) : null;
      lines.push({
        label: `${label} (not asked)`,
        measure: 'exits',
        missing,
        of,
        percent: derived(pct, [missing, of], of.value ?? 0, t),
      });
    }
  }
  return { period, threshold: t, lines };
}
