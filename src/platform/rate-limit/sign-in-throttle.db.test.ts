import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { BlindIndexKey, blindIndex, normaliseForIndex } from '../crypto/blind-index.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing, rateLimitKeyHash } from './key-hash.ts';
import { PUBLIC_FORM_LIMIT, recordPublicFormRequest } from './public-forms.ts';
import {
  ACCOUNT_FAILURE_LIMIT,
  ACCOUNT_LOCKOUT_SECONDS,
  ADDRESS_FAILURE_LIMIT,
  accountLockedUntil,
  checkSignIn,
  recordSignInFailure,
  recordSignInSuccess,
  unlockAccount,
} from './sign-in-throttle.ts';
import { rateLimitDb } from './tables.ts';

let t: TestDatabase;
// The email blind index the sign-in code will pass as the account key (synthetic key and emails).
const emailIndexKey = new BlindIndexKey('staff-email', randomBytes(32));
const emailIndex = (email: string) => blindIndex(emailIndexKey, normaliseForIndex(email));

beforeAll(async () => {
  t = await freshDatabase();
  configureRateLimitHashing(new BlindIndexKey(RATE_LIMIT_INDEX_PURPOSE, randomBytes(32)));
});
afterAll(async () => {
  await t?.drop();
});

let era = Date.UTC(2031, 0, 1);
/** A fresh hour, aligned to the 15-minute windows, so tests do not see each other's counts. */
function freshHour(): (minutes: number) => Date {
  era += 3_600_000 * 24;
  const start = era;
  return (minutes) => new Date(start + minutes * 60_000);
}
let addressNumber = 0;
const freshAddress = () => `198.51.100.${++addressNumber}`;

