/**
 * The steps of signing in: the password, the second factor (an app code or a recovery code),
 * two-factor enrolment, and signing in again before a sensitive action. Every attempt is counted
 * before its secret is checked.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { ROLES_WITH_PERSONAL_DATA, type Role } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import {
  burnVerification,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../platform/auth/credentials/password.ts';
import { newRecoveryCodes, normaliseRecoveryCode } from '../../platform/auth/credentials/recovery-codes.ts';
import { newTotpSecret, otpauthUri, totpQrSvg, verifyTotp } from '../../platform/auth/credentials/totp.ts';
import { decryptField, encryptField } from '../../platform/crypto/index.ts';
import {
  beginSignInAttempt,
  signInAttemptFailed,
  signInAttemptSucceeded,
  type SignInGate,
} from '../../platform/rate-limit/index.ts';
import { hashSecret, looksLikeSecret, sameSecret } from '../../platform/crypto/secrets.ts';
import type { SessionStage } from './tables.ts';
import {
  AccountError,
  type AccountsContext,
  RECOVERY_INDEX,
  type RequestOrigin,
  emailIndex,
  field,
  nowOf,
} from './context.ts';
import { type CurrentSession, type SignedInSession, openSession, replaceSession } from './sessions.ts';

/**
 * An attempt refused before its secret was checked: `throttled` until `retryAfterSeconds` have passed,
 * or `locked` (too many failures in a row) until an administrator unlocks the account.
 */
export type AttemptRefused =
  { ok: false; reason: 'throttled'; retryAfterSeconds: number } | { ok: false; reason: 'locked' };

export type SignInOutcome =
  { ok: true; session: SignedInSession } | { ok: false; reason: 'invalid' } | AttemptRefused;

/** The one message for an unknown account, a wrong password and a disabled account. */
export const SIGN_IN_REFUSED =
  'That email address and password do not match an account. Check them and try again.';

function stageAfterPassword(role: Role, totpEnabled: boolean): SessionStage {
  if (totpEnabled) return 'second_factor';
  return ROLES_WITH_PERSONAL_DATA.includes(role) ? 'enrol_second_factor' : 'complete';
}

/**
 * Step one: email and password. Unknown accounts, wrong passwords and disabled accounts get the same
 * answer in about the same time, and all count toward the same throttle.
 */
export async function signInWithPassword(
  ctx: AccountsContext,
  input: { email: string; password: string; previousSessionToken?: string | null },
  origin: RequestOrigin,
): Promise<SignInOutcome> {
  const now = nowOf(ctx);
  const accountKey = await emailIndex(ctx, input.email.trim());
  // Counted before the password is checked, so simultaneous guesses cannot pass the limits.
  const gate = await beginSignInAttempt(ctx.db, { accountKey, address: origin.ip, now });
  if (!gate.allowed) {
    // The same record for every email: whether an account exists is not looked up.
    return refuseAttempt(ctx, gate, {
      actorKind: 'anonymous',
      action: 'sign_in.throttled',
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { step: 'password', reason: gate.reason },
    });
  }
  const row = await ctx.db
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'role', 'password_hash', 'totp_enabled_at', 'disabled_at'])
    .where('email_index', '=', accountKey)
    .executeTakeFirst();
  const valid = row?.password_hash
    ? await verifyPassword(row.password_hash, input.password)
    : await burnVerification(input.password);
  if (!row || !valid || row.disabled_at) {
    const locks = await signInAttemptFailed(ctx.db, gate.ticket);
    const who = {
      actorKind: row ? ('user' as const) : ('anonymous' as const),
      actorUserId: row?.id ?? null,
      subjectType: row ? 'staff_user' : null,
      subjectId: row?.id ?? null,
      organizationId: row?.organization_id ?? null,
      ip: origin.ip,
      userAgent: origin.userAgent,
    };
    await ctx.db.transaction().execute(async (trx) => {
      await recordAudit(trx, {
        ...who,
        action: 'sign_in.failure',
        details: { step: 'password', reason: row?.disabled_at ? 'disabled' : 'credentials' },
      });
      await auditLockouts(trx, 'sign_in.lockout', 'password', locks, who);
    });
    return { ok: false, reason: 'invalid' };
  }
  await signInAttemptSucceeded(ctx.db, gate.ticket);
  const rehash =
    row.password_hash && needsRehash(row.password_hash) ? await hashPassword(input.password) : null;
  const session = await ctx.db.transaction().execute(async (trx) => {
    // A new session id at sign-in: whatever session the browser held before is ended (no fixation).
    if (looksLikeSecret(input.previousSessionToken, 'nwds')) {
      await trx
        .updateTable('staff_sessions')
        .set({ ended_at: now })
        .where('id_hash', '=', hashSecret(input.previousSessionToken))
        .execute();
    }
    if (rehash)
      await trx
        .updateTable('staff_users')
        .set({ password_hash: rehash, updated_at: now })
        .where('id', '=', row.id)
        .execute();
    const opened = await openSession(
      trx,
      row.id,
      stageAfterPassword(row.role, row.totp_enabled_at !== null),
      origin,
      now,
      true,
    );
    await recordAudit(trx, {
      ...ownAccount(row.id, row.organization_id, origin),
      action: opened.stage === 'complete' ? 'sign_in.success' : 'sign_in.password_accepted',
      details: { next: opened.stage },
    });
    return opened;
  });
  return { ok: true, session };
}

