/** The people page (with the invitation form), and the page after an invitation is sent. */
import type { FC } from 'hono/jsx';
import { REGIONAL_ROLES, ROLE_NAMES, can, type Actor, type Role } from '../../../platform/access.ts';
import type { StaffUser } from '../../accounts/service.ts';
import { Choice, type FieldError } from '../../../web/page.tsx';
import {
  Select,
  TextField,
  Ticks,
  fieldsOf,
  labelledOptions,
  namedOptions,
  type FormValues,
} from '../../../web/forms.tsx';
import { Actions, Alert, Button, DataTable, LinkButton, Tag } from '../../../web/ui.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';

export type Regions = { id: string; name: string }[];

export interface InviteValues {
  email: string;
  displayName: string;
  role: string;
  organization: string;
  regions: string[];
}

export const EMPTY_INVITE: InviteValues = {
  email: '',
  displayName: '',
  role: '',
  organization: '',
  regions: [],
};

export function regionNames(regions: Regions, ids: readonly string[]): string {
  const names = new Map(regions.map((r) => [r.id, r.name]));
  return ids.map((id) => names.get(id) ?? id).join(', ');
}

export const statusOf = (u: StaffUser): string => (u.disabled ? 'Disabled' : u.active ? 'Active' : 'Invited');

export const offersRegions = (roles: readonly Role[]) => roles.some((r) => REGIONAL_ROLES.includes(r));

export const RegionChoices: FC<{
  regions: { id: string; name: string }[];
  checked: string[];
  id: string;
  error?: string | undefined;
}> = ({ regions, checked, id, error }) => (
  <fieldset
    id={id}
    class={`usa-fieldset usa-form-group${error ? ' usa-form-group--error' : ''}`}
    aria-describedby={`${id}-hint`}
  >
    <legend class="usa-legend">Regions</legend>
    <p class="usa-hint" id={`${id}-hint`}>
      Only for regional navigators: choose at least one. Other roles have no regions.
    </p>
    {error ? <span class="usa-error-message">{error}</span> : null}
    <Ticks
      type="checkbox"
      name="regions"
      options={namedOptions(regions)}
      checked={(r) => checked.includes(r)}
      idOf={(r) => `${id}-${r}`}
    />
  </fieldset>
);

/** The drop-down list of the roles the actor may give. */
export const RoleSelect: FC<{ roles: readonly Role[]; value: string; error: string | undefined }> = ({
  roles,
  value,
  error,
}) => (
  <Select
    id="role"
    label="Role"
    placeholder="Choose a role"
    value={value}
    error={error}
    options={labelledOptions(ROLE_NAMES, roles)}
    required
  />
);

export const InviteForm: FC<{
  frame: StaffFrame;
  actor: Actor;
  organizations: { id: string; name: string; disabled: boolean }[];
  regions: { id: string; name: string }[];
  /** The roles the actor may give (in their own organization, or in some organization). */
  roles: Role[];
  values: InviteValues;
  errors: FieldError[];
}> = ({ frame, actor, organizations, regions, roles, values, errors }) => {
  const mayChooseOrganization = can(actor, 'people.invite', {});
  const own = organizations.find((o) => o.id === actor.organizationId);
  const f = fieldsOf(values as unknown as FormValues, errors);
  return (
    <form method="post" action="/staff/admin/people/invite" novalidate class="usa-form">
      <p>They get an email with a link to choose a password. The link works once, for 7 days.</p>
      <CsrfField token={frame.csrf} />
      <TextField {...f('email')} type="email" label="Email address" maxlength={254} required />
      <TextField
        {...f('displayName')}
        label="Name (optional)"
        hint="How they appear to colleagues."
        maxlength={200}
      />
      <RoleSelect roles={roles} {...f('role')} />
      {mayChooseOrganization ? (
        <Select
          {...f('organization')}
          label="Organization"
          placeholder="Choose an organization"
          options={organizations.filter((o) => !o.disabled).map((o) => ({ value: o.id, label: o.name }))}
          required
        />
      ) : (
        <p>They will join {own?.name ?? 'your organization'}.</p>
      )}
      {offersRegions(roles) ? (
        <RegionChoices
          regions={regions}
          checked={values.regions}
          id="regions"
          error={errors.find((e) => e.field === 'regions')?.message}
        />
      ) : null}
      <Button>Send invitation</Button>
    </form>
  );
};

