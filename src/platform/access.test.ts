import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTIONS,
  GRANTS,
  ORGANIZATION_TYPES,
  POLICY,
  REGIONAL_ROLES,
  ROLES,
  can,
  grantRefusal,
  grantTableMarkdown,
  grantableRoles,
  policyTableMarkdown,
  type Action,
  type Actor,
  type GrantRequest,
  type OrganizationType,
  type Role,
} from './access.ts';

const actor = (over: Partial<Actor>): Actor => ({
  userId: 'u1',
  role: 'org_admin',
  organizationId: 'o1',
  regions: [],
  ...over,
});

describe('the permission model', () => {
  it('scopes an organization administrator to their own organization', () => {
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

describe('who may grant what', () => {
  const TYPES = Object.keys(ORGANIZATION_TYPES) as OrganizationType[];
  const REGIONS = new Set(['central', 'west-metro']);
  const org = (type: OrganizationType, id = 'o1') => ({ id, type });
  const stateAdmin = actor({ userId: 's1', role: 'state_admin', organizationId: 'state' });
  const orgAdmin = actor({ userId: 'a1', role: 'org_admin', organizationId: 'o1' });
  const invite = (granter: Actor | 'system', over: Partial<GrantRequest>) =>
    grantRefusal(
      granter,
      { organization: org('navigator_host'), role: 'professional', regions: [], ...over },
      REGIONS,
    );

  it('lets an organization administrator give only provider staff and professional roles, as the type allows', () => {
    // Written out by hand: a change to the table must change this too.
    const expected: Record<OrganizationType, Role[]> = {
      state_agency: ['professional'],
      child_protection: ['professional'],
      navigator_host: ['provider_staff', 'professional'],
      service_provider: ['provider_staff', 'professional'],
      shelter_housing: ['provider_staff', 'professional'],
      law_enforcement: ['professional'],
      school: ['professional'],
      health_care: ['provider_staff', 'professional'],
      other: ['professional'],
    };
    for (const type of TYPES) expect(grantableRoles(orgAdmin, org(type)), type).toEqual(expected[type]);
  });

  it('never lets an organization administrator give a navigator, any region, or a role beyond the organization', () => {
    for (const type of TYPES) {
      for (const role of [
        'state_admin',
        'org_admin',
        'navigator',
        'child_protection',
        'evaluator',
        'trainer',
      ] as const) {
        expect(
          invite(orgAdmin, { organization: org(type), role, regions: [] }),
          `${type} ${role}`,
        ).not.toBeNull();
        expect(invite(orgAdmin, { organization: org(type), role, regions: ['central'] })).not.toBeNull();
      }
      for (const role of ROLES) {
        if (!REGIONAL_ROLES.includes(role) && GRANTS[type][role] === 'org_admin')
          expect(invite(orgAdmin, { organization: org(type), role, regions: ['central'] })).toBe(
            'regions_not_for_role',
          );
      }
    }
    // The reproduction: a service provider's administrator inviting a navigator for any region.
    expect(
      invite(orgAdmin, { organization: org('service_provider'), role: 'navigator', regions: ['central'] }),
    ).toBe('role_not_in_organization');
    expect(
      invite(orgAdmin, { organization: org('navigator_host'), role: 'navigator', regions: ['central'] }),
    ).toBe('role_not_grantable');
    // Outside their own organization they grant nothing.
    expect(invite(orgAdmin, { organization: org('service_provider', 'o2') })).toBe('not_permitted');
    for (const type of TYPES)
      for (const role of REGIONAL_ROLES)
        expect(GRANTS[type][role] === 'org_admin', `${type} ${role}`).toBe(false);
  });

  it('lets nobody change their own role or regions', () => {
    for (const role of ROLES) {
      const self = actor({ userId: 'me', role, organizationId: 'o1', regions: ['central'] });
      for (const target of ROLES) {
        const refusal = grantRefusal(
          self,
          {
            organization: org('navigator_host'),
            role: target,
            regions: REGIONAL_ROLES.includes(target) ? ['central', 'west-metro'] : [],
            person: { userId: 'me', role, regions: ['central'] },
          },
          REGIONS,
        );
        expect(refusal, `${role} → ${target}`).toBe('own_account');
      }
    }
  });

  it('keeps navigators for state administrators, in a navigator host, in regions that exist', () => {
    const host = org('navigator_host', 'o9');
    expect(invite(stateAdmin, { organization: host, role: 'navigator', regions: ['central'] })).toBeNull();
    expect(invite(stateAdmin, { organization: host, role: 'navigator', regions: [] })).toBe(
      'regions_required',
    );
    expect(
      invite(stateAdmin, { organization: host, role: 'navigator', regions: ['central', 'atlantis'] }),
    ).toBe('unknown_region');
    expect(invite(stateAdmin, { organization: org('school'), role: 'navigator', regions: ['central'] })).toBe(
      'role_not_in_organization',
    );
    expect(invite(stateAdmin, { organization: host, role: 'trainer', regions: ['central'] })).toBe(
      'regions_not_for_role',
    );
    for (const role of ['child_protection', 'evaluator', 'trainer', 'org_admin'] as const) {
      const type = TYPES.find((t) => GRANTS[t][role])!;
      expect(invite(stateAdmin, { organization: org(type), role }), role).toBeNull();
      expect(invite(orgAdmin, { organization: org(type), role }), role).not.toBeNull();
    }
    // The command line acts as a state administrator would, within the same table.
    expect(invite('system', { organization: host, role: 'navigator', regions: ['west-metro'] })).toBeNull();
    expect(invite('system', { organization: org('school'), role: 'navigator', regions: ['central'] })).toBe(
      'role_not_in_organization',
    );
    expect(invite('system', { organization: host, role: 'navigator', regions: ['atlantis'] })).toBe(
      'unknown_region',
    );
  });

  it('lets an organization administrator change only someone whose current role they could give', () => {
    const change = (role: Role, current: Role) =>
      grantRefusal(
        orgAdmin,
        {
          organization: org('navigator_host'),
          role,
          regions: [],
          person: { userId: 'p1', role: current, regions: current === 'navigator' ? ['central'] : [] },
        },
        REGIONS,
      );
    expect(change('provider_staff', 'professional')).toBeNull();
    expect(change('professional', 'navigator')).toBe('current_role_not_grantable');
    expect(change('professional', 'org_admin')).toBe('current_role_not_grantable');
    expect(
      grantableRoles(orgAdmin, org('navigator_host'), { userId: 'p1', role: 'navigator', regions: [] }),
    ).toEqual([]);
    expect(
      grantableRoles(orgAdmin, org('navigator_host'), { userId: 'a1', role: 'org_admin', regions: [] }),
    ).toEqual([]);
  });

  it('refuses every grant to roles without people.invite, and to tokens without the scope', () => {
    for (const role of ROLES.filter((r) => !POLICY['people.invite'][r])) {
      for (const target of ROLES)
        expect(invite(actor({ role }), { organization: org('navigator_host'), role: target }), role).toBe(
          'not_permitted',
        );
    }
    const narrowed = actor({
      userId: 's1',
      role: 'state_admin',
      organizationId: 'state',
      tokenScopes: ['audit.read'],
    });
    expect(invite(narrowed, { role: 'professional' })).toBe('not_permitted');
    expect(grantableRoles(orgAdmin, null)).toEqual([]);
    expect(grantableRoles(stateAdmin, null)).toEqual([...ROLES]);
  });

  it('is published, unchanged, in docs/security.md', () => {
    const doc = readFileSync('docs/security.md', 'utf8');
    expect(doc).toContain(grantTableMarkdown());
  });
});
