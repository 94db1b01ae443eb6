/**
 * The period of a report at the edge, the same for every report that takes days (housing, training): a
 * Minnesota date as YYYY-MM-DD that must exist, how many days a period spans, and the check that its
 * last day is not before its first and that it is not longer than the report allows.
 */
import { z } from '@hono/zod-openapi';

/** A real date as YYYY-MM-DD; the messages name it ("first", "last"). */
export const reportDate = (name: string) =>
  z
    .string({ error: `Give the ${name} date.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Give the ${name} date as YYYY-MM-DD.`)
    .refine(
      (d) =>
        !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
      { message: `The ${name} date is not a real date.` },
    );

/** The number of days from `from` to `to`, both counted. */
export const daysIn = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** Adds to `ctx` the problem of a period whose last day comes first, or that is longer than `maxDays`. */
export function checkPeriod(
  q: { from?: string | undefined; to?: string | undefined },
  ctx: z.core.$RefinementCtx,
  maxDays: number,
): void {
  if (q.from && q.to && q.from > q.to)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: 'The last day must be on or after the first day.',
    });
  else if (q.from && q.to && daysIn(q.from, q.to) > maxDays)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `A report covers at most ${maxDays} days.` });
}
