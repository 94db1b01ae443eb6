/**
 * The forms of certified settings: a setting's certification (state administrators: on its own page to
 * add a setting, and on the setting's page to change it), and a direct-contact staff member (the
 * setting's organization: added on the setting's page, changed or removed on the person's own page).
 */
import type { FC } from 'hono/jsx';
import {
  ErrorSummary,
  Radios,
  Select,
  TextArea,
  TextField,
  fieldsOf,
  labelledOptions,
  namedOptions,
  type FieldProblem,
} from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button } from '../../../web/ui.tsx';
import { RECORDED_STATUSES, settingLink } from '../rules.ts';

/** The certification form's fields as posted. */
export interface CertificationValues {
  organizationId: string;
  name: string;
  programId: string;
  licenseNumber: string;
  certificationNumber: string;
  certifiedOn: string;
  expiresOn: string;
  status: string;
  notes: string;
}

export const CERTIFICATION_FIELDS = [
  'organizationId',
  'name',
  'programId',
  'licenseNumber',
  'certificationNumber',
  'certifiedOn',
  'expiresOn',
  'status',
  'notes',
] as const;

export const EMPTY_CERTIFICATION: CertificationValues = {
  organizationId: '',
  name: '',
  programId: '',
  licenseNumber: '',
  certificationNumber: '',
  certifiedOn: '',
  expiresOn: '',
  status: 'certified',
  notes: '',
};

export interface ProgramChoice {
  id: string;
  name: string;
  organization_id: string;
  organization_name: string;
}

/** The certification's fields (not the organization, which a setting keeps). */
export const CertificationFields: FC<{
  values: CertificationValues;
  errors: FieldProblem[];
  programs: readonly ProgramChoice[];
}> = ({ values, errors, programs }) => {
  const f = fieldsOf(values as unknown as Record<string, string>, errors);
  return (
    <>
      <TextField {...f('name')} label="Name of the setting" maxlength={200} />
      <Select
        {...f('programId')}
        label="Housing program (optional)"
        hint="One of the organization’s own housing programs, if the setting is one."
        placeholder="No housing program"
        options={programs.map((p) => ({ value: p.id, label: `${p.organization_name}: ${p.name}` }))}
      />
      <TextField {...f('licenseNumber')} label="License number" maxlength={60} />
      <TextField {...f('certificationNumber')} label="Certification number" maxlength={60} />
      <TextField {...f('certifiedOn')} type="date" label="Date certified" hint="For example: 2026-04-01." />
      <TextField
        {...f('expiresOn')}
        type="date"
        label="Date the certification expires"
        hint="Its organization and the state administrators are reminded 60 and 30 days before."
      />
      <Radios
        {...f('status')}
        legend="Status"
        hint="“Expired” shows by itself once the expiry date has passed."
        options={labelledOptions(RECORDED_STATUSES)}
      />
      <TextArea
        {...f('notes')}
        label="Notes for staff (optional)"
        hint="Seen by the setting’s organization and state administrators only. Do not write about young people."
        maxlength={2000}
        rows={4}
      />
    </>
  );
};

/** `/staff/housing/settings/new`: a state administrator adds a setting. */
export const NewSettingPage: FC<
  StaffView & {
    values: CertificationValues;
    errors: FieldProblem[];
    organizations: readonly { id: string; name: string }[];
    programs: readonly ProgramChoice[];
  }
> = (p) => {
  const f = fieldsOf(p.values as unknown as Record<string, string>, p.errors);
  return (
    <StaffLayout frame={p.frame} title="Add a certified setting">
      <ErrorSummary errors={p.errors} />
      <p>
        A residential setting certified to serve youth who are, or are at risk of becoming, victims of sex
        trafficking or sexual exploitation. Its organization then keeps the list of its direct-contact staff
        and their training.
      </p>
      <form method="post" action="/staff/housing/settings" class="usa-form usa-form--large" novalidate>
        <CsrfField token={p.frame.csrf} />
        <Select
          {...f('organizationId')}
          label="Organization that runs the setting"
          placeholder="Choose an organization"
          options={namedOptions(p.organizations)}
        />
        <CertificationFields values={p.values} errors={p.errors} programs={p.programs} />
        <Actions>
          <Button>Add the setting</Button>
        </Actions>
      </form>
      <p>
        <a href="/staff/housing/settings">All certified settings</a>
      </p>
    </StaffLayout>
  );
};

/** A staff member's form fields as posted. */
export interface StaffValues {
  staffName: string;
  roleTitle: string;
  startedOn: string;
  trainedOn: string;
}

export const STAFF_FIELDS = ['staffName', 'roleTitle', 'startedOn', 'trainedOn'] as const;

export const EMPTY_STAFF: StaffValues = { staffName: '', roleTitle: '', startedOn: '', trainedOn: '' };

export const StaffFields: FC<{ values: StaffValues; errors: FieldProblem[] }> = ({ values, errors }) => {
  const f = fieldsOf(values as unknown as Record<string, string>, errors);
  return (
    <>
      <TextField {...f('staffName')} label="Name" maxlength={120} />
      <TextField
        {...f('roleTitle')}
        label="Role or title"
        hint="For example: youth worker."
        maxlength={100}
      />
      <TextField {...f('startedOn')} type="date" label="Date they started" />
      <TextField
        {...f('trainedOn')}
        type="date"
        label="Date they completed the 5-module training (leave empty if not yet)"
      />
    </>
  );
};

/** `/staff/housing/settings/:id/staff/:staffId`: change one staff member, or remove them from the list. */
export const StaffMemberPage: FC<
  StaffView & {
    settingId: string;
    settingName: string;
    staffId: string;
    values: StaffValues;
    errors: FieldProblem[];
  }
> = (p) => {
  const action = `${settingLink(p.settingId)}/staff/${p.staffId}`;
  return (
    <StaffLayout frame={p.frame} title={`A staff member of ${p.settingName}`}>
      <ErrorSummary errors={p.errors} />
      <form method="post" action={action} class="usa-form usa-form--large" novalidate>
        <CsrfField token={p.frame.csrf} />
        <StaffFields values={p.values} errors={p.errors} />
        <Actions>
          <Button>Save</Button>
        </Actions>
      </form>
      <form method="post" action={`${action}/remove`} class="usa-form" aria-labelledby="remove-heading">
        <h2 id="remove-heading">No longer in direct contact with youth here</h2>
        <p>Remove the person from this setting’s list of direct-contact staff.</p>
        <CsrfField token={p.frame.csrf} />
        <Button variant="danger">Remove from the list</Button>
      </form>
      <p>
        <a href={settingLink(p.settingId)}>Back to {p.settingName}</a>
      </p>
    </StaffLayout>
  );
};
