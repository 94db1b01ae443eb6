/**
 * Who may call each route, declared in one place. Every route the app serves must have a policy: a
 * test enumerates the app's routes and fails on any that lacks one.
 */
export type Policy =
  /** Anyone, signed in or not. Public routes set no cookie and record nothing about the caller. */
  | { kind: 'public' }
  /** Operations probes (health and readiness). */
  | { kind: 'probe' };

export const PUBLIC: Policy = { kind: 'public' };
export const PROBE: Policy = { kind: 'probe' };

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
