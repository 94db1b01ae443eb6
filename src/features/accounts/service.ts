/**
 * Staff accounts: organisations, people, signing in with a password and a second factor, sessions,
 * single-use links and API tokens. Each use case checks access first, then works, and records its
 * audit event in the same transaction.
 *
 * Sessions follow NIST SP 800-63B: a new session id whenever the assurance changes (password accepted,
 * second factor accepted), 30 minutes idle and 12 hours absolute, and a recent re-authentication for
 * sensitive actions.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import {
  GRANT_REFUSALS,
  POLICY,
  ROLES_WITH_PERSONAL_DATA,
  actorKind,
  authorize,
  can,
  grantRefusal,
  type Action,
  type Actor,
  type GrantRefusal,
  type GrantRequest,
  type OrganizationType,
  type Role,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AccessDenied, ServiceError } from '../../platform/errors.ts';
import {
  burnVerification,
  checkNewPassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../platform/auth/credentials/password.ts';
import { newRecoveryCodes, normaliseRecoveryCode } from '../../platform/auth/credentials/recovery-codes.ts';
import { newTotpSecret, otpauthUri, totpQrSvg, verifyTotp } from '../../platform/auth/credentials/totp.ts';
import { decryptField, encryptField, normaliseForIndex, type Keyring } from '../../platform/crypto/index.ts';
import { enqueueEmail, type SiteOrigin } from '../../platform/mail/index.ts';
import {
  beginSignInAttempt,
  signInAttemptFailed,
  signInAttemptSucceeded,
  unlockAccount,
  type SignInGate,
} from '../../platform/rate-limit/index.ts';
import { hashSecret, looksLikeSecret, newSecret, sameSecret } from './secrets.ts';
import type { SessionStage } from './tables.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
export const REAUTHENTICATION_WINDOW_MS = 5 * 60 * 1000;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
export const SETUP_TTL_MS = 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so a busy session is not a write per request. */
const TOUCH_EVERY_MS = 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_INDEX = 'staff-email';
const RECOVERY_INDEX = 'staff-recovery-code';

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

/** A refusal a person can act on; `code` is stable for tests and pages. */
export class AccountError extends Error {
  constructor(
    readonly code:
      | 'forbidden'
      | 'not_found'
      | 'invalid'
      | 'weak_password'
      | 'link_invalid'
      | 'reauthentication_required'
      | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

const nowOf = (ctx: AccountsContext) => (ctx.now ? ctx.now() : new Date());

function field(userId: string, name: string) {
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

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

// The outbox's own rule: an address the service accepts must be one it can send to.
const deliverable = z.email().max(254);

function requireEmail(email: string): string {
  const value = email.trim();
  if (!EMAIL.test(value) || !deliverable.safeParse(value).success) {
    throw new AccountError('invalid', 'Enter an email address such as name@example.org.');
  }
  return value;
}

/** Plain text a person typed: no control characters (PostgreSQL refuses NUL). */
function plainText(value: string, max: number, what: string): string {
  const text = value.trim();
  if (!text || text.length > max || /\p{Cc}/u.test(text)) {
    throw new AccountError('invalid', `Give ${what} of up to ${max} characters, without control characters.`);
  }
  return text;
}

function requirePassword(password: string, context: { email?: string; displayName?: string }): void {
  const check = checkNewPassword(password, context);
  if (!check.ok) throw new AccountError('weak_password', check.reason);
}

/** The role may take the action somewhere; the scope is checked once the record is known. */
function requireRoleMay(actor: Actor, action: Action): void {
  if (!POLICY[action][actor.role])
    throw new AccountError('forbidden', 'You do not have permission to do that.');
}

function requireAccess(actor: Actor, action: Action, target: Parameters<typeof can>[2]): void {
  if (!can(actor, action, target))
    throw new AccountError('forbidden', 'You do not have permission to do that.');
}

// ---------------------------------------------------------------------------------------------------
// Organisations and people

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

export async function createOrganization(
  ctx: AccountsContext,
  actor: Actor,
  input: { name: string; type: OrganizationType },
  origin: RequestOrigin,
): Promise<string> {
  requireAccess(actor, 'organizations.manage', {});
  const name = plainText(input.name, 200, 'the organisation a name');
  return ctx.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('member_organizations')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .executeTakeFirst();
    if (clash) throw new AccountError('conflict', 'An organisation with that name already exists.');
    const row = await trx
      .insertInto('member_organizations')
      .values({ name, type: input.type })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: actor.userId,
      action: 'organization.create',
      subjectType: 'organization',
      subjectId: row.id,
      organizationId: row.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { type: input.type },
    });
    return row.id;
  });
}