describe('account lockout', () => {
  it('locks an account at the 5th failure for 15 minutes, then counts afresh', async () => {
    const at = freshHour();
    const accountKey = emailIndex('zyxwv.lock@example.org');
    const address = freshAddress();
    for (let i = 1; i < ACCOUNT_FAILURE_LIMIT; i++) {
      expect(await recordSignInFailure(t.db, { accountKey, address, now: at(i) })).toEqual({
        allowed: true,
        lockedNow: false,
      });
      expect(await checkSignIn(t.db, { accountKey, address, now: at(i) })).toEqual({ allowed: true });
    }
    expect(await recordSignInFailure(t.db, { accountKey, address, now: at(5) })).toEqual({
      allowed: false,
      retryAfterSeconds: ACCOUNT_LOCKOUT_SECONDS,
      lockedNow: true,
    });
    expect(await checkSignIn(t.db, { accountKey, address, now: at(5) })).toEqual({
      allowed: false,
      retryAfterSeconds: 900,
    });
    // from any address
    expect(await checkSignIn(t.db, { accountKey, address: freshAddress(), now: at(10) })).toEqual({
      allowed: false,
      retryAfterSeconds: 600,
    });
    expect(await accountLockedUntil(t.db, accountKey, at(10))).toEqual(at(20));
    // other accounts are not affected
    expect(
      await checkSignIn(t.db, { accountKey: emailIndex('other@example.org'), address, now: at(10) }),
    ).toEqual({
      allowed: true,
    });
    // the lock ends after 15 minutes
    expect(await checkSignIn(t.db, { accountKey, address, now: at(20) })).toEqual({ allowed: true });
    expect(await accountLockedUntil(t.db, accountKey, at(20))).toBeNull();
    // and it takes another 5 failures to lock again
    for (let i = 1; i < ACCOUNT_FAILURE_LIMIT; i++) {
      expect((await recordSignInFailure(t.db, { accountKey, address, now: at(20 + i) })).lockedNow).toBe(
        false,
      );
    }
    expect((await recordSignInFailure(t.db, { accountKey, address, now: at(25) })).lockedNow).toBe(true);
  });

  it('counts failures over a sliding 15 minutes, across window boundaries', async () => {
    const at = freshHour();
    const accountKey = emailIndex('zyxwv.sliding@example.org');
    // 4 failures just before a window boundary and 1 just after: 5 within a few minutes
    for (const minute of [12, 13, 13.5, 14]) {
      expect(
        (await recordSignInFailure(t.db, { accountKey, address: freshAddress(), now: at(minute) })).lockedNow,
      ).toBe(false);
    }
    expect(
      (await recordSignInFailure(t.db, { accountKey, address: freshAddress(), now: at(16) })).lockedNow,
    ).toBe(true);
  });

  it('does not extend a lock for failures while locked (the lock is capped at 15 minutes)', async () => {
    const at = freshHour();
    const accountKey = emailIndex('zyxwv.cap@example.org');
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
      await recordSignInFailure(t.db, { accountKey, address: freshAddress(), now: at(1) });
    }
    expect(await accountLockedUntil(t.db, accountKey, at(1))).toEqual(at(16));
    // an attacker keeps failing during the lock (say, through a race past checkSignIn)
    for (let minute = 2; minute < 16; minute++) {
      const after = await recordSignInFailure(t.db, { accountKey, address: freshAddress(), now: at(minute) });
      expect(after).toEqual({ allowed: false, retryAfterSeconds: (16 - minute) * 60, lockedNow: false });
    }
    expect(await accountLockedUntil(t.db, accountKey, at(15))).toEqual(at(16));
    expect(await checkSignIn(t.db, { accountKey, address: freshAddress(), now: at(16) })).toEqual({
      allowed: true,
    });
    // and those failures did not count toward the next lock
    expect(
      (await recordSignInFailure(t.db, { accountKey, address: freshAddress(), now: at(16) })).lockedNow,
    ).toBe(false);
  });

  it('an administrator unlocks an account, which clears its failures', async () => {
    const at = freshHour();
    const accountKey = emailIndex('zyxwv.unlock@example.org');
    const address = freshAddress();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++)
      await recordSignInFailure(t.db, { accountKey, address, now: at(1) });
    expect((await checkSignIn(t.db, { accountKey, address, now: at(2) })).allowed).toBe(false);
    expect(await unlockAccount(t.db, accountKey, at(2))).toBe(true);
    expect(await checkSignIn(t.db, { accountKey, address, now: at(2) })).toEqual({ allowed: true });
    expect(await unlockAccount(t.db, accountKey, at(2))).toBe(false);
    for (let i = 1; i < ACCOUNT_FAILURE_LIMIT; i++) {
      expect((await recordSignInFailure(t.db, { accountKey, address, now: at(3) })).lockedNow).toBe(false);
    }
  });

  it('a successful sign-in clears the account failures but not the address failures', async () => {
    const at = freshHour();
    const accountKey = emailIndex('zyxwv.success@example.org');
    const address = freshAddress();
    for (let i = 1; i < ACCOUNT_FAILURE_LIMIT; i++)
      await recordSignInFailure(t.db, { accountKey, address, now: at(1) });
    await recordSignInSuccess(t.db, { accountKey });
    for (let i = 1; i < ACCOUNT_FAILURE_LIMIT; i++) {
      expect((await recordSignInFailure(t.db, { accountKey, address, now: at(2) })).lockedNow).toBe(false);
    }
    const addressRows = await rateLimitDb(t.db)
      .selectFrom('rate_limits')
      .select('count')
      .where('bucket', '=', 'sign-in.address-failures')
      .where('window_start', '=', at(0))
      .execute();
    expect(addressRows.map((r) => r.count)).toContain(2 * (ACCOUNT_FAILURE_LIMIT - 1));
  });
});

describe('address throttling', () => {
  it('refuses an address after 20 failures across accounts, and no other address', async () => {
    const at = freshHour();
    const address = freshAddress();
    for (let i = 1; i <= ADDRESS_FAILURE_LIMIT; i++) {
      const after = await recordSignInFailure(t.db, {
        accountKey: emailIndex(`spray-${i}@example.org`),
        address,
        now: at(1),
      });
      expect(after.allowed).toBe(i < ADDRESS_FAILURE_LIMIT);
    }
    const refused = await checkSignIn(t.db, {
      accountKey: emailIndex('new@example.org'),
      address,
      now: at(2),
    });
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(13 * 60);
    expect(
      await checkSignIn(t.db, {
        accountKey: emailIndex('new@example.org'),
        address: freshAddress(),
        now: at(2),
      }),
    ).toEqual({
      allowed: true,
    });
  });

  it('counts an IPv6 /64 as one address', async () => {
    const at = freshHour();
    for (let i = 1; i <= ADDRESS_FAILURE_LIMIT; i++) {
      await recordSignInFailure(t.db, {
        accountKey: emailIndex(`v6-${i}@example.org`),
        address: `2001:db8:7:7::${i.toString(16)}`,
        now: at(1),
      });
    }
    const check = (address: string) =>
      checkSignIn(t.db, { accountKey: emailIndex('new@example.org'), address, now: at(2) });
    expect((await check('2001:db8:7:7:ffff::1')).allowed).toBe(false);
    expect((await check('2001:db8:7:8::1')).allowed).toBe(true);
  });
});

