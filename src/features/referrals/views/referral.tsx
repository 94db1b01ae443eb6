/**
 * One referral: for the receiving organization only what consent allows, the message, the history, and
 * the steps the viewer may take.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { HistoryTable, Success, Time, type FieldError } from '../../../web/page.tsx';
import { Button, Panel, SummaryList } from '../../../web/ui.tsx';
import { FieldError as InlineError, Hint, TextArea, describedBy, errorFor } from '../../../web/forms.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import { CATEGORY_NAMES, addDays } from '../../consents/service.ts';
import { ageText, labelOf } from '../../cases/index.ts';
import { todayIn } from '../../help/index.ts';
import { ACTION_NAMES, SHARING_NAMES, STATUS_NAMES, reasonsFor, statusText } from '../rules.ts';
import { THREAD_MESSAGE_MAX } from '../conversation.ts';
import type { ReferralView, SharedDetails } from '../service.ts';

const CONTACT_METHODS: Record<string, string> = {
  phone_call: 'Phone call',
  text_message: 'Text message',
  email: 'Email',
  in_person: 'In person',
  through_someone: 'Through someone they trust',
  other: 'Other',
};

const SharedView: FC<{ deps: AppDeps; shared: SharedDetails }> = ({ deps, shared }) => {
  const v = deps.rules.vocabularies;
  return (
    <>
      {shared.identity ? (
        <>
          <h3>Who they are</h3>
          <SummaryList
            label="Who they are"
            rows={[
              ['Chosen name', shared.identity.chosenName || 'Not given'],
              ['Legal name', shared.identity.legalName || 'Not given'],
              [
                'Date of birth',
                shared.identity.dateOfBirth
                  ? deps.rules.calendar.formatDate(shared.identity.dateOfBirth)
                  : 'Not given',
              ],
              ['Age', ageText(shared.identity, todayIn(deps.geography.get().timezone)) ?? 'Not given'],
              ['Pronouns', shared.identity.pronouns || 'Not given'],
            ]}
          />
        </>
      ) : null}
      {shared.contact ? (
        <>
          <h3>How to reach them safely</h3>
          <dl class="nwd-summary">
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
          <dl class="nwd-summary">
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

export interface ReferralFormValues {
  to: string;
  reason: string;
  note: string;
  body: string;
}

const StepForms: FC<{
  deps: AppDeps;
  view: ReferralView;
  frame: StaffFrame;
  values: ReferralFormValues;
  errors: FieldError[];
}> = ({ deps, view, frame, values, errors }) => (
  <Panel id="act-h" heading="What to do">
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
          {to === 'accepted' || to === 'declined' ? (
            <NoteField to={to} value={values.to === to ? values.note : ''} errors={errors} />
          ) : null}
          <button type="submit" class={to === 'withdrawn' || to === 'declined' ? 'btn alt' : undefined}>
            {ACTION_NAMES[to]}
          </button>
        </form>
      );
    })}
  </Panel>
);

const NoteField: FC<{ to: 'accepted' | 'declined'; value: string; errors: FieldError[] }> = ({
  to,
  value,
  errors,
}) => {
  const id = `note-${to}`;
  const error = errorFor(errors, id);
  return (
    <div>
      <label for={id}>Note to the navigator (optional)</label>
      <Hint
        id={id}
        hint={`Kept with the referral’s messages. ${to === 'declined' ? 'For example, where else might help. ' : ''}Write only what the navigator needs.`}
      />
      <InlineError id={id} message={error} />
      <textarea
        id={id}
        name="note"
        rows={3}
        cols={28}
        maxlength={THREAD_MESSAGE_MAX}
        autocomplete="off"
        aria-describedby={describedBy(id, true, Boolean(error))}
        aria-invalid={error ? 'true' : undefined}
      >
        {value}
      </textarea>
    </div>
  );
};

const KIND_NAMES = { accepted: 'Note with the acceptance', declined: 'Note with the decline' } as const;

/** The conversation between the sending navigators and the receiving organization. */
const Thread: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  view: ReferralView;
  userId: string;
  values: ReferralFormValues;
  errors: FieldError[];
}> = ({ deps, frame, view, userId, values, errors }) => {
  const { thread } = view;
  return (
    <Panel id="thread" heading="Messages">
      {!thread.read ? (
        <p>
          {thread.state === 'paused_consent'
            ? 'Messages are hidden: the young person’s consent that covered your organization has ended or was taken back. They will show again if the young person gives consent again.'
            : 'Messages start when the referral is sent.'}
        </p>
      ) : thread.messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ol class="thread">
          {thread.messages.map((m) => (
            <li id={`message-${m.id}`}>
              <p class="usa-hint">
                <strong>
                  {m.authorUserId === userId ? 'You' : m.author}
                  {m.organization ? ` (${m.organization})` : ''}
                </strong>
                {m.kind !== 'message' ? ` · ${KIND_NAMES[m.kind]}` : ''} · <Time deps={deps} at={m.at} />
              </p>
              {m.body
                .split(/\r?\n\r?\n/)
                .filter((p) => p.trim())
                .map((p) => (
                  <p>{p}</p>
                ))}
            </li>
          ))}
        </ol>
      )}
      {thread.post ? (
        <form method="post" action={`/staff/referrals/${view.id}/messages`} class="card">
          <CsrfField token={frame.csrf} />
          <TextArea
            id="body"
            label={
              thread.post === 'sender' ? `Message to ${view.toOrganization.name}` : 'Message to the navigator'
            }
            hint={
              view.sharing === 'de_identified'
                ? 'This referral is de-identified: do not write the young person’s name, contact details or anything else that identifies them.'
                : 'The other side is told there is a new message, without what it says.'
            }
            value={values.body}
            error={errorFor(errors, 'body')}
            maxlength={THREAD_MESSAGE_MAX}
            rows={4}
          />
          <Button>Send the message</Button>
        </form>
      ) : thread.refusal && (view.viewer.sender || view.viewer.receiver) ? (
        <p class="usa-hint">{thread.refusal}</p>
      ) : !view.viewer.sender && !view.viewer.receiver ? (
        <p class="usa-hint">You can read this conversation; only the two sides write in it.</p>
      ) : null}
    </Panel>
  );
};

