import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { BlindIndexKey, blindIndex, normaliseForIndex } from '../crypto/blind-index.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing, rateLimitKeyHash } from './key-hash.ts';
import {
  ACCOUNT_FREE_FAILURES,
  ACCOUNT_LOCK_AFTER_FAILURES,
  ADDRESS_FAILURE_LIMIT,
  PAIR_FAILURE_LIMIT,
  PAIR_LOCKOUT_SECONDS,
  SIGN_IN_BUCKETS,
  accountDelaySeconds,
  accountThrottleState,
  beginSignInAttempt,
  signInAttemptFailed,
  signInAttemptSucceeded,
  unlockAccount,
  type SignInGate,
} from './sign-in-throttle.ts';
import { rateLimitDb } from './tables.ts';

let t: TestDatabase;
let second: DatabaseHandle;
// The email blind index the sign-in code will pass as the account key (synthetic key and emails).
const emailIndexKey = new BlindIndexKey('staff-email', randomBytes(32));
const emailIndex = (email: string) => blindIndex(emailIndexKey, normaliseForIndex(email));

beforeAll(async () => {
  t = await freshDatabase();
  second = openDatabase(t.url, 10);
  configureRateLimitHashing(new BlindIndexKey(RATE_LIMIT_INDEX_PURPOSE, randomBytes(32)));
});
afterAll(async () => {
  await second?.close();
  await t?.drop();
});

let era = Date.UTC(2031, 0, 1);
/** A fresh day, aligned to the 15-minute windows, so tests do not see each other's counts. */
function freshDay(): (minutes: number) => Date {
  era += 3_600_000 * 24 * 40;
  const start = era;
  return (minutes) => new Date(start + minutes * 60_000);
}
let addressNumber = 0;
const freshAddress = () => {
  addressNumber += 1;
  return `${addressNumber % 2 ? '198.51.100' : '203.0.113'}.${Math.ceil(addressNumber / 2) % 250}`;
};

type Attempt = { accountKey: string; address: string; now: Date };
const begin = (a: Attempt) => beginSignInAttempt(t.db, a);
function ticketOf(gate: SignInGate) {
  if (!gate.allowed) throw new Error(`refused: ${JSON.stringify(gate)}`);
  return gate.ticket;
}
/** One wrong password: counted, checked, failed. */
async function fail(a: Attempt) {
  const gate = await begin(a);
  return gate.allowed ? { gate, ...(await signInAttemptFailed(t.db, gate.ticket)) } : { gate };
}
async function succeed(a: Attempt) {
  const gate = await begin(a);
  if (gate.allowed) await signInAttemptSucceeded(t.db, gate.ticket);
  return gate;
}

