/**
 * Test support for the audit log (synthetic data only): a database of its own, typed with the audit
 * table, and the superuser's ways round the append-only trigger that tamper tests need.
 */
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { chainAudit } from './chain.ts';
import { recordAudit } from './record.ts';
import type { AuditEventInput } from './schema.ts';
import type { AuditTables } from './tables.ts';

export interface AuditTestDatabase {
  t: TestDatabase;
  db: Kysely<AuditTables>;
}

export async function auditTestDatabase(): Promise<AuditTestDatabase> {
  const t = await freshDatabase();
  return { t, db: t.db as unknown as Kysely<AuditTables> };
}

export const ACTOR_ID = '0b7f3c9e-1d2a-4c5b-8e6f-7a8b9c0d1e2f';
export const RECORD_ID = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';

export function sampleEvent(i: number, extra: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actorKind: 'user',
    actorUserId: ACTOR_ID,
    action: 'record.read',
    subjectType: 'case',
    subjectId: `${RECORD_ID}-${i}`,
    ip: '192.0.2.10',
    userAgent: 'vitest',
    details: { n: i },
    ...extra,
  };
}

/** Appends `count` events, one transaction each. */
export async function appendEvents(db: Kysely<AuditTables>, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await db.transaction().execute((trx) => recordAudit(trx, sampleEvent(i)));
  }
}

/** Appends `count` events, one transaction each, and links them into the chain. */
export async function appendChained(db: Kysely<AuditTables>, count: number): Promise<void> {
  await appendEvents(db, count);
  const run = await chainAudit(db);
  if (!run.locked || run.waiting) throw new Error('the test chain could not be linked');
}

/**
 * Runs SQL with the append-only triggers of both audit tables disabled, as the tests' superuser
 * (owner) connection. With `withoutKeys`, foreign keys are not checked either (a linked row can go).
 */
export async function tamper(
  pool: pg.Pool,
  statement: string,
  params: unknown[] = [],
  { withoutKeys = false }: { withoutKeys?: boolean } = {},
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('alter table audit_events disable trigger audit_events_append_only');
    await client.query('alter table audit_chain disable trigger audit_chain_append_only');
    if (withoutKeys) await client.query(`set session_replication_role = replica`);
    await client.query(statement, params);
  } finally {
    await client.query(`set session_replication_role = default`);
    await client.query('alter table audit_events enable trigger audit_events_append_only');
    await client.query('alter table audit_chain enable trigger audit_chain_append_only');
    client.release();
  }
}