async function readUser(ctx: AccountsContext, row: UserRow, trx?: Transaction<DB>): Promise<StaffUser> {
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

const USER_COLUMNS = [
  'id',
  'organization_id',
  'email_encrypted',
  'display_name_encrypted',
  'role',
  'regions',
  'password_hash',
  'totp_enabled_at',
  'disabled_at',
] as const;

/** Reads one person (an audited read of staff personal data). */
export async function getUser(
  ctx: AccountsContext,
  actor: Actor,
  userId: string,
  origin: RequestOrigin,
): Promise<StaffUser> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('staff_users')
      .select(USER_COLUMNS)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (
      !row ||
      !(can(actor, 'people.list', { organizationId: row.organization_id }) || actor.userId === userId)
    ) {
      throw new AccountError('not_found', 'There is no such person.');
    }
    const user = await readUser(ctx, row, trx);
    await recordAudit(trx, {
      actorKind: actorKind(actor),
      actorUserId: actor.userId,
      action: 'staff.read',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
    return user;
  });
}

/** The people of an organisation (or of all organisations, for a state administrator). Audited. */
export async function listUsers(
  ctx: AccountsContext,
  actor: Actor,
  organizationId: string | null,
  origin: RequestOrigin,
): Promise<StaffUser[]> {
  // Without an organisation, only a scope of `any` (a state administrator) passes.
  requireAccess(actor, 'people.list', organizationId === null ? {} : { organizationId });
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('staff_users').select(USER_COLUMNS).orderBy('created_at');
    if (organizationId !== null) q = q.where('organization_id', '=', organizationId);
    const rows = await q.execute();
    const users = await Promise.all(rows.map((r) => readUser(ctx, r, trx)));
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: actor.userId,
      action: 'staff.list',
      subjectType: 'member_organization',
      subjectId: organizationId,
      organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { count: users.length },
    });
    return users;
  });
}