export const InvitePage: FC<{
  frame: StaffFrame;
  actor: Actor;
  organizations: { id: string; name: string; disabled: boolean }[];
  regions: Regions;
  roles: Role[];
  values: InviteValues;
  errors: FieldError[];
}> = (p) => (
  <StaffLayout frame={p.frame} title="Invite someone">
    <ErrorSummary errors={p.errors} />
    <InviteForm {...p} />
    <p>
      <a href="/staff/admin/people">Back to people</a>
    </p>
  </StaffLayout>
);

export const PeopleView: FC<{
  frame: StaffFrame;
  everyone: boolean;
  organizations: { id: string; name: string; disabled: boolean }[];
  filter: string | null;
  people: StaffUser[];
  regions: Regions;
  mayInvite: boolean;
}> = ({ frame, everyone, organizations, filter, people, regions, mayInvite }) => {
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  return (
    <StaffLayout frame={frame} title="People">
      {mayInvite ? (
        <Actions>
          <LinkButton href="/staff/admin/people/invite">Invite someone</LinkButton>
        </Actions>
      ) : null}
      {everyone ? (
        <form method="get" action="/staff/admin/people" class="nwd-filters">
          <Choice
            id="filter-organization"
            label="Organization"
            placeholder="All organizations"
            options={organizations.map((o) => ({
              value: o.id,
              label: `${o.name}${o.disabled ? ' (disabled)' : ''}`,
            }))}
            selected={filter ?? ''}
          />
          <Button variant="outline">Show people</Button>
        </form>
      ) : null}
      <DataTable
        label="People"
        caption={`${people.length === 1 ? '1 person' : `${people.length} people`}${
          filter ? ` in ${names.get(filter) ?? 'this organization'}` : ''
        }`}
        head={['Email', 'Name', everyone && 'Organization', 'Role', 'Regions', 'Two-step sign-in', 'Status']}
      >
        {people.map((p) => (
          <tr>
            <th scope="row">
              <a href={`/staff/admin/people/${p.id}`}>{p.email}</a>
            </th>
            <td>{p.displayName ?? ''}</td>
            {everyone ? <td>{names.get(p.organizationId) ?? ''}</td> : null}
            <td>{ROLE_NAMES[p.role]}</td>
            <td>{regionNames(regions, p.regions)}</td>
            <td>{p.twoFactorEnabled ? 'Set up' : 'Not set up'}</td>
            <td>
              <StatusTag u={p} />
            </td>
          </tr>
        ))}
      </DataTable>
    </StaffLayout>
  );
};

export const StatusTag: FC<{ u: StaffUser }> = ({ u }) => (
  <Tag tone={u.disabled ? 'error' : u.active ? 'success' : 'warning'}>
    {u.disabled ? 'Disabled' : u.active ? 'Active' : 'Invited, not set up'}
  </Tag>
);

export const InvitationSent: FC<{
  frame: StaffFrame;
  development: boolean;
  link: string;
  userId: string;
}> = ({ frame, development, link, userId }) => (
  <StaffLayout frame={frame} title="Invitation sent">
    {development ? (
      <Alert type="warning" heading="Local development: no email is sent">
        <p>Give them this link (it works once, for 7 days):</p>
        <p class="margin-bottom-0">
          <code class="nwd-break">{link}</code>
        </p>
      </Alert>
    ) : (
      <Alert type="success">
        <p class="margin-0">We have emailed them a link to choose a password. It works once, for 7 days.</p>
      </Alert>
    )}
    <Actions>
      <LinkButton href={`/staff/admin/people/${userId}`}>See their account</LinkButton>
      <LinkButton href="/staff/admin/people" variant="outline">
        Back to people
      </LinkButton>
    </Actions>
  </StaffLayout>
);
