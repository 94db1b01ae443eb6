import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import type { Actor, Role } from '../../platform/access.ts';
import {
  createApiToken,
  createOrganization,
  inviteUser,
  revokeApiToken,
  type AccountsContext,
} from '../accounts/service.ts';

const origin = { ip: '192.0.2.1', userAgent: 'synthetic-test' };
let t: TestApp;
let ctx: AccountsContext;
let admin: Actor;
let orgAdmin: Actor;

beforeAll(async () => {
  t = await testApp();
  ctx = { db: t.deps.db, keyring: t.deps.keyring, site: TEST_SITE };
  const stateOrg = (
    await t.deps.db
      .insertInto('member_organizations')
      .values({ name: 'Synthetic State', type: 'state_agency' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  /** An invited administrator of `organizationId`, as an actor. */
  const invited = async (by: Actor | 'system', email: string, role: Role, organizationId: string) => {
    const { userId } = await inviteUser(ctx, by, { email, role, organizationId }, origin);
    return { userId, role, organizationId, regions: [] };
  };
  admin = await invited('system', 'state@example.org', 'state_admin', stateOrg);
  const org = await createOrganization(
    ctx,
    admin,
    { name: 'Synthetic Host', type: 'navigator_host' },
    origin,
  );
  orgAdmin = await invited(admin, 'host@example.org', 'org_admin', org);
  // As if both had accepted their invitation and enrolled two-step sign-in: only then may they hold tokens.
  await t.deps.db
    .updateTable('staff_users')
    .set({ password_hash: 'not-used-in-this-test', totp_enabled_at: new Date() })
    .where('id', 'in', [admin.userId, orgAdmin.userId])
    .execute();
});
afterAll(async () => {
  await t.close();
});

/** A token for `owner`, valid for `days`, with these scopes. */
const tokenFor = (owner: Actor, scopes: ('audit.read' | 'sessions.manage')[], days = 1) =>
  createApiToken(ctx, 'system', { userId: owner.userId, scopes, expiresInDays: days }, origin);

const get = (path: string, token?: string) =>
  t.app.request(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('bearer tokens on the staff API', () => {
  it('act as their owner, narrowed by their scopes', async () => {
    const { token } = await tokenFor(admin, ['audit.read'], 30);
    const me = await get('/api/v1/staff/me', token);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      userId: admin.userId,
      role: 'state_admin',
      scopes: ['audit.read'],
    });
    const events = await get('/api/v1/audit-events?limit=5', token);
    expect(events.status).toBe(200);
    expect(((await events.json()) as { events: unknown[] }).events.length).toBeGreaterThan(0);

    const narrow = await tokenFor(admin, ['sessions.manage'], 30);
    const refused = await get('/api/v1/audit-events', narrow.token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('limit an organization administrator to their organization', async () => {
    const { token } = await tokenFor(orgAdmin, ['audit.read']);
    const body = (await (await get('/api/v1/audit-events?limit=500', token)).json()) as {
      events: { organizationId: string | null }[];
    };
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.every((e) => e.organizationId === orgAdmin.organizationId)).toBe(true);
  });

  it('are refused when missing, malformed, revoked or expired, and are stored only hashed', async () => {
    expect((await get('/api/v1/staff/me')).status).toBe(401);
    expect((await get('/api/v1/staff/me', 'nwdt_not-a-real-token')).status).toBe(401);
    const malformed = await t.app.request('/api/v1/staff/me', { headers: { Authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    const { id, token } = await tokenFor(admin, ['audit.read']);
    expect((await get('/api/v1/staff/me', token)).status).toBe(200);
    expect(await revokeApiToken(ctx, admin, id, origin, { reauthenticatedAt: new Date() })).toBe(true);
    expect((await get('/api/v1/staff/me', token)).status).toBe(401);
    const soon = await tokenFor(admin, ['audit.read']);
    await t.deps.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', soon.id)
      .execute();
    expect((await get('/api/v1/staff/me', soon.token)).status).toBe(401);
    const rows = JSON.stringify(await t.deps.db.selectFrom('api_tokens').selectAll().execute());
    expect(rows).not.toContain(token);
  });
});