/** Ends every open session of a person (after a role change, a reset, disabling). */
export async function endAllSessions(trx: Transaction<DB>, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable('staff_sessions')
    .set({ ended_at: now })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Revokes every API token of a person (when they are disabled). */
export async function revokeAllTokens(trx: Transaction<DB>, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

async function createLink(
  trx: Transaction<DB>,
  input: {
    purpose: 'setup' | 'invitation' | 'password_reset';
    userId: string | null;
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const token = newSecret('nwdl');
  await trx
    .insertInto('one_time_links')
    .values({
      token_hash: hashSecret(token),
      purpose: input.purpose,
      user_id: input.userId,
      created_by: input.createdBy,
      expires_at: input.expiresAt,
    })
    .execute();
  return token;
}

/** Which of the given region ids are rows of the regions table (the only regions a person can hold). */
export async function existingRegions(db: Database, regionIds: readonly string[]): Promise<Set<string>> {
  if (regionIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('regions')
    .select('id')
    .where('id', 'in', [...regionIds])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Grant refusals that are about who asks (403); the others are about what was asked (a form error). */
const REFUSED_TO_GRANTER: readonly GrantRefusal[] = [
  'own_account',
  'not_permitted',
  'role_not_grantable',
  'current_role_not_grantable',
];

/** Applies the grant table (`grantRefusal` in access.ts) to an invitation or a change of role. */
async function requireGrant(trx: Transaction<DB>, actor: Actor | 'system', request: GrantRequest) {
  const refusal = grantRefusal(actor, request, await existingRegions(trx, request.regions));
  if (refusal)
    throw new AccountError(
      REFUSED_TO_GRANTER.includes(refusal) ? 'forbidden' : 'invalid',
      GRANT_REFUSALS[refusal],
    );
}

/**
 * Invites a person: creates their account without a password and a single-use link (sent through the
 * outbox, and returned for the command line to print). The role and regions must be the actor's to
 * give in that organization (the grant table in access.ts); the command line acts as `'system'`.
 */
export async function inviteUser(
  ctx: AccountsContext,
  actor: Actor | 'system',
  input: { email: string; role: Role; organizationId: string; regions?: string[]; displayName?: string },
  origin: RequestOrigin,
): Promise<{ userId: string; link: string }> {
  if (actor !== 'system') requireAccess(actor, 'people.invite', { organizationId: input.organizationId });
  const email = requireEmail(input.email);
  const regions = [...new Set(input.regions ?? [])];
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('member_organizations')
      .select(['id', 'name', 'type', 'disabled_at'])
      .where('id', '=', input.organizationId)
      .executeTakeFirst();
    if (!org || org.disabled_at)
      throw new AccountError('not_found', 'There is no such organisation, or it is disabled.');
    await requireGrant(trx, actor, {
      organization: { id: org.id, type: org.type },
      role: input.role,
      regions,
    });
    const index = await emailIndex(ctx, email, trx);
    const existing = await trx
      .selectFrom('staff_users')
      .select('id')
      .where('email_index', '=', index)
      .executeTakeFirst();
    if (existing)
      throw new AccountError('conflict', 'Someone with that email address already has an account.');
    const userId = randomUUID();
    await trx
      .insertInto('staff_users')
      .values({
        id: userId,
        organization_id: org.id,
        email_index: index,
        email_encrypted: await encryptField(ctx.keyring, field(userId, 'email'), email, trx),
        display_name_encrypted: input.displayName?.trim()
          ? await encryptField(
              ctx.keyring,
              field(userId, 'display_name'),
              plainText(input.displayName, 200, 'a name'),
              trx,
            )
          : null,
        role: input.role,
        regions,
        updated_at: now,
      })
      .execute();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const token = await createLink(trx, {
      purpose: 'invitation',
      userId,
      createdBy: actor === 'system' ? null : actor.userId,
      expiresAt,
    });
    const link = `${ctx.site.origin}/staff/invitation/${token}`;
    await enqueueEmail(
      trx,
      ctx.keyring,
      { to: email, template: 'invitation', params: { link, organizationName: org.name, expiresAt } },
      ctx.site,
    );
    await recordAudit(trx, {
      actorKind: actor === 'system' ? 'system' : 'user',
      actorUserId: actor === 'system' ? null : actor.userId,
      action: 'staff.invite',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: org.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { role: input.role, regions },
    });
    return { userId, link };
  });
}

async function consumeLink(
  trx: Transaction<DB>,
  token: string,
  purpose: 'setup' | 'invitation' | 'password_reset',
  now: Date,
) {
  if (!looksLikeSecret(token, 'nwdl'))
    throw new AccountError('link_invalid', 'This link is not valid. Ask for a new one.');
  const row = await trx
    .updateTable('one_time_links')
    .set({ used_at: now })
    .where('token_hash', '=', hashSecret(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id'])
    .executeTakeFirst();
  if (!row)
    throw new AccountError(
      'link_invalid',
      'This link has expired or has already been used. Ask for a new one.',
    );
  return row;
}

/** Whether a link can still be used (for showing its form), without using it. */
export async function linkUsable(
  ctx: AccountsContext,
  token: string,
  purpose: 'setup' | 'invitation' | 'password_reset',
): Promise<boolean> {
  if (!looksLikeSecret(token, 'nwdl')) return false;
  const row = await ctx.db
    .selectFrom('one_time_links')
    .select('token_hash')
    .where('token_hash', '=', hashSecret(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowOf(ctx))
    .executeTakeFirst();
  return row !== undefined;
}

/** Uses a single-use link to set the person's password (checked against their email and name). */
async function setPasswordByLink(
  ctx: AccountsContext,
  trx: Transaction<DB>,
  input: {
    token: string;
    purpose: 'invitation' | 'password_reset';
    password: string;
    hash: string;
    now: Date;
  },
): Promise<StaffUser> {
  const link = await consumeLink(trx, input.token, input.purpose, input.now);
  const row = await trx
    .selectFrom('staff_users')
    .select(USER_COLUMNS)
    .where('id', '=', link.user_id as string)
    .executeTakeFirstOrThrow();
  const user = await readUser(ctx, row, trx);
  requirePassword(input.password, { email: user.email, displayName: user.displayName ?? undefined });
  await trx
    .updateTable('staff_users')
    .set({ password_hash: input.hash, updated_at: input.now })
    .where('id', '=', user.id)
    .execute();
  return user;
}

/** Accepts an invitation: the person chooses their password. Two-factor enrolment follows at sign-in. */
export async function acceptInvitation(
  ctx: AccountsContext,
  token: string,
  password: string,
  origin: RequestOrigin,
): Promise<string> {
  const now = nowOf(ctx);
  const hash = await hashPassword(password);
  return ctx.db.transaction().execute(async (trx) => {
    const user = await setPasswordByLink(ctx, trx, { token, purpose: 'invitation', password, hash, now });
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: user.id,
      action: 'staff.invitation_accepted',
      subjectType: 'staff_user',
      subjectId: user.id,
      organizationId: user.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
    return user.id;
  });
}

/** True while no active state administrator exists (the service then offers a set-up link). */
export async function needsSetup(db: Database): Promise<boolean> {
  const admin = await db
    .selectFrom('staff_users')
    .select('id')
    .where('role', '=', 'state_admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return admin === undefined;
}

/** A single-use link to create the first state administrator, or null when one exists. */
export async function createSetupLink(ctx: AccountsContext): Promise<string | null> {
  if (!(await needsSetup(ctx.db))) return null;
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const token = await createLink(trx, {
      purpose: 'setup',
      userId: null,
      createdBy: null,
      expiresAt: new Date(now.getTime() + SETUP_TTL_MS),
    });
    await recordAudit(trx, {
      actorKind: 'system',
      action: 'setup.link_created',
      details: { expiresInHours: SETUP_TTL_MS / 3_600_000 },
    });
    return `${ctx.site.origin}/staff/setup/${token}`;
  });
}

/** Uses the set-up link: creates the state agency and its first state administrator. */
export async function completeSetup(
  ctx: AccountsContext,
  token: string,
  input: { organizationName: string; email: string; displayName: string; password: string },
  origin: RequestOrigin,
): Promise<string> {
  const email = requireEmail(input.email);
  requirePassword(input.password, { email, displayName: input.displayName });
  const orgName = plainText(input.organizationName, 200, 'the organisation a name');
  const displayName = plainText(input.displayName, 200, 'your name');
  const hash = await hashPassword(input.password);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    await consumeLink(trx, token, 'setup', now);
    const admin = await trx
      .selectFrom('staff_users')
      .select('id')
      .where('role', '=', 'state_admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (admin) throw new AccountError('link_invalid', 'The service is already set up. Sign in instead.');
    const org = await trx
      .insertInto('member_organizations')
      .values({ name: orgName, type: 'state_agency' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const userId = randomUUID();
    await trx
      .insertInto('staff_users')
      .values({
        id: userId,
        organization_id: org.id,
        email_index: await emailIndex(ctx, email, trx),
        email_encrypted: await encryptField(ctx.keyring, field(userId, 'email'), email, trx),
        display_name_encrypted: await encryptField(
          ctx.keyring,
          field(userId, 'display_name'),
          displayName,
          trx,
        ),
        role: 'state_admin',
        password_hash: hash,
        updated_at: now,
      })
      .execute();
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: userId,
      action: 'setup.completed',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: org.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { role: 'state_admin' },
    });
    return userId;
  });
}

// ---------------------------------------------------------------------------------------------------
// Signing in

export interface SignedInSession {
  /** The session secret for the cookie: shown once, stored hashed. */
  token: string;
  stage: SessionStage;
}

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

async function openSession(
  trx: Transaction<DB>,
  userId: string,
  stage: SessionStage,
  origin: RequestOrigin,
  now: Date,
  reauthenticated: boolean,
): Promise<SignedInSession> {
  const token = newSecret('nwds');
  await trx
    .insertInto('staff_sessions')
    .values({
      id_hash: hashSecret(token),
      user_id: userId,
      stage,
      csrf_token: newSecret('nwdt'),
      created_at: now,
      last_seen_at: now,
      reauthenticated_at: reauthenticated ? now : null,
      ip: origin.ip,
      user_agent: origin.userAgent,
    })
    .execute();
  return { token, stage };
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
    await ctx.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorKind: 'anonymous',
        action: 'sign_in.throttled',
        ip: origin.ip,
        userAgent: origin.userAgent,
        details: { step: 'password', reason: gate.reason },
      }),
    );
    return refusedAttempt(gate);
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
      actorKind: 'user',
      actorUserId: row.id,
      action: opened.stage === 'complete' ? 'sign_in.success' : 'sign_in.password_accepted',
      subjectType: 'staff_user',
      subjectId: row.id,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
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

type AuditWho = Pick<
  Parameters<typeof recordAudit>[1],
  'actorKind' | 'actorUserId' | 'subjectType' | 'subjectId' | 'organizationId' | 'ip' | 'userAgent'
>;

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

export interface CurrentSession {
  idHash: string;
  userId: string;
  stage: SessionStage;
  csrfToken: string;
  createdAt: Date;
  reauthenticatedAt: Date | null;
  actor: Actor;
}

/**
 * The session behind a cookie, or null when it is unknown, ended, idle for 30 minutes, older than 12
 * hours, or its person is disabled. Touches `last_seen_at` at most once a minute.
 */
export async function sessionFromToken(
  ctx: AccountsContext,
  token: string | undefined | null,
): Promise<CurrentSession | null> {
  if (!looksLikeSecret(token, 'nwds')) return null;
  const now = nowOf(ctx);
  const row = await ctx.db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', 'u.id', 's.user_id')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select([
      's.id_hash',
      's.user_id',
      's.stage',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.reauthenticated_at',
      's.ended_at',
      'u.role',
      'u.regions',
      'u.organization_id',
      'u.disabled_at',
      'o.disabled_at as org_disabled_at',
    ])
    .where('s.id_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row || row.ended_at || row.disabled_at || row.org_disabled_at) return null;
  if (
    now.getTime() - row.last_seen_at.getTime() > IDLE_TIMEOUT_MS ||
    now.getTime() - row.created_at.getTime() > ABSOLUTE_TIMEOUT_MS
  ) {
    await ctx.db
      .updateTable('staff_sessions')
      .set({ ended_at: now })
      .where('id_hash', '=', row.id_hash)
      .where('ended_at', 'is', null)
      .execute();
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await ctx.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    stage: row.stage,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    reauthenticatedAt: row.reauthenticated_at,
    actor: { userId: row.user_id, role: row.role, organizationId: row.organization_id, regions: row.regions },
  };
}

/** Whether the person signed in again recently enough for a sensitive action. */
export function recentlyReauthenticated(
  ctx: AccountsContext,
  session: Pick<CurrentSession, 'reauthenticatedAt'>,
): boolean {
  return (
    session.reauthenticatedAt !== null &&
    nowOf(ctx).getTime() - session.reauthenticatedAt.getTime() <= REAUTHENTICATION_WINDOW_MS
  );
}

async function replaceSession(
  trx: Transaction<DB>,
  session: CurrentSession,
  stage: SessionStage,
  origin: RequestOrigin,
  now: Date,
): Promise<SignedInSession> {
  await trx
    .updateTable('staff_sessions')
    .set({ ended_at: now })
    .where('id_hash', '=', session.idHash)
    .execute();
  return openSession(trx, session.userId, stage, origin, now, true);
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
    await ctx.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorKind: 'user',
        actorUserId: session.userId,
        action: 'sign_in.throttled',
        subjectType: 'staff_user',
        subjectId: session.userId,
        organizationId: session.actor.organizationId,
        ip: origin.ip,
        userAgent: origin.userAgent,
        details: { step: 'second_factor', reason: gate.reason },
      }),
    );
    return refusedAttempt(gate);
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
          actorKind: 'user',
          actorUserId: user.id,
          action: 'sign_in.success',
          subjectType: 'staff_user',
          subjectId: user.id,
          organizationId: user.organization_id,
          ip: origin.ip,
          userAgent: origin.userAgent,
          details: { secondFactor: accepted.kind },
        });
        return replaced;
      })
    : null;
  if (!outcome) {
    const locks = await signInAttemptFailed(ctx.db, gate.ticket);
    const who = {
      actorKind: 'user' as const,
      actorUserId: user.id,
      subjectType: 'staff_user',
      subjectId: user.id,
      organizationId: user.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    };
    await ctx.db.transaction().execute(async (trx) => {
      await recordAudit(trx, { ...who, action: 'sign_in.failure', details: { step: 'second_factor' } });
      await auditLockouts(trx, 'sign_in.lockout', 'second_factor', locks, who);
    });
    return { ok: false, reason: 'invalid' };
  }
  await signInAttemptSucceeded(ctx.db, gate.ticket);
  return { ok: true, session: outcome, usedRecoveryCode: accepted?.kind === 'recovery' };
}

