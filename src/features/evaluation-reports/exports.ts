/**
 * A measure's report as data to take away: JSON (the API and `nwd report --format json`), and one table
 * for CSV and XLSX — group, counts (each with its `_suppressed` column, so a hidden count is never read
 * as a zero), figures and the share of the total. The same figures as the page, the same suppression.
 */
import { toCsv, type CsvValue } from '../../platform/report-csv.ts';
import type { MeasureReport, ReportRow } from './service.ts';

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
