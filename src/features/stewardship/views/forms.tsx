/**
 * The stewardship forms: an organization's public facts, a region's navigator and county memberships,
 * and a directory service. Every form ends with the fact's provenance: where it was confirmed, and
 * whether it was.
 */
import type { Child, FC } from 'hono/jsx';
import { ORGANIZATION_TYPES } from '../../../platform/access.ts';
import {
  Checkbox,
  ErrorSummary,
  fieldsOf,
  Select,
  TextArea,
  TextField,
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Success } from '../../../web/page.tsx';
import { CsrfField, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Button, DataTable } from '../../../web/ui.tsx';

export interface FormState {
  values: FormValues;
  errors: FieldProblem[];
  done: string | null;
}

/** Source, confirmed, note: the provenance every change carries. */
const Provenance: FC<{ state: FormState; checkedBy: string | null; checkedAt: string | null }> = ({
  state,
  checkedBy,
  checkedAt,
}) => {
  const f = fieldsOf(state.values, state.errors);
  return (
    <fieldset class="usa-fieldset nwd-panel">
      <legend class="usa-legend usa-legend--large">Where this was checked</legend>
      {checkedAt ? (
        <p>
          Last checked on {checkedAt}
          {checkedBy ? ` by ${checkedBy}` : ''}.
        </p>
      ) : null}
      <TextField
        {...f('source')}
        label="Source"
        hint='A document, a web address, or "Confirmed by <organization> by phone".'
        maxlength={500}
        required
      />
      <Checkbox
        name="verified"
        label="I confirmed these facts in this source today"
        checked={state.values.verified === 'yes'}
      />
      <TextArea
        {...f('note')}
        label="Note for administrators (optional, never shown to the public)"
        maxlength={1000}
        rows={3}
      />
    </fieldset>
  );
};

/** The languages a place or service offers, as a list separated by commas. */
const LanguagesField: FC<{ state: FormState }> = ({ state }) => (
  <TextField
    {...fieldsOf(state.values, state.errors)('languages')}
    label="Languages (optional)"
    hint="Separate with commas: English, Spanish, Somali"
    maxlength={600}
  />
);

const Save: FC<{ label: string }> = ({ label }) => <Button>{label}</Button>;

/** An edit page of one form: the way back, what was saved or refused, the form with its token. */
const EditFrame: FC<{
  frame: StaffFrame;
  title: string;
  state: FormState;
  action: string;
  children?: Child;
}> = ({ frame, title, state, action, children }) => (
  <StaffLayout frame={frame} title={`Edit ${title}`}>
    <p>
      <a href="/staff/data">Back to public data</a>
    </p>
    <Success message={state.done} />
    <ErrorSummary errors={state.errors} />
    <form method="post" action={action} novalidate class="usa-form">
      <CsrfField token={frame.csrf} />
      {children}
    </form>
  </StaffLayout>
);

/** What the edit page of one stored record shows: its form's state and who checked it last, when. */
interface RecordPageProps {
  frame: StaffFrame;
  id: string;
  title: string;
  state: FormState;
  checkedBy: string;
  checkedAt: string;
}

export const OrganizationPage: FC<RecordPageProps & { members: { id: string; name: string }[] | null }> = ({
  frame,
  id,
  title,
  state,
  checkedBy,
  checkedAt,
  members,
}) => {
  const f = fieldsOf(state.values, state.errors);
  return (
    <EditFrame frame={frame} title={title} state={state} action={`/staff/data/organizations/${id}`}>
      <TextField {...f('name')} label="Name" maxlength={200} required />
      <Select
        {...f('type')}
        label="Type"
        placeholder="Choose a type"
        options={Object.entries(ORGANIZATION_TYPES).map(([value, label]) => ({ value, label }))}
      />
      <TextField
        {...f('phone')}
        type="tel"
        label="Public phone"
        hint="For example 218-555-0100"
        maxlength={25}
      />
      <TextField {...f('phone2')} type="tel" label="Second public phone (optional)" maxlength={25} />
      <TextField {...f('textNumber')} type="tel" label="Text number (optional)" maxlength={25} />
      <TextField {...f('email')} type="email" label="Public email (optional)" maxlength={200} />
      <TextField {...f('website')} label="Website (optional)" hint="Starts with https://" maxlength={300} />
      <TextField
        {...f('hours')}
        label="Hours (optional)"
        hint="For example: Monday to Friday, 8 am to 5 pm"
        maxlength={300}
      />
      <LanguagesField state={state} />
      <Checkbox
        name="addressConfidential"
        label="The address is confidential (never shown)"
        checked={state.values.addressConfidential === 'yes'}
      />
      {members ? (
        <Select
          {...f('memberOrganizationId')}
          label="Managed by (whose organization administrators may edit it)"
          placeholder="Only state administrators"
          options={members.map((m) => ({ value: m.id, label: m.name }))}
        />
      ) : null}
      <Provenance state={state} checkedBy={checkedBy} checkedAt={checkedAt} />
      <Save label="Save organization" />
    </EditFrame>
  );
};

