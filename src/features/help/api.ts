/**
 * `GET /api/v1/navigators`: the region, navigator and first contact for a county or ZIP code.
 */
import { createRoute } from '@hono/zod-openapi';
import type { AppDeps, Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { jsonAnswer, lookupProblem } from '../../web/api.ts';
import type { FastRoute } from '../../web/fast-path.ts';
import { router } from '../../web/route.ts';
import { navigatorJson, preparedNavigatorAnswer } from './service.ts';
import { NavigatorLookupSchema, NavigatorQuerySchema } from './schema.ts';

export const navigatorsRoute = createRoute({
  method: 'get',
  path: '/api/v1/navigators',
  tags: ['Help'],
  summary: 'Find the regional navigator for a county or ZIP code',
  description:
    'Answers with the county, its region (with provenance), the navigator organization and its contacts, and the statewide line. ' +
    'When the region or navigator is not confirmed, `contactFirst` is `statewide`. A ZIP code in several counties answers `ambiguous: true` with one result per county.',
  request: { query: NavigatorQuerySchema },
  responses: {
    200: jsonAnswer('The navigator lookup', NavigatorLookupSchema),
    400: problemResponse('The county, ZIP code or date is malformed'),
    404: problemResponse('No such county or ZIP code in this jurisdiction'),
  },
});

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** The URL's query string as sent, without `?` (the key of the prepared answers). */
function searchOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

export const helpApi: Feature = (app, deps, policies) => {
  router(app, deps, policies).api(navigatorsRoute, PUBLIC, (c) => {
    const answer = navigatorJson(deps.geography.get(), c.req.valid('query'), searchOf(c.req.url));
    if (answer.ok) return c.body(answer.body, 200, JSON_TYPE) as never;
    return lookupProblem(c, {
      status: answer.status,
      field: answer.field,
      detail: answer.detail,
      ...(answer.suggestions ? { suggestions: answer.suggestions } : {}),
    }) as never;
  });
};

/**
 * The navigator lookup on the public fast path (src/web/fast-path.ts): a query string this API has
 * answered for the loaded geography today is written again without the router.
 */
export const navigatorFastRoute = (deps: Pick<AppDeps, 'geography'>): FastRoute => ({
  path: navigatorsRoute.path,
  contentType: JSON_TYPE['Content-Type'],
  rateLimited: true,
  answer: (search) => preparedNavigatorAnswer(deps.geography.get(), search),
});
