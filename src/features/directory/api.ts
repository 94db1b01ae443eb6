/**
 * The directory API: search (HSDS 3.1 paginated list), one service, and the whole directory export
 * (public); and the partner export with the housing programs' beds (`housing.read`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { PUBLIC, staffAction } from '../../platform/policy.ts';
import { problem, problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, lookupProblem, staffRoute } from '../../web/api.ts';
import { housingContext } from '../housing/index.ts';
import { serialisedOnce } from '../../web/http.ts';
import { router } from '../../web/route.ts';
import { publishedService } from './hsds.ts';
import { ServiceFiltersSchema } from './schema.ts';
import { directoryExport, partnerExport, searchPublished, serviceById } from './service.ts';

const HsdsServiceSchema = z.record(z.string(), z.unknown()).openapi('HsdsService', {
  description:
    'An Open Referral HSDS 3.1 service (https://docs.openreferral.org/en/latest/hsds/schema_reference.html) with its organization nested, plus `provenance` (source, retrieved, verified, note).',
});

const HsdsPageSchema = z
  .object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page_number: z.number().int(),
    size: z.number().int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(HsdsServiceSchema),
  })
  .openapi('HsdsServicePage');

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/services',
  tags: ['Directory'],
  summary: 'Search the directory of services',
  request: { query: ServiceFiltersSchema },
  responses: {
    200: jsonAnswer('Matching services, HSDS 3.1 paginated', HsdsPageSchema),
    400: problemResponse('A filter is malformed'),
    404: problemResponse('The county or region does not exist'),
  },
});

const oneRoute = createRoute({
  method: 'get',
  path: '/api/v1/services/{id}',
  tags: ['Directory'],
  summary: 'One service',
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: jsonAnswer('The service', HsdsServiceSchema),
    404: problemResponse('No such service'),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/v1/hsds/export',
  tags: ['Directory'],
  summary: 'The whole directory as HSDS 3.1',
  responses: {
    200: jsonAnswer('Every service, HSDS 3.1 paginated list in one page', HsdsPageSchema),
  },
});

const partnerExportRoute = staffRoute({
  method: 'get',
  path: '/api/v1/hsds/partner-export',
  tags: ['Directory'],
  summary:
    'For partners who may see the bed board: the whole directory as HSDS 3.1, plus each housing program as a service with its beds now (`capacities`: available, maximum, unit `bed`, updated). Never an address.',
  forbidden: 'The role or token may not see housing programs and their beds (`housing.read`)',
  responses: {
    200: jsonAnswer(
      'Every service with the housing programs, HSDS 3.1 paginated list in one page',
      HsdsPageSchema,
    ),
  },
});

export const directoryApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.api(listRoute, PUBLIC, async (c) => {
    const outcome = await searchPublished(deps.db, deps.geography.get(), c.req.valid('query'));
    if (!outcome.ok) return lookupProblem(c, outcome) as never;
    // The page is kept for the loaded data (service.ts), and so is its JSON.
    return c.body(serialisedOnce(outcome.page), 200, { 'Content-Type': 'application/json' }) as never;
  });

  r.api(oneRoute, PUBLIC, async (c) => {
    const row = await serviceById(deps.db, c.req.valid('param').id);
    if (!row)
      return problem(c, {
        title: 'Not found',
        status: 404,
        detail: 'There is no service with that id. Search /api/v1/services.',
      }) as never;
    return c.json(publishedService(row), 200);
  });

  r.api(exportRoute, PUBLIC, async (c) => c.json(await directoryExport(deps.db), 200));

  r.api(partnerExportRoute, staffAction('housing.read'), async (c) =>
    c.json(await partnerExport(housingContext(deps), callerOf(c)), 200),
  );
};
