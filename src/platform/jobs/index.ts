/**
 * Background jobs on `pg-boss`, in the service's own PostgreSQL (its tables live in the `pgboss`
 * schema, which pg-boss creates and migrates itself under an advisory lock). Every instance runs the
 * scheduler and a worker: pg-boss sends a recurring job once per minute across all instances, and the
 * queue policy `stately` keeps at most one run of a job queued and one running, so runs never overlap.
 *
 * A job's work must be safe to repeat (each run recomputes what is due from the database), because a
 * run that fails is not retried: the next scheduled run does the same work.
 */
import type { Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { Logger } from '../log.ts';

/** A job that runs on a schedule. */
export interface RecurringJob {
  /** Queue name: letters, digits, `-`, `_`, `.`, `/`. */
  name: string;
  /** A cron expression, in UTC (pg-boss checks schedules once a minute, so a minute is the finest). */
  cron: string;
  /** The work; it receives the time the run started. */
  run(now: Date): Promise<unknown>;
  /** Longest a run may take before pg-boss counts it as failed (default 5 minutes). */
  expireInSeconds?: number;
}

/**
 * Handles each item of a run in a transaction of its own, so that one that fails is logged (its id and
 * the error's message, never its data) and left for the next run without stopping the others.
 *
 * @example
 * await eachInTransaction(db, ids, (trx, id) => handleTask(trx, deps, id, now, report), {
 *   log, idKey: 'task', message: 'could not remind or escalate a task; will retry',
 * });
 */
export async function eachInTransaction(
  db: Database,
  ids: readonly string[],
  work: (trx: Transaction<DB>, id: string) => Promise<unknown>,
  failure: { log?: Logger; idKey: string; message: string },
): Promise<void> {
  for (const id of ids) {
    try {
      await db.transaction().execute((trx) => work(trx, id));
    } catch (error) {
      failure.log?.warn(
        { [failure.idKey]: id, err: error instanceof Error ? error.message : String(error) },
        failure.message,
      );
    }
  }
}

export interface JobsOptions {
  /** The PostgreSQL connection URL (the bundled server's or DATABASE_URL). */
  url: string;
  log: Logger;
  jobs: readonly RecurringJob[];
  /** Connections pg-boss may hold (default 2: its polling is light). */
  poolSize?: number;
  /** How often each worker asks for work (default 2 s; at least 0.5 s). */
  pollingIntervalSeconds?: number;
  /** The pg-boss schema (default `pgboss`). */
  schema?: string;
  /** Time given to a run in progress when stopping (default 10 s). */
  stopTimeoutMs?: number;
  /** Whether to install the schedules (default true; tests may run jobs only on demand). */
  schedule?: boolean;
}

export interface JobRunner {
  /** Queues a run of the job now (null when one is already queued). */
  runNow(name: string): Promise<string | null>;
  /** The installed schedules, for checks. */
  schedules(): Promise<{ name: string; cron: string }[]>;
  /** Stops taking work, lets a run in progress finish (up to the timeout), closes pg-boss's pool. */
  stop(): Promise<void>;
  /** The pg-boss instance underneath. */
  readonly boss: PgBoss;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Starts pg-boss and a worker for each job, and installs their schedules.
 *
 * @example
 * const jobs = await startJobs({ url, log, jobs: [{ name: 'intake-escalation', cron: '* * * * *', run }] });
 * await jobs.stop(); // on SIGTERM, before the application's pool closes
 */
export async function startJobs(options: JobsOptions): Promise<JobRunner> {
  const { log, jobs } = options;
  const boss = new PgBoss({
    connectionString: options.url,
    max: options.poolSize ?? 2,
    application_name: 'nwd-jobs',
    schema: options.schema ?? 'pgboss',
    schedule: options.schedule ?? true,
    supervise: true,
    migrate: true,
  });
  // pg-boss reports connection and maintenance problems as events; without a listener they would throw.
  // Its pool runs every query through `pool.query`, which listens on the checked-out connection for
  // the query's duration, and forwards an idle connection's error here: a terminated backend or a lost
  // server crashes nothing, and the pool connects again when the database is back (a test shows it).
  boss.on('error', (error) =>
    log.warn({ err: describe(error) }, 'background jobs: pg-boss reported an error'),
  );
  try {
    await boss.start();
  } catch (error) {
    throw new Error(
      `Could not start the background jobs: pg-boss keeps its queue in the schema "${options.schema ?? 'pgboss'}" ` +
        `of this database and must be able to create it (CREATE on the database). ${describe(error)}`,
      { cause: error },
    );
  }
  try {
    for (const job of jobs) {
      await boss.createQueue(job.name, {
        name: job.name,
        policy: 'stately',
        retryLimit: 0,
        expireInSeconds: job.expireInSeconds ?? 300,
      });
      await boss.work(
        job.name,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
        async () => {
          const started = new Date();
          try {
            const result = await job.run(started);
            log.debug({ job: job.name, ms: Date.now() - started.getTime(), result }, 'job done');
          } catch (error) {
            log.warn({ job: job.name, err: describe(error) }, 'job failed; the next scheduled run retries');
            throw error;
          }
        },
      );
      if (options.schedule ?? true) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    }
  } catch (error) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    boss,
    runNow: (name) => boss.send(name, {}),
    async schedules() {
      return (await boss.getSchedules()).map((s) => ({ name: s.name, cron: s.cron }));
    },
    stop() {
      stopping ??= boss.stop({ graceful: true, wait: true, timeout: options.stopTimeoutMs ?? 10_000 });
      return stopping;
    },
  };
}
