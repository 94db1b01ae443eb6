/**
 * Administration pages: member organizations, people (invite, role and regions, disable, reset
 * two-factor, unlock) and the audit log (browse, export as CSV: audit-routes.tsx). Thin: every change
 * goes through a use case that checks access first and records its audit event in the same transaction.
 *
 * Sensitive changes (role, two-factor reset, CSV export) need a recent re-authentication; the use case
 * says so with `reauthentication_required` and the page sends the person to sign in again, then back.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppDeps, Feature } from '../../app-types.ts';
import {
  GRANT_REFUSALS,
  ORGANIZATION_TYPES,
  ROLES,
  can,
  grantRefusal,
  grantRefusalField,
  grantableRoles,
  type Actor,
  type GrantRequest,
  type OrganizationType,
  type Role,
} from '../../platform/access.ts';
import { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  STAFF_HOME,
  formList,
  formText,
  messagePage,
  readForm,
  type FieldError,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { accountsContext, requestOrigin } from '../../web/session.ts';
import type { StaffFrame } from '../../web/staff-layout.tsx';
import {
  AccountError,
  changeRole,
  createOrganization,
  getUser,
  inviteUser,
  listUsers,
  resetTwoFactor,
  setDisabled,
  unlockUser,
  type StaffUser,
} from '../accounts/service.ts';
import {
  disableOrganization,
  enableOrganization,
  invitableRoles,
  listOrganizations,
  organizationChoices,
  organizationForGrant,
  organizationNameOf,
  personForGrant,
} from './service.ts';
import { auditPages } from './audit-routes.tsx';
import { FORBIDDEN, anyTarget, only, ownOrganization, reauthenticateRedirect } from './page-access.ts';
import { OrganizationsView } from './views/organizations.tsx';
import {
  EMPTY_INVITE,
  InvitationSent,
  InvitePage,
  PeopleView,
  type InviteValues,
  type Regions,
} from './views/people.tsx';
import { PersonView } from './views/person.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters (NUL cannot even be stored in text): no name, address or filter needs one. */
const CONTROL = /\p{Cc}/u;
/** The outbox's own check of a recipient, so an address it would refuse is caught on the form. */
const deliverableEmail = z.email().max(254);

// ---------------------------------------------------------------------------------------------------
// Shared page pieces

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

