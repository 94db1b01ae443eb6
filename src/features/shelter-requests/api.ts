/**
 * Shelter requests over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff
 * session):
 *
 * - `POST /api/v1/housing/requests` — a navigator of the case's region (`cases.write`) sends one
 *   de-identified request (age band, gender, needs, county, how soon; never free text) to every program
 *   that fits. Answers 201 with its id and how many programs it went to.
 * - `POST /api/v1/housing/requests/{id}/offers` — the program's organization (`housing.manage`) answers:
 *   `offer` holds one of its beds for the request's hold time, `decline` gives a reason.
 * - `GET /api/v1/housing/requests/{id}` — the request and its answers (a provider sees only its own).
 * - `POST /api/v1/housing/requests/{id}/confirm` — the navigator confirms one offer: the placement starts
 *   and the referral is made. `POST /api/v1/housing/requests/{id}/close` — closed without a bed, with why.
 * - `POST /api/v1/cases/{id}/placements` — a stay recorded by hand; `POST /api/v1/placements/{id}/end` —
 *   a stay ended, with why and where the young person went.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import {
  callerOf,
  isoOrNull,
  jsonAnswer,
  jsonBody,
  recordRequest,
  recordRoute,
  staffRoute,
} from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { answerRequest, closeRequest, confirmOffer } from './offers.ts';
import { endPlacement, recordPlacement } from './placements.ts';
import {
  AnswerInput,
  CloseRequestInput,
  ConfirmInput,
  EndPlacementInput,
  PlacementInput,
  RequestInput,
} from './schema.ts';
import { requestDetail, sendRequest, shelterContext, type RequestView } from './service.ts';

const SendBody = RequestInput.extend({ caseId: z.string().uuid('Give the case’s id.') });

const sendRoute = staffRoute({
  method: 'post',
  path: '/api/v1/housing/requests',
  tags: ['Housing'],
  summary:
    'Ask every housing program that fits for a bed: one de-identified request (age band, gender, needs, county, how soon), never free text.',
  forbidden: 'The role or token may not ask for a bed',
  request: { body: jsonBody(SendBody) },
  responses: {
    201: jsonAnswer(
      'The request, and how many programs it went to',
      z.object({ id: z.string().uuid(), programs: z.number().int() }),
    ),
    400: problemResponse('The body is not valid (the field is named)'),
    404: problemResponse('No such case in the caller’s regions'),
    409: problemResponse('The case is closed'),
  },
});

const answerRoute = recordRoute({
  method: 'post',
  path: '/api/v1/housing/requests/{id}/offers',
  tags: ['Housing'],
  summary:
    'Answer a shelter request for a program of the caller’s organization: offer (a bed is held for the request’s hold time) or decline with a reason.',
  request: { body: jsonBody(AnswerInput) },
  responses: {
    200: jsonAnswer(
      'The answer, and until when a bed is held',
      z.object({ status: z.enum(['holding', 'declined']), heldUntil: z.string().nullable() }),
    ),
    400: problemResponse('The body is not valid (the field is named)'),
    409: problemResponse('Already answered, the request is closed, or no bed is free'),
  },
});

const OfferJson = z.object({
  id: z.string().uuid(),
  programId: z.string().uuid(),
  programName: z.string(),
  organizationName: z.string(),
  status: z.enum(['waiting', 'holding', 'declined', 'confirmed', 'released', 'expired']),
  declineReason: z.string().nullable(),
  heldUntil: z.string().nullable(),
  holding: z.boolean(),
  answeredAt: z.string().nullable(),
});

const RequestJson = z.object({
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  regionId: z.string(),
  county: z.string(),
  ageBand: z.string(),
  gender: z.string(),
  needs: z.array(z.string()),
  urgency: z.enum(['tonight', 'this_week']),
  holdMinutes: z.number().int(),
  status: z.enum(['open', 'placed', 'withdrawn']),
  closeReason: z.string().nullable(),
  escalated: z.boolean(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  referralId: z.string().uuid().nullable(),
  offers: z.array(OfferJson),
});

const requestJson = (r: RequestView): z.infer<typeof RequestJson> => ({
  id: r.id,
  caseId: r.caseId,
  regionId: r.regionId,
  county: r.countyFips,
  ageBand: r.ageBand,
  gender: r.gender,
  needs: r.needs,
  urgency: r.urgency,
  holdMinutes: r.holdMinutes,
  status: r.status,
  closeReason: r.closeReason,
  escalated: r.escalated,
  createdAt: r.createdAt.toISOString(),
  closedAt: isoOrNull(r.closedAt),
  referralId: r.referralId,
  offers: r.offers.map((o) => ({
    id: o.id,
    programId: o.programId,
    programName: o.programName,
    organizationName: o.organizationName,
    status: o.status,
    declineReason: o.declineReason,
    heldUntil: isoOrNull(o.heldUntil),
    holding: o.holding,
    answeredAt: isoOrNull(o.answeredAt),
  })),
});

const readRoute = recordRoute({
  method: 'get',
  path: '/api/v1/housing/requests/{id}',
  tags: ['Housing'],
  summary:
    'A shelter request and the answers of the programs asked (to a provider: only its own programs’ answers, while the request is open).',
  responses: { 200: jsonAnswer('The request', RequestJson) },
});

const confirmRoute = recordRoute({
  method: 'post',
  path: '/api/v1/housing/requests/{id}/confirm',
  tags: ['Housing'],
  summary:
    'Confirm one program’s offer: the other programs are released, the placement starts on the case, and the referral is made (who the young person is only under an active consent).',
  request: { body: jsonBody(ConfirmInput) },
  responses: {
    200: jsonAnswer(
      'The placement, and the referral (or why none was made)',
      z.object({
        placementId: z.string().uuid(),
        referralId: z.string().uuid().nullable(),
        sharedIdentifying: z.boolean(),
        referralProblem: z.string().nullable(),
      }),
    ),
    400: problemResponse('The body is not valid (the field is named)'),
    409: problemResponse('The request is closed or already has a bed, or the offered bed is no longer free'),
  },
});

const closeRoute = recordRoute({
  method: 'post',
  path: '/api/v1/housing/requests/{id}/close',
  tags: ['Housing'],
  summary:
    'Close an open request without a bed (no bed found, found another way, no longer needed): the programs still asked are told and any held bed goes back.',
  request: { body: jsonBody(CloseRequestInput) },
  responses: {
    200: jsonAnswer('How many programs were released', z.object({ released: z.number().int() })),
    400: problemResponse('The body is not valid (the field is named)'),
    409: problemResponse('The request is already closed or has a bed'),
  },
});

const stayRoute = recordRoute({
  method: 'post',
  path: '/api/v1/cases/{id}/placements',
  tags: ['Housing'],
  summary:
    'Record a stay at a housing program that did not come from a shelter request: the program and the day it began (today or earlier).',
  request: { body: jsonBody(PlacementInput) },
  responses: {
    201: jsonAnswer('The placement', z.object({ id: z.string().uuid() })),
    400: problemResponse('The body is not valid (the field is named)'),
    409: problemResponse('The case is closed'),
  },
});

const endRoute = recordRoute({
  method: 'post',
  path: '/api/v1/placements/{id}/end',
  tags: ['Housing'],
  summary: 'End a stay: why it ended and where the young person went (the exit-housing list).',
  request: { body: jsonBody(EndPlacementInput) },
  responses: {
    200: jsonAnswer('The case of the placement', z.object({ caseId: z.string().uuid() })),
    400: problemResponse('The body is not valid (the field is named)'),
    409: problemResponse('The placement has already ended'),
  },
});

export const shelterRequestsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.api(sendRoute, staffAction('cases.write'), async (c) => {
    const { caseId, ...input } = c.req.valid('json');
    const sent = await sendRequest(shelterContext(deps), callerOf(c), caseId, input, requestOrigin(c));
    return c.json(sent, 201);
  });
  r.api(answerRoute, staffAction('housing.manage'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const answer = await answerRequest(shelterContext(deps), actor, id, c.req.valid('json'), origin);
    return c.json(
      { status: answer.status, heldUntil: answer.heldUntil ? answer.heldUntil.toISOString() : null },
      200,
    );
  });
  r.api(readRoute, staffAction('cases.read', 'housing.manage'), async (c) => {
    const { actor, id } = recordRequest(c);
    return c.json(requestJson(await requestDetail(shelterContext(deps), actor, id)), 200);
  });
  r.api(confirmRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    return c.json(await confirmOffer(shelterContext(deps), actor, id, c.req.valid('json'), origin), 200);
  });
  r.api(closeRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const { released } = await closeRequest(shelterContext(deps), actor, id, c.req.valid('json'), origin);
    return c.json({ released }, 200);
  });
  r.api(stayRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const { placementId } = await recordPlacement(
      shelterContext(deps),
      actor,
      id,
      c.req.valid('json'),
      origin,
    );
    return c.json({ id: placementId }, 201);
  });
  r.api(endRoute, staffAction('cases.write'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    return c.json(await endPlacement(shelterContext(deps), actor, id, c.req.valid('json'), origin), 200);
  });
};
