/**
 * pg-boss in the test database: the escalation job is scheduled every minute, a run is handled by the
 * worker and escalates a long-unclaimed item, a failing run does not stop the worker, its connections
 * terminated under it crash nothing, and stop() ends cleanly before the application's pool closes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addStaff } from '../../../test/staff.ts';
import { DEFAULT_ESCALATION, ESCALATION_JOB, escalationJob } from '../../features/queue/jobs.ts';
import { addItem, minnesotaCalendar } from '../../features/queue/testing.ts';
import { startJobs, type JobRunner } from './index.ts';

let t: TestApp;
let runner: JobRunner | null = null;

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await runner?.stop();
  await t.close();
});

describe('background jobs on pg-boss', () => {
  it('schedules the escalation job every minute and escalates an item when it runs', async () => {
    await addStaff(t.deps, 'navigator', ['west-metro']);
    await addStaff(t.deps, 'state_admin');
    const id = await addItem(t.deps, { createdAt: new Date(Date.now() - 10 * 86_400_000) });
    const runs: number[] = [];
    const job = escalationJob(t.deps.db, {
      keyring: t.deps.keyring,
      site: t.deps.site,
      calendar: minnesotaCalendar(),
      settings: DEFAULT_ESCALATION,
      log: t.deps.log,
    });
    const started = performance.now();
    runner = await startJobs({
      url: t.database.url,
      log: t.deps.log,
      pollingIntervalSeconds: 0.5,
      jobs: [{ ...job, run: async (now) => (runs.push(now.getTime()), job.run()) }],
    });
    const startMs = performance.now() - started;
    expect(await runner.schedules()).toEqual([{ name: ESCALATION_JOB, cron: '* * * * *' }]);
    await runner.runNow(ESCALATION_JOB);
    const level = await until(async () => {
      const row = await t.deps.db
        .selectFrom('intake_items')
        .select('escalation_level')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.escalation_level === 2 ? row.escalation_level : undefined;
    });
    expect(level).toBe(2);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const notifications = await t.deps.db
      .selectFrom('staff_notifications')
      .select('user_id')
      .where('link', '=', `/staff/queue/${id}`)
      .execute();
    expect(notifications).toHaveLength(2);
    // pg-boss creates its schema on a fresh database: still well under the start-up budget.
    expect(startMs).toBeLessThan(10_000);
  }, 30_000);

  it('keeps working after a failing run, and stops cleanly', async () => {
    await runner?.stop();
    let calls = 0;
    runner = await startJobs({
      url: t.database.url,
      log: t.deps.log,
      pollingIntervalSeconds: 0.5,
      schedule: false,
      jobs: [
        {
          name: 'test-flaky',
          cron: '* * * * *',
          run: async () => {
            calls++;
            if (calls === 1) throw new Error('synthetic failure');
          },
        },
      ],
    });
    await runner.runNow('test-flaky');
    await until(async () => (calls >= 1 ? true : undefined));
    await runner.runNow('test-flaky');
    await until(async () => (calls >= 2 ? true : undefined));
    expect(t.logLines.some((l) => l.includes('job failed') && l.includes('synthetic failure'))).toBe(true);
    const stopped = performance.now();
    await runner.stop();
    expect(performance.now() - stopped).toBeLessThan(5_000);
    runner = null;
    // The application's pool is untouched.
    expect(await t.deps.db.selectFrom('intake_items').select('id').limit(1).execute()).toBeDefined();
  }, 30_000);

  it('lives through its connections being terminated, and runs jobs again afterwards', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    let calls = 0;
    try {
      runner = await startJobs({
        url: t.database.url,
        log: t.deps.log,
        pollingIntervalSeconds: 0.5,
        schedule: false,
        jobs: [{ name: 'test-terminated', cron: '* * * * *', run: async () => void calls++ }],
      });
      await runner.runNow('test-terminated');
      await until(async () => (calls >= 1 ? true : undefined));
      // Each round waits for pg-boss to have connected again, then terminates its connections.
      for (let round = 0; round < 5; round++) {
        const terminated = await until(async () => {
          // In the select list, not the WHERE clause: PostgreSQL may test the WHERE conditions in any order.
          const { rows } = await sql<{ terminated: boolean }>`
            select pg_terminate_backend(pid) as terminated from pg_stat_activity
            where application_name = 'nwd-jobs' and datname = current_database()`.execute(t.deps.db);
          return rows.length > 0 ? rows.length : undefined;
        });
        expect(terminated).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await until(async () =>
        (await runner?.runNow('test-terminated').catch(() => null)) ? true : undefined,
      );
      await until(async () => (calls >= 2 ? true : undefined));
      expect(uncaught).toEqual([]);
      expect(
        t.logLines.some((l) => l.includes('background jobs') && l.includes('terminating connection')),
      ).toBe(true);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  }, 30_000);
});
