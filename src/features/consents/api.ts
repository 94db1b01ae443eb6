/**
 * Consents over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff
 * session), with the same use cases as the pages: `GET|POST /api/v1/cases/{id}/consents`,
 * `POST /api/v1/consents/{id}/revoke`.
 *
 * The caller is checked before the body is read: no session or token answers 401, a role without the
 * route's action 403; a case the caller may not see answers 404, like a missing one.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { jsonAnswer, jsonBody, recordRequest, recordRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { ConsentSchema, consentBody } from './schema.ts';
import { caseContext, listConsents, recordConsent, revokeConsent, type ConsentView } from './service.ts';

function consentJson(c: ConsentView) {
  return { ...c, recordedAt: c.recordedAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null };
}

const listRoute = recordRoute({
  method: 'get',
  path: '/api/v1/cases/{id}/consents',
  tags: ['Consents'],
  summary: 'The consents of a case (audited)',
  responses: {
    200: jsonAnswer('The consents, newest first', z.object({ consents: z.array(ConsentSchema) })),
  },
});

const revokeRoute = recordRoute({
  method: 'post',
  path: '/api/v1/consents/{id}/revoke',
  tags: ['Consents'],
  summary: 'Revoke a consent: from now on no referral shows the organization what it covered',
  responses: {
    200: jsonAnswer('The revoked consent', ConsentSchema),
    409: problemResponse('Already revoked'),
  },
});

export const consentsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = () => caseContext(deps);

  r.api(listRoute, staffAction('cases.read'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const list = await listConsents(ctx(), actor, id, origin);
    return c.json({ consents: list.consents.map(consentJson) }, 200);
  });

  const createConsentRoute = recordRoute({
    method: 'post',
    path: '/api/v1/cases/{id}/consents',
    tags: ['Consents'],
    summary:
      'Record a young person’s consent to share with an organization (for a purpose, some categories, until an end date: one year at most)',
    request: { body: jsonBody(consentBody(deps.rules.vocabularies)) },
    responses: {
      201: jsonAnswer('The consent', ConsentSchema),
      400: problemResponse('A field is not valid (named in `field`)'),
      409: problemResponse('The case is closed'),
    },
  });
  r.api(createConsentRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const consent = await recordConsent(ctx(), actor, id, c.req.valid('json'), origin);
    return c.json(consentJson(consent), 201);
  });

  r.api(revokeRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const consent = await revokeConsent(ctx(), actor, id, origin);
    return c.json(consentJson(consent), 200);
  });
};
