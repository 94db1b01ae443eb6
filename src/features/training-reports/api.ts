/**
 * The training reports over the staff API (`reports.aggregate`: state administrators and evaluators for
 * the state, organization administrators for their own organization):
 *
 * - `GET /api/v1/training/reports?quarter=&from=&to=&by=` — completions by course, organization type or
 *   region per quarter, people trained per event, and (state administrators only) the certified settings
 *   whose direct-contact staff are not all trained. State counts under the small-number threshold are
 *   null with `suppressed: true`. Never a row about a person.
 */
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { ReportQuery, ReportSchema } from './schema.ts';
import { trainingReport, trainingReportsContext } from './service.ts';

const reportRoute = staffRoute({
  method: 'get',
  path: '/api/v1/training/reports',
  tags: ['Training'],
  summary:
    'Training reports for a quarter or a period of Minnesota dates (the current quarter by default): completions and distinct people by course, organization type or region per calendar quarter; per event date, places held, attendance and completions; for state administrators, the certified settings whose direct-contact staff are not all trained. State counts from 1 to the small-number threshold less one are null and flagged `suppressed`.',
  forbidden: 'The role or token may not see reports',
  request: { query: ReportQuery },
  responses: {
    200: jsonAnswer('The report', ReportSchema),
    400: problemResponse('A query parameter is not valid (the field is named)'),
  },
});

export const trainingReportsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.api(reportRoute, staffAction('reports.aggregate'), async (c) => {
    const report = await trainingReport(trainingReportsContext(deps), callerOf(c), c.req.valid('query'));
    return c.json(
      {
        period: report.period,
        by: report.by,
        scope: report.scope,
        smallNumberThreshold: report.threshold,
        completions: report.completions,
        events: report.events,
        settings: report.settings,
      },
      200,
    );
  });
};