/** Starts two-factor enrolment: a new secret, kept encrypted until confirmed, and its QR code. */
export async function beginTwoFactorEnrolment(
  ctx: AccountsContext,
  session: CurrentSession,
): Promise<{ secret: string; uri: string; qrSvg: string }> {
  if (session.stage !== 'enrol_second_factor' && session.stage !== 'complete')
    throw new AccountError('invalid', 'Finish signing in first.');
  const row = await ctx.db
    .selectFrom('staff_users')
    .select(['email_encrypted'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  const email = await decryptField(ctx.keyring, field(session.userId, 'email'), row.email_encrypted);
  const secret = newTotpSecret();
  await ctx.db.transaction().execute(async (trx) => {
    const pending = await encryptField(ctx.keyring, field(session.userId, 'totp_pending'), secret, trx);
    await trx
      .updateTable('staff_users')
      .set({ totp_pending_encrypted: pending, updated_at: nowOf(ctx) })
      .where('id', '=', session.userId)
      .execute();
  });
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
        totp_enabled_at: now,
        totp_last_step: result.step,
        recovery_code_hashes: hashes,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    const opened = await replaceSession(trx, session, 'complete', origin, now);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: row.id,
      action: 'two_factor.enrolled',
      subjectType: 'staff_user',
      subjectId: row.id,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
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
  const who = {
    actorKind: 'user' as const,
    actorUserId: session.userId,
    subjectType: 'staff_user',
    subjectId: session.userId,
    organizationId: session.actor.organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
  };
  if (!gate.allowed) {
    await ctx.db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, { ...who, action: 'reauthentication.throttled', details: { reason: gate.reason } }),
      );
    return refusedAttempt(gate);
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

// ---------------------------------------------------------------------------------------------------
// Sessions

export interface SessionSummary {
  idHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export async function listSessions(ctx: AccountsContext, session: CurrentSession): Promise<SessionSummary[]> {
  requireAccess(session.actor, 'sessions.manage', { userId: session.userId });
  const rows = await ctx.db
    .selectFrom('staff_sessions')
    .select(['id_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', session.userId)
    .where('ended_at', 'is', null)
    .orderBy('last_seen_at', 'desc')
    .execute();
  const now = nowOf(ctx).getTime();
  return rows
    .filter(
      (r) =>
        now - r.last_seen_at.getTime() <= IDLE_TIMEOUT_MS &&
        now - r.created_at.getTime() <= ABSOLUTE_TIMEOUT_MS,
    )
    .map((r) => ({
      idHash: r.id_hash,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id_hash === session.idHash,
    }));
}

/** Ends one of the person's sessions, or all of them (`'all'`), or all but the current (`'others'`). */
export async function endSessions(
  ctx: AccountsContext,
  session: CurrentSession,
  which: string | 'all' | 'others',
  origin: RequestOrigin,
): Promise<number> {
  requireAccess(session.actor, 'sessions.manage', { userId: session.userId });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('staff_sessions')
      .set({ ended_at: now })
      .where('user_id', '=', session.userId)
      .where('ended_at', 'is', null);
    if (which === 'others') q = q.where('id_hash', '!=', session.idHash);
    else if (which !== 'all') q = q.where('id_hash', '=', which);
    const result = await q.executeTakeFirst();
    const ended = Number(result.numUpdatedRows);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'session.end',
      subjectType: 'staff_user',
      subjectId: session.userId,
      organizationId: session.actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { which: which === 'all' || which === 'others' ? which : 'one', ended },
    });
    return ended;
  });
}

