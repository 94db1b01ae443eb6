/**
 * The chainer: links committed audit rows into the hash chain, in `seq` order, in the background.
 *
 * Writers (record.ts) take no lock, so rows commit in any order and a rolled-back transaction leaves a
 * gap in `seq`. The chainer links the rows after the chain head while `seq` runs without a gap. At a
 * gap it waits while a transaction that may still write the missing row is open (one holding a write
 * lock on audit_events that started before the row after the gap was written), or at most `graceMs`;
 * then it links past the gap, which stays visible to `nwd audit verify`.
 *
 * One instance chains at a time (a transaction-scoped advisory lock, tried, never waited for); every
 * instance runs it every second (`startAuditChainer`), so the chain keeps up when one stops.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../log.ts';
import { startBackgroundLoop, type BackgroundLoop } from '../jobs/loop.ts';
import { auditHash, GENESIS_HASH } from './canonical.ts';
import { linkedRows } from './rows.ts';
import type { AuditTables } from './tables.ts';

/** Advisory lock id for the chainer (migrations use 727001). */
export const AUDIT_CHAIN_LOCK_KEY = 727_004;

/** How close a writer's transaction start may follow the time of the row after a gap and still count. */
const CLOCK_SLACK_MS = 1000;

export interface ChainOptions {
  /** The time to age rows against (default: the database clock). */
  now?: Date;
  /** Longest wait at a gap whose writer may still be open (default 10 s). */
  graceMs?: number;
  /** Rows linked per run at most (default 1000). */
  batch?: number;
}

export interface ChainRun {
  /** False when another instance holds the chainer's lock (it is chaining now). */
  locked: boolean;
  linked: number;
  /** Missing `seq` ranges linked past in this run. */
  gaps: { from: number; to: number }[];
  /** The run stopped at a gap whose writer may still commit. */
  waiting: boolean;
  head: { seq: number; hash: string } | null;
}

