/**
 * Sign-in throttling (NIST SP 800-63B §5.2.2), for each step that checks a secret: the password, the
 * second factor and re-authentication. Each step passes its own account key (the email's blind index,
 * `second-factor:<user id>`, `reauthentication:<user id>`); all steps share the address counter.
 *
 * **An attempt is counted before its secret is checked.** `beginSignInAttempt` decides and counts in
 * one short transaction, under transaction-scoped advisory locks on the account and on the address
 * (taken in that order, so two attempts never wait on each other in a cycle). N simultaneous guesses
 * therefore cost N attempts, and no more of them are ever checked than the limits allow. The outcome
 * is reported afterwards: `signInAttemptSucceeded` clears the account's counts and gives the address
 * its attempt back; `signInAttemptFailed` leaves them counted and says whether a lock began.
 *
 * **A stranger cannot lock the owner out.** Failures are counted three ways:
 *
 * - per account *and* address: 5 within 15 minutes lock that pair (only) for 15 minutes;
 * - per address, across accounts and steps: 20 within 15 minutes refuse that address for a while;
 * - per account, from anywhere, in a row (until a success or an unlock): after 5, each further attempt
 *   must wait a delay after the last one, 15 seconds doubling up to 15 minutes, so guesses from many
 *   addresses slow down but never lock. Addresses the person signed in from in the last 30 days are
 *   not delayed, so the owner gets in at home while a stranger guesses elsewhere. After 100 failures
 *   in a row the account is locked until an administrator unlocks it (NIST's long-term limit; the count
 *   is forgotten 30 days after the last failure).
 *
 * A refused attempt is not counted: it costs nothing, so it cannot push an account toward the long-term
 * lock. Everything is keyed by the account key the caller passes, so an unknown email is counted,
 * delayed and locked exactly like a known one: the answers never tell whether an account exists. The
 * caller still has to give the same message for both, and spend the same time (verify against a dummy
 * hash when there is no account).
 */
import { sql } from 'kysely';
import { addressKey } from './address.ts';
import { rateLimitKeyHash } from './key-hash.ts';
import { hit, peek, type RateLimitRule } from './limiter.ts';
import { rateLimitDb, type AnyKysely } from './tables.ts';
import { windowStartOf } from './window.ts';

/** Failed attempts for one account from one address that lock the pair. */
export const PAIR_FAILURE_LIMIT = 5;
/** The window (sliding) over which PAIR_FAILURE_LIMIT is counted. */
export const PAIR_FAILURE_WINDOW_SECONDS = 15 * 60;
/** How long a pair stays locked, from the failure that locked it. */
export const PAIR_LOCKOUT_SECONDS = 15 * 60;
/** Failed attempts per client address (across all accounts and steps) after which it must wait. */
export const ADDRESS_FAILURE_LIMIT = 20;
/** The window (sliding) over which ADDRESS_FAILURE_LIMIT is counted. */
export const ADDRESS_FAILURE_WINDOW_SECONDS = 15 * 60;
/** Failures in a row for an account, from anywhere, before each further attempt is delayed. */
export const ACCOUNT_FREE_FAILURES = 5;
/** The first delay after ACCOUNT_FREE_FAILURES; it doubles with each further failure… */
export const ACCOUNT_DELAY_FIRST_SECONDS = 15;
/** …up to this. */
export const ACCOUNT_DELAY_MAX_SECONDS = 15 * 60;
/** Failures in a row that lock the account until an administrator unlocks it (NIST: at most 100). */
export const ACCOUNT_LOCK_AFTER_FAILURES = 100;
/** How long the count of failures in a row is kept after the last one. */
export const ACCOUNT_FAILURE_MEMORY_SECONDS = 30 * 24 * 60 * 60;
/** How long an address a person signed in from stays exempt from the account's delay. */
export const KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60;

/** The buckets this policy writes in `rate_limits`. */
export const SIGN_IN_BUCKETS = {
  /** Sliding-window counts per account and address (attempts in flight and failures). */
  pairFailures: 'sign-in.pair-failures',
  /** A lock of one account and address: `window_start` is when it began, `expires_at` when it ends. */
  pairLock: 'sign-in.pair-lock',
  /** Sliding-window counts per address, across accounts and steps. */
  addressFailures: 'sign-in.address-failures',
  /** One row per account: `count` failures in a row, `window_start` the last one. */
  accountFailures: 'sign-in.account-in-a-row',
  /** One row per account unlocked by an administrator: `count` the number of unlocks (see unlockAccount). */
  accountGeneration: 'sign-in.account-unlocks',
  /** One row per account and address signed in from: `window_start` the last success there. */
  knownAddress: 'sign-in.known-address',
} as const;

