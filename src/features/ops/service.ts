/**
 * Readiness: whether this instance should receive requests. It must be up (not draining), have its
 * reference data loaded, and reach its database within 2 s: a database that accepts connections but
 * does not answer must not hold the probe.
 */
import type { AppDeps } from '../../app-types.ts';
import { databaseAnswers } from './queries.ts';

const READY_WITHIN_MS = 2_000;

export type Readiness = 'ready' | 'draining' | 'unavailable';

export async function readiness(deps: AppDeps): Promise<Readiness> {
  if (deps.lifecycle.draining) return 'draining';
  try {
    deps.geography.get();
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      databaseAnswers(deps.db),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_WITHIN_MS))),
    ]).finally(() => clearTimeout(timer));
    return answered ? 'ready' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}
