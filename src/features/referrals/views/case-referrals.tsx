/**
 * The case's Referrals tab: the case's referrals and what each shows its organization today, and the
 * form to refer (de-identified, or with identifying details when an active consent covers the
 * organization).
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Button, DataTable, Panel, SrOnly } from '../../../web/ui.tsx';
import { Success, Time, type FieldError } from '../../../web/page.tsx';
import { StaffForm, TextArea, codeOptions, errorFor, namedOptions } from '../../../web/forms.tsx';
import { CaseTabs } from '../../cases/index.ts';
import { CATEGORY_NAMES, addDays } from '../../consents/service.ts';
import { MESSAGE_MAX, statusText } from '../rules.ts';
import { OUTSIDE_STATUS_NAMES, THREAD_MESSAGE_MAX, type OutsideReferral } from '../conversation.ts';
import type { CaseReferral } from '../service.ts';

export interface ReferralValues {
  toOrganizationId: string;
  serviceType: string;
  shareIdentifying: string;
  message: string;
}

export interface OutsideValues {
  directoryServiceId: string;
  outsideServiceType: string;
  outsideNote: string;
}

export const OUTSIDE_EMPTY: OutsideValues = {
  directoryServiceId: '',
  outsideServiceType: '',
  outsideNote: '',
};

/** Referrals to directory services outside the network: their statuses, recorded by hand. */
const OutsideSection: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  caseId: string;
  mayWrite: boolean;
  outside: OutsideReferral[];
  services: { id: string; name: string; organization_name: string | null }[];
  values: OutsideValues;
  errors: FieldError[];
}> = ({ deps, frame, caseId, mayWrite, outside, services, values: v, errors }) => (
  <Panel id="outside-h" heading="Referrals outside the network">
    <p>
      For a service in the directory whose organization does not use this system. Nobody answers it here:
      record what happened when you hear back, so every referral is counted.
    </p>
    <DataTable
      label="Referrals outside the network"
      id="outside"
      caption={
        outside.length === 0
          ? 'No outside referrals'
          : `${outside.length} outside ${outside.length === 1 ? 'referral' : 'referrals'}, newest first`
      }
      head={[
        'Service',
        'Organization',
        'Service needed',
        'Status',
        'Recorded',
        mayWrite && 'Record what happened',
      ]}
    >
      {outside.map((x) => (
        <tr>
          <th scope="row">{x.serviceName}</th>
          <td>{x.organizationName ?? 'Not given'}</td>
          <td>{x.serviceLabel}</td>
          <td>{OUTSIDE_STATUS_NAMES[x.status]}</td>
          <td>
            <Time deps={deps} at={x.createdAt} />
          </td>
          {mayWrite ? (
            <td>
              {x.next.length ? (
                <form method="post" action={`/staff/outside-referrals/${x.id}/status`}>
                  <CsrfField token={frame.csrf} />
                  <label for={`status-${x.id}`}>
                    <SrOnly>New status for {x.serviceName}</SrOnly>
                  </label>
                  <select id={`status-${x.id}`} name="status">
                    {x.next.map((to) => (
                      <option value={to}>{OUTSIDE_STATUS_NAMES[to]}</option>
                    ))}
                  </select>{' '}
                  <Button variant="secondary">Record</Button>
                </form>
              ) : (
                'Finished'
              )}
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
    {mayWrite ? (
      <StaffForm
        action={`/staff/cases/${caseId}/outside-referrals`}
        heading={['outside-form-h', 'Record an outside referral']}
        csrf={frame.csrf}
        choices={[
          [
            'directoryServiceId',
            'Service in the directory',
            'Choose a service',
            services.map((x) => ({
              value: x.id,
              label: x.organization_name ? `${x.name} (${x.organization_name})` : x.name,
            })),
            v.directoryServiceId,
          ],
          [
            'outsideServiceType',
            'Service needed',
            'Choose a service',
            codeOptions(deps.rules.vocabularies.services),
            v.outsideServiceType,
          ],
        ]}
      >
        <TextArea
          id="outsideNote"
          label="Note (optional)"
          hint="Kept encrypted with the case, for your region only."
          value={v.outsideNote}
          error={errorFor(errors, 'outsideNote')}
          maxlength={THREAD_MESSAGE_MAX}
          rows={3}
        />
        <Button>Record the outside referral</Button>
      </StaffForm>
    ) : null}
  </Panel>
);

export const EMPTY: ReferralValues = {
  toOrganizationId: '',
  serviceType: '',
  shareIdentifying: '',
  message: '',
};

export const CaseReferralsTab: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  data: { caseId: string; chosenName: string; referrals: CaseReferral[] };
  mayWrite: boolean;
  organizations: { id: string; name: string }[];
  covering: { name: string; categories: (keyof typeof CATEGORY_NAMES)[]; expiresOn: string }[];
  outside: OutsideReferral[];
  services: { id: string; name: string; organization_name: string | null }[];
  outsideValues: OutsideValues;
  errors: FieldError[];
  done: string | null;
  values: ReferralValues;
}> = ({
  deps,
  frame,
  data,
  mayWrite,
  organizations,
  covering,
  outside,
  services,
  outsideValues,
  errors,
  done,
  values: v,
}) => (
  <StaffLayout frame={frame} title={`Referrals: ${data.chosenName}`}>
    <CaseTabs caseId={data.caseId} current="referrals" label={data.chosenName} />
    <ErrorSummary errors={errors} />
    <Success message={done} />
    <p>
      Each referral tells an organization what service {data.chosenName} needs. It shows identifying details
      only while an active consent of theirs covers that organization; otherwise it goes without a name or
      contact details. Consent is never a condition of service.
    </p>
    <table id="referrals" tabindex={0}>
      <caption>
        {data.referrals.length === 0
          ? 'No referrals yet'
          : `${data.referrals.length} ${data.referrals.length === 1 ? 'referral' : 'referrals'}, newest first`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Organization</th>
          <th scope="col">Service</th>
          <th scope="col">Status</th>
          <th scope="col">What they see</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {data.referrals.map((r) => (
          <tr>
            <th scope="row">
              <a href={`/staff/referrals/${r.id}`}>
                {r.toOrganization.name}
                <span class="usa-sr-only"> — open this referral</span>
              </a>
            </th>
            <td>{r.serviceLabel}</td>
            <td>{statusText(r, deps.rules.vocabularies.declineReasons)}</td>
            <td>
              {r.sharing === 'identifying'
                ? 'Identifying, with consent'
                : r.sharing === 'consent_ended'
                  ? 'De-identified (consent ended)'
                  : 'De-identified'}
            </td>
            <td>{r.sentAt ? <Time deps={deps} at={r.sentAt} /> : 'Not sent'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    {mayWrite ? (
      <StaffForm
        action={`/staff/cases/${data.caseId}/referrals`}
        heading={['refer-h', 'Make a referral']}
        csrf={frame.csrf}
        choices={[
          [
            'toOrganizationId',
            'Organization',
            'Choose an organization',
            namedOptions(organizations),
            v.toOrganizationId,
          ],
          [
            'serviceType',
            'Service needed',
            'Choose a service',
            codeOptions(deps.rules.vocabularies.services),
            v.serviceType,
          ],
        ]}
      >
        <fieldset id="shareIdentifying">
          <legend>What the organization sees</legend>
          <label>
            <input type="radio" name="shareIdentifying" value="no" checked={v.shareIdentifying !== 'yes'} />{' '}
            No identifying details: service, age band, county and region only
          </label>
          <label>
            <input type="radio" name="shareIdentifying" value="yes" checked={v.shareIdentifying === 'yes'} />{' '}
            Identifying details, as far as the young person’s consent allows
          </label>
          {covering.length ? (
            <div class="usa-hint">
              <p>Active consents that allow identifying details:</p>
              <ul>
                {covering.map((k) => (
                  <li>
                    {k.name}:{' '}
                    {k.categories.map((cat) => CATEGORY_NAMES[cat].split(':')[0]!.toLowerCase()).join(', ')},
                    until the end of {deps.rules.calendar.formatDate(addDays(k.expiresOn, -1))}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p class="usa-hint">
              No active consent allows identifying details.{' '}
              <a href={`/staff/cases/${data.caseId}/consents`}>Record one</a> if the young person agrees, or
              refer without them.
            </p>
          )}
        </fieldset>
        <label for="message">Message to the organization (optional)</label>
        <p class="usa-hint" id="message-hint">
          Kept encrypted. For a referral without identifying details, do not write a name, contact details or
          anything else that identifies the young person.
        </p>
        <textarea
          id="message"
          name="message"
          rows={4}
          cols={40}
          maxlength={MESSAGE_MAX}
          aria-describedby="message-hint"
        >
          {v.message}
        </textarea>
        <p>
          <button type="submit" name="send" value="yes">
            Send the referral
          </button>
          <button type="submit" name="send" value="no" class="btn alt">
            Save as a draft
          </button>
        </p>
      </StaffForm>
    ) : null}
    <OutsideSection
      deps={deps}
      frame={frame}
      caseId={data.caseId}
      mayWrite={mayWrite}
      outside={outside}
      services={services}
      values={outsideValues}
      errors={errors}
    />
  </StaffLayout>
);
