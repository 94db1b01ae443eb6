/**
 * The case's Consents tab: the consents (active, then ended and revoked), each with its printable form
 * and, for who may change the case, a way to revoke it; and the form to record a consent.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Success, type FieldError } from '../../../web/page.tsx';
import { Input, StaffForm, Ticks, codeOptions, labelledOptions, namedOptions } from '../../../web/forms.tsx';
import { Actions, Alert, Button, SrOnly, SummaryList, Tag } from '../../../web/ui.tsx';
import { CaseTabs } from '../../cases/index.ts';
import { CONSENT_CATEGORIES } from '../../cases/index.ts';
import { CATEGORY_NAMES, CONSENT_STATE_NAMES, METHOD_NAMES, addDays } from '../rules.ts';
import type { ConsentView } from '../service.ts';

/** A consent that is, or will be, in force. */
const isLive = (k: ConsentView) => k.state === 'active' || k.state === 'not_started';

export const NEVER_A_CONDITION: FC<{ name: string }> = ({ name }) => (
  <Alert type="info" slim id="condition-of-service">
    <strong>Consent is never a condition of service.</strong> {name} gets the same help whether or not they
    agree to share anything, and can take back (revoke) a consent at any time.
  </Alert>
);

export interface ConsentValues {
  organizationId: string;
  purpose: string;
  categories: string[];
  method: string;
  witness: string;
  startsOn: string;
  expiresOn: string;
}

const ConsentCard: FC<{
  deps: AppDeps;
  consent: ConsentView;
  caseId: string;
  frame: StaffFrame;
  mayWrite: boolean;
}> = ({ deps, consent, caseId, frame, mayWrite }) => {
  const last = addDays(consent.expiresOn, -1);
  const live = isLive(consent);
  return (
    <li class="nwd-panel" id={`consent-${consent.id}`}>
      <h3 class="margin-top-0">
        {consent.organization.name}{' '}
        <Tag tone={live ? 'success' : 'base'}>{CONSENT_STATE_NAMES[consent.state]}</Tag>
      </h3>
      <SummaryList
        label={`Consent for ${consent.organization.name}`}
        rows={[
          ['What for', consent.purposeLabel],
          [
            'What it lets them see',
            <ul class="usa-list margin-0">
              {consent.categories.map((c) => (
                <li>{CATEGORY_NAMES[c]}</li>
              ))}
            </ul>,
          ],
          [
            'How it was given',
            `${METHOD_NAMES[consent.method]}${consent.witness ? `, witnessed by ${consent.witness}` : ''}`,
          ],
          [
            'When',
            `From ${deps.rules.calendar.formatDate(consent.startsOn)} to the end of ${deps.rules.calendar.formatDate(last)}`,
          ],
          ['Recorded', `by ${consent.recordedBy}`],
          consent.revokedAt ? ['Revoked', `by ${consent.revokedBy}`] : null,
        ]}
      />
      <Actions>
        <a
          class="usa-button usa-button--outline"
          href={`/staff/cases/${caseId}/consents/${consent.id}/print`}
        >
          Print the consent form<SrOnly> for {consent.organization.name}</SrOnly>
        </a>
        {mayWrite && live ? (
          <form method="post" action={`/staff/cases/${caseId}/consents/${consent.id}/revoke`}>
            <CsrfField token={frame.csrf} />
            <Button variant="danger">
              Revoke this consent<SrOnly> for {consent.organization.name}</SrOnly>
            </Button>
          </form>
        ) : null}
      </Actions>
      {mayWrite && live ? (
        <p class="nwd-muted margin-0">
          When the young person takes their consent back, revoke it: {consent.organization.name} stops seeing
          what it covered at once.
        </p>
      ) : null}
    </li>
  );
};

