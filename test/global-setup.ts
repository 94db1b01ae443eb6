/**
 * One PostgreSQL for the whole test run, and a template database (migrated, Minnesota pack loaded)
 * from which each test file copies its own database.
 *
 * - With TEST_DATABASE_URL (CI: the machine's PostgreSQL) the tests run against that server.
 * - Without it, the bundled PostgreSQL starts in a temporary directory: the suite needs nothing
 *   installed on the machine.
 *
 * The bundled server runs in its own process group, so a Ctrl-C does not reach it, and vitest ends
 * on SIGINT/SIGTERM without running this setup's teardown. So the setup also stops the server itself
 * when the run is interrupted or the process exits early: it asks the postmaster for a fast shutdown,
 * waits (synchronously: the process is about to end) until it has exited, and removes the directory.
 */
import { mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
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

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Whether a process is still running (a zombie nobody has reaped yet counts as ended). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Blocks the thread for a moment: used only while the process is ending. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Stops the bundled PostgreSQL of `dir` without the event loop: a fast shutdown, then an immediate
 * one if it has not ended within 15 seconds; then the directory goes.
 */
function stopNow(dir: string): void {
  let pid = 0;
  try {
    pid = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    // no server running
  }
  if (pid > 0 && running(pid)) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
    const deadline = Date.now() + 15_000;
    while (running(pid) && Date.now() < deadline) pause(50);
    if (running(pid)) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
      const last = Date.now() + 5_000;
      while (running(pid) && Date.now() < last) pause(50);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Stops the server on SIGINT, SIGTERM or SIGHUP and on an early exit; returns the function that
 * removes these handlers (the ordinary teardown stops the server itself).
 */
function stopOnInterrupt(dir: string): () => void {
  let done = false;
  const onExit = () => {
    if (done) return;
    done = true;
    stopNow(dir);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    remove();
    // vitest ends the process on its own right after; without it, the signal's default action does.
    setTimeout(() => process.kill(process.pid, signal), 200);
  };
  const remove = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('exit', onExit);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
  return remove;
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
  let removeHandlers = () => undefined as void;
  let adminUrl: string;
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = external;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'nwd-test-'));
    // The bundled PostgreSQL runs as the postgres user when tests run as root: it must reach the dir.
    chmodSync(dir, 0o755);
    removeHandlers = stopOnInterrupt(dir);
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
    removeHandlers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