describe('the same answer for unknown accounts and wrong passwords', () => {
  // A sign-in as the service will do it: throttle first, then the (synthetic) account lookup.
  const accounts = new Map([[emailIndex('known.zyxwv@example.org'), 'correct horse battery staple']]);
  async function signIn(email: string, password: string, address: string, now: Date) {
    const accountKey = emailIndex(email);
    const check = await checkSignIn(t.db, { accountKey, address, now });
    if (!check.allowed) return { outcome: 'throttled', ...check };
    if (accounts.get(accountKey) === password) {
      await recordSignInSuccess(t.db, { accountKey });
      return { outcome: 'signed-in' };
    }
    const after = await recordSignInFailure(t.db, { accountKey, address, now });
    return { outcome: 'wrong email or password', ...after };
  }

  it('throttles and locks an unknown email exactly like a known one with a wrong password', async () => {
    const at = freshHour();
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    const knownAddress = freshAddress();
    const unknownAddress = freshAddress();
    for (let i = 0; i < 10; i++) {
      known.push(await signIn('known.zyxwv@example.org', 'wrong password 1', knownAddress, at(i)));
      unknown.push(await signIn('nobody.zyxwv@example.org', 'wrong password 1', unknownAddress, at(i)));
    }
    expect(unknown).toEqual(known);
    expect(known.map((r) => (r as { outcome: string }).outcome)).toEqual([
      ...Array<string>(5).fill('wrong email or password'),
      ...Array<string>(5).fill('throttled'),
    ]);
    // and the stored rows cannot tell them apart either: same buckets, same counts
    const rows = await rateLimitDb(t.db)
      .selectFrom('rate_limits')
      .select(['bucket', 'key_hash', 'count', 'window_start', 'expires_at'])
      .where('window_start', '>=', at(0))
      .where('window_start', '<', at(60))
      .execute();
    const shape = (hashes: Set<string>) =>
      rows
        .filter((r) => hashes.has(r.key_hash))
        .map((r) => `${r.bucket} ${r.count} ${r.window_start.toISOString()} ${r.expires_at.toISOString()}`)
        .sort();
    const hashesOf = (email: string, address: string) =>
      new Set([
        rateLimitKeyHash('sign-in.account-failures', emailIndex(email)),
        rateLimitKeyHash('sign-in.account-lock', emailIndex(email)),
        rateLimitKeyHash('sign-in.address-failures', address),
      ]);
    expect(shape(hashesOf('nobody.zyxwv@example.org', unknownAddress))).toEqual(
      shape(hashesOf('known.zyxwv@example.org', knownAddress)),
    );
    expect(shape(hashesOf('known.zyxwv@example.org', knownAddress)).length).toBeGreaterThan(0);
  });

  it('lets the right password in while not locked', async () => {
    const at = freshHour();
    expect(
      await signIn('known.zyxwv@example.org', 'correct horse battery staple', freshAddress(), at(0)),
    ).toEqual({
      outcome: 'signed-in',
    });
  });
});

describe('public forms', () => {
  it(`allows ${PUBLIC_FORM_LIMIT} requests a minute per address`, async () => {
    const at = freshHour();
    const address = freshAddress();
    for (let i = 0; i < PUBLIC_FORM_LIMIT; i++) {
      expect((await recordPublicFormRequest(t.db, { address, now: at(0) })).allowed).toBe(true);
    }
    expect(await recordPublicFormRequest(t.db, { address, now: at(0) })).toMatchObject({
      allowed: false,
      remaining: 0,
    });
    expect((await recordPublicFormRequest(t.db, { address: freshAddress(), now: at(0) })).allowed).toBe(true);
  });
});

describe('privacy', () => {
  it('no row holds an address, an email or an account key', async () => {
    const dump = JSON.stringify(await rateLimitDb(t.db).selectFrom('rate_limits').selectAll().execute());
    expect(dump.length).toBeGreaterThan(100);
    expect(dump).not.toContain('198.51.100.');
    expect(dump).not.toContain('2001:db8');
    expect(dump).not.toContain('example.org');
    expect(dump).not.toContain(emailIndex('known.zyxwv@example.org'));
    expect(dump).not.toContain(emailIndex('zyxwv.lock@example.org'));
  });
});
