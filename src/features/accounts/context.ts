/**
 * What every part of staff accounts shares: the context, the request origin, the refusal
 * (AccountError), the time limits, and the checks of typed input.
 */
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { POLICY, can, type Action, type Actor, type Role } from '../../platform/access.ts';
import { ServiceError, type RefusalCode } from '../../platform/errors.ts';
import { checkNewPassword } from '../../platform/auth/credentials/password.ts';
import { decryptField, normaliseForIndex, type Keyring } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
export const REAUTHENTICATION_WINDOW_MS = 5 * 60 * 1000;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
export const SETUP_TTL_MS = 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so a busy session is not a write per request. */
export const TOUCH_EVERY_MS = 60 * 1000;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_INDEX = 'staff-email';
export const RECOVERY_INDEX = 'staff-recovery-code';

export interface AccountsContext {
  db: Database;
  keyring: Keyring;
  site: SiteOrigin;
  now?: () => Date;
}

export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
}

/** What an account refusal is about: one of the shared refusal codes, or one a page acts on. */
export type AccountReason =
  | RefusalCode
  /** The new password is too weak or too common (a form error on the password). */
  | 'weak_password'
  /** A single-use link is malformed, expired, used, or no longer needed (the page offers a new one). */
  | 'link_invalid'
  /** A sensitive action needs a recent sign-in (the page sends the person to sign in again). */
  | 'reauthentication_required';

const CODE_OF: Record<AccountReason, RefusalCode> = {
  forbidden: 'forbidden',
  not_found: 'not_found',
  invalid: 'invalid',
  conflict: 'conflict',
  weak_password: 'invalid',
  link_invalid: 'not_found',
  reauthentication_required: 'forbidden',
};

/**
 * A refusal a person can act on: a ServiceError (so the route helper and the API answer it like any
 * other), with `reason` stable for tests and pages.
 */
export class AccountError extends ServiceError {
  constructor(
    readonly reason: AccountReason,
    message: string,
    field?: string,
  ) {
    super(CODE_OF[reason], message, field ?? (reason === 'weak_password' ? 'password' : undefined));
  }
}

export const nowOf = (ctx: AccountsContext) => (ctx.now ? ctx.now() : new Date());

export function field(userId: string, name: string) {
  return { scope: `staff:${userId}`, table: 'staff_users', recordId: userId, field: name };
}

/** The blind index of an email address (also for addresses with no account). */
export function emailIndex(
  ctx: Pick<AccountsContext, 'keyring'>,
  email: string,
  trx?: Transaction<DB>,
): Promise<string> {
  return ctx.keyring.blindIndex(EMAIL_INDEX, normaliseForIndex(email), trx);
}

/**
 * The active account with this email as an actor, for a command run in someone's name
 * (`nwd training import-completions --as`, `nwd i18n import --as`); null when there is none.
 */
export async function activeActorByEmail(
  ctx: Pick<AccountsContext, 'db' | 'keyring'>,
  email: string,
): Promise<Actor | null> {
  const who = await ctx.db
    .selectFrom('staff_users')
    .select(['id', 'role', 'organization_id', 'regions'])
    .where('email_index', '=', await emailIndex(ctx, email))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return who
    ? { userId: who.id, role: who.role as Role, organizationId: who.organization_id, regions: who.regions }
    : null;
}

export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

// The outbox's own rule: an address the service accepts must be one it can send to.
const deliverable = z.email().max(254);

export function requireEmail(email: string): string {
  const value = email.trim();
  if (!EMAIL.test(value) || !deliverable.safeParse(value).success) {
    throw new AccountError('invalid', 'Enter an email address such as name@example.org.');
  }
  return value;
}

/** Plain text a person typed: no control characters (PostgreSQL refuses NUL). */
export function plainText(value: string, max: number, what: string): string {
  const text = value.trim();
  if (!text || text.length > max || /\p{Cc}/u.test(text)) {
    throw new AccountError('invalid', `Give ${what} of up to ${max} characters, without control characters.`);
  }
  return text;
}

export function requirePassword(password: string, context: { email?: string; displayName?: string }): void {
  const check = checkNewPassword(password, context);
  if (!check.ok) throw new AccountError('weak_password', check.reason);
}

/** The role may take the action somewhere; the scope is checked once the record is known. */
export function requireRoleMay(actor: Actor, action: Action): void {
  if (!POLICY[action][actor.role])
    throw new AccountError('forbidden', 'You do not have permission to do that.');
}

export function requireAccess(actor: Actor, action: Action, target: Parameters<typeof can>[2]): void {
  if (!can(actor, action, target))
    throw new AccountError('forbidden', 'You do not have permission to do that.');
}

export interface StaffUser {
  id: string;
  organizationId: string;
  email: string;
  displayName: string | null;
  role: Role;
  regions: string[];
  twoFactorEnabled: boolean;
  active: boolean;
  disabled: boolean;
}

export async function readUser(
  ctx: AccountsContext,
  row: UserRow,
  trx?: Transaction<DB>,
): Promise<StaffUser> {
  return {
    id: row.id,
    organizationId: row.organization_id,
    email: await decryptField(ctx.keyring, field(row.id, 'email'), row.email_encrypted, trx),
    displayName: row.display_name_encrypted
      ? await decryptField(ctx.keyring, field(row.id, 'display_name'), row.display_name_encrypted, trx)
      : null,
    role: row.role,
    regions: row.regions,
    twoFactorEnabled: row.totp_enabled_at !== null,
    active: row.password_hash !== null,
    disabled: row.disabled_at !== null,
  };
}

interface UserRow {
  id: string;
  organization_id: string;
  email_encrypted: Buffer;
  display_name_encrypted: Buffer | null;
  role: Role;
  regions: string[];
  password_hash: string | null;
  totp_enabled_at: Date | null;
  disabled_at: Date | null;
}
