/**
 * /identify/refer: a professional's referral (the young person agreed to be contacted) or anonymous
 * consultation. First the question of agreement, then the form for that answer, then the reference code.
 */
import type { FC } from 'hono/jsx';
import { useT, type MessageKey, type Translator } from '../../../platform/i18n/index.ts';
import {
  Checkbox,
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
import { REFERRER_ROLES, type UrgencySignals } from '../rules.ts';
import type { CreatedIntake } from '../service.ts';
import { ErrorSummary } from '../../../web/forms.tsx';
import { Guards, Notice, SentNextSteps, WhenPickedUp, localProblems } from './shared.tsx';

const agreedOptions = (t: Translator) => [
  { value: 'yes', label: t.text('intake.refer.agreed.yes') },
  { value: 'no', label: t.text('intake.refer.agreed.no') },
];

const youthMethods = (t: Translator) => [
  { value: 'phone_call', label: t.text('intake.method.phoneCall') },
  { value: 'text_message', label: t.text('intake.method.textMessage') },
  { value: 'email', label: t.text('intake.method.email') },
  { value: 'through_referrer', label: t.text('intake.refer.method.throughReferrer') },
  { value: 'other', label: t.text('intake.refer.method.other') },
];

const exploitationOptions = (t: Translator) => [
  { value: 'yes', label: t.text('intake.refer.exploitation.yes') },
  { value: 'unsure', label: t.text('intake.refer.exploitation.unsure') },
  { value: 'no', label: t.text('intake.refer.exploitation.no') },
];

/** The referrer's roles in the page's language (the same list as REFERRER_ROLE_LABELS). */
const roleOptions = (t: Translator) =>
  REFERRER_ROLES.map((r) => ({ value: r, label: t.text(`intake.refer.role.${r}` as MessageKey) }));

const ScreeningField: FC<{ screening: ScreeningHandoff | null }> = ({ screening }) =>
  screening ? <input type="hidden" name="screening" value={JSON.stringify(screening)} /> : null;

const ReferIntro = () => {
  const t = useT();
  return (
    <>
      <p>{t('intake.refer.intro')}</p>
      <p class="flag">{t('intake.refer.mandated')}</p>
    </>
  );
};

/** How to reach the young person (a referral only). */
const reachFields = (t: Translator): TextFieldSpec[] => [
  {
    id: 'contact',
    label: t.text('intake.refer.contact.label'),
    hint: t.text('intake.refer.contact.hint'),
    maxlength: 200,
  },
  {
    id: 'times',
    label: t.text('intake.refer.times.label'),
    hint: t.text('intake.refer.times.hint'),
    maxlength: 200,
  },
  {
    id: 'codeWord',
    label: t.text('intake.refer.codeWord.label'),
    hint: t.text('intake.refer.codeWord.hint'),
    maxlength: 100,
  },
];

/** How to reach the referrer, after their name and role. */
const referrerFields = (t: Translator): TextFieldSpec[] => [
  {
    id: 'referrerOrganization',
    label: t.text('intake.refer.organization'),
    autocomplete: 'organization',
    maxlength: 200,
  },
  {
    id: 'referrerPhone',
    label: t.text('intake.refer.phone.label'),
    hint: t.text('intake.refer.phone.hint'),
    type: 'tel',
    autocomplete: 'tel',
    maxlength: 50,
  },
  {
    id: 'referrerEmail',
    label: t.text('intake.refer.email'),
    type: 'email',
    autocomplete: 'email',
    maxlength: 200,
  },
  { id: 'callbackTimes', label: t.text('intake.refer.callbackTimes'), maxlength: 200 },
];

export const ReferStart: FC<{
  frame: PageFrame;
  screening: ScreeningHandoff | null;
  errors: FieldProblem[];
}> = ({ frame, screening, errors: english }) => {
  const t = frame.t;
  const errors = localProblems(t, english);
  const f = fieldsOf({}, errors);
  return (
    <Layout
      frame={frame}
      title={t.text('intake.refer.title')}
      description={t.text('intake.refer.description')}
    >
      <ReferIntro />
      <ErrorSummary errors={errors} />
      <form method="post" action={t.path('/identify/refer')} novalidate>
        <ScreeningField screening={screening} />
        <Radios
          {...f('agreed')}
          legend={t.text('intake.refer.agreed.legend')}
          hint={t.text('intake.refer.agreed.hint')}
          options={agreedOptions(t)}
          required
        />
        <p>
          <button type="submit">{t('intake.refer.continue')}</button>
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
}> = ({ frame, token, agreed, screening, values, errors: english, notice }) => {
  const t = frame.t;
  const errors = localProblems(t, english);
  const v = (id: string) => values[id] ?? '';
  const f = fieldsOf(values, errors);
  const referral = agreed === 'yes';
  return (
    <Layout
      frame={frame}
      title={referral ? t.text('intake.refer.title') : t.text('intake.refer.consultTitle')}
    >
      <p>{referral ? t('intake.refer.agreedIntro') : t('intake.refer.consultIntro')}</p>
      {screening ? (
        <p class="hint">{t('intake.refer.screeningSent', { count: screening.answers.length })}</p>
      ) : null}
      <form method="post" action={t.path('/identify/refer')}>
        <ScreeningField screening={screening} />
        <button type="submit" class="btn alt">
          {t('intake.refer.changeAgreed')}
        </button>
      </form>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <form method="post" action={t.path('/identify/refer/send')} novalidate>
        <Guards token={token} />
        <input type="hidden" name="agreed" value={agreed} />
        <ScreeningField screening={screening} />
        <h2>{t('intake.refer.aboutYouth')}</h2>
        {referral ? (
          <TextField {...f('youthName')} label={t.text('intake.refer.youthName')} maxlength={100} required />
        ) : null}
        <TextField
          {...f('age')}
          label={t.text('intake.refer.age.label')}
          hint={t.text('intake.refer.age.hint')}
          inputmode="numeric"
          maxlength={3}
          size={4}
        />
        <TextField
          {...f('place')}
          label={t.text('intake.refer.place.label')}
          hint={t.text('intake.refer.place.hint')}
          maxlength={80}
        />
        {referral ? (
          <>
            <h2>{t('intake.refer.reachHeading')}</h2>
            <Radios
              {...f('method')}
              legend={t.text('intake.refer.method.legend')}
              options={youthMethods(t)}
              required
            />
            <TextFields fields={reachFields(t)} values={values} errors={errors} />
          </>
        ) : null}
        <TextField {...f('language')} label={t.text('intake.refer.language')} maxlength={100} />
        <h2>{t('intake.refer.nowHeading')}</h2>
        <fieldset>
          <legend>{t('intake.refer.nowLegend')}</legend>
          <Checkbox name="danger" label={t.text('intake.refer.danger')} checked={v('danger') === 'yes'} />
          <Checkbox name="missing" label={t.text('intake.refer.missing')} checked={v('missing') === 'yes'} />
        </fieldset>
        <Radios
          {...f('exploitation')}
          legend={t.text('intake.refer.exploitation.legend')}
          options={exploitationOptions(t)}
        />
        <TextArea
          {...f('observed')}
          label={t.text('intake.refer.observed.label')}
          hint={referral ? t.text('intake.refer.observed.hint') : t.text('intake.refer.observed.hintConsult')}
          maxlength={4000}
          required
        />
        <h2>{t('intake.refer.aboutYou')}</h2>
        <TextField
          {...f('referrerName')}
          label={t.text('intake.refer.yourName')}
          autocomplete="name"
          maxlength={200}
          required
        />
        <Select
          {...f('referrerRole')}
          label={t.text('intake.refer.role.label')}
          placeholder={t.text('intake.refer.role.placeholder')}
          options={roleOptions(t)}
          required
        />
        <TextFields fields={referrerFields(t)} values={values} errors={errors} />
        <p>
          <button type="submit">
            {referral ? t('intake.refer.sendReferral') : t('intake.refer.sendConsult')}
          </button>
        </p>
      </form>
      <h2>{t('intake.nextSteps')}</h2>
      <WhenPickedUp />
      <p>{t('intake.refer.private')}</p>
    </Layout>
  );
};

export const ReferSent: FC<{ frame: PageFrame; created: CreatedIntake; said: UrgencySignals }> = ({
  frame,
  created,
  said,
}) => {
  const t = frame.t;
  const referral = created.kind === 'professional_referral';
  return (
    <Layout
      frame={frame}
      title={referral ? t.text('intake.refer.sent.title') : t.text('intake.refer.sent.consultTitle')}
    >
      {said.immediateDanger || said.currentlyMissingFromCare ? (
        <p class="flag">{t('intake.refer.sent.danger', { b: (chunks) => <strong>{chunks}</strong> })}</p>
      ) : null}
      <div class="ok">
        <p>
          {t('intake.refer.sent.code', {
            code: (chunks) => <strong id="reference-code">{chunks}</strong>,
            value: created.referenceCode ?? '',
          })}
        </p>
        <p>
          {t('intake.refer.sent.saveCode', {
            link: (chunks) => <a href={t.path('/referral-status')}>{chunks}</a>,
          })}
        </p>
      </div>
      <SentNextSteps created={created}>
        <li>{referral ? t('intake.refer.sent.nextReferral') : t('intake.refer.sent.nextConsult')}</li>
      </SentNextSteps>
      {created.ageBand === 'under18' || created.ageBand === 'unknown' ? (
        <p>{t('intake.refer.sent.mandated')}</p>
      ) : null}
      <p>
        <a href={t.path('/')}>{t('intake.refer.sent.back')}</a>
      </p>
    </Layout>
  );
};
