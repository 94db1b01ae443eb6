/**
 * Shelter requests over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff
 * session):
 *
 * - `POST /api/v1/housing/requests` — a navigator of the case's region (`cases.write`) sends one
 *   de-identified request (age band, gender, needs, county, how soon; never free text) to every program
 *   that fits. Answers 201 with its id and how many programs it went to.
 * - `POST /api/v1/housing/requests/{id}/offers` — the program's organization (`housing.manage`) answers:
 *   `offer` holds one of its beds for the request's hold time, `decline` gives a reason.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, jsonBody, recordRequest, recordRoute, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { answerRequest } from './offers.ts';
import { AnswerInput, RequestInput } from './schema.ts';
import { sendRequest, shelterContext } from './service.ts';

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
};
