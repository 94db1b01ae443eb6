/**
 * Keeping the evaluation's reporting facts up to date: the `evaluation-facts` job writes again, every
 * minute, the facts of every case whose timeline grew since (a trigger puts it in `report_stale`), in
 * batches until none waits; and `rebuildAllFacts` (`nwd report refresh-facts`) writes every case's facts
 * again, for instance after the facts' rules changed.
 */
import { sql } from 'kysely';
import type { RecurringJob } from '../../platform/jobs/index.ts';
import { refreshStaleFacts, type FactsContext } from './facts.ts';

/** Cases written per call of `refreshStaleFacts` (each in its own transaction). */
export const FACTS_BATCH = 200;

/**
 * Writes the facts of every case waiting, `batch` at a time, until none waits. Returns how many.
 *
 * @example
 * await drainStaleFacts(ctx) // 12
 */
export async function drainStaleFacts(ctx: FactsContext, batch = FACTS_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await refreshStaleFacts(ctx, batch);
    total += done;
    if (done < batch) return total;
  }
}

/**
 * Puts every case whose data still exists in `report_stale` and writes their facts again. Returns how
 * many cases were written (a purged case keeps its facts as they are).
 */
export async function rebuildAllFacts(ctx: FactsContext, batch = FACTS_BATCH): Promise<number> {
  await sql`insert into report_stale (case_id) select id from cases where purged_at is null
    on conflict (case_id) do nothing`.execute(ctx.db);
  return drainStaleFacts(ctx, batch);
}

/** The background job that writes the facts of changed cases, every minute (quick when none changed). */
export const evaluationFactsJob = (ctx: FactsContext): RecurringJob => ({
  name: 'evaluation-facts',
  cron: '* * * * *',
  run: async () => {
    const written = await drainStaleFacts(ctx);
    if (written) ctx.log?.info({ cases: written }, 'reporting facts written');
    return written;
  },
});
