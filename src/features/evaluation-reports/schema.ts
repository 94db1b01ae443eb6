/**
 * The evaluation reports at the edge (pages, downloads, API, command line): the query — measure,
 * period, breakdown, format — with messages that name the field, and the report's JSON.
 */
import { z } from '@hono/zod-openapi';
import { DIMENSION_CODES, MEASURE_CODES } from '../../pack/evaluation.ts';

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