export async function signOut(
  ctx: AccountsContext,
  session: CurrentSession,
  origin: RequestOrigin,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_sessions')
      .set({ ended_at: nowOf(ctx) })
      .where('id_hash', '=', session.idHash)
      .execute();
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'sign_out',
      subjectType: 'staff_user',
      subjectId: session.userId,
      organizationId: session.actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Password reset

/** Sends a reset link when the address has an active account; answers the same either way. */
export async function requestPasswordReset(
  ctx: AccountsContext,
  email: string,
  origin: RequestOrigin,
): Promise<void> {
  const value = email.trim();
  if (!EMAIL.test(value)) return;
  const now = nowOf(ctx);
  const index = await emailIndex(ctx, value);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('staff_users')
      .select(['id', 'organization_id', 'password_hash', 'disabled_at'])
      .where('email_index', '=', index)
      .executeTakeFirst();
    if (!user || !user.password_hash || user.disabled_at) {
      await recordAudit(trx, {
        actorKind: 'anonymous',
        action: 'password_reset.requested',
        ip: origin.ip,
        userAgent: origin.userAgent,
        details: { sent: false },
      });
      return;
    }
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
    const token = await createLink(trx, {
      purpose: 'password_reset',
      userId: user.id,
      createdBy: null,
      expiresAt,
    });
    await enqueueEmail(
      trx,
      ctx.keyring,
      {
        to: value,
        template: 'password_reset',
        params: { link: `${ctx.site.origin}/staff/reset/${token}`, expiresAt },
      },
      ctx.site,
    );
    await recordAudit(trx, {
      actorKind: 'anonymous',
      action: 'password_reset.requested',
      subjectType: 'staff_user',
      subjectId: user.id,
      organizationId: user.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { sent: true },
    });
  });
}

