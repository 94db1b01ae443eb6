/**
 * Referral pages:
 * - the case's Referrals tab (`/staff/cases/:id/referrals`): the case's referrals and what each shows its
 *   organisation today, and the form to refer (de-identified, or with identifying details when an
 *   active consent covers the organisation);
 * - the referrals inbox (`/staff/referrals`): received by the person's organisation, or sent from their
 *   regions (navigators), with status filters and the person's referral notifications;
 * - one referral (`/staff/referrals/:id`): for the receiving organisation only what consent allows
 *   (re-checked at every read), the message, the history, and the steps the viewer may take.
 *
 * Thin: every read and change goes through `referrals.ts`, audited there. A referral or case the person
 * may not see answers 404, like a missing one.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can, type Actor } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import { Choice, HistoryTable, Success, Time, formText, readForm, type FieldError } from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { AGE_BAND_NAMES, durationInWords } from '../queue/service.ts';
import { CaseTabs, forbiddenPage, guardCasePage, notFoundPage } from '../cases/views/layout.tsx';
import { CATEGORY_NAMES, activeOrganizations, coveringOrganizations, addDays } from '../consents/service.ts';
import { CaseError, caseScopeOf } from '../cases/core.ts';
import {
  ACTION_NAMES,
  LIST_VIEWS,
  MESSAGE_MAX,
  SHARING_NAMES,
  STATUS_NAMES,
  createReferral,
  listCaseReferrals,
  listReferrals,
  openReferral,
  reasonLabel,
  reasonsFor,
  transitionReferral,
  type ReferralBox,
  type ReferralListView,
  type ReferralSummary,
  type ReferralView,
  type SharedDetails,
} from './service.ts';
import { referralContext } from './api.ts';
import type { ReferralStatus } from '../cases/tables.ts';
import { labelOf } from '../cases/vocabularies.ts';

function statusText(deps: AppDeps, r: { status: ReferralStatus; statusReason: string | null }): string {
  const reason = reasonLabel(r.status, r.statusReason, deps.rules.vocabularies.declineReasons);
  return reason ? `${STATUS_NAMES[r.status]}: ${reason}` : STATUS_NAMES[r.status];
}

// ---------------------------------------------------------------------------------------------------
// The case's Referrals tab

interface ReferralValues {
  toOrganizationId: string;
  serviceType: string;
  shareIdentifying: string;
  message: string;
}

const EMPTY: ReferralValues = { toOrganizationId: '', serviceType: '', shareIdentifying: '', message: '' };

const CASE_DONE: Record<string, string> = {
  sent: 'Referral sent. The organisation has been told, and you will be told when they answer.',
  draft: 'Referral saved as a draft. Open it to send it.',
};

async function caseReferralsPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: ReferralValues; status: ContentfulStatusCode } = {
    errors: [],
    values: EMPTY,
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
  const ctx = referralContext(deps);
  let data;
  try {
    data = await listCaseReferrals(ctx, actor, c.req.param('id') ?? '', requestOrigin(c));
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
  const mayWrite = can(actor, 'cases.write', { regionId: row?.region_id ?? null }) && data.caseOpen;
  const [organizations, covering] = mayWrite
    ? await Promise.all([activeOrganizations(deps.db), coveringOrganizations(ctx, data.caseId)])
    : [[], []];
  const done = state.status === 200 ? (CASE_DONE[c.req.query('done') ?? ''] ?? null) : null;
  const v = state.values;
  return renderPage(
    c,
    <StaffLayout frame={frame} title={`Referrals: ${data.chosenName}`}>
      <CaseTabs caseId={data.caseId} current="referrals" label={data.chosenName} />
      <ErrorSummary errors={state.errors} />
      <Success message={done} />
      <p>
        Each referral tells an organisation what service {data.chosenName} needs. It shows identifying details
        only while an active consent of theirs covers that organisation; otherwise it goes without a name or
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
            <th scope="col">Organisation</th>
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
                  <span class="skip"> — open this referral</span>
                </a>
              </th>
              <td>{r.serviceLabel}</td>
              <td>{statusText(deps, r)}</td>
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
        <form
          method="post"
          action={`/staff/cases/${data.caseId}/referrals`}
          aria-labelledby="refer-h"
          novalidate
        >
          <h2 id="refer-h">Make a referral</h2>
          <CsrfField token={frame.csrf} />
          <Choice
            id="toOrganizationId"
            label="Organisation"
            placeholder="Choose an organisation"
            options={organizations.map((o) => ({ value: o.id, label: o.name }))}
            selected={v.toOrganizationId}
          />
          <Choice
            id="serviceType"
            label="Service needed"
            placeholder="Choose a service"
            options={deps.rules.vocabularies.services.map((s) => ({ value: s.code, label: s.label }))}
            selected={v.serviceType}
          />
          <fieldset id="shareIdentifying">
            <legend>What the organisation sees</legend>
            <label>
              <input type="radio" name="shareIdentifying" value="no" checked={v.shareIdentifying !== 'yes'} />{' '}
              No identifying details: service, age band, county and region only
            </label>
            <label>
              <input
                type="radio"
                name="shareIdentifying"
                value="yes"
                checked={v.shareIdentifying === 'yes'}
              />{' '}
              Identifying details, as far as the young person’s consent allows
            </label>
            {covering.length ? (
              <div class="hint">
                <p>Active consents that allow identifying details:</p>
                <ul>
                  {covering.map((k) => (
                    <li>
                      {k.name}:{' '}
                      {k.categories.map((cat) => CATEGORY_NAMES[cat].split(':')[0]!.toLowerCase()).join(', ')}
                      , until the end of {deps.rules.calendar.formatDate(addDays(k.expiresOn, -1))}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p class="hint">
                No active consent allows identifying details.{' '}
                <a href={`/staff/cases/${data.caseId}/consents`}>Record one</a> if the young person agrees, or
                refer without them.
              </p>
            )}
          </fieldset>
          <label for="message">Message to the organisation (optional)</label>
          <p class="hint" id="message-hint">
            Kept encrypted. For a referral without identifying details, do not write a name, contact details
            or anything else that identifies the young person.
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
        </form>
      ) : null}
    </StaffLayout>,
    state.status,
  );
}

async function createAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators make referrals.');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const caseId = c.req.param('id') ?? '';
  const form = await readForm(c);
  const values: ReferralValues = {
    toOrganizationId: formText(form, 'toOrganizationId').trim(),
    serviceType: formText(form, 'serviceType'),
    shareIdentifying: formText(form, 'shareIdentifying'),
    message: formText(form, 'message'),
  };
  const send = formText(form, 'send') === 'yes';
  let id: string;
  try {
    const created = await createReferral(
      referralContext(deps),
      actor,
      caseId,
      {
        toOrganizationId: values.toOrganizationId,
        serviceType: values.serviceType,
        shareIdentifying: values.shareIdentifying === 'yes',
        message: values.message,
        send,
      },
      requestOrigin(c),
    );
    id = created.id;
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFoundPage(c, frame, error.message, '/staff');
      case 'forbidden':
        return forbiddenPage(c, frame, error.message, '/staff');
      default:
        return caseReferralsPage(c, deps, {
          errors: [{ field: error.field ?? 'refer-h', message: error.message }],
          values,
          status: error.code === 'conflict' ? 409 : 400,
        });
    }
  }
  return c.redirect(
    send ? `/staff/cases/${caseId.toLowerCase()}/referrals?done=sent` : `/staff/referrals/${id}?done=draft`,
    303,
  );
}

// ---------------------------------------------------------------------------------------------------
// The inbox

const BOX_NAMES: Record<ReferralBox, string> = {
  received: 'Received by your organisation',
  sent: 'Sent from your regions',
};

function sentFromRegions(actor: Actor): boolean {
  const scope = caseScopeOf(actor, 'cases.read');
  return scope !== null && (scope.all || scope.regions.length > 0);
}

const InboxTable: FC<{ deps: AppDeps; box: ReferralBox; items: ReferralSummary[]; now: Date }> = ({
  deps,
  box,
  items,
  now,
}) => (
  <table id="inbox" tabindex={0}>
    <caption>
      {items.length === 0
        ? 'No referrals match'
        : `${items.length} ${items.length === 1 ? 'referral' : 'referrals'}, longest waiting first`}
    </caption>
    <thead>
      <tr>
        <th scope="col">Sent</th>
        <th scope="col">Service</th>
        <th scope="col">{box === 'received' ? 'From' : 'To'}</th>
        <th scope="col">Age</th>
        <th scope="col">County</th>
        <th scope="col">Status</th>
      </tr>
    </thead>
    <tbody>
      {items.map((r) => (
        <tr>
          <th scope="row">
            <a href={`/staff/referrals/${r.id}`}>
              {r.sentAt ? `${durationInWords(now.getTime() - r.sentAt.getTime())} ago` : 'Not sent (draft)'}
              <span class="skip"> — open this referral for {r.serviceLabel.toLowerCase()}</span>
            </a>
          </th>
          <td>{r.serviceLabel}</td>
          <td>{box === 'received' ? r.fromRegion.name : r.toOrganization.name}</td>
          <td>{AGE_BAND_NAMES[r.ageBand]}</td>
          <td>{r.countyName ?? 'Not known'}</td>
          <td>
            {statusText(deps, r)}
            {r.status === 'sent' && r.remindAt && r.remindAt.getTime() <= now.getTime() ? ' (overdue)' : ''}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

async function inboxPage(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'referrals.respond',
    'Provider staff, organisation administrators and navigators answer referrals.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const errors: FieldError[] = [];
  const boxes: ReferralBox[] = sentFromRegions(actor) ? ['received', 'sent'] : ['received'];
  const rawBox = c.req.query('box') ?? '';
  const rawView = c.req.query('view') ?? '';
  let box: ReferralBox = 'received';
  if (rawBox) {
    if ((boxes as string[]).includes(rawBox)) box = rawBox as ReferralBox;
    else errors.push({ field: 'box', message: 'Choose which referrals to show from the list.' });
  }
  let view: ReferralListView = 'open';
  if (rawView) {
    if (Object.hasOwn(LIST_VIEWS, rawView)) view = rawView as ReferralListView;
    else errors.push({ field: 'view', message: 'Choose a status from the list.' });
  }
  const now = new Date();
  const items = errors.length ? [] : await listReferrals(referralContext(deps), actor, { box, view });
  const unread = await deps.db
    .selectFrom('staff_notifications')
    .select(['id', 'text', 'link', 'created_at'])
    .where('user_id', '=', actor.userId)
    .where('read_at', 'is', null)
    .where('link', 'like', '/staff/referrals/%')
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const org = await deps.db
    .selectFrom('member_organizations')
    .select('name')
    .where('id', '=', actor.organizationId)
    .executeTakeFirst();
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Referrals">
      <ErrorSummary errors={errors} />
      <p>
        Referrals to {org?.name ?? 'your organisation'} show what service is needed, the young person’s age
        band and county, and identifying details only as far as their consent allows. Opening one is recorded
        in the audit log.
      </p>
      <section aria-labelledby="notes-h">
        <h2 id="notes-h">Referral notifications</h2>
        {unread.length ? (
          <ul>
            {unread.map((n) => (
              <li>
                {n.link ? <a href={n.link}>{n.text}</a> : n.text} · <Time deps={deps} at={n.created_at} />
              </li>
            ))}
          </ul>
        ) : (
          <p>No unread referral notifications.</p>
        )}
      </section>
      <form method="get" action="/staff/referrals" aria-labelledby="filter-h" novalidate>
        <h2 id="filter-h">Show referrals</h2>
        <div class="filters">
          {boxes.length > 1 ? (
            <div>
              <label for="box">Which</label>
              <select id="box" name="box">
                {boxes.map((b) => (
                  <option value={b} selected={box === b}>
                    {BOX_NAMES[b]}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div>
            <label for="view">Status</label>
            <select id="view" name="view">
              {(Object.keys(LIST_VIEWS) as ReferralListView[])
                .filter((k) => k !== 'drafts' || box === 'sent')
                .map((k) => (
                  <option value={k} selected={view === k}>
                    {LIST_VIEWS[k]}
                  </option>
                ))}
            </select>
          </div>
        </div>
        <button type="submit">Show</button> <a href="/staff/referrals">Clear filters</a>
      </form>
      <h2>{BOX_NAMES[box]}</h2>
      <InboxTable deps={deps} box={box} items={items} now={now} />
    </StaffLayout>,
    errors.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------
// One referral

const CONTACT_METHODS: Record<string, string> = {
  phone_call: 'Phone call',
  text_message: 'Text message',
  email: 'Email',
  in_person: 'In person',
  through_someone: 'Through someone they trust',
  other: 'Other',
};

const Field: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) => (
  <>
    <dt>{label}</dt>
    <dd>{value === null || value === undefined || value === '' ? 'Not given' : value}</dd>
  </>
);

const SharedView: FC<{ deps: AppDeps; shared: SharedDetails }> = ({ deps, shared }) => {
  const v = deps.rules.vocabularies;
  return (
    <>
      {shared.identity ? (
        <>
          <h3>Who they are</h3>
          <dl>
            <Field label="Chosen name" value={shared.identity.chosenName} />
            <Field label="Legal name" value={shared.identity.legalName} />
            <Field
              label="Date of birth"
              value={
                shared.identity.dateOfBirth
                  ? deps.rules.calendar.formatDate(shared.identity.dateOfBirth)
                  : null
              }
            />
            <Field label="Age" value={shared.identity.age === null ? null : String(shared.identity.age)} />
            <Field label="Pronouns" value={shared.identity.pronouns} />
          </dl>
        </>
      ) : null}
      {shared.contact ? (
        <>
          <h3>How to reach them safely</h3>
          <dl>
            <Field
              label="How"
              value={
                shared.contact.method
                  ? (CONTACT_METHODS[shared.contact.method] ?? shared.contact.method)
                  : null
              }
            />
            <Field label="Contact details" value={shared.contact.value} />
            <Field label="Safe times" value={shared.contact.times} />
            <Field label="Code word" value={shared.contact.codeWord} />
          </dl>
        </>
      ) : null}
      {shared.demographics ? (
        <>
          <h3>Background</h3>
          <dl>
            <Field
              label="Gender"
              value={shared.demographics.genderIdentity
                .map((c) => labelOf(v, 'genderIdentity', c))
                .join(', ')}
            />
            <Field
              label="Race and ethnicity"
              value={shared.demographics.raceEthnicity.map((c) => labelOf(v, 'raceEthnicity', c)).join(', ')}
            />
            <Field
              label="Sexual orientation"
              value={
                shared.demographics.sexualOrientation
                  ? labelOf(v, 'sexualOrientation', shared.demographics.sexualOrientation)
                  : null
              }
            />
            <Field label="Languages" value={shared.demographics.languages.join(', ')} />
            <Field label="Tribal affiliation" value={shared.demographics.tribalAffiliation} />
          </dl>
        </>
      ) : null}
      {shared.services ? (
        <>
          <h3>Services they have received</h3>
          {shared.services.length ? (
            <ul>
              {shared.services.map((s) => (
                <li>
                  {s.label}, {deps.rules.calendar.formatDate(s.deliveredOn)}
                </li>
              ))}
            </ul>
          ) : (
            <p>None recorded.</p>
          )}
        </>
      ) : null}
    </>
  );
};

const DETAIL_DONE: Record<string, string> = {
  draft: 'Saved as a draft. The organisation does not see it until you send it.',
  sent: 'Referral sent. The organisation has been told.',
  accepted: 'Accepted. The sending navigator has been told.',
  declined: 'Declined. The sending navigator has been told.',
  no_response: 'Marked as no answer.',
  in_service: 'Recorded that the service has started.',
  completed: 'Completed.',
  closed: 'Closed.',
  withdrawn: 'Withdrawn.',
};

const StepForms: FC<{
  deps: AppDeps;
  view: ReferralView;
  frame: StaffFrame;
  values: { to: string; reason: string };
}> = ({ deps, view, frame, values }) => (
  <section aria-labelledby="act-h">
    <h2 id="act-h">What to do</h2>
    {view.allowedTransitions.map((to) => {
      const reasons = reasonsFor(to, deps.rules.vocabularies.declineReasons);
      const fieldId = `reason-${to}`;
      return (
        <form method="post" action={`/staff/referrals/${view.id}/transitions`} class="card">
          <CsrfField token={frame.csrf} />
          <input type="hidden" name="to" value={to} />
          {reasons ? (
            <>
              <label for={fieldId}>
                {to === 'completed' ? 'Outcome' : 'Reason'}
                {reasons.required ? '' : ' (optional)'}
              </label>
              <select id={fieldId} name="reason">
                <option value="">{to === 'completed' ? 'Choose the outcome' : 'Choose a reason'}</option>
                {reasons.options.map((o) => (
                  <option value={o.code} selected={values.to === to && values.reason === o.code}>
                    {o.label}
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <button type="submit" class={to === 'withdrawn' || to === 'declined' ? 'btn alt' : undefined}>
            {ACTION_NAMES[to]}
          </button>
        </form>
      );
    })}
  </section>
);

async function referralPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: { to: string; reason: string }; status: ContentfulStatusCode } = {
    errors: [],
    values: { to: '', reason: '' },
    status: 200,
  },
): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'referrals.respond',
    'Provider staff, organisation administrators and navigators answer referrals.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  let view: ReferralView;
  try {
    view = await openReferral(referralContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found')
      return notFoundPage(c, frame, error.message, '/staff/referrals');
    throw error;
  }
  const done = state.status === 200 ? (DETAIL_DONE[c.req.query('done') ?? ''] ?? null) : null;
  const now = new Date();
  return renderPage(
    c,
    <StaffLayout frame={frame} title={`Referral for ${view.serviceLabel.toLowerCase()}`}>
      <ErrorSummary errors={state.errors} />
      <Success message={done} />
      <p>
        <a href="/staff/referrals">Back to referrals</a>
        {view.caseId ? (
          <>
            {' · '}
            <a href={`/staff/cases/${view.caseId}/referrals`}>The case’s referrals</a>
          </>
        ) : null}
      </p>
      <dl id="summary">
        <Field label="Service needed" value={view.serviceLabel} />
        <Field label="To" value={view.toOrganization.name} />
        <Field label="From" value={`${view.fromRegion.name} region`} />
        <Field label="Status" value={statusText(deps, view)} />
        <dt>Sent</dt>
        <dd>{view.sentAt ? <Time deps={deps} at={view.sentAt} /> : 'Not sent yet'}</dd>
        {view.status === 'sent' && view.remindAt ? (
          <>
            <dt>Answer expected by</dt>
            <dd>
              <Time deps={deps} at={view.remindAt} />
              {view.remindAt.getTime() <= now.getTime() ? ' (overdue)' : ''}
            </dd>
          </>
        ) : null}
        <Field label="Age" value={AGE_BAND_NAMES[view.ageBand]} />
        <Field label="County" value={view.countyName ?? 'Not known'} />
      </dl>
      {view.allowedTransitions.length ? (
        <StepForms deps={deps} view={view} frame={frame} values={state.values} />
      ) : null}
      <section aria-labelledby="shared-h">
        <h2 id="shared-h">
          {view.viewer.receiver && !view.viewer.senderReads
            ? 'About the young person'
            : 'What the organisation sees'}
        </h2>
        <p>{SHARING_NAMES[view.sharing]}.</p>
        {view.sharing === 'identifying' && view.consent ? (
          <p class="hint">
            The young person agreed to share{' '}
            {view.consent.categories
              .map((cat) => CATEGORY_NAMES[cat].split(':')[0]!.toLowerCase())
              .join(', ')}{' '}
            with {view.toOrganization.name} until the end of{' '}
            {deps.rules.calendar.formatDate(addDays(view.consent.expiresOn, -1))}. They can take it back at
            any time. Consent is never a condition of service.
          </p>
        ) : null}
        {view.sharing !== 'identifying' && view.viewer.receiver ? (
          <p class="hint">
            To reach the young person, answer the referral: the navigator passes on what the young person
            agrees to.
          </p>
        ) : null}
        {view.shared ? <SharedView deps={deps} shared={view.shared} /> : null}
      </section>
      <section aria-labelledby="message-h">
        <h2 id="message-h">Message</h2>
        {view.message ? (
          view.message
            .split(/\n{2,}|\r\n\r\n/)
            .filter((p) => p.trim())
            .map((p) => <p>{p}</p>)
        ) : view.messageWithheld ? (
          <p>The message is no longer shown: the consent it was written under has ended or was revoked.</p>
        ) : (
          <p>No message.</p>
        )}
      </section>
      <HistoryTable
        deps={deps}
        caption="History"
        entries={view.history.map((h) => ({
          at: h.at,
          what: `${STATUS_NAMES[h.to]}${h.reasonLabel ? `: ${h.reasonLabel}` : ''}`,
          who: `${h.byUserId === actor.userId ? 'You' : h.by}${h.organization ? ` (${h.organization})` : ''}`,
        }))}
      />
    </StaffLayout>,
    state.status,
  );
}

async function transitionAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'referrals.respond',
    'Provider staff, organisation administrators and navigators answer referrals.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const id = c.req.param('id') ?? '';
  const form = await readForm(c);
  const values = { to: formText(form, 'to'), reason: formText(form, 'reason') };
  try {
    await transitionReferral(
      referralContext(deps),
      actor,
      id,
      { to: values.to, reason: values.reason || null },
      requestOrigin(c),
    );
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFoundPage(c, frame, error.message, '/staff/referrals');
      case 'forbidden':
        return forbiddenPage(c, frame, error.message, `/staff/referrals/${id.toLowerCase()}`);
      default:
        return referralPage(c, deps, {
          errors: [
            {
              field: error.field === 'reason' ? `reason-${values.to}` : 'summary',
              message: error.message,
            },
          ],
          values,
          status: error.code === 'conflict' ? 409 : 400,
        });
    }
  }
  return c.redirect(`/staff/referrals/${id.toLowerCase()}?done=${encodeURIComponent(values.to)}`, 303);
}

export const referralsPages: Feature = (app, deps, policies) => {
  policies.declare('GET', '/staff/cases/:id/referrals', staffAction('cases.read'));
  policies.declare('POST', '/staff/cases/:id/referrals', staffAction('cases.write'));
  policies.declare('GET', '/staff/referrals', staffAction('referrals.respond'));
  policies.declare('GET', '/staff/referrals/:id', staffAction('referrals.respond'));
  policies.declare('POST', '/staff/referrals/:id/transitions', staffAction('referrals.respond'));
  app.get('/staff/cases/:id/referrals', (c) => caseReferralsPage(c, deps));
  app.post('/staff/cases/:id/referrals', (c) => createAction(c, deps));
  app.get('/staff/referrals', (c) => inboxPage(c, deps));
  app.get('/staff/referrals/:id', (c) => referralPage(c, deps));
  app.post('/staff/referrals/:id/transitions', (c) => transitionAction(c, deps));
};