async function chainHead(db: Kysely<AuditTables>): Promise<{ seq: number; hash: string }> {
  const link = await db
    .selectFrom('audit_chain')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Before the first link: the last row hashed when it was written, if any.
  const head =
    link ??
    (await db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .where('hash', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst());
  return head?.hash ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Links the committed rows after the chain head, up to `batch`, in one transaction. Returns at once
 * (`locked: false`) when another instance is chaining.
 *
 * @example
 * const run = await chainAudit(db);
 * if (run.gaps.length) log.warn({ gaps: run.gaps }, 'audit rows missing from the log');
 */
export async function chainAudit<T extends AuditTables>(
  db: Kysely<T>,
  options: ChainOptions = {},
): Promise<ChainRun> {
  const graceMs = options.graceMs ?? 10_000;
  const batch = options.batch ?? 1000;
  return (db as unknown as Kysely<AuditTables>).transaction().execute(async (trx) => {
    const lock = await sql<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY}) as locked
    `.execute(trx);
    if (!lock.rows[0]?.locked) return { locked: false, linked: 0, gaps: [], waiting: false, head: null };
    const head = await chainHead(trx);
    // Open writers first, rows after (READ COMMITTED: a later statement, a later snapshot): a writer
    // missing from this list had ended, so if it committed, its row is among the rows read next.
    const open = await sql<{ now: Date; writers: (number | null)[] }>`
      select clock_timestamp() as now,
             coalesce(json_agg((extract(epoch from a.xact_start) * 1000)::float8), '[]') as writers
      from pg_locks l
      left join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'relation' and l.relation = 'audit_events'::regclass
        and l.mode = 'RowExclusiveLock' and l.granted and l.pid is distinct from pg_backend_pid()
    `.execute(trx);
    const now = (options.now ?? open.rows[0]!.now).getTime();
    // When each open writer's transaction started; null when it cannot be read (another role's session).
    const { writers } = open.rows[0]!;
    const rows = await linkedRows(trx)
      .where('audit_events.seq', '>', head.seq)
      .orderBy('audit_events.seq')
      .limit(batch)
      .execute();

    const links: { seq: number; prev_hash: string; hash: string }[] = [];
    const gaps: { from: number; to: number }[] = [];
    let { seq: lastSeq, hash: prevHash } = head;
    let waiting = false;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== lastSeq + 1) {
        const written = Date.parse(row.occurred_at);
        const mayStillCommit = writers.some(
          (started) => started === null || started <= written + CLOCK_SLACK_MS,
        );
        if (mayStillCommit && now - written < graceMs) {
          waiting = true;
          break;
        }
        gaps.push({ from: lastSeq + 1, to: seq - 1 });
      }
      const hash = auditHash({ ...row, seq, prev_hash: prevHash });
      links.push({ seq, prev_hash: prevHash, hash });
      lastSeq = seq;
      prevHash = hash;
    }
    if (links.length) await trx.insertInto('audit_chain').values(links).execute();
    return {
      locked: true,
      linked: links.length,
      gaps,
      waiting,
      head: lastSeq ? { seq: lastSeq, hash: prevHash } : null,
    };
  });
}

/**
 * Runs `chainAudit` every `intervalMs` (default 1 s) on an unref'd timer, never overlapping itself; a
 * failed run is logged and the next one tries again. Only the instance holding the lock does work.
 * `stop()` waits for the run in progress and runs once more (call it before the pool closes).
 *
 * @example
 * const chainer = startAuditChainer(db, log);
 * await chainer.stop();
 */
export function startAuditChainer<T extends AuditTables>(
  db: Kysely<T>,
  log: Logger,
  { intervalMs = 1000, ...options }: ChainOptions & { intervalMs?: number } = {},
): BackgroundLoop {
  const batch = options.batch ?? 1000;
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
  return startBackgroundLoop(
    // Runs again at once while full batches come back, so a backlog drains faster than one batch a tick.
    async (loop) => {
      for (;;) {
        const result = await chainAudit(db, { ...options, batch });
        if (result.gaps.length) {
          log.warn(
            { gaps: result.gaps },
            'audit rows missing from the log were linked past: rolled back after writing, or deleted',
          );
        }
        if (loop.stopped || result.linked < batch) return;
      }
    },
    {
      intervalMs,
      onError: (error) => log.warn({ err: message(error) }, 'audit chaining failed; will retry'),
      // The rows of the last requests are linked now rather than by another instance later.
      afterStop: () =>
        chainAudit(db, { ...options, batch }).catch((error: unknown) =>
          log.warn({ err: message(error) }, 'audit chaining failed'),
        ),
    },
  );
}

/**
 * `nwd audit chain`: links every row waiting for the chain now, batch after batch. Exit code 0 with
 * what was linked, 1 when another process holds the chainer's lock or the database cannot be read.
 *
 * @example
 * const { exitCode, message } = await auditChainCommand(handle.db);
 */
export async function auditChainCommand<T extends AuditTables>(
  db: Kysely<T>,
  options: ChainOptions = {},
): Promise<{ exitCode: 0 | 1; message: string }> {
  const batch = options.batch ?? 1000;
  let linked = 0;
  const gaps: string[] = [];
  try {
    for (;;) {
      const run = await chainAudit(db, { ...options, batch });
      if (!run.locked) {
        return {
          exitCode: 1,
          message: 'Audit rows are being linked by another process (a running service).',
        };
      }
      linked += run.linked;
      gaps.push(...run.gaps.map((g) => (g.from === g.to ? `${g.from}` : `${g.from}–${g.to}`)));
      if (run.linked < batch) {
        const head = run.head ? ` Head: row ${run.head.seq}.` : '';
        const skipped = gaps.length ? ` Linked past missing rows ${gaps.join(', ')}.` : '';
        const waiting = run.waiting ? ' Waiting for a transaction that may still write a missing row.' : '';
        return { exitCode: 0, message: `Audit chain: ${linked} rows linked.${head}${skipped}${waiting}` };
      }
    }
  } catch (error) {
    return { exitCode: 1, message: `Audit rows could not be linked: ${(error as Error).message}` };
  }
}
