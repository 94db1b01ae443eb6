/** The people page (with the invitation form), and the page after an invitation is sent. */
import type { FC } from 'hono/jsx';
import { REGIONAL_ROLES, ROLE_NAMES, can, type Actor, type Role } from '../../../platform/access.ts';
import type { StaffUser } from '../../accounts/service.ts';
import { ColumnHeads, type FieldError } from '../../../web/page.tsx';
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
}> = ({ regions, checked, id }) => (
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

export const InviteForm: FC<{
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

export const PeopleView: FC<{
  frame: StaffFrame;
  actor: Actor;
  everyone: boolean;
  organizations: { id: string; name: string; disabled: boolean }[];
  filter: string | null;
  people: StaffUser[];
  regions: Regions;
  /** The invitation form, when the actor may invite: the roles they may give. */
  invite: { roles: Role[] } | null;
  values: InviteValues;
  errors: FieldError[];
}> = ({ frame, actor, everyone, organizations, filter, people, regions, invite, values, errors }) => {
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  return (
    <StaffLayout frame={frame} title="People">
      <ErrorSummary errors={errors} />
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
        <ColumnHeads
          names={['Email', 'Name', everyone && 'Organisation', 'Role', 'Regions', 'Two-factor', 'Status']}
        />
        <tbody>
          {people.map((p) => (
            <tr>
              <th scope="row">
                <a href={`/staff/admin/people/${p.id}`}>{p.email}</a>
              </th>
              <td>{p.displayName ?? ''}</td>
              {everyone ? <td>{names.get(p.organizationId) ?? ''}</td> : null}
              <td>{ROLE_NAMES[p.role]}</td>
              <td>{regionNames(regions, p.regions)}</td>
              <td>{p.twoFactorEnabled ? 'Yes' : 'No'}</td>
              <td>{statusOf(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {invite ? (
        <InviteForm
          frame={frame}
          actor={actor}
          organizations={organizations}
          regions={regions}
          roles={invite.roles}
          values={values}
        />
      ) : null}
    </StaffLayout>
  );
};

export const InvitationSent: FC<{
  frame: StaffFrame;
  development: boolean;
  link: string;
  userId: string;
}> = ({ frame, development, link, userId }) => (
  <StaffLayout frame={frame} title="Invitation sent">
    {development ? (
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
  </StaffLayout>
);
