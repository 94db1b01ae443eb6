/**
 * The administration pages against a real database: who sees which people, invitations, sensitive
 * changes behind a recent re-authentication, disabling (audited), the audit log and its CSV export, and
 * CSRF. Synthetic people only (example.org).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { totpCodeAt } from '../../platform/auth/credentials/totp.ts';
import { PolicyRegistry } from '../../platform/policy.ts';
import { securityHeaders } from '../../platform/security.ts';
import {
  acceptInvitation,
  beginTwoFactorEnrolment,
  completeSetup,
  confirmTwoFactorEnrolment,
  createOrganization,
  createSetupLink,
  inviteUser,
  reauthenticate,
  sessionFromToken,
  signInWithPassword,
  type AccountsContext,
  type CurrentSession,
} from '../accounts/service.ts';
import type { Actor, OrganizationType, Role } from '../../platform/access.ts';
import { adminPages } from './routes.tsx';
import { accountsContext, csrfProtection, sessionCookieName, staffSession } from '../../web/session.ts';

const ORIGIN = 'http://localhost:3000';
const origin = { ip: '192.0.2.20', userAgent: 'synthetic-test' };
const PASSWORD = 'copper lantern meadow orbit';

let t: TestApp;
let app: { request: OpenAPIHono['request'] };
let ctx: AccountsContext;

interface SignedIn {
  token: string;
  secret: string;
  userId: string;
}

let stateAdmin: SignedIn;
let orgAdmin: SignedIn;
let stateOrgId: string;
let orgA: string;
let orgB: string;
let personA: string;
let personB: string;
/** A navigator host and a professional in it (navigators belong to navigator hosts only). */
let orgHost: string;
let personH: string;

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);

async function sessionOf(token: string): Promise<CurrentSession> {
  const s = await sessionFromToken(ctx, token);
  if (!s) throw new Error('no session');
  return s;
}

/** Password, then two-factor enrolment with a code from the new secret. */
async function signIn(email: string): Promise<SignedIn> {
  const first = await signInWithPassword(ctx, { email, password: PASSWORD }, origin);
  if (!first.ok) throw new Error(`sign-in refused: ${first.reason}`);
  const s = await sessionOf(first.session.token);
  const enrolment = await beginTwoFactorEnrolment(ctx, s);
  const confirmed = await confirmTwoFactorEnrolment(ctx, s, await totpCodeAt(enrolment.secret), origin);
  if (!confirmed.ok) throw new Error('enrolment refused');
  return { token: confirmed.session.token, secret: enrolment.secret, userId: s.userId };
}

/** Makes the session's last sign-in old, as if the person signed in an hour ago. */
async function ageReauthentication(token: string): Promise<void> {
  const s = await sessionOf(token);
  await t.deps.db
    .updateTable('staff_sessions')
    .set({ reauthenticated_at: new Date(Date.now() - 60 * 60 * 1000) })
    .where('id_hash', '=', s.idHash)
    .execute();
}

/** The cookie as the browser would send it (`__Host-` outside development). */
const cookie = (who: SignedIn) => `${sessionCookieName(t.deps)}=${who.token}`;

function get(path: string, who?: SignedIn): Promise<Response> {
  return Promise.resolve(app.request(path, { headers: who ? { Cookie: cookie(who) } : {} }));
}

