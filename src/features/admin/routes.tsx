/**
 * Administration pages: member organisations, people (invite, role and regions, disable, reset
 * two-factor, unlock) and the audit log (browse, export as CSV). Thin: every change goes through a use
 * case that checks access first and records its audit event in the same transaction.
 *
 * Sensitive changes (role, two-factor reset, CSV export) need a recent re-authentication; the use case
 * says so with `reauthentication_required` and the page sends the person to sign in again, then back.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { z } from 'zod';
import type { AppDeps, Feature } from '../../app-types.ts';
import {
  GRANT_REFUSALS,
  ORGANIZATION_TYPES,
  REGIONAL_ROLES,
  ROLES,
  ROLE_NAMES,
  can,
  grantRefusal,
  grantRefusalField,
  grantableRoles,
  type Action,
  type Actor,
  type GrantRequest,
  type OrganizationType,
  type Role,
  type Target,
} from '../../platform/access.ts';
import {
  WITHHELD,
  exportAuditCsv,
  listAudit,
  recordAudit,
  withholdRecordIds,
  type AuditCsvFilters,
  type AuditEvent,
} from '../../platform/audit/audit.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import {
  AccountError,
  changeRole,
  createOrganization,
  getUser,
  inviteUser,
  listUsers,
  recentlyReauthenticated,
  resetTwoFactor,
  setDisabled,
  unlockUser,
  type AccountsContext,
  type RequestOrigin,
  type StaffUser,
} from '../accounts/service.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import {
  STAFF_HOME,
  Success,
  formList,
  formText,
  guardStaffPage,
  messagePage,
  readForm,
  type FieldError,
} from '../../web/page.tsx';
import { accountsContext, requestOrigin } from '../../web/session.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIT_PAGE_SIZE = 50;
/** Control characters (NUL cannot even be stored in text): no name, address or filter needs one. */
const CONTROL = /\p{Cc}/u;
/** The outbox's own check of a recipient, so an address it would refuse is caught on the form. */
const deliverableEmail = z.email().max(254);

// ---------------------------------------------------------------------------------------------------
// Use cases that belong to organisations (kept here until the accounts service grows them)

/**
 * Disables or re-enables a member organisation. While it is disabled nobody in it can sign in or use
 * an API token (the session and token checks look at the organisation), and no one can be invited to it.
 */
async function setOrganizationDisabled(
  ctx: AccountsContext,
  actor: Actor,
  organizationId: string,
  disabled: boolean,
  origin: RequestOrigin,
): Promise<void> {
  if (!can(actor, 'organizations.manage', { organizationId }))
    throw new AccountError('forbidden', 'You do not have permission to do that.');
  if (disabled && organizationId === actor.organizationId)
    throw new AccountError('invalid', 'You cannot disable your own organisation.');
  const now = ctx.now ? ctx.now() : new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const row = UUID.test(organizationId)
      ? await trx
          .selectFrom('member_organizations')
          .select(['id', 'disabled_at'])
          .where('id', '=', organizationId)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!row) throw new AccountError('not_found', 'There is no such organisation.');
    // Disabling twice keeps the first time.
    if (disabled !== (row.disabled_at !== null)) {
      await trx
        .updateTable('member_organizations')
        .set({ disabled_at: disabled ? now : null })
        .where('id', '=', organizationId)
        .execute();
    }
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

/** Disables a member organisation (audited as `organization.disable`). */
export function disableOrganization(
  ctx: AccountsContext,
  actor: Actor,
  organizationId: string,
  origin: RequestOrigin,
): Promise<void> {
  return setOrganizationDisabled(ctx, actor, organizationId, true, origin);
}

/** Enables a member organisation again (audited as `organization.enable`). */
export function enableOrganization(
  ctx: AccountsContext,
  actor: Actor,
  organizationId: string,
  origin: RequestOrigin,
): Promise<void> {
  return setOrganizationDisabled(ctx, actor, organizationId, false, origin);
}

interface OrganizationRow {
  id: string;
  name: string;
  type: OrganizationType;
  disabled: boolean;
  people: number;
}

async function organizationsWithCounts(deps: AppDeps): Promise<OrganizationRow[]> {
  const rows = await deps.db
    .selectFrom('member_organizations as o')
    .leftJoin('staff_users as u', 'u.organization_id', 'o.id')
    .select((eb) => ['o.id', 'o.name', 'o.type', 'o.disabled_at', eb.fn.count<string>('u.id').as('people')])
    .groupBy('o.id')
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    disabled: r.disabled_at !== null,
    people: Number(r.people),
  }));
}

async function organizationNames(deps: AppDeps): Promise<{ id: string; name: string; disabled: boolean }[]> {
  const rows = await deps.db
    .selectFrom('member_organizations')
    .select(['id', 'name', 'disabled_at'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, disabled: r.disabled_at !== null }));
}

// ---------------------------------------------------------------------------------------------------
// Shared page pieces

const FORBIDDEN =
  "Your role does not allow this. If you think it should, ask your organisation's administrator.";

const forbiddenPage = (c: Context, frame: StaffFrame) =>
  messagePage(c, frame, 403, 'You cannot see this page', FORBIDDEN, STAFF_HOME);