const PAIR_FAILURES: RateLimitRule = {
  bucket: SIGN_IN_BUCKETS.pairFailures,
  limit: PAIR_FAILURE_LIMIT,
  windowSeconds: PAIR_FAILURE_WINDOW_SECONDS,
};
const ADDRESS_FAILURES: RateLimitRule = {
  bucket: SIGN_IN_BUCKETS.addressFailures,
  limit: ADDRESS_FAILURE_LIMIT,
  windowSeconds: ADDRESS_FAILURE_WINDOW_SECONDS,
};

// Advisory lock classes (the two-integer key space, apart from the single-key locks of migrations,
// the audit chain and pg-boss).
const ACCOUNT_LOCK_CLASS = 727_101;
const ADDRESS_LOCK_CLASS = 727_102;

/**
 * The delay before the next attempt after `failures` failures in a row (0 while within the free ones).
 *
 * @example
 * accountDelaySeconds(4); // 0
 * accountDelaySeconds(5); // 15
 * accountDelaySeconds(7); // 60
 * accountDelaySeconds(40); // 900
 */
export function accountDelaySeconds(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  const doublings = Math.min(failures - ACCOUNT_FREE_FAILURES, 30);
  return Math.min(ACCOUNT_DELAY_FIRST_SECONDS * 2 ** doublings, ACCOUNT_DELAY_MAX_SECONDS);
}

export interface SignInAttempt {
  /** The step's account key: the email's blind index (also for an email with no account), … */
  accountKey: string;
  /** The client address as received; IPv6 addresses are counted per /64. */
  address: string;
  now?: Date;
}

/** An attempt that was counted and may be checked; report its outcome with it. */
export interface SignInTicket {
  readonly accountKey: string;
  /** The address as counted (`addressKey`). */
  readonly address: string;
  readonly pairKey: string;
  readonly at: Date;
  /** The account's failures in a row, this attempt included. */
  readonly inARow: number;
}

export type SignInGate =
  | { allowed: true; ticket: SignInTicket }
  | { allowed: false; reason: 'wait'; retryAfterSeconds: number }
  | { allowed: false; reason: 'locked' };

/**
 * Decides whether an attempt may be checked, and if so counts it (as a failure until it is reported
 * otherwise). When it refuses, do not check the secret, and answer the same for every account.
 *
 * @example
 * const gate = await beginSignInAttempt(db, { accountKey: emailIndex, address: ip });
 * if (!gate.allowed) return gate.reason === 'locked' ? lockedPage(c) : tooManyAttemptsPage(c, gate.retryAfterSeconds);
 * const ok = await verifyPassword(hash, password);
 * if (ok) await signInAttemptSucceeded(db, gate.ticket);
 * else await signInAttemptFailed(db, gate.ticket);
 */
export async function beginSignInAttempt(db: AnyKysely, attempt: SignInAttempt): Promise<SignInGate> {
  const now = attempt.now ?? new Date();
  const { accountKey } = attempt;
  const address = addressKey(attempt.address);
  return serialised(db, accountKey, address, async (trx) => {
    const inARow = await failuresInARow(trx, accountKey, now);
    const count = inARow?.count ?? 0;
    if (count >= ACCOUNT_LOCK_AFTER_FAILURES) return { allowed: false, reason: 'locked' };
    const pairKey = pairKeyOf(accountKey, await unlocksOf(trx, accountKey, now), address);
    const waits: number[] = [];
    const lockedUntil = await pairLockedUntil(trx, pairKey, now);
    if (lockedUntil) waits.push(secondsBetween(now, lockedUntil));
    const byPair = await peek(trx, { ...PAIR_FAILURES, key: pairKey, now });
    if (!byPair.allowed) waits.push(byPair.retryAfterSeconds);
    const byAddress = await peek(trx, { ...ADDRESS_FAILURES, key: address, now });
    if (!byAddress.allowed) waits.push(byAddress.retryAfterSeconds);
    const delay = accountDelaySeconds(count);
    if (inARow && delay > 0) {
      const readyAt = inARow.last.getTime() + delay * 1000;
      if (readyAt > now.getTime() && !(await isKnownAddress(trx, accountKey, address, now)))
        waits.push(secondsBetween(now, new Date(readyAt)));
    }
    if (waits.length > 0) return { allowed: false, reason: 'wait', retryAfterSeconds: Math.max(...waits) };
    await hit(trx, { ...PAIR_FAILURES, key: pairKey, now });
    await hit(trx, { ...ADDRESS_FAILURES, key: address, now });
    await setFailuresInARow(trx, accountKey, count + 1, now);
    return { allowed: true, ticket: { accountKey, address, pairKey, at: now, inARow: count + 1 } };
  });
}

