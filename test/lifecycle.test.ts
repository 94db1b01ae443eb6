/**
 * The service as an operator runs it: `nwd start` with the bundled PostgreSQL on a fresh data
 * directory (creating the master key file and saying loudly to back it up), a second process refused,
 * a clean SIGTERM that lets a request in flight finish, and recovery after `kill -9` of the application
 * or of PostgreSQL with nothing committed lost. With DATABASE_URL: no master key, no start.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateMasterKey, readMasterKeyFile } from '../src/platform/crypto/index.ts';
import { runNwd } from './cli.ts';
import { alive, nwdOnTempDataDir, waitFor, type Running } from './nwd-process.ts';

const { dataDir, start, postmaster, query, cleanup } = nwdOnTempDataDir('nwd-life-');

afterAll(cleanup);

describe('nwd start with the bundled PostgreSQL', () => {
  let first: Running;
  beforeAll(async () => {
    first = await start();
  }, 90_000);

  it('creates the master key file (0600) on first start and says loudly, on stderr, to back it up', () => {
    const keyFile = join(dataDir, 'master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readMasterKeyFile(keyFile);
    expect(first.stderr()).toContain(keyFile);
    expect(first.stderr()).toContain(key.id);
    expect(first.stderr()).toMatch(/A NEW MASTER KEY WAS CREATED/);
    expect(first.stderr()).toMatch(/personal data in the database can never be read again/);
    expect(first.stderr()).toMatch(/BACK IT UP NOW, separately from the database backups/);
    // Never the key itself, on either stream.
    for (const encoded of [key.encode(), key.bytes.toString('hex'), key.bytes.toString('base64url')]) {
      expect(first.output()).not.toContain(encoded);
    }
  });

  it('prints a single-use link to set up the first state administrator, which opens the set-up form', async () => {
    const link = /No state administrator yet[^\n]*\n(http:\/\/\S+\/staff\/setup\/nwdl_\S+)/.exec(
      first.output(),
    )?.[1];
    expect(link).toBeTruthy();
    const page = await fetch(new URL(new URL(link ?? '').pathname, first.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Set up No Wrong Door');
  });

  it('serves on a fresh data directory, on a port it chose, behind a password', async () => {
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${first.url}/`)).status).toBe(200);
    const pm = postmaster();
    expect(pm?.port).toBeGreaterThan(0);
    expect(pm?.port).not.toBe(5432);
    expect(statSync(join(dataDir, 'pg-password')).mode & 0o777).toBe(0o600);
    const withoutPassword = new pg.Client({ connectionString: `postgres://nwd@127.0.0.1:${pm?.port}/nwd` });
    await expect(withoutPassword.connect()).rejects.toThrow();
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const second = await runNwd(['start'], { PORT: '0', NWD_DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already using the data directory/);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
  });

  it('lets an account command run beside it, on the server it holds, and leaves the service running', async () => {
    const added = await runNwd(
      [
        'users',
        'add',
        '--email',
        'beside@example.org',
        '--role',
        'professional',
        '--org',
        'Synthetic Host',
        '--org-type',
        'school',
      ],
      { NWD_DATA_DIR: dataDir, NWD_PUBLIC_URL: first.url },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`${first.url}/staff/invitation/nwdl_`);
    // The service's own server took the new person, and still answers.
    expect(await query(`select id from staff_users where role = 'professional'`)).toHaveLength(1);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
  }, 90_000);

  it('comes back after kill -9 of the application, with committed data kept', async () => {
    await query(`insert into data_versions (name) values ('marker-app-kill')`);
    const before = postmaster();
    first.child.kill('SIGKILL');
    await first.exit;
    // The bundled PostgreSQL outlives the killed application …
    expect(before && alive(before.pid)).toBe(true);
    // … and the next start stops it cleanly and starts again, with the same master key.
    const keyBefore = readMasterKeyFile(join(dataDir, 'master.key')).id;
    const again = await start();
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    expect(again.stderr()).not.toMatch(/NEW MASTER KEY/);
    expect(readMasterKeyFile(join(dataDir, 'master.key')).id).toBe(keyBefore);
    expect(await query(`select name from data_versions where name = 'marker-app-kill'`)).toHaveLength(1);
    first = again;
  }, 90_000);

  it('exits when PostgreSQL is killed, and the next start recovers what was committed', async () => {
    await query(`insert into data_versions (name) values ('marker-db-kill')`);
    const pm = postmaster();
    if (!pm) throw new Error('no postmaster');
    process.kill(pm.pid, 'SIGKILL');
    expect(await first.exit).toBe(1);
    expect(first.output()).toContain('stopped unexpectedly');
    await waitFor(() => !alive(pm.pid), 10_000);
    const again = await start();
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    expect(await query(`select name from data_versions where name like 'marker-%' order by name`)).toEqual([
      { name: 'marker-app-kill' },
      { name: 'marker-db-kill' },
    ]);
    first = again;
  }, 90_000);

  it('on SIGTERM finishes the request in flight, then stops PostgreSQL cleanly', async () => {
    const { port } = new URL(first.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // The request has started (its first line and a header are in) when the signal arrives.
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 200));
    first.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write('Connection: close\r\n\r\n');
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    expect(postmaster()).toBeNull(); // a clean shutdown removes postmaster.pid
    expect(existsSync(join(dataDir, 'nwd.lock'))).toBe(false);
  }, 60_000);
});

describe('nwd start with DATABASE_URL', () => {
  async function withEmptyDatabase(work: (url: string, dir: string) => Promise<void>): Promise<void> {
    const adminUrl = inject('adminUrl');
    const name = `nwd_start_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const emptyDir = mkdtempSync(join(tmpdir(), 'nwd-ext-'));
    try {
      await work(u.toString(), emptyDir);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(emptyDir, { recursive: true, force: true });
    }
  }

  it('uses the given server and starts no bundled one', async () => {
    await withEmptyDatabase(async (url, emptyDir) => {
      const running = await start({
        DATABASE_URL: url,
        NWD_DATA_DIR: emptyDir,
        NWD_MASTER_KEY: generateMasterKey().encode(),
      });
      const res = await fetch(`${running.url}/api/v1/navigators?county=Stearns`);
      expect(res.status).toBe(200);
      expect(existsSync(join(emptyDir, 'pg'))).toBe(false);
      expect(existsSync(join(emptyDir, 'master.key'))).toBe(false);
      running.child.kill('SIGTERM');
      expect(await running.exit).toBe(0);
    });
  }, 90_000);

  it('refuses to start without a master key, saying what to do, and creates none', async () => {
    await withEmptyDatabase(async (url, emptyDir) => {
      const r = await runNwd(['start'], { PORT: '0', DATABASE_URL: url, NWD_DATA_DIR: emptyDir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/No master key: DATABASE_URL is set/);
      expect(r.stderr).toContain('NWD_MASTER_KEY');
      expect(r.stderr).toContain(join(emptyDir, 'master.key'));
      expect(r.stdout).not.toMatch(/ready/);
      expect(existsSync(join(emptyDir, 'master.key'))).toBe(false);
    });
  }, 60_000);
});
