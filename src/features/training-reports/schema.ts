/**
 * The shape of a training report at the edge (page, CSV and API): a quarter, or a period of Minnesota
 * dates, and the breakdown, with messages that name the field; and the report's JSON.
 */
import { z } from '@hono/zod-openapi';
import { checkPeriod, reportDate } from '../../platform/report-period.ts';
import { BREAKDOWN_CODES, MAX_DAYS, TABLE_CODES } from './rules.ts';

export const ReportQuery = z
  .object({
    quarter: z
      .string()
      .regex(/^\d{4}-Q[1-4]$/, 'Choose a quarter such as 2026-Q4.')
      .optional()
      .openapi({
        description: 'A calendar quarter (Minnesota dates); used when from and to are not given',
        example: '2026-Q4',
      }),
    from: reportDate('first')
      .optional()
      .openapi({ description: 'First day (Minnesota time), YYYY-MM-DD', example: '2026-10-01' }),
    to: reportDate('last')
      .optional()
      .openapi({ description: 'Last day (Minnesota time), YYYY-MM-DD', example: '2026-12-31' }),
    by: z
      .enum(BREAKDOWN_CODES, { error: 'Choose a breakdown: course, organization type or region.' })
      .default('course')
      .openapi({ description: 'How the completions are broken down' }),
  })
  .superRefine((q, ctx) => checkPeriod(q, ctx, MAX_DAYS));
export type ReportQuery = z.input<typeof ReportQuery>;

export const DownloadQuery = z.object({
  table: z.enum(TABLE_CODES, { error: 'Choose a table to download.' }),
});

const Cell = z
  .object({ value: z.number().nullable(), suppressed: z.boolean() })
  .openapi('TrainingPublishedCount', {
    description: 'A count as published: null and `suppressed` when the small-number rule hides it',
  });

export const ReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
  by: z.enum(BREAKDOWN_CODES),
  scope: z.enum(['statewide', 'organization']),
  smallNumberThreshold: z.number(),
  completions: z.array(
    z.object({ quarter: z.string(), group: z.string(), label: z.string(), completions: Cell, people: Cell }),
  ),
  events: z.array(
    z.object({
      eventId: z.string(),
      title: z.string(),
      courseCode: z.string(),
      date: z.string(),
      registered: Cell,
      attended: Cell,
      completions: Cell,
    }),
  ),
  settings: z
    .array(
      z.object({
        settingId: z.string(),
        setting: z.string(),
        organization: z.string(),
        staff: z.number(),
        trained: z.number(),
        overdue: z.number(),
      }),
    )
    .nullable(),
});
