/**
 * Two instances of the service (`startService`, as `nwd start` runs it) on one PostgreSQL database,
 * behind a round-robin proxy: no instance keeps state the other needs. Sessions, CSRF form tokens, API
 * rate limits and background jobs are shared through the database; what an instance keeps in memory (the
 * geography, unwrapped data keys) follows the other's changes within a second through LISTEN/NOTIFY; and
 * what is read from the database on every request (sessions, users, consents) takes effect at once.
 * Synthetic data only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from '../bench/round-robin-proxy.ts';
import { loadConfig } from '../src/config.ts';
import { createApiToken } from '../src/features/accounts/service.ts';
import { addCase, addReferralNetwork } from '../src/features/referrals/testing.ts';
import { importPack } from '../src/pack/import.ts';
import { verifyAuditChain } from '../src/platform/audit/audit.ts';
import { hashPassword } from '../src/platform/auth/credentials/password.ts';
import { newTotpSecret, totpCodeAt } from '../src/platform/auth/credentials/totp.ts';
import { Keyring, encryptField, parseMasterKey } from '../src/platform/crypto/index.ts';
import { createLogger } from '../src/platform/log.ts';
import { enqueueEmail } from '../src/platform/mail/index.ts';
import { startService, type RunningService } from '../src/server.ts';
import { freshDatabase, type TestDatabase } from './db.ts';
import { addStaff, sessionFor, type TestStaff } from './staff.ts';

let database: TestDatabase;
let proxy: RoundRobinProxy;
let a: RunningService;
let b: RunningService;
/** A keyring of this test's own (like a command run beside the service), for writing synthetic data. */
let keyring: Keyring;
let dataDir: string;
let origin: string;
const logs: string[] = [];
let mail = '';
const RATE_LIMIT = 10;

function sink(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      write(chunk.toString());
      done();
    },
  });
}

beforeAll(async () => {
  database = await freshDatabase();
  proxy = await startRoundRobinProxy();
  origin = proxy.url;
  dataDir = mkdtempSync(join(tmpdir(), 'nwd-instances-'));
  chmodSync(dataDir, 0o755);
  const masterKey = randomBytes(32).toString('hex');
  const config = loadConfig({
    DATABASE_URL: database.url,
    NWD_MASTER_KEY: masterKey,
    PORT: '0',
    HOST: '127.0.0.1',
    NWD_DATA_DIR: dataDir,
    NWD_PACK: resolve('data/mn'),
    // Links and the same-site check name the address staff use: the proxy's.
    NWD_PUBLIC_URL: origin,
    NWD_DB_POOL_SIZE: '4',
    NWD_API_RATE_LIMIT_PER_TOKEN: String(RATE_LIMIT),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  });
  const log = createLogger(
    'warn',
    sink((text) => logs.push(text)),
  );
  const mailConsole = sink((text) => (mail += text));
  a = await startService(config, log, { mailConsole });
  b = await startService(config, log, { mailConsole });
  proxy.setTargets([a.url, b.url]);
  keyring = new Keyring(database.db, parseMasterKey(masterKey, 'the test'));
});

