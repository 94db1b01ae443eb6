/**
 * API tokens: created for a person who finished setting up, scoped and expiring, shown once and
 * stored hashed; read from `Authorization: Bearer`; revoked by their owner.
 */
import {
  ROLES_WITH_PERSONAL_DATA,
  actorKind,
  authorize,
  type Action,
  type Actor,
  type Role,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AccessDenied, ServiceError } from '../../platform/errors.ts';
import { hashSecret, looksLikeSecret, newSecret } from '../../platform/crypto/secrets.ts';
import {
  AccountError,
  type AccountsContext,
  type RequestOrigin,
  TOUCH_EVERY_MS,
  UUID,
  nowOf,
  requireAccess,
} from './context.ts';
import { OWNER_COLUMNS, type CurrentSession, recentlyReauthenticated } from './sessions.ts';

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
      ...OWNER_COLUMNS,
      't.id',
      't.scopes',
      't.expires_at',
      't.revoked_at',
      't.last_used_at',
      'u.id as user_id',
      'u.password_hash',
      'u.totp_enabled_at',
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
