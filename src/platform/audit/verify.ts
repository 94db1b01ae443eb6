/**
 * Checks the audit chain end to end: every row's hash recomputed from its stored values, `seq` without
 * gaps, and each `prev_hash` equal to the hash of the row before. Rows are read in `seq` order in
 * batches, so memory stays flat however long the log is.
 *
 * The chain has no secret: someone able to rewrite the table could recompute every hash after the row
 * they changed, and removing the newest rows leaves a valid shorter chain. Record the head that
 * `auditVerifyCommand` prints somewhere else (a ticket, a backup manifest) and pass it as `anchor` to
 * catch both.
 */
import type { Kysely } from 'kysely';
import { auditHash, GENESIS_HASH } from './canonical.ts';
import { STORED_COLUMNS } from './rows.ts';
import type { AuditTables } from './tables.ts';

/** The newest row of the chain. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export type AuditChainProblem = 'altered' | 'missing' | 'reordered';

export type AuditChainResult =
  | { ok: true; rows: number; head: AuditHead | null }
  | { ok: false; firstBadSeq: number; problem: AuditChainProblem; detail: string };

export interface VerifyOptions {
  /** Rows read per query (default 5000). */
  batchSize?: number;
  /** A head recorded earlier: that row must still exist with that hash. */
  anchor?: AuditHead;
}

// How many recent hashes are remembered to tell a row chained out of order from one chained to nothing.
const RECENT_HASHES = 10_000;

/**
 * Recomputes the whole chain and names the first bad row: 'altered' when a row's values no longer
 * match its hash, 'missing' when a seq is skipped or a row is chained to a row that is not in the log,
 * 'reordered' when a row is chained to another row of the log than the one before it.
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
  const batchSize = options.batchSize ?? 5000;
  const anchor = options.anchor;
  const recent = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  for (;;) {
    const batch = await d
      .selectFrom('audit_events')
      .select(STORED_COLUMNS)
      .where('seq', '>', lastSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const [i, row] of batch.entries()) {
      const seq = Number(row.seq);
      const bad = (problem: AuditChainProblem, detail: string) =>
        ({ ok: false, firstBadSeq: seq, problem, detail }) as const;
      if (seq !== lastSeq + 1) {
        const range = seq === lastSeq + 2 ? `row ${lastSeq + 1} is` : `rows ${lastSeq + 1}–${seq - 1} are`;
        return bad(
          'missing',
          `${range} missing: row ${seq} follows ${lastSeq ? `row ${lastSeq}` : 'the start'}`,
        );
      }
      if (auditHash({ ...row, seq }) !== row.hash) {
        return bad(
          'altered',
          `row ${seq} (${row.action}) no longer matches its hash: it was changed after it was written`,
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
      recent.set(row.hash, seq);
      if (recent.size > RECENT_HASHES) recent.delete(recent.keys().next().value!);
    }
    if (batch.length < batchSize) break;
  }
  if (anchor && lastSeq < anchor.seq) {
    return {
      ok: false,
      firstBadSeq: lastSeq + 1,
      problem: 'missing',
      detail: `the log ends at row ${lastSeq} but row ${anchor.seq} was recorded earlier: the newest rows were removed`,
    };
  }
  return { ok: true, rows: lastSeq, head: lastSeq ? { seq: lastSeq, hash: prevHash } : null };
}

/**
 * `nwd audit verify`: exit code 0 and the head to record when the chain is intact, 1 naming the first
 * altered or missing row when it is not (or when the database cannot be read).
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
  return { exitCode: 0, message: `Audit chain intact: ${result.rows} rows.${head}` };
}
