/**
 * Consents and referrals over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a
 * staff session). The same services and the same rules as the pages:
 *
 * - `GET|POST /api/v1/cases/{id}/consents`, `POST /api/v1/consents/{id}/revoke`;
 * - `GET|POST /api/v1/cases/{id}/referrals` — `shareIdentifying: true` without an active consent that
 *   covers the receiving organisation is a 409 problem naming `shareIdentifying`;
 * - `GET /api/v1/referrals` (the inbox: received by the caller's organisation, or sent from their
 *   regions), `GET /api/v1/referrals/{id}` (to the receiving organisation only what consent allows,
 *   re-checked at every read, audited), `POST /api/v1/referrals/{id}/transitions` with `{ to, reason? }`
 *   (an illegal step is a 409 problem).
 *
 * The caller is checked before the body is read: no session or token answers 401, a role without the
 * route's action 403; a case or referral the caller may not see answers 404, like a missing one.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import type { Config } from '../../config.ts';
import { POLICY, type Action } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { apiCallerMiddleware, callerOf, refusalProblem } from '../../web/api.ts';
import { requestOrigin } from '../../web/session.ts';
import {
  CONSENT_STATE_NAMES,
  listConsents,
  recordConsent,
  revokeConsent,
  type ConsentView,
} from '../consents/service.ts';
import { CaseError, type CaseContext } from '../cases/core.ts';
import {
  LIST_VIEWS,
  REFERRAL_LIST_LIMIT,
  createReferral,
  listCaseReferrals,
  listReferrals,
  openReferral,
  transitionReferral,
  type ReferralContext,
  type ReferralListView,
  type ReferralSummary,
  type ReferralTiming,
  type ReferralView,
} from './service.ts';
import { CONSENT_CATEGORIES, REFERRAL_STATUSES, type ReferralStatus } from '../cases/tables.ts';
import { codesOf } from '../cases/vocabularies.ts';

/** The case services' context from the app's dependencies. */
export function caseContext(deps: AppDeps): CaseContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    calendar: deps.rules.calendar,
    vocabularies: deps.rules.vocabularies,
  };
}

/** The referral services' context: the case context, the site for email links and the reminder timing. */
export function referralContext(deps: AppDeps): ReferralContext {
  return {
    ...caseContext(deps),
    site: deps.site,
    // The service passes its whole configuration; a test app without it gets the defaults.
    ...(referralTimingOf(deps) ? { timing: referralTimingOf(deps)! } : {}),
  };
}

/** `NWD_REFERRAL_*_AFTER_BUSINESS_DAYS` when the app was given the service's configuration. */
const referralTimingOf = (deps: AppDeps): ReferralTiming | undefined =>
  (deps.config as Partial<Pick<Config, 'referrals'>>).referrals;

const COMMON_ERRORS = {
  401: problemResponse('No valid token or session'),
  403: problemResponse('The role or token may not take this action'),
  404: problemResponse('No such record, or the caller may not see it'),
};

const idParam = z.object({
  id: z
    .string()
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const statusEnum = z.enum(REFERRAL_STATUSES);

const ConsentSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    organization: z.object({ id: z.string(), name: z.string() }),
    purpose: z.string(),
    purposeLabel: z.string(),
    categories: z.array(z.enum(CONSENT_CATEGORIES)),
    method: z.enum(['written', 'verbal']),
    witness: z.string().nullable(),
    startsOn: isoDate,
    expiresOn: isoDate.openapi({ description: 'The first day the consent no longer applies' }),
    state: z.enum(Object.keys(CONSENT_STATE_NAMES) as [keyof typeof CONSENT_STATE_NAMES]),
    recordedBy: z.string(),
    recordedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
  })
  .openapi('Consent');

