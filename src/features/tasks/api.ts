/**
 * Tasks over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff session):
 * `GET /api/v1/tasks?due=overdue|today|upcoming|all&scope=mine|region[&region=<id>]`. The same policies
 * as the pages (`cases.read`; navigators see their regions' tasks, state administrators every region's),
 * and the same audited read of the titles.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import {
  DUE_VIEWS,
  TASK_LIST_LIMIT,
  TASK_SCOPES,
  coordinationContext,
  dueState,
  listTasks,
} from './service.ts';

const Person = z.object({ userId: z.string(), name: z.string() }).nullable();

const TaskSchema = z
  .object({
    id: z.string().uuid(),
    caseId: z.string().uuid().nullable(),
    regionId: z.string(),
    regionName: z.string(),
    title: z.string().openapi({ description: 'Decrypted: may hold personal data' }),
    source: z.enum(['pathway', 'referral', 'manual', 'intake', 'transfer']),
    sourceRef: z
      .string()
      .nullable()
      .openapi({ description: 'The pathway action code, referral id or transfer id' }),
    dueAt: z.string().openapi({ format: 'date-time' }),
    state: z.enum(['overdue', 'today', 'upcoming', 'done']),
    assignee: Person,
    createdAt: z.string().openapi({ format: 'date-time' }),
    link: z.string().openapi({ description: 'The staff page of the task' }),
  })
  .openapi('Task');

const ListQuery = z.object({
  due: z
    .enum(DUE_VIEWS)
    .default('all')
    .openapi({ description: 'Which open tasks: by due time in Minnesota time' }),
  scope: z.enum(TASK_SCOPES).default('mine').openapi({
    description: 'mine: assigned to the caller; region: every open task of the caller’s regions',
  }),
  region: z.string().max(64).optional().openapi({ description: 'One of the caller’s regions' }),
  limit: z.coerce.number().int().min(1).max(TASK_LIST_LIMIT).default(TASK_LIST_LIMIT),
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/tasks',
  tags: ['Case coordination'],
  summary:
    'Open tasks the caller may see, soonest due first (navigators: their regions; state administrators: all). Titles are decrypted, so each call is recorded in the audit log.',
  security: [{ bearer: [] }],
  request: { query: ListQuery },
  responses: {
    200: {
      description: 'The tasks',
      content: { 'application/json': { schema: z.object({ tasks: z.array(TaskSchema) }) } },
    },
    400: problemResponse('A query parameter is not valid (the field is named)'),
    401: problemResponse('No valid token or session'),
    403: problemResponse('The role or token may not see cases'),
  },
});

export const tasksApi: Feature = (app, deps, policies) => {
  router(app, deps, policies).api(listRoute, staffAction('cases.read'), async (c) => {
    const q = c.req.valid('query');
    const now = new Date();
    const tasks = await listTasks(
      { ...coordinationContext(deps), now: () => now },
      callerOf(c),
      { due: q.due, scope: q.scope, limit: q.limit, ...(q.region ? { regionId: q.region } : {}) },
      requestOrigin(c),
    );
    return c.json(
      {
        tasks: tasks.map((t) => ({
          id: t.id,
          caseId: t.caseId,
          regionId: t.regionId,
          regionName: t.regionName,
          title: t.title,
          source: t.source,
          sourceRef: t.sourceRef,
          dueAt: t.dueAt.toISOString(),
          state: dueState(deps.rules.calendar, t, now),
          assignee: t.assignee ? { userId: t.assignee.id, name: t.assignee.name } : null,
          createdAt: t.createdAt.toISOString(),
          link: t.link,
        })),
      },
      200,
    );
  });
};