/**
 * Reports that the checked secret was wrong (or the account unknown or disabled). The attempt stays
 * counted; the failure that reaches a pair's limit locks the pair, and the one that reaches
 * ACCOUNT_LOCK_AFTER_FAILURES locks the account. Returns which lock began now, to audit it.
 *
 * @example
 * const { lockedPair, lockedAccount } = await signInAttemptFailed(db, gate.ticket);
 * if (lockedPair || lockedAccount) await recordAudit(trx, { action: 'sign_in.lockout', … });
 */
export async function signInAttemptFailed(
  db: AnyKysely,
  ticket: SignInTicket,
): Promise<{ lockedPair: boolean; lockedAccount: boolean }> {
  return serialised(db, ticket.accountKey, ticket.address, async (trx) => {
    const lockedAccount =
      ticket.inARow === ACCOUNT_LOCK_AFTER_FAILURES &&
      ((await failuresInARow(trx, ticket.accountKey, ticket.at))?.count ?? 0) >= ACCOUNT_LOCK_AFTER_FAILURES;
    // The pair's count holds this attempt: when no further one would pass, the pair is locked.
    const byPair = await peek(trx, { ...PAIR_FAILURES, key: ticket.pairKey, now: ticket.at });
    const lockedPair = !byPair.allowed && !(await pairLockedUntil(trx, ticket.pairKey, ticket.at));
    if (lockedPair) await lockPair(trx, ticket.pairKey, ticket.at);
    return { lockedPair, lockedAccount };
  });
}

/**
 * Reports that the checked secret was right: clears the account's failures (in a row, and from this
 * address), gives the address its attempt back (so that a busy office signing in behind one address
 * is not slowed, while its failures at other accounts still count) and remembers the address as one
 * the person signs in from.
 *
 * @example
 * await signInAttemptSucceeded(db, gate.ticket);
 */
