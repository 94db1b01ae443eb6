/**
 * Guessing at sign-in, at the second step and at re-authentication, through the pages and the service:
 * simultaneous guesses cost one attempt each and at most the limit is ever checked; a stranger's
 * failures from other addresses do not lock the person out; a long run of failures locks the account
 * until an administrator unlocks it. Synthetic people only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, sessionFor } from '../../../test/staff.ts';
import type { Role } from '../../platform/access.ts';
import { hashPassword } from '../../platform/auth/credentials/password.ts';
import { newTotpSecret, totpCodeAt } from '../../platform/auth/credentials/totp.ts';
import { encryptField } from '../../platform/crypto/index.ts';
import {
  ACCOUNT_LOCK_AFTER_FAILURES,
  beginSignInAttempt,
  signInAttemptFailed,
} from '../../platform/rate-limit/index.ts';
import {
  emailIndex,
  reauthenticate,
  sessionFromToken,
  signInWithPassword,
  unlockUser,
  verifySecondFactor,
  type AccountsContext,
  type RequestOrigin,
} from './service.ts';

const PASSWORD = 'synthetic walnut ferry lantern';
const WRONG = 'not the password at all';
let t: TestApp;
let clock = new Date();
let ctx: AccountsContext;
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const from = (ip: string): RequestOrigin => ({ ip, userAgent: 'synthetic-test-browser' });
const envFor = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

let addressSeq = 0;
/** An address of its own for each use (TEST-NET-2 and -3). */
const freshAddress = () => {
  addressSeq += 1;
  return `${addressSeq % 2 ? '198.51.100' : '203.0.113'}.${Math.ceil(addressSeq / 2) % 250}`;
};

interface Person {
  id: string;
  email: string;
  secret: string | null;
}

/** A person with a real password and, when `totp`, a second factor. */
async function person(role: Role, totp: boolean): Promise<Person> {
  const staff = await addStaff(t.deps, role);
  const secret = totp ? newTotpSecret() : null;
  const at = (field: string) => ({
    scope: `staff:${staff.id}`,
    table: 'staff_users',
    recordId: staff.id,
    field,
  });
  await t.deps.db
    .updateTable('staff_users')
    .set({
      password_hash: await hashPassword(PASSWORD),
      ...(secret
        ? {
            totp_secret_encrypted: await encryptField(t.deps.keyring, at('totp_secret'), secret),
            totp_enabled_at: new Date(),
          }
        : {}),
    })
    .where('id', '=', staff.id)
    .execute();
  return { id: staff.id, email: staff.email, secret };
}

async function auditRows(action: string, subjectId: string) {
  return t.deps.db
    .selectFrom('audit_events')
    .select(['action', 'details', 'ip'])
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .execute();
}

async function auditActions(action: string) {
  return t.deps.db.selectFrom('audit_events').select('seq').where('action', '=', action).execute();
}

/** A complete session for the person, made at the test clock's time. */
async function sessionAt(userId: string) {
  const made = await sessionFor(t.deps.db, userId);
  const token = made.cookie.split('=')[1] ?? '';
  await t.deps.db
    .updateTable('staff_sessions')
    .set({ created_at: clock, last_seen_at: clock, reauthenticated_at: clock })
    .where('user_id', '=', userId)
    .execute();
  const session = await sessionFromToken(ctx, token);
  if (!session) throw new Error('no session');
  return session;
}

/** The CSRF token of a form page, as the browser would read it. */
async function csrfOf(path: string, cookie?: string): Promise<string> {
  const html = await (await t.app.request(path, { headers: cookie ? { Cookie: cookie } : {} })).text();
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

function postForm(path: string, fields: Record<string, string>, ip: string, cookie?: string) {
  return t.app.request(
    path,
    {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: TEST_SITE.origin,
        ...(cookie ? { Cookie: cookie } : {}),
      },
    },
    envFor(ip),
  );
}

beforeAll(async () => {
  t = await testApp();
  ctx = { db: t.deps.db, keyring: t.deps.keyring, site: TEST_SITE, now: () => clock };
});
afterAll(async () => {
  await t.close();
});

