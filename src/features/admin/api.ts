/**
 * The audit log over the staff API: `Authorization: Bearer <token>` (from `nwd tokens create`) or a
 * staff session cookie. Organization administrators see their organization's events only, without the
 * ids of young people's records (the audit listing narrows them).
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { listAuditAs } from '../../platform/audit/audit.ts';
import { staffAction } from '../../platform/policy.ts';
import { callerOf, jsonAnswer, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';

const AuditQuery = z.object({
  action: z.string().max(100).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(200).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const auditRoute = staffRoute({
  method: 'get',
  path: '/api/v1/audit-events',
  tags: ['Staff'],
  summary:
    "Browse the audit log (newest first; organization administrators see their organization's events only, without the ids of young people's records)",
  forbidden: 'Not permitted',
  request: { query: AuditQuery },
  responses: {
    200: jsonAnswer(
      'A page of audit events',
      z.object({ events: z.array(z.record(z.string(), z.unknown())), nextBefore: z.number().nullable() }),
    ),
  },
});

export const staffApi: Feature = (app, deps, policies) => {
  router(app, deps, policies).api(auditRoute, staffAction('audit.read'), async (c) => {
    const page = await listAuditAs(deps.db, callerOf(c), c.req.valid('query'));
    return c.json(
      { events: page.events as unknown as Record<string, unknown>[], nextBefore: page.nextBefore },
      200,
    );
  });
};
