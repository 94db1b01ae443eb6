import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, sessionFor, type TestStaff } from '../../../test/staff.ts';
import { createApiToken, type AccountsContext } from './service.ts';
import { tokensCommand } from './cli.ts';

const origin = { ip: '192.0.2.1', userAgent: 'synthetic-test' };
let t: TestApp;
let ctx: AccountsContext;
let owner: TestStaff;
let other: TestStaff;

beforeAll(async () => {
  // Small limits, so that a test can reach them.
  t = await testApp({ apiRateLimit: { perToken: 3, perAddress: 5, windowSeconds: 3600 } });
  ctx = { db: t.deps.db, keyring: t.deps.keyring, site: TEST_SITE };
  owner = await addStaff(t.deps, 'navigator', ['central']);
  other = await addStaff(t.deps, 'navigator', ['central']);
});
afterAll(async () => {
  await t.close();
});

let address = 0;
/** A client address of its own, so one test's requests do not count against another's. */
const freshAddress = () => `198.51.100.${++address}`;
const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

const tokenOf = async (staff: TestStaff, scopes: ('tokens.manage' | 'sessions.manage')[]) =>
  createApiToken(ctx, 'system', { userId: staff.id, scopes, expiresInDays: 1 }, origin);

const call = (path: string, init: { method?: string; token?: string; cookie?: string; ip: string }) =>
  t.app.request(
    path,
    {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
        ...(init.cookie ? { Cookie: init.cookie, Origin: TEST_SITE.origin } : {}),
      },
    },
    from(init.ip),
  );

async function auditActions(subjectId: string): Promise<string[]> {
  const rows = await t.deps.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => r.action);
}

describe('DELETE /api/v1/tokens/{id}', () => {
  it('lets a token revoke itself; the revoked token then answers 401', async () => {
    const ip = freshAddress();
    const { id, token } = await tokenOf(owner, ['tokens.manage']);
    expect((await call('/api/v1/staff/me', { token, ip })).status).toBe(200);
    const revoked = await call(`/api/v1/tokens/${id}`, { method: 'DELETE', token, ip });
    expect(revoked.status).toBe(204);
    expect(await auditActions(id)).toEqual(['token.create', 'token.revoke']);
    expect((await call('/api/v1/staff/me', { token, ip: freshAddress() })).status).toBe(401);
  });

  it("answers 404 for another person's token or an unknown id, and 403 without the scope", async () => {
    const ip = freshAddress();
    const mine = await tokenOf(owner, ['tokens.manage']);
    const theirs = await tokenOf(other, ['sessions.manage']);
    const refused = await call(`/api/v1/tokens/${theirs.id}`, { method: 'DELETE', token: mine.token, ip });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await call('/api/v1/staff/me', { token: theirs.token, ip: freshAddress() })).status).toBe(200);
    const unknown = await call('/api/v1/tokens/not-a-token-id', { method: 'DELETE', token: mine.token, ip });
    expect(unknown.status).toBe(404);
    const ip2 = freshAddress();
    const noScope = await call(`/api/v1/tokens/${theirs.id}`, {
      method: 'DELETE',
      token: theirs.token,
      ip: ip2,
    });
    expect(noScope.status).toBe(403);
    expect((await call(`/api/v1/tokens/${mine.id}`, { method: 'DELETE', ip: ip2 })).status).toBe(401);
  });

  it('asks a session to have signed in again recently', async () => {
    const { id, token } = await tokenOf(owner, ['sessions.manage']);
    const session = await sessionFor(t.deps.db, owner.id);
    const reauthenticatedAt = (at: Date) =>
      t.deps.db
        .updateTable('staff_sessions')
        .set({ reauthenticated_at: at })
        .where('user_id', '=', owner.id)
        .execute();
    const revoke = () =>
      call(`/api/v1/tokens/${id}`, { method: 'DELETE', cookie: session.cookie, ip: freshAddress() });
    await reauthenticatedAt(new Date(Date.now() - 10 * 60_000));
    const stale = await revoke();
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { detail: string }).detail).toMatch(/Sign in again/);
    expect((await call('/api/v1/staff/me', { token, ip: freshAddress() })).status).toBe(200);
    await reauthenticatedAt(new Date());
    const fresh = await revoke();
    expect(fresh.status).toBe(204);
    expect((await call('/api/v1/staff/me', { token, ip: freshAddress() })).status).toBe(401);
  });
});

describe('nwd tokens revoke', () => {
  it('revokes any token, says when it already was, and refuses an unknown id', async () => {
    const { id, token } = await tokenOf(other, ['sessions.manage']);
    expect(await tokensCommand(ctx, ['revoke', id])).toBe(`Revoked API token ${id}.`);
    expect((await call('/api/v1/staff/me', { token, ip: freshAddress() })).status).toBe(401);
    expect(await tokensCommand(ctx, ['revoke', id])).toBe(`API token ${id} was already revoked.`);
    await expect(tokensCommand(ctx, ['revoke', '00000000-0000-4000-8000-000000000000'])).rejects.toThrow(
      'There is no such token.',
    );
    await expect(tokensCommand(ctx, ['revoke'])).rejects.toThrow(/Usage/);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_kind'])
      .where('subject_id', '=', id)
      .execute();
    expect(audit).toEqual([
      { action: 'token.create', actor_kind: 'system' },
      { action: 'token.revoke', actor_kind: 'system' },
      { action: 'token.revoke', actor_kind: 'system' },
    ]);
  });
});

describe('the API rate limit', () => {
  it('gives RateLimit-* headers and a 429 problem with Retry-After past the per-token limit', async () => {
    const ip = freshAddress();
    const { token } = await tokenOf(owner, ['sessions.manage']);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await call('/api/v1/staff/me', { token, ip });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('RateLimit-Limit')).toBe('3');
      expect(Number(ok.headers.get('RateLimit-Reset'))).toBeGreaterThan(0);
      remaining.push(ok.headers.get('RateLimit-Remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await call('/api/v1/staff/me', { token, ip: freshAddress() });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    // Another token from the same address still goes through.
    const second = await tokenOf(owner, ['sessions.manage']);
    expect((await call('/api/v1/staff/me', { token: second.token, ip })).status).toBe(200);
  });

  it('counts an address with or without a token, and leaves other addresses alone', async () => {
    const ip = freshAddress();
    for (let i = 0; i < 5; i++) {
      const answer = await call('/api/v1/staff/me', { ip });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('RateLimit-Limit')).toBe('5');
    }
    const { token } = await tokenOf(other, ['sessions.manage']);
    const refused = await call('/api/v1/staff/me', { token, ip });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect((await call('/api/v1/staff/me', { token, ip: freshAddress() })).status).toBe(200);
    // Public pages and the OpenAPI document are not counted.
    expect((await call('/api/openapi.json', { ip })).status).toBe(200);
  });
});
