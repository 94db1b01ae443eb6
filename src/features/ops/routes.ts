/**
 * Probes for load balancers and orchestrators. `/healthz`: the process answers. `/readyz`: it can
 * reach its database (an answer within 2 s) and has its reference data loaded; a draining instance, or
 * one whose database is away, answers 503.
 */
import { sql } from 'kysely';
import type { Feature } from '../../app-types.ts';
import { PROBE } from '../../platform/policy.ts';

const READY_WITHIN_MS = 2_000;

export const opsRoutes: Feature = (app, deps, policies) => {
  policies.declare('GET', '/healthz', PROBE);
  policies.declare('GET', '/readyz', PROBE);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.lifecycle.draining) return c.json({ status: 'draining' }, 503);
    try {
      deps.geography.get();
      // A database that accepts connections but does not answer must not hold the probe.
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        sql`select 1`.execute(deps.db).then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_WITHIN_MS))),
      ]).finally(() => clearTimeout(timer));
      if (!answered) return c.json({ status: 'unavailable' }, 503);
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });
};
