/**
 * The shape of a housing report at the edge (page, CSV and API): the period as Minnesota dates and the
 * breakdown, with messages that name the field; and the report's JSON.
 */
import { z } from '@hono/zod-openapi';
import { checkPeriod, reportDate } from '../../platform/report-period.ts';
import { BREAKDOWN_CODES, MAX_DAYS, TABLE_CODES } from './rules.ts';

export const ReportQuery = z
  .object({
    from: reportDate('first')
      .optional()
      .openapi({ description: 'First day (Minnesota time), YYYY-MM-DD', example: '2026-11-01' }),
    to: reportDate('last')
      .optional()
      .openapi({ description: 'Last day (Minnesota time), YYYY-MM-DD', example: '2026-11-30' }),
    by: z
      .enum(BREAKDOWN_CODES, { error: 'Choose a breakdown: region, age, gender or month.' })
      .default('region')
      .openapi({ description: 'How the shelter requests are broken down' }),
  })
  .superRefine((q, ctx) => checkPeriod(q, ctx, MAX_DAYS));
export type ReportQuery = z.input<typeof ReportQuery>;

export const DownloadQuery = z.object({
  table: z.enum(TABLE_CODES, { error: 'Choose a table to download.' }),
});

const Cell = z.object({ value: z.number().nullable(), suppressed: z.boolean() }).openapi('PublishedCount', {
  description: 'A count or figure as published: null and `suppressed` when the small-number rule hides it',
});

export const ReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
  by: z.enum(BREAKDOWN_CODES),
  scope: z.enum(['statewide', 'organization']),
  smallNumberThreshold: z.number(),
  requests: z
    .object({
      rows: z.array(
        z.object({
          group: z.string(),
          label: z.string(),
          sent: Cell,
          answered: Cell,
          placed: Cell,
          unmet: Cell,
          closedOther: Cell,
          open: Cell,
          medianMinutesToFirstOffer: Cell,
        }),
      ),
      total: z.object({
        sent: Cell,
        answered: Cell,
        placed: Cell,
        unmet: Cell,
        closedOther: Cell,
        open: Cell,
        medianMinutesToFirstOffer: Cell,
      }),
    })
    .nullable(),
  programs: z.object({
    rows: z.array(
      z.object({
        programId: z.string(),
        program: z.string(),
        organization: z.string(),
        sent: Cell,
        answered: Cell,
        yes: Cell,
        responseRate: Cell,
        medianMinutesToAnswer: Cell,
      }),
    ),
  }),
  nights: z.object({
    eveningHour: z.number(),
    staleAfterHours: z.number(),
    rows: z.array(
      z.object({
        night: z.string(),
        bedsAvailable: Cell,
        programsCounted: Cell,
        programsUnknown: Cell,
      }),
    ),
  }),
});
