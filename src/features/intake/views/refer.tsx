/**
 * /identify/refer: a professional's referral (the young person agreed to be contacted) or anonymous
 * consultation. First the question of agreement, then the form for that answer, then the reference code.
 */
import type { FC } from 'hono/jsx';
import {
  Checkbox,
  ErrorSummary,
  Radios,
  Select,
  TextArea,
  TextField,
  TextFields,
  type TextFieldSpec,
  fieldsOf,
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import type { ScreeningHandoff } from '../../pathway/index.ts';
import { REFERRER_ROLES, REFERRER_ROLE_LABELS, type UrgencySignals } from '../rules.ts';
import type { CreatedIntake } from '../service.ts';
import { Guards, Notice, SentNextSteps, WhenPickedUp } from './shared.tsx';

const AGREED_OPTIONS = [
  { value: 'yes', label: 'Yes, they agreed that a navigator may contact them' },
  {
    value: 'no',
    label: 'No, or I have not asked yet: I want to talk it through without naming them',
  },
] as const;

const YOUTH_METHODS = [
  { value: 'phone_call', label: 'Phone call' },
  { value: 'text_message', label: 'Text message' },
  { value: 'email', label: 'Email' },
  { value: 'through_referrer', label: 'Through me: the navigator calls me to set it up' },
  { value: 'other', label: 'Another way (say which below)' },
] as const;

const EXPLOITATION_OPTIONS = [
  { value: 'yes', label: 'Yes' },
  { value: 'unsure', label: 'I am not sure' },
  { value: 'no', label: 'No' },
] as const;

const ScreeningField: FC<{ screening: ScreeningHandoff | null }> = ({ screening }) =>
  screening ? <input type="hidden" name="screening" value={JSON.stringify(screening)} /> : null;

const ReferIntro = () => (
  <>
    <p>
      A regional navigator can contact the young person, or call you back to talk it through. Navigators help
      young people 24 and under who are sexually exploited or trafficked, or at risk, to get safe and find
      support.
    </p>
    <p class="flag">
      This does not replace a report you must make. If you are a mandated reporter and the young person is
      under 18, report to the county child protection agency or to law enforcement as soon as possible, and
      within 24 hours. If they are in danger right now, call 911.
    </p>
  </>
);

/** How to reach the young person (a referral only). */
const REACH_FIELDS: readonly TextFieldSpec[] = [
  {
    id: 'contact',
    label: 'Their phone number, email, or the other way',
    hint: 'Only one that is safe: not one that someone who might hurt them can see.',
    maxlength: 200,
  },
  {
    id: 'times',
    label: 'Safe times to contact them (optional)',
    hint: 'For example: weekdays 3 to 5 pm, no messages.',
    maxlength: 200,
  },
  {
    id: 'codeWord',
    label: 'Code word (optional)',
    hint: 'A word the navigator says first, so they know it is safe to talk.',
    maxlength: 100,
  },
];

/** How to reach the referrer, after their name and role. */
const REFERRER_FIELDS: readonly TextFieldSpec[] = [
  {
    id: 'referrerOrganization',
    label: 'Your organization (optional)',
    autocomplete: 'organization',
    maxlength: 200,
  },
  {
    id: 'referrerPhone',
    label: 'Your phone number',
    hint: 'A phone number or an email address, or both.',
    type: 'tel',
    autocomplete: 'tel',
    maxlength: 50,
  },
  { id: 'referrerEmail', label: 'Your email address', type: 'email', autocomplete: 'email', maxlength: 200 },
  { id: 'callbackTimes', label: 'When to call you back (optional)', maxlength: 200 },
];

export const ReferStart: FC<{
  frame: PageFrame;
  screening: ScreeningHandoff | null;
  errors: FieldProblem[];
}> = ({ frame, screening, errors }) => {
  const f = fieldsOf({}, errors);
  return (
    <Layout
      frame={frame}
      title="Refer a young person to a navigator"
      description="Refer a young person to a Minnesota Safe Harbor regional navigator, or ask for a consultation."
    >
      <ReferIntro />
      <ErrorSummary errors={errors} />
      <form method="post" action="/identify/refer" novalidate>
        <ScreeningField screening={screening} />
        <Radios
          {...f('agreed')}
          legend="Has the young person agreed that a navigator may contact them?"
          hint="Ask them first if you can. Without their agreement, you can still talk it through with a navigator, without their name or contact details."
          options={AGREED_OPTIONS}
          required
        />
        <p>
          <button type="submit">Continue</button>
        </p>
      </form>
    </Layout>
  );
};

export const ReferForm: FC<{
  frame: PageFrame;
  token: string;
  agreed: 'yes' | 'no';
  screening: ScreeningHandoff | null;
  values: FormValues;
  errors: FieldProblem[];
  notice: string | null;
}> = ({ frame, token, agreed, screening, values, errors, notice }) => {
  const v = (id: string) => values[id] ?? '';
  const f = fieldsOf(values, errors);
  const referral = agreed === 'yes';
  return (
    <Layout
      frame={frame}
      title={referral ? 'Refer a young person to a navigator' : 'Talk it through with a navigator'}
    >
      {referral ? (
        <p>
          The young person agreed to be contacted. Give only what the navigator needs to reach them safely.
        </p>
      ) : (
        <p>
          An anonymous consultation: a navigator calls you back to talk it through. Do not give the young
          person’s name or contact details, or anything else that would identify them.
        </p>
      )}
      {screening ? (
        <p class="hint">
          The answers from your screening ({screening.answers.length}) are sent with this form.
        </p>
      ) : null}
      <form method="post" action="/identify/refer">
        <ScreeningField screening={screening} />
        <button type="submit" class="btn alt">
          Change the answer about agreement
        </button>
      </form>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <form method="post" action="/identify/refer/send" novalidate>
        <Guards token={token} />
        <input type="hidden" name="agreed" value={agreed} />
        <ScreeningField screening={screening} />
        <h2>About the young person</h2>
        {referral ? (
          <TextField {...f('youthName')} label="First name or initials" maxlength={100} required />
        ) : null}
        <TextField
          {...f('age')}
          label="Age (optional)"
          hint="In years. Navigators serve young people 24 and under."
          inputmode="numeric"
          maxlength={3}
          size={4}
        />
        <TextField
          {...f('place')}
          label="Where they live or stay: ZIP code, city or county (optional)"
          hint="This decides which region’s navigator gets the referral."
          maxlength={80}
        />
        {referral ? (
          <>
            <h2>How to reach them safely</h2>
            <Radios
              {...f('method')}
              legend="How should the navigator reach them?"
              options={YOUTH_METHODS}
              required
            />
            <TextFields fields={REACH_FIELDS} values={values} errors={errors} />
          </>
        ) : null}
        <TextField {...f('language')} label="Language they want to talk in (optional)" maxlength={100} />
        <h2>Right now</h2>
        <fieldset>
          <legend>Tick what is true now</legend>
          <Checkbox name="danger" label="They are in danger right now" checked={v('danger') === 'yes'} />
          <Checkbox
            name="missing"
            label="They are missing from foster care, a group home or another placement"
            checked={v('missing') === 'yes'}
          />
        </fieldset>
        <Radios
          {...f('exploitation')}
          legend="Has anyone given or promised them something (money, a place to stay, food, drugs, a ride) for sex or sexual pictures, or made money from it? (optional)"
          options={EXPLOITATION_OPTIONS}
        />
        <TextArea
          {...f('observed')}
          label="What you observed, or what worries you"
          hint={
            referral
              ? 'Facts you saw or heard, briefly.'
              : 'Facts you saw or heard, briefly, without names or details that would identify them.'
          }
          maxlength={4000}
          required
        />
        <h2>About you</h2>
        <TextField {...f('referrerName')} label="Your name" autocomplete="name" maxlength={200} required />
        <Select
          {...f('referrerRole')}
          label="Your role"
          placeholder="Choose your role"
          options={REFERRER_ROLES.map((r) => ({ value: r, label: REFERRER_ROLE_LABELS[r] }))}
          required
        />
        <TextFields fields={REFERRER_FIELDS} values={values} errors={errors} />
        <p>
          <button type="submit">{referral ? 'Send the referral' : 'Ask for a consultation'}</button>
        </p>
      </form>
      <h2>What happens next</h2>
      <WhenPickedUp />
      <p>
        What you send is encrypted. Only the region’s navigators and the state staff who make sure nothing is
        missed can read it. You get a reference code to check whether a navigator has been in touch.
      </p>
    </Layout>
  );
};

export const ReferSent: FC<{ frame: PageFrame; created: CreatedIntake; said: UrgencySignals }> = ({
  frame,
  created,
  said,
}) => {
  const referral = created.kind === 'professional_referral';
  return (
    <Layout frame={frame} title={referral ? 'Referral sent' : 'Consultation request sent'}>
      {said.immediateDanger || said.currentlyMissingFromCare ? (
        <p class="flag">
          <strong>You said they are in danger or missing right now.</strong> Do not wait for the navigator:
          call 911 now, and report a young person missing from care to law enforcement.
        </p>
      ) : null}
      <div class="ok">
        <p>
          Your reference code: <strong id="reference-code">{created.referenceCode}</strong>
        </p>
        <p>
          Write it down or save it now: it is shown only this once. With it you can{' '}
          <a href="/referral-status">check the referral’s status</a> (received, contacted or closed). It shows
          nothing else.
        </p>
      </div>
      <SentNextSteps created={created}>
        <li>
          {referral
            ? 'The navigator contacts the young person the way you described, or through you if you said so.'
            : 'The navigator calls you back to talk it through. Nothing identifying the young person was sent.'}
        </li>
      </SentNextSteps>
      {created.ageBand === 'under18' || created.ageBand === 'unknown' ? (
        <p>
          If you are a mandated reporter and the young person is under 18, this referral does not replace your
          report to child protection or law enforcement (within 24 hours).
        </p>
      ) : null}
      <p>
        <a href="/">Back to Get help now</a>
      </p>
    </Layout>
  );
};