/** A refusal of a use case (an account's or another), or null for any other error. */
function refusalOf(error: unknown): { code: string; message: string } | null {
  if (error instanceof AccountError) return { code: error.reason, message: error.message };
  return error instanceof ServiceError ? error : null;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
const isOrganizationType = (value: string): value is OrganizationType =>
  Object.prototype.hasOwnProperty.call(ORGANIZATION_TYPES, value);

function regionList(deps: AppDeps): Regions {
  return [...deps.geography.get().regions.values()]
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
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

// ---------------------------------------------------------------------------------------------------
// Organizations

const ORGANIZATION_DONE: Record<string, string> = {
  created: 'The organization was added.',
  disabled: 'The organization is disabled. Nobody in it can sign in until it is enabled again.',
  enabled: 'The organization is enabled again.',
};

async function organizationsPage(
  c: Context,
  deps: AppDeps,
  frame: StaffFrame,
  actor: Actor,
  state: { errors: FieldError[]; values: { name: string; type: string }; status: 200 | 400 },
): Promise<Response> {
  const done = ORGANIZATION_DONE[c.req.query('done') ?? ''] ?? null;
  return renderPage(
    c,
    <OrganizationsView
      frame={frame}
      organizations={await listOrganizations(accountsContext(deps), actor)}
      actor={actor}
      errors={state.errors}
      values={state.values}
      done={state.status === 200 ? done : null}
    />,
    state.status,
  );
}

async function createOrganizationAction(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  const values = { name: formText(form, 'name'), type: formText(form, 'type') };
  const errors: FieldError[] = [];
  const name = values.name.trim();
  if (!name) errors.push({ field: 'name', message: 'Enter the name of the organization.' });
  else if (name.length > 200)
    errors.push({ field: 'name', message: 'The name must be 200 characters or fewer.' });
  else if (CONTROL.test(name))
    errors.push({ field: 'name', message: 'Use letters, numbers, spaces and punctuation only.' });
  if (!isOrganizationType(values.type))
    errors.push({ field: 'type', message: 'Choose the type of organization.' });
  if (errors.length === 0 && isOrganizationType(values.type)) {
    try {
      await createOrganization(accountsContext(deps), g.actor, { name, type: values.type }, requestOrigin(c));
      return c.redirect('/staff/admin/organizations?done=created', 303);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      if (refusal.code === 'forbidden') return forbiddenPage(c, g.frame);
      errors.push({ field: 'name', message: refusal.message });
    }
  }
  return organizationsPage(c, deps, g.frame, g.actor, { errors, values, status: 400 });
}

async function organizationStatusAction(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  disabled: boolean,
): Promise<Response> {
  try {
    await (disabled ? disableOrganization : enableOrganization)(
      accountsContext(deps),
      g.actor,
      c.req.param('id') ?? '',
      requestOrigin(c),
    );
    return c.redirect(`/staff/admin/organizations?done=${disabled ? 'disabled' : 'enabled'}`, 303);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    if (refusal.code === 'forbidden') return forbiddenPage(c, g.frame);
    if (refusal.code === 'not_found')
      return notFoundPage(c, g.frame, 'Organization', '/staff/admin/organizations');
    return organizationsPage(c, deps, g.frame, g.actor, {
      errors: [{ field: 'organizations', message: refusal.message }],
      values: { name: '', type: '' },
      status: 400,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// People

async function peoplePage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const { actor } = g;
  const ctx = accountsContext(deps);
  const everyone = can(actor, 'people.list', {});
  const organizations = await organizationChoices(ctx, actor);
  const requested = c.req.query('organization') ?? '';
  const known = organizations.some((o) => o.id === requested);
  const filter = everyone ? (known ? requested : null) : actor.organizationId;
  const people = await listUsers(ctx, actor, filter, requestOrigin(c));
  return renderPage(
    c,
    <PeopleView
      frame={g.frame}
      everyone={everyone}
      organizations={organizations}
      filter={filter}
      people={people}
      regions={regionList(deps)}
      mayInvite={can(actor, 'people.invite', { organizationId: actor.organizationId })}
    />,
  );
}

async function invitePage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  state: { errors: FieldError[]; values: InviteValues; status: 200 | 400 },
): Promise<Response> {
  const ctx = accountsContext(deps);
  return renderPage(
    c,
    <InvitePage
      frame={g.frame}
      actor={g.actor}
      organizations={await organizationChoices(ctx, g.actor)}
      regions={regionList(deps)}
      roles={await invitableRoles(ctx, g.actor)}
      values={state.values}
      errors={state.errors}
    />,
    state.status,
  );
}

function inviteErrorField(error: { code: string; message: string }): string {
  if (error.code === 'conflict') return 'email';
  if (error.code === 'not_found') return 'organization';
  if (/region/i.test(error.message)) return 'regions';
  if (/email/i.test(error.message)) return 'email';
  return 'role';
}

async function inviteAction(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const { actor } = g;
  const ctx = accountsContext(deps);
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
    errors.push({ field: 'organization', message: 'Choose an organization.' });
  const organization = await organizationForGrant(ctx, actor, values.organization);
  // An unknown or disabled organization is the use case's to report, beside its field.
  if (isRole(role) && organization)
    errors.push(...grantErrors(deps, actor, { organization, role, regions: values.regions }));
  if (errors.length === 0 && isRole(role)) {
    try {
      const { userId, link } = await inviteUser(
        ctx,
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
        <InvitationSent frame={g.frame} development={deps.site.development} link={link} userId={userId} />,
      );
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      if (refusal.code === 'forbidden') return forbiddenPage(c, g.frame);
      errors.push({ field: inviteErrorField(refusal), message: refusal.message });
    }
  }
  return invitePage(c, deps, g, { errors, values, status: 400 });
}

const PERSON_DONE: Record<string, string> = {
  role: 'Role and regions saved. Their sessions have ended: the new role applies when they next sign in.',
  disable: 'The account is disabled. Their sessions and API tokens have ended.',
  enable: 'The account is enabled again.',
  'reset-two-factor':
    'Two-factor sign-in was reset. They will set up their authenticator app again at their next sign-in.',
  unlock: 'Any sign-in lockout on this account has been lifted.',
};

async function personPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  state: { errors: FieldError[]; roleValues: { role: string; regions: string[] } | null; status: 200 | 400 },
): Promise<Response> {
  const ctx = accountsContext(deps);
  const id = c.req.param('id') ?? '';
  let person: StaffUser;
  try {
    if (!UUID.test(id)) throw new AccountError('not_found', 'There is no such person.');
    person = await getUser(ctx, g.actor, id, requestOrigin(c));
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    if (refusal.code === 'forbidden') return forbiddenPage(c, g.frame);
    return notFoundPage(c, g.frame, 'Person', '/staff/admin/people');
  }
  const done = state.status === 200 ? (PERSON_DONE[c.req.query('done') ?? ''] ?? null) : null;
  const grant = await personForGrant(ctx, g.actor, person.id);
  return renderPage(
    c,
    <PersonView
      frame={g.frame}
      regions={regionList(deps)}
      actor={g.actor}
      person={person}
      organizationName={await organizationNameOf(ctx, g.actor, person.organizationId)}
      errors={state.errors}
      done={done}
      roleValues={state.roleValues ?? { role: person.role, regions: person.regions }}
      roles={grant ? grantableRoles(g.actor, grant.organization, grant.person) : []}
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

async function personChangeAction(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  change: PersonChange,
): Promise<Response> {
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
          const grant = await personForGrant(ctx, g.actor, id);
          if (grant)
            errors.push(...grantErrors(deps, g.actor, { ...grant, role, regions: roleValues.regions }));
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
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    switch (refusal.code) {
      case 'reauthentication_required':
        return reauthenticateRedirect(c, base);
      case 'forbidden':
        return forbiddenPage(c, g.frame);
      case 'not_found':
        return notFoundPage(c, g.frame, 'Person', '/staff/admin/people');
      default:
        errors.push({
          field: change === 'role' && /region/i.test(refusal.message) ? 'regions' : CHANGE_FIELD[change],
          message: refusal.message,
        });
    }
  }
  if (errors.length) return personPage(c, deps, g, { errors, roleValues, status: 400 });
  return c.redirect(`${base}?done=${change}`, 303);
}

// ---------------------------------------------------------------------------------------------------

export const adminPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const manageOrganizations = staffAction('organizations.manage');
  const organizationsOnly = only('organizations.manage', anyTarget);
  r.staff(
    'get',
    '/staff/admin/organizations',
    manageOrganizations,
    (c, g) =>
      organizationsPage(c, deps, g.frame, g.actor, {
        errors: [],
        values: { name: '', type: '' },
        status: 200,
      }),
    organizationsOnly,
  );
  r.staff(
    'post',
    '/staff/admin/organizations',
    manageOrganizations,
    (c, g) => createOrganizationAction(c, deps, g),
    organizationsOnly,
  );
  r.staff(
    'post',
    '/staff/admin/organizations/:id/disable',
    manageOrganizations,
    (c, g) => organizationStatusAction(c, deps, g, true),
    organizationsOnly,
  );
  r.staff(
    'post',
    '/staff/admin/organizations/:id/enable',
    manageOrganizations,
    (c, g) => organizationStatusAction(c, deps, g, false),
    organizationsOnly,
  );

  r.staff(
    'get',
    '/staff/admin/people',
    staffAction('people.list'),
    (c, g) => peoplePage(c, deps, g),
    only('people.list', ownOrganization),
  );
  // Before /:id, so that "invite" is not read as a person's id.
  r.staff(
    'get',
    '/staff/admin/people/invite',
    staffAction('people.invite'),
    (c, g) => invitePage(c, deps, g, { errors: [], values: EMPTY_INVITE, status: 200 }),
    only('people.invite', ownOrganization),
  );
  r.staff(
    'post',
    '/staff/admin/people/invite',
    staffAction('people.invite'),
    (c, g) => inviteAction(c, deps, g),
    only('people.invite', ownOrganization),
  );
  r.staff(
    'get',
    '/staff/admin/people/:id',
    staffAction('people.list'),
    (c, g) => personPage(c, deps, g, { errors: [], roleValues: null, status: 200 }),
    only('people.list', ownOrganization),
  );
  for (const change of ['role', 'disable', 'enable', 'reset-two-factor', 'unlock'] as const)
    r.staff(
      'post',
      `/staff/admin/people/:id/${change}`,
      staffAction('people.manage'),
      (c, g) => personChangeAction(c, deps, g, change),
      only('people.manage', ownOrganization),
    );

  auditPages(r, deps);
};