async function post(
  path: string,
  who: SignedIn,
  fields: [string, string][],
  options: { csrf?: boolean; origin?: string } = {},
): Promise<Response> {
  const body = new URLSearchParams(fields);
  if (options.csrf !== false) body.set('csrf', (await sessionOf(who.token)).csrfToken);
  return app.request(path, {
    method: 'POST',
    headers: {
      Cookie: cookie(who),
      Origin: options.origin ?? t.deps.site.origin,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: body.toString(),
  });
}

/** An invitation from `admin`; the invited person's id and their single-use link. */
function invite(admin: Actor, fields: Parameters<typeof inviteUser>[2]) {
  return inviteUser(ctx, admin, fields, origin);
}

/** An invited person who has set their password and signed in with both steps. */
async function signedUpAs(admin: Actor, fields: Parameters<typeof inviteUser>[2]): Promise<SignedIn> {
  await acceptInvitation(ctx, tokenOf((await invite(admin, fields)).link), PASSWORD, origin);
  return signIn(fields.email);
}

/** Signs in again (password and a fresh code), as the sensitive changes ask. */
async function reauthenticateAs(who: SignedIn): Promise<void> {
  const code = await totpCodeAt(who.secret, new Date(Date.now() + 30_000));
  expect(await reauthenticate(ctx, await sessionOf(who.token), { password: PASSWORD, code }, origin)).toEqual(
    {
      ok: true,
    },
  );
}

/** The answer has this status and its page says each of `texts`. */
async function expectPage(res: Response, status: number, ...texts: string[]): Promise<void> {
  expect(res.status).toBe(status);
  const html = await res.text();
  for (const text of texts) expect(html).toContain(text);
}

/** The page at `path` as `who` sees it, after checking its status. */
async function pageText(path: string, who: SignedIn, status: number): Promise<string> {
  const res = await get(path, who);
  expect(res.status).toBe(status);
  return res.text();
}

/** The form that adds an organization, as the state administrator. */
const postOrganization = (name: string, type: string) =>
  post('/staff/admin/organizations', stateAdmin, [
    ['name', name],
    ['type', type],
  ]);

/** The answer sends the browser on to `location`. */
function expectRedirect(res: Response, location: string): void {
  expect(res.status).toBe(303);
  expect(res.headers.get('Location')).toBe(location);
}

/** Columns of one staff account's row, as stored. */
function staffRow<C extends 'role' | 'regions' | 'disabled_at'>(id: string, columns: readonly C[]) {
  return t.deps.db.selectFrom('staff_users').select(columns).where('id', '=', id).executeTakeFirstOrThrow();
}

async function auditCount(action: string, subjectId?: string): Promise<number> {
  let q = t.deps.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', action);
  if (subjectId) q = q.where('subject_id', '=', subjectId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await testApp();
  const deps = t.deps;
  ctx = accountsContext(deps);
  if (t.policies.policyFor('GET', '/staff/admin/people')) {
    app = t.app;
  } else {
    // The full wiring is not in src/app.ts yet: the staff middleware and this feature alone.
    const own = new OpenAPIHono();
    own.use(securityHeaders({ hsts: false }));
    own.use('/staff/*', staffSession(deps));
    own.use('/staff/*', csrfProtection(deps));
    adminPages(own, deps, new PolicyRegistry());
    app = own;
  }

  const setup = await createSetupLink(ctx);
  if (!setup) throw new Error('expected a set-up link');
  const adminId = await completeSetup(
    ctx,
    tokenOf(setup),
    {
      organizationName: 'Synthetic State Agency',
      email: 'state.admin@example.org',
      displayName: 'Synthetic State Admin',
      password: PASSWORD,
    },
    origin,
  );
  stateAdmin = await signIn('state.admin@example.org');
  const adminActor = (await sessionOf(stateAdmin.token)).actor;
  stateOrgId = adminActor.organizationId;
  expect(stateAdmin.userId).toBe(adminId);

  const addOrganization = (name: string, type: OrganizationType) =>
    createOrganization(ctx, adminActor, { name, type }, origin);
  const addPerson = async (email: string, role: Role, organizationId: string) =>
    (await invite(adminActor, { email, role, organizationId })).userId;
  orgA = await addOrganization('Synthetic Shelter A', 'shelter_housing');
  orgB = await addOrganization('Synthetic Provider B', 'service_provider');
  orgAdmin = await signedUpAs(adminActor, {
    email: 'org.admin.a@example.org',
    role: 'org_admin',
    organizationId: orgA,
    displayName: 'Org Admin A',
  });
  personA = await addPerson('staff.a@example.org', 'provider_staff', orgA);
  personB = await addPerson('staff.b@example.org', 'provider_staff', orgB);
  orgHost = await addOrganization('Synthetic Navigator Host H', 'navigator_host');
  personH = await addPerson('professional.h@example.org', 'professional', orgHost);
});

afterAll(async () => {
  await t?.close();
});

describe('who may come in', () => {
  it('sends someone who is not signed in to the sign-in page', async () => {
    for (const path of ['/staff/admin/people', '/staff/admin/organizations', '/staff/admin/audit']) {
      expectRedirect(await get(path), '/staff/sign-in');
    }
  });

  it('shows an organization administrator only their own organization’s people', async () => {
    const html = await pageText('/staff/admin/people', orgAdmin, 200);
    expect(html).toContain('staff.a@example.org');
    expect(html).toContain('org.admin.a@example.org');
    expect(html).not.toContain('staff.b@example.org');
    expect(html).not.toContain('state.admin@example.org');
    // Asking for another organization changes nothing.
    const other = await (await get(`/staff/admin/people?organization=${orgB}`, orgAdmin)).text();
    expect(other).not.toContain('staff.b@example.org');
    // No state administrator in the role choices of an organization administrator.
    expect(html).not.toContain('value="state_admin"');
  });

  it('answers 404 for another organization’s person and 403 for the organizations page', async () => {
    expect((await get(`/staff/admin/people/${personB}`, orgAdmin)).status).toBe(404);
    expect((await get('/staff/admin/people/not-a-uuid', orgAdmin)).status).toBe(404);
    await expectPage(await get(`/staff/admin/people/${personA}`, orgAdmin), 200, 'staff.a@example.org');
    expect((await get('/staff/admin/organizations', orgAdmin)).status).toBe(403);
    expect((await post(`/staff/admin/organizations/${orgB}/disable`, orgAdmin, [])).status).toBe(403);
    expect((await get('/staff/admin/audit.csv', orgAdmin)).status).toBe(403);
  });

  it('shows a state administrator everyone, with a filter by organization', async () => {
    const all = await (await get('/staff/admin/people', stateAdmin)).text();
    for (const email of ['state.admin@example.org', 'staff.a@example.org', 'staff.b@example.org'])
      expect(all).toContain(email);
    const onlyB = await (await get(`/staff/admin/people?organization=${orgB}`, stateAdmin)).text();
    expect(onlyB).toContain('staff.b@example.org');
    expect(onlyB).not.toContain('staff.a@example.org');
  });

  it('refuses a form without the CSRF token, or from another site', async () => {
    const missing = await post(`/staff/admin/people/${personA}/unlock`, stateAdmin, [], { csrf: false });
    expect(missing.status).toBe(403);
    const elsewhere = await post(`/staff/admin/people/${personA}/unlock`, stateAdmin, [], {
      origin: 'https://attacker.example.org',
    });
    expect(elsewhere.status).toBe(403);
    expect(await auditCount('staff.unlock', personA)).toBe(0);
  });
});

describe('organizations', () => {
  it('lists organizations with their people and adds one', async () => {
    const html = await pageText('/staff/admin/organizations', stateAdmin, 200);
    expect(html).toContain('Synthetic Shelter A');
    expect(html).toContain('<th scope="col">People</th>');
    const created = await postOrganization('Synthetic School C', 'school');
    expectRedirect(created, '/staff/admin/organizations?done=created');
    expect(await (await get('/staff/admin/organizations?done=created', stateAdmin)).text()).toContain(
      'Synthetic School C',
    );
  });

  it('re-renders the form with an error summary when the input is wrong', async () => {
    await expectPage(await postOrganization('', 'castle'), 400, 'href="#name"', 'href="#type"');
    const clash = await postOrganization('synthetic shelter a', 'school');
    await expectPage(clash, 400, 'already exists');
  });

  it('disables and enables an organization, each audited, but not one’s own', async () => {
    const off = await post(`/staff/admin/organizations/${orgB}/disable`, stateAdmin, []);
    expect(off.status).toBe(303);
    const row = await t.deps.db
      .selectFrom('member_organizations')
      .select('disabled_at')
      .where('id', '=', orgB)
      .executeTakeFirstOrThrow();
    expect(row.disabled_at).not.toBeNull();
    expect(await auditCount('organization.disable', orgB)).toBe(1);
    const on = await post(`/staff/admin/organizations/${orgB}/enable`, stateAdmin, []);
    expect(on.status).toBe(303);
    expect(await auditCount('organization.enable', orgB)).toBe(1);
    const own = await post(`/staff/admin/organizations/${stateOrgId}/disable`, stateAdmin, []);
    expect(own.status).toBe(400);
    const missing = await post(
      '/staff/admin/organizations/00000000-0000-4000-8000-000000000000/disable',
      stateAdmin,
      [],
    );
    expect(missing.status).toBe(404);
  });
});

describe('people', () => {
  it('invites someone and shows the link only in development', async () => {
    const region = [...t.deps.geography.get().regions.keys()][0];
    expect(region).toBeDefined();
    const res = await post('/staff/admin/people/invite', stateAdmin, [
      ['email', 'navigator.new@example.org'],
      ['displayName', 'New Navigator'],
      ['role', 'navigator'],
      ['organization', orgHost],
      ['regions', region ?? ''],
    ]);
    await expectPage(res, 200, `${ORIGIN}/staff/invitation/nwdl_`);
    expect(await auditCount('staff.invite')).toBeGreaterThanOrEqual(4);

    // As in production: an https origin, no link on the page.
    Object.assign(t.deps.site, { origin: 'https://nwd.example.org', development: false });
    try {
      const emailed = await post('/staff/admin/people/invite', orgAdmin, [
        ['email', 'trainer.new@example.org'],
        ['role', 'professional'],
      ]);
      expect(emailed.status).toBe(200);
      const html = await emailed.text();
      expect(html).not.toContain('/staff/invitation/');
      expect(html).toContain('emailed');
    } finally {
      Object.assign(t.deps.site, { origin: ORIGIN, development: true });
    }
    // The organization administrator's invitation lands in their own organization.
    const listed = await (await get('/staff/admin/people', orgAdmin)).text();
    expect(listed).toContain('trainer.new@example.org');
  });

  it('refuses an invitation with errors linked to the fields, and a state administrator from an org admin', async () => {
    const refusals: [SignedIn, [string, string][], string][] = [
      [
        stateAdmin,
        [
          ['email', 'navigator.two@example.org'],
          ['role', 'navigator'],
          ['organization', orgHost],
        ],
        'regions',
      ],
      [
        stateAdmin,
        [
          ['email', 'staff.a@example.org'],
          ['role', 'trainer'],
          ['organization', orgA],
        ],
        'email',
      ],
      [
        stateAdmin,
        [
          ['email', 'not an address'],
          ['role', 'trainer'],
          ['organization', orgA],
        ],
        'email',
      ],
      // An organization administrator cannot invite a state administrator.
      [
        orgAdmin,
        [
          ['email', 'would.be.admin@example.org'],
          ['role', 'state_admin'],
        ],
        'role',
      ],
    ];
    for (const [who, fields, field] of refusals) {
      await expectPage(await post('/staff/admin/people/invite', who, fields), 400, `href="#${field}"`);
    }
  });

  it('sends a role change without a recent re-authentication to sign in again, then makes it', async () => {
    await ageReauthentication(stateAdmin.token);
    const res = await post(`/staff/admin/people/${personA}/role`, stateAdmin, [['role', 'trainer']]);
    expectRedirect(res, `/staff/reauthenticate?next=${encodeURIComponent(`/staff/admin/people/${personA}`)}`);
    const reset = await post(`/staff/admin/people/${personA}/reset-two-factor`, stateAdmin, []);
    expect(reset.headers.get('Location')).toMatch(/^\/staff\/reauthenticate\?next=/);
    expect(await auditCount('role.change', personA)).toBe(0);

    await reauthenticateAs(stateAdmin);
    const changed = await post(`/staff/admin/people/${personA}/role`, stateAdmin, [['role', 'trainer']]);
    expectRedirect(changed, `/staff/admin/people/${personA}?done=role`);
    expect((await staffRow(personA, ['role'])).role).toBe('trainer');
    expect(await auditCount('role.change', personA)).toBe(1);
    const page = await (await get(`/staff/admin/people/${personA}?done=role`, stateAdmin)).text();
    expect(page).toContain('Role and regions saved');

    const noRegion = await post(`/staff/admin/people/${personH}/role`, stateAdmin, [['role', 'navigator']]);
    await expectPage(noRegion, 400, 'href="#regions"');
    // A shelter has no navigators, whoever asks.
    const notHere = await post(`/staff/admin/people/${personA}/role`, stateAdmin, [
      ['role', 'navigator'],
      ['regions', 'west-metro'],
    ]);
    await expectPage(notHere, 400, 'This type of organization does not have that role');
  });

  it('disables a person, audited, and refuses disabling oneself', async () => {
    const res = await post(`/staff/admin/people/${personB}/disable`, stateAdmin, []);
    expectRedirect(res, `/staff/admin/people/${personB}?done=disable`);
    expect((await staffRow(personB, ['disabled_at'])).disabled_at).not.toBeNull();
    expect(await auditCount('staff.disable', personB)).toBe(1);
    const page = await (await get(`/staff/admin/people/${personB}?done=disable`, stateAdmin)).text();
    expect(page).toContain('The account is disabled');
    expect(page).toContain('Enable account');

    const self = await post(`/staff/admin/people/${stateAdmin.userId}/disable`, stateAdmin, []);
    await expectPage(self, 400, 'cannot disable your own account');
    const unlocked = await post(`/staff/admin/people/${personB}/unlock`, stateAdmin, []);
    expect(unlocked.status).toBe(303);
    expect(await auditCount('staff.unlock', personB)).toBe(1);
  });

  it('offers an organization administrator only the roles they may give, and no regions', async () => {
    // The invitation form has a page of its own (not read as a person called "invite").
    const html = await pageText('/staff/admin/people/invite', orgAdmin, 200);
    const offered = [...html.matchAll(/<option value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['provider_staff', 'professional']);
    expect(html).not.toContain('name="regions"');
    // On their own page: no role form at all.
    const own = await (await get(`/staff/admin/people/${orgAdmin.userId}`, orgAdmin)).text();
    expect(own).not.toContain(`action="/staff/admin/people/${orgAdmin.userId}/role"`);
    expect(own).toContain('You cannot change your own role or regions');
    // A state administrator chooses among every role, and regions.
    const all = await (await get('/staff/admin/people/invite', stateAdmin)).text();
    expect(all).toContain('value="navigator"');
    expect(all).toContain('name="regions"');
  });

  it('refuses an organization administrator who makes themselves a navigator', async () => {
    const res = await post(`/staff/admin/people/${orgAdmin.userId}/role`, orgAdmin, [
      ['role', 'navigator'],
      ['regions', 'west-metro'],
    ]);
    await expectPage(res, 400, 'You cannot change your own role or regions');
    expect(await staffRow(orgAdmin.userId, ['role', 'regions'])).toEqual({ role: 'org_admin', regions: [] });
  });

  it('reads of one person are audited', async () => {
    const before = await auditCount('staff.read', personA);
    await get(`/staff/admin/people/${personA}`, stateAdmin);
    expect(await auditCount('staff.read', personA)).toBe(before + 1);
  });
});

/** The events table of the audit page (the filters above it list every action). */
const tableOf = (html: string) => html.slice(html.indexOf('aria-label="Audit events"'));

describe('the audit log', () => {
  it('lists events with their filters, newest first, with an Older link', async () => {
    const browsed = await auditCount('audit.browse');
    const whole = await pageText('/staff/admin/audit', stateAdmin, 200);
    // Looking at the log is itself recorded.
    expect(await auditCount('audit.browse')).toBe(browsed + 1);
    // People are chosen by name (the filter's options), not by id typed in.
    expect(whole).toMatch(/<select[^>]*id="actor"/);
    expect(whole).toMatch(/state\.admin@example\.org\)?<\/option>/);
    expect(whole).toMatch(/<label[^>]*for="from"[^>]*>From \(first day\)<\/label>/);
    const html = tableOf(whole);
    // Actions in words, people by name, times in Minnesota time with UTC in the tooltip.
    expect(html).toContain('Disabled an account');
    expect(html).toContain('Set up No Wrong Door');
    expect(html).not.toContain('staff.disable');
    expect(html).toMatch(/title="\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC"/);

    const filtered = tableOf(await (await get('/staff/admin/audit?action=staff.disable', stateAdmin)).text());
    expect(filtered).toContain('1 event');
    expect(filtered).not.toContain('Set up No Wrong Door');

    // Enough events for a second page.
    await t.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 55; i++)
        await recordAudit(trx, { actorKind: 'system', action: 'test.synthetic', details: { i } });
    });
    const first = await (await get('/staff/admin/audit?action=test.synthetic', stateAdmin)).text();
    expect(first).toContain('50 events');
    const older = /href="(\/staff\/admin\/audit\?[^"]*before=\d+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toBeDefined();
    const second = await (await get(older ?? '', stateAdmin)).text();
    expect(second).toContain('5 events');
  });

  it('shows an organization administrator only their organization’s events', async () => {
    const html = tableOf(await pageText('/staff/admin/audit', orgAdmin, 200));
    expect(html).toContain('Invited someone');
    expect(html).not.toContain('Set up No Wrong Door');
    expect(html).not.toContain('Disabled an organization');
  });

  it('withholds the ids of young people’s records from an organization administrator', async () => {
    const caseId = '6f1c2a4e-0b7d-4c1e-9a35-2d8e7f6a1b90';
    const referralId = '0d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
    await t.deps.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorKind: 'user',
        actorUserId: orgAdmin.userId,
        action: 'referral.read',
        subjectType: 'referral',
        subjectId: referralId,
        organizationId: orgA,
        details: { case: caseId, side: 'receiver', consent: null, cases: [caseId] },
      }),
    );
    const page = tableOf(await (await get('/staff/admin/audit?action=referral.read', orgAdmin)).text());
    expect(page).toContain('Opened a referral');
    expect(page).toContain('(not shown outside statewide access)');
    for (const id of [caseId, referralId]) {
      expect(page).not.toContain(id);
      expect(page).not.toContain(id.slice(0, 8));
    }
    const api = await app.request('/api/v1/audit-events?action=referral.read', {
      headers: { Cookie: cookie(orgAdmin) },
    });
    expect(api.status).toBe(200);
    const body = await api.text();
    expect(body).toContain('referral.read');
    expect(body).not.toContain(caseId);
    expect(body).not.toContain(referralId);
    // Staff ids stay: the administrator sees who did it.
    expect(body).toContain(orgAdmin.userId);
    // A state administrator sees every id.
    const full = await (await get('/staff/admin/audit?action=referral.read', stateAdmin)).text();
    expect(full).toContain(caseId);
  });

  it('answers 400 with the field linked when a filter is wrong', async () => {
    const html = await pageText('/staff/admin/audit?from=2030-13-45&actor=someone', stateAdmin, 400);
    expect(html).toContain('href="#from"');
    expect(html).toContain('href="#actor"');
  });

  it('exports CSV only after a recent re-authentication, and records the export', async () => {
    // A second state administrator, whose authenticator has not been used since enrolment.
    const exporter = await signedUpAs((await sessionOf(stateAdmin.token)).actor, {
      email: 'state.admin.two@example.org',
      role: 'state_admin',
      organizationId: stateOrgId,
    });
    await ageReauthentication(exporter.token);
    const refused = await get('/staff/admin/audit.csv?action=staff.disable', exporter);
    expectRedirect(
      refused,
      `/staff/reauthenticate?next=${encodeURIComponent('/staff/admin/audit.csv?action=staff.disable')}`,
    );
    expect(await auditCount('export.audit_csv')).toBe(0);
    expectRedirect(
      await get('/staff/admin/audit.csv?from=yesterday', exporter),
      '/staff/admin/audit?from=yesterday',
    );

    await reauthenticateAs(exporter);
    const res = await get('/staff/admin/audit.csv?action=staff.disable', exporter);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const csv = await res.text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^seq,id,occurred_at,actor_user_id,/);
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain('staff.disable');
    const exported = await t.deps.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'export.audit_csv')
      .execute();
    expect(exported).toHaveLength(1);
    expect(exported[0]?.actor_user_id).toBe(exporter.userId);
  });
});

describe('any input', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.constantFrom('', '\u0000', 'ä@example.org', 'x'.repeat(5000), '2030-02-30', '0000-01-01', '-1'),
  );

  it('never answers 500 from the administration forms and filters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ a: text, b: text, c: text, d: text }),
        fc.constantFrom('organizations', 'invite', 'role', 'audit', 'people'),
        async ({ a, b, c, d }, target) => {
          let res: Response;
          if (target === 'organizations') res = await postOrganization(a, b);
          else if (target === 'invite')
            res = await post('/staff/admin/people/invite', stateAdmin, [
              ['email', a],
              ['displayName', b],
              ['role', c],
              ['organization', d],
              ['regions', a],
            ]);
          else if (target === 'role')
            res = await post(`/staff/admin/people/${personA}/role`, orgAdmin, [
              ['role', a],
              ['regions', b],
            ]);
          else if (target === 'people')
            res = await get(`/staff/admin/people?${new URLSearchParams({ organization: a })}`, stateAdmin);
          else
            res = await get(
              `/staff/admin/audit?${new URLSearchParams({ action: a, actor: b, subjectId: c, from: d, to: a, before: b })}`,
              stateAdmin,
            );
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
