/**
 * The evaluation reports at the edge (pages, downloads, API, command line): the query — measure,
 * period, breakdown, format — with messages that name the field, and the report's JSON.
 */
import { z } from '@hono/zod-openapi';
import { DIMENSION_CODES, MEASURE_CODES } from '../../pack/evaluation.ts';
import { toCsv, type CsvValue } from '../../platform/report-csv.ts';
import type { MeasureReport, ReportRow } from './service.ts';

const day = (name: string) =>
  z
    .string({ error: `Give the ${name} day.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Give the ${name} day as YYYY-MM-DD.`);

export const MeasureParam = z.object({
  measure: z
    .enum(MEASURE_CODES, { error: `Choose a measure: ${MEASURE_CODES.join(', ')}.` })
    .openapi({ param: { name: 'measure', in: 'path' }, example: 'youth_served' }),
});

export const ReportQuery = z.object({
  from: day('first').optional().openapi({
    description: 'First day of a quarter, state fiscal year or biennium (Minnesota dates)',
    example: '2025-07-01',
  }),
  to: day('last').optional().openapi({ description: 'Last day of the same period', example: '2026-06-30' }),
  by: z
    .enum(DIMENSION_CODES, { error: 'Choose a breakdown from the list.' })
    .default('none')
    .openapi({ description: 'How the counts are broken down (the measure lists which apply)' }),
});
export type ReportQuery = z.input<typeof ReportQuery>;

export const FORMATS = ['csv', 'xlsx', 'json'] as const;
export const DownloadQuery = z.object({
  format: z.enum(FORMATS, { error: 'Choose CSV, XLSX or JSON.' }),
});

const Cell = z.object({ value: z.number().nullable(), suppressed: z.boolean() }).openapi('EvaluationCount', {
  description: 'A count or figure as published: null and `suppressed` when the small-number rule hides it',
});

const Row = z.object({
  group: z.string(),
  label: z.string(),
  counts: z.record(z.string(), Cell),
  figures: z.record(z.string(), Cell),
  share: Cell.openapi({ description: 'The row’s percentage of the total (first column)' }),
});

export const ReportSchema = z.object({
  measure: z.object({
    code: z.enum(MEASURE_CODES),
    title: z.string(),
    definition: z.string(),
    numerator: z.string(),
    denominator: z.string(),
    unit: z.string(),
    columns: z.array(z.object({ code: z.string(), label: z.string() })),
    figures: z.array(z.object({ code: z.string(), label: z.string() })),
  }),
  period: z.object({
    from: z.string(),
    to: z.string(),
    kind: z.enum(['quarter', 'year', 'biennium']),
    label: z.string(),
  }),
  by: z.enum(DIMENSION_CODES),
  scope: z.enum(['statewide', 'region', 'organization']),
  smallNumberThreshold: z.number(),
  groupsAddUp: z.boolean().openapi({ description: 'False when a record may be counted in several groups' }),
  rows: z.array(Row),
  total: Row,
  trend: z.array(z.object({ from: z.string(), to: z.string(), label: z.string(), value: Cell })),
});

// The report as data to take away: JSON (the API and `nwd report --format json`), and one table for
// CSV and XLSX — group, counts (each with its `_suppressed` column, so a hidden count is never read as
// a zero), figures and the share of the total. The same figures as the page, the same suppression.

export function reportJson(r: MeasureReport) {
  const row = (x: ReportRow) => ({
    group: x.code,
    label: x.label,
    counts: x.cells,
    figures: x.figures,
    share: x.share,
  });
  return {
    measure: {
      code: r.measure.code,
      title: r.measure.title,
      definition: r.measure.definition,
      numerator: r.measure.numerator,
      denominator: r.measure.denominator,
      unit: r.measure.unit,
      columns: r.measure.columns.map((c) => ({ code: c.code, label: c.label })),
      figures: r.measure.figures.map((f) => ({ code: f.code, label: f.label })),
    },
    period: { from: r.period.from, to: r.period.to, kind: r.period.kind, label: r.period.label },
    by: r.by,
    scope: r.scope.kind,
    smallNumberThreshold: r.threshold,
    groupsAddUp: r.exclusive,
    rows: r.rows.map(row),
    total: row(r.total),
    trend: r.trend.map((t) => ({
      from: t.period.from,
      to: t.period.to,
      label: t.period.short,
      value: t.value,
    })),
  };
}

/** The report as one table: its columns and rows, the total last. */
export function reportTable(r: MeasureReport): {
  columns: { name: string; published: boolean }[];
  rows: CsvValue[][];
} {
  const columns = [
    { name: 'period_from', published: false },
    { name: 'period_to', published: false },
    { name: r.by === 'none' ? 'group' : r.by, published: false },
    { name: 'label', published: false },
    ...r.measure.columns.map((c) => ({ name: c.code, published: true })),
    ...r.measure.figures.map((f) => ({ name: f.code, published: true })),
    { name: 'share_percent', published: true },
  ];
  const line = (x: ReportRow): CsvValue[] => [
    r.period.from,
    r.period.to,
    x.code,
    x.label,
    ...r.measure.columns.map((c) => x.cells[c.code]!),
    ...r.measure.figures.map((f) => x.figures[f.code]!),
    x.share,
  ];
  return { columns, rows: [...r.rows.map(line), line(r.total)] };
}

export const reportCsv = (r: MeasureReport): string => {
  const t = reportTable(r);
  return toCsv(t.columns, t.rows);
};

/** A download's file name: `evaluation-youth_served-by-race-2025-07-01-to-2026-06-30.csv`. */
export const fileName = (r: MeasureReport, extension: string): string =>
  `evaluation-${r.measure.code}${r.by === 'none' ? '' : `-by-${r.by}`}-${r.period.from}-to-${r.period.to}.${extension}`;
