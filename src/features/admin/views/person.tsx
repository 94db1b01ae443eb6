/** A person's account page: their details, role and regions, access, two-factor reset and unlock. */
import type { Child, FC } from 'hono/jsx';
import { GRANT_REFUSALS, ROLE_NAMES, type Actor, type Role } from '../../../platform/access.ts';
import type { StaffUser } from '../../accounts/service.ts';
import { Success, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { RegionChoices, offersRegions, regionNames, statusOf, type Regions } from './people.tsx';

/** One record's facts as a table: a caption, then a row header and a value on each line. */
const FactTable: FC<{ caption: string; rows: readonly [string, Child][] }> = ({ caption, rows }) => (
  <table tabindex={0}>
    <caption>{caption}</caption>
    <tbody>
      {rows.map(([label, value]) => (
        <tr>
          <th scope="row">{label}</th>
          <td>{value}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const PersonView: FC<{
  frame: StaffFrame;
  regions: Regions;
  actor: Actor;
  person: StaffUser;
  organizationName: string;
  errors: FieldError[];
  done: string | null;
  roleValues: { role: string; regions: string[] };
  /** The roles the actor may give this person (none for themselves, or beyond the actor). */
  roles: Role[];
}> = ({ frame, regions, actor, person, organizationName, errors, done, roleValues, roles }) => {
  const base = `/staff/admin/people/${person.id}`;
  const self = person.id === actor.userId;
  return (
    <StaffLayout frame={frame} title="Account">
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <FactTable
        caption="Account"
        rows={[
          ['Email', person.email],
          ['Name', person.displayName ?? 'Not given'],
          ['Organisation', organizationName],
          ['Role', ROLE_NAMES[person.role]],
          ['Regions', person.regions.length ? regionNames(regions, person.regions) : 'None'],
          ['Two-factor sign-in', person.twoFactorEnabled ? 'Set up' : 'Not set up'],
          ['Status', statusOf(person)],
        ]}
      />

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
            <RegionChoices regions={regions} checked={roleValues.regions} id="regions" />
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
