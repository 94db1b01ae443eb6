/**
 * `nwd start` as an operator runs it, in a child process on a temporary data directory with the
 * bundled PostgreSQL: start it, read the bundled server's `postmaster.pid`, query its database
 * directly, and clean up whatever is left at the end of the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { NWD } from './cli.ts';

export interface Running {
  child: ChildProcess;
  url: string;
  /** Standard output and standard error, interleaved. */
  output: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A temporary data directory (0755: the bundled PostgreSQL runs as the `postgres` user under root)
 * and the means to run `nwd start` on it.
 */
export function nwdOnTempDataDir(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dataDir, 0o755);
  const started: ChildProcess[] = [];

  function start(env: Record<string, string> = {}, readyWithinMs = 60_000): Promise<Running> {
    const child = spawn(process.execPath, [NWD, 'start'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        NWD_DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
      err += d.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready in ${readyWithinMs} ms:\n${out}`)),
        readyWithinMs,
      );
      const check = setInterval(() => {
        const m = /No Wrong Door is ready at (http:\/\/\S+)/.exec(out);
        if (m?.[1]) {
          clearInterval(check);
          clearTimeout(timer);
          resolve({ child, url: m[1], output: () => out, stderr: () => err, exit });
        }
      }, 25);
      void exit.then((code) => {
        clearInterval(check);
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before ready:\n${out}`));
      });
    });
  }

  /** The bundled server's pid and port, from its `postmaster.pid`. */
  function postmaster(): { pid: number; port: number } | null {
    const file = join(dataDir, 'pg', 'postmaster.pid');
    if (!existsSync(file)) return null;
    const lines = readFileSync(file, 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  }

  /** Runs one statement on the bundled server's database, as the service's own user. */
  async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
    const pm = postmaster();
    if (!pm) throw new Error('no postmaster.pid');
    const password = encodeURIComponent(readFileSync(join(dataDir, 'pg-password'), 'utf8').trim());
    const client = new pg.Client({ connectionString: `postgres://nwd:${password}@127.0.0.1:${pm.port}/nwd` });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  /** Kills whatever is still running (the service, then its PostgreSQL) and removes the directory. */
  function cleanup(): void {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    const pm = postmaster();
    if (pm && alive(pm.pid)) {
      try {
        process.kill(pm.pid, 'SIGQUIT');
      } catch {
        // not ours to stop (a process standing in for a stale pid)
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { dataDir, start, postmaster, query, cleanup };
}
