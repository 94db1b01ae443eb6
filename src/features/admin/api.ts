/**
 * The staff API: `Authorization: Bearer <token>` (from `nwd tokens create`) or a staff session cookie.
 * A token acts under its owner's policy, narrowed by its scopes.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { ROLE_NAMES, can } from '../../platform/access.ts';
import { listAudit, withholdRecordIds } from '../../platform/audit/audit.ts';
import { SIGNED_IN, staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { apiActor, notPermitted, unauthorised } from '../../web/api.ts';

const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/staff/me',
  tags: ['Staff'],
  summary: 'Who the request acts as',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'The actor',
      content: {
        'application/json': {
          schema: z.object({
            userId: z.string(),
            role: z.string(),
            roleName: z.string(),
            organizationId: z.string(),
            regions: z.array(z.string()),
            scopes: z.array(z.string()).nullable(),
          }),
        },
      },
    },
    401: problemResponse('No valid token or session'),
  },
});

const AuditQuery = z.object({
  action: z.string().max(100).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(200).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const auditRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit-events',
  tags: ['Staff'],
  summary:
    "Browse the audit log (newest first; organization administrators see their organization's events only, without the ids of young people's records)",
  security: [{ bearer: [] }],
  request: { query: AuditQuery },
  responses: {
    200: {
      description: 'A page of audit events',
      content: {
        'application/json': {
          schema: z.object({
            events: z.array(z.record(z.string(), z.unknown())),
            nextBefore: z.number().nullable(),
          }),
        },
      },
    },
    401: problemResponse('No valid token or session'),
    403: problemResponse('Not permitted'),
  },
});

export const staffApi: Feature = (app, deps, policies) => {
  policies.declare('GET', meRoute.path, SIGNED_IN);
  app.openapi(meRoute, async (c) => {
    const actor = await apiActor(c, deps);
    if (!actor) return unauthorised(c) as never;
    return c.json(
      {
        userId: actor.userId,
        role: actor.role,
        roleName: ROLE_NAMES[actor.role],
        organizationId: actor.organizationId,
        regions: [...actor.regions],
        scopes: actor.tokenScopes ? [...actor.tokenScopes] : null,
      },
      200,
    );
  });

  policies.declare('GET', auditRoute.path, staffAction('audit.read'));
  app.openapi(auditRoute, async (c) => {
    const actor = await apiActor(c, deps);
    if (!actor) return unauthorised(c) as never;
    const everywhere = can(actor, 'audit.read', {});
    if (!everywhere && !can(actor, 'audit.read', { organizationId: actor.organizationId }))
      return notPermitted(c, 'audit.read') as never;
    const q = c.req.valid('query');
    const page = await listAudit(deps.db, {
      ...q,
      ...(everywhere ? {} : { organizationId: actor.organizationId }),
    });
    // Without statewide access, the ids of young people's records are withheld.
    const events = everywhere ? page.events : page.events.map(withholdRecordIds);
    return c.json(
      { events: events as unknown as Record<string, unknown>[], nextBefore: page.nextBefore },
      200,
    );
  });
};
