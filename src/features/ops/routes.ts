/**
 * Probes for load balancers and orchestrators. `/healthz`: the process answers. `/readyz`: it can
 * reach its database and has its reference data loaded; a draining instance, or one whose database is
 * away, answers 503.
 */
import type { Feature } from '../../app-types.ts';
import { PROBE } from '../../platform/policy.ts';
import { router } from '../../web/route.ts';
import { readiness } from './service.ts';

export const opsRoutes: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  r.open('get', '/healthz', PROBE, (c) => c.json({ status: 'ok' }));
  r.open('get', '/readyz', PROBE, async (c) => {
    const status = await readiness(deps);
    return c.json({ status }, status === 'ready' ? 200 : 503);
  });
};