const notFoundPage = (c: Context, frame: StaffFrame, what: string, back: string) =>
  messagePage(
    c,
    frame,
    404,
    `${what} not found`,
    `We could not find that ${what.toLowerCase()}, or you do not have access to it.`,
    { href: back, text: 'Go back' },
  );

/**
 * The signed-in session and its page frame, or the answer for someone who may not be here: a redirect
 * to the next sign-in step, or a 403 page.
 */
const guard = (c: Context, deps: AppDeps, action: Action, target: (actor: Actor) => Target) =>
  guardStaffPage(c, deps, (actor) => can(actor, action, target(actor)), FORBIDDEN);

const ownOrganization = (actor: Actor): Target => ({ organizationId: actor.organizationId });
const anyTarget = (): Target => ({});

/** Where a person signs in again before a sensitive action, and comes back to afterwards. */
function reauthenticateRedirect(c: Context, next: string): Response {
  return c.redirect(`/staff/reauthenticate?next=${encodeURIComponent(next)}`, 303);
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
const isOrganizationType = (value: string): value is OrganizationType =>
  Object.prototype.hasOwnProperty.call(ORGANIZATION_TYPES, value);

const RegionChoices: FC<{ regions: { id: string; name: string }[]; checked: string[]; id: string }> = ({
  regions,
  checked,
  id,
}) => (
  <fieldset id={id}>
    <legend>Regions</legend>
    <p class="hint">Only for regional navigators: choose at least one. Other roles have no regions.</p>
    {regions.map((r) => (
      <label>
        <input type="checkbox" name="regions" value={r.id} checked={checked.includes(r.id)} /> {r.name}
      </label>
    ))}
  </fieldset>
);

function regionList(deps: AppDeps): { id: string; name: string }[] {
  return [...deps.geography.get().regions.values()]
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function regionNames(deps: AppDeps, ids: readonly string[]): string {
  const regions = deps.geography.get().regions;
  return ids.map((id) => regions.get(id)?.name ?? id).join(', ');
}

const statusOf = (u: StaffUser): string => (u.disabled ? 'Disabled' : u.active ? 'Active' : 'Invited');

/** The organization someone belongs to or is invited into, as the grant table needs it. */
async function organizationForGrant(deps: AppDeps, id: string): Promise<GrantRequest['organization'] | null> {
  if (!UUID.test(id)) return null;
  const row = await deps.db
    .selectFrom('member_organizations')
    .select(['id', 'type', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && !row.disabled_at ? { id: row.id, type: row.type } : null;
}

/** A person's organization, role and regions (no personal data), when the actor may manage them. */
async function personForGrant(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<{
  organization: GrantRequest['organization'];
  person: NonNullable<GrantRequest['person']>;
} | null> {
  const row = await deps.db
    .selectFrom('staff_users as u')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select(['u.id', 'u.role', 'u.regions', 'o.id as organization_id', 'o.type'])
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row || !can(actor, 'people.manage', { organizationId: row.organization_id })) return null;
  return {
    organization: { id: row.organization_id, type: row.type },
    person: { userId: row.id, role: row.role, regions: row.regions },
  };
}

/**
 * The grant table's answer, as a form error beside the field it is about (the use case applies the
 * same rule again, against the regions table itself).
 */
function grantErrors(deps: AppDeps, actor: Actor, request: GrantRequest): FieldError[] {
  const regions = new Set(deps.geography.get().regions.keys());
  const refusal = grantRefusal(actor, request, regions);
  return refusal ? [{ field: grantRefusalField(refusal), message: GRANT_REFUSALS[refusal] }] : [];
}

const offersRegions = (roles: readonly Role[]) => roles.some((r) => REGIONAL_ROLES.includes(r));

// ---------------------------------------------------------------------------------------------------
// Organisations

const ORGANIZATION_DONE: Record<string, string> = {
  created: 'The organisation was added.',
  disabled: 'The organisation is disabled. Nobody in it can sign in until it is enabled again.',
  enabled: 'The organisation is enabled again.',
};

const OrganizationsView: FC<{
  frame: StaffFrame;
  organizations: OrganizationRow[];
  actor: Actor;
  errors: FieldError[];
  values: { name: string; type: string };
  done: string | null;
}> = ({ frame, organizations, actor, errors, values, done }) => (
  <StaffLayout frame={frame} title="Organisations">
    <ErrorSummary errors={errors} />
    <Success message={done} />
    <table id="organizations" tabindex={0}>
      <caption>Member organisations</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">People</th>
          <th scope="col">Status</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {organizations.map((o) => (
          <tr>
            <th scope="row">
              <a href={`/staff/admin/people?organization=${o.id}`}>{o.name}</a>
            </th>
            <td>{ORGANIZATION_TYPES[o.type]}</td>
            <td>{String(o.people)}</td>
            <td>{o.disabled ? 'Disabled' : 'Active'}</td>
            <td>
              {o.id === actor.organizationId ? (
                'Your organisation'
              ) : (
                <form
                  method="post"
                  action={`/staff/admin/organizations/${o.id}/${o.disabled ? 'enable' : 'disable'}`}
                >
                  <CsrfField token={frame.csrf} />
                  <button type="submit" class="btn alt">
                    {o.disabled ? 'Enable' : 'Disable'}
                    <span class="skip"> {o.name}</span>
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <h2 id="add-h">Add an organisation</h2>
    <form method="post" action="/staff/admin/organizations" aria-labelledby="add-h" novalidate>
      <CsrfField token={frame.csrf} />
      <label for="name">Name</label>
      <input
        id="name"
        name="name"
        type="text"
        maxlength={200}
        required
        value={values.name}
        autocomplete="off"
      />
      <label for="type">Type</label>
      <select id="type" name="type" required>
        <option value="">Choose a type</option>
        {Object.entries(ORGANIZATION_TYPES).map(([value, label]) => (
          <option value={value} selected={value === values.type}>
            {label}
          </option>
        ))}
      </select>
      <p>
        <button type="submit">Add organisation</button>
      </p>
    </form>
  </StaffLayout>
);

async function organizationsPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: { name: string; type: string }; status: 200 | 400 },
): Promise<Response> {
  const g = await guard(c, deps, 'organizations.manage', anyTarget);
  if (g instanceof Response) return g;
  const done = ORGANIZATION_DONE[c.req.query('done') ?? ''] ?? null;
  return renderPage(
    c,
    <OrganizationsView
      frame={g.frame}
      organizations={await organizationsWithCounts(deps)}
      actor={g.session.actor}
      errors={state.errors}
      values={state.values}
      done={state.status === 200 ? done : null}
    />,
    state.status,
  );
}

async function createOrganizationAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'organizations.manage', anyTarget);
  if (g instanceof Response) return g;
  const form = await readForm(c);
  const values = { name: formText(form, 'name'), type: formText(form, 'type') };
  const errors: FieldError[] = [];
  const name = values.name.trim();
  if (!name) errors.push({ field: 'name', message: 'Enter the name of the organisation.' });
  else if (name.length > 200)
    errors.push({ field: 'name', message: 'The name must be 200 characters or fewer.' });
  else if (CONTROL.test(name))
    errors.push({ field: 'name', message: 'Use letters, numbers, spaces and punctuation only.' });
  if (!isOrganizationType(values.type))
    errors.push({ field: 'type', message: 'Choose the type of organisation.' });
  if (errors.length === 0 && isOrganizationType(values.type)) {
    try {
      await createOrganization(
        accountsContext(deps),
        g.session.actor,
        { name, type: values.type },
        requestOrigin(c),
      );
      return c.redirect('/staff/admin/organizations?done=created', 303);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'forbidden') return forbiddenPage(c, g.frame);
      errors.push({ field: 'name', message: error.message });
    }
  }
  return organizationsPage(c, deps, { errors, values, status: 400 });
}

async function organizationStatusAction(c: Context, deps: AppDeps, disabled: boolean): Promise<Response> {
  const g = await guard(c, deps, 'organizations.manage', anyTarget);
  if (g instanceof Response) return g;
  const id = c.req.param('id') ?? '';
  try {
    await (disabled ? disableOrganization : enableOrganization)(
      accountsContext(deps),
      g.session.actor,
      id,
      requestOrigin(c),
    );
    return c.redirect(`/staff/admin/organizations?done=${disabled ? 'disabled' : 'enabled'}`, 303);
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    if (error.code === 'forbidden') return forbiddenPage(c, g.frame);
    if (error.code === 'not_found')
      return notFoundPage(c, g.frame, 'Organisation', '/staff/admin/organizations');
    return organizationsPage(c, deps, {
      errors: [{ field: 'organizations', message: error.message }],
      values: { name: '', type: '' },
      status: 400,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// People

interface InviteValues {
  email: string;
  displayName: string;
  role: string;
  organization: string;
  regions: string[];
}

const EMPTY_INVITE: InviteValues = { email: '', displayName: '', role: '', organization: '', regions: [] };

const InviteForm: FC<{
  frame: StaffFrame;
  actor: Actor;
  organizations: { id: string; name: string; disabled: boolean }[];
  regions: { id: string; name: string }[];
  /** The roles the actor may give (in their own organization, or in some organization). */
  roles: Role[];
  values: InviteValues;
}> = ({ frame, actor, organizations, regions, roles, values }) => {
  const mayChooseOrganization = can(actor, 'people.invite', {});
  const own = organizations.find((o) => o.id === actor.organizationId);
  return (
    <form method="post" action="/staff/admin/people/invite" aria-labelledby="invite-h" novalidate>
      <h2 id="invite-h">Invite someone</h2>
      <p>They get an email with a link to choose a password. The link works once, for 7 days.</p>
      <CsrfField token={frame.csrf} />
      <label for="email">Email address</label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete="off"
        spellcheck={false}
        required
        value={values.email}
      />
      <label for="displayName">Name</label>
      <p class="hint">How they appear to colleagues. Optional.</p>
      <input id="displayName" name="displayName" type="text" autocomplete="off" value={values.displayName} />
      <label for="role">Role</label>
      <select id="role" name="role" required>
        <option value="">Choose a role</option>
        {roles.map((r) => (
          <option value={r} selected={r === values.role}>
            {ROLE_NAMES[r]}
          </option>
        ))}
      </select>
      {mayChooseOrganization ? (
        <>
          <label for="organization">Organisation</label>
          <select id="organization" name="organization" required>
            <option value="">Choose an organisation</option>
            {organizations
              .filter((o) => !o.disabled)
              .map((o) => (
                <option value={o.id} selected={o.id === values.organization}>
                  {o.name}
                </option>
              ))}
          </select>
        </>
      ) : (
        <p>They will join {own?.name ?? 'your organisation'}.</p>
      )}
      {offersRegions(roles) ? (
        <RegionChoices regions={regions} checked={values.regions} id="regions" />
      ) : null}
      <p>
        <button type="submit">Send invitation</button>
      </p>
    </form>
  );
};

async function peoplePage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: InviteValues; status: 200 | 400 },
): Promise<Response> {
  const g = await guard(c, deps, 'people.list', ownOrganization);
  if (g instanceof Response) return g;
  const actor = g.session.actor;
  const everyone = can(actor, 'people.list', {});
  const organizations = await organizationNames(deps);
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  const requested = c.req.query('organization') ?? '';
  const filter = everyone ? (names.has(requested) ? requested : null) : actor.organizationId;
  const people = await listUsers(accountsContext(deps), actor, filter, requestOrigin(c));
  return renderPage(
    c,
    <StaffLayout frame={g.frame} title="People">
      <ErrorSummary errors={state.errors} />
      {everyone ? (
        <form method="get" action="/staff/admin/people">
          <label for="filter-organization">Organisation</label>
          <select id="filter-organization" name="organization">
            <option value="">All organisations</option>
            {organizations.map((o) => (
              <option value={o.id} selected={o.id === filter}>
                {o.name}
                {o.disabled ? ' (disabled)' : ''}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="btn alt">
            Show people
          </button>
        </form>
      ) : null}
      <table tabindex={0}>
        <caption>
          {people.length === 1 ? '1 person' : `${people.length} people`}
          {filter ? ` in ${names.get(filter) ?? 'this organisation'}` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            {everyone ? <th scope="col">Organisation</th> : null}
            <th scope="col">Role</th>
            <th scope="col">Regions</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr>
              <th scope="row">
                <a href={`/staff/admin/people/${p.id}`}>{p.email}</a>
              </th>
              <td>{p.displayName ?? ''}</td>
              {everyone ? <td>{names.get(p.organizationId) ?? ''}</td> : null}
              <td>{ROLE_NAMES[p.role]}</td>
              <td>{regionNames(deps, p.regions)}</td>
              <td>{p.twoFactorEnabled ? 'Yes' : 'No'}</td>
              <td>{statusOf(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {can(actor, 'people.invite', { organizationId: actor.organizationId }) ? (
        <InviteForm
          frame={g.frame}
          actor={actor}
          organizations={organizations}
          regions={regionList(deps)}
          roles={await invitableRoles(deps, actor)}
          values={state.values}
        />
      ) : null}
    </StaffLayout>,
    state.status,
  );
}

/** The roles the invitation form offers: in any organization, or in the actor's own. */
async function invitableRoles(deps: AppDeps, actor: Actor): Promise<Role[]> {
  if (can(actor, 'people.invite', {})) return grantableRoles(actor, null);
  const own = await organizationForGrant(deps, actor.organizationId);
  return own ? grantableRoles(actor, own) : [];
}

function inviteErrorField(error: AccountError): string {
  if (error.code === 'conflict') return 'email';
  if (error.code === 'not_found') return 'organization';
  if (/region/i.test(error.message)) return 'regions';
  if (/email/i.test(error.message)) return 'email';
  return 'role';
}

async function inviteAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'people.invite', ownOrganization);
  if (g instanceof Response) return g;
  const actor = g.session.actor;
  const form = await readForm(c);
  const values: InviteValues = {
    email: formText(form, 'email').trim(),
    displayName: formText(form, 'displayName').trim(),
    role: formText(form, 'role'),
    organization: can(actor, 'people.invite', {}) ? formText(form, 'organization') : actor.organizationId,
    regions: formList(form, 'regions'),
  };
  const errors: FieldError[] = [];
  if (!values.email) errors.push({ field: 'email', message: 'Enter their email address.' });
  else if (CONTROL.test(values.email) || !deliverableEmail.safeParse(values.email).success)
    errors.push({ field: 'email', message: 'Enter an email address such as name@example.org.' });
  if (values.displayName.length > 200)
    errors.push({ field: 'displayName', message: 'The name must be 200 characters or fewer.' });
  else if (CONTROL.test(values.displayName))
    errors.push({ field: 'displayName', message: 'Use letters, numbers, spaces and punctuation only.' });
  const role = values.role;
  if (!isRole(role)) errors.push({ field: 'role', message: 'Choose a role from the list.' });
  if (!UUID.test(values.organization))
    errors.push({ field: 'organization', message: 'Choose an organisation.' });
  const organization = await organizationForGrant(deps, values.organization);
  // An unknown or disabled organization is the use case's to report, beside its field.
  if (isRole(role) && organization)
    errors.push(...grantErrors(deps, actor, { organization, role, regions: values.regions }));
  if (errors.length === 0 && isRole(role)) {
    try {
      const { userId, link } = await inviteUser(
        accountsContext(deps),
        actor,
        {
          email: values.email,
          role,
          organizationId: values.organization,
          regions: values.regions,
          displayName: values.displayName || undefined,
        },
        requestOrigin(c),
      );
      return renderPage(
        c,
        <StaffLayout frame={g.frame} title="Invitation sent">
          {deps.site.development ? (
            <div class="flag">
              <p>Local development: no email is sent. Give them this link (it works once, for 7 days):</p>
              <p>
                <code>{link}</code>
              </p>
            </div>
          ) : (
            <p>We have emailed them a link to choose a password. It works once, for 7 days.</p>
          )}
          <p>
            <a href={`/staff/admin/people/${userId}`}>See their account</a>
          </p>
          <p>
            <a href="/staff/admin/people">Back to people</a>
          </p>
        </StaffLayout>,
      );
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'forbidden') return forbiddenPage(c, g.frame);
      errors.push({ field: inviteErrorField(error), message: error.message });
    }
  }
  return peoplePage(c, deps, { errors, values, status: 400 });
}

const PERSON_DONE: Record<string, string> = {
  role: 'Role and regions saved. Their sessions have ended: the new role applies when they next sign in.',
  disable: 'The account is disabled. Their sessions and API tokens have ended.',
  enable: 'The account is enabled again.',
  'reset-two-factor':
    'Two-factor sign-in was reset. They will set up their authenticator app again at their next sign-in.',
  unlock: 'Any sign-in lockout on this account has been lifted.',
};

const PersonView: FC<{
  frame: StaffFrame;
  deps: AppDeps;
  actor: Actor;
  person: StaffUser;
  organizationName: string;
  errors: FieldError[];
  done: string | null;
  roleValues: { role: string; regions: string[] };
  /** The roles the actor may give this person (none for themselves, or beyond the actor). */
  roles: Role[];
}> = ({ frame, deps, actor, person, organizationName, errors, done, roleValues, roles }) => {
  const base = `/staff/admin/people/${person.id}`;
  const self = person.id === actor.userId;
  return (
    <StaffLayout frame={frame} title="Account">
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <table tabindex={0}>
        <caption>Account</caption>
        <tbody>
          <tr>
            <th scope="row">Email</th>
            <td>{person.email}</td>
          </tr>
          <tr>
            <th scope="row">Name</th>
            <td>{person.displayName ?? 'Not given'}</td>
          </tr>
          <tr>
            <th scope="row">Organisation</th>
            <td>{organizationName}</td>
          </tr>
          <tr>
            <th scope="row">Role</th>
            <td>{ROLE_NAMES[person.role]}</td>
          </tr>
          <tr>
            <th scope="row">Regions</th>
            <td>{person.regions.length ? regionNames(deps, person.regions) : 'None'}</td>
          </tr>
          <tr>
            <th scope="row">Two-factor sign-in</th>
            <td>{person.twoFactorEnabled ? 'Set up' : 'Not set up'}</td>
          </tr>
          <tr>
            <th scope="row">Status</th>
            <td>{statusOf(person)}</td>
          </tr>
        </tbody>
      </table>

      <h2 id="role-h">Change role and regions</h2>
      {self ? (
        <p>{GRANT_REFUSALS.own_account}</p>
      ) : roles.length === 0 ? (
        <p>{GRANT_REFUSALS.current_role_not_grantable}</p>
      ) : (
        <form method="post" action={`${base}/role`} aria-labelledby="role-h" novalidate>
          <p class="hint">
            You may be asked to sign in again first. Their sessions end, so the change applies at once.
          </p>
          <CsrfField token={frame.csrf} />
          <label for="role">Role</label>
          <select id="role" name="role" required>
            {roles.map((r) => (
              <option value={r} selected={r === roleValues.role}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
          {offersRegions(roles) ? (
            <RegionChoices regions={regionList(deps)} checked={roleValues.regions} id="regions" />
          ) : null}
          <p>
            <button type="submit">Save role and regions</button>
          </p>
        </form>
      )}

      <h2 id="status-h">Access</h2>
      {self ? (
        <p>You cannot disable your own account.</p>
      ) : (
        <form
          method="post"
          action={`${base}/${person.disabled ? 'enable' : 'disable'}`}
          aria-labelledby="status-h"
        >
          <CsrfField token={frame.csrf} />
          <p class="hint">
            {person.disabled
              ? 'Enabling lets them sign in again.'
              : 'Disabling stops them signing in at once and ends their sessions and API tokens.'}
          </p>
          <button id="status" type="submit" class={person.disabled ? undefined : 'btn alt'}>
            {person.disabled ? 'Enable account' : 'Disable account'}
          </button>
        </form>
      )}

      <h2 id="two-factor-h">Two-factor sign-in</h2>
      <form method="post" action={`${base}/reset-two-factor`} aria-labelledby="two-factor-h">
        <CsrfField token={frame.csrf} />
        <p class="hint">
          When they have lost their phone and their recovery codes. They set it up again at their next
          sign-in. You may be asked to sign in again first.
        </p>
        <button id="reset-two-factor" type="submit" class="btn alt">
          Reset two-factor sign-in
        </button>
      </form>

      <h2 id="unlock-h">Locked out</h2>
      <form method="post" action={`${base}/unlock`} aria-labelledby="unlock-h">
        <CsrfField token={frame.csrf} />
        <p class="hint">
          After too many failed attempts, signing in is paused for a while; after 100 in a row it stays locked
          until it is unlocked here. This lifts every pause and lock, for each sign-in step.
        </p>
        <button id="unlock" type="submit" class="btn alt">
          Unlock sign-in
        </button>
      </form>

      <p>
        <a href="/staff/admin/people">Back to people</a>
      </p>
    </StaffLayout>
  );
};

async function organizationName(deps: AppDeps, id: string): Promise<string> {
  const row = await deps.db
    .selectFrom('member_organizations')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? '';
}

async function personPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; roleValues: { role: string; regions: string[] } | null; status: 200 | 400 },
): Promise<Response> {
  const g = await guard(c, deps, 'people.list', ownOrganization);
  if (g instanceof Response) return g;
  const id = c.req.param('id') ?? '';
  let person: StaffUser;
  try {
    if (!UUID.test(id)) throw new AccountError('not_found', 'There is no such person.');
    person = await getUser(accountsContext(deps), g.session.actor, id, requestOrigin(c));
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    if (error.code === 'forbidden') return forbiddenPage(c, g.frame);
    return notFoundPage(c, g.frame, 'Person', '/staff/admin/people');
  }
  const done = state.status === 200 ? (PERSON_DONE[c.req.query('done') ?? ''] ?? null) : null;
  const grant = await personForGrant(deps, g.session.actor, person.id);
  return renderPage(
    c,
    <PersonView
      frame={g.frame}
      deps={deps}
      actor={g.session.actor}
      person={person}
      organizationName={await organizationName(deps, person.organizationId)}
      errors={state.errors}
      done={done}
      roleValues={state.roleValues ?? { role: person.role, regions: person.regions }}
      roles={grant ? grantableRoles(g.session.actor, grant.organization, grant.person) : []}
    />,
    state.status,
  );
}

type PersonChange = 'role' | 'disable' | 'enable' | 'reset-two-factor' | 'unlock';

/** Which field an error about a change links to. */
const CHANGE_FIELD: Record<PersonChange, string> = {
  role: 'role',
  disable: 'status',
  enable: 'status',
  'reset-two-factor': 'reset-two-factor',
  unlock: 'unlock',
};

async function personChangeAction(c: Context, deps: AppDeps, change: PersonChange): Promise<Response> {
  const g = await guard(c, deps, 'people.manage', ownOrganization);
  if (g instanceof Response) return g;
  const id = c.req.param('id') ?? '';
  const base = `/staff/admin/people/${id}`;
  if (!UUID.test(id)) return notFoundPage(c, g.frame, 'Person', '/staff/admin/people');
  const ctx = accountsContext(deps);
  const origin = requestOrigin(c);
  let roleValues: { role: string; regions: string[] } | null = null;
  const errors: FieldError[] = [];
  try {
    switch (change) {
      case 'role': {
        const form = await readForm(c);
        roleValues = { role: formText(form, 'role'), regions: formList(form, 'regions') };
        const role = roleValues.role;
        if (!isRole(role)) {
          errors.push({ field: 'role', message: 'Choose a role from the list.' });
        } else {
          // Someone the actor may not manage is the use case's to answer (404, like an unknown id).
          const grant = await personForGrant(deps, g.session.actor, id);
          if (grant)
            errors.push(
              ...grantErrors(deps, g.session.actor, { ...grant, role, regions: roleValues.regions }),
            );
          if (errors.length === 0)
            await changeRole(ctx, g.session, id, { role, regions: roleValues.regions }, origin);
        }
        break;
      }
      case 'disable':
      case 'enable':
        await setDisabled(ctx, g.session, id, change === 'disable', origin);
        break;
      case 'reset-two-factor':
        await resetTwoFactor(ctx, g.session, id, origin);
        break;
      case 'unlock':
        await unlockUser(ctx, g.session, id, origin);
        break;
    }
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    switch (error.code) {
      case 'reauthentication_required':
        return reauthenticateRedirect(c, base);
      case 'forbidden':
        return forbiddenPage(c, g.frame);
      case 'not_found':
        return notFoundPage(c, g.frame, 'Person', '/staff/admin/people');
      default:
        errors.push({
          field: change === 'role' && /region/i.test(error.message) ? 'regions' : CHANGE_FIELD[change],
          message: error.message,
        });
    }
  }
  if (errors.length) return personPage(c, deps, { errors, roleValues, status: 400 });
  return c.redirect(`${base}?done=${change}`, 303);
}

// ---------------------------------------------------------------------------------------------------
// Audit log

interface AuditQueryValues {
  action: string;
  actor: string;
  subjectType: string;
  subjectId: string;
  organization: string;
  from: string;
  to: string;
}

const AUDIT_FIELDS: (keyof AuditQueryValues)[] = [
  'action',
  'actor',
  'subjectType',
  'subjectId',
  'organization',
  'from',
  'to',
];

function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const year = Number(value.slice(0, 4));
  if (year < 1970 || year > 2999) return null;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : d;
}

/**
 * The filters from the query, checked. An organisation administrator's filters are always narrowed to
 * their own organisation's events.
 */
function auditQuery(
  c: Context,
  actor: Actor,
): {
  values: AuditQueryValues;
  filters: AuditCsvFilters;
  before: number | undefined;
  errors: FieldError[];
} {
  const q = (name: string) => (c.req.query(name) ?? '').trim();
  const values = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, q(f)])) as unknown as AuditQueryValues;
  const errors: FieldError[] = [];
  const filters: AuditCsvFilters = {};
  if (values.action) {
    if (/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(values.action) && values.action.length <= 100)
      filters.action = values.action;
    else errors.push({ field: 'action', message: 'Enter an action such as sign_in.failure.' });
  }
  if (values.actor) {
    if (UUID.test(values.actor)) filters.actorUserId = values.actor.toLowerCase();
    else
      errors.push({
        field: 'actor',
        message: 'Enter the id of a person, such as the one in their page address.',
      });
  }
  if (values.subjectType) {
    if (/^[a-z][a-z0-9_]{0,63}$/.test(values.subjectType)) filters.subjectType = values.subjectType;
    else errors.push({ field: 'subjectType', message: 'Enter a kind of record such as staff_user.' });
  }
  if (values.subjectId) {
    if (values.subjectId.length <= 200 && !CONTROL.test(values.subjectId))
      filters.subjectId = values.subjectId;
    else
      errors.push({
        field: 'subjectId',
        message: 'Enter a record id of up to 200 letters, digits and punctuation.',
      });
  }
  if (!can(actor, 'audit.read', {})) {
    filters.organizationId = actor.organizationId;
    values.organization = '';
  } else if (values.organization) {
    if (UUID.test(values.organization)) filters.organizationId = values.organization.toLowerCase();
    else errors.push({ field: 'organization', message: 'Choose an organisation from the list.' });
  }
  const from = values.from ? parseDay(values.from) : null;
  if (values.from && !from) errors.push({ field: 'from', message: 'Enter the first day as YYYY-MM-DD.' });
  if (from) filters.from = from;
  const to = values.to ? parseDay(values.to) : null;
  if (values.to && !to) errors.push({ field: 'to', message: 'Enter the last day as YYYY-MM-DD.' });
  // The page asks for the last day to include; the log's bound is exclusive.
  if (to) filters.to = new Date(to.getTime() + 86_400_000);
  if (from && to && from > to)
    errors.push({ field: 'to', message: 'The last day must be on or after the first day.' });
  const rawBefore = q('before');
  const before = /^[1-9]\d{0,14}$/.test(rawBefore) ? Number(rawBefore) : undefined;
  return { values, filters, before, errors };
}

function auditSearch(values: AuditQueryValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const f of AUDIT_FIELDS) if (values[f]) params.set(f, values[f]);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const shortId = (id: string) => (UUID.test(id) ? id.slice(0, 8) : id);

function detailsText(details: Record<string, unknown>): string {
  const json = JSON.stringify(details);
  if (json === '{}') return '';
  return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

const AuditRow: FC<{ e: AuditEvent }> = ({ e }) => (
  <tr>
    <td>
      <time datetime={e.occurredAt}>{`${e.occurredAt.slice(0, 19).replace('T', ' ')} UTC`}</time>
    </td>
    <td>
      {e.actorUserId ? (
        <a href={`/staff/admin/audit?actor=${e.actorUserId}`}>
          {e.actorKind} {shortId(e.actorUserId)}
        </a>
      ) : (
        e.actorKind
      )}
    </td>
    <td>
      <code>{e.action}</code>
    </td>
    <td>
      {e.subjectType ?? ''}
      {e.subjectId === WITHHELD ? ' (id withheld)' : e.subjectId ? ` ${shortId(e.subjectId)}` : ''}
    </td>
    <td>{e.ip ?? ''}</td>
    <td>{e.reason ?? ''}</td>
    <td>
      <code>{detailsText(e.details)}</code>
    </td>
  </tr>
);

async function auditPage(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'audit.read', ownOrganization);
  if (g instanceof Response) return g;
  const actor = g.session.actor;
  const { values, filters, before, errors } = auditQuery(c, actor);
  const scope = filters.organizationId;
  if (!can(actor, 'audit.read', scope ? { organizationId: scope } : {})) return forbiddenPage(c, g.frame);
  const everyone = can(actor, 'audit.read', {});
  const organizations = everyone ? await organizationNames(deps) : [];
  const result = errors.length
    ? { events: [], nextBefore: null }
    : await listAudit(deps.db, { ...filters, limit: AUDIT_PAGE_SIZE, before });
  const frame = g.frame;
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Audit log">
      <ErrorSummary errors={errors} />
      <p>
        Every sign-in, permission change, export and read or change of personal data, newest first.
        {everyone
          ? null
          : " You see the events of your organization, without the ids of young people's records."}
      </p>
      <form method="get" action="/staff/admin/audit" aria-labelledby="audit-filter-h" novalidate>
        <h2 id="audit-filter-h">Filter events</h2>
        <div class="filters">
          <div>
            <label for="action">Action</label>
            <p class="hint">For example sign_in.failure or role.change</p>
            <input id="action" name="action" type="text" value={values.action} spellcheck={false} />
          </div>
          <div>
            <label for="actor">Done by (person id)</label>
            <input id="actor" name="actor" type="text" value={values.actor} spellcheck={false} />
          </div>
          <div>
            <label for="subjectType">Kind of record</label>
            <p class="hint">For example staff_user or organization</p>
            <input
              id="subjectType"
              name="subjectType"
              type="text"
              value={values.subjectType}
              spellcheck={false}
            />
          </div>
          <div>
            <label for="subjectId">Record id</label>
            <input id="subjectId" name="subjectId" type="text" value={values.subjectId} spellcheck={false} />
          </div>
          {everyone ? (
            <div>
              <label for="organization">Organisation</label>
              <select id="organization" name="organization">
                <option value="">All organisations</option>
                {organizations.map((o) => (
                  <option value={o.id} selected={o.id === values.organization}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div>
            <label for="from">From (first day, YYYY-MM-DD)</label>
            <input id="from" name="from" type="date" value={values.from} />
          </div>
          <div>
            <label for="to">To (last day, YYYY-MM-DD)</label>
            <input id="to" name="to" type="date" value={values.to} />
          </div>
        </div>
        <button type="submit">Show events</button> <a href="/staff/admin/audit">Clear filters</a>
      </form>
      {can(actor, 'audit.export', {}) && errors.length === 0 ? (
        <p>
          <a href={`/staff/admin/audit.csv${auditSearch(values)}`}>Download these events as CSV</a> (you may
          be asked to sign in again; the download is recorded)
        </p>
      ) : null}
      <table tabindex={0}>
        <caption>
          {result.events.length === 0
            ? 'No events match'
            : `${result.events.length} ${result.events.length === 1 ? 'event' : 'events'}${before ? ' (older page)' : ''}`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Done by</th>
            <th scope="col">Action</th>
            <th scope="col">Record</th>
            <th scope="col">From where</th>
            <th scope="col">Reason</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {result.events.map((e) => (
            // Without statewide access, the ids of young people's records are withheld.
            <AuditRow e={everyone ? e : withholdRecordIds(e)} />
          ))}
        </tbody>
      </table>
      <nav class="pager" aria-label="Pages">
        {before ? <a href={`/staff/admin/audit${auditSearch(values)}`}>Newest</a> : null}
        {result.nextBefore ? (
          <a href={`/staff/admin/audit${auditSearch(values, { before: String(result.nextBefore) })}`}>
            Older
          </a>
        ) : null}
      </nav>
    </StaffLayout>,
    errors.length ? 400 : 200,
  );
}

async function auditCsvDownload(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'audit.export', anyTarget);
  if (g instanceof Response) return g;
  const { session } = g;
  const { values, filters, errors } = auditQuery(c, session.actor);
  // The audit page shows what is wrong with the filters, beside the form.
  if (errors.length) return c.redirect(`/staff/admin/audit${auditSearch(values)}`, 303);
  const ctx = accountsContext(deps);
  if (!recentlyReauthenticated(ctx, session))
    return reauthenticateRedirect(c, `/staff/admin/audit.csv${auditSearch(values)}`);
  const origin = requestOrigin(c);
  const body = await exportAuditCsv(
    deps.db,
    {
      actorKind: 'user',
      actorUserId: session.userId,
      organizationId: session.actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    },
    filters,
  );
  const day = new Date().toISOString().slice(0, 10);
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="audit-${day}.csv"`,
  });
}

// ---------------------------------------------------------------------------------------------------

export const adminPages: Feature = (app, deps, policies) => {
  const manageOrganizations = staffAction('organizations.manage');
  policies.declare('GET', '/staff/admin/organizations', manageOrganizations);
  policies.declare('POST', '/staff/admin/organizations', manageOrganizations);
  policies.declare('POST', '/staff/admin/organizations/:id/disable', manageOrganizations);
  policies.declare('POST', '/staff/admin/organizations/:id/enable', manageOrganizations);
  app.get('/staff/admin/organizations', (c) =>
    organizationsPage(c, deps, { errors: [], values: { name: '', type: '' }, status: 200 }),
  );
  app.post('/staff/admin/organizations', (c) => createOrganizationAction(c, deps));
  app.post('/staff/admin/organizations/:id/disable', (c) => organizationStatusAction(c, deps, true));
  app.post('/staff/admin/organizations/:id/enable', (c) => organizationStatusAction(c, deps, false));

  policies.declare('GET', '/staff/admin/people', staffAction('people.list'));
  policies.declare('POST', '/staff/admin/people/invite', staffAction('people.invite'));
  policies.declare('GET', '/staff/admin/people/:id', staffAction('people.list'));
  app.get('/staff/admin/people', (c) =>
    peoplePage(c, deps, { errors: [], values: EMPTY_INVITE, status: 200 }),
  );
  app.post('/staff/admin/people/invite', (c) => inviteAction(c, deps));
  app.get('/staff/admin/people/:id', (c) =>
    personPage(c, deps, { errors: [], roleValues: null, status: 200 }),
  );
  for (const change of ['role', 'disable', 'enable', 'reset-two-factor', 'unlock'] as const) {
    policies.declare('POST', `/staff/admin/people/:id/${change}`, staffAction('people.manage'));
    app.post(`/staff/admin/people/:id/${change}`, (c) => personChangeAction(c, deps, change));
  }

  policies.declare('GET', '/staff/admin/audit', staffAction('audit.read'));
  policies.declare('GET', '/staff/admin/audit.csv', staffAction('audit.export'));
  app.get('/staff/admin/audit', (c) => auditPage(c, deps));
  app.get('/staff/admin/audit.csv', (c) => auditCsvDownload(c, deps));
};
