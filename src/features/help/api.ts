/**
 * `GET /api/v1/navigators`: the region, navigator and first contact for a county or ZIP code.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { problem, problemResponse } from '../../platform/problem.ts';
import { lookupNavigator } from './lookup.ts';
import { todayIn, type Geography } from './rules.ts';
import { NavigatorLookupSchema, NavigatorQuerySchema } from './schema.ts';

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
 * Serialised answers, kept per loaded geography (a reload starts a new cache) and per date, so a
 * repeated query is neither looked up nor serialised again.
 */
function answerCache(geo: Geography): Map<string, string> {
  let cache = answers.get(geo);
  if (!cache) {
    cache = new Map();
    answers.set(geo, cache);
  }
  return cache;
}

const cacheKey = (geo: Geography, q: { county?: string; zip?: string; asOf?: string }) =>
  `${q.asOf ?? todayIn(geo.timezone)}|${q.county ?? ''}|${q.zip ?? ''}`;

export const helpApi: Feature = (app, deps, policies) => {
  policies.declare('GET', navigatorsRoute.path, PUBLIC);
  app.openapi(navigatorsRoute, (c) => {
    const q = c.req.valid('query');
    const geo = deps.geography.get();
    // Only answers are kept, so a query found here was valid: no need to look it up again.
    const cache = answerCache(geo);
    const key = cacheKey(geo, q);
    const cached = cache.get(key);
    if (cached !== undefined) return c.body(cached, 200, JSON_TYPE) as never;
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
    const body = JSON.stringify(outcome.lookup);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, body);
    return c.body(body, 200, JSON_TYPE) as never;
  });
};