export async function signInAttemptSucceeded(db: AnyKysely, ticket: SignInTicket): Promise<void> {
  await serialised(db, ticket.accountKey, ticket.address, async (trx) => {
    const rows = rateLimitDb(trx);
    await rows
      .deleteFrom('rate_limits')
      .where((eb) =>
        eb.or([
          eb.and([
            eb('bucket', '=', SIGN_IN_BUCKETS.pairFailures),
            eb('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.pairFailures, ticket.pairKey)),
          ]),
          eb.and([
            eb('bucket', '=', SIGN_IN_BUCKETS.accountFailures),
            eb('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.accountFailures, ticket.accountKey)),
          ]),
        ]),
      )
      .execute();
    await rows
      .updateTable('rate_limits')
      .set((eb) => ({ count: sql<number>`greatest(${eb.ref('count')} - 1, 0)` }))
      .where('bucket', '=', SIGN_IN_BUCKETS.addressFailures)
      .where('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.addressFailures, ticket.address))
      .where(
        'window_start',
        '=',
        new Date(windowStartOf(ticket.at.getTime(), ADDRESS_FAILURE_WINDOW_SECONDS * 1000)),
      )
      .execute();
    await replaceSingleRow(
      trx,
      SIGN_IN_BUCKETS.knownAddress,
      `${ticket.accountKey}\u0000${ticket.address}`,
      1,
      ticket.at,
      KNOWN_ADDRESS_SECONDS,
    );
  });
}

/**
 * Administrator unlock: forgets the account's failures in a row (ending its delay or long-term lock)
 * and lifts the locks of every address at once, by moving the account to a new generation of pair
 * keys (a pair's key holds no address that could be listed). True when failures had piled up (at
 * least ACCOUNT_FREE_FAILURES in a row), so that a lock or a delay was in force; audit the unlock
 * either way.
 *
 * @example
 * const wasLocked = await unlockAccount(db, emailIndex);
 */
export async function unlockAccount(
  db: AnyKysely,
  accountKey: string,
  now: Date = new Date(),
): Promise<boolean> {
  return serialised(db, accountKey, null, async (trx) => {
    const inARow = await failuresInARow(trx, accountKey, now);
    await rateLimitDb(trx)
      .deleteFrom('rate_limits')
      .where('bucket', '=', SIGN_IN_BUCKETS.accountFailures)
      .where('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.accountFailures, accountKey))
      .execute();
    await replaceSingleRow(
      trx,
      SIGN_IN_BUCKETS.accountGeneration,
      accountKey,
      (await unlocksOf(trx, accountKey, now)) + 1,
      now,
      ACCOUNT_FAILURE_MEMORY_SECONDS,
    );
    return (inARow?.count ?? 0) >= ACCOUNT_FREE_FAILURES;
  });
}

/**
 * The account's state, for the administration pages and tests: failures in a row, whether the
 * long-term lock holds, and until when an unknown address must wait.
 *
 * @example
 * const state = await accountThrottleState(db, emailIndex); // { failuresInARow: 7, locked: false, delayedUntil: Date }
 */
export async function accountThrottleState(
  db: AnyKysely,
  accountKey: string,
  now: Date = new Date(),
): Promise<{ failuresInARow: number; locked: boolean; delayedUntil: Date | null }> {
  const inARow = await failuresInARow(db, accountKey, now);
  const count = inARow?.count ?? 0;
  const readyAt = inARow ? inARow.last.getTime() + accountDelaySeconds(count) * 1000 : 0;
  return {
    failuresInARow: count,
    locked: count >= ACCOUNT_LOCK_AFTER_FAILURES,
    delayedUntil: readyAt > now.getTime() ? new Date(readyAt) : null,
  };
}

/** Runs `work` in a transaction holding the account's (and the address's) advisory lock. */
async function serialised<T>(
  db: AnyKysely,
  accountKey: string,
  address: string | null,
  work: (trx: AnyKysely) => Promise<T>,
): Promise<T> {
  const run = async (trx: AnyKysely) => {
    await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK_CLASS}::int4, ${lockId('account', accountKey)}::int4)`.execute(
      trx,
    );
    if (address !== null)
      await sql`select pg_advisory_xact_lock(${ADDRESS_LOCK_CLASS}::int4, ${lockId('address', address)}::int4)`.execute(
        trx,
      );
    return work(trx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** A 32-bit lock id from the keyed hash (two keys sharing one only wait for each other). */
function lockId(kind: string, key: string): number {
  return parseInt(rateLimitKeyHash(`sign-in.lock:${kind}`, key).slice(0, 8), 16) | 0;
}

function pairKeyOf(accountKey: string, generation: number, address: string): string {
  return `${accountKey}\u0000${generation}\u0000${address}`;
}

/** The one live row of `key` in `bucket` (an expired one counts as none, pruned or not). */
async function singleRow(
  db: AnyKysely,
  bucket: string,
  key: string,
  now: Date,
): Promise<{ count: number; window_start: Date } | undefined> {
  return rateLimitDb(db)
    .selectFrom('rate_limits')
    .select(['count', 'window_start'])
    .where('bucket', '=', bucket)
    .where('key_hash', '=', rateLimitKeyHash(bucket, key))
    .where('expires_at', '>', now)
    .orderBy('window_start', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Replaces the one row of `key` in `bucket` (callers hold the account's lock). */
async function replaceSingleRow(
  trx: AnyKysely,
  bucket: string,
  key: string,
  count: number,
  at: Date,
  lifetimeSeconds: number,
): Promise<void> {
  const keyHash = rateLimitKeyHash(bucket, key);
  await rateLimitDb(trx)
    .deleteFrom('rate_limits')
    .where('bucket', '=', bucket)
    .where('key_hash', '=', keyHash)
    .execute();
  await rateLimitDb(trx)
    .insertInto('rate_limits')
    .values({
      bucket,
      key_hash: keyHash,
      window_start: at,
      count,
      expires_at: new Date(at.getTime() + lifetimeSeconds * 1000),
    })
    .execute();
}

async function failuresInARow(
  db: AnyKysely,
  accountKey: string,
  now: Date,
): Promise<{ count: number; last: Date } | null> {
  const row = await singleRow(db, SIGN_IN_BUCKETS.accountFailures, accountKey, now);
  return row ? { count: row.count, last: row.window_start } : null;
}

function setFailuresInARow(trx: AnyKysely, accountKey: string, count: number, at: Date): Promise<void> {
  return replaceSingleRow(
    trx,
    SIGN_IN_BUCKETS.accountFailures,
    accountKey,
    count,
    at,
    ACCOUNT_FAILURE_MEMORY_SECONDS,
  );
}

async function unlocksOf(db: AnyKysely, accountKey: string, now: Date): Promise<number> {
  return (await singleRow(db, SIGN_IN_BUCKETS.accountGeneration, accountKey, now))?.count ?? 0;
}

async function isKnownAddress(
  db: AnyKysely,
  accountKey: string,
  address: string,
  now: Date,
): Promise<boolean> {
  return (
    (await singleRow(db, SIGN_IN_BUCKETS.knownAddress, `${accountKey}\u0000${address}`, now)) !== undefined
  );
}

async function pairLockedUntil(db: AnyKysely, pairKey: string, now: Date): Promise<Date | null> {
  const row = await rateLimitDb(db)
    .selectFrom('rate_limits')
    .select((eb) => eb.fn.max('expires_at').as('until'))
    .where('bucket', '=', SIGN_IN_BUCKETS.pairLock)
    .where('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.pairLock, pairKey))
    .where('window_start', '<=', now)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.until ?? null;
}

/**
 * Locks the pair from `now` for PAIR_LOCKOUT_SECONDS and clears its count, so that after the lock it
 * takes another PAIR_FAILURE_LIMIT failures to lock again.
 */
async function lockPair(trx: AnyKysely, pairKey: string, now: Date): Promise<void> {
  await rateLimitDb(trx)
    .insertInto('rate_limits')
    .values({
      bucket: SIGN_IN_BUCKETS.pairLock,
      key_hash: rateLimitKeyHash(SIGN_IN_BUCKETS.pairLock, pairKey),
      window_start: now,
      count: 1,
      expires_at: new Date(now.getTime() + PAIR_LOCKOUT_SECONDS * 1000),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await rateLimitDb(trx)
    .deleteFrom('rate_limits')
    .where('bucket', '=', SIGN_IN_BUCKETS.pairFailures)
    .where('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.pairFailures, pairKey))
    .execute();
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000));
}

/** A duration in words for the published table: "15 seconds", "15 minutes", "30 days". */
function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, unit] = units.find(([s]) => seconds % s === 0 && seconds >= s) ?? [1, 'second'];
  const n = seconds / size;
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * The throttling limits as Markdown, for docs/security.md (a test keeps the two equal).
 *
 * @example
 * throttlingTableMarkdown().split('\n')[0]; // '| what is counted | limit | then |'
 */
export function throttlingTableMarkdown(): string {
  const rows: [string, string, string][] = [
    [
      'Failures at one account from one address',
      `${PAIR_FAILURE_LIMIT} within ${duration(PAIR_FAILURE_WINDOW_SECONDS)}`,
      `that account is refused from that address for ${duration(PAIR_LOCKOUT_SECONDS)}; other addresses are not affected`,
    ],
    [
      'Failures from one address, at any account and step',
      `${ADDRESS_FAILURE_LIMIT} within ${duration(ADDRESS_FAILURE_WINDOW_SECONDS)}`,
      `that address is refused until fewer than ${ADDRESS_FAILURE_LIMIT} fall within the last ${duration(ADDRESS_FAILURE_WINDOW_SECONDS)}`,
    ],
    [
      'Failures at one account in a row, from any address',
      `${ACCOUNT_FREE_FAILURES}`,
      `each further attempt waits ${duration(ACCOUNT_DELAY_FIRST_SECONDS)} after the last failure, doubling with each failure up to ${duration(ACCOUNT_DELAY_MAX_SECONDS)}; an address the person signed in from in the last ${duration(KNOWN_ADDRESS_SECONDS)} does not wait`,
    ],
    [
      'Failures at one account in a row, from any address',
      `${ACCOUNT_LOCK_AFTER_FAILURES}`,
      `the account is locked until an administrator unlocks it (the count is forgotten ${duration(ACCOUNT_FAILURE_MEMORY_SECONDS)} after the last failure)`,
    ],
  ];
  return [
    '| what is counted | limit | then |',
    '| --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
