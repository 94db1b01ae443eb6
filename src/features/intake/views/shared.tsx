/**
 * What every public intake page shares: the hidden guard fields, the notices, the error summary and
 * its messages in the page's language, and the short pages for a refused, too frequent, too large,
 * repeated or unreadable send.
 */
import type { Child, FC } from 'hono/jsx';
import { shippedCatalogue, useT, type MessageKey, type Translator } from '../../../platform/i18n/index.ts';
import type { FieldProblem } from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD, type FormName, type FormTokenCheck } from '../anti-abuse.ts';
import type { CreatedIntake } from '../service.ts';

/** The fields a person never sees: the time token and the honeypot. */
export const Guards: FC<{ token: string }> = ({ token }) => {
  const t = useT();
  return (
    <>
      <input type="hidden" name={FORM_TOKEN_FIELD} value={token} />
      <div hidden>
        <label for={HONEYPOT_FIELD}>{t('intake.honeypot')}</label>
        <input
          id={HONEYPOT_FIELD}
          name={HONEYPOT_FIELD}
          type="text"
          value=""
          tabindex={-1}
          autocomplete="off"
        />
      </div>
    </>
  );
};

export const Notice: FC<{ children?: Child }> = ({ children }) => (
  <div class="flag" role="alert">
    {children}
  </div>
);

/** The notice when a form's time token says to look again before sending (a message key). */
export const TIMING_NOTICE: Record<Exclude<FormTokenCheck, 'ok' | 'invalid'>, MessageKey> = {
  too_fast: 'intake.timing.tooFast',
  expired: 'intake.timing.expired',
};

// ---------------------------------------------------------------------------------------------------
// Problems with what was typed, in the page's language

/**
 * The catalogue's keys of a namespace by their English: the schemas (schema.ts) write their problems
 * in English, word for word as the catalogue's `intake.error.…` and `intake.fieldName.…` messages.
 */
function keysByEnglish(prefix: string): ReadonlyMap<string, MessageKey> {
  const english = shippedCatalogue().english;
  return new Map(
    (Object.keys(english) as MessageKey[]).filter((k) => k.startsWith(prefix)).map((k) => [english[k], k]),
  );
}
const PROBLEM_KEYS = keysByEnglish('intake.error.');
const FIELD_NAME_KEYS = keysByEnglish('intake.fieldName.');

const fieldName = (t: Translator, english: string) => {
  const key = FIELD_NAME_KEYS.get(english);
  return key ? t.text(key) : english;
};

/**
 * One problem's message in the page's language. The schemas write English (the API and the tests read
 * it); a message this table does not know stays English.
 */
export function problemText(t: Translator, message: string): string {
  const key = PROBLEM_KEYS.get(message);
  if (key) return t.text(key);
  let m = /^(.+): use at most (\d+) characters\.$/.exec(message);
  if (m) return t.text('intake.error.tooLong', { field: fieldName(t, m[1]!), max: Number(m[2]) });
  m = /^(.+): remove the special characters\.$/.exec(message);
  if (m) return t.text('intake.error.control', { field: fieldName(t, m[1]!) });
  m = /^We could not find "(.*)"\. Did you mean (.+)\? You can also leave it empty\.$/s.exec(message);
  if (m) return t.text('intake.error.placeSuggest', { typed: m[1]!, suggestions: m[2]! });
  m = /^We could not find "(.*)" in (.+)\. Check it, type a ZIP code or county, or leave it empty\.$/s.exec(
    message,
  );
  if (m) return t.text('intake.error.placeNone', { typed: m[1]!, state: m[2]! });
  return message;
}

/** The form's problems with their messages in the page's language. */
export const localProblems = (t: Translator, errors: readonly FieldProblem[]): FieldProblem[] =>
  errors.map((e) => ({ field: e.field, message: problemText(t, e.message) }));

// ---------------------------------------------------------------------------------------------------
// What happens after a send

/** Calm words on when a navigator picks an item up. */
export const WhenPickedUp = () => {
  const t = useT();
  return <p>{t('intake.whenPickedUp')}</p>;
};

function regionSentence(t: Translator, created: CreatedIntake): Child {
  if (created.regionId && created.regionName && created.regionConfirmed)
    return t('intake.region.confirmed', { region: created.regionName });
  if (created.regionId && created.regionName)
    return created.countyName
      ? t('intake.region.likelyCounty', { region: created.regionName, county: created.countyName })
      : t('intake.region.likely', { region: created.regionName });
  return t('intake.region.unknown');
}

/** What happens after a send: where it goes, when navigators pick it up, then what the page adds. */
export const SentNextSteps: FC<{ created: CreatedIntake; children?: Child }> = ({ created, children }) => {
  const t = useT();
  return (
    <>
      <h2>{t('intake.nextSteps')}</h2>
      <ul>
        <li>{regionSentence(t, created)}</li>
        <li>{t('intake.whenPickedUp')}</li>
        {children}
      </ul>
    </>
  );
};

// ---------------------------------------------------------------------------------------------------
// Short pages

export const RefusedPage: FC<{ frame: PageFrame; form: FormName }> = ({ frame, form }) => {
  const t = frame.t;
  const back = form === 'contact-me' ? '/help/contact-me' : '/identify/refer';
  return (
    <Layout frame={frame} title={t.text('intake.refused.title')}>
      <p>{t('intake.refused.why')}</p>
      <p>{t('intake.refused.again', { link: (chunks) => <a href={t.path(back)}>{chunks}</a> })}</p>
    </Layout>
  );
};

/** A wait in words: seconds, minutes or hours, rounded up. */
function waitText(t: Translator, seconds: number): string {
  if (seconds < 60) return t.text('intake.wait.seconds', { count: Math.max(1, Math.ceil(seconds)) });
  if (seconds < 3600) return t.text('intake.wait.minutes', { count: Math.ceil(seconds / 60) });
  return t.text('intake.wait.hours', { count: Math.ceil(seconds / 3600) });
}

export const SlowDownPage: FC<{ frame: PageFrame; seconds: number }> = ({ frame, seconds }) => {
  const t = frame.t;
  return (
    <Layout frame={frame} title={t.text('intake.slowDown.title')}>
      <p>{t('intake.slowDown.why', { wait: waitText(t, seconds) })}</p>
      <p>{t('intake.slowDown.now')}</p>
    </Layout>
  );
};

export const TooLargePage: FC<{ frame: PageFrame }> = ({ frame }) => (
  <Layout frame={frame} title={frame.t.text('intake.tooLarge.title')}>
    <p>{frame.t('intake.tooLarge.why')}</p>
  </Layout>
);

export const AlreadySentPage: FC<{ frame: PageFrame }> = ({ frame }) => (
  <Layout frame={frame} title={frame.t.text('intake.alreadySent.title')}>
    <p>{frame.t('intake.alreadySent.why')}</p>
    <p>{frame.t('intake.alreadySent.code')}</p>
  </Layout>
);

export const BadScreeningPage: FC<{ frame: PageFrame }> = ({ frame }) => {
  const t = frame.t;
  return (
    <Layout frame={frame} title={t.text('intake.badScreening.title')}>
      <p>{t('intake.badScreening.why')}</p>
      <p>
        {t('intake.badScreening.again', {
          screening: (chunks) => <a href={t.path('/identify')}>{chunks}</a>,
          refer: (chunks) => <a href={t.path('/identify/refer')}>{chunks}</a>,
        })}
      </p>
    </Layout>
  );
};
