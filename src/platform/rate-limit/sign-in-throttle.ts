/**
 * Sign-in throttling (NIST SP 800-63B §5.2.2): failures are counted per account and per client
 * address; an account with too many recent failures is locked for a fixed time, which an administrator
 * can lift.
 *
 * The account key is whatever the caller passes — the email's blind index — so an unknown email is
 * counted and locked exactly like a known one: the answers (and their timing here) never tell whether
 * an account exists. The caller still has to give the same message for both, and spend the same time
 * (verify against a dummy hash when there is no account).
 */
import { sql } from 'kysely';
import { addressKey } from './address.ts';
import { rateLimitKeyHash } from './key-hash.ts';
import { hit, peek, reset, type RateLimitRule } from './limiter.ts';
import { rateLimitDb, type AnyKysely } from './tables.ts';

/** Failures per account that lock it: the 5th failure within the window locks. */
export const ACCOUNT_FAILURE_LIMIT = 5;
/** The window (sliding) over which an account's failures are counted: 15 minutes. */
export const ACCOUNT_FAILURE_WINDOW_SECONDS = 15 * 60;
/**
 * How long a lock lasts: 15 minutes from the failure that caused it. It is also the cap: failures
 * recorded while locked neither extend the lock nor count toward the next one, so no one can keep an
 * account locked by continuing to fail (they can only lock it again, 5 failures after it ends).
 */
export const ACCOUNT_LOCKOUT_SECONDS = 15 * 60;
/** Failures per client address (across all accounts) after which the address is refused for a while. */
export const ADDRESS_FAILURE_LIMIT = 20;
/** The window (sliding) over which an address's failures are counted: 15 minutes. */
export const ADDRESS_FAILURE_WINDOW_SECONDS = 15 * 60;

/** The buckets this policy writes in `rate_limits`. */
export const SIGN_IN_BUCKETS = {
  accountFailures: 'sign-in.account-failures',
  accountLock: 'sign-in.account-lock',
  addressFailures: 'sign-in.address-failures',
} as const;

const ACCOUNT_FAILURES: RateLimitRule = {
  bucket: SIGN_IN_BUCKETS.accountFailures,
  limit: ACCOUNT_FAILURE_LIMIT,
  windowSeconds: ACCOUNT_FAILURE_WINDOW_SECONDS,
};
const ADDRESS_FAILURES: RateLimitRule = {
  bucket: SIGN_IN_BUCKETS.addressFailures,
  limit: ADDRESS_FAILURE_LIMIT,
  windowSeconds: ADDRESS_FAILURE_WINDOW_SECONDS,
};

export type SignInCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface SignInAttempt {
  /** The email's blind index (also for an email with no account). */
  accountKey: string;
  /** The client address as received; IPv6 addresses are counted per /64. */
  address: string;
  now?: Date;
}

/**
 * Whether a sign-in attempt may be checked at all. Call it before verifying the password; when it
 * refuses, do not verify, and answer the same for every account (known or not).
 *
 * @example
 * const check = await checkSignIn(db, { accountKey: emailIndex, address: ip });
 * if (!check.allowed) return tooManyAttemptsPage(c, check.retryAfterSeconds);
 */
export async function checkSignIn(db: AnyKysely, attempt: SignInAttempt): Promise<SignInCheck> {
  const now = attempt.now ?? new Date();
  const [lockedUntil, byAddress] = await Promise.all([
    accountLockedUntil(db, attempt.accountKey, now),
    peek(db, { ...ADDRESS_FAILURES, key: addressKey(attempt.address), now }),
  ]);
  const waits: number[] = [];
  if (lockedUntil) waits.push(secondsBetween(now, lockedUntil));
  if (!byAddress.allowed) waits.push(byAddress.retryAfterSeconds);
  return waits.length === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(...waits) };
}

/**
 * Records a failed sign-in (wrong password, unknown email, wrong second factor) against the address
 * and, unless it is locked already, the account; the failure that reaches the limit locks the account.
 * Returns what `checkSignIn` would now answer, and whether this failure caused a lock (to audit it).
 *
 * @example
 * const after = await recordSignInFailure(db, { accountKey: emailIndex, address: ip });
 * if (after.lockedNow) await recordAudit(trx, { action: 'sign_in.lockout', … });
 */
