/**
 * One PostgreSQL for the whole test run, and a template database (migrated, Minnesota pack loaded)
 * from which each test file copies its own database.
 *
 * - With TEST_DATABASE_URL (CI: the machine's PostgreSQL) the tests run against that server.
 * - Without it, the bundled PostgreSQL starts in a temporary directory: the suite needs nothing
 *   installed on the machine.
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { importPack } from '../src/pack/import.ts';
import { createLogger } from '../src/platform/log.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    databaseKind: string;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger('warn');
  let embedded: EmbeddedServer | null = null;
  let dir: string | null = null;
  let adminUrl: string;
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = external;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'nwd-test-'));
    // The bundled PostgreSQL runs as the postgres user when tests run as root: it must reach the dir.
    chmodSync(dir, 0o755);
    embedded = await startEmbedded(dir, log);
    adminUrl = embedded.url;
  }
  const template = `nwd_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the test database at ${adminUrl.replace(/\/\/[^@]*@/, '//')}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  await admin.query(`create database ${template}`);
  const handle = openDatabase(withDatabase(adminUrl, template), 2);
  await migrate(handle.db);
  await importPack(handle.db, resolve('data/mn'), { force: true });
  await handle.close();

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databaseKind', external ? 'external' : 'bundled');
  console.log(`tests use ${external ? 'the PostgreSQL at TEST_DATABASE_URL' : 'the bundled PostgreSQL'}`);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 or datname = $2`,
      [`${template}_%`, template],
    );
    for (const row of leftovers.rows) {
      await admin.query(`drop database if exists ${row.datname} with (force)`).catch(() => undefined);
    }
    await admin.end();
    if (embedded) await embedded.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
