/**
 * Referrals over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff
 * session). The same use cases and the same rules as the pages:
 *
 * - `GET|POST /api/v1/cases/{id}/referrals` — `shareIdentifying: true` without an active consent that
 *   covers the receiving organization is a 409 problem naming `shareIdentifying`;
 * - `GET /api/v1/referrals` (the inbox: received by the caller's organization, or sent from their
 *   regions), `GET /api/v1/referrals/{id}` (to the receiving organization only what consent allows,
 *   re-checked at every read, audited), `POST /api/v1/referrals/{id}/transitions` with `{ to, reason? }`
 *   (an illegal step is a 409 problem).
 *
 * The caller is checked before the body is read: no session or token answers 401, a role without the
 * route's action 403; a case or referral the caller may not see answers 404, like a missing one.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { POLICY, regionScope, type Action, type Actor } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import {
  COMMON_ERRORS,
  callerOf,
  isoOrNull,
  jsonAnswer,
  jsonBody,
  recordRequest,
  recordRoute,
  staffRoute,
} from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { caseContext } from '../consents/service.ts';
import type { ReferralStatus } from '../cases/index.ts';
import {
  CaseReferralSchema,
  ChangedSchema,
  InboxQuery,
  MessageBody,
  SummarySchema,
  TransitionBody,
  ViewSchema,
  referralBody,
} from './schema.ts';
import {
  createReferral,
  listCaseReferrals,
  listReferrals,
  openReferral,
  postMessage,
  referralContext,
  transitionReferral,
  type ReferralSummary,
  type ReferralView,
} from './service.ts';

function summaryJson<T extends ReferralSummary>(r: T) {
  return {
    ...r,
    sentAt: isoOrNull(r.sentAt),
    respondedAt: isoOrNull(r.respondedAt),
    remindAt: isoOrNull(r.remindAt),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const viewJson = (v: ReferralView) => ({
  ...summaryJson(v),
  history: v.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  thread: { ...v.thread, messages: v.thread.messages.map((m) => ({ ...m, at: m.at.toISOString() })) },
});

/**
 * A role that answers referrals, whose token (if any) carries one of `scopes`: the routes over one
 * referral serve both sides.
 */
const eitherSide =
  (scopes: readonly Action[]) =>
  (actor: Actor): boolean =>
    Boolean(POLICY['referrals.respond'][actor.role]) &&
    (!actor.tokenScopes || scopes.some((s) => actor.tokenScopes!.includes(s)));

/** Reading referrals: either side, or a state administrator overseeing the network (read only). */
const readers = (actor: Actor): boolean =>
  eitherSide(['referrals.respond', 'cases.read'])(actor) || regionScope(actor, 'cases.read')?.all === true;

const listCaseRoute = recordRoute({
  method: 'get',
  path: '/api/v1/cases/{id}/referrals',
  tags: ['Referrals'],
  summary: 'The referrals of a case, with what each shows its organization today (audited)',
  responses: {
    200: jsonAnswer('The referrals, newest first', z.object({ referrals: z.array(CaseReferralSchema) })),
  },
});

const inboxRoute = staffRoute({
  method: 'get',
  path: '/api/v1/referrals',
  tags: ['Referrals'],
  summary:
    'Referrals received by the caller’s organization (`box=received`, never drafts) or sent from the caller’s regions (`box=sent`). No personal data.',
  forbidden: COMMON_ERRORS[403].description,
  request: { query: InboxQuery },
  responses: {
    200: jsonAnswer('The referrals, longest waiting first', z.object({ referrals: z.array(SummarySchema) })),
  },
});

const oneRoute = recordRoute({
  method: 'get',
  path: '/api/v1/referrals/{id}',
  tags: ['Referrals'],
  summary:
    'One referral. The receiving organization gets identifying details only while an active consent covers them, and only its categories (audited).',
  responses: {
    200: jsonAnswer('The referral', ViewSchema),
  },
});

