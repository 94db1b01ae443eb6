import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { addOrganization, addStaff } from '../../../test/staff.ts';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.ts';
import type { Actor, Role } from '../../platform/access.ts';
import { verifyAuditChain } from '../../platform/audit/audit.ts';
import { totpCodeAt } from '../../platform/auth/credentials/totp.ts';
import { Keyring, decryptField, generateMasterKey } from '../../platform/crypto/index.ts';
import { configureRateLimitHashing, RATE_LIMIT_INDEX_PURPOSE } from '../../platform/rate-limit/index.ts';
import {
  AccountError,
  acceptInvitation,
  actorFromBearer,
  beginTwoFactorEnrolment,
  changeRole,
  completeSetup,
  confirmTwoFactorEnrolment,
  createApiToken,
  createOrganization,
  createSetupLink,
  endSessions,
  inviteUser,
  listSessions,
  needsSetup,
  reauthenticate,
  requestPasswordReset,
  resetPassword,
  resetTwoFactor,
  sessionFromToken,
  setDisabled,
  signInWithPassword,
  unlockUser,
  verifySecondFactor,
  type AccountsContext,
  type CurrentSession,
} from './service.ts';

const origin = { ip: '192.0.2.10', userAgent: 'synthetic-test' };

/** Inviting and creating an organization with this file's context and request origin. */
const invite = (actor: Actor, input: Parameters<typeof inviteUser>[2]) =>
  inviteUser(ctx, actor, input, origin);
const newOrganization = (actor: Actor, input: Parameters<typeof createOrganization>[2]) =>
  createOrganization(ctx, actor, input, origin);
const PASSWORD = 'correct horse battery staple orbit';
let t: TestDatabase;
let clock = new Date('2030-01-01T12:00:00Z');
let ctx: AccountsContext;

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  t = await freshDatabase();
  const keyring = new Keyring(t.db, generateMasterKey());
  configureRateLimitHashing(await keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE));
  ctx = { db: t.db, keyring, site: { origin: 'http://localhost:3000', development: true }, now: () => clock };
});
afterAll(async () => {
  await t.drop();
});

async function session(token: string): Promise<CurrentSession> {
  const s = await sessionFromToken(ctx, token);
  if (!s) throw new Error('no session');
  return s;
}

/** Signs in through both steps, enrolling two-factor on the way when needed; returns the session and secret. */
async function signInFully(email: string, password: string, secret?: string) {
  const first = await signInWithPassword(ctx, { email, password }, origin);
  if (!first.ok) throw new Error(`sign-in refused: ${first.reason}`);
  const s = await session(first.session.token);
  if (s.stage === 'enrol_second_factor') {
    const enrolment = await beginTwoFactorEnrolment(ctx, s);
    const confirmed = await confirmTwoFactorEnrolment(
      ctx,
      s,
      await totpCodeAt(enrolment.secret, clock),
      origin,
    );
    if (!confirmed.ok) throw new Error('enrolment refused');
    return {
      token: confirmed.session.token,
      secret: enrolment.secret,
      recoveryCodes: confirmed.recoveryCodes,
    };
  }
  if (s.stage === 'second_factor' && secret) {
    advance(30_000);
    const done = await verifySecondFactor(ctx, s, await totpCodeAt(secret, clock), origin);
    if (!done.ok) throw new Error('second factor refused');
    expect((await session(done.session.token)).stage).toBe('complete');
    return { token: done.session.token, secret, recoveryCodes: [] };
  }
  return { token: first.session.token, secret: secret ?? '', recoveryCodes: [] };
}

