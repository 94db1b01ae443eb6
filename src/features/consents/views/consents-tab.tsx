/**
 * The case's Consents tab: the consents (active, then ended and revoked), each with its printable form
 * and, for who may change the case, a way to revoke it; and the form to record a consent.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Success, type FieldError } from '../../../web/page.tsx';
import { StaffForm, codeOptions, namedOptions } from '../../../web/forms.tsx';
import { CaseTabs } from '../../cases/index.ts';
import { CONSENT_CATEGORIES } from '../../cases/index.ts';
import { CATEGORY_NAMES, CONSENT_STATE_NAMES, METHOD_NAMES, addDays } from '../rules.ts';
import type { ConsentView } from '../service.ts';

/** A consent that is, or will be, in force. */
const isLive = (k: ConsentView) => k.state === 'active' || k.state === 'not_started';

export const NEVER_A_CONDITION: FC<{ name: string }> = ({ name }) => (
  <div class="flag" id="condition-of-service">
    <p>
      <strong>Consent is never a condition of service.</strong> {name} gets the same help whether or not they
      agree to share anything, and can take back (revoke) a consent at any time.
    </p>
  </div>
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
    <li class="card" id={`consent-${consent.id}`}>
      <h3>
        {consent.organization.name} ({CONSENT_STATE_NAMES[consent.state]})
      </h3>
      <dl>
        <dt>What for</dt>
        <dd>{consent.purposeLabel}</dd>
        <dt>What it lets them see</dt>
        <dd>
          <ul>
            {consent.categories.map((c) => (
              <li>{CATEGORY_NAMES[c]}</li>
            ))}
          </ul>
        </dd>
        <dt>How it was given</dt>
        <dd>
          {METHOD_NAMES[consent.method]}
          {consent.witness ? `, witnessed by ${consent.witness}` : ''}
        </dd>
        <dt>When</dt>
        <dd>
          From {deps.rules.calendar.formatDate(consent.startsOn)} to the end of{' '}
          {deps.rules.calendar.formatDate(last)}
        </dd>
        <dt>Recorded</dt>
        <dd>by {consent.recordedBy}</dd>
        {consent.revokedAt ? (
          <>
            <dt>Revoked</dt>
            <dd>by {consent.revokedBy}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <a href={`/staff/cases/${caseId}/consents/${consent.id}/print`}>
          Print the consent form<span class="skip"> for {consent.organization.name}</span>
        </a>
      </p>
      {mayWrite && live ? (
        <form method="post" action={`/staff/cases/${caseId}/consents/${consent.id}/revoke`}>
          <CsrfField token={frame.csrf} />
          <p class="hint">
            When the young person takes their consent back, revoke it: {consent.organization.name} stops
            seeing what it covered at once.
          </p>
          <button type="submit" class="btn alt">
            Revoke this consent<span class="skip"> for {consent.organization.name}</span>
          </button>
        </form>
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
      <p class="hint">
        Explain in plain words what would be shared, with whom and why, and that saying no changes nothing
        about the help they get. Record only what the young person agreed to. Print the form for them to keep.
      </p>
    }
    choices={[
      [
        'organizationId',
        'Organisation they agree to share with',
        'Choose an organisation',
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
    <fieldset id="categories">
      <legend>What the organisation may see</legend>
      <p class="hint">Only what they agreed to. Anything not ticked stays with you.</p>
      {CONSENT_CATEGORIES.map((c) => (
        <label>
          <input type="checkbox" name="categories" value={c} checked={values.categories.includes(c)} />{' '}
          {CATEGORY_NAMES[c]}
        </label>
      ))}
    </fieldset>
    <fieldset id="method">
      <legend>How they gave consent</legend>
      <label>
        <input type="radio" name="method" value="written" checked={values.method === 'written'} />{' '}
        {METHOD_NAMES.written}
      </label>
      <label>
        <input type="radio" name="method" value="verbal" checked={values.method === 'verbal'} />{' '}
        {METHOD_NAMES.verbal}
      </label>
      <p class="hint">
        Victim service providers funded under VAWA, VOCA or FVPSA need written, signed consent to share
        identifying information. Record verbal consent only where your organisation’s rules allow it.
      </p>
    </fieldset>
    <label for="witness">Witness (required for verbal consent)</label>
    <p class="hint" id="witness-hint">
      The name of the person who heard them agree. Kept encrypted.
    </p>
    <input
      id="witness"
      name="witness"
      type="text"
      maxlength={200}
      value={values.witness}
      aria-describedby="witness-hint"
    />
    <label for="startsOn">Starts on</label>
    <input id="startsOn" name="startsOn" type="date" value={values.startsOn} />
    <label for="expiresOn">Ends on</label>
    <p class="hint" id="expires-hint">
      Sharing stops at the start of this day. Consent always ends: at most one year after it starts.
    </p>
    <input
      id="expiresOn"
      name="expiresOn"
      type="date"
      value={values.expiresOn}
      aria-describedby="expires-hint"
    />
    <p>
      <button type="submit">Record the consent</button>
    </p>
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
      <CaseTabs caseId={data.caseId} current="consents" label={data.chosenName} />
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <NEVER_A_CONDITION name={data.chosenName} />
      <p>
        An organisation sees identifying details about {data.chosenName} only while an active consent names it
        and covers those details. Without one, a referral goes without a name or contact details. Opening this
        page is recorded in the audit log.
      </p>
      <h2>Active consents</h2>
      {live.length ? (
        <ul class="plain">
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
          <ul class="plain">
            {past.map((k) => (
              <ConsentCard deps={deps} consent={k} caseId={data.caseId} frame={frame} mayWrite={false} />
            ))}
          </ul>
        </>
      ) : null}
      {mayWrite && data.caseOpen ? (
        <ConsentForm
          caseId={data.caseId}
          frame={frame}
          deps={deps}
          organizations={organizations}
          values={values}
        />
      ) : mayWrite ? (
        <p>The case is closed: no new consent can be recorded. A consent can still be revoked.</p>
      ) : null}
    </StaffLayout>
  );
};
