/**
 * /help/contact-me: a young person's request that a navigator reach them, and the page once it is sent.
 */
import type { FC } from 'hono/jsx';
import { useT } from '../../../platform/i18n/index.ts';
import {
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
import { ErrorSummary } from '../../../web/forms.tsx';
import { Guards, Notice, SentNextSteps, WhenPickedUp, localProblems } from './shared.tsx';

export const ContactMeForm: FC<{
  frame: PageFrame;
  token: string;
  values: FormValues;
  errors: FieldProblem[];
  notice: string | null;
}> = ({ frame, token, values, errors: english, notice }) => {
  const t = frame.t;
  const errors = localProblems(t, english);
  const f = fieldsOf(values, errors);
  const methods = [
    { value: 'phone_call', label: t.text('intake.method.phoneCall') },
    { value: 'text_message', label: t.text('intake.method.textMessage') },
    { value: 'email', label: t.text('intake.method.email') },
  ];
  /** The optional text fields, in the form's order. */
  const optional: TextFieldSpec[] = [
    {
      id: 'times',
      label: t.text('intake.contactMe.times.label'),
      hint: t.text('intake.contactMe.times.hint'),
      maxlength: 200,
    },
    {
      id: 'codeWord',
      label: t.text('intake.contactMe.codeWord.label'),
      hint: t.text('intake.contactMe.codeWord.hint'),
      maxlength: 100,
    },
    {
      id: 'name',
      label: t.text('intake.contactMe.name.label'),
      hint: t.text('intake.contactMe.name.hint'),
      maxlength: 100,
    },
    {
      id: 'language',
      label: t.text('intake.contactMe.language.label'),
      hint: t.text('intake.contactMe.language.hint'),
      maxlength: 100,
    },
    {
      id: 'place',
      label: t.text('intake.contactMe.place.label'),
      hint: t.text('intake.contactMe.place.hint'),
      maxlength: 80,
    },
  ];
  return (
    <Layout
      frame={frame}
      title={t.text('intake.contactMe.title')}
      description={t.text('intake.contactMe.description')}
    >
      <p>{t('intake.contactMe.intro')}</p>
      <p>{t('intake.contactMe.oneWay')}</p>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <form method="post" action={t.path('/help/contact-me')} autocomplete="off" novalidate>
        <Guards token={token} />
        <Radios {...f('method')} legend={t.text('intake.contactMe.method')} options={methods} required />
        <TextField
          {...f('contact')}
          label={t.text('intake.contactMe.contact.label')}
          hint={t.text('intake.contactMe.contact.hint')}
          maxlength={200}
          required
        />
        <TextFields fields={optional} values={values} errors={errors} />
        <TextArea
          {...f('message')}
          label={t.text('intake.contactMe.message.label')}
          hint={t.text('intake.contactMe.message.hint')}
          maxlength={4000}
        />
        <ReportingNote />
        <p>
          <button type="submit">{t('intake.contactMe.send')}</button>
        </p>
      </form>
      <h2>{t('intake.nextSteps')}</h2>
      <WhenPickedUp />
      <p>{t('intake.contactMe.private', { link: (chunks) => <a href={t.path('/privacy')}>{chunks}</a> })}</p>
    </Layout>
  );
};

/**
 * Before sending, in plain words: a navigator may have to tell child protection when someone under 18
 * is in danger (Minnesota's mandated reporting, Minn. Stat. 260E.06), and exploitation is not the young
 * person's fault (Safe Harbor).
 */
export const ReportingNote: FC = () => {
  const t = useT();
  return (
    <section class="card" aria-labelledby="report-h">
      <h2 id="report-h">{t('intake.reporting.title')}</h2>
      <p>{t('intake.reporting.exception')}</p>
      <p>
        {t('intake.reporting.notYourFault', {
          link: (chunks) => <a href={t.path('/learn/your-rights')}>{chunks}</a>,
        })}
      </p>
    </section>
  );
};

export const ContactMeSent: FC<{
  frame: PageFrame;
  created: CreatedIntake;
  method: 'phone_call' | 'text_message' | 'email';
  times: string | null;
  codeWord: string | null;
}> = ({ frame, created, method, times, codeWord }) => {
  const t = frame.t;
  const promise = times && codeWord ? 'both' : times ? 'times' : codeWord ? 'codeWord' : 'none';
  return (
    <Layout frame={frame} title={t.text('intake.contactMe.sent.title')}>
      <p class="ok">{t('intake.contactMe.sent.thanks', { method })}</p>
      <SentNextSteps created={created}>
        <li>{t('intake.contactMe.sent.onlyThatWay', { promise })}</li>
        <li>{t('intake.contactMe.sent.sayNo')}</li>
      </SentNextSteps>
      <p>{t('intake.contactMe.sent.sooner')}</p>
      <p>{t('intake.contactMe.sent.noTrace', { b: (chunks) => <strong>{chunks}</strong> })}</p>
    </Layout>
  );
};
