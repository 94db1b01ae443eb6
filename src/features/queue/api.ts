/**
 * The navigator queue over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a
 * staff session): the list an actor may see, and one item, opened and audited exactly as the page opens
 * it. The same policies as the pages: another region's item answers 404, like a missing one.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { apiCaller, refusalProblem } from '../../web/api.ts';
import { requestOrigin } from '../../web/session.ts';
import { IntakePayloadSchema } from '../intake/payload.ts';
import {
  OUTCOMES,
  QUEUE_LIMIT,
  QUEUE_VIEWS,
  QueueError,
  listQueue,
  openItem,
  queueScope,
  type QueueItemSummary,
  type QueueView,
} from './service.ts';

const STATUSES = ['new', 'claimed', 'contacted', 'could_not_reach', 'closed'] as const;

const ItemSummarySchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(['professional_referral', 'consultation', 'self_referral']),
    regionId: z.string().nullable(),
    regionName: z.string().nullable(),
    countyFips: z.string().nullable(),
    countyName: z.string().nullable(),
    age: z.number().int().nullable(),
    ageBand: z.enum(['under18', '18to24', '25plus', 'unknown']),
    urgency: z.enum(['immediate', 'soon', 'routine']),
    status: z.enum(STATUSES),
    claimedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
    claimedAt: z.string().nullable(),
    outcome: z.string().nullable(),
    escalationLevel: z.number().int().min(0).max(2),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('IntakeItemSummary');

const ItemDetailSchema = ItemSummarySchema.extend({
  payload: IntakePayloadSchema,
  notes: z.array(
    z.object({
      at: z.string(),
      byUserId: z.string(),
      by: z.string(),
      status: z.enum(['contacted', 'could_not_reach', 'closed']),
      outcome: z.enum(Object.keys(OUTCOMES) as [keyof typeof OUTCOMES, ...(keyof typeof OUTCOMES)[]]),
      text: z.string(),
    }),
  ),
  history: z.array(
    z.object({
      at: z.string(),
      event: z.string(),
      byUserId: z.string().nullable(),
      by: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
}).openapi('IntakeItem');

const ListQuery = z.object({
  view: z.enum(Object.keys(QUEUE_VIEWS) as [QueueView, ...QueueView[]]).default('open'),
  region: z.string().max(64).optional(),
  urgency: z.enum(['immediate', 'soon', 'routine']).optional(),
  limit: z.coerce.number().int().min(1).max(QUEUE_LIMIT).default(QUEUE_LIMIT),
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/intake',
  tags: ['Navigator queue'],
  summary:
    'Referrals and self-referrals the caller may see (navigators: their regions; state administrators: all). No personal data beyond age and county.',
  security: [{ bearer: [] }],
  request: { query: ListQuery },
  responses: {
    200: {
      description: 'The items, most urgent and longest waiting first (closed: newest first)',
      content: { 'application/json': { schema: z.object({ items: z.array(ItemSummarySchema) }) } },
    },
    401: problemResponse('No valid token or session'),
    403: problemResponse('The role or token may not see the queue'),
  },
});

const oneRoute = createRoute({
  method: 'get',
  path: '/api/v1/intake/{id}',
  tags: ['Navigator queue'],
  summary: 'Open one item: its personal details, notes and history (recorded in the audit log)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .max(100)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'The item', content: { 'application/json': { schema: ItemDetailSchema } } },
    401: problemResponse('No valid token or session'),
    403: problemResponse('The role or token may not see the queue'),
    404: problemResponse('No such item, or not in the caller’s regions'),
  },
});

/** The caller when they may see the queue, or the 401/403 answer. */
const caller = (c: Context, deps: AppDeps) =>
  apiCaller(c, deps, 'intake.read', (actor) => queueScope(actor, 'intake.read') !== null);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summaryJson(item: QueueItemSummary) {
  return {
    id: item.id,
    kind: item.kind,
    regionId: item.regionId,
    regionName: item.regionName,
    countyFips: item.countyFips,
    countyName: item.countyName,
    age: item.age,
    ageBand: item.ageBand,
    urgency: item.urgency,
    status: item.status,
    claimedBy: item.claimedBy,
    claimedAt: iso(item.claimedAt),
    outcome: item.outcome,
    escalationLevel: item.escalationLevel,
    createdAt: item.createdAt.toISOString(),
    closedAt: iso(item.closedAt),
  };
}

export const queueApi: Feature = (app, deps, policies) => {
  const ctx = { db: deps.db, keyring: deps.keyring };

  policies.declare('GET', listRoute.path, staffAction('intake.read'));
  app.openapi(listRoute, async (c) => {
    const actor = await caller(c, deps);
    if (actor instanceof Response) return actor as never;
    const q = c.req.valid('query');
    const items = await listQueue(ctx, actor, q);
    return c.json({ items: items.map(summaryJson) }, 200);
  });

  policies.declare('GET', '/api/v1/intake/:id', staffAction('intake.read'));
  app.openapi(oneRoute, async (c) => {
    const actor = await caller(c, deps);
    if (actor instanceof Response) return actor as never;
    try {
      const item = await openItem(ctx, actor, c.req.valid('param').id, requestOrigin(c));
      return c.json(
        {
          ...summaryJson(item),
          payload: item.payload,
          notes: item.notes.map((n) => ({ ...n, at: n.at.toISOString() })),
          history: item.history.map((h) => ({ ...h, at: h.at.toISOString() })),
        },
        200,
      );
    } catch (error) {
      if (error instanceof QueueError && error.code === 'not_found') return refusalProblem(c, error) as never;
      throw error;
    }
  });
};
