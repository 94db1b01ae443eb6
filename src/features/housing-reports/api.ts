/**
 * The housing reports over the staff API (`reports.aggregate`: state administrators and evaluators for
 * the state, organization administrators for their own programs):
 *
 * - `GET /api/v1/housing/reports?from=&to=&by=` — shelter requests by region, age band, gender or month,
 *   each program's response rate and beds available by night, for a period of Minnesota dates. Counts
 *   under the small-number threshold are null with `suppressed: true`. Never a row about a person.
 */
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { ReportQuery, ReportSchema } from './schema.ts';
import { housingReport, reportsContext } from './service.ts';

const reportRoute = staffRoute({
  method: 'get',
  path: '/api/v1/housing/reports',
  tags: ['Housing'],
  summary:
    'Housing reports for a period (Minnesota dates, at most a year; the last 30 days by default): shelter requests sent, answered, placed, no bed found and still open by region, age band, gender or month, with the median time to a first offer; each program’s response rate; beds available by night. Counts from 1 to the small-number threshold less one are null and flagged `suppressed`.',
  forbidden: 'The role or token may not see reports',
  request: { query: ReportQuery },
  responses: {
    200: jsonAnswer('The report', ReportSchema),
    400: problemResponse('A query parameter is not valid (the field is named)'),
  },
});

export const housingReportsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.api(reportRoute, staffAction('reports.aggregate'), async (c) => {
    const report = await housingReport(reportsContext(deps), callerOf(c), c.req.valid('query'));
    return c.json(
      {
        period: report.period,
        by: report.by,
        scope: report.scope,
        smallNumberThreshold: report.threshold,
        requests: report.requests,
        programs: { rows: report.programs },
        nights: {
          eveningHour: report.nights.eveningHour,
          staleAfterHours: report.nights.staleHours,
          rows: report.nights.rows,
        },
      },
      200,
    );
  });
};