describe('simultaneous guesses', () => {
  it('checks at most 5 of 100 simultaneous passwords, and the right one at #90 does not get in', async () => {
    const p = await person('trainer', false);
    const csrf = await csrfOf('/staff/sign-in');
    const ip = freshAddress();
    const throttledBefore = (await auditActions('sign_in.throttled')).length;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        postForm('/staff/sign-in', { email: p.email, password: i === 89 ? PASSWORD : WRONG, csrf }, ip),
      ),
    );
    // every password checked and found wrong leaves a failure in the audit log
    const checked = await auditRows('sign_in.failure', p.id);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(responses[89]?.status).not.toBe(303);
    expect(responses.filter((r) => r.status === 303)).toHaveLength(0);
    // the others were refused without a check, each recorded, each saying when to try again
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(100 - checked.length);
    expect((await auditActions('sign_in.throttled')).length - throttledBefore).toBe(refused.length);
    expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused[0]?.text()).toMatch(/Try again in \d+ (minutes?|seconds?)/);
  });

  it('checks at most 5 of 60 simultaneous codes on one half-signed-in session', async () => {
    const p = await person('navigator', true);
    const ip = freshAddress();
    const signIn = await postForm(
      '/staff/sign-in',
      { email: p.email, password: PASSWORD, csrf: await csrfOf('/staff/sign-in') },
      ip,
    );
    expect(signIn.headers.get('location')).toBe('/staff/sign-in/code');
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = await csrfOf('/staff/sign-in/code', cookie);
    // six digits that are not the current code, nor the one before or after
    const valid = new Set(
      await Promise.all(
        [-30_000, 0, 30_000].map((d) => totpCodeAt(p.secret ?? '', new Date(Date.now() + d))),
      ),
    );
    const wrong = Array.from({ length: 60 }, (_, i) => String(100_000 + i * 7919)).filter(
      (c) => !valid.has(c),
    );
    const responses = await Promise.all(
      wrong.map((code) => postForm('/staff/sign-in/code', { code, csrf }, ip, cookie)),
    );
    const checked = (await auditRows('sign_in.failure', p.id)).filter(
      (r) => (r.details as { step?: string }).step === 'second_factor',
    );
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(responses.filter((r) => r.status === 303)).toHaveLength(0);
    expect(responses.filter((r) => r.status === 429).length).toBe(wrong.length - checked.length);
  });
});

describe('re-authentication', () => {
  it('refuses the right password after 30 wrong ones until the lock has passed', async () => {
    const p = await person('state_admin', true);
    const session = await sessionAt(p.id);
    const ip = freshAddress();
    const code = () => totpCodeAt(p.secret ?? '', clock);
    for (let i = 0; i < 30; i++) {
      await reauthenticate(ctx, session, { password: WRONG, code: await code() }, from(ip));
    }
    expect((await auditRows('reauthentication.failure', p.id)).length).toBeLessThanOrEqual(5);
    const refused = await reauthenticate(ctx, session, { password: PASSWORD, code: await code() }, from(ip));
    expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
    const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(10 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // from another address of the same person: only a delay, never longer than the lock
    const elsewhere = await reauthenticate(
      ctx,
      session,
      { password: PASSWORD, code: await code() },
      from(freshAddress()),
    );
    expect(elsewhere).toMatchObject({ ok: false, reason: 'throttled' });
    advance(wait * 1000);
    expect(await reauthenticate(ctx, session, { password: PASSWORD, code: await code() }, from(ip))).toEqual({
      ok: true,
    });
  });

  it('answers a throttled re-authentication with a page that says when to try again', async () => {
    const p = await person('state_admin', true);
    const s = await sessionFor(t.deps.db, p.id);
    const ip = freshAddress();
    const csrf = s.csrf;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await postForm(
        '/staff/reauthenticate?next=%2Fstaff',
        { password: WRONG, code: '123456', csrf },
        ip,
        s.cookie,
      );
      statuses.push(res.status);
      if (i === 6) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await res.text()).toMatch(/Try again in 1[0-5] minutes/);
      }
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
  });
});