/** Uses a reset link: sets the new password and ends every session of the person. */
export async function resetPassword(
  ctx: AccountsContext,
  token: string,
  password: string,
  origin: RequestOrigin,
): Promise<void> {
  const now = nowOf(ctx);
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await setPasswordByLink(ctx, trx, { token, purpose: 'password_reset', password, hash, now });
    await endAllSessions(trx, user.id, now);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: user.id,
      action: 'password_reset.completed',
      subjectType: 'staff_user',
      subjectId: user.id,
      organizationId: user.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Administration of people

async function administered(trx: Transaction<DB>, actor: Actor, userId: string) {
  const row = await trx
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'role', 'regions', 'email_index'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row || !can(actor, 'people.manage', { organizationId: row.organization_id }))
    throw new AccountError('not_found', 'There is no such person.');
  return row;
}

function requireReauthenticated(ctx: AccountsContext, session: CurrentSession): void {
  if (!recentlyReauthenticated(ctx, session))
    throw new AccountError('reauthentication_required', 'Sign in again to do this.');
}

/**
 * Changes a person's role and regions (a sensitive action). Nobody changes their own; the actor must be
 * able to give both the person's current role and the new one (the grant table in access.ts).
 */
export async function changeRole(
  ctx: AccountsContext,
  session: CurrentSession,
  userId: string,
  input: { role: Role; regions: string[] },
  origin: RequestOrigin,
): Promise<void> {
  requireRoleMay(session.actor, 'people.manage');
  if (userId.toLowerCase() === session.userId.toLowerCase())
    throw new AccountError('forbidden', GRANT_REFUSALS.own_account);
  requireReauthenticated(ctx, session);
  const regions = [...new Set(input.regions)];
  await ctx.db.transaction().execute(async (trx) => {
    const row = await administered(trx, session.actor, userId);
    const org = await trx
      .selectFrom('member_organizations')
      .select(['id', 'type'])
      .where('id', '=', row.organization_id)
      .executeTakeFirstOrThrow();
    await requireGrant(trx, session.actor, {
      organization: org,
      role: input.role,
      regions,
      person: { userId: row.id, role: row.role, regions: row.regions },
    });
    await trx
      .updateTable('staff_users')
      .set({ role: input.role, regions, updated_at: nowOf(ctx) })
      .where('id', '=', userId)
      .execute();
    // New permissions take effect at the next sign-in: end the person's sessions now.
    await endAllSessions(trx, userId, nowOf(ctx));
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'role.change',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { from: row.role, to: input.role, fromRegions: row.regions, toRegions: regions },
    });
  });
}

