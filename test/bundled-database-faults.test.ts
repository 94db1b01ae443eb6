/**
 * `nwd start` with the bundled PostgreSQL while the database fails under it: its backends terminated
 * under load (the service keeps running, answers 503 at most briefly, then 200), its postmaster killed
 * under load (the service drains and exits 1, and the next start succeeds at once), and a stale
 * `postmaster.pid` naming a process that is gone, a zombie, or something other than PostgreSQL (the
 * next start is not blocked by it).
 */
import { spawn } from 'node:child_process';
import { chownSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, nwdOnTempDataDir, waitFor, type Running } from './nwd-process.ts';

const { dataDir, start, postmaster, query, cleanup } = nwdOnTempDataDir('nwd-faults-');
afterAll(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Requests from a few clients at once until `stop()`; counts the answers by status. */
function load(url: string) {
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  let running = true;
  let failures = 0;
  const one = async (path: string) => {
    try {
      const res = await fetch(`${url}${path}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 503 && path.startsWith('/api/')) {
        if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? ''))
          problems.push(`${path}: ${res.headers.get('content-type')}`);
        if (!res.headers.get('retry-after')) problems.push(`${path}: no Retry-After`);
      }
      await res.arrayBuffer();
    } catch {
      // The service went away (only expected when it is told to, or its database is killed).
      failures += 1;
      await sleep(20);
    }
  };
  const worker = async () => {
    while (running) {
      await one('/api/v1/services?county=27053');
      await one('/services?county=27053');
      await one('/readyz');
    }
  };
  const workers = Array.from({ length: 6 }, () => worker());
  return {
    statuses,
    problems,
    failures: () => failures,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe('the bundled PostgreSQL failing under load', () => {
  let service: Running;
  beforeAll(async () => {
    service = await start();
  }, 90_000);
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exit;
  }, 60_000);

  it('backends terminated under load: the service lives, answers 503 at most briefly, then 200', async () => {
    const traffic = load(service.url);
    await sleep(300);
    let terminated = 0;
    for (let round = 0; round < 20; round++) {
      // In the select list, not the WHERE clause: PostgreSQL may test the WHERE conditions in any order.
      const rows = await query<{ terminated: boolean }>(
        `select pg_terminate_backend(pid) as terminated from pg_stat_activity
           where application_name in ('nwd', 'nwd-jobs') and pid <> pg_backend_pid()`,
      );
      terminated += rows.length;
      await sleep(50);
    }
    await sleep(200);
    await traffic.stop();
    expect(terminated).toBeGreaterThan(10);
    expect(service.child.exitCode).toBeNull();
    expect(traffic.failures()).toBe(0);
    expect([...traffic.statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(traffic.problems).toEqual([]);
    // Back at once, without a restart.
    for (let i = 0; i < 5; i++) {
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${service.url}/api/v1/services?county=27053`)).status).toBe(200);
    }
    expect(service.output()).not.toMatch(/uncaught|unhandled/i);
  }, 60_000);

  it('the postmaster killed under load: the service drains and exits 1; the next start succeeds at once', async () => {
    const pm = postmaster();
    if (!pm) throw new Error('no postmaster');
    const traffic = load(service.url);
    await sleep(300);
    process.kill(pm.pid, 'SIGKILL');
    const killedAt = Date.now();
    const code = await service.exit;
    const drainedMs = Date.now() - killedAt;
    await traffic.stop();
    expect(code).toBe(1);
    expect(service.output()).toContain('stopped unexpectedly');
    expect(service.output()).toContain('"msg":"stopped"');
    expect(drainedMs).toBeLessThan(20_000);
    // The killed postmaster was the service's child: reaped, not left as a zombie holding its pid.
    expect(alive(pm.pid)).toBe(false);
    const again = await start({}, 30_000);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    service = again;
  }, 90_000);
});

/**
 * Runs as the user PostgreSQL runs as (the `postgres` user when the tests run as root): PostgreSQL
 * itself treats a pid it may not signal as stale, but not one of its own user's.
 */
function asPostgresUser(): { uid: number; gid: number } {
  const { uid, gid } = statSync(join(dataDir, 'pg'));
  return { uid, gid };
}

/** A process that stays a zombie (exited, not yet reaped by its parent) until `release()`. */
async function zombie(): Promise<{ pid: number; release(): Promise<void> }> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; read x; wait'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    ...asPostgresUser(),
  });
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const state = () => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return 'gone';
    }
  };
  await waitFor(() => state() === 'Z', 5_000);
  const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
  return {
    pid,
    async release() {
      parent.stdin.end('\n');
      await exited;
    },
  };
}

describe('a stale postmaster.pid', () => {
  let lockFile: string;
  let realContents: string;
  beforeAll(async () => {
    const running = await start();
    lockFile = join(dataDir, 'pg', 'postmaster.pid');
    realContents = readFileSync(lockFile, 'utf8');
    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
  }, 90_000);

  /** Writes postmaster.pid as a killed PostgreSQL would have left it, naming `pid`. */
  const leaveStale = (pid: number) => {
    writeFileSync(lockFile, realContents.replace(/^\d+/, String(pid)), { mode: 0o600 });
    const owner = asPostgresUser();
    chownSync(lockFile, owner.uid, owner.gid);
  };

  async function startsAndStops(): Promise<string> {
    const running = await start({}, 30_000);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
    return running.output();
  }

  it('naming a zombie (a killed postmaster nobody reaped) does not block the start', async () => {
    const z = await zombie();
    try {
      leaveStale(z.pid);
      const output = await startsAndStops();
      expect(output).toMatch(/stale/);
    } finally {
      await z.release();
    }
  }, 60_000);

  it('naming a live process that is not PostgreSQL (its pid reused) does not block the start', async () => {
    const other = spawn('sleep', ['60'], { stdio: 'ignore', ...asPostgresUser() });
    try {
      leaveStale(other.pid ?? 0);
      await startsAndStops();
      expect(other.exitCode).toBeNull(); // left alone
    } finally {
      other.kill('SIGKILL');
    }
  }, 60_000);

  it('naming a process that is gone does not block the start', async () => {
    const gone = spawn('true', [], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    leaveStale(gone.pid ?? 0);
    await startsAndStops();
  }, 60_000);
});