export async function recordSignInFailure(
  db: AnyKysely,
  attempt: SignInAttempt,
): Promise<SignInCheck & { lockedNow: boolean }> {
  const now = attempt.now ?? new Date();
  await hit(db, { ...ADDRESS_FAILURES, key: addressKey(attempt.address), now });
  let lockedNow = false;
  if (!(await accountLockedUntil(db, attempt.accountKey, now))) {
    const byAccount = await hit(db, { ...ACCOUNT_FAILURES, key: attempt.accountKey, now });
    if (byAccount.remaining === 0) {
      await lockAccount(db, attempt.accountKey, now);
      lockedNow = true;
    }
  }
  return { ...(await checkSignIn(db, { ...attempt, now })), lockedNow };
}

/**
 * Clears the account's failure count after a successful sign-in. The address's count stays: otherwise
 * one valid account would let an address wipe its failures between guesses at other accounts.
 *
 * @example
 * await recordSignInSuccess(db, { accountKey: emailIndex });
 */
export async function recordSignInSuccess(db: AnyKysely, attempt: { accountKey: string }): Promise<void> {
  await reset(db, SIGN_IN_BUCKETS.accountFailures, attempt.accountKey);
}

/**
 * Administrator unlock: lifts the account's lock and clears its failure count. True when the account
 * was locked (audit the unlock either way).
 *
 * @example
 * const wasLocked = await unlockAccount(db, emailIndex);
 */
export async function unlockAccount(
  db: AnyKysely,
  accountKey: string,
  now: Date = new Date(),
): Promise<boolean> {
  const { rows } = await sql<{ was_locked: boolean }>`
    with removed as (
      delete from rate_limits
      where (bucket = ${SIGN_IN_BUCKETS.accountLock} and key_hash = ${rateLimitKeyHash(SIGN_IN_BUCKETS.accountLock, accountKey)})
         or (bucket = ${SIGN_IN_BUCKETS.accountFailures}
             and key_hash = ${rateLimitKeyHash(SIGN_IN_BUCKETS.accountFailures, accountKey)})
      returning bucket, window_start, expires_at
    )
    select coalesce(bool_or(bucket = ${SIGN_IN_BUCKETS.accountLock} and window_start <= ${now} and expires_at > ${now}), false) as was_locked
    from removed`.execute(db);
  return rows[0]?.was_locked ?? false;
}

/**
 * When the account's lock ends, or null when it is not locked (for the administration pages).
 *
 * @example
 * const until = await accountLockedUntil(db, emailIndex); // Date | null
 */
export async function accountLockedUntil(
  db: AnyKysely,
  accountKey: string,
  now: Date = new Date(),
): Promise<Date | null> {
  const row = await rateLimitDb(db)
    .selectFrom('rate_limits')
    .select((eb) => eb.fn.max('expires_at').as('until'))
    .where('bucket', '=', SIGN_IN_BUCKETS.accountLock)
    .where('key_hash', '=', rateLimitKeyHash(SIGN_IN_BUCKETS.accountLock, accountKey))
    .where('window_start', '<=', now)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.until ?? null;
}

/**
 * Locks the account from `now` for ACCOUNT_LOCKOUT_SECONDS and clears its failure count (so that after
 * the lock it takes another ACCOUNT_FAILURE_LIMIT failures to lock again), in one statement.
 */
async function lockAccount(db: AnyKysely, accountKey: string, now: Date): Promise<void> {
  const until = new Date(now.getTime() + ACCOUNT_LOCKOUT_SECONDS * 1000);
  await sql`
    with locked as (
      insert into rate_limits (bucket, key_hash, window_start, count, expires_at)
      values (${SIGN_IN_BUCKETS.accountLock}, ${rateLimitKeyHash(SIGN_IN_BUCKETS.accountLock, accountKey)}, ${now}, 1, ${until})
      on conflict (bucket, key_hash, window_start) do nothing
    )
    delete from rate_limits
    where bucket = ${SIGN_IN_BUCKETS.accountFailures}
      and key_hash = ${rateLimitKeyHash(SIGN_IN_BUCKETS.accountFailures, accountKey)}`.execute(db);
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000));
}
