/**
 * Tasks over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff session):
 * `GET /api/v1/tasks?due=overdue|today|upcoming|all&scope=mine|region[&region=<id>]`. The same policies
 * as the pages (`cases.read`; navigators see their regions' tasks, state administrators every region's),
 * and the same audited read of the titles.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { problemResponse } from '../../platform/problem.ts';
import { callerOf, jsonAnswer, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { TaskListQuery, TaskSchema } from './schema.ts';
import { coordinationContext, dueState, listTasks } from './service.ts';

const listRoute = staffRoute({
  method: 'get',
  path: '/api/v1/tasks',
  tags: ['Case coordination'],
  summary:
    'Open tasks the caller may see, soonest due first (navigators: their regions; state administrators: all). Titles are decrypted, so each call is recorded in the audit log.',
  forbidden: 'The role or token may not see cases',
  request: { query: TaskListQuery },
  responses: {
    200: jsonAnswer('The tasks', z.object({ tasks: z.array(TaskSchema) })),
    400: problemResponse('A query parameter is not valid (the field is named)'),
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
