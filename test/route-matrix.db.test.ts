/**
 * The authorisation matrix: every route the app serves, called by anonymous and by every role, must
 * answer as its declared policy says. A route without a policy fails the suite.
 *
 * People and sessions are written straight into the database (test/staff.ts): this test is about who may
 * do what once signed in; signing in itself is tested in the staff pages' tests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GRANTS,
  ORGANIZATION_TYPES,
  POLICY,
  REGIONAL_ROLES,
  ROLES,
  can,
  grantRefusal,
  type Actor,
  type GrantRequest,
  type OrganizationType,
  type Role,
} from '../src/platform/access.ts';
import {
  beginTwoFactorEnrolment,
  confirmTwoFactorEnrolment,
  emailIndex,
  sessionFromToken,
  signInWithPassword,
} from '../src/features/accounts/service.ts';
import { accountsContext } from '../src/web/session.ts';
import { totpCodeAt } from '../src/platform/auth/credentials/totp.ts';
import { addItem } from '../src/features/queue/testing.ts';
import { addCase } from '../src/features/tasks/testing.ts';
import { coordinationContext, createTask } from '../src/features/tasks/service.ts';
import { openCase } from '../src/features/cases/service.ts';
import { recordConsent } from '../src/features/consents/service.ts';
import { createReferral } from '../src/features/referrals/service.ts';
import { LEARN_PAGES } from '../src/features/learn/content.tsx';
import {
  addStaffMember,
  createSetting,
  settingsContext,
} from '../src/features/certified-settings/service.ts';
import { createEvent, eventsContext } from '../src/features/events/service.ts';
import { policyActions, type Policy } from '../src/platform/policy.ts';
import { TEST_SITE, testApp, type TestApp } from './app.ts';
import { addOrganization, addStaff, formBody, sessionFor, type TestSession } from './staff.ts';

let t: TestApp;
let orgId: string;
let stateOrgId: string;
const users = new Map<Role, string>();
let serviceId: string;
let victimId: string;
let spareOrgId: string;
/** An item of the navigators' region (west-metro), so the queue's routes answer for a real record. */
let intakeItemId: string;
/** A task of the navigators' region, and a transfer into it, so their routes answer for real records. */
let taskId: string;
let transferId: string;
/** A case of the navigators' region, so the case routes answer for a real record. */
let caseId: string;
/** A consent of that case, and a referral from it to the roles' own organization (its receivers). */
let consentId: string;
let referralId: string;
/** A certified setting of the roles' own organization, with one direct-contact staff member. */
let settingId: string;
let settingStaffId: string;
/** An event of the navigators' region, so the events' staff routes answer for a real record. */
let eventId: string;

/** A signed-up person of the role (navigators of West Metro). */
const addUser = async (role: Role, organizationId: string): Promise<string> =>
  (await addStaff(t.deps, role, role === 'navigator' ? ['west-metro'] : [], { organizationId })).id;