/** The answer to an attempt the throttle refused. */
function refusedAttempt(gate: Exclude<SignInGate, { allowed: true }>): AttemptRefused {
  return gate.reason === 'locked'
    ? { ok: false, reason: 'locked' }
    : { ok: false, reason: 'throttled', retryAfterSeconds: gate.retryAfterSeconds };
}

/** Records an attempt the throttle refused, and answers it. */
async function refuseAttempt(
  ctx: AccountsContext,
  gate: Exclude<SignInGate, { allowed: true }>,
  record: Parameters<typeof recordAudit>[1],
): Promise<AttemptRefused> {
  await ctx.db.transaction().execute((trx) => recordAudit(trx, record));
  return refusedAttempt(gate);
}

type AuditWho = Pick<
  Parameters<typeof recordAudit>[1],
  'actorKind' | 'actorUserId' | 'subjectType' | 'subjectId' | 'organizationId' | 'ip' | 'userAgent'
>;

/** Who an event of a person's own sign-in is about: the person, acting on their own account, from where. */
function ownAccount(userId: string, organizationId: string, origin: RequestOrigin): AuditWho {
  return {
    actorKind: 'user',
    actorUserId: userId,
    subjectType: 'staff_user',
    subjectId: userId,
    organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
  };
}

/** Records the locks a failure began: of the account from this address, and of the account itself. */
async function auditLockouts(
  trx: Transaction<DB>,
  action: 'sign_in.lockout' | 'reauthentication.lockout',
  step: 'password' | 'second_factor' | 'reauthentication',
  locks: { lockedPair: boolean; lockedAccount: boolean },
  who: AuditWho,
): Promise<void> {
  if (locks.lockedPair) await recordAudit(trx, { ...who, action, details: { step, scope: 'address' } });
  if (locks.lockedAccount) await recordAudit(trx, { ...who, action, details: { step, scope: 'account' } });
}

/**
 * Step two: a code from the authenticator app or an unused recovery code. On success the session is
 * replaced by a new one (new id) at full assurance.
 */
export async function verifySecondFactor(
  ctx: AccountsContext,
  session: CurrentSession,
  code: string,
  origin: RequestOrigin,
): Promise<
  | { ok: true; session: SignedInSession; usedRecoveryCode: boolean }
  | { ok: false; reason: 'invalid' }
  | AttemptRefused
