/**
 * What the administration pages share about who may use them: the refusal a role that may not use a
 * page is shown, the route options of a page for one action, and the way to a fresh sign-in before a
 * sensitive action.
 */
import type { Context } from 'hono';
import { can, type Action, type Actor, type Target } from '../../platform/access.ts';
import type { StaffRouteOptions } from '../../web/route.ts';

/** What a role that may not use a page is told. */
export const FORBIDDEN =
  "Your role does not allow this. If you think it should, ask your organization's administrator.";

/** The route options of a page for `action` on `target`: a 403 page with FORBIDDEN otherwise. */
export const only = (action: Action, target: (actor: Actor) => Target): StaffRouteOptions => ({
  refusal: FORBIDDEN,
  allowed: (actor) => can(actor, action, target(actor)),
});
export const ownOrganization = (actor: Actor): Target => ({ organizationId: actor.organizationId });
export const anyTarget = (): Target => ({});

/** Where a person signs in again before a sensitive action, and comes back to afterwards. */
export function reauthenticateRedirect(c: Context, next: string): Response {
  return c.redirect(`/staff/reauthenticate?next=${encodeURIComponent(next)}`, 303);
}
