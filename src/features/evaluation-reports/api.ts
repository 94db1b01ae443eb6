/**
 * The evaluation over the staff API (`reports.aggregate`: state administrators and evaluators for the
 * state, a navigator host's administrators for its regions, other organization administrators for their
 * own clients):
 *
 * - `GET /api/v1/reports/{measure}?from=&to=&by=` — one measure for a whole quarter, state fiscal year
 *   or biennium that has ended, broken down one way, with the same small-number protection as the pages:
 *   a hidden count is null with `suppressed: true`. Never a row about a person.
 */
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { reportJson } from './schema.ts';
import { MeasureParam, ReportQuery, ReportSchema } from './schema.ts';
import { evaluationContext, measureReport } from './service.ts';

const reportRoute = staffRoute({
  method: 'get',
  path: '/api/v1/reports/{measure}',
  tags: ['Evaluation'],
  summary:
    'One evaluation measure (youth_served, services, exits, referrals, first_contact, shelter_requests, placements, trainings) for a whole quarter, state fiscal year (July to June) or biennium that has ended — the last ended fiscal year by default — broken down by one of the measure’s breakdowns, with a trend by quarter. Counts from 1 to the small-number threshold less one, and counts hidden so that they cannot be worked out from others, are null and flagged `suppressed`.',
  forbidden: 'The role or token may not see reports',
  request: { params: MeasureParam, query: ReportQuery },
  responses: {
    200: jsonAnswer('The report', ReportSchema),
    400: problemResponse(
      'A parameter is not valid, or the measure is not reported for the caller (the field is named)',
    ),
  },
});

export const evaluationApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.api(reportRoute, staffAction('reports.aggregate'), async (c) => {
    const { measure } = c.req.valid('param');
    const query = c.req.valid('query');
    const report = await measureReport(evaluationContext(deps), callerOf(c), { measure, ...query });
    return c.json(reportJson(report), 200);
  });
};