const transitionRoute = recordRoute({
  method: 'post',
  path: '/api/v1/referrals/{id}/transitions',
  tags: ['Referrals'],
  summary:
    'Move a referral one step: sent, withdrawn, no_response (the sending region); accepted, declined, in_service, completed, closed (the receiving organization)',
  request: { body: jsonBody(TransitionBody) },
  responses: {
    200: jsonAnswer('The referral after the step', ChangedSchema),
    400: problemResponse('A missing or unknown reason (field `reason`)'),
    409: problemResponse('The step is not allowed from the referral’s status'),
  },
});

const messageRoute = recordRoute({
  method: 'post',
  path: '/api/v1/referrals/{id}/messages',
  tags: ['Referrals'],
  summary:
    'Write on a referral’s thread (the sending region’s navigators and the receiving organization; while the referral is open and, with identifying details, while consent covers the organization). The other side is told, without the text.',
  request: { body: jsonBody(MessageBody) },
  responses: {
    201: jsonAnswer('The message was recorded', z.object({ id: z.string(), referralId: z.string() })),
    400: problemResponse('An empty, too long or unreadable message (field `body`)'),
    409: problemResponse('The referral is a draft, has finished, or the consent that covered it has ended'),
  },
});

export const referralsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  const createCaseReferralRoute = recordRoute({
    method: 'post',
    path: '/api/v1/cases/{id}/referrals',
    tags: ['Referrals'],
    summary: 'Refer a young person to an organization (a draft, or sent with `send: true`)',
    request: { body: jsonBody(referralBody(deps.rules.vocabularies)) },
    responses: {
      201: jsonAnswer('The referral', ChangedSchema),
      400: problemResponse('A field is not valid (named in `field`)'),
      409: problemResponse(
        '`shareIdentifying: true` without an active consent covering the organization (field `shareIdentifying`), or the case is closed',
      ),
    },
  });

  r.api(listCaseRoute, staffAction('cases.read'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const list = await listCaseReferrals(caseContext(deps), actor, id, origin);
    return c.json(
      {
        referrals: list.referrals.map((x) => ({
          ...summaryJson(x),
          sharing: x.sharing,
          allowedTransitions: x.allowedTransitions,
        })),
      },
      200,
    );
  });

  r.api(createCaseReferralRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const created = await createReferral(referralContext(deps), actor, id, c.req.valid('json'), origin);
    return c.json(summaryJson(created), 201);
  });

  r.api(
    inboxRoute,
    staffAction('referrals.respond', 'cases.read'),
    async (c) => {
      const list = await listReferrals(caseContext(deps), callerOf(c), c.req.valid('query'));
      return c.json({ referrals: list.map(summaryJson) }, 200);
    },
    { allowed: readers },
  );

  r.api(
    oneRoute,
    staffAction('referrals.respond', 'cases.read'),
    async (c) => {
      const { actor, id, origin } = recordRequest(c);
      return c.json(viewJson(await openReferral(referralContext(deps), actor, id, origin)), 200);
    },
    { allowed: readers },
  );

  r.api(
    transitionRoute,
    staffAction('referrals.respond'),
    async (c) => {
      const { actor, id, origin } = recordRequest(c);
      const body = c.req.valid('json');
      const changed = await transitionReferral(
        referralContext(deps),
        actor,
        id,
        { to: body.to as ReferralStatus, reason: body.reason ?? null, note: body.note ?? null },
        origin,
      );
      return c.json(summaryJson(changed), 200);
    },
    { allowed: eitherSide(['referrals.respond', 'cases.write']) },
  );

  r.api(
    messageRoute,
    staffAction('referrals.respond'),
    async (c) => {
      const { actor, id, origin } = recordRequest(c);
      return c.json(await postMessage(referralContext(deps), actor, id, c.req.valid('json'), origin), 201);
    },
    { allowed: eitherSide(['referrals.respond', 'cases.write']) },
  );
};
