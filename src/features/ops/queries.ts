/**
 * The database side of the readiness probe.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** Whether the database answers a trivial query at all. */
export async function databaseAnswers(db: Database): Promise<true> {
  await sql`select 1`.execute(db);
  return true;
}
