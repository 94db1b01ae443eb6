/**
 * Marking notifications read, one or all, from any staff page that shows them; back to the queue for
 * those who use it, to the staff home page otherwise.
 */
import type { Context } from 'hono';
import type { Feature } from '../../app-types.ts';
import { SIGNED_IN } from '../../platform/policy.ts';
import type { Guarded } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { queueScope } from '../queue/service.ts';
import { markNotificationsRead } from './service.ts';
import type { Database } from '../../db/database.ts';

async function markRead(c: Context, db: Database, { actor }: Guarded, all: boolean): Promise<Response> {
  await markNotificationsRead(db, actor.userId, all ? null : (c.req.param('id') ?? ''));
  return c.redirect(queueScope(actor, 'intake.read') ? '/staff/queue?done=read' : '/staff', 303);
}

export const notificationPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.staff('post', '/staff/notifications/read', SIGNED_IN, (c, g) => markRead(c, deps.db, g, true));
  r.staff('post', '/staff/notifications/:id/read', SIGNED_IN, (c, g) => markRead(c, deps.db, g, false));
};