const SummarySchema = z
  .object({
    id: z.string(),
    caseId: z.string().nullable().openapi({ description: 'Only for the sending region' }),
    status: statusEnum,
    statusReason: z.string().nullable(),
    serviceType: z.string(),
    serviceLabel: z.string(),
    toOrganization: z.object({ id: z.string(), name: z.string() }),
    fromRegion: z.object({ id: z.string(), name: z.string() }),
    ageBand: z.enum(['under18', '18to24', '25plus', 'unknown']),
    countyName: z.string().nullable(),
    shareIdentifying: z.boolean(),
    sentAt: z.string().nullable(),
    respondedAt: z.string().nullable(),
    remindAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ReferralSummary');

const SharingEnum = z.enum(['identifying', 'de_identified', 'consent_ended']);

const ChangedSchema = SummarySchema.extend({ allowedTransitions: z.array(statusEnum) }).openapi(
  'ReferralChanged',
);

const ViewSchema = SummarySchema.extend({
  viewer: z.object({ sender: z.boolean(), receiver: z.boolean(), senderReads: z.boolean() }),
  allowedTransitions: z.array(statusEnum),
  sharing: SharingEnum,
  consent: z
    .object({ id: z.string(), categories: z.array(z.enum(CONSENT_CATEGORIES)), expiresOn: isoDate })
    .nullable(),
  shared: z
    .object({
      identity: z
        .object({
          chosenName: z.string(),
          legalName: z.string().nullable(),
          dateOfBirth: z.string().nullable(),
          age: z.number().nullable(),
          pronouns: z.string().nullable(),
        })
        .optional(),
      contact: z
        .object({
          method: z.string().nullable(),
          value: z.string().nullable(),
          times: z.string().nullable(),
          codeWord: z.string().nullable(),
        })
        .optional(),
      demographics: z
        .object({
          genderIdentity: z.array(z.string()),
          raceEthnicity: z.array(z.string()),
          sexualOrientation: z.string().nullable(),
          languages: z.array(z.string()),
          tribalAffiliation: z.string().nullable(),
        })
        .optional(),
      services: z
        .array(z.object({ code: z.string(), label: z.string(), deliveredOn: z.string() }))
        .optional(),
    })
    .nullable()
    .openapi({ description: 'For the receiving organisation: only the categories an active consent covers' }),
  message: z.string().nullable(),
  messageWithheld: z.boolean(),
  history: z.array(
    z.object({
      at: z.string(),
      from: statusEnum,
      to: statusEnum,
      reason: z.string().nullable(),
      reasonLabel: z.string().nullable(),
      by: z.string(),
      byUserId: z.string().nullable(),
      organization: z.string().nullable(),
    }),
  ),
}).openapi('Referral');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function consentJson(c: ConsentView) {
  return { ...c, recordedAt: c.recordedAt.toISOString(), revokedAt: iso(c.revokedAt) };
}

function summaryJson(r: ReferralSummary) {
  return {
    ...r,
    sentAt: iso(r.sentAt),
    respondedAt: iso(r.respondedAt),
    remindAt: iso(r.remindAt),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function viewJson(v: ReferralView) {
  return {
    ...v,
    sentAt: iso(v.sentAt),
    respondedAt: iso(v.respondedAt),
    remindAt: iso(v.remindAt),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    history: v.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  };
}

// ---------------------------------------------------------------------------------------------------
// The caller, checked before anything else

/**
 * Middleware: 401 without a valid token or session; 403 when the role may not take `action` at all, or
 * the token carries none of `scopes`.
 */
const caller = (deps: AppDeps, action: Action, scopes: readonly Action[] = [action]): MiddlewareHandler =>
  apiCallerMiddleware(
    deps,
    action,
    (actor) =>
      Boolean(POLICY[action][actor.role]) &&
      (!actor.tokenScopes || scopes.some((s) => actor.tokenScopes!.includes(s))),
  );

/** A CaseError as problem details; anything else is thrown on. */
function refusal(c: Context, error: unknown): Response {
  if (!(error instanceof CaseError)) throw error;
  return refusalProblem(c, error);
}

// ---------------------------------------------------------------------------------------------------

export const referralsApi: Feature = (app, deps, policies) => {
  const v = deps.rules.vocabularies;
  const ConsentBody = z
    .object({
      organizationId: z
        .string()
        .uuid()
        .openapi({ description: 'The organisation the consent lets see data' }),
      purpose: z.enum(codesOf(v, 'consentPurposes')),
      categories: z.array(z.enum(CONSENT_CATEGORIES)).min(1).max(CONSENT_CATEGORIES.length),
      method: z.enum(['written', 'verbal']),
      witness: z
        .string()
        .max(200)
        .nullable()
        .optional()
        .openapi({ description: 'Who heard the young person agree: required for verbal consent' }),
      startsOn: isoDate.nullable().optional().openapi({ description: 'Default: today (Minnesota time)' }),
      expiresOn: isoDate.nullable().optional().openapi({
        description: 'The first day it no longer applies. Default and longest: one year after it starts',
      }),
    })
    .strict()
    .openapi('ConsentInput');

  const ReferralBody = z
    .object({
      toOrganizationId: z.string().uuid(),
      serviceType: z.enum(codesOf(v, 'services')),
      shareIdentifying: z.boolean().openapi({
        description:
          'Share identifying details: needs an active consent naming this organisation and covering identity (409 otherwise)',
      }),
      message: z.string().max(2000).nullable().optional().openapi({
        description:
          'Encrypted. A de-identified referral’s message is shown to the organisation: write no name, contact or other identifying details in it.',
      }),
      send: z.boolean().optional().openapi({ description: 'Send at once (default: keep as a draft)' }),
    })
    .strict()
    .openapi('ReferralInput');

  const TransitionBody = z
    .object({
      to: statusEnum,
      reason: z.string().max(100).nullable().optional().openapi({
        description:
          'A code: declined (required, the pack’s decline reasons), completed (required outcome), closed (required), withdrawn (optional)',
      }),
    })
    .strict()
    .openapi('ReferralTransition');

  const jsonBody = <T extends z.ZodType>(schema: T) => ({
    required: true,
    content: { 'application/json': { schema } },
  });

  // Consents ----------------------------------------------------------------------------------------

  const listConsentsRoute = createRoute({
    method: 'get',
    path: '/api/v1/cases/{id}/consents',
    tags: ['Consents'],
    summary: 'The consents of a case (audited)',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'cases.read')],
    request: { params: idParam },
    responses: {
      200: {
        description: 'The consents, newest first',
        content: { 'application/json': { schema: z.object({ consents: z.array(ConsentSchema) }) } },
      },
      ...COMMON_ERRORS,
    },
  });
  policies.declare('GET', '/api/v1/cases/:id/consents', staffAction('cases.read'));
  app.openapi(listConsentsRoute, async (c) => {
    try {
      const r = await listConsents(caseContext(deps), callerOf(c), c.req.valid('param').id, requestOrigin(c));
      return c.json({ consents: r.consents.map(consentJson) }, 200);
    } catch (error) {
      return refusal(c, error) as never;
    }
  });

  const recordConsentRoute = createRoute({
    method: 'post',
    path: '/api/v1/cases/{id}/consents',
    tags: ['Consents'],
    summary:
      'Record a young person’s consent to share with an organisation (for a purpose, some categories, until an end date: one year at most)',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'cases.write')],
    request: { params: idParam, body: jsonBody(ConsentBody) },
    responses: {
      201: { description: 'The consent', content: { 'application/json': { schema: ConsentSchema } } },
      400: problemResponse('A field is not valid (named in `field`)'),
      409: problemResponse('The case is closed'),
      ...COMMON_ERRORS,
    },
  });
  policies.declare('POST', '/api/v1/cases/:id/consents', staffAction('cases.write'));
  app.openapi(recordConsentRoute, async (c) => {
    try {
      const body = c.req.valid('json');
      const consent = await recordConsent(
        caseContext(deps),
        callerOf(c),
        c.req.valid('param').id,
        body,
        requestOrigin(c),
      );
      return c.json(consentJson(consent), 201);
    } catch (error) {
      return refusal(c, error) as never;
    }
  });

  const revokeRoute = createRoute({
    method: 'post',
    path: '/api/v1/consents/{id}/revoke',
    tags: ['Consents'],
    summary: 'Revoke a consent: from now on no referral shows the organisation what it covered',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'cases.write')],
    request: { params: idParam },
    responses: {
      200: { description: 'The revoked consent', content: { 'application/json': { schema: ConsentSchema } } },
      409: problemResponse('Already revoked'),
      ...COMMON_ERRORS,
    },
  });
  policies.declare('POST', '/api/v1/consents/:id/revoke', staffAction('cases.write'));
  app.openapi(revokeRoute, async (c) => {
    try {
      const consent = await revokeConsent(
        caseContext(deps),
        callerOf(c),
        c.req.valid('param').id,
        requestOrigin(c),
      );
      return c.json(consentJson(consent), 200);
    } catch (error) {
      return refusal(c, error) as never;
    }
  });

  // Referrals of a case -----------------------------------------------------------------------------

  const CaseReferralSchema = SummarySchema.extend({
    sharing: SharingEnum,
    allowedTransitions: z.array(statusEnum),
  }).openapi('CaseReferral');

  const listCaseRoute = createRoute({
    method: 'get',
    path: '/api/v1/cases/{id}/referrals',
    tags: ['Referrals'],
    summary: 'The referrals of a case, with what each shows its organisation today (audited)',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'cases.read')],
    request: { params: idParam },
    responses: {
      200: {
        description: 'The referrals, newest first',
        content: { 'application/json': { schema: z.object({ referrals: z.array(CaseReferralSchema) }) } },
      },
      ...COMMON_ERRORS,
    },
  });
  policies.declare('GET', '/api/v1/cases/:id/referrals', staffAction('cases.read'));
  app.openapi(listCaseRoute, async (c) => {
    try {
      const r = await listCaseReferrals(
        caseContext(deps),
        callerOf(c),
        c.req.valid('param').id,
        requestOrigin(c),
      );
      return c.json(
        {
          referrals: r.referrals.map((x) => ({
            ...summaryJson(x),
            sharing: x.sharing,
            allowedTransitions: x.allowedTransitions,
          })),
        },
        200,
      );
    } catch (error) {
      return refusal(c, error) as never;
    }
  });

  const createRoute_ = createRoute({
    method: 'post',
    path: '/api/v1/cases/{id}/referrals',
    tags: ['Referrals'],
    summary: 'Refer a young person to an organisation (a draft, or sent with `send: true`)',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'cases.write')],
    request: { params: idParam, body: jsonBody(ReferralBody) },
    responses: {
      201: { description: 'The referral', content: { 'application/json': { schema: ChangedSchema } } },
      400: problemResponse('A field is not valid (named in `field`)'),
      409: problemResponse(
        '`shareIdentifying: true` without an active consent covering the organisation (field `shareIdentifying`), or the case is closed',
      ),
      ...COMMON_ERRORS,
    },
  });
  policies.declare('POST', '/api/v1/cases/:id/referrals', staffAction('cases.write'));
  app.openapi(createRoute_, async (c) => {
    try {
      const created = await createReferral(
        referralContext(deps),
        callerOf(c),
        c.req.valid('param').id,
        c.req.valid('json'),
        requestOrigin(c),
      );
      return c.json({ ...summaryJson(created), allowedTransitions: created.allowedTransitions }, 201);
    } catch (error) {
      return refusal(c, error) as never;
    }
  });

  // Referrals -----------------------------------------------------------------------------------------

  const inboxRoute = createRoute({
    method: 'get',
    path: '/api/v1/referrals',
    tags: ['Referrals'],
    summary:
      'Referrals received by the caller’s organisation (`box=received`, never drafts) or sent from the caller’s regions (`box=sent`). No personal data.',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'referrals.respond', ['referrals.respond', 'cases.read'])],
    request: {
      query: z.object({
        box: z.enum(['received', 'sent']).default('received'),
        view: z.enum(Object.keys(LIST_VIEWS) as [ReferralListView, ...ReferralListView[]]).default('open'),
        limit: z.coerce.number().int().min(1).max(REFERRAL_LIST_LIMIT).default(REFERRAL_LIST_LIMIT),
      }),
    },
    responses: {
      200: {
        description: 'The referrals, longest waiting first',
        content: { 'application/json': { schema: z.object({ referrals: z.array(SummarySchema) }) } },
      },
      401: COMMON_ERRORS[401],
      403: COMMON_ERRORS[403],
    },
  });
  policies.declare('GET', '/api/v1/referrals', staffAction('referrals.respond'));
  app.openapi(inboxRoute, async (c) => {
    const q = c.req.valid('query');
    const list = await listReferrals(caseContext(deps), callerOf(c), q);
    return c.json({ referrals: list.map(summaryJson) }, 200);
  });

  const oneRoute = createRoute({
    method: 'get',
    path: '/api/v1/referrals/{id}',
    tags: ['Referrals'],
    summary:
      'One referral. The receiving organisation gets identifying details only while an active consent covers them, and only its categories (audited).',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'referrals.respond', ['referrals.respond', 'cases.read'])],
    request: { params: idParam },
    responses: {
      200: { description: 'The referral', content: { 'application/json': { schema: ViewSchema } } },
      ...COMMON_ERRORS,
    },
  });
  policies.declare('GET', '/api/v1/referrals/:id', staffAction('referrals.respond'));
  app.openapi(oneRoute, async (c) => {
    try {
      const view = await openReferral(
        referralContext(deps),
        callerOf(c),
        c.req.valid('param').id,
        requestOrigin(c),
      );
      return c.json(viewJson(view), 200);
    } catch (error) {
      return refusal(c, error) as never;
    }
  });

  const transitionRoute = createRoute({
    method: 'post',
    path: '/api/v1/referrals/{id}/transitions',
    tags: ['Referrals'],
    summary:
      'Move a referral one step: sent, withdrawn, no_response (the sending region); accepted, declined, in_service, completed, closed (the receiving organisation)',
    security: [{ bearer: [] }],
    middleware: [caller(deps, 'referrals.respond', ['referrals.respond', 'cases.write'])],
    request: { params: idParam, body: jsonBody(TransitionBody) },
    responses: {
      200: {
        description: 'The referral after the step',
        content: { 'application/json': { schema: ChangedSchema } },
      },
      400: problemResponse('A missing or unknown reason (field `reason`)'),
      409: problemResponse('The step is not allowed from the referral’s status'),
      ...COMMON_ERRORS,
    },
  });
  policies.declare('POST', '/api/v1/referrals/:id/transitions', staffAction('referrals.respond'));
  app.openapi(transitionRoute, async (c) => {
    try {
      const body = c.req.valid('json');
      const changed = await transitionReferral(
        referralContext(deps),
        callerOf(c),
        c.req.valid('param').id,
        { to: body.to as ReferralStatus, reason: body.reason ?? null },
        requestOrigin(c),
      );
      return c.json({ ...summaryJson(changed), allowedTransitions: changed.allowedTransitions }, 200);
    } catch (error) {
      return refusal(c, error) as never;
    }
  });
};