export interface MembershipView {
  county: string;
  countyName: string;
  from: string;
  to: string | null;
  verified: boolean;
  checkedAt: string;
  current: boolean;
}

export const RegionPage: FC<{
  frame: StaffFrame;
  id: string;
  title: string;
  region: FormState;
  membership: FormState;
  organizations: { id: string; name: string }[];
  counties: { fips: string; name: string }[];
  memberships: MembershipView[];
  checkedBy: string;
  checkedAt: string;
}> = (p) => {
  const f = fieldsOf(p.region.values, p.region.errors);
  const m = fieldsOf(p.membership.values, p.membership.errors);
  return (
    <StaffLayout frame={p.frame} title={`Edit ${p.title}`}>
      <p>
        <a href="/staff/data">Back to public data</a>
      </p>
      <Success message={p.region.done ?? p.membership.done} />
      <ErrorSummary errors={[...p.region.errors, ...p.membership.errors]} />
      <h2>Navigator</h2>
      <form method="post" action={`/staff/data/regions/${p.id}`} novalidate class="usa-form">
        <CsrfField token={p.frame.csrf} />
        <Select
          {...f('navigatorOrganizationId')}
          label="Organization hosting the navigator"
          placeholder="Not known"
          options={p.organizations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Provenance state={p.region} checkedBy={p.checkedBy} checkedAt={p.checkedAt} />
        <Save label="Save region" />
      </form>
      <h2>Counties</h2>
      <DataTable
        label="Counties in this region"
        caption="Counties in this region, with the dates they belong"
        head={['County', 'From', 'Until (first day no longer in)', 'Confirmed', 'Checked']}
      >
        {p.memberships.map((r) => (
          <tr>
            <th scope="row">
              <a href={`/staff/data/regions/${p.id}?county=${r.county}&from=${r.from}#membership`}>
                {r.countyName}
              </a>
            </th>
            <td>{r.from}</td>
            <td>{r.to ?? (r.current ? 'now' : '')}</td>
            <td>{r.verified ? 'Yes' : 'No'}</td>
            <td>{r.checkedAt}</td>
          </tr>
        ))}
      </DataTable>
      <h2 id="membership">Add or change a county's membership</h2>
      <p>
        The same county and start date changes that membership. A new start date adds one and ends the
        county's current membership of another region that day.
      </p>
      <form method="post" action={`/staff/data/regions/${p.id}/memberships`} novalidate class="usa-form">
        <CsrfField token={p.frame.csrf} />
        <Select
          {...m('county')}
          label="County"
          placeholder="Choose a county"
          options={p.counties.map((c) => ({ value: c.fips, label: c.name }))}
        />
        <TextField {...m('effectiveFrom')} label="Start date" hint="YYYY-MM-DD" maxlength={10} required />
        <TextField
          {...m('effectiveTo')}
          label="End date (optional)"
          hint="YYYY-MM-DD, the first day it no longer belongs"
          maxlength={10}
        />
        <Provenance state={p.membership} checkedBy={null} checkedAt={null} />
        <Save label="Save membership" />
      </form>
    </StaffLayout>
  );
};

export const ServicePage: FC<RecordPageProps> = ({ frame, id, title, state, checkedBy, checkedAt }) => {
  const f = fieldsOf(state.values, state.errors);
  return (
    <EditFrame frame={frame} title={title} state={state} action={`/staff/data/services/${id}`}>
      <TextField {...f('name')} label="Name" maxlength={200} required />
      <TextArea {...f('description')} label="Description" maxlength={4000} required />
      <TextArea {...f('eligibility')} label="Who it is for (optional)" maxlength={2000} rows={3} />
      <TextField {...f('minimumAge')} label="Youngest age (optional)" inputmode="numeric" maxlength={3} />
      <TextField {...f('maximumAge')} label="Oldest age (optional)" inputmode="numeric" maxlength={3} />
      <TextField {...f('phone')} type="tel" label="Phone (optional)" maxlength={25} />
      <TextField {...f('email')} type="email" label="Email (optional)" maxlength={200} />
      <TextField {...f('website')} label="Website (optional)" hint="Starts with https://" maxlength={300} />
      <LanguagesField state={state} />
      <Provenance state={state} checkedBy={checkedBy} checkedAt={checkedAt} />
      <Save label="Save service" />
    </EditFrame>
  );
};