/** Disables (or re-enables) a person; disabling ends their sessions and API tokens. */
export async function setDisabled(
  ctx: AccountsContext,
  session: CurrentSession,
  userId: string,
  disabled: boolean,
  origin: RequestOrigin,
): Promise<void> {
  requireRoleMay(session.actor, 'people.manage');
  if (userId === session.userId) throw new AccountError('invalid', 'You cannot disable your own account.');
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await administered(trx, session.actor, userId);
    await trx
      .updateTable('staff_users')
      .set({ disabled_at: disabled ? now : null, updated_at: now })
      .where('id', '=', userId)
      .execute();
    if (disabled) {
      await endAllSessions(trx, userId, now);
      await revokeAllTokens(trx, userId, now);
    }
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: disabled ? 'staff.disable' : 'staff.enable',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

/** Removes a person's second factor: they enrol again at their next sign-in. */
export async function resetTwoFactor(
  ctx: AccountsContext,
  session: CurrentSession,
  userId: string,
  origin: RequestOrigin,
): Promise<void> {
  requireRoleMay(session.actor, 'people.manage');
  requireReauthenticated(ctx, session);
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await administered(trx, session.actor, userId);
    await trx
      .updateTable('staff_users')
      .set({
        totp_secret_encrypted: null,
        totp_pending_encrypted: null,
        totp_enabled_at: null,
        totp_last_step: null,
        recovery_code_hashes: [],
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
    await endAllSessions(trx, userId, now);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'two_factor.reset',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

/** Lifts a sign-in lockout. */
export async function unlockUser(
  ctx: AccountsContext,
  session: CurrentSession,
  userId: string,
  origin: RequestOrigin,
): Promise<boolean> {
  requireRoleMay(session.actor, 'people.manage');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await administered(trx, session.actor, userId);
    const now = nowOf(ctx);
    // Every step's count: the password's (by email), the second step's and re-authentication's.
    let wasLocked = false;
    for (const key of [row.email_index, `second-factor:${userId}`, `reauthentication:${userId}`])
      if (await unlockAccount(trx, key, now)) wasLocked = true;
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'staff.unlock',
      subjectType: 'staff_user',
      subjectId: userId,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { wasLocked },
    });
    return wasLocked;
  });
}

// ---------------------------------------------------------------------------------------------------
// API tokens

/**
 * A person who may hold an API token: they chose a password and, where their role sees personal data,
 * enrolled two-step sign-in. A token must not be a way around set-up (or around a two-factor reset).
 */
function setUpComplete(user: { role: Role; password_hash: string | null; totp_enabled_at: Date | null }) {
  return (
    user.password_hash !== null &&
    (user.totp_enabled_at !== null || !ROLES_WITH_PERSONAL_DATA.includes(user.role))
  );
}

