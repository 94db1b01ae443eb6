/**
 * The pages of certified settings: `/staff/housing/settings` (every setting the person may see, with its
 * status, expiry, days to expiry and how many direct-contact staff are trained) and one setting
 * (`/staff/housing/settings/:id`: its certification, the form that changes it for state administrators,
 * and its staff list with the form that adds a person for its organization).
 */
import type { FC } from 'hono/jsx';
import { ErrorSummary, type FieldProblem } from '../../../web/forms.tsx';
import { Success, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import {
  Actions,
  Button,
  DataTable,
  LinkButton,
  Panel,
  SummaryList,
  Tag,
  type Tone,
} from '../../../web/ui.tsx';
import {
  STATUSES,
  dateInWords,
  daysToExpiryInWords,
  settingLink,
  type SettingStatus,
  type TrainingState,
} from '../rules.ts';
import type { SettingDetail, SettingView } from '../service.ts';
import {
  CertificationFields,
  StaffFields,
  type CertificationValues,
  type ProgramChoice,
  type StaffValues,
} from './setting-forms.tsx';

export const DONE_MESSAGES: Record<string, string> = {
  added: 'Setting added.',
  certification: 'Certification saved.',
  'staff-added': 'Person added to the staff list.',
  'staff-changed': 'Staff member saved.',
  'staff-removed': 'Person removed from the staff list.',
};

const TONES: Record<SettingStatus, Tone> = {
  certified: 'success',
  renewal_pending: 'info',
  suspended: 'warning',
  revoked: 'error',
  expired: 'error',
};

export const StatusTag: FC<{ status: SettingStatus }> = ({ status }) => (
  <Tag tone={TONES[status]}>{STATUSES[status]}</Tag>
);

/** Days to expiry, marked when 60 days or fewer are left. */
const Expiry: FC<{ s: SettingView }> = ({ s }) => (
  <span>
    {daysToExpiryInWords(s.daysToExpiry)}
    {s.status !== 'revoked' && s.daysToExpiry >= 0 && s.daysToExpiry <= 60 ? (
      <>
        {' '}
        <Tag tone="warning">Renew soon</Tag>
      </>
    ) : null}
  </span>
);

const Trained: FC<{ s: SettingView }> = ({ s }) => (
  <span>
    {s.staff.trained} of {s.staff.total} trained
    {s.staff.overdue ? (
      <>
        {' '}
        <Tag tone="warning">{s.staff.overdue} overdue</Tag>
      </>
    ) : null}
  </span>
);

export const SettingsPage: FC<
  StaffView & { settings: SettingView[]; everyOrganization: boolean; canAdd: boolean; done: string | null }
> = (p) => (
  <StaffLayout frame={p.frame} title="Certified settings">
    <Success message={p.done} />
    <p>
      Residential settings certified to serve youth who are, or are at risk of becoming, victims of sex
      trafficking or sexual exploitation. Every direct-contact staff member takes the commissioner-approved
      training (5 modules, under 4 hours).
    </p>
    {p.canAdd ? (
      <Actions>
        <LinkButton href="/staff/housing/settings/new" variant="outline">
          Add a setting
        </LinkButton>
      </Actions>
    ) : null}
    {p.settings.length ? (
      <DataTable
        label="Certified settings"
        caption={p.everyOrganization ? 'Every certified setting' : 'Your organization’s certified settings'}
        head={[
          'Setting',
          p.everyOrganization ? 'Organization' : null,
          'Status',
          'Expires',
          'Days to expiry',
          'Direct-contact staff',
        ]}
      >
        {p.settings.map((s) => (
          <tr>
            <th scope="row">
              <a href={settingLink(s.id)}>{s.name}</a>
            </th>
            {p.everyOrganization ? <td>{s.organizationName}</td> : null}
            <td>
              <StatusTag status={s.status} />
            </td>
            <td>{dateInWords(s.expiresOn)}</td>
            <td>
              <Expiry s={s} />
            </td>
            <td>
              <Trained s={s} />
            </td>
          </tr>
        ))}
      </DataTable>
    ) : (
      <p>
        {p.everyOrganization
          ? 'No certified settings have been recorded yet.'
          : 'Your organization has no certified settings recorded here. The state records a certification.'}
      </p>
    )}
  </StaffLayout>
);

const TRAINING: Record<TrainingState, [Tone, string]> = {
  trained: ['success', 'Trained'],
  overdue: ['warning', 'Overdue'],
  not_yet: ['base', 'Not yet'],
};

export const SettingPage: FC<
  StaffView & {
    detail: SettingDetail;
    canCertify: boolean;
    keepsStaff: boolean;
    certification: { values: CertificationValues; errors: FieldProblem[] };
    staff: { values: StaffValues; errors: FieldProblem[] };
    programs: readonly ProgramChoice[];
    done: string | null;
  }
> = (p) => {
  const { setting: s, notes, staffMembers, trainingDays } = p.detail;
  const link = settingLink(s.id);
  return (
    <StaffLayout frame={p.frame} title={s.name}>
      <Success message={p.done} />
      <ErrorSummary errors={[...p.certification.errors, ...p.staff.errors]} />
      <Panel id="certification" heading="Certification">
        <SummaryList
          rows={[
            ['Status', <StatusTag status={s.status} />],
            ['Organization', s.organizationName],
            s.programName ? ['Housing program', s.programName] : null,
            ['License number', s.licenseNumber],
            ['Certification number', s.certificationNumber],
            ['Certified', dateInWords(s.certifiedOn)],
            ['Expires', `${dateInWords(s.expiresOn)} (${daysToExpiryInWords(s.daysToExpiry)})`],
            ['Notes for staff', notes ?? 'None'],
          ]}
        />
        <p class="nwd-muted">
          Only state administrators record and change a certification. Its organization and the state
          administrators are reminded 60 and 30 days before it expires.
        </p>
      </Panel>
      <Panel id="staff" heading="Direct-contact staff and their training">
        <p>
          {s.staff.trained} of {s.staff.total} trained. Someone who started more than {trainingDays} days ago
          without the training shows as overdue. (This number of days is a local setting, not from the rule:
          see the training’s website for its timelines.)
        </p>
        {staffMembers.length ? (
          <DataTable
            label="Direct-contact staff"
            caption="Direct-contact staff and the 5-module training"
            head={['Name', 'Role or title', 'Started', 'Training', p.keepsStaff ? 'Change' : null]}
          >
            {staffMembers.map((m) => (
              <tr>
                <th scope="row">{m.name}</th>
                <td>{m.roleTitle}</td>
                <td>{dateInWords(m.startedOn)}</td>
                <td>
                  <Tag tone={TRAINING[m.training][0]}>{TRAINING[m.training][1]}</Tag>
                  {m.trainedOn ? ` ${dateInWords(m.trainedOn)}` : null}
                </td>
                {p.keepsStaff ? (
                  <td>
                    <a href={`${link}/staff/${m.id}`}>
                      Change or record training<span class="usa-sr-only"> for {m.name}</span>
                    </a>
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>No direct-contact staff are listed yet.</p>
        )}
        {p.keepsStaff ? (
          <form
            method="post"
            action={`${link}/staff`}
            class="usa-form usa-form--large"
            aria-labelledby="add-staff"
            novalidate
          >
            <h3 id="add-staff">Add a person</h3>
            <CsrfField token={p.frame.csrf} />
            <StaffFields values={p.staff.values} errors={p.staff.errors} />
            <Actions>
              <Button>Add to the list</Button>
            </Actions>
          </form>
        ) : null}
      </Panel>
      {p.canCertify ? (
        <Panel id="change-certification" heading="Change the certification">
          <form method="post" action={`${link}/certification`} class="usa-form usa-form--large" novalidate>
            <CsrfField token={p.frame.csrf} />
            <CertificationFields
              values={p.certification.values}
              errors={p.certification.errors}
              programs={p.programs.filter((x) => x.organization_id === s.organizationId)}
            />
            <Actions>
              <Button>Save the certification</Button>
            </Actions>
          </form>
        </Panel>
      ) : null}
      <p>
        <a href="/staff/housing/settings">All certified settings</a>
      </p>
    </StaffLayout>
  );
};