describe('setting up, inviting and signing in', () => {
  let admin: { token: string; secret: string; recoveryCodes: string[] };
  let adminActor: Actor;
  let orgId: string;

  it('offers a single-use set-up link while there is no state administrator', async () => {
    expect(await needsSetup(t.db)).toBe(true);
    const link = await createSetupLink(ctx);
    expect(link).toMatch(/^http:\/\/localhost:3000\/staff\/setup\/nwdl_/);
    await expect(
      completeSetup(
        ctx,
        tokenOf(link ?? ''),
        {
          organizationName: 'Synthetic State Agency',
          email: 'admin@example.org',
          displayName: 'Synthetic Admin',
          password: 'short',
        },
        origin,
      ),
    ).rejects.toMatchObject({ code: 'invalid', reason: 'weak_password' });
    const userId = await completeSetup(
      ctx,
      tokenOf(link ?? ''),
      {
        organizationName: 'Synthetic State Agency',
        email: 'admin@example.org',
        displayName: 'Synthetic Admin',
        password: PASSWORD,
      },
      origin,
    );
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      completeSetup(
        ctx,
        tokenOf(link ?? ''),
        { organizationName: 'Other', email: 'x@example.org', displayName: 'X', password: PASSWORD },
        origin,
      ),
    ).rejects.toMatchObject({ code: 'not_found', reason: 'link_invalid' });
    expect(await needsSetup(t.db)).toBe(false);
    expect(await createSetupLink(ctx)).toBeNull();
  });

  it('makes a state administrator enrol two-factor before the session is complete, and shows recovery codes once', async () => {
    const first = await signInWithPassword(ctx, { email: 'ADMIN@example.org ', password: PASSWORD }, origin);
    if (!first.ok) throw new Error('refused');
    expect(first.session.stage).toBe('enrol_second_factor');
    const half = await session(first.session.token);
    const enrolment = await beginTwoFactorEnrolment(ctx, half);
    expect(enrolment.qrSvg).toContain('<svg');
    // Reloading the page shows the same key, so a key already scanned stays the one to confirm.
    expect((await beginTwoFactorEnrolment(ctx, half)).secret).toBe(enrolment.secret);
    expect(await confirmTwoFactorEnrolment(ctx, half, '000000', origin)).toEqual({ ok: false });
    // One wrong code does not replace it either.
    expect((await beginTwoFactorEnrolment(ctx, half)).secret).toBe(enrolment.secret);
    const confirmed = await confirmTwoFactorEnrolment(
      ctx,
      half,
      await totpCodeAt(enrolment.secret, clock),
      origin,
    );
    if (!confirmed.ok) throw new Error('enrolment refused');
    admin = {
      token: confirmed.session.token,
      secret: enrolment.secret,
      recoveryCodes: confirmed.recoveryCodes,
    };
    expect(admin.recoveryCodes).toHaveLength(10);
    const s = await session(admin.token);
    expect(s.stage).toBe('complete');
    adminActor = s.actor;
    expect(adminActor.role).toBe('state_admin');
    // The half-signed-in session was replaced, not promoted (no session fixation).
    expect(await sessionFromToken(ctx, first.session.token)).toBeNull();
  });

  it('stores no email, name or second-factor secret in the clear', async () => {
    const row = await t.db.selectFrom('staff_users').selectAll().executeTakeFirstOrThrow();
    const text = JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
    expect(text).not.toContain('admin@example.org');
    expect(text).not.toContain('Synthetic Admin');
    expect(text).not.toContain(admin.secret);
    expect(
      await decryptField(
        ctx.keyring,
        { table: 'staff_users', recordId: row.id, field: 'email' },
        row.email_encrypted,
      ),
    ).toBe('admin@example.org');
  });

  it('invites a navigator into an organization; the link works once', async () => {
    orgId = await newOrganization(adminActor, { name: 'Synthetic Navigator Host', type: 'navigator_host' });
    await expect(
      invite(adminActor, { email: 'nav@example.org', role: 'navigator', organizationId: orgId }),
    ).rejects.toMatchObject({ code: 'invalid' });
    const { link } = await invite(adminActor, {
      email: 'nav@example.org',
      role: 'navigator',
      organizationId: orgId,
      regions: ['west-metro'],
    });
    await expect(
      invite(adminActor, {
        email: 'Nav@Example.org',
        role: 'navigator',
        organizationId: orgId,
        regions: ['west-metro'],
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(acceptInvitation(ctx, tokenOf(link), 'password', origin)).rejects.toBeInstanceOf(
      AccountError,
    );
    await acceptInvitation(ctx, tokenOf(link), PASSWORD, origin);
    await expect(acceptInvitation(ctx, tokenOf(link), PASSWORD, origin)).rejects.toMatchObject({
      code: 'not_found',
      reason: 'link_invalid',
    });
    const outbox = await t.db.selectFrom('email_outbox').select(['template', 'subject']).execute();
    expect(outbox.map((r) => r.template)).toContain('invitation');
  });

  it('refuses an organization administrator outside their organization', async () => {
    const orgAdmin: Actor = {
      userId: adminActor.userId,
      role: 'org_admin',
      organizationId: orgId,
      regions: [],
    };
    const otherOrg = await newOrganization(adminActor, { name: 'Synthetic Other Org', type: 'school' });
    await expect(
      invite(orgAdmin, { email: 'p@example.org', role: 'professional', organizationId: otherOrg }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      invite(orgAdmin, { email: 'p@example.org', role: 'org_admin', organizationId: orgId }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // A navigator host has no state administrators, whoever asks.
    await expect(
      invite(orgAdmin, { email: 'p@example.org', role: 'state_admin', organizationId: orgId }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(newOrganization(orgAdmin, { name: 'Nope', type: 'other' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('answers an unknown account exactly like a wrong password, and holds the account back after five failures', async () => {
    const unknown = await signInWithPassword(
      ctx,
      { email: 'nobody@example.org', password: PASSWORD },
      origin,
    );
    const wrong = await signInWithPassword(
      ctx,
      { email: 'nav@example.org', password: 'wrong password entirely' },
      origin,
    );
    expect(unknown).toEqual({ ok: false, reason: 'invalid' });
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    for (let i = 0; i < 4; i++)
      await signInWithPassword(
        ctx,
        { email: 'nav@example.org', password: 'wrong password entirely' },
        { ...origin, ip: `198.51.100.${i}` },
      );
    const locked = await signInWithPassword(ctx, { email: 'nav@example.org', password: PASSWORD }, origin);
    expect(locked).toMatchObject({ ok: false, reason: 'throttled' });
    const adminSession = await session(admin.token);
    const navId = (
      await t.db
        .selectFrom('staff_users')
        .select('id')
        .where('role', '=', 'navigator')
        .executeTakeFirstOrThrow()
    ).id;
    expect(await unlockUser(ctx, adminSession, navId, origin)).toBe(true);
    expect(
      await signInWithPassword(ctx, { email: 'nav@example.org', password: PASSWORD }, origin),
    ).toMatchObject({ ok: true });
  });

  it('never accepts the same second-factor code twice, nor a recovery code twice', async () => {
    const first = await signInWithPassword(ctx, { email: 'admin@example.org', password: PASSWORD }, origin);
    if (!first.ok) throw new Error('refused');
    expect(first.session.stage).toBe('second_factor');
    const s = await session(first.session.token);
    // The code accepted at enrolment (same time step) is refused as a replay.
    const replay = await verifySecondFactor(ctx, s, await totpCodeAt(admin.secret, clock), origin);
    expect(replay).toEqual({ ok: false, reason: 'invalid' });
    const code = admin.recoveryCodes[0] ?? '';
    const viaRecovery = await verifySecondFactor(ctx, s, code.toLowerCase(), origin);
    expect(viaRecovery).toMatchObject({ ok: true, usedRecoveryCode: true });
    const again = await signInWithPassword(ctx, { email: 'admin@example.org', password: PASSWORD }, origin);
    if (!again.ok) throw new Error('refused');
    expect(await verifySecondFactor(ctx, await session(again.session.token), code, origin)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    advance(30_000);
    const next = await verifySecondFactor(
      ctx,
      await session(again.session.token),
      await totpCodeAt(admin.secret, clock),
      origin,
    );
    expect(next.ok).toBe(true);
    if (next.ok) admin.token = next.session.token;
  });

  it('ends sessions after 30 idle minutes and after 12 hours, and lists and ends them on request', async () => {
    const s = await session(admin.token);
    expect((await listSessions(ctx, s)).some((x) => x.current)).toBe(true);
    advance(29 * 60_000);
    expect(await sessionFromToken(ctx, admin.token)).not.toBeNull();
    advance(31 * 60_000);
    expect(await sessionFromToken(ctx, admin.token)).toBeNull();
    admin = { ...admin, ...(await signInFully('admin@example.org', PASSWORD, admin.secret)) };
    // Active every 29 minutes, never idle: still ended once 12 hours have passed since sign-in.
    for (let i = 0; i < 24; i++) {
      advance(29 * 60_000);
      expect(await sessionFromToken(ctx, admin.token), `after ${(i + 1) * 29} minutes`).not.toBeNull();
    }
    advance(29 * 60_000);
    expect(await sessionFromToken(ctx, admin.token)).toBeNull();
    admin = { ...admin, ...(await signInFully('admin@example.org', PASSWORD, admin.secret)) };
    const current = await session(admin.token);
    const ended = await endSessions(ctx, current, 'others', origin);
    expect(ended).toBeGreaterThanOrEqual(0);
    expect((await listSessions(ctx, current)).map((x) => x.current)).toEqual([true]);
  });

  it('asks for a recent re-authentication before changing a role, and ends the changed person’s sessions', async () => {
    const nav = await signInFully('nav@example.org', PASSWORD);
    const navId = (await session(nav.token)).userId;
    advance(6 * 60_000);
    const adminSession = await session(admin.token);
    await expect(
      changeRole(ctx, adminSession, navId, { role: 'professional', regions: [] }, origin),
    ).rejects.toMatchObject({ code: 'forbidden', reason: 'reauthentication_required' });
    advance(30_000);
    expect(
      await reauthenticate(
        ctx,
        adminSession,
        { password: PASSWORD, code: await totpCodeAt(admin.secret, clock) },
        origin,
      ),
    ).toEqual({ ok: true });
    await changeRole(ctx, await session(admin.token), navId, { role: 'professional', regions: [] }, origin);
    expect(await sessionFromToken(ctx, nav.token)).toBeNull();
  });

  it('issues scoped, expiring, revocable API tokens under the owner’s policy', async () => {
    const adminSession = await session(admin.token);
    const created = await createApiToken(
      ctx,
      adminSession.actor,
      { userId: adminSession.userId, scopes: ['audit.read'], expiresInDays: 1 },
      origin,
    );
    const actor = await actorFromBearer(ctx, created.token);
    expect(actor).toMatchObject({ role: 'state_admin', tokenScopes: ['audit.read'] });
    expect(await actorFromBearer(ctx, `${created.token.slice(0, -1)}x`)).toBeNull();
    advance(86_400_000 + 1000);
    expect(await actorFromBearer(ctx, created.token)).toBeNull();
  });

  it('resets a password by a single-use link and ends every session', async () => {
    await requestPasswordReset(ctx, 'nobody@example.org', origin);
    await requestPasswordReset(ctx, 'nav@example.org', origin);
    const rows = await t.db
      .selectFrom('one_time_links')
      .select(['purpose', 'used_at'])
      .where('purpose', '=', 'password_reset')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('disables a person: sessions and tokens end, sign-in answers as for a wrong password', async () => {
    admin = { ...admin, ...(await signInFully('admin@example.org', PASSWORD, admin.secret)) };
    const nav = await signInFully('nav@example.org', PASSWORD);
    const navId = (await session(nav.token)).userId;
    await setDisabled(ctx, await session(admin.token), navId, true, origin);
    expect(await sessionFromToken(ctx, nav.token)).toBeNull();
    expect(await signInWithPassword(ctx, { email: 'nav@example.org', password: PASSWORD }, origin)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    await expect(resetPassword(ctx, 'nwdl_' + 'x'.repeat(43), PASSWORD, origin)).rejects.toMatchObject({
      code: 'not_found',
      reason: 'link_invalid',
    });
  });

  it('recorded every step in an intact audit chain, without personal data', async () => {
    const chain = await verifyAuditChain(t.db);
    expect(chain.ok).toBe(true);
    const actions = (await t.db.selectFrom('audit_events').select('action').execute()).map((r) => r.action);
    for (const a of [
      'setup.completed',
      'sign_in.success',
      'sign_in.failure',
      'two_factor.enrolled',
      'staff.invite',
      'role.change',
      'staff.disable',
      'staff.unlock',
      'token.create',
      'reauthentication.success',
    ]) {
      expect(actions).toContain(a);
    }
    const all = JSON.stringify(await t.db.selectFrom('audit_events').selectAll().execute());
    expect(all).not.toContain('example.org');
  });
});

describe('who may grant what, and who may hold an API token', () => {
  const now = () => clock;
  /** A complete session, just re-authenticated, for calling the use cases directly. */
  const sessionOf = (actor: Actor): CurrentSession => ({
    idHash: `synthetic-${actor.userId}`,
    userId: actor.userId,
    who: { name: () => Promise.resolve('Synthetic Person'), organizationName: 'Synthetic Organization' },
    stage: 'complete',
    csrfToken: 'synthetic',
    createdAt: now(),
    reauthenticatedAt: now(),
    actor,
  });
  const roleOf = async (id: string) =>
    t.db.selectFrom('staff_users').select(['role', 'regions']).where('id', '=', id).executeTakeFirstOrThrow();
  let provider: string;
  let host: string;
  let state: Actor;
  let providerAdmin: Actor;
  let hostAdmin: Actor;

  beforeAll(async () => {
    const deps = { db: t.db, keyring: ctx.keyring };
    provider = await addOrganization(t.db, 'Synthetic Provider', 'service_provider');
    host = await addOrganization(t.db, 'Synthetic Host', 'navigator_host');
    state = (
      await addStaff(deps, 'state_admin', [], {
        organizationId: await addOrganization(t.db, 'State', 'state_agency'),
      })
    ).actor;
    providerAdmin = (await addStaff(deps, 'org_admin', [], { organizationId: provider })).actor;
    hostAdmin = (await addStaff(deps, 'org_admin', [], { organizationId: host })).actor;
  });

  it('refuses an organization administrator a navigator, a region or an administrator, by invitation', async () => {
    const ask = (actor: Actor, organizationId: string, role: Role, regions: string[] = []) =>
      invite(actor, { email: `${randomUUID()}@example.org`, role, organizationId, regions });
    await expect(ask(providerAdmin, provider, 'navigator', ['west-metro'])).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(ask(hostAdmin, host, 'navigator', ['west-metro'])).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(ask(hostAdmin, host, 'org_admin')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ask(hostAdmin, host, 'child_protection')).rejects.toMatchObject({ code: 'invalid' });
    await expect(ask(hostAdmin, host, 'provider_staff', ['west-metro'])).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('Only regional navigators have regions'),
    });
    const staff = await ask(hostAdmin, host, 'provider_staff');
    expect(await roleOf(staff.userId)).toEqual({ role: 'provider_staff', regions: [] });
    // A state administrator: a navigator in a navigator host, in regions that exist only.
    await expect(ask(state, host, 'navigator', ['atlantis'])).rejects.toMatchObject({ code: 'invalid' });
    await expect(ask(state, provider, 'navigator', ['west-metro'])).rejects.toMatchObject({
      code: 'invalid',
    });
    const navigator = await ask(state, host, 'navigator', ['west-metro', 'west-metro']);
    expect(await roleOf(navigator.userId)).toEqual({ role: 'navigator', regions: ['west-metro'] });
  });

  it('lets nobody change their own role, and an organization administrator only roles they can give', async () => {
    await expect(
      changeRole(
        ctx,
        sessionOf(providerAdmin),
        providerAdmin.userId,
        { role: 'navigator', regions: ['west-metro'] },
        origin,
      ),
    ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('your own role') });
    await expect(
      changeRole(ctx, sessionOf(state), state.userId, { role: 'state_admin', regions: [] }, origin),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect((await roleOf(providerAdmin.userId)).role).toBe('org_admin');

    const deps = { db: t.db, keyring: ctx.keyring };
    const person = (await addStaff(deps, 'professional', [], { organizationId: host })).id;
    await expect(
      changeRole(ctx, sessionOf(hostAdmin), person, { role: 'navigator', regions: ['west-metro'] }, origin),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await changeRole(ctx, sessionOf(hostAdmin), person, { role: 'provider_staff', regions: [] }, origin);
    expect(await roleOf(person)).toEqual({ role: 'provider_staff', regions: [] });
    // A navigator's role is a state administrator's to change.
    const navigator = (await addStaff(deps, 'navigator', ['west-metro'], { organizationId: host })).id;
    await expect(
      changeRole(ctx, sessionOf(hostAdmin), navigator, { role: 'professional', regions: [] }, origin),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      changeRole(ctx, sessionOf(state), navigator, { role: 'navigator', regions: ['atlantis'] }, origin),
    ).rejects.toMatchObject({ code: 'invalid' });
    await changeRole(ctx, sessionOf(state), navigator, { role: 'navigator', regions: ['southeast'] }, origin);
    expect(await roleOf(navigator)).toEqual({ role: 'navigator', regions: ['southeast'] });
  });

  it('creates API tokens only for people who finished setting up, and refuses them after a two-factor reset', async () => {
    const deps = { db: t.db, keyring: ctx.keyring };
    const token = (userId: string) =>
      createApiToken(ctx, 'system', { userId, scopes: ['sessions.manage'], expiresInDays: 1 }, origin);
    // Invited, never signed in: no password.
    const invited = await invite(state, {
      email: `${randomUUID()}@example.org`,
      role: 'professional',
      organizationId: host,
    });
    await expect(token(invited.userId)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('not finished setting up'),
    });
    // A password but no two-step sign-in, in a role that sees personal data.
    const navigator = await addStaff(deps, 'navigator', ['west-metro'], {
      organizationId: host,
      twoFactor: false,
    });
    await expect(token(navigator.id)).rejects.toMatchObject({ code: 'invalid' });
    // A professional sees no personal data: a password is enough.
    const professional = await addStaff(deps, 'professional', [], { organizationId: host, twoFactor: false });
    expect(await actorFromBearer(ctx, (await token(professional.id)).token)).toMatchObject({
      userId: professional.id,
    });
    // Set up completely; then an administrator resets two-step sign-in: the token stops working.
    const complete = await addStaff(deps, 'navigator', ['west-metro'], { organizationId: host });
    const issued = await token(complete.id);
    expect(await actorFromBearer(ctx, issued.token)).toMatchObject({ userId: complete.id });
    await resetTwoFactor(ctx, sessionOf(state), complete.id, origin);
    expect(await actorFromBearer(ctx, issued.token)).toBeNull();
    // A token made before set-up was finished (as earlier versions allowed) does not work either.
    const early = newSecret('nwdt');
    await t.db
      .insertInto('api_tokens')
      .values({
        user_id: invited.userId,
        token_hash: hashSecret(early),
        scopes: ['sessions.manage'],
        expires_at: new Date(clock.getTime() + 86_400_000),
      })
      .execute();
    expect(await actorFromBearer(ctx, early)).toBeNull();
  });
});

describe('two-step enrolment', () => {
  it('replaces a key waiting for confirmation once it is an hour old', async () => {
    const deps = { db: t.db, keyring: ctx.keyring };
    const orgId = await addOrganization(t.db, 'Synthetic Enrolment Org', 'navigator_host');
    const { actor: state } = await addStaff(deps, 'state_admin', [], { organizationId: orgId });
    const { link } = await invite(state, {
      email: 'enrol-expiry@example.org',
      role: 'org_admin',
      organizationId: orgId,
      regions: [],
    });
    await acceptInvitation(ctx, tokenOf(link), PASSWORD, origin);
    const first = await signInWithPassword(
      ctx,
      { email: 'enrol-expiry@example.org', password: PASSWORD },
      origin,
    );
    if (!first.ok) throw new Error('refused');
    const half = await session(first.session.token);
    const shown = await beginTwoFactorEnrolment(ctx, half);
    advance(59 * 60_000);
    expect((await beginTwoFactorEnrolment(ctx, half)).secret).toBe(shown.secret);
    advance(2 * 60_000);
    expect((await beginTwoFactorEnrolment(ctx, half)).secret).not.toBe(shown.secret);
  });
});
