/**
 * Data stewardship over the staff API: the same use cases, policies and audit as the pages. Bodies are
 * JSON objects with the forms' field names; a refused field is named in the problem (400).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import {
  dataHealth,
  editOrganization,
  editRegion,
  editService,
  setMembership,
  stewardshipContext,
} from './service.ts';

const TAGS = ['Data stewardship'];
const Body = z.record(z.string(), z.unknown()).openapi('StewardshipChange', {
  description:
    'The fields of the change (organization: name, type, phone, phone2, textNumber, email, website, hours, languages, addressConfidential, memberOrganizationId; region: navigatorOrganizationId; membership: county, effectiveFrom, effectiveTo; service: name, description, eligibility, minimumAge, maximumAge, phone, email, website, languages) and, always, source, verified and note.',
});
const Saved = z.object({ status: z.literal('saved') });
const Id = z.object({ id: z.string().max(200) });

const changeRoute = (method: 'put' | 'post', path: string, summary: string) =>
  createRoute({
    method,
    path,
    tags: TAGS,
    summary,
    security: [{ bearer: [] }],
    request: { params: Id, body: { content: { 'application/json': { schema: Body } }, required: true } },
    responses: {
      200: {
        description: 'Saved; the public pages show it now',
        content: { 'application/json': { schema: Saved } },
      },
      400: problemResponse('A field is not valid (the field is named)'),
      401: problemResponse('No valid token or session'),
      403: problemResponse('The role or token may not edit public data'),
      404: problemResponse('No such record, or not one the caller may edit'),
    },
  });

const organizationRoute = changeRoute(
  'put',
  '/api/v1/data/organizations/{id}',
  "Change an organization's public facts",
);
const regionRoute = changeRoute(
  'put',
  '/api/v1/data/regions/{id}',
  "Change a region's navigator organization",
);
const membershipRoute = changeRoute(
  'post',
  '/api/v1/data/regions/{id}/memberships',
  "Set a county's membership of the region from a date (ends its membership elsewhere that day)",
);
const serviceRoute = changeRoute(
  'put',
  '/api/v1/data/services/{id}',
  "Change a directory service's HSDS fields",
);

const healthRoute = createRoute({
  method: 'get',
  path: '/api/v1/data/health',
  tags: TAGS,
  summary:
    'Every open data problem: unverified facts, facts not checked recently, counties without a reachable navigator',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'The open problems',
      content: {
        'application/json': {
          schema: z.object({
            open: z.number().int(),
            items: z.array(
              z.object({
                kind: z.string(),
                problem: z.enum(['unverified', 'stale', 'unreachable']),
                label: z.string(),
                checkedAt: z.string().nullable(),
                fix: z.string(),
              }),
            ),
          }),
        },
      },
    },
    401: problemResponse('No valid token or session'),
    403: problemResponse('Only state administrators see data health'),
  },
});

export const stewardshipApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = stewardshipContext(deps);
  const STEWARD = staffAction('data.steward');
  const edits = [
    [organizationRoute, editOrganization],
    [regionRoute, editRegion],
    [membershipRoute, setMembership],
    [serviceRoute, editService],
  ] as const;
  for (const [route, edit] of edits)
    r.api(route, STEWARD, async (c) => {
      await edit(ctx, callerOf(c), c.req.valid('param').id, c.req.valid('json'), requestOrigin(c));
      return c.json({ status: 'saved' as const }, 200);
    });
  r.api(healthRoute, staffAction('data.health'), async (c) => {
    const h = await dataHealth(ctx, callerOf(c));
    return c.json({ open: h.items.length, items: h.items }, 200);
  });
};