describe('one account from one address', () => {
  it('locks the pair at the 5th failure for 15 minutes, then counts afresh', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.pair@example.org');
    const address = freshAddress();
    for (let i = 1; i < PAIR_FAILURE_LIMIT; i++) {
      expect(await fail({ accountKey, address, now: at(i) })).toMatchObject({
        gate: { allowed: true },
        lockedPair: false,
        lockedAccount: false,
      });
    }
    expect(await fail({ accountKey, address, now: at(5) })).toMatchObject({ lockedPair: true });
    expect(await begin({ accountKey, address, now: at(5) })).toEqual({
      allowed: false,
      reason: 'wait',
      retryAfterSeconds: PAIR_LOCKOUT_SECONDS,
    });
    expect(await begin({ accountKey, address, now: at(10) })).toEqual({
      allowed: false,
      reason: 'wait',
      retryAfterSeconds: 600,
    });
    // the lock ends after 15 minutes, and it takes another 5 failures to lock again (a few minutes
    // apart: the account's own delay grows too)
    for (const minute of [20, 23, 26, 29]) {
      expect(await fail({ accountKey, address, now: at(minute) })).toMatchObject({
        gate: { allowed: true },
        lockedPair: false,
      });
    }
    expect(await fail({ accountKey, address, now: at(33) })).toMatchObject({ lockedPair: true });
  });

  it('counts an attempt before it is checked: of 50 at once, exactly 5 go ahead', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.burst@example.org');
    const address = freshAddress();
    const gates = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        beginSignInAttempt(i % 2 ? t.db : second.db, { accountKey, address, now: at(1) }),
      ),
    );
    expect(gates.filter((g) => g.allowed)).toHaveLength(PAIR_FAILURE_LIMIT);
    // refused ones were not counted: after the 5 fail, the account has 5 failures in a row, not 50
    for (const g of gates) if (g.allowed) await signInAttemptFailed(t.db, g.ticket);
    expect((await accountThrottleState(t.db, accountKey, at(1))).failuresInARow).toBe(PAIR_FAILURE_LIMIT);
  });

  it('gives every attempt back when the right secret arrives, and the address its one', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.success@example.org');
    const address = freshAddress();
    for (let i = 1; i < PAIR_FAILURE_LIMIT; i++) await fail({ accountKey, address, now: at(1) });
    expect(await succeed({ accountKey, address, now: at(2) })).toMatchObject({ allowed: true });
    expect((await accountThrottleState(t.db, accountKey, at(2))).failuresInARow).toBe(0);
    for (let i = 1; i < PAIR_FAILURE_LIMIT; i++) {
      expect(await fail({ accountKey, address, now: at(3) })).toMatchObject({ lockedPair: false });
    }
    // the address keeps its failures (8), not the successful attempt
    const rows = await rateLimitDb(t.db)
      .selectFrom('rate_limits')
      .select('count')
      .where('bucket', '=', SIGN_IN_BUCKETS.addressFailures)
      .where('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.addressFailures, address))
      .execute();
    expect(rows.map((r) => r.count)).toEqual([2 * (PAIR_FAILURE_LIMIT - 1)]);
  });
});

describe('one account from many addresses', () => {
  it('never locks, but delays each further attempt: 15 seconds, doubling up to 15 minutes', async () => {
    expect([0, 4, 5, 6, 7, 8, 9, 10, 11, 99].map(accountDelaySeconds)).toEqual([
      0, 0, 15, 30, 60, 120, 240, 480, 900, 900,
    ]);
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.spread@example.org');
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      expect(await fail({ accountKey, address: freshAddress(), now: at(0) })).toMatchObject({
        gate: { allowed: true },
        lockedPair: false,
      });
    }
    const sec = (s: number) => new Date(at(0).getTime() + s * 1000);
    // Each time from a new address: too early, told how long to wait; once waited, a failure counts.
    for (const [tooEarly, waitSeconds, waited] of [
      [5, 10, 15],
      [40, 5, 45],
    ] as const) {
      expect(await begin({ accountKey, address: freshAddress(), now: sec(tooEarly) })).toEqual({
        allowed: false,
        reason: 'wait',
        retryAfterSeconds: waitSeconds,
      });
      expect(await fail({ accountKey, address: freshAddress(), now: sec(waited) })).toMatchObject({
        gate: { allowed: true },
      });
    }
    expect(await accountThrottleState(t.db, accountKey, sec(45))).toEqual({
      failuresInARow: 7,
      locked: false,
      delayedUntil: sec(105),
    });
  });

  it('does not delay an address the person signed in from, which a stranger cannot make', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.home@example.org');
    const home = freshAddress();
    expect(await succeed({ accountKey, address: home, now: at(0) })).toMatchObject({ allowed: true });
    for (let i = 0; i < 12; i++) await fail({ accountKey, address: freshAddress(), now: at(i) });
    expect(await begin({ accountKey, address: freshAddress(), now: at(12) })).toMatchObject({
      allowed: false,
      reason: 'wait',
    });
    expect(await succeed({ accountKey, address: home, now: at(12) })).toMatchObject({ allowed: true });
    expect((await accountThrottleState(t.db, accountKey, at(12))).failuresInARow).toBe(0);
    // another account is not known at that address
    const other = emailIndex('zyxwv.neighbour@example.org');
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++)
      await fail({ accountKey: other, address: freshAddress(), now: at(13) });
    expect(await begin({ accountKey: other, address: home, now: at(13) })).toMatchObject({
      allowed: false,
      reason: 'wait',
    });
  });

  it('admits no more than the free failures of 50 simultaneous attempts from 50 addresses', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.botnet@example.org');
    const gates = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        beginSignInAttempt(i % 2 ? t.db : second.db, { accountKey, address: freshAddress(), now: at(1) }),
      ),
    );
    expect(gates.filter((g) => g.allowed)).toHaveLength(ACCOUNT_FREE_FAILURES);
  });
});

