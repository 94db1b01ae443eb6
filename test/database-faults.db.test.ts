/**
 * The service while its database misbehaves: a backend terminated under load (`pg_terminate_backend`,
 * as an administrator or a failover does), a database that refuses connections, and one that accepts
 * them but never answers (a stopped server, a network that drops packets). The process never dies of
 * it, answers 503 with `Retry-After` — problem details under /api, a calm page naming the lines to call
 * elsewhere — and answers 200 again as soon as the database is back, without a restart.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { openCase } from '../src/features/cases/service.ts';
import { listen, testApp, type TestApp } from './app.ts';
import { addOrganization, addStaff, sessionFor, type TestSession } from './staff.ts';

let t: TestApp;
let caseId: string;
let session: TestSession;
/** Errors that reached the process as uncaught: each would have killed the service. */
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  t = await testApp();
  const orgId = await addOrganization(t.deps.db, 'Synthetic Host', 'navigator_host');
  const navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { organizationId: orgId });
  session = await sessionFor(t.deps.db, navigator.id);
  caseId = (
    await openCase(
      {
        db: t.deps.db,
        keyring: t.deps.keyring,
        calendar: t.deps.rules.calendar,
        vocabularies: t.deps.rules.vocabularies,
      },
      navigator.actor,
      { chosenName: 'Synthetic Fault', regionId: 'west-metro' },
      { ip: '192.0.2.1', userAgent: null },
    )
  ).id;
});
beforeEach(() => {
  uncaught.length = 0;
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await t.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Terminates this test database's service connections (those named `nwd`), from another session. */
async function terminateBackends(): Promise<number> {
  const admin = openDatabase(t.database.url, 1);
  try {
    const { rows } = await sql<{ terminated: boolean }>`
      select pg_terminate_backend(pid) as terminated from pg_stat_activity
      where application_name = 'nwd' and datname = current_database() and pid <> pg_backend_pid()`.execute(
      admin.db,
    );
    return rows.length;
  } finally {
    await admin.close();
  }
}

describe('a backend terminated under the service', () => {
  it('in the middle of a transaction: the transaction fails, the process lives, the pool recovers', async () => {
    const handle = openDatabase(t.database.url, 2);
    try {
      const inside = handle.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        // The connection is checked out and idle in the transaction when its backend is terminated.
        await terminateBackends();
        await sleep(300);
        await sql`select 1`.execute(trx);
      });
      await expect(inside).rejects.toThrow();
      await sleep(100);
      expect(uncaught).toEqual([]);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('under load: only 200 or a brief 503 problem, never 500 or a crash, then 200 again', async () => {
    const server = await listen(t.app);
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let running = true;
    const request = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}${path}`, init);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = await res.text();
      if (res.status === 503 && path.startsWith('/api/')) {
        if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? ''))
          problems.push(`${path}: ${res.headers.get('content-type')}`);
        if (!res.headers.get('retry-after')) problems.push(`${path}: no Retry-After`);
      }
      return { status: res.status, body };
    };
    const cookie = { Cookie: session.cookie };
    const worker = async () => {
      while (running) {
        // A read in a transaction with its audit record, a search, a probe, and a write.
        await request(`/api/v1/cases/${caseId}`, { headers: cookie });
        await request('/api/v1/services?county=27053');
        await request('/readyz');
        await request(`/api/v1/cases/${caseId}/consents`, { headers: cookie });
      }
    };
    const workers = Array.from({ length: 6 }, () => worker());
    let terminated = 0;
    for (let round = 0; round < 15; round++) {
      await sleep(60);
      terminated += await terminateBackends();
    }
    running = false;
    await Promise.all(workers);
    try {
      expect(terminated).toBeGreaterThan(0);
      expect(uncaught).toEqual([]);
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(problems).toEqual([]);
      // Recovered: every request succeeds again.
      for (let i = 0; i < 5; i++) {
        expect((await request(`/api/v1/cases/${caseId}`, { headers: cookie })).status).toBe(200);
        expect((await request('/readyz')).status).toBe(200);
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});

/** The test app with its database handle replaced (reference data already loaded in memory). */
function appOn(handle: DatabaseHandle): ReturnType<typeof createApp>['app'] {
  return createApp({ ...t.deps, db: handle.db }).app;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectUnavailable(app: ReturnType<typeof createApp>['app']): Promise<void> {
  const api = await app.request('/api/v1/services?county=27053');
  expect(api.status).toBe(503);
  expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await api.json()) as { status: number; title: string; detail: string };
  expect(body.status).toBe(503);
  expect(body.detail).toMatch(/1-866-223-1111/);
  expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack|Connection terminated/);

  const page = await app.request('/services?county=27053');
  expect(page.status).toBe(503);
  expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
  const html = await page.text();
  expect(html).toMatch(/<html/);
  expect(html).toContain('911');
  expect(html).toContain('1-866-223-1111');
  expect(html).not.toMatch(/ECONNREFUSED|Connection terminated|Error:/);

  const staff = await app.request(`/api/v1/cases/${caseId}`, { headers: { Cookie: session.cookie } });
  expect(staff.status).toBe(503);
  expect((await app.request('/readyz')).status).toBe(503);
}

describe('a database that is away', () => {
  it('refusing connections: 503 with Retry-After (problem under /api, a page elsewhere), /readyz 503', async () => {
    const handle = openDatabase(`postgres://nwd:x@127.0.0.1:${await closedPort()}/nwd`, 2);
    try {
      await expectUnavailable(appOn(handle));
      expect(uncaught).toEqual([]);
      // Logged as the database being away, not as an unexpected error with a stack.
      const lines = t.logLines.filter((l) => l.includes('database'));
      expect(lines.some((l) => /"level":40/.test(l) && /database is unavailable/.test(l))).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('accepting connections but never answering: 503 after the query deadline, 200 once it answers', async () => {
    const proxy = await faultyProxy(new URL(t.database.url));
    const url = new URL(t.database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const handle = openDatabase(url.toString(), 2, { queryTimeoutMs: 1_000, connectionTimeoutMs: 1_000 });
    try {
      const app = appOn(handle);
      expect((await app.request('/readyz')).status).toBe(200);
      proxy.freeze();
      const started = Date.now();
      await expectUnavailable(app);
      expect(Date.now() - started).toBeLessThan(15_000);
      proxy.thaw();
      await sleep(100);
      expect((await app.request('/readyz')).status).toBe(200);
      expect((await app.request('/api/v1/services?county=27053')).status).toBe(200);
      expect(uncaught).toEqual([]);
    } finally {
      proxy.thaw();
      await handle.close();
      await proxy.close();
    }
  }, 60_000);

  it('stopped, then started again: 503 while it is away, 200 as soon as it is back, no restart', async () => {
    const proxy = await faultyProxy(new URL(t.database.url));
    const url = new URL(t.database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const handle = openDatabase(url.toString(), 3, { queryTimeoutMs: 5_000, connectionTimeoutMs: 1_000 });
    try {
      const app = appOn(handle);
      // Connections open in the pool when the server goes away.
      await Promise.all([1, 2, 3].map(() => app.request('/api/v1/services?county=27053')));
      expect(handle.pool.totalCount).toBeGreaterThan(0);
      await proxy.down();
      await sleep(100);
      await expectUnavailable(app);
      await proxy.up();
      expect((await app.request('/readyz')).status).toBe(200);
      expect((await app.request('/api/v1/services?county=27053')).status).toBe(200);
      expect(
        (await app.request(`/api/v1/cases/${caseId}`, { headers: { Cookie: session.cookie } })).status,
      ).toBe(200);
      expect(uncaught).toEqual([]);
    } finally {
      await handle.close();
      await proxy.close();
    }
  }, 60_000);
});

/**
 * A TCP proxy to PostgreSQL that can fail as a database server does: `freeze()` stops passing bytes
 * while keeping every connection open (a server given SIGSTOP, or a network that drops packets), and
 * `down()` drops every connection and refuses new ones (a server stopped or restarting) until `up()`.
 */
async function faultyProxy(target: URL): Promise<{
  port: number;
  freeze(): void;
  thaw(): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}> {
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const pipe = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (frozen) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server: Server = createServer((client) => {
    track(client);
    // A stopped server's kernel still accepts the connection; nothing answers.
    if (frozen) return;
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    for (const s of [client, upstream])
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    pipe(client, upstream);
    pipe(upstream, client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  await listen(0);
  const port = (server.address() as { port: number }).port;
  return {
    port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    down: stop,
    up: () => listen(port),
    close: stop,
  };
}
