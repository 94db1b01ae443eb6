/**
 * Organizations and people: creating an organization, reading and listing people, and the
 * administration of a person (role, disabling, second-factor reset, unlocking). Sensitive changes need
 * a recent re-authentication.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import {
  GRANT_REFUSALS,
  actorKind,
  can,
  grantRefusal,
  type Actor,
  type GrantRefusal,
  type GrantRequest,
  type OrganizationType,
  type Role,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { unlockAccount } from '../../platform/rate-limit/index.ts';
import {
  AccountError,
  type AccountsContext,
  type RequestOrigin,
  type StaffUser,
  nowOf,
  plainText,
  readUser,
  requireAccess,
  requireRoleMay,
} from './context.ts';
import { type CurrentSession, recentlyReauthenticated } from './sessions.ts';

import { endAllSessions, existingRegions, revokeAllTokens, USER_COLUMNS } from './queries.ts';

export async function createOrganization(
  ctx: AccountsContext,
  actor: Actor,
  input: { name: string; type: OrganizationType },
  origin: RequestOrigin,
): Promise<string> {
  requireAccess(actor, 'organizations.manage', {});
  const name = plainText(input.name, 200, 'the organization a name');
  return ctx.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('member_organizations')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .executeTakeFirst();
    if (clash) throw new AccountError('conflict', 'An organization with that name already exists.');
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

/** The people of an organization (or of all organizations, for a state administrator). Audited. */
export async function listUsers(
  ctx: AccountsContext,
  actor: Actor,
  organizationId: string | null,
  origin: RequestOrigin,
): Promise<StaffUser[]> {
  // Without an organization, only a scope of `any` (a state administrator) passes.
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

/**
 * How many people on the actor's people list have been invited and not yet set up their account
 * (no password yet, not disabled): everyone's for a statewide reader, their organization's otherwise.
 * 0 for a role without the people list. Reads no personal data; not audited.
 */
export async function countAwaitingSetup(ctx: AccountsContext, actor: Actor): Promise<number> {
  const everyone = can(actor, 'people.list', {});
  if (!everyone && !can(actor, 'people.list', { organizationId: actor.organizationId })) return 0;
  let q = ctx.db
    .selectFrom('staff_users')
    .where('password_hash', 'is', null)
    .where('disabled_at', 'is', null);
  if (!everyone) q = q.where('organization_id', '=', actor.organizationId);
  const row = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

/** Grant refusals that are about who asks (403); the others are about what was asked (a form error). */
const REFUSED_TO_GRANTER: readonly GrantRefusal[] = [
  'own_account',
  'not_permitted',
  'role_not_grantable',
  'current_role_not_grantable',
];

/** Applies the grant table (`grantRefusal` in access.ts) to an invitation or a change of role. */
export async function requireGrant(trx: Transaction<DB>, actor: Actor | 'system', request: GrantRequest) {
  const refusal = grantRefusal(actor, request, await existingRegions(trx, request.regions));
  if (refusal)
    throw new AccountError(
      REFUSED_TO_GRANTER.includes(refusal) ? 'forbidden' : 'invalid',
      GRANT_REFUSALS[refusal],
    );
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
        totp_pending_since: null,
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
