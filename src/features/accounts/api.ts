/**
 * The staff API's own account routes: who a request acts as, and revoking one's own API token.
 * `Authorization: Bearer <token>` (from `nwd tokens create`) or a staff session cookie; a token acts
 * under its owner's policy, narrowed by its scopes.
 */
import { z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { Feature } from '../../app-types.ts';
import { ROLE_NAMES } from '../../platform/access.ts';
import { SIGNED_IN, staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { accountsContext, requestOrigin, sessionCookieName } from '../../web/session.ts';
import { revokeApiToken, sessionFromToken } from './service.ts';

const meRoute = staffRoute({
  method: 'get',
  path: '/api/v1/staff/me',
  tags: ['Staff'],
  summary: 'Who the request acts as',
  responses: {
    200: jsonAnswer(
      'The actor',
      z.object({
        userId: z.string(),
        role: z.string(),
        roleName: z.string(),
        organizationId: z.string(),
        regions: z.array(z.string()),
        scopes: z.array(z.string()).nullable(),
      }),
    ),
  },
});

const revokeRoute = staffRoute({
  method: 'delete',
  path: '/api/v1/tokens/{id}',
  tags: ['Staff'],
  summary:
    "Revoke one of the caller's own API tokens (recorded in the audit log). Signed in with a session, sign in again first: it needs a sign-in within the last 5 minutes.",
  forbidden: 'The role or token may not manage tokens, or the session must sign in again',
  request: { params: z.object({ id: z.string().max(64).openapi({ description: 'The token id' }) }) },
  responses: {
    204: { description: 'The token is revoked (or already was)' },
    404: problemResponse('No such token of the caller'),
  },
});

export const accountsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.api(meRoute, SIGNED_IN, (c) => {
    const actor = callerOf(c);
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

  r.api(revokeRoute, staffAction('tokens.manage'), async (c) => {
    const actor = callerOf(c);
    const ctx = accountsContext(deps);
    // A session caller shows a recent sign-in; a token caller has none to show.
    const session = actor.tokenScopes
      ? null
      : await sessionFromToken(ctx, getCookie(c, sessionCookieName(deps)));
    await revokeApiToken(ctx, actor, c.req.valid('param').id, requestOrigin(c), session);
    return c.body(null, 204);
  });
};
