/**
 * `GET /api/v1/navigators`: the region, navigator and first contact for a county or ZIP code.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { problem } from '../../platform/problem.ts';
import { lookupNavigator } from './lookup.ts';
import { todayIn, type Geography } from './rules.ts';
import { NavigatorLookupSchema, NavigatorQuerySchema, problemResponse } from './schema.ts';

export const navigatorsRoute = createRoute({
  method: 'get',
  path: '/api/v1/navigators',
  tags: ['Help'],
  summary: 'Find the regional navigator for a county or ZIP code',
  description:
    'Answers with the county, its region (with provenance), the navigator organisation and its contacts, and the statewide line. ' +
    'When the region or navigator is not confirmed, `contactFirst` is `statewide`. A ZIP code in several counties answers `ambiguous: true` with one result per county.',
  request: { query: NavigatorQuerySchema },
  responses: {
    200: {
      description: 'The navigator lookup',
      content: { 'application/json': { schema: NavigatorLookupSchema } },
    },
    400: problemResponse('The county, ZIP code or date is malformed'),
    404: problemResponse('No such county or ZIP code in this jurisdiction'),
  },
});

const JSON_TYPE = { 'Content-Type': 'application/json' };
const CACHE_LIMIT = 5000;
const answers = new WeakMap<Geography, Map<string, string>>();

/**
 * The serialised answer for a query, kept per loaded geography (a reload starts a new cache) and
 * per date, so the same lookup is not serialised again on every request.
 */
function serialised(
  geo: Geography,
  q: { county?: string; zip?: string; asOf?: string },
  make: () => string,
): string {
  let cache = answers.get(geo);
  if (!cache) {
    cache = new Map();
    answers.set(geo, cache);
  }
  const key = `${q.asOf ?? todayIn(geo.timezone)}|${q.county ?? ''}|${q.zip ?? ''}`;
  let body = cache.get(key);
  if (body === undefined) {
    body = make();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, body);
  }
  return body;
}

export const helpApi: Feature = (app, deps, policies) => {
  policies.declare('GET', navigatorsRoute.path, PUBLIC);
  app.openapi(navigatorsRoute, (c) => {
    const q = c.req.valid('query');
    const geo = deps.geography.get();
    const outcome = lookupNavigator(geo, q);
    if (!outcome.ok) {
      return problem(c, {
        title: outcome.status === 404 ? 'Not found' : 'The request is not valid',
        status: outcome.status,
        field: outcome.field,
        detail: outcome.detail,
        ...(outcome.suggestions ? { suggestions: outcome.suggestions } : {}),
      }) as never;
    }
    return c.body(
      serialised(geo, q, () => JSON.stringify(outcome.lookup)),
      200,
      JSON_TYPE,
    ) as never;
  });
};
