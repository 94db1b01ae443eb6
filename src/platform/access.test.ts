import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACTIONS, POLICY, ROLES, can, policyTableMarkdown, type Action, type Actor } from './access.ts';

const actor = (over: Partial<Actor>): Actor => ({
  userId: 'u1',
  role: 'org_admin',
  organizationId: 'o1',
  regions: [],
  ...over,
});

describe('the permission model', () => {
  it('scopes an organisation administrator to their own organisation', () => {
    expect(can(actor({}), 'people.manage', { organizationId: 'o1' })).toBe(true);
    expect(can(actor({}), 'people.manage', { organizationId: 'o2' })).toBe(false);
    expect(can(actor({}), 'people.manage', {})).toBe(false);
    expect(can(actor({}), 'organizations.manage', { organizationId: 'o1' })).toBe(false);
  });

  it('lets an evaluator see aggregates and nothing about a person', () => {
    const evaluator = actor({ role: 'evaluator' });
    expect(can(evaluator, 'reports.aggregate', { aggregate: true })).toBe(true);
    expect(can(evaluator, 'reports.aggregate', { aggregate: false, organizationId: 'o1' })).toBe(false);
    for (const action of Object.keys(ACTIONS) as Action[]) {
      if (action === 'reports.aggregate') continue;
      expect(can(evaluator, action, { organizationId: 'o1', userId: 'other' }), action).toBe(false);
    }
  });

  it('lets everyone manage only their own sessions and tokens', () => {
    for (const role of ROLES) {
      expect(can(actor({ role }), 'sessions.manage', { userId: 'u1' })).toBe(true);
      expect(can(actor({ role }), 'sessions.manage', { userId: 'u2' })).toBe(false);
    }
  });

  it('never lets a token do more than its scopes, or more than its owner', () => {
    const admin = actor({ role: 'state_admin', tokenScopes: ['audit.read'] });
    expect(can(admin, 'audit.read')).toBe(true);
    expect(can(admin, 'audit.export')).toBe(false);
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        fc.constantFrom(...(Object.keys(ACTIONS) as Action[])),
        fc.subarray(Object.keys(ACTIONS) as Action[]),
        fc.record({
          organizationId: fc.constantFrom('o1', 'o2', null),
          userId: fc.constantFrom('u1', 'u2'),
          regionId: fc.constantFrom('r1', null),
          aggregate: fc.boolean(),
        }),
        (role, action, scopes, target) => {
          const withToken = can(actor({ role, regions: ['r1'], tokenScopes: scopes }), action, target);
          const owner = can(actor({ role, regions: ['r1'] }), action, target);
          expect(withToken && !owner).toBe(false);
        },
      ),
    );
  });

  it('names a scope for every grant, and every role exists', () => {
    for (const grants of Object.values(POLICY)) {
      for (const [role, scope] of Object.entries(grants)) {
        expect(ROLES).toContain(role);
        expect(['any', 'own_regions', 'own_organization', 'self', 'aggregate']).toContain(scope);
      }
    }
  });

  it('is published, unchanged, in docs/security.md', () => {
    const doc = readFileSync('docs/security.md', 'utf8');
    expect(doc).toContain(policyTableMarkdown());
  });
});
