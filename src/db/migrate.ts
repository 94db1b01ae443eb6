/**
 * Forward-only SQL migrations, applied in order under an advisory lock so that several instances
 * starting together apply each migration once. Each file runs in its own transaction with its record.
 * A file that changed after it was applied stops the start with a clear message.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 727_001; // advisory lock id for migrations

export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return {
        id: f.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export class MigrationError extends Error {}

/** Applies pending migrations; returns the ids applied now. */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        id text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const rows = await sql<{
        id: string;
        checksum: string;
      }>`select id, checksum from schema_migrations`.execute(conn);
      const applied = new Map(rows.rows.map((r) => [r.id, r.checksum]));
      const done: string[] = [];
      for (const m of migrations) {
        const previous = applied.get(m.id);
        if (previous !== undefined) {
          if (previous !== m.checksum) {
            throw new MigrationError(
              `Migration ${m.id} was changed after it was applied. Migrations are forward-only: ` +
                `restore the file and add a new migration instead.`,
            );
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await sql`insert into schema_migrations (id, checksum) values (${m.id}, ${m.checksum})`.execute(
            trx,
          );
        });
        done.push(m.id);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}