describe('the long-term limit', () => {
  it('locks an account after 100 failures in a row until an unlock, and says so only then', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.hundred@example.org');
    const home = freshAddress();
    await succeed({ accountKey, address: home, now: at(0) });
    for (let i = 1; i <= ACCOUNT_LOCK_AFTER_FAILURES; i++) {
      const result = await fail({ accountKey, address: freshAddress(), now: at(i * 16) });
      expect(result.gate.allowed, `failure ${i}`).toBe(true);
      expect(result).toMatchObject({ lockedAccount: i === ACCOUNT_LOCK_AFTER_FAILURES });
    }
    const later = at(101 * 16);
    for (const address of [home, freshAddress()])
      expect(await begin({ accountKey, address, now: later })).toEqual({ allowed: false, reason: 'locked' });
    expect((await accountThrottleState(t.db, accountKey, later)).locked).toBe(true);
    // refused attempts cost nothing and end nothing
    expect(
      await begin({ accountKey, address: home, now: new Date(later.getTime() + 20 * 86_400_000) }),
    ).toEqual({
      allowed: false,
      reason: 'locked',
    });
    expect(await unlockAccount(t.db, accountKey, later)).toBe(true);
    expect(await succeed({ accountKey, address: home, now: later })).toMatchObject({ allowed: true });
  }, 60_000);

  it('forgets the count 30 days after the last failure', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.forget@example.org');
    for (let i = 0; i < 8; i++) await fail({ accountKey, address: freshAddress(), now: at(i * 16) });
    expect((await accountThrottleState(t.db, accountKey, at(200))).failuresInARow).toBe(8);
    const monthLater = new Date(at(7 * 16).getTime() + 30 * 86_400_000);
    expect(await succeed({ accountKey, address: freshAddress(), now: monthLater })).toMatchObject({
      allowed: true,
    });
  });
});

describe('unlock', () => {
  it('lifts the locks of every address and the delay, and then counts afresh', async () => {
    const at = freshDay();
    const accountKey = emailIndex('zyxwv.unlock@example.org');
    const [a, b] = [freshAddress(), freshAddress()];
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) await fail({ accountKey, address: a, now: at(1) });
    expect(await begin({ accountKey, address: a, now: at(2) })).toMatchObject({ allowed: false });
    expect(await begin({ accountKey, address: b, now: at(1) })).toMatchObject({ allowed: false });
    expect(await unlockAccount(t.db, accountKey, at(2))).toBe(true);
    expect(await unlockAccount(t.db, accountKey, at(2))).toBe(false);
    const gate = await begin({ accountKey, address: a, now: at(2) });
    expect(gate).toMatchObject({ allowed: true });
    await signInAttemptFailed(t.db, ticketOf(gate));
    expect(await begin({ accountKey, address: b, now: at(2) })).toMatchObject({ allowed: true });
    for (let i = 0; i < PAIR_FAILURE_LIMIT - 2; i++)
      expect(await fail({ accountKey, address: a, now: at(3) })).toMatchObject({ lockedPair: false });
    // (the 5th failure in a row waits 15 seconds)
    expect(await fail({ accountKey, address: a, now: at(4) })).toMatchObject({ lockedPair: true });
  });
});

