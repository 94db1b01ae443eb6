/**
 * /help/contact-me: a young person's request that a navigator reach them, and the page once it is sent.
 */
import type { FC } from 'hono/jsx';
import {
  ErrorSummary,
  Radios,
  TextArea,
  TextField,
  TextFields,
  type TextFieldSpec,
  fieldsOf,
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import type { CreatedIntake } from '../service.ts';
import { Guards, Notice, SentNextSteps, WhenPickedUp } from './shared.tsx';

const SELF_METHODS = [
  { value: 'phone_call', label: 'Phone call' },
  { value: 'text_message', label: 'Text message' },
  { value: 'email', label: 'Email' },
] as const;

/** The optional text fields, in the form's order. */
const OPTIONAL_FIELDS: readonly TextFieldSpec[] = [
  {
    id: 'times',
    label: 'When is it safe to contact you? (optional)',
    hint: 'For example: weekdays after 3 pm. Say if it is not OK to leave a message.',
    maxlength: 200,
  },
  {
    id: 'codeWord',
    label: 'A code word (optional)',
    hint: 'The navigator will say it first, so you know it is them. Pick something only you would know.',
    maxlength: 100,
  },
  {
    id: 'name',
    label: 'What should we call you? (optional)',
    hint: 'A first name or a nickname is enough.',
    maxlength: 100,
  },
  {
    id: 'language',
    label: 'Language you want to talk in (optional)',
    hint: 'For example English, Spanish, Somali, Hmong or Oromo.',
    maxlength: 100,
  },
  {
    id: 'place',
    label: 'Your ZIP code, city or county (optional)',
    hint: 'It helps us send this to the navigator for your area.',
    maxlength: 80,
  },
];

export const ContactMeForm: FC<{
  frame: PageFrame;
  token: string;
  values: FormValues;
  errors: FieldProblem[];
  notice: string | null;
}> = ({ frame, token, values, errors, notice }) => {
  const f = fieldsOf(values, errors);
  return (
    <Layout
      frame={frame}
      title="Ask a navigator to contact you"
      description="Ask a Safe Harbor navigator in Minnesota to reach you safely. For young people 24 and under."
    >
      <p>
        A navigator is a person in your part of Minnesota who helps young people 24 and under get safe and
        find support. It is free. You do not have to give your full name, and you do not have to explain
        anything.
      </p>
      <p>
        Tell us one safe way to reach you. A navigator will contact you only that way, at the times you give.
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <form method="post" action="/help/contact-me" autocomplete="off" novalidate>
        <Guards token={token} />
        <Radios
          {...f('method')}
          legend="How should the navigator reach you?"
          options={SELF_METHODS}
          required
        />
        <TextField
          {...f('contact')}
          label="Your phone number or email address"
          hint="Use one that only you check, not one someone who might hurt you can see."
          maxlength={200}
          required
        />
        <TextFields fields={OPTIONAL_FIELDS} values={values} errors={errors} />
        <TextArea
          {...f('message')}
          label="Anything you want the navigator to know (optional)"
          hint="Only if you want to. You can also say it when they contact you."
          maxlength={4000}
        />
        <ReportingNote />
        <p>
          <button type="submit">Send to a navigator</button>
        </p>
      </form>
      <h2>What happens next</h2>
      <WhenPickedUp />
      <p>
        What you send is kept private and encrypted. Only navigators and the state staff who make sure no
        request is missed can read it. This site sets no cookies. <a href="/privacy">Privacy</a>
      </p>
    </Layout>
  );
};

/**
 * Before sending, in plain words: a navigator may have to tell child protection when someone under 18
 * is in danger (Minnesota's mandated reporting, Minn. Stat. 260E.06), and exploitation is not the young
 * person's fault (Safe Harbor).
 */
export const ReportingNote: FC = () => (
  <section class="card" aria-labelledby="report-h">
    <h2 id="report-h">If you are under 18</h2>
    <p>
      What you tell a navigator stays private, with one exception. If you are under 18 and a navigator learns
      that you are being hurt or are in danger, they may have to tell child protection, so that people whose
      job is to keep you safe can help.
    </p>
    <p>
      What is happening is not your fault. Under Minnesota's Safe Harbor law, a young person under 18 who is
      sexually exploited is a victim, not a criminal. <a href="/learn/your-rights">Read about your rights</a>
    </p>
  </section>
);

const HOW = { phone_call: 'call you', text_message: 'text you', email: 'email you' } as const;

export const ContactMeSent: FC<{
  frame: PageFrame;
  created: CreatedIntake;
  method: keyof typeof HOW;
  times: string | null;
  codeWord: string | null;
}> = ({ frame, created, method, times, codeWord }) => {
  const how = HOW[method];
  const d = { times, codeWord };
  return (
    <Layout frame={frame} title="Your request was sent">
      <p class="ok">A navigator will {how}. Thank you for reaching out.</p>
      <SentNextSteps created={created}>
        <li>
          They will contact you only the way you chose{d.times ? ', at the times you gave' : ''}
          {d.codeWord ? ', and say your code word first' : ''}.
        </li>
        <li>You can say no to anything, and you can stop at any time.</li>
      </SentNextSteps>
      <p>
        If you need someone sooner, or it is not safe to wait, call or text the lines at the top of this page
        at any time. If you are in danger right now, call 911.
      </p>
      <p>
        To leave no trace, close this page or press <strong>Quick exit</strong>.
      </p>
    </Layout>
  );
};
