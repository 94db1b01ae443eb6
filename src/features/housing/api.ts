/**
 * Housing over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff session):
 *
 * - `PUT /api/v1/housing-programs/{id}/availability` — the program's organization (`housing.manage`)
 *   records its beds available now (and in all, or per type of bed). Timestamped and kept as history.
 * - `GET /api/v1/housing/availability?age=&gender=&county=&needs=&region=&language=&type=&when=` — the
 *   bed board (`housing.read`: navigators and state administrators): programs that fit, beds available
 *   first, with freshness. Never an address.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, jsonBody, recordRequest, recordRoute, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { AvailabilityInput, BoardProgramSchema, BoardQuery, ProgramBedsSchema } from './schema.ts';
import { bedBoard, boardFilter, housingContext, updateAvailability, type ProgramView } from './service.ts';

const availabilityRoute = recordRoute({
  method: 'put',
  path: '/api/v1/housing-programs/{id}/availability',
  tags: ['Housing'],
  summary:
    'Record the beds available now of a program of the caller’s organization (and the beds in all, or each type of bed). Kept as history; older than 24 hours it shows as stale.',
  request: { body: jsonBody(AvailabilityInput) },
  responses: {
    200: jsonAnswer('The program’s beds now', ProgramBedsSchema),
    400: problemResponse('The body is not valid (the field is named)'),
  },
});

const boardRoute = staffRoute({
  method: 'get',
  path: '/api/v1/housing/availability',
  tags: ['Housing'],
  summary:
    'The bed board: housing programs that fit a young person, beds available now first (fresh counts before stale ones), with how fresh each count is. Never an address.',
  forbidden: 'The role or token may not see the bed board',
  request: { query: BoardQuery },
  responses: {
    200: jsonAnswer(
      'The programs that fit',
      z.object({ staleAfterHours: z.number(), programs: z.array(BoardProgramSchema) }),
    ),
    400: problemResponse('A query parameter is not valid (the field is named)'),
  },
});

export const boardJson = (p: ProgramView) => ({
  id: p.id,
  name: p.name,
  organizationName: p.organizationName,
  type: p.type,
  ages: { min: p.minAge, max: p.maxAge },
  genders: p.genders,
  serves: p.serves,
  culturallySpecificFor: p.culturallySpecificFor,
  languages: p.languages,
  regionIds: p.regionIds,
  countyFips: p.countyFips,
  beds: { total: p.bedsTotal, available: p.bedsAvailable, types: p.bedTypes },
  updatedAt: p.updatedAt ? p.updatedAt.toISOString() : null,
  stale: p.stale,
  freshness: p.freshness,
});

export const housingApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.api(availabilityRoute, staffAction('housing.manage'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const beds = await updateAvailability(
      housingContext(deps),
      actor,
      id,
      c.req.valid('json'),
      'api',
      origin,
    );
    return c.json(
      {
        id: beds.id,
        beds: { total: beds.total, available: beds.available, types: beds.bedTypes },
        updatedAt: beds.updatedAt.toISOString(),
      },
      200,
    );
  });
  r.api(boardRoute, staffAction('housing.read'), async (c) => {
    const ctx = housingContext(deps);
    const programs = await bedBoard(ctx, callerOf(c), boardFilter(ctx, c.req.valid('query')));
    return c.json({ staleAfterHours: ctx.staleHours, programs: programs.map(boardJson) }, 200);
  });
};
