/**
 * The navigator queue over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a
 * staff session): the list an actor may see, and one item, opened and audited exactly as the page opens
 * it. The same policies as the pages: another region's item answers 404, like a missing one.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, idParam, isoOrNull, jsonAnswer, recordRequest, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { IntakePayloadSchema } from '../intake/index.ts';
import { OUTCOMES, type OutcomeCode } from './rules.ts';
import { ListQuery } from './schema.ts';
import { listQueue, openItem, type QueueItemSummary } from './service.ts';

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
      outcome: z.enum(Object.keys(OUTCOMES) as [OutcomeCode, ...OutcomeCode[]]),
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

const listRoute = staffRoute({
  method: 'get',
  path: '/api/v1/intake',
  tags: ['Navigator queue'],
  summary:
    'Referrals and self-referrals the caller may see (navigators: their regions; state administrators: all). No personal data beyond age and county.',
  forbidden: 'The role or token may not see the queue',
  request: { query: ListQuery },
  responses: {
    200: jsonAnswer(
      'The items, most urgent and longest waiting first (closed: newest first)',
      z.object({ items: z.array(ItemSummarySchema) }),
    ),
  },
});

const oneRoute = staffRoute({
  method: 'get',
  path: '/api/v1/intake/{id}',
  tags: ['Navigator queue'],
  summary: 'Open one item: its personal details, notes and history (recorded in the audit log)',
  forbidden: 'The role or token may not see the queue',
  request: { params: idParam },
  responses: {
    200: jsonAnswer('The item', ItemDetailSchema),
    404: problemResponse('No such item, or not in the caller’s regions'),
  },
});

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
    claimedAt: isoOrNull(item.claimedAt),
    outcome: item.outcome,
    escalationLevel: item.escalationLevel,
    createdAt: item.createdAt.toISOString(),
    closedAt: isoOrNull(item.closedAt),
  };
}

export const queueApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = { db: deps.db, keyring: deps.keyring };
  const read = staffAction('intake.read');

  r.api(listRoute, read, async (c) => {
    const items = await listQueue(ctx, callerOf(c), c.req.valid('query'));
    return c.json({ items: items.map(summaryJson) }, 200);
  });

  r.api(oneRoute, read, async (c) => {
    const { actor, id, origin } = recordRequest(c);
    const item = await openItem(ctx, actor, id, origin);
    return c.json(
      {
        ...summaryJson(item),
        payload: item.payload,
        notes: item.notes.map((n) => ({ ...n, at: n.at.toISOString() })),
        history: item.history.map((h) => ({ ...h, at: h.at.toISOString() })),
      },
      200,
    );
  });
};