beforeAll(async () => {
  // Every API route is asked for every role from one address: more than the API's limit per address
  // allows in a window, which is not what this matrix is about (the limit has its own tests).
  t = await testApp({ apiRateLimit: { perToken: 1_000_000, perAddress: 1_000_000, windowSeconds: 60 } });
  stateOrgId = await addOrganization(t.deps.db, 'Synthetic State Agency', 'state_agency');
  orgId = await addOrganization(t.deps.db, 'Synthetic Host', 'navigator_host');
  for (const role of ROLES) users.set(role, await addUser(role, role === 'state_admin' ? stateOrgId : orgId));
  victimId = await addUser('professional', orgId);
  // Routes that change an organization act on a spare one, so the matrix does not disable its own users.
  spareOrgId = await addOrganization(t.deps.db, 'Synthetic Spare', 'other');
  intakeItemId = await addItem(t.deps, { regionId: 'west-metro' });
  taskId = await createTask(
    coordinationContext(t.deps),
    { userId: users.get('navigator')!, role: 'navigator', organizationId: orgId, regions: ['west-metro'] },
    {
      caseId: null,
      regionId: 'west-metro',
      title: 'Synthetic matrix task',
      dueAt: new Date(Date.now() + 86_400_000),
    },
    { ip: '192.0.2.1', userAgent: null },
  );
  transferId = randomUUID();
  await t.deps.db
    .insertInto('case_transfers')
    .values({
      id: transferId,
      case_id: await addCase(t.deps, { regionId: 'southeast', countyFips: '27109' }),
      from_region_id: 'southeast',
      to_region_id: 'west-metro',
      requested_by: users.get('navigator')!,
    })
    .execute();
  caseId = (
    await openCase(
      {
        db: t.deps.db,
        keyring: t.deps.keyring,
        calendar: t.deps.rules.calendar,
        vocabularies: t.deps.rules.vocabularies,
      },
      { userId: users.get('navigator')!, role: 'navigator', organizationId: orgId, regions: ['west-metro'] },
      { chosenName: 'Synthetic Matrix', regionId: 'west-metro' },
      { ip: '192.0.2.1', userAgent: null },
    )
  ).id;
  const caseContext = {
    db: t.deps.db,
    keyring: t.deps.keyring,
    calendar: t.deps.rules.calendar,
    vocabularies: t.deps.rules.vocabularies,
  };
  const navigatorActor = {
    userId: users.get('navigator')!,
    role: 'navigator' as const,
    organizationId: orgId,
    regions: ['west-metro'],
  };
  const origin = { ip: '192.0.2.1', userAgent: null };
  consentId = (
    await recordConsent(
      caseContext,
      navigatorActor,
      caseId,
      {
        organizationId: orgId,
        purpose: 'referral_for_services',
        categories: ['identity'],
        method: 'written',
      },
      origin,
    )
  ).id;
  referralId = (
    await createReferral(
      { ...caseContext, site: t.deps.site },
      navigatorActor,
      caseId,
      { toOrganizationId: orgId, serviceType: 'basic_needs', shareIdentifying: true, send: true },
      origin,
    )
  ).id;
  const settings = settingsContext(t.deps);
  settingId = await createSetting(
    settings,
    { userId: users.get('state_admin')!, role: 'state_admin', organizationId: stateOrgId, regions: [] },
    {
      organizationId: orgId,
      name: 'Synthetic Matrix Setting',
      licenseNumber: 'SYN-L-1',
      certificationNumber: 'SYN-C-1',
      certifiedOn: '2026-01-01',
      expiresOn: '2027-12-31',
      status: 'certified',
    },
    origin,
  );
  settingStaffId = await addStaffMember(
    settings,
    { userId: users.get('org_admin')!, role: 'org_admin', organizationId: orgId, regions: [] },
    settingId,
    { name: 'Synthetic Matrix Worker', roleTitle: 'Youth worker', startedOn: '2026-02-01' },
    origin,
  );
  eventId = await createEvent(
    eventsContext(t.deps),
    { userId: users.get('trainer')!, role: 'trainer', organizationId: orgId, regions: [] },
    {
      title: 'Synthetic Matrix Training',
      kind: 'training',
      startsOn: '2030-01-16',
      startTime: '11:00',
      endTime: '12:30',
      placeKind: 'in_person',
      placeName: 'Synthetic Hall',
      regionId: 'west-metro',
      capacity: '',
      registration: 'public',
    },
    origin,
  );
  serviceId = (
    await t.deps.db.selectFrom('directory_services').select('id').orderBy('id').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t.close();
});

function concrete(path: string): string {
  return path
    .replace(':slug', LEARN_PAGES[0]?.slug ?? 'x')
    .replace(':token', `nwdl_${'x'.repeat(43)}`)
    .replace(/^\/services\/:id$/, `/services/${serviceId}`)
    .replace(/^\/api\/v1\/services\/:id$/, `/api/v1/services/${serviceId}`)
    .replace(/\/organizations\/:id/, `/organizations/${spareOrgId}`)
    .replace(/\/people\/:id/, `/people/${victimId}`)
    .replace(/^\/staff\/queue\/:id/, `/staff/queue/${intakeItemId}`)
    .replace(/^\/api\/v1\/intake\/:id$/, `/api/v1/intake/${intakeItemId}`)
    .replace(/^\/staff\/tasks\/:id/, `/staff/tasks/${taskId}`)
    .replace(/^\/staff\/transfers\/:id/, `/staff/transfers/${transferId}`)
    .replace(/^\/staff\/cases\/:id/, `/staff/cases/${caseId}`)
    .replace(/^\/api\/v1\/cases\/:id$/, `/api/v1/cases/${caseId}`)
    .replace(/^\/api\/v1\/cases\/:id\//, `/api/v1/cases/${caseId}/`)
    .replace(':consentId', consentId)
    .replace(/^\/api\/v1\/consents\/:id/, `/api/v1/consents/${consentId}`)
    .replace(/^\/(staff|api\/v1)\/referrals\/:id/, `/$1/referrals/${referralId}`)
    .replace(/^\/(staff|api\/v1)\/housing\/settings\/:id/, `/$1/housing/settings/${settingId}`)
    .replace(/^\/staff\/training\/courses\/:code/, '/staff/training/courses/X205')
    .replace(/^\/certificates\/:code$/, '/certificates/NWD-AAAAA-AAAAA')
    .replace(/^\/staff\/training\/regions\/:id$/, '/staff/training/regions/west-metro')
    .replace(':staffId', settingStaffId)
    .replace(/^\/api\/v1\/reports\/:measure$/, '/api/v1/reports/youth_served')
    .replace(/^\/(staff\/)?events\/:id/, (m) => m.replace(':id', eventId))
    .replace(':id', randomUUID());
}

/** What the policy says an identity gets: in, sent to sign in, or refused. */
function expected(policy: Policy, role: Role | null): 'in' | 'sign-in' | 'refused' | 'in-or-sign-in' {
  switch (policy.kind) {
    case 'public':
    case 'probe':
      return 'in';
    case 'staff_entry':
      // The way in: a step that is not available yet sends the person to sign in, never refuses.
      return 'in-or-sign-in';
    case 'signed_in':
      return role ? 'in' : 'sign-in';
    case 'staff_action':
      if (!role) return 'sign-in';
      return policyActions(policy).some((action) => POLICY[action][role]) ? 'in' : 'refused';
  }
}

describe('the authorisation matrix', () => {
  it('has a policy for every route the app serves', () => {
    const served = t.app.routes.filter((r) => r.method !== 'ALL');
    const missing = served
      .filter((r) => !t.policies.policyFor(r.method, r.path))
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    expect(served.some((r) => r.path.startsWith('/staff'))).toBe(true);
  });

  it('covers the housing, training and evaluation reports: state administrators, evaluators and organization administrators only', () => {
    for (const [method, path] of [
      ['GET', '/staff/reports'],
      ['GET', '/staff/reports/download'],
      ['GET', '/staff/reports/biennial'],
      ['GET', '/staff/reports/quality'],
      ['GET', '/api/v1/reports/:measure'],
      ['GET', '/staff/housing/reports'],
      ['GET', '/staff/housing/reports/download'],
      ['GET', '/api/v1/housing/reports'],
      ['GET', '/staff/training/reports'],
      ['GET', '/staff/training/reports/download'],
      ['GET', '/api/v1/training/reports'],
    ] as const) {
      const policy = t.policies.policyFor(method, path);
      expect(policy, `${method} ${path}`).toBeDefined();
      expect(ROLES.filter((role) => expected(policy!, role) === 'in')).toEqual([
        'state_admin',
        'org_admin',
        'evaluator',
      ]);
    }
  });

  it('covers training: the catalogue, completions, compliance and the public certificate check', () => {
    const inFor = (method: string, path: string) =>
      ROLES.filter((role) => expected(t.policies.policyFor(method, path)!, role) === 'in');
    expect(inFor('POST', '/staff/training/courses')).toEqual(['state_admin', 'trainer']);
    expect(inFor('POST', '/staff/training/organizations/:id/completions')).toEqual([
      'state_admin',
      'org_admin',
      'trainer',
    ]);
    expect(inFor('GET', '/staff/training/state')).toEqual(['state_admin', 'org_admin', 'navigator']);
    expect(t.policies.policyFor('GET', '/certificates/:code')?.kind).toBe('public');
  });

  it('answers every route, for anonymous and every role, as its policy says', async () => {
    const routes = t.app.routes.filter((r) => r.method !== 'ALL');
    const failures: string[] = [];
    for (const route of routes) {
      const policy = t.policies.policyFor(route.method, route.path);
      if (!policy) continue;
      for (const role of [null, ...ROLES]) {
        const path = concrete(route.path);
        const identity = role ? await sessionFor(t.deps.db, users.get(role) ?? '') : null;
        const headers: Record<string, string> = identity ? { Cookie: identity.cookie } : {};
        // Writes signed in with the cookie come from this site (sameSiteWrites), whatever their method.
        let init: RequestInit = {
          method: route.method,
          headers: route.method === 'GET' ? headers : { ...headers, Origin: TEST_SITE.origin },
        };
        if (route.method === 'POST') {
          // Anonymous forms carry a valid pre-session token too, so the answer shows the policy, not CSRF.
          const stamp = Date.now().toString(36);
          const anonymousToken = `f.${stamp}.${await t.deps.keyring.blindIndex('staff-form-token', `form:${stamp}`)}`;
          const body = new URLSearchParams({ csrf: identity ? identity.csrf : anonymousToken });
          init = {
            method: 'POST',
            body: body.toString(),
            headers: {
              ...headers,
              Origin: TEST_SITE.origin,
              'Content-Type': 'application/x-www-form-urlencoded',
            },
          };
        }
        const res = await t.app.request(path, init);
        const location = res.headers.get('location') ?? '';
        // A page sends the anonymous to sign in; the API answers 401.
        const signIn = (res.status === 303 && location === '/staff/sign-in') || res.status === 401;
        const want = expected(policy, role);
        // A record page answers a role that may never use it as a record that does not exist (404);
        // cases.routes.db.test.ts checks that with a case that exists.
        const hidden =
          policy.kind === 'staff_action' && policy.hidden && want === 'refused' && res.status === 404;
        const got = res.status === 403 || hidden ? 'refused' : signIn ? 'sign-in' : 'in';
        const matches = want === 'in-or-sign-in' ? got !== 'refused' : got === want;
        if (!matches || res.status >= 500) {
          failures.push(
            `${route.method} ${route.path} as ${role ?? 'anonymous'}: expected ${want}, got ${res.status} ${location}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

/**
 * The grant matrix: every role, as someone in an organization of each type that can have them, tries to
 * give every role, by invitation and by changing another person's role and their own, with no region, a
 * region of their own, a region outside it and a region that does not exist, through the real routes.
 * Each answer must be exactly the grant rule's (`grantRefusal` in src/platform/access.ts), and the
 * database must hold the change only when the rule allows it.
 */
describe('the grant matrix', () => {
  const REGION_CASES = {
    none: [],
    own: ['west-metro'],
    outside: ['southeast'],
    unknown: ['atlantis'],
  } as const satisfies Record<string, readonly string[]>;
  const TYPES = Object.keys(ORGANIZATION_TYPES) as OrganizationType[];
  const organizations = new Map<OrganizationType, string>();
  interface Granter {
    label: string;
    actor: Actor;
    type: OrganizationType;
    session: TestSession;
  }
  const granters: Granter[] = [];
  let emails = 0;
  let existing: Set<string>;

  const post = (who: TestSession, path: string, fields: [string, string][]) =>
    t.app.request(path, {
      method: 'POST',
      body: formBody(who.csrf, fields),
      headers: {
        Cookie: who.cookie,
        Origin: TEST_SITE.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
  const staffRow = (where: { id: string } | { emailIndex: string }) => {
    const q = t.deps.db.selectFrom('staff_users').select(['id', 'role', 'regions', 'organization_id']);
    return (
      'id' in where ? q.where('id', '=', where.id) : q.where('email_index', '=', where.emailIndex)
    ).executeTakeFirst();
  };

  beforeAll(async () => {
    existing = new Set(t.deps.geography.get().regions.keys());
    expect(existing.has('west-metro') && existing.has('southeast') && !existing.has('atlantis')).toBe(true);
    for (const type of TYPES)
      organizations.set(type, await addOrganization(t.deps.db, `Synthetic Grant ${type}`, type));
    // Each role in the first type of organization that can have it; organization administrators in every type.
    const seats: [Role, OrganizationType][] = ROLES.filter((r) => r !== 'org_admin').map((role) => [
      role,
      TYPES.find((type) => GRANTS[type][role])!,
    ]);
    for (const type of TYPES) seats.push(['org_admin', type]);
    for (const [role, type] of seats) {
      const person = await addStaff(t.deps, role, REGIONAL_ROLES.includes(role) ? ['west-metro'] : [], {
        organizationId: organizations.get(type)!,
      });
      granters.push({
        label: `${role} of a ${type}`,
        actor: person.actor,
        type,
        session: await sessionFor(t.deps.db, person.id),
      });
    }
  });

  type Outcome = 'allowed' | 'refused' | 'forbidden';
  interface Tried {
    granter: Granter;
    kind: 'invite' | 'change' | 'self';
    type: OrganizationType;
    role: Role;
    regions: keyof typeof REGION_CASES;
    outcome: Outcome;
  }

  /** What the rule declares: forbidden by the route's policy, allowed, or refused by the grant rule. */
  function declared(granter: Actor, kind: Tried['kind'], request: GrantRequest): Outcome {
    if (!POLICY[kind === 'invite' ? 'people.invite' : 'people.manage'][granter.role]) return 'forbidden';
    return grantRefusal(granter, request, existing) === null ? 'allowed' : 'refused';
  }

  it('answers every grant as the rule declares, and changes the database only when it allows', async () => {
    const tried: Tried[] = [];
    const failures: string[] = [];
    /** A fresh professional per organization, replaced once their role has been changed. */
    const people = new Map<string, string>();
    const personIn = async (organizationId: string) => {
      let id = people.get(organizationId);
      if (!id) {
        id = (await addStaff(t.deps, 'professional', [], { organizationId })).id;
        people.set(organizationId, id);
      }
      return id;
    };
    for (const granter of granters) {
      const own = organizations.get(granter.type)!;
      const everywhere = can(granter.actor, 'people.invite', {});
      // A state administrator tries every type of organization; anyone else their own.
      const targets = everywhere ? TYPES : [granter.type];
      for (const type of targets) {
        const organizationId = organizations.get(type)!;
        for (const role of ROLES) {
          for (const [regionCase, regions] of Object.entries(REGION_CASES) as [
            keyof typeof REGION_CASES,
            readonly string[],
          ][]) {
            const regionFields = regions.map((r): [string, string] => ['regions', r]);
            const what = `${granter.label} gives ${role} in a ${type} with regions ${regionCase}`;

            // By invitation. An organization administrator's invitation always lands in their own organization.
            const email = `grant.${++emails}@example.org`;
            const invitedInto = {
              id: everywhere ? organizationId : own,
              type: everywhere ? type : granter.type,
            };
            const inviteWant = declared(granter.actor, 'invite', {
              organization: invitedInto,
              role,
              regions,
            });
            const invited = await post(granter.session, '/staff/admin/people/invite', [
              ['email', email],
              ['role', role],
              ['organization', organizationId],
              ...regionFields,
            ]);
            const created = await staffRow({ emailIndex: await emailIndex(t.deps, email) });
            const inviteGot: Outcome =
              invited.status === 200 && created
                ? 'allowed'
                : invited.status === 403
                  ? 'forbidden'
                  : 'refused';
            if (
              inviteGot !== inviteWant ||
              (inviteGot !== 'allowed' &&
                (created || invited.status !== (inviteGot === 'forbidden' ? 403 : 400)))
            )
              failures.push(
                `invite: ${what}: expected ${inviteWant}, got ${invited.status}${created ? ' and an account' : ''}`,
              );
            if (created && inviteWant === 'allowed') {
              expect(created, what).toMatchObject({
                role,
                regions: [...regions],
                organization_id: invitedInto.id,
              });
            }
            tried.push({
              granter,
              kind: 'invite',
              type: invitedInto.type,
              role,
              regions: regionCase,
              outcome: inviteGot,
            });

            // Changing another person's role (a professional of the organization).
            const personId = await personIn(organizationId);
            const changeWant = declared(granter.actor, 'change', {
              organization: { id: organizationId, type },
              role,
              regions,
              person: { userId: personId, role: 'professional', regions: [] },
            });
            const changed = await post(granter.session, `/staff/admin/people/${personId}/role`, [
              ['role', role],
              ...regionFields,
            ]);
            const after = await staffRow({ id: personId });
            const moved = after?.role !== 'professional' || (after?.regions.length ?? 0) > 0;
            const changeGot: Outcome =
              changed.status === 303 &&
              changed.headers.get('location') === `/staff/admin/people/${personId}?done=role`
                ? 'allowed'
                : changed.status === 403
                  ? 'forbidden'
                  : 'refused';
            if (
              changeGot !== changeWant ||
              (changeGot !== 'allowed' &&
                (moved || changed.status !== (changeGot === 'forbidden' ? 403 : 400)))
            )
              failures.push(
                `change: ${what}: expected ${changeWant}, got ${changed.status}${moved ? ' and the role changed' : ''}`,
              );
            if (changeGot === 'allowed') {
              if (after?.role !== role || after.regions.join() !== regions.join())
                failures.push(`change: ${what}: stored ${after?.role} ${after?.regions.join()}`);
              people.delete(organizationId);
            } else if (moved) people.delete(organizationId);
            tried.push({ granter, kind: 'change', type, role, regions: regionCase, outcome: changeGot });
          }
        }
      }
      // Their own role, last (a wrongly allowed change would alter the granter).
      for (const role of ROLES) {
        for (const [regionCase, regions] of Object.entries(REGION_CASES) as [
          keyof typeof REGION_CASES,
          readonly string[],
        ][]) {
          const want = declared(granter.actor, 'self', {
            organization: { id: own, type: granter.type },
            role,
            regions,
            person: {
              userId: granter.actor.userId,
              role: granter.actor.role,
              regions: granter.actor.regions,
            },
          });
          const res = await post(granter.session, `/staff/admin/people/${granter.actor.userId}/role`, [
            ['role', role],
            ...regions.map((r): [string, string] => ['regions', r]),
          ]);
          const row = await staffRow({ id: granter.actor.userId });
          const got: Outcome = res.status === 403 ? 'forbidden' : res.status === 400 ? 'refused' : 'allowed';
          const unchanged =
            row?.role === granter.actor.role && row.regions.join() === granter.actor.regions.join();
          if (got !== want || !unchanged)
            failures.push(
              `self: ${granter.label} makes themselves ${role} with regions ${regionCase}: expected ${want}, got ${res.status}`,
            );
          tried.push({ granter, kind: 'self', type: granter.type, role, regions: regionCase, outcome: got });
        }
      }
    }
    expect(failures).toEqual([]);

    // What the rule says, checked on the answers themselves (not through grantRefusal).
    const allowed = tried.filter((x) => x.outcome === 'allowed');
    for (const x of allowed) {
      const what = `${x.kind}: ${x.granter.label} gave ${x.role} in a ${x.type} with regions ${x.regions}`;
      expect(x.kind, what).not.toBe('self');
      expect(['state_admin', 'org_admin'], what).toContain(x.granter.actor.role);
      expect(GRANTS[x.type][x.role], what).toBeDefined();
      if (x.role === 'navigator') {
        expect(x.granter.actor.role, what).toBe('state_admin');
        expect(['own', 'outside'], what).toContain(x.regions);
      } else expect(x.regions, what).toBe('none');
      if (x.granter.actor.role === 'org_admin')
        expect(['provider_staff', 'professional'], what).toContain(x.role);
    }
    // Nobody but a state administrator ever gives a navigator, child-protection, trainer or evaluator role.
    const stateOnly: Role[] = [
      'state_admin',
      'org_admin',
      'navigator',
      'child_protection',
      'trainer',
      'evaluator',
    ];
    for (const role of stateOnly) {
      expect(allowed.filter((x) => x.role === role && x.granter.actor.role !== 'state_admin')).toEqual([]);
      expect(
        allowed.some((x) => x.role === role && x.granter.actor.role === 'state_admin'),
        role,
      ).toBe(true);
    }
    // Every region that does not exist was refused, whoever asked.
    expect(allowed.filter((x) => x.regions === 'unknown')).toEqual([]);
    expect(
      tried
        .filter((x) => x.kind === 'self' && x.outcome !== 'forbidden')
        .every((x) => x.outcome === 'refused'),
    ).toBe(true);
    expect(tried.length).toBeGreaterThan(1500);
  }, 600_000);

  it('reproduction A: a service provider’s administrator cannot invite a navigator, and a navigator cannot open another region’s case', async () => {
    const provider = granters.find((g) => g.label === 'org_admin of a service_provider')!;
    const admin = granters.find((g) => g.actor.role === 'state_admin')!;
    const southeastCase = await addCase(t.deps, { regionId: 'southeast', countyFips: '27109' });
    const attempt = await post(provider.session, '/staff/admin/people/invite', [
      ['email', 'would.be.navigator@example.org'],
      ['role', 'navigator'],
      ...[...existing].map((r): [string, string] => ['regions', r]),
    ]);
    expect(attempt.status).toBe(400);
    expect(
      await staffRow({ emailIndex: await emailIndex(t.deps, 'would.be.navigator@example.org') }),
    ).toBeUndefined();

    // A navigator a state administrator invites for West Metro: they accept, sign in, and see only West Metro.
    const invited = await post(admin.session, '/staff/admin/people/invite', [
      ['email', 'west.navigator@example.org'],
      ['role', 'navigator'],
      ['organization', organizations.get('navigator_host')!],
      ['regions', 'west-metro'],
    ]);
    expect(invited.status).toBe(200);
    const link = /\/staff\/invitation\/(nwdl_[A-Za-z0-9_-]+)/.exec(await invited.text())?.[1];
    expect(link).toBeDefined();
    const stamp = Date.now().toString(36);
    const formToken = `f.${stamp}.${await t.deps.keyring.blindIndex('staff-form-token', `form:${stamp}`)}`;
    const password = 'harbor lantern quarry meadow';
    const accepted = await t.app.request(`/staff/invitation/${link}`, {
      method: 'POST',
      body: new URLSearchParams({ csrf: formToken, password, confirm: password }).toString(),
      headers: { Origin: TEST_SITE.origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(accepted.status).toBe(303);
    const ctx = accountsContext(t.deps);
    const origin = { ip: '192.0.2.30', userAgent: null };
    const first = await signInWithPassword(ctx, { email: 'west.navigator@example.org', password }, origin);
    if (!first.ok) throw new Error('sign-in refused');
    const half = await sessionFromToken(ctx, first.session.token);
    const enrolment = await beginTwoFactorEnrolment(ctx, half!);
    const done = await confirmTwoFactorEnrolment(ctx, half!, await totpCodeAt(enrolment.secret), origin);
    if (!done.ok) throw new Error('enrolment refused');
    const cookie = { headers: { Cookie: `nwd_session=${done.session.token}` } };
    expect((await t.app.request(`/staff/cases/${caseId}`, cookie)).status).toBe(200);
    expect((await t.app.request(`/staff/cases/${southeastCase}`, cookie)).status).toBe(404);
    expect((await t.app.request(`/api/v1/cases/${southeastCase}`, cookie)).status).toBe(404);
  });

  it('reproduction B: an organization administrator cannot make themselves a navigator for every region', async () => {
    const provider = granters.find((g) => g.label === 'org_admin of a service_provider')!;
    const southeastCase = await addCase(t.deps, { regionId: 'southeast', countyFips: '27109' });
    const own = await sessionFor(t.deps.db, provider.actor.userId); // just re-authenticated
    const res = await post(own, `/staff/admin/people/${provider.actor.userId}/role`, [
      ['role', 'navigator'],
      ...[...existing].map((r): [string, string] => ['regions', r]),
    ]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('You cannot change your own role or regions');
    expect(await staffRow({ id: provider.actor.userId })).toMatchObject({ role: 'org_admin', regions: [] });
    // Signed in again, they still cannot open any region's case (answered as for no case at all).
    const again = await sessionFor(t.deps.db, provider.actor.userId);
    for (const id of [caseId, southeastCase])
      expect((await t.app.request(`/staff/cases/${id}`, { headers: { Cookie: again.cookie } })).status).toBe(
        404,
      );
    // Nor change someone of another organization.
    const elsewhere = (
      await addStaff(t.deps, 'professional', [], { organizationId: organizations.get('shelter_housing')! })
    ).id;
    const other = await post(own, `/staff/admin/people/${elsewhere}/role`, [['role', 'provider_staff']]);
    expect(other.status).toBe(404);
  });
});