describe('a stranger guessing', () => {
  it('cannot lock the person out at their own address, and only delays them elsewhere', async () => {
    const p = await person('trainer', false);
    const home = freshAddress();
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(home))).toMatchObject({
      ok: true,
    });
    // a stranger tries 30 wrong passwords from 30 addresses in a few minutes
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      advance(5_000);
      const r = await signInWithPassword(ctx, { email: p.email, password: WRONG }, from(freshAddress()));
      outcomes.push(r.ok ? 'in' : r.reason);
    }
    expect(outcomes.filter((o) => o === 'invalid').length).toBeGreaterThanOrEqual(5);
    expect(outcomes.filter((o) => o === 'invalid').length).toBeLessThan(12);
    expect(outcomes).not.toContain('locked');
    // the person, at home, signs in at once
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(home))).toMatchObject({
      ok: true,
    });
    // the stranger again, then the person from a new address: a delay, then in
    for (let i = 0; i < 12; i++) {
      advance(60_000);
      await signInWithPassword(ctx, { email: p.email, password: WRONG }, from(freshAddress()));
    }
    const away = freshAddress();
    const delayed = await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(away));
    expect(delayed).toMatchObject({ ok: false, reason: 'throttled' });
    const wait = (delayed as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeLessThanOrEqual(15 * 60);
    advance(wait * 1000);
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(away))).toMatchObject({
      ok: true,
    });
  });

  it('locks the account after 100 failures in a row until an administrator unlocks it', async () => {
    const p = await person('trainer', false);
    const admin = await addStaff(t.deps, 'state_admin');
    const home = freshAddress();
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(home))).toMatchObject({
      ok: true,
    });
    let failures = 0;
    while (failures < 100) {
      advance(16 * 60_000);
      const r = await signInWithPassword(ctx, { email: p.email, password: WRONG }, from(freshAddress()));
      expect(r).toEqual({ ok: false, reason: 'invalid' });
      failures += 1;
    }
    advance(16 * 60_000);
    // locked for everyone, the person at home included, with the right password
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(home))).toEqual({
      ok: false,
      reason: 'locked',
    });
    advance(24 * 60 * 60_000);
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(home))).toEqual({
      ok: false,
      reason: 'locked',
    });
    expect((await auditRows('sign_in.lockout', p.id)).map((r) => r.details)).toContainEqual(
      expect.objectContaining({ scope: 'account', step: 'password' }),
    );
    const adminSession = await sessionAt(admin.id);
    expect(await unlockUser(ctx, adminSession, p.id, from(freshAddress()))).toBe(true);
    expect(await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(home))).toMatchObject({
      ok: true,
    });
  }, 60_000);
});

describe('the locked page', () => {
  it('says the same to a locked account and to a locked email that has no account', async () => {
    const p = await person('trainer', false);
    const start = Date.now() - (ACCOUNT_LOCK_AFTER_FAILURES + 1) * 16 * 60_000;
    for (const email of [p.email, 'no.such.person.zq@example.org']) {
      const accountKey = await emailIndex(t.deps, email);
      for (let i = 0; i < ACCOUNT_LOCK_AFTER_FAILURES; i++) {
        const gate = await beginSignInAttempt(t.deps.db, {
          accountKey,
          address: freshAddress(),
          now: new Date(start + i * 16 * 60_000),
        });
        if (!gate.allowed) throw new Error(`attempt ${i} refused`);
        await signInAttemptFailed(t.deps.db, gate.ticket);
      }
    }
    const csrf = await csrfOf('/staff/sign-in');
    const pages = await Promise.all(
      [p.email, 'no.such.person.zq@example.org'].map(async (email) => {
        const res = await postForm('/staff/sign-in', { email, password: PASSWORD, csrf }, freshAddress());
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBeNull();
        return /<div class="usa-alert usa-alert--error"[\s\S]*?<\/ul>/.exec(await res.text())?.[0];
      }),
    );
    expect(pages[0]).toContain('locked after too many failed attempts');
    expect(pages[0]).toContain('Ask your administrator to unlock it');
    expect(pages[1]).toBe(pages[0]);
  });
});

describe('the second step', () => {
  it('locks the pair after 5 wrong codes, and unlock lifts it', async () => {
    const p = await person('navigator', true);
    const admin = await addStaff(t.deps, 'state_admin');
    const ip = freshAddress();
    const first = await signInWithPassword(ctx, { email: p.email, password: PASSWORD }, from(ip));
    if (!first.ok) throw new Error('refused');
    const s = await sessionFromToken(ctx, first.session.token);
    if (!s) throw new Error('no session');
    for (let i = 0; i < 5; i++)
      expect(await verifySecondFactor(ctx, s, 'AAAAA-AAAAA', from(ip))).toEqual({
        ok: false,
        reason: 'invalid',
      });
    advance(30_000);
    expect(await verifySecondFactor(ctx, s, await totpCodeAt(p.secret ?? '', clock), from(ip))).toMatchObject(
      {
        ok: false,
        reason: 'throttled',
      },
    );
    expect((await auditRows('sign_in.lockout', p.id)).map((r) => r.details)).toContainEqual(
      expect.objectContaining({ scope: 'address', step: 'second_factor' }),
    );
    const adminSession = await sessionAt(admin.id);
    await unlockUser(ctx, adminSession, p.id, from(freshAddress()));
    expect(await verifySecondFactor(ctx, s, await totpCodeAt(p.secret ?? '', clock), from(ip))).toMatchObject(
      {
        ok: true,
      },
    );
  });
});
