/**
 * The directory API: search (HSDS 3.1 paginated list), one service, and the whole directory export.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { problem } from '../../platform/problem.ts';
import { problemResponse } from '../../platform/problem.ts';
import { hsdsPage, withoutConfidentialAddress } from './hsds.ts';
import { allServicesHsds, findService, searchServices, type ServiceRow } from './queries.ts';
import { ServiceFiltersSchema, toServiceQuery } from './schema.ts';

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

/** The published form of a service: HSDS with its provenance, never a confidential address. */
export function publishedService(
  row: Pick<ServiceRow, 'hsds' | 'source' | 'retrieved' | 'verified' | 'note'>,
): Record<string, unknown> {
  return {
    ...withoutConfidentialAddress(row.hsds),
    provenance: { source: row.source, retrieved: row.retrieved, verified: row.verified, note: row.note },
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/services',
  tags: ['Directory'],
  summary: 'Search the directory of services',
  request: { query: ServiceFiltersSchema },
  responses: {
    200: {
      description: 'Matching services, HSDS 3.1 paginated',
      content: { 'application/json': { schema: HsdsPageSchema } },
    },
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
    200: { description: 'The service', content: { 'application/json': { schema: HsdsServiceSchema } } },
    404: problemResponse('No such service'),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/v1/hsds/export',
  tags: ['Directory'],
  summary: 'The whole directory as HSDS 3.1',
  responses: {
    200: {
      description: 'Every service, HSDS 3.1 paginated list in one page',
      content: { 'application/json': { schema: HsdsPageSchema } },
    },
  },
});

export const directoryApi: Feature = (app, deps, policies) => {
  policies.declare('GET', listRoute.path, PUBLIC);
  policies.declare('GET', '/api/v1/services/:id', PUBLIC);
  policies.declare('GET', exportRoute.path, PUBLIC);

  app.openapi(listRoute, async (c) => {
    const outcome = toServiceQuery(deps.geography.get(), c.req.valid('query'));
    if (!outcome.ok) {
      return problem(c, {
        title: outcome.status === 404 ? 'Not found' : 'The request is not valid',
        ...outcome,
      }) as never;
    }
    const { total, items } = await searchServices(deps.db, outcome.query);
    return c.json(
      hsdsPage(items.map(publishedService), total, outcome.filters.page, outcome.filters.perPage),
      200,
    );
  });

  app.openapi(oneRoute, async (c) => {
    const row = await findService(deps.db, c.req.valid('param').id);
    if (!row)
      return problem(c, {
        title: 'Not found',
        status: 404,
        detail: 'There is no service with that id. Search /api/v1/services.',
      }) as never;
    return c.json(publishedService(row), 200);
  });

  app.openapi(exportRoute, async (c) => {
    const services = await allServicesHsds(deps.db);
    return c.json(
      hsdsPage(
        services.map((s) => withoutConfidentialAddress(s)),
        services.length,
        1,
        Math.max(1, services.length),
      ),
      200,
    );
  });
};