> {
  if (session.stage !== 'second_factor')
    throw new AccountError('invalid', 'There is no second step to complete.');
  const now = nowOf(ctx);
  // Counted before the code is checked: simultaneous codes on one session cannot pass the limits.
  const gate = await beginSignInAttempt(ctx.db, {
    accountKey: `second-factor:${session.userId}`,
    address: origin.ip,
    now,
  });
  if (!gate.allowed) {
    return refuseAttempt(ctx, gate, {
      ...ownAccount(session.userId, session.actor.organizationId, origin),
      action: 'sign_in.throttled',
      details: { step: 'second_factor', reason: gate.reason },
    });
  }
  const user = await ctx.db
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'totp_secret_encrypted', 'totp_last_step', 'recovery_code_hashes'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  let accepted: { kind: 'totp'; step: number } | { kind: 'recovery'; hash: string } | null = null;
  const digits = code.replace(/\s+/g, '');
  if (/^\d{6}$/.test(digits) && user.totp_secret_encrypted) {
    const secret = await decryptField(ctx.keyring, field(user.id, 'totp_secret'), user.totp_secret_encrypted);
    const result = await verifyTotp({ secret, token: digits, lastAcceptedStep: user.totp_last_step, now });
    if (result.ok) accepted = { kind: 'totp', step: result.step };
  } else {
    const normalised = normaliseRecoveryCode(code);
    if (normalised) {
      const hash = await ctx.keyring.blindIndex(RECOVERY_INDEX, normalised);
      if (user.recovery_code_hashes.some((h) => sameSecret(h, hash))) accepted = { kind: 'recovery', hash };
    }
  }
  const outcome = accepted
    ? await ctx.db.transaction().execute(async (trx) => {
        // The conditional update makes two requests with the same code unable to both succeed.
        const claimed =
          accepted.kind === 'totp'
            ? await trx
                .updateTable('staff_users')
                .set({ totp_last_step: accepted.step })
                .where('id', '=', user.id)
                .where((eb) =>
                  eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', accepted.step)]),
                )
                .executeTakeFirst()
            : await trx
                .updateTable('staff_users')
                .set((eb) => ({
                  recovery_code_hashes: eb.fn<string[]>('array_remove', [
                    'recovery_code_hashes',
                    eb.val(accepted.hash),
                  ]),
                }))
                .where('id', '=', user.id)
                .where((eb) => eb(eb.val(accepted.hash), '=', eb.fn.any('recovery_code_hashes')))
                .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return null;
        const replaced = await replaceSession(trx, session, 'complete', origin, now);
        await recordAudit(trx, {
          ...ownAccount(user.id, user.organization_id, origin),
          action: 'sign_in.success',
          details: { secondFactor: accepted.kind },
        });
        return replaced;
      })
    : null;
  if (!outcome) {
    const locks = await signInAttemptFailed(ctx.db, gate.ticket);
    const who = ownAccount(user.id, user.organization_id, origin);
    await ctx.db.transaction().execute(async (trx) => {
      await recordAudit(trx, { ...who, action: 'sign_in.failure', details: { step: 'second_factor' } });
      await auditLockouts(trx, 'sign_in.lockout', 'second_factor', locks, who);
    });
    return { ok: false, reason: 'invalid' };
  }
  await signInAttemptSucceeded(ctx.db, gate.ticket);
  return { ok: true, session: outcome, usedRecoveryCode: accepted?.kind === 'recovery' };
}

/** How long a key shown for enrolment stays the one to confirm. */
export const TOTP_PENDING_TTL_MS = 60 * 60 * 1000;

/**
 * Starts (or resumes) two-factor enrolment: the key waiting to be confirmed when there is one younger
 * than an hour, so reloading the page or a wrong code never replaces a key the person has already
 * scanned; otherwise a new key, kept encrypted until confirmed. Returns the key and its QR code.
 */
