/**
 * Checks the audit chain end to end: every linked row's hash recomputed from its stored values, `seq`
 * without gaps, each `prev_hash` equal to the hash of the row before, and no row left out of the chain.
 * Rows written before migration 0017 carry their own hashes; later rows are linked by the chainer
 * (chain.ts) in audit_chain; both follow one formula. Rows are read in `seq` order in batches, in one
 * snapshot, so memory stays flat however long the log is.
 *
 * A gap in `seq` is a failure whether the chainer linked past it (a row deleted before it was linked,
 * or written by a transaction that rolled back: the two cannot be told apart) or the chain breaks there
 * (a linked row removed). A row not linked yet is pending while younger than `graceMs`, a failure after.
 *
 * The chain has no secret: someone able to rewrite the tables could recompute every hash after the row
 * they changed, and removing the newest rows leaves a valid shorter chain. Record the head that
 * `auditVerifyCommand` prints somewhere else (a ticket, a backup manifest) and pass it as `anchor` to
 * catch both.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { auditHash, GENESIS_HASH } from './canonical.ts';
import { linkedRows } from './rows.ts';
import type { AuditTables } from './tables.ts';

/** The newest row of the chain. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export type AuditChainProblem = 'altered' | 'missing' | 'reordered' | 'unlinked';

export type AuditChainResult =
  | { ok: true; rows: number; head: AuditHead | null; pending: number }
  | { ok: false; firstBadSeq: number; problem: AuditChainProblem; detail: string };

export interface VerifyOptions {
  /** Rows read per query (default 5000). */
  batchSize?: number;
  /** A head recorded earlier: that row must still exist with that hash. */
  anchor?: AuditHead;
  /** How long a row may wait for the chainer before that is a failure (default 5 minutes). */
  graceMs?: number;
  /** The time to age rows against (default: the database clock). */
  now?: Date;
}

// How many recent hashes are remembered to tell a row chained out of order from one chained to nothing.
const RECENT_HASHES = 10_000;

function rowsMissing(from: number, to: number): string {
  return from === to ? `row ${from} is` : `rows ${from}–${to} are`;
}

/**
 * Recomputes the whole chain and names the first bad row: 'altered' when a row's values no longer
 * match its hash, 'missing' when a seq is skipped or a row is chained to a row that is not in the log,
 * 'reordered' when a row is chained to another row of the log than the one before it, 'unlinked' when
 * a row is left out of the chain (past the grace, or with later rows linked).
 *
 * @example
 * const result = await verifyAuditChain(db);
 * if (!result.ok) console.error(`row ${result.firstBadSeq}: ${result.problem} (${result.detail})`);
 */
export async function verifyAuditChain<T extends AuditTables>(
  db: Kysely<T>,
  options: VerifyOptions = {},
): Promise<AuditChainResult> {
  const d = db as unknown as Kysely<AuditTables>;
  if (d.isTransaction) return verifyIn(d, options);
  // One snapshot: the chainer linking rows between two batches must not look like a skipped row.
  return d
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => verifyIn(trx, options));
}