/** Creates an API token for a person (shown once, stored hashed), scoped and expiring. */
export async function createApiToken(
  ctx: AccountsContext,
  actor: Actor | 'system',
  input: { userId: string; scopes: Action[]; expiresInDays: number },
  origin: RequestOrigin,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  if (actor !== 'system') requireAccess(actor, 'tokens.manage', { userId: input.userId });
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 366)
    throw new AccountError('invalid', 'A token expires after 1 to 366 days.');
  if (input.scopes.length === 0) throw new AccountError('invalid', 'Give the token at least one scope.');
  const now = nowOf(ctx);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const token = newSecret('nwdt');
  return ctx.db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('staff_users')
      .select(['id', 'organization_id', 'role', 'password_hash', 'totp_enabled_at', 'disabled_at'])
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) throw new AccountError('not_found', 'There is no such active person.');
    if (!setUpComplete(user))
      throw new AccountError(
        'invalid',
        'This person has not finished setting up their account: they need a password and, for their role, two-step sign-in. Create the token after they have signed in and set these up.',
      );
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_id: user.id,
        token_hash: hashSecret(token),
        scopes: [...new Set(input.scopes)],
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorKind: actor === 'system' ? 'system' : 'user',
      actorUserId: actor === 'system' ? null : actor.userId,
      action: 'token.create',
      subjectType: 'api_token',
      subjectId: row.id,
      organizationId: user.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { owner: user.id, scopes: input.scopes, expiresInDays: input.expiresInDays },
    });
    return { id: row.id, token, expiresAt };
  });
}

/** The actor behind `Authorization: Bearer …`: the owner's permissions narrowed by the token's scopes. */
export async function actorFromBearer(
  ctx: AccountsContext,
  token: string | undefined | null,
): Promise<Actor | null> {
  if (!looksLikeSecret(token, 'nwdt')) return null;
  const now = nowOf(ctx);
  const row = await ctx.db
    .selectFrom('api_tokens as t')
    .innerJoin('staff_users as u', 'u.id', 't.user_id')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select([
      't.id',
      't.scopes',
      't.expires_at',
      't.revoked_at',
      't.last_used_at',
      'u.id as user_id',
      'u.role',
      'u.regions',
      'u.organization_id',
      'u.disabled_at',
      'u.password_hash',
      'u.totp_enabled_at',
      'o.disabled_at as org_disabled_at',
    ])
    .where('t.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (
    !row ||
    row.revoked_at ||
    row.disabled_at ||
    row.org_disabled_at ||
    row.expires_at.getTime() <= now.getTime() ||
    !setUpComplete(row)
  )
    return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    userId: row.user_id,
    role: row.role,
    organizationId: row.organization_id,
    regions: row.regions,
    tokenScopes: row.scopes as Action[],
  };
}

/**
 * Revokes one of the caller's own API tokens (`tokens.manage`, checked first), audited as
 * `token.revoke`. Signed in with a session, the person must have signed in again within the last few
 * minutes, as for creating a token; a token with the scope may revoke its owner's tokens, itself
 * included. Another person's token is answered as a missing one. True when it was still in use.
 * The command line (`'system'`) revokes any token.
 */
export async function revokeApiToken(
  ctx: AccountsContext,
  actor: Actor | 'system',
  tokenId: string,
  origin: RequestOrigin,
  session?: Pick<CurrentSession, 'reauthenticatedAt'> | null,
): Promise<boolean> {
  if (actor !== 'system') {
    authorize(actor, 'tokens.manage', { userId: actor.userId });
    if (!actor.tokenScopes && !(session && recentlyReauthenticated(ctx, session)))
      throw new AccessDenied(
        'Sign in again to revoke a token: it needs a sign-in within the last 5 minutes.',
      );
  }
  const missing = () => new ServiceError('not_found', 'There is no such token.');
  if (!UUID.test(tokenId)) throw missing();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_tokens as t')
      .innerJoin('staff_users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.user_id', 'u.organization_id'])
      .where('t.id', '=', tokenId)
      .executeTakeFirst();
    if (!row || (actor !== 'system' && row.user_id !== actor.userId)) throw missing();
    const result = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: nowOf(ctx) })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows) === 1;
    await recordAudit(trx, {
      actorKind: actor === 'system' ? 'system' : actorKind(actor),
      actorUserId: actor === 'system' ? null : actor.userId,
      action: 'token.revoke',
      subjectType: 'api_token',
      subjectId: tokenId,
      organizationId: row.organization_id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { owner: row.user_id, wasActive: revoked },
    });
    return revoked;
  });
}
