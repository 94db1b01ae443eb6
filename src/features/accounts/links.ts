/**
 * The single-use links: invitations, the first set-up and password reset. A link is stored hashed,
 * used once, and expires.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { Actor, Role } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { hashPassword } from '../../platform/auth/credentials/password.ts';
import { encryptField } from '../../platform/crypto/index.ts';
import { enqueueEmail } from '../../platform/mail/index.ts';
import { hashSecret, looksLikeSecret, newSecret } from '../../platform/crypto/secrets.ts';
import {
  AccountError,
  type AccountsContext,
  EMAIL,
  INVITATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  type RequestOrigin,
  SETUP_TTL_MS,
  emailIndex,
  field,
  nowOf,
  plainText,
  readUser,
  requireAccess,
  requireEmail,
  requirePassword,
} from './context.ts';
import { requireGrant } from './people.ts';

import {
  activeStateAdmin,
  endAllSessions,
  insertLink,
  openLinkExists,
  useOpenLink,
  USER_COLUMNS,
  type LinkPurpose,
} from './queries.ts';

async function createLink(
  trx: Transaction<DB>,
  input: {
    purpose: LinkPurpose;
    userId: string | null;
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const token = newSecret('nwdl');
  await insertLink(trx, { ...input, tokenHash: hashSecret(token) });
  return token;
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
      throw new AccountError('not_found', 'There is no such organization, or it is disabled.');
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
        ...(await encryptedIdentity(
          ctx,
          trx,
          userId,
          email,
          input.displayName?.trim() ? plainText(input.displayName, 200, 'a name') : null,
        )),
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

async function consumeLink(trx: Transaction<DB>, token: string, purpose: LinkPurpose, now: Date) {
  if (!looksLikeSecret(token, 'nwdl'))
    throw new AccountError('link_invalid', 'This link is not valid. Ask for a new one.');
  const row = await useOpenLink(trx, hashSecret(token), purpose, now);
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
  purpose: LinkPurpose,
): Promise<boolean> {
  if (!looksLikeSecret(token, 'nwdl')) return false;
  return openLinkExists(ctx.db, hashSecret(token), purpose, nowOf(ctx));
}

/**
 * Uses a single-use link to set the person's password (checked against their email and name), and
 * records `action`. A password reset also ends every session of the person.
 */
async function setPasswordByLink(
  ctx: AccountsContext,
  input: { token: string; purpose: 'invitation' | 'password_reset'; password: string },
  action: 'staff.invitation_accepted' | 'password_reset.completed',
  origin: RequestOrigin,
): Promise<string> {
  const now = nowOf(ctx);
  const hash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    const link = await consumeLink(trx, input.token, input.purpose, now);
    const row = await trx
      .selectFrom('staff_users')
      .select(USER_COLUMNS)
      .where('id', '=', link.user_id as string)
      .executeTakeFirstOrThrow();
    const user = await readUser(ctx, row, trx);
    requirePassword(input.password, { email: user.email, displayName: user.displayName ?? undefined });
    await trx
      .updateTable('staff_users')
      .set({ password_hash: hash, updated_at: now })
      .where('id', '=', user.id)
      .execute();
    if (input.purpose === 'password_reset') await endAllSessions(trx, user.id, now);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: user.id,
      action,
      subjectType: 'staff_user',
      subjectId: user.id,
      organizationId: user.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
    return user.id;
  });
}

/** The encrypted email address and display name (none when null) of a person, under their id. */
async function encryptedIdentity(
  ctx: AccountsContext,
  trx: Transaction<DB>,
  userId: string,
  email: string,
  displayName: string | null,
): Promise<{ email_encrypted: Buffer; display_name_encrypted: Buffer | null }> {
  return {
    email_encrypted: await encryptField(ctx.keyring, field(userId, 'email'), email, trx),
    display_name_encrypted:
      displayName === null
        ? null
        : await encryptField(ctx.keyring, field(userId, 'display_name'), displayName, trx),
  };
}

/** A use of a single-use link that sets a password: it takes the link's token and the new password. */
type PasswordLinkUse = (
  ctx: AccountsContext,
  token: string,
  password: string,
  origin: RequestOrigin,
) => Promise<string>;

const passwordLinkUse =
  (
    purpose: 'invitation' | 'password_reset',
    action: Parameters<typeof setPasswordByLink>[2],
  ): PasswordLinkUse =>
  (ctx, token, password, origin) =>
    setPasswordByLink(ctx, { token, purpose, password }, action, origin);

/** Accepts an invitation: the person chooses their password. Two-factor enrolment follows at sign-in. */
export const acceptInvitation = passwordLinkUse('invitation', 'staff.invitation_accepted');

/** True while no active state administrator exists (the service then offers a set-up link). */
export async function needsSetup(db: Database): Promise<boolean> {
  return !(await activeStateAdmin(db));
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
  const orgName = plainText(input.organizationName, 200, 'the organization a name');
  const displayName = plainText(input.displayName, 200, 'your name');
  const hash = await hashPassword(input.password);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    await consumeLink(trx, token, 'setup', now);
    if (await activeStateAdmin(trx))
      throw new AccountError('link_invalid', 'The service is already set up. Sign in instead.');
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
        ...(await encryptedIdentity(ctx, trx, userId, email, displayName)),
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
export const resetPassword = passwordLinkUse('password_reset', 'password_reset.completed');
