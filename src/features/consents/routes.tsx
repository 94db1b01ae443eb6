/**
 * The case's Consents tab (`/staff/cases/:id/consents`): what the young person agreed to share, with
 * whom, for what, how and until when; recording a consent; revoking one; and a printable consent form
 * in plain language (`/staff/cases/:id/consents/:consentId/print`). Every page says that consent is
 * never a condition of service. Thin: every read and change goes through `consents.ts`, audited there.
 *
 * A case outside the person's regions answers 404, like a missing one.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import { Choice, Success, formList, formText, readForm, type FieldError } from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { CaseTabs, forbiddenPage, guardCasePage, notFoundPage } from '../cases/views/layout.tsx';
import {
  CATEGORY_NAMES,
  CATEGORY_PLAIN,
  CONSENT_STATE_NAMES,
  METHOD_NAMES,
  activeOrganizations,
  addDays,
  addYears,
  consentForPrint,
  listConsents,
  localToday,
  recordConsent,
  revokeConsent,
  type ConsentInput,
  type ConsentView,
} from './service.ts';
import { CaseError } from '../cases/core.ts';
import { caseContext } from '../referrals/api.ts';
import { CONSENT_CATEGORIES } from '../cases/tables.ts';

export const NEVER_A_CONDITION: FC<{ name: string }> = ({ name }) => (
  <div class="flag" id="condition-of-service">
    <p>
      <strong>Consent is never a condition of service.</strong> {name} gets the same help whether or not they
      agree to share anything, and can take back (revoke) a consent at any time.
    </p>
  </div>
);

// ---------------------------------------------------------------------------------------------------
// The Consents tab

interface ConsentValues {
  organizationId: string;
  purpose: string;
  categories: string[];
  method: string;
  witness: string;
  startsOn: string;
  expiresOn: string;
}

const DONE: Record<string, string> = {
  recorded: 'Consent recorded.',
  revoked: 'Consent revoked. The organisation no longer sees what it covered.',
};

const ConsentCard: FC<{
  deps: AppDeps;
  consent: ConsentView;
  caseId: string;
  frame: StaffFrame;
  mayWrite: boolean;
}> = ({ deps, consent, caseId, frame, mayWrite }) => {
  const last = addDays(consent.expiresOn, -1);
  const live = consent.state === 'active' || consent.state === 'not_started';
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
  <form method="post" action={`/staff/cases/${caseId}/consents`} aria-labelledby="record-h" novalidate>
    <h2 id="record-h">Record a consent</h2>
    <p class="hint">
      Explain in plain words what would be shared, with whom and why, and that saying no changes nothing about
      the help they get. Record only what the young person agreed to. Print the form for them to keep.
    </p>
    <CsrfField token={frame.csrf} />
    <Choice
      id="organizationId"
      label="Organisation they agree to share with"
      placeholder="Choose an organisation"
      options={organizations.map((o) => ({ value: o.id, label: o.name }))}
      selected={values.organizationId}
    />
    <Choice
      id="purpose"
      label="What for"
      placeholder="Choose a purpose"
      options={deps.rules.vocabularies.consentPurposes.map((p) => ({ value: p.code, label: p.label }))}
      selected={values.purpose}
    />
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
  </form>
);

function emptyValues(deps: AppDeps): ConsentValues {
  const today = localToday(caseContext(deps));
  return {
    organizationId: '',
    purpose: '',
    categories: [],
    method: '',
    witness: '',
    startsOn: today,
    expiresOn: addYears(today, 1),
  };
}

async function consentsPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values?: ConsentValues; status: ContentfulStatusCode } = {
    errors: [],
    status: 200,
  },
): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'cases.read',
    'Regional navigators and state administrators see cases.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const caseId = (c.req.param('id') ?? '').toLowerCase();
  let data;
  try {
    data = await listConsents(caseContext(deps), actor, caseId, requestOrigin(c));
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found')
      return notFoundPage(c, frame, error.message, '/staff');
    throw error;
  }
  const row = await deps.db
    .selectFrom('cases')
    .select('region_id')
    .where('id', '=', data.caseId)
    .executeTakeFirst();
  const mayWrite = can(actor, 'cases.write', { regionId: row?.region_id ?? null });
  const organizations = mayWrite && data.caseOpen ? await activeOrganizations(deps.db) : [];
  const done = state.status === 200 ? (DONE[c.req.query('done') ?? ''] ?? null) : null;
  const live = data.consents.filter((k) => k.state === 'active' || k.state === 'not_started');
  const past = data.consents.filter((k) => !(k.state === 'active' || k.state === 'not_started'));
  return renderPage(
    c,
    <StaffLayout frame={frame} title={`Consents: ${data.chosenName}`}>
      <CaseTabs caseId={data.caseId} current="consents" label={data.chosenName} />
      <ErrorSummary errors={state.errors} />
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
          values={state.values ?? emptyValues(deps)}
        />
      ) : mayWrite ? (
        <p>The case is closed: no new consent can be recorded. A consent can still be revoked.</p>
      ) : null}
    </StaffLayout>,
    state.status,
  );
}

async function recordAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators record consents.');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const caseId = c.req.param('id') ?? '';
  const form = await readForm(c);
  const values: ConsentValues = {
    organizationId: formText(form, 'organizationId').trim(),
    purpose: formText(form, 'purpose'),
    categories: formList(form, 'categories'),
    method: formText(form, 'method'),
    witness: formText(form, 'witness'),
    startsOn: formText(form, 'startsOn'),
    expiresOn: formText(form, 'expiresOn'),
  };
  const input: ConsentInput = { ...values };
  try {
    await recordConsent(caseContext(deps), actor, caseId, input, requestOrigin(c));
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFoundPage(c, frame, error.message, '/staff');
      case 'forbidden':
        return forbiddenPage(c, frame, error.message, '/staff');
      case 'conflict':
      case 'invalid':
        return consentsPage(c, deps, {
          errors: [{ field: error.field ?? 'record-h', message: error.message }],
          values,
          status: error.code === 'conflict' ? 409 : 400,
        });
    }
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/consents?done=recorded`, 303);
}

async function revokeAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators revoke consents.');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const caseId = c.req.param('id') ?? '';
  try {
    await revokeConsent(caseContext(deps), actor, c.req.param('consentId') ?? '', requestOrigin(c), caseId);
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFoundPage(c, frame, error.message, '/staff');
      case 'forbidden':
        return forbiddenPage(c, frame, error.message, '/staff');
      default:
        return consentsPage(c, deps, {
          errors: [{ field: 'condition-of-service', message: error.message }],
          status: error.code === 'conflict' ? 409 : 400,
        });
    }
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/consents?done=revoked`, 303);
}

// ---------------------------------------------------------------------------------------------------
// The printable form

const PRINT_CSS =
  '@media print{.noprint,form{display:none}main{max-width:none;padding:0}body{font-size:12pt}a{color:inherit;text-decoration:none}.sign{break-inside:avoid}}' +
  '.sign p{margin:1.5rem 0 .25rem;border-bottom:1px solid #000;min-height:1.5rem}.sign .hint{border:0;margin:0 0 .75rem}';

const PRINT_JS =
  "var b=document.getElementById('print-now');if(b){b.hidden=false;b.addEventListener('click',function(){window.print()})}";

async function printPage(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'cases.read',
    'Regional navigators and state administrators see cases.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const caseId = (c.req.param('id') ?? '').toLowerCase();
  let data;
  try {
    data = await consentForPrint(
      caseContext(deps),
      actor,
      caseId,
      c.req.param('consentId') ?? '',
      requestOrigin(c),
    );
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found')
      return notFoundPage(c, frame, error.message, '/staff');
    throw error;
  }
  const k = data.consent;
  const last = deps.rules.calendar.formatDate(addDays(k.expiresOn, -1));
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Agreement to share information">
      <style nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      <div class="noprint">
        <p>
          <a href={`/staff/cases/${caseId}/consents`}>Back to the consents</a>
        </p>
        <p>
          Use your browser’s Print command (Ctrl+P, or Cmd+P on a Mac). The printout names the young person:
          give it to them or keep it safe. Printing is recorded in the audit log.
        </p>
        <button type="button" id="print-now" hidden>
          Print this form
        </button>
        <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: PRINT_JS }} />
      </div>
      {k.state !== 'active' && k.state !== 'not_started' ? (
        <div class="flag">
          <p>
            <strong>
              This agreement has {k.state === 'revoked' ? 'been taken back (revoked)' : 'ended'}. Nothing is
              shared under it any more.
            </strong>{' '}
            This copy is for the record.
          </p>
        </div>
      ) : null}
      <p>
        This form says what you, <strong>{data.chosenName}</strong>, have agreed that your navigator may share
        about you: with whom, what for, and until when.
      </p>
      <h2>You choose</h2>
      <ul>
        <li>
          <strong>Saying no will not change the help you get.</strong> Consent is never a condition of
          service.
        </li>
        <li>
          <strong>You can change your mind at any time.</strong> Tell your navigator, by phone, text or in
          person, that you want to take back this agreement. From then on {k.organization.name} will no longer
          see these details through No Wrong Door.
        </li>
        <li>
          This agreement ends by itself after {last}. To keep sharing after that, you would be asked again.
        </li>
      </ul>
      <h2>Who can see it</h2>
      <p>{k.organization.name}</p>
      <h2>What for</h2>
      <p>{k.purposeLabel}</p>
      <h2>What they can see</h2>
      <ul>
        {k.categories.map((cat) => (
          <li>{CATEGORY_PLAIN[cat]}</li>
        ))}
      </ul>
      <p>Nothing else. Everything else stays with your navigator.</p>
      <h2>For how long</h2>
      <p>
        From {deps.rules.calendar.formatDate(k.startsOn)} until the end of {last}.
      </p>
      <h2>How you agreed</h2>
      {k.method === 'written' ? (
        <p>By signing below.</p>
      ) : (
        <p>You said yes out loud. {k.witness ? `${k.witness} heard you agree.` : null}</p>
      )}
      <section class="sign" aria-label="Signatures">
        {k.method === 'written' ? (
          <>
            <p aria-hidden="true"></p>
            <p class="hint">Your signature and the date</p>
          </>
        ) : null}
        <p aria-hidden="true"></p>
        <p class="hint">Navigator’s signature and the date</p>
      </section>
      <p class="hint">
        Reference {k.id.slice(0, 8)}. Questions about your information: ask your navigator. Day One, free at
        any time: {deps.geography.get().statewideLine.call?.display ?? ''}.
      </p>
    </StaffLayout>,
  );
}

export const consentsPages: Feature = (app, deps, policies) => {
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  policies.declare('GET', '/staff/cases/:id/consents', read);
  policies.declare('POST', '/staff/cases/:id/consents', write);
  policies.declare('GET', '/staff/cases/:id/consents/:consentId/print', read);
  policies.declare('POST', '/staff/cases/:id/consents/:consentId/revoke', write);
  app.get('/staff/cases/:id/consents', (c) => consentsPage(c, deps));
  app.post('/staff/cases/:id/consents', (c) => recordAction(c, deps));
  app.get('/staff/cases/:id/consents/:consentId/print', (c) => printPage(c, deps));
  app.post('/staff/cases/:id/consents/:consentId/revoke', (c) => revokeAction(c, deps));
};