describe('address throttling', () => {
  it('refuses an address after 20 failures across accounts, and no other address', async () => {
    const at = freshDay();
    const address = freshAddress();
    for (let i = 1; i <= ADDRESS_FAILURE_LIMIT; i++) {
      expect(
        (await fail({ accountKey: emailIndex(`spray-${i}@example.org`), address, now: at(1) })).gate,
      ).toMatchObject({
        allowed: true,
      });
    }
    const refused = await begin({ accountKey: emailIndex('new@example.org'), address, now: at(2) });
    expect(refused).toMatchObject({ allowed: false, reason: 'wait' });
    if (!refused.allowed && refused.reason === 'wait')
      expect(refused.retryAfterSeconds).toBeGreaterThan(13 * 60);
    expect(
      await begin({ accountKey: emailIndex('new@example.org'), address: freshAddress(), now: at(2) }),
    ).toMatchObject({
      allowed: true,
    });
  });

  it('counts an IPv6 /64 as one address', async () => {
    const at = freshDay();
    for (let i = 1; i <= ADDRESS_FAILURE_LIMIT; i++) {
      await fail({
        accountKey: emailIndex(`v6-${i}@example.org`),
        address: `2001:db8:7:7::${i.toString(16)}`,
        now: at(1),
      });
    }
    const check = (address: string) =>
      begin({ accountKey: emailIndex('new6@example.org'), address, now: at(2) });
    expect((await check('2001:db8:7:7:ffff::1')).allowed).toBe(false);
    expect((await check('2001:db8:7:8::1')).allowed).toBe(true);
  });

  it('admits 20 of 60 simultaneous attempts at 60 accounts from one address', async () => {
    const at = freshDay();
    const address = freshAddress();
    const gates = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        beginSignInAttempt(i % 2 ? t.db : second.db, {
          accountKey: emailIndex(`wide-${i}@example.org`),
          address,
          now: at(1),
        }),
      ),
    );
    expect(gates.filter((g) => g.allowed)).toHaveLength(ADDRESS_FAILURE_LIMIT);
  });
});

describe('the same answer for unknown accounts and wrong passwords', () => {
  // A sign-in as the service does it: count first, then the (synthetic) account lookup.
  const accounts = new Map([[emailIndex('known.zyxwv@example.org'), 'correct horse battery staple']]);
  async function signIn(email: string, password: string, address: string, now: Date) {
    const accountKey = emailIndex(email);
    const gate = await beginSignInAttempt(t.db, { accountKey, address, now });
    if (!gate.allowed) return { outcome: 'throttled', ...gate };
    if (accounts.get(accountKey) === password) {
      await signInAttemptSucceeded(t.db, gate.ticket);
      return { outcome: 'signed-in' };
    }
    const after = await signInAttemptFailed(t.db, gate.ticket);
    return { outcome: 'wrong email or password', ...after };
  }

  it('throttles and locks an unknown email exactly like a known one with a wrong password', async () => {
    const at = freshDay();
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
      .select(['bucket', 'count', 'window_start', 'expires_at'])
      .where('window_start', '>=', at(0))
      .where('window_start', '<', at(60))
      .execute();
    const shape = (list: typeof rows) =>
      list
        .map((r) => `${r.bucket} ${r.count} ${r.window_start.toISOString()} ${r.expires_at.toISOString()}`)
        .sort();
    expect(rows.length).toBeGreaterThan(0);
    const buckets = new Set(rows.map((r) => r.bucket));
    expect(buckets).toContain(SIGN_IN_BUCKETS.pairLock);
    expect(buckets).toContain(SIGN_IN_BUCKETS.accountFailures);
    // every row of one has its twin in the other: each shape appears an even number of times
    const counts = new Map<string, number>();
    for (const line of shape(rows)) counts.set(line, (counts.get(line) ?? 0) + 1);
    for (const [line, n] of counts) expect(n % 2, line).toBe(0);
  });

  it('lets the right password in while not locked', async () => {
    const at = freshDay();
    expect(
      await signIn('known.zyxwv@example.org', 'correct horse battery staple', freshAddress(), at(0)),
    ).toEqual({
      outcome: 'signed-in',
    });
  });
});

describe('privacy', () => {
  it('no row holds an address, an email or an account key', async () => {
    const dump = JSON.stringify(await rateLimitDb(t.db).selectFrom('rate_limits').selectAll().execute());
    expect(dump.length).toBeGreaterThan(100);
    expect(dump).not.toContain('198.51.100.');
    expect(dump).not.toContain('203.0.113.');
    expect(dump).not.toContain('2001:db8');
    expect(dump).not.toContain('example.org');
    expect(dump).not.toContain(emailIndex('known.zyxwv@example.org'));
    expect(dump).not.toContain(emailIndex('zyxwv.pair@example.org'));
  });
});