export const ReferralPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  view: ReferralView;
  userId: string;
  errors: FieldError[];
  done: string | null;
  values: ReferralFormValues;
  now: Date;
}> = ({ deps, frame, view, userId, errors, done, values, now }) => (
  <StaffLayout frame={frame} title={`Referral for ${view.serviceLabel.toLowerCase()}`}>
    <ErrorSummary errors={errors} />
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
    <Panel id="summary-h" heading="The referral">
      <SummaryList
        label="The referral"
        rows={[
          ['Reference', view.reference],
          ['Service needed', view.serviceLabel],
          ['To', view.toOrganization.name],
          ['From', `${view.fromRegion.name} region`],
          ['Status', statusText(view, deps.rules.vocabularies.declineReasons)],
          ['Sent', view.sentAt ? <Time deps={deps} at={view.sentAt} /> : 'Not sent yet'],
          view.status === 'sent' && view.remindAt
            ? [
                'Answer expected by',
                <>
                  <Time deps={deps} at={view.remindAt} />
                  {view.remindAt.getTime() <= now.getTime() ? ' (overdue)' : ''}
                </>,
              ]
            : null,
          ['Age', AGE_BAND_NAMES[view.ageBand]],
          ['County', view.countyName ?? 'Not known'],
        ]}
      />
    </Panel>
    {view.referrer && !view.viewer.senderReads ? (
      <Panel id="referrer-h" heading="Who referred">
        <SummaryList
          label="The navigator who sent this referral"
          rows={[
            ['Navigator', view.referrer.name],
            ['Organization', view.referrer.organization ?? 'Not given'],
            ['Region', `${view.referrer.region} region`],
            [
              'Email',
              view.referrer.email ? (
                <a href={`mailto:${view.referrer.email}`}>{view.referrer.email}</a>
              ) : (
                'Not given'
              ),
            ],
          ]}
        />
        <p class="usa-hint">Or write to them under Messages: they are told when there is a new message.</p>
      </Panel>
    ) : null}
    {view.allowedTransitions.length ? (
      <StepForms deps={deps} view={view} frame={frame} values={values} errors={errors} />
    ) : null}
    <section aria-labelledby="shared-h" class="nwd-panel">
      <h2 id="shared-h">
        {view.viewer.receiver && !view.viewer.senderReads
          ? 'About the young person'
          : 'What the organization sees'}
      </h2>
      <p>{SHARING_NAMES[view.sharing]}.</p>
      {view.sharing === 'identifying' && view.consent ? (
        <p class="usa-hint">
          The young person agreed to share{' '}
          {view.consent.categories.map((cat) => CATEGORY_NAMES[cat].split(':')[0]!.toLowerCase()).join(', ')}{' '}
          with {view.toOrganization.name} until the end of{' '}
          {deps.rules.calendar.formatDate(addDays(view.consent.expiresOn, -1))}. They can take it back at any
          time. Consent is never a condition of service.
        </p>
      ) : null}
      {view.sharing !== 'identifying' && view.viewer.receiver ? (
        <p class="usa-hint">
          To reach the young person, answer the referral: the navigator passes on what the young person agrees
          to.
        </p>
      ) : null}
      {view.shared ? <SharedView deps={deps} shared={view.shared} /> : null}
    </section>
    <section aria-labelledby="message-h" class="nwd-panel">
      <h2 id="message-h">Message sent with the referral</h2>
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
    <Thread deps={deps} frame={frame} view={view} userId={userId} values={values} errors={errors} />
    <HistoryTable
      deps={deps}
      caption="History"
      entries={view.history.map((h) => ({
        at: h.at,
        what: `${STATUS_NAMES[h.to]}${h.reasonLabel ? `: ${h.reasonLabel}` : ''}`,
        who: `${h.byUserId === userId ? 'You' : h.by}${h.organization ? ` (${h.organization})` : ''}`,
      }))}
    />
  </StaffLayout>
);

const Field: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) => (
  <div>
    <dt>{label}</dt>
    <dd>{value === null || value === undefined || value === '' ? 'Not given' : value}</dd>
  </div>
);