const ConsentForm: FC<{
  caseId: string;
  frame: StaffFrame;
  deps: AppDeps;
  organizations: { id: string; name: string }[];
  values: ConsentValues;
}> = ({ caseId, frame, deps, organizations, values }) => (
  <StaffForm
    action={`/staff/cases/${caseId}/consents`}
    heading={['record-h', 'Record a consent']}
    csrf={frame.csrf}
    hint={
      <p class="usa-hint">
        Explain in plain words what would be shared, with whom and why, and that saying no changes nothing
        about the help they get. Record only what the young person agreed to. Print the form for them to keep.
      </p>
    }
    choices={[
      [
        'organizationId',
        'Organization they agree to share with',
        'Choose an organization',
        namedOptions(organizations),
        values.organizationId,
      ],
      [
        'purpose',
        'What for',
        'Choose a purpose',
        codeOptions(deps.rules.vocabularies.consentPurposes),
        values.purpose,
      ],
    ]}
  >
    <fieldset id="categories" class="usa-fieldset usa-form-group">
      <legend class="usa-legend">What the organization may see</legend>
      <div class="usa-hint">Only what they agreed to. Anything not ticked stays with you.</div>
      <Ticks
        type="checkbox"
        name="categories"
        options={labelledOptions(CATEGORY_NAMES, CONSENT_CATEGORIES)}
        checked={(c) => values.categories.includes(c)}
      />
    </fieldset>
    <fieldset id="method" class="usa-fieldset usa-form-group" aria-describedby="method-hint">
      <legend class="usa-legend">How they gave consent</legend>
      <div class="usa-hint" id="method-hint">
        Victim service providers funded under VAWA, VOCA or FVPSA need written, signed consent to share
        identifying information. Record verbal consent only where your organization’s rules allow it.
      </div>
      <Ticks
        type="radio"
        name="method"
        options={labelledOptions(METHOD_NAMES, ['written', 'verbal'])}
        checked={(m) => values.method === m}
      />
    </fieldset>
    <Input
      id="witness"
      label="Witness (required for verbal consent)"
      hint="The name of the person who heard them agree. Kept encrypted."
      maxlength={200}
      value={values.witness}
    />
    <Input id="startsOn" label="Starts on" type="date" value={values.startsOn} />
    <Input
      id="expiresOn"
      label="Ends on"
      hint="Sharing stops at the start of this day. Consent always ends: at most one year after it starts."
      hintId="expires-hint"
      type="date"
      value={values.expiresOn}
    />
    <Actions>
      <Button>Record the consent</Button>
    </Actions>
  </StaffForm>
);

export interface ConsentsTabData {
  caseId: string;
  chosenName: string;
  caseOpen: boolean;
  mayWrite: boolean;
  consents: ConsentView[];
}

export const ConsentsTab: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  data: ConsentsTabData;
  organizations: { id: string; name: string }[];
  errors: FieldError[];
  done: string | null;
  values: ConsentValues;
}> = ({ deps, frame, data, organizations, errors, done, values }) => {
  const { mayWrite } = data;
  const live = data.consents.filter(isLive);
  const past = data.consents.filter((k) => !isLive(k));
  return (
    <StaffLayout frame={frame} title={`Consents: ${data.chosenName}`}>
      <div class="nwd-case-head">
        <CaseTabs caseId={data.caseId} current="consents" label={data.chosenName} />
      </div>
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <NEVER_A_CONDITION name={data.chosenName} />
      <p>
        An organization sees identifying details about {data.chosenName} only while an active consent names it
        and covers those details. Without one, a referral goes without a name or contact details. Opening this
        page is recorded in the audit log.
      </p>
      <h2>Active consents</h2>
      {live.length ? (
        <ul class="usa-list usa-list--unstyled">
          {live.map((k) => (
            <ConsentCard deps={deps} consent={k} caseId={data.caseId} frame={frame} mayWrite={mayWrite} />
          ))}
        </ul>
      ) : (
        <p>None. Referrals from this case go de-identified.</p>
      )}
      {past.length ? (
        <>
          <h2>Ended and revoked consents</h2>
          <ul class="usa-list usa-list--unstyled">
            {past.map((k) => (
              <ConsentCard deps={deps} consent={k} caseId={data.caseId} frame={frame} mayWrite={false} />
            ))}
          </ul>
        </>
      ) : null}
      {mayWrite && data.caseOpen ? (
        <div class="nwd-panel">
          <ConsentForm
            caseId={data.caseId}
            frame={frame}
            deps={deps}
            organizations={organizations}
            values={values}
          />
        </div>
      ) : mayWrite ? (
        <Alert type="info" slim>
          The case is closed: no new consent can be recorded. A consent can still be revoked.
        </Alert>
      ) : null}
    </StaffLayout>
  );
};
