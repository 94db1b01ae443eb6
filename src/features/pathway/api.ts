/**
 * `POST /api/v1/pathway`: what is happening and what the law asks, for the facts a person knows.
 * No sign-in; nothing is stored or logged (the access log holds the route pattern only).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { router } from '../../web/route.ts';
import { jsonBodyLimit, problem, readJsonBody } from '../../platform/problem.ts';
import { NavigatorLookupSchema } from '../help/index.ts';
import { problemResponse } from '../../platform/problem.ts';
import { pathwayInputSchema } from './engine.ts';
import { answerPathway, parsePathwayInput } from './index.ts';
import { ACTION_CODES } from './types.ts';

const MAX_BODY_BYTES = 16 * 1024;

const indication = z.enum(['indicated', 'possible', 'not_indicated']);
const phone = z.object({ dial: z.string(), display: z.string() });

export const PathwayAnswerSchema = z
  .object({
    classification: z.object({
      sexTrafficking: indication,
      commercialSexualExploitation: indication,
      laborTrafficking: indication,
      atRisk: z.boolean(),
      minor: z.boolean().nullable().openapi({ description: 'Null when neither age nor age band was given.' }),
    }),
    notices: z
      .array(
        z.object({ code: z.enum(['unknown_age', 'exchange_reconciled', 'recruitment']), text: z.string() }),
      )
      .openapi({ description: 'How the answers were read, to show once before the actions.' }),
    actions: z.array(
      z.object({
        code: z.enum(ACTION_CODES),
        required: z.boolean().openapi({ description: 'True when the law requires it of the person asking.' }),
        deadlineHours: z.number().int().optional().openapi({ description: '0 means immediately.' }),
        deadlineFrom: z.literal('oral_report').optional().openapi({
          description: 'The deadline counts from the oral report the person made.',
        }),
        deadlineBusinessDays: z.boolean().optional().openapi({
          description: 'True when the hours count business days only (weekends and holidays excluded).',
        }),
        binds: z.enum(['reporter', 'child_protection', 'official', 'anyone']),
        title: z.string(),
        explanation: z.string(),
        basis: z.array(z.object({ citation: z.string(), source: z.string() })),
        contacts: z
          .array(
            z.object({
              id: z.string(),
              name: z.string(),
              phone: phone.optional(),
              text: phone.optional(),
              url: z.string().optional(),
              note: z.string().optional(),
              verified: z.boolean(),
            }),
          )
          .optional(),
      }),
    ),
    navigator: NavigatorLookupSchema.optional(),
    rulesVersion: z.string(),
  })
  .openapi('PathwayAnswer');

/** The route as documented, with the risk-factor codes of the loaded rules. */
export const pathwayRoute = (riskFactorCodes: readonly string[]) =>
  createRoute({
    method: 'post',
    path: '/api/v1/pathway',
    tags: ['Identification'],
    summary: 'Classify a situation and list the legal pathway',
    description:
      'From the facts a person knows, answers what is happening in Minnesota’s terms (sex trafficking, commercial sexual exploitation, labor trafficking, risk) ' +
      'and the actions that apply: who they bind, whether they are required of the person asking, the deadline, the legal basis and whom to contact. ' +
      'An unknown age is treated as a minor for every duty. No sign-in; nothing is stored. Unknown fields, wrong types and unknown codes are refused.',
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: pathwayInputSchema(riskFactorCodes).openapi('PathwayFacts'),
          },
        },
      },
    },
    responses: {
      200: { description: 'The pathway', content: { 'application/json': { schema: PathwayAnswerSchema } } },
      400: problemResponse('The body is not valid: the problem names the field'),
      413: problemResponse('The body is too large'),
    },
  });

export const pathwayApi: Feature = (app, deps, policies) => {
  const route = pathwayRoute(deps.rules.pathway.riskFactors.map((f) => f.code));
  // Documented from the route; validated by parsePathwayInput so every problem names its field.
  app.openAPIRegistry.registerPath(route);
  router(app, deps, policies).open('post', route.path, PUBLIC, jsonBodyLimit(MAX_BODY_BYTES), async (c) => {
    const body = await readJsonBody(c, 'the facts');
    if (body instanceof Response) return body;
    const geo = deps.geography.get();
    const parsed = parsePathwayInput(body.json, deps.rules.pathway, new Date(), geo);
    if (!parsed.ok)
      return problem(c, {
        title: 'The request is not valid',
        status: 400,
        field: parsed.field,
        detail: parsed.detail,
        ...(parsed.suggestions ? { suggestions: parsed.suggestions } : {}),
      });
    return c.json(answerPathway(geo, deps.rules.pathway, parsed.facts));
  });
};
