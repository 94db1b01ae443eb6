/** A person's account page: their details, role and regions, access, two-factor reset and unlock. */
import type { FC } from 'hono/jsx';
import { GRANT_REFUSALS, ROLE_NAMES, type Actor, type Role } from '../../../platform/access.ts';
import type { StaffUser } from '../../accounts/service.ts';
import { Success, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Button, Panel, SummaryList } from '../../../web/ui.tsx';
import { RegionChoices, RoleSelect, StatusTag, offersRegions, regionNames, type Regions } from './people.tsx';

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
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <StaffLayout frame={frame} title={person.displayName ?? person.email}>
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <SummaryList
        label="Account"
        rows={[
          ['Email', person.email],
          ['Name', person.displayName ?? 'Not given'],
          ['Organization', organizationName],
          ['Role', ROLE_NAMES[person.role]],
          ['Regions', person.regions.length ? regionNames(regions, person.regions) : 'None'],
          ['Two-step sign-in', person.twoFactorEnabled ? 'Set up' : 'Not set up'],
          ['Status', <StatusTag u={person} />],
        ]}
      />

      <Panel id="role-h" heading="Change role and regions">
        {self ? (
          <p>{GRANT_REFUSALS.own_account}</p>
        ) : roles.length === 0 ? (
          <p>{GRANT_REFUSALS.current_role_not_grantable}</p>
        ) : (
          <form method="post" action={`${base}/role`} aria-labelledby="role-h" novalidate class="usa-form">
            <p class="usa-hint">
              You may be asked to sign in again first. Their sessions end, so the change applies at once.
            </p>
            <CsrfField token={frame.csrf} />
            <RoleSelect roles={roles} value={roleValues.role} error={errorOf('role')} />
            {offersRegions(roles) ? (
              <RegionChoices
                regions={regions}
                checked={roleValues.regions}
                id="regions"
                error={errorOf('regions')}
              />
            ) : null}
            <Button>Save role and regions</Button>
          </form>
        )}
      </Panel>

      <Panel id="status-h" heading="Access">
        {self ? (
          <p>You cannot disable your own account.</p>
        ) : (
          <form
            method="post"
            action={`${base}/${person.disabled ? 'enable' : 'disable'}`}
            aria-labelledby="status-h"
          >
            <CsrfField token={frame.csrf} />
            <p class="usa-hint">
              {person.disabled
                ? 'Enabling lets them sign in again.'
                : 'Disabling stops them signing in at once and ends their sessions and API tokens.'}
            </p>
            <Button id="status" variant={person.disabled ? 'primary' : 'danger'}>
              {person.disabled ? 'Enable account' : 'Disable account'}
            </Button>
          </form>
        )}
      </Panel>

      <Panel id="two-factor-h" heading="Two-step sign-in">
        <form method="post" action={`${base}/reset-two-factor`} aria-labelledby="two-factor-h">
          <CsrfField token={frame.csrf} />
          <p class="usa-hint">
            When they have lost their phone and their recovery codes. They set it up again at their next
            sign-in. You may be asked to sign in again first.
          </p>
          <Button id="reset-two-factor" variant="outline">
            Reset two-step sign-in
          </Button>
        </form>
      </Panel>

      <Panel id="unlock-h" heading="Locked out">
        <form method="post" action={`${base}/unlock`} aria-labelledby="unlock-h">
          <CsrfField token={frame.csrf} />
          <p class="usa-hint">
            After too many failed attempts, signing in is paused for a while; after 100 in a row it stays
            locked until it is unlocked here. This lifts every pause and lock, for each sign-in step.
          </p>
          <Button id="unlock" variant="outline">
            Unlock sign-in
          </Button>
        </form>
      </Panel>

      <p>
        <a href="/staff/admin/people">Back to people</a>
      </p>
    </StaffLayout>
  );
};
