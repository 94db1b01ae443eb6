/**
 * Administration use cases: disabling and enabling member organizations, and what the administration
 * pages read (organizations, the grant facts of a person, the audit log as the caller may see it).
 * Each starts with one access check; changes record their audit event in the same transaction.
 */
import { authorize, can, grantableRoles, type Actor, type Role } from '../../platform/access.ts';
import { listAuditAs, recordAudit, type AuditFilters, type AuditPage } from '../../platform/audit/audit.ts';
import { ServiceError } from '../../platform/errors.ts';
import type { AccountsContext, RequestOrigin } from '../accounts/service.ts';
import * as q from './queries.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORBIDDEN =
  "Your role does not allow this. If you think it should, ask your organization's administrator.";

export type { OrganizationRow } from './queries.ts';

/**
 * Disables or re-enables a member organization. While it is disabled nobody in it can sign in or use
 * an API token (the session and token checks look at the organization), and no one can be invited to it.
 */
async function setOrganizationDisabled(
  ctx: AccountsContext,
  actor: Actor,
  organizationId: string,
  disabled: boolean,
  origin: RequestOrigin,
): Promise<void> {
  authorize(actor, 'organizations.manage', { organizationId }, { message: FORBIDDEN });
  if (disabled && organizationId === actor.organizationId)
    throw new ServiceError('invalid', 'You cannot disable your own organization.');
  const now = ctx.now ? ctx.now() : new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const row = UUID.test(organizationId) ? await q.lockOrganization(trx, organizationId) : undefined;
    if (!row) throw new ServiceError('not_found', 'There is no such organization.');
    // Disabling twice keeps the first time.
    if (disabled !== (row.disabled_at !== null))
      await q.setOrganizationDisabledAt(trx, organizationId, disabled ? now : null);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: actor.userId,
      action: disabled ? 'organization.disable' : 'organization.enable',
      subjectType: 'organization',
      subjectId: organizationId,
      organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

/** Disables a member organization (audited as `organization.disable`). */
export const disableOrganization = (ctx: AccountsContext, actor: Actor, id: string, origin: RequestOrigin) =>
  setOrganizationDisabled(ctx, actor, id, true, origin);

/** Enables a member organization again (audited as `organization.enable`). */
export const enableOrganization = (ctx: AccountsContext, actor: Actor, id: string, origin: RequestOrigin) =>
  setOrganizationDisabled(ctx, actor, id, false, origin);

/** Every member organization with how many people it has. */
export function listOrganizations(ctx: AccountsContext, actor: Actor): Promise<q.OrganizationRow[]> {
  authorize(actor, 'organizations.manage', {}, { message: FORBIDDEN });
  return q.organizationsWithCounts(ctx.db);
}

/** The organizations' names, for the filters and the invitation form of a statewide administrator. */
export async function organizationChoices(
  ctx: AccountsContext,
  actor: Actor,
): Promise<{ id: string; name: string; disabled: boolean }[]> {
  authorize(actor, 'people.list', { organizationId: actor.organizationId }, { message: FORBIDDEN });
  return q.organizationNames(ctx.db);
}

/** The name of the organization of someone the actor may see. */
export function organizationNameOf(ctx: AccountsContext, actor: Actor, id: string): Promise<string> {
  authorize(actor, 'people.list', { organizationId: actor.organizationId }, { message: FORBIDDEN });
  return q.organizationName(ctx.db, id);
}

/** An enabled organization, as the grant table needs it (an invitation's), or null. */
export function organizationForGrant(ctx: AccountsContext, actor: Actor, id: string) {
  authorize(actor, 'people.invite', { organizationId: actor.organizationId }, { message: FORBIDDEN });
  return UUID.test(id) ? q.enabledOrganization(ctx.db, id) : Promise.resolve(null);
}

/** A person's organization, role and regions when the actor may manage them, else null. */
export async function personForGrant(ctx: AccountsContext, actor: Actor, userId: string) {
  const row = UUID.test(userId) ? await q.grantFacts(ctx.db, userId) : null;
  if (!row || !can(actor, 'people.manage', { organizationId: row.organizationId })) return null;
  return {
    organization: { id: row.organizationId, type: row.type },
    person: { userId: row.userId, role: row.role, regions: row.regions },
  };
}

/** The roles the invitation form offers: in any organization, or in the actor's own. */
export async function invitableRoles(ctx: AccountsContext, actor: Actor): Promise<Role[]> {
  if (can(actor, 'people.invite', {})) return grantableRoles(actor, null);
  const own = await organizationForGrant(ctx, actor, actor.organizationId);
  return own ? grantableRoles(actor, own) : [];
}

/** The audit log as the actor may browse it (narrowed in the audit listing itself). */
export async function browseAudit(
  ctx: AccountsContext,
  actor: Actor,
  filters: AuditFilters,
  origin: RequestOrigin,
): Promise<AuditPage & { statewide: boolean }> {
  const page = await listAuditAs(ctx.db, actor, filters);
  const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : null);
  // Reading the log is itself recorded: who looked, with which filters.
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorKind: 'user',
      actorUserId: actor.userId,
      action: 'audit.browse',
      subjectType: 'audit_log',
      organizationId: actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: {
        action: filters.action ?? null,
        actor: filters.actorUserId ?? null,
        organization: filters.organizationId ?? null,
        from: day(filters.from),
        to: day(filters.to),
        page: filters.before ?? null,
        events: page.events.length,
      },
    }),
  );
  return page;
}
