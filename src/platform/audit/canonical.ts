/**
 * The canonical form of an audit row and its hash. Writer and verifier both use these functions, over
 * values exactly as PostgreSQL stores and returns them: `occurred_at` as UTC ISO text with microseconds
 * (see `OCCURRED_AT_SQL_FORMAT`), uuids in lower case, `details` as parsed JSON.
 */
import { createHash } from 'node:crypto';

/** The `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** `to_char` format giving `2025-01-31T12:34:56.123456Z` from `occurred_at at time zone 'UTC'`. */
export const OCCURRED_AT_SQL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

/** A stored row, as the hash sees it (snake case, the column names). */
export interface AuditRowValues {
  seq: number;
  id: string;
  occurred_at: string;
  actor_user_id: string | null;
  actor_kind: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  organization_id: string | null;
  ip: string | null;
  user_agent: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
}

/**
 * JSON with object keys sorted at every depth and no whitespace: one text for one value.
 *
 * @example
 * canonicalJson({ b: 1, a: [null, { d: true, c: 'x' }] }); // '{"a":[null,{"c":"x","d":true}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Not a JSON value: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * SHA-256 (hex) of the canonical form of every column except `hash`, `prev_hash` included, so each
 * row seals the one before it. Nulls are explicit; `seq` is included, so renumbering is an alteration.
 *
 * @example
 * const hash = auditHash({ ...row, prev_hash: previous?.hash ?? GENESIS_HASH });
 */
export function auditHash(row: AuditRowValues): string {
  const canonical = canonicalJson({
    action: row.action,
    actor_kind: row.actor_kind,
    actor_user_id: row.actor_user_id,
    details: row.details,
    id: row.id,
    ip: row.ip,
    occurred_at: row.occurred_at,
    organization_id: row.organization_id,
    prev_hash: row.prev_hash,
    reason: row.reason,
    seq: row.seq,
    subject_id: row.subject_id,
    subject_type: row.subject_type,
    user_agent: row.user_agent,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