async function verifyIn(d: Kysely<AuditTables>, options: VerifyOptions): Promise<AuditChainResult> {
  const batchSize = options.batchSize ?? 5000;
  const graceMs = options.graceMs ?? 5 * 60_000;
  const anchor = options.anchor;
  const clock = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(d);
  const now = (options.now ?? clock.rows[0]!.now).getTime();
  const recent = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  let lastSeq = 0; // the last row read
  let headSeq = 0; // the last row linked
  let linked = 0;
  let pending = 0;
  let firstUnlinked: number | null = null;
  for (;;) {
    const batch = await linkedRows(d)
      .where('audit_events.seq', '>', lastSeq)
      .orderBy('audit_events.seq')
      .limit(batchSize)
      .execute();
    for (const [i, row] of batch.entries()) {
      const seq = Number(row.seq);
      const bad = (problem: AuditChainProblem, detail: string) =>
        ({ ok: false, firstBadSeq: seq, problem, detail }) as const;
      if (row.hash === null || row.prev_hash === null) {
        const ageMs = now - Date.parse(row.occurred_at);
        if (ageMs >= graceMs) {
          return bad(
            'unlinked',
            `row ${seq} (${row.action}) was written ${Math.round(ageMs / 1000)} s ago and is still not ` +
              `in the chain: the chainer (every running service, or "nwd audit chain") has not linked it`,
          );
        }
        pending++;
        firstUnlinked ??= seq;
        lastSeq = seq;
        continue;
      }
      if (firstUnlinked !== null) {
        return bad(
          'unlinked',
          `row ${firstUnlinked} is not in the chain but row ${seq} after it is: it was committed after ` +
            `the chainer had passed it, its link was removed, or it was inserted afterwards`,
        );
      }
      const after = headSeq ? `row ${headSeq}` : 'the start';
      if (seq !== headSeq + 1) {
        // Linked past by the chainer: the chain runs on over the gap.
        if (row.prev_hash === prevHash && !row.hashed_at_write) {
          return bad(
            'missing',
            `${rowsMissing(headSeq + 1, seq - 1)} missing: row ${seq} follows ${after} in the chain, ` +
              `linked past the gap: deleted before the chainer reached it, or written by a transaction ` +
              `that rolled back after writing its row`,
          );
        }
        return bad('missing', `${rowsMissing(headSeq + 1, seq - 1)} missing: row ${seq} follows ${after}`);
      }
      if (auditHash({ ...row, seq, prev_hash: row.prev_hash }) !== row.hash) {
        return bad(
          'altered',
          `row ${seq} (${row.action}) no longer matches its hash: it was changed after it was ` +
            (row.hashed_at_write ? 'written' : 'linked'),
        );
      }
      if (row.prev_hash !== prevHash) {
        const earlier = recent.get(row.prev_hash);
        const later = batch.slice(i + 1).find((r) => r.hash === row.prev_hash);
        if (earlier !== undefined || later) {
          const target = earlier ?? Number(later!.seq);
          return bad('reordered', `row ${seq} is chained to row ${target}, not to row ${seq - 1}`);
        }
        return bad(
          'missing',
          seq === 1
            ? 'row 1 is not the start of the chain: rows before it were removed'
            : `row ${seq} is not chained to row ${seq - 1}: the row it followed is gone (removed, replaced or renumbered)`,
        );
      }
      if (anchor && seq === anchor.seq && row.hash !== anchor.hash) {
        return bad(
          'altered',
          `row ${seq} differs from the recorded head: the chain was rewritten up to here`,
        );
      }
      prevHash = row.hash;
      lastSeq = seq;
      headSeq = seq;
      linked++;
      recent.set(row.hash, seq);
      if (recent.size > RECENT_HASHES) recent.delete(recent.keys().next().value!);
    }
    if (batch.length < batchSize) break;
  }
  // A link whose row is gone (removed or renumbered with the keys off) while the rows around it verify.
  const orphan = await d
    .selectFrom('audit_chain')
    .leftJoin('audit_events', 'audit_events.seq', 'audit_chain.seq')
    .select('audit_chain.seq')
    .where('audit_events.seq', 'is', null)
    .orderBy('audit_chain.seq')
    .limit(1)
    .executeTakeFirst();
  if (orphan) {
    const seq = Number(orphan.seq);
    return {
      ok: false,
      firstBadSeq: seq,
      problem: 'missing',
      detail: `row ${seq} is gone but its link is still in the chain: it was removed or renumbered after it was linked`,
    };
  }
  if (anchor && headSeq < anchor.seq) {
    return {
      ok: false,
      firstBadSeq: headSeq + 1,
      problem: 'missing',
      detail: `the chain ends at row ${headSeq} but row ${anchor.seq} was recorded earlier: the newest rows were removed`,
    };
  }
  return { ok: true, rows: linked, head: headSeq ? { seq: headSeq, hash: prevHash } : null, pending };
}

/**
 * `nwd audit verify`: exit code 0 and the head to record when the chain is intact (and how many newer
 * rows wait for the chainer), 1 naming the first altered, missing or unlinked row when it is not (or
 * when the database cannot be read).
 *
 * @example
 * // src/main.ts
 * const { exitCode, message } = await auditVerifyCommand(handle.db);
 * (exitCode === 0 ? console.log : console.error)(message);
 * process.exitCode = exitCode;
 */
export async function auditVerifyCommand<T extends AuditTables>(
  db: Kysely<T>,
  options: VerifyOptions = {},
): Promise<{ exitCode: 0 | 1; message: string }> {
  let result: AuditChainResult;
  try {
    result = await verifyAuditChain(db, options);
  } catch (error) {
    return { exitCode: 1, message: `Audit chain could not be verified: ${(error as Error).message}` };
  }
  if (!result.ok) {
    return {
      exitCode: 1,
      message: `Audit chain broken at row ${result.firstBadSeq} (${result.problem}): ${result.detail}`,
    };
  }
  const head = result.head ? ` Head: row ${result.head.seq}, sha256 ${result.head.hash}.` : '';
  const pending = result.pending
    ? ` ${result.pending} newer ${result.pending === 1 ? 'row is' : 'rows are'} not linked yet (the service links them within seconds).`
    : '';
  return { exitCode: 0, message: `Audit chain intact: ${result.rows} rows.${head}${pending}` };
}