afterAll(async () => {
  await a?.stop('test over');
  await b?.stop('test over');
  await proxy?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

/** A request to one instance (its own origin) or through the proxy, as a browser at the site would send it. */
async function send(
  base: string,
  path: string,
  init: {
    method?: string;
    cookie?: string;
    form?: Record<string, string>;
    json?: unknown;
    token?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  if (method !== 'GET') headers.Origin = origin;
  const res = await fetch(base + path, { method, headers, body, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const csrfOf = (html: string): string => {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
};

/**
 * Polls `check` until it holds and returns how long that took; fails past `withinMs`. The change was
 * committed before this is called, so the time is how long the other instance lagged behind.
 */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    const elapsed = performance.now() - started;
    if (elapsed > withinMs)
      throw new Error(`not within ${withinMs} ms (checked for ${Math.round(elapsed)} ms)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Gives a staff member a password and a two-step sign-in key, as finishing their invitation would. */
async function enableSignIn(person: TestStaff, password: string): Promise<string> {
  const secret = newTotpSecret();
  await database.db
    .updateTable('staff_users')
    .set({
      password_hash: await hashPassword(password),
      totp_secret_encrypted: await encryptField(
        keyring,
        { scope: `staff:${person.id}`, table: 'staff_users', recordId: person.id, field: 'totp_secret' },
        secret,
      ),
      totp_enabled_at: new Date(),
    })
    .where('id', '=', person.id)
    .execute();
  return secret;
}

describe('two instances behind a round-robin proxy', () => {
  it('both listen for changes, and while they do a request does not wait for data_versions', async () => {
    expect(a.url).not.toBe(b.url);
    const listeners = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'nwd-changes'`.execute(database.db);
    expect(listeners.rows[0]?.n).toBe(2);
    // With data_versions locked, the per-request check (used only while an instance is not listening)
    // would hold every request for its 250 ms deadline; listening instances answer without reading it.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = database.db.transaction().execute(async (trx) => {
      await sql`lock table data_versions in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    try {
      const started = performance.now();
      for (let i = 0; i < 10; i++)
        expect((await send(proxy.url, '/navigator?county=27053')).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      release();
      await holder;
    }
    expect(proxy.counts()).toEqual([5, 5]);
  });

  it('signs in across instances: a form token from one is accepted by the other, and so is the session', async () => {
    const person = await addStaff({ db: database.db, keyring }, 'navigator', ['west-metro'], {
      name: 'Synthetic Roaming Navigator',
    });
    const password = 'synthetic correct horse battery';
    const secret = await enableSignIn(person, password);

    // The sign-in form comes from A; its token is accepted by B, and a forged one is not.
    const formToken = csrfOf((await send(a.url, '/staff/sign-in')).text);
    const forged = await send(b.url, '/staff/sign-in', {
      form: { csrf: `${formToken.slice(0, -4)}0000`, email: person.email, password },
    });
    expect(forged.status).toBe(403);
    const signedIn = await send(b.url, '/staff/sign-in', {
      form: { csrf: formToken, email: person.email, password },
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/staff/sign-in/code');
    const cookie = /nwd_session=[^;]+/.exec(signedIn.headers.get('set-cookie') ?? '')?.[0];
    expect(cookie).toBeDefined();

    // The session B made is at its second step on A too; the code goes to B.
    const codePage = await send(a.url, '/staff/sign-in/code', { cookie: cookie! });
    expect(codePage.status).toBe(200);
    const done = await send(b.url, '/staff/sign-in/code', {
      cookie: cookie!,
      form: { csrf: csrfOf(codePage.text), code: await totpCodeAt(secret) },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff');
    const complete = /nwd_session=[^;]+/.exec(done.headers.get('set-cookie') ?? '')?.[0] ?? cookie!;

    // Signed in everywhere: both instances directly, and through the proxy in turn.
    for (const base of [a.url, b.url, proxy.url, proxy.url, proxy.url, proxy.url]) {
      const home = await send(base, '/staff', { cookie: complete });
      expect(home.status).toBe(200);
      expect(home.text).toContain('Synthetic Roaming Navigator');
    }
    // The session's form token, shown by A, carries a sign-out posted to B.
    const token = csrfOf((await send(a.url, '/staff', { cookie: complete })).text);
    expect((await send(b.url, '/staff/sign-out', { cookie: complete, form: { csrf: token } })).status).toBe(
      303,
    );
    expect((await send(a.url, '/staff', { cookie: complete })).status).toBe(303);
  });

  it('counts API rate limits across both instances', async () => {
    const person = await addStaff({ db: database.db, keyring }, 'navigator', ['west-metro']);
    const { token } = await createApiToken(
      { db: database.db, keyring, site: { origin, development: true } },
      'system',
      { userId: person.id, scopes: ['cases.read'], expiresInDays: 1 },
      { ip: '192.0.2.1', userAgent: null },
    );
    const before = proxy.counts();
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++)
      statuses.push((await send(proxy.url, '/api/v1/tasks', { token })).status);
    const served = proxy.counts().map((n, i) => n - (before[i] ?? 0));
    // Split between the instances, the limit is still reached after RATE_LIMIT requests in all.
    expect(served.sort()).toEqual([5, 6]);
    expect(statuses.slice(0, RATE_LIMIT)).toEqual(Array(RATE_LIMIT).fill(200));
    expect(statuses[RATE_LIMIT]).toBe(429);
    // Either instance refuses now.
    expect((await send(a.url, '/api/v1/tasks', { token })).status).toBe(429);
    expect((await send(b.url, '/api/v1/tasks', { token })).status).toBe(429);
  });

  it('runs each job once while both instances run their job loops', async () => {
    const count = 30;
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) {
        await enqueueEmail(
          trx,
          keyring,
          {
            to: `synthetic.${i}@example.org`,
            template: 'password_reset',
            params: {
              link: `${origin}/reset/synthetic-token-${i}`,
              expiresAt: new Date(Date.now() + 3600_000),
            },
          },
          { origin, development: true },
        );
      }
    });
    // Both instances deliver the outbox every 5 seconds.
    await within(20_000, async () => {
      const waiting = await database.db
        .selectFrom('email_outbox')
        .select('id')
        .where('status', '!=', 'sent')
        .execute();
      return waiting.length === 0;
    });
    const rows = await database.db.selectFrom('email_outbox').select(['attempts', 'status']).execute();
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    for (let i = 0; i < count; i++) expect(mail.split(`To: synthetic.${i}@example.org\n`).length - 1).toBe(1);

    // The audit rows written through both instances are linked into one chain, each once.
    await within(10_000, async () => {
      const result = await verifyAuditChain(database.db, { graceMs: 60_000 });
      return result.ok && result.pending === 0 && result.rows > 0;
    });
    const verified = await verifyAuditChain(database.db, { graceMs: 0 });
    expect(verified).toMatchObject({ ok: true, pending: 0 });
  });

  it('shows an edited navigator on the other instance within a second', async () => {
    const admin = await addStaff({ db: database.db, keyring }, 'state_admin', [], {
      name: 'Synthetic Steward',
    });
    const session = await sessionFor(database.db, admin.id);
    const phone = `218-555-${String(100 + Math.floor(Math.random() * 800)).padStart(4, '0')}`;
    const lookup = () => send(b.url, '/api/v1/navigators?county=27007');
    expect((await lookup()).text).not.toContain(phone);
    const saved = await send(a.url, '/api/v1/data/organizations/support-within-reach', {
      method: 'PUT',
      cookie: session.cookie,
      json: {
        name: 'Support Within Reach',
        type: 'navigator_host',
        phone,
        website: 'https://example.org/swr',
        source: 'Confirmed by a synthetic phone call',
        verified: true,
      },
    });
    expect(saved.status).toBe(200);
    const lag = await within(1000, async () => (await lookup()).text.includes(phone));
    expect(lag).toBeLessThan(1000);
    expect((await send(b.url, '/navigator?county=27007')).text).toContain(phone);
  });

  it('shows a re-imported pack on both instances within a second', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'nwd-pack-'));
    try {
      cpSync(resolve('data/mn'), pack, { recursive: true });
      const linesPath = join(pack, 'lines.json');
      const lines = JSON.parse(readFileSync(linesPath, 'utf8')) as { id: string; hours: string | null }[];
      const manifest = JSON.parse(readFileSync(join(pack, 'pack.json'), 'utf8')) as {
        statewideLineId: string;
      };
      const hours = `Synthetic hours ${randomBytes(3).toString('hex')}`;
      for (const line of lines) if (line.id === manifest.statewideLineId) line.hours = hours;
      writeFileSync(linesPath, JSON.stringify(lines, null, 2));
      // The home page lists the lines with their hours.
      const page = (base: string) => send(base, '/');
      expect((await page(a.url)).text).not.toContain(hours);
      // As `nwd import-pack` does, from outside either instance.
      const result = await importPack(database.db, pack, { force: true });
      expect(result.imported).toBe(true);
      await within(1000, async () => (await page(a.url)).text.includes(hours));
      await within(1000, async () => (await page(b.url)).text.includes(hours));
    } finally {
      rmSync(pack, { recursive: true, force: true });
    }
  });

  it('stops decrypting with a destroyed data key on the other instance within a second', async () => {
    const { navigator } = await addReferralNetwork({ db: database.db, keyring });
    const session = await sessionFor(database.db, navigator.id);
    const cached = await addCase(
      { db: database.db, keyring },
      { person: { chosenName: 'Synthetic Kestrel' } },
    );
    const shredded = await addCase(
      { db: database.db, keyring },
      { person: { chosenName: 'Synthetic Plover' } },
    );
    const casePage = (id: string) => send(b.url, `/staff/cases/${id}`, { cookie: session.cookie });
    // B reads both cases: their data keys are now in its memory.
    expect((await casePage(cached)).text).toContain('Synthetic Kestrel');
    expect((await casePage(shredded)).text).toContain('Synthetic Plover');

    // Without an announcement B keeps decrypting from its memory: this is what the feed is for.
    await database.db
      .updateTable('data_keys')
      .set({ wrapped: Buffer.alloc(0), destroyed_at: new Date() })
      .where('scope', '=', `case:${cached}`)
      .execute();
    await new Promise((r) => setTimeout(r, 300));
    expect((await casePage(cached)).text).toContain('Synthetic Kestrel');

    // Destroyed as the retention job does it (on some instance): B stops within a second.
    await database.db.transaction().execute(async (trx) => {
      expect(await keyring.destroyDataKey(`case:${shredded}`, trx)).toBe(true);
    });
    await within(1000, async () => !(await casePage(shredded)).text.includes('Synthetic Plover'));
    expect((await send(a.url, `/staff/cases/${shredded}`, { cookie: session.cookie })).text).not.toContain(
      'Synthetic Plover',
    );
  });

  it('applies a revoked consent on the other instance within a second', async () => {
    const network = await addReferralNetwork({ db: database.db, keyring });
    const nav = (await sessionFor(database.db, network.navigator.id)).cookie;
    const shelter = (await sessionFor(database.db, network.shelterStaff.id)).cookie;
    const caseId = await addCase({ db: database.db, keyring }, { person: { chosenName: 'Synthetic Wren' } });
    const consent = await send(a.url, `/api/v1/cases/${caseId}/consents`, {
      cookie: nav,
      json: {
        organizationId: network.shelterOrg,
        purpose: 'housing_placement',
        categories: ['identity'],
        method: 'written',
      },
    });
    expect(consent.status).toBe(201);
    const referral = await send(b.url, `/api/v1/cases/${caseId}/referrals`, {
      cookie: nav,
      json: {
        toOrganizationId: network.shelterOrg,
        serviceType: 'emergency_shelter',
        shareIdentifying: true,
        send: true,
      },
    });
    expect(referral.status).toBe(201);
    const referralId = (JSON.parse(referral.text) as { id: string }).id;
    const read = async () =>
      JSON.parse((await send(b.url, `/api/v1/referrals/${referralId}`, { cookie: shelter })).text) as {
        sharing: string;
      };
    expect((await read()).sharing).toBe('identifying');
    const consentId = (JSON.parse(consent.text) as { id: string }).id;
    expect(
      (await send(a.url, `/api/v1/consents/${consentId}/revoke`, { cookie: nav, json: {} })).status,
    ).toBe(200);
    await within(1000, async () => (await read()).sharing === 'consent_ended');
  });

  it('applies a disabled account on the other instance within a second', async () => {
    const admin = await addStaff({ db: database.db, keyring }, 'state_admin', [], {
      name: 'Synthetic Admin',
    });
    const person = await addStaff({ db: database.db, keyring }, 'navigator', ['west-metro'], {
      name: 'Synthetic Leaving Navigator',
    });
    const adminSession = await sessionFor(database.db, admin.id);
    const theirs = (await sessionFor(database.db, person.id)).cookie;
    expect((await send(b.url, '/staff', { cookie: theirs })).status).toBe(200);
    const disabled = await send(a.url, `/staff/admin/people/${person.id}/disable`, {
      cookie: adminSession.cookie,
      form: { csrf: adminSession.csrf },
    });
    expect(disabled.status).toBe(303);
    await within(1000, async () => (await send(b.url, '/staff', { cookie: theirs })).status === 303);
    expect((await send(b.url, '/staff', { cookie: theirs })).headers.get('location')).toBe('/staff/sign-in');
  });
});
