/**
 * The authorisation matrix: every route the app serves, called by anonymous and by every role, must
 * answer as its declared policy says. A route without a policy fails the suite.
 *
 * People and sessions are written straight into the database (test/staff.ts): this test is about who may
 * do what once signed in; signing in itself is tested in the staff pages' tests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, POLICY, type Role } from '../src/platform/access.ts';
import { addItem } from '../src/features/intake/queue-testing.ts';
import { addCase } from '../src/features/cases/tasks-testing.ts';
import { coordinationContext, createTask } from '../src/features/cases/tasks.ts';
import { openCase } from '../src/features/cases/service.ts';
import { recordConsent } from '../src/features/cases/consents.ts';
import { createReferral } from '../src/features/cases/referrals.ts';
import { LEARN_PAGES } from '../src/features/learn/content.tsx';
import type { Policy } from '../src/platform/policy.ts';
import { TEST_SITE, testApp, type TestApp } from './app.ts';
import { addOrganization, addStaff, sessionFor } from './staff.ts';

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
/** A consent of that case, and a referral from it to the roles' own organisation (its receivers). */
let consentId: string;
let referralId: string;

/** A signed-up person of the role (navigators of West Metro). */
const addUser = async (role: Role, organizationId: string): Promise<string> =>
  (await addStaff(t.deps, role, role === 'navigator' ? ['west-metro'] : [], { organizationId })).id;

beforeAll(async () => {
  t = await testApp();
  stateOrgId = await addOrganization(t.deps.db, 'Synthetic State Agency', 'state_agency');
  orgId = await addOrganization(t.deps.db, 'Synthetic Host', 'navigator_host');
  for (const role of ROLES) users.set(role, await addUser(role, role === 'state_admin' ? stateOrgId : orgId));
  victimId = await addUser('professional', orgId);
  // Routes that change an organisation act on a spare one, so the matrix does not disable its own users.
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
      return POLICY[policy.action][role] ? 'in' : 'refused';
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
        let init: RequestInit = { method: route.method, headers };
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
        const got = res.status === 403 ? 'refused' : signIn ? 'sign-in' : 'in';
        const want = expected(policy, role);
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
