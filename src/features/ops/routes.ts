/**
 * Probes for load balancers and orchestrators. `/healthz`: the process answers. `/readyz`: it can
 * reach its database and has its reference data loaded; a draining instance answers 503.
 */
import { sql } from 'kysely';
import type { Feature } from '../../app-types.ts';
import { PROBE } from '../../platform/policy.ts';

export const opsRoutes: Feature = (app, deps, policies) => {
  policies.declare('GET', '/healthz', PROBE);
  policies.declare('GET', '/readyz', PROBE);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.lifecycle.draining) return c.json({ status: 'draining' }, 503);
    try {
      deps.geography.get();
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });
};
