/**
 * Who may call each route, declared in one place. Every route the app serves must have a policy: a
 * test enumerates the app's routes and fails on any that lacks one.
 */
import type { Action } from './access.ts';

export type Policy =
  /** Anyone, signed in or not. Public routes set no cookie and record nothing about the caller. */
  | { kind: 'public' }
  /** Operations probes (health and readiness). */
  | { kind: 'probe' }
  /** The way into the staff side (sign-in steps, set-up, invitations, password reset): anyone. */
  | { kind: 'staff_entry' }
  /** Any person with a complete staff session (both factors where required). */
  | { kind: 'signed_in' }
  /**
   * A complete staff session whose role may take the action, or one of the `also` actions (a page that
   * serves several roles, such as a referral read by both sides and by state administrators); the
   * handler checks the scope. `hidden`: a page about one record (a case) answers a role that may never
   * take the action as it answers a record that does not exist (404), so that it says nothing of it.
   */
  | { kind: 'staff_action'; action: Action; also?: readonly Action[]; hidden?: true };

export const PUBLIC: Policy = { kind: 'public' };
export const PROBE: Policy = { kind: 'probe' };
export const STAFF_ENTRY: Policy = { kind: 'staff_entry' };
export const SIGNED_IN: Policy = { kind: 'signed_in' };
export const staffAction = (action: Action, ...also: Action[]): Policy =>
  also.length ? { kind: 'staff_action', action, also } : { kind: 'staff_action', action };
/** A record page's policy: `staffAction`, and a role that may never take it is answered 404, not 403. */
export const recordAction = (action: Action): Policy => ({ kind: 'staff_action', action, hidden: true });

/** The actions a policy lets a role take (any one suffices), or none for a policy without an action. */
export const policyActions = (policy: Policy): readonly Action[] =>
  policy.kind === 'staff_action' ? [policy.action, ...(policy.also ?? [])] : [];

export class PolicyRegistry {
  private readonly policies = new Map<string, Policy>();

  declare(method: string, path: string, policy: Policy): void {
    this.policies.set(`${method.toUpperCase()} ${path}`, policy);
  }

  policyFor(method: string, path: string): Policy | undefined {
    return this.policies.get(`${method.toUpperCase()} ${path}`);
  }

  entries(): [string, Policy][] {
    return [...this.policies.entries()];
  }
}