export async function beginTwoFactorEnrolment(
  ctx: AccountsContext,
  session: CurrentSession,
): Promise<{ secret: string; uri: string; qrSvg: string }> {
  if (session.stage !== 'enrol_second_factor' && session.stage !== 'complete')
    throw new AccountError('invalid', 'Finish signing in first.');
  const now = nowOf(ctx);
  const row = await ctx.db
    .selectFrom('staff_users')
    .select(['email_encrypted', 'totp_pending_encrypted', 'totp_pending_since'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  const email = await decryptField(ctx.keyring, field(session.userId, 'email'), row.email_encrypted);
  const fresh =
    row.totp_pending_encrypted !== null &&
    row.totp_pending_since !== null &&
    now.getTime() - row.totp_pending_since.getTime() < TOTP_PENDING_TTL_MS;
  let secret: string;
  if (fresh && row.totp_pending_encrypted) {
    secret = await decryptField(
      ctx.keyring,
      field(session.userId, 'totp_pending'),
      row.totp_pending_encrypted,
    );
  } else {
    const made = newTotpSecret();
    secret = made;
    await ctx.db.transaction().execute(async (trx) => {
      const pending = await encryptField(ctx.keyring, field(session.userId, 'totp_pending'), made, trx);
      await trx
        .updateTable('staff_users')
        .set({ totp_pending_encrypted: pending, totp_pending_since: now, updated_at: now })
        .where('id', '=', session.userId)
        .execute();
    });
  }
  const uri = otpauthUri({ secret, accountLabel: email });
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

/**
 * Confirms enrolment with a code from the app. Returns ten recovery codes, shown once and stored
 * only as keyed hashes; the session is replaced at full assurance.
 */
export async function confirmTwoFactorEnrolment(
  ctx: AccountsContext,
  session: CurrentSession,
  code: string,
  origin: RequestOrigin,
): Promise<{ ok: true; recoveryCodes: string[]; session: SignedInSession } | { ok: false }> {
  const now = nowOf(ctx);
  const row = await ctx.db
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'totp_pending_encrypted'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  if (!row.totp_pending_encrypted) throw new AccountError('invalid', 'Start again: scan a new QR code.');
  const secret = await decryptField(ctx.keyring, field(row.id, 'totp_pending'), row.totp_pending_encrypted);
  const result = await verifyTotp({ secret, token: code, lastAcceptedStep: null, now });
  if (!result.ok) return { ok: false };
  const recoveryCodes = newRecoveryCodes();
  const hashes = await Promise.all(
    recoveryCodes.map(async (c) => ctx.keyring.blindIndex(RECOVERY_INDEX, normaliseRecoveryCode(c) ?? c)),
  );
  const replaced = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_users')
      .set({
        totp_secret_encrypted: await encryptField(ctx.keyring, field(row.id, 'totp_secret'), secret, trx),
        totp_pending_encrypted: null,
        totp_pending_since: null,
        totp_enabled_at: now,
        totp_last_step: result.step,
        recovery_code_hashes: hashes,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    const opened = await replaceSession(trx, session, 'complete', origin, now);
    await recordAudit(trx, {
      ...ownAccount(row.id, row.organization_id, origin),
      action: 'two_factor.enrolled',
    });
    return opened;
  });
  return { ok: true, recoveryCodes, session: replaced };
}

/**
 * Signing in again before a sensitive action: password and, when enrolled, a current code. Throttled
 * like signing in (its own count per person and address, the address's count shared), and counted
 * before anything is checked.
 */
export async function reauthenticate(
  ctx: AccountsContext,
  session: CurrentSession,
  input: { password: string; code: string },
  origin: RequestOrigin,
): Promise<{ ok: true } | { ok: false; reason: 'invalid' } | AttemptRefused> {
  const now = nowOf(ctx);
  const gate = await beginSignInAttempt(ctx.db, {
    accountKey: `reauthentication:${session.userId}`,
    address: origin.ip,
    now,
  });
  const who = ownAccount(session.userId, session.actor.organizationId, origin);
  if (!gate.allowed) {
    return refuseAttempt(ctx, gate, {
      ...who,
      action: 'reauthentication.throttled',
      details: { reason: gate.reason },
    });
  }
  const row = await ctx.db
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'password_hash', 'totp_secret_encrypted', 'totp_last_step'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  let ok = row.password_hash !== null && (await verifyPassword(row.password_hash, input.password));
  let step: number | null = null;
  if (ok && row.totp_secret_encrypted) {
    const secret = await decryptField(ctx.keyring, field(row.id, 'totp_secret'), row.totp_secret_encrypted);
    const result = await verifyTotp({ secret, token: input.code, lastAcceptedStep: row.totp_last_step, now });
    ok = result.ok;
    step = result.ok ? result.step : null;
  }
  if (ok) {
    ok = await ctx.db.transaction().execute(async (trx) => {
      if (step !== null) {
        // As at sign-in: a code is accepted once, even by two simultaneous requests.
        const claimed = await trx
          .updateTable('staff_users')
          .set({ totp_last_step: step })
          .where('id', '=', row.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return false;
      }
      await trx
        .updateTable('staff_sessions')
        .set({ reauthenticated_at: now })
        .where('id_hash', '=', session.idHash)
        .execute();
      await recordAudit(trx, {
        ...who,
        organizationId: row.organization_id,
        action: 'reauthentication.success',
      });
      return true;
    });
  }
  if (ok) {
    await signInAttemptSucceeded(ctx.db, gate.ticket);
    return { ok: true };
  }
  const locks = await signInAttemptFailed(ctx.db, gate.ticket);
  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      ...who,
      organizationId: row.organization_id,
      action: 'reauthentication.failure',
    });
    await auditLockouts(trx, 'reauthentication.lockout', 'reauthentication', locks, {
      ...who,
      organizationId: row.organization_id,
    });
  });
  return { ok: false, reason: 'invalid' };
}
