/**
 * The public intake pages: a warm referral or an anonymous consultation from a professional
 * (`/identify/refer`), a young person's own request to be contacted (`/help/contact-me`), and the
 * referrer's status page (`/referral-status`).
 *
 * Like every public page: no sign-in, no cookie, nothing to another site, a strict CSP, the quick exit,
 * and no JavaScript needed. What a person types is validated here (zod), never logged, and written only
 * whole, encrypted, by `createIntakeItem`. Abuse is held off by `anti-abuse.ts`.
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Child, FC } from 'hono/jsx';
import { z } from 'zod';
import { frameFor, type AppDeps, type Feature } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { waitInWords, type RateLimitResult } from '../../platform/rate-limit/index.ts';
import { Layout } from '../../web/public-layout.tsx';
import { findPlace, type Geography } from '../help/rules.ts';
import { ScreeningHandoffSchema, type ScreeningHandoff } from '../pathway/types.ts';
import {
  Checkbox,
  ErrorSummary,
  FieldError,
  Radios,
  Select,
  TextArea,
  TextField,
  errorFor,
  fieldProblems,
  inFormOrder,
  pickValues,
  type FieldProblem,
} from '../../web/forms.tsx';
import {
  FORM_TOKEN_FIELD,
  HONEYPOT_FIELD,
  STATUS_LIMIT,
  SUBMIT_LIMIT,
  checkFormToken,
  countRequest,
  firstUseOfToken,
  honeypotFilled,
  issueFormToken,
  postedFromAnotherSite,
  type FormName,
  type FormTokenCheck,
} from './anti-abuse.ts';
import type { IntakePayload } from './payload.ts';
import {
  REFERRER_ROLES,
  REFERRER_ROLE_LABELS,
  createIntakeItem,
  factsSummary,
  combineSignals,
  statusForReference,
  type CreatedIntake,
  type ReferenceStatus,
  type UrgencySignals,
} from './service.ts';

/** Largest form body accepted (a screening with many answers fits well within it). */
const MAX_BODY_BYTES = 256 * 1024;
/** Largest `screening` field accepted before it is parsed. */
const MAX_SCREENING_CHARS = 200_000;

type Errors = FieldProblem[];
type Form = Record<string, string>;

// ---------------------------------------------------------------------------------------------------
// Reading and checking what was sent

async function readForm(c: Context): Promise<Form> {
  const body = await c.req.parseBody().catch(() => ({}));
  const out: Form = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Control characters; in several lines of text, tabs and line breaks are allowed. */
const CONTROL_IN_LINE = /\p{Cc}/u;
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** Optional text on one line: empty becomes null. */
const line = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}: use at most ${max} characters.`)
    .refine((s) => !CONTROL_IN_LINE.test(s), `${what}: remove the special characters.`)
    .transform((s) => (s === '' ? null : s));

/** Optional text over several lines: empty becomes null. */
const paragraph = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}: use at most ${max} characters.`)
    .refine((s) => !CONTROL.test(s), `${what}: remove the special characters.`)
    .transform((s) => (s === '' ? null : s));

const PHONE = /^[+(]?[0-9][0-9 ().+-]{5,28}[0-9](\s*(x|ext\.?)\s*[0-9]{1,6})?$/i;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;
const looksLikePhone = (s: string) => PHONE.test(s) && (s.match(/[0-9]/g) ?? []).length >= 7;
const looksLikeEmail = (s: string) => EMAIL.test(s);

const ageField = z
  .string()
  .trim()
  .refine((s) => s === '' || /^\d{1,3}$/.test(s), 'Age: enter a number of years, like 16, or leave it empty.')
  .transform((s) => (s === '' ? null : Number(s)))
  .refine((n) => n === null || n <= 120, 'Age: enter a number of years, like 16, or leave it empty.');

/** The place as typed, checked against the geography (a ZIP code, city or county; empty is fine). */
function placeProblem(geo: Geography, typed: string | null): string | null {
  if (!typed) return null;
  const match = findPlace(geo, typed);
  if (match.kind === 'none')
    return match.suggestions.length
      ? `We could not find "${typed}". Did you mean ${match.suggestions.join(', ')}? You can also leave it empty.`
      : `We could not find "${typed}" in ${geo.name}. Check it, type a ZIP code or county, or leave it empty.`;
  if (match.kind === 'invalid') return 'Type a five-digit ZIP code, a city or a county, or leave it empty.';
  return null;
}

/** The fields a person never sees: the time token and the honeypot. */
const Guards: FC<{ token: string }> = ({ token }) => (
  <>
    <input type="hidden" name={FORM_TOKEN_FIELD} value={token} />
    <div hidden>
      <label for={HONEYPOT_FIELD}>Leave this empty</label>
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

const Notice: FC<{ children?: Child }> = ({ children }) => (
  <div class="flag" role="alert">
    {children}
  </div>
);

const TIMING_NOTICE: Record<Exclude<FormTokenCheck, 'ok' | 'invalid'>, string> = {
  too_fast:
    'This was sent very quickly, so we need to check a person is sending it. Wait a few seconds, check your answers, then press the button again.',
  expired:
    'This form was open for a long time, so it was not sent yet. Check your answers, then press the button again.',
};

/** Calm words on when a navigator picks an item up. */
const WhenPickedUp = () => (
  <p>
    Navigators pick up new requests during working hours (Monday to Friday, except holidays). If nobody has
    picked it up within 4 working hours, it goes to more people so that it is not missed.
  </p>
);

function regionSentence(created: CreatedIntake): string {
  const where = created.countyName ? `${created.countyName} County` : 'that place';
  if (created.regionId && created.regionName && created.regionConfirmed)
    return `It goes to the navigators of the ${created.regionName} region.`;
  if (created.regionId && created.regionName)
    return `It goes to the navigators of the ${created.regionName} region, the likely region for ${where} (not yet confirmed), and state staff check that it reaches the right person.`;
  return 'We could not tell the region from the place given, so state staff pass it to the right navigator.';
}

// ---------------------------------------------------------------------------------------------------
// Shared pages: refused, slow down, too large, already sent

function refusedPage(c: Context, deps: AppDeps, form: FormName, reason: string) {
  deps.log.info({ form, reason }, 'intake form refused');
  const back = form === 'contact-me' ? '/help/contact-me' : '/identify/refer';
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title="We could not send this">
      <p>
        Something about this form did not look right to our system, so it was not sent, and nothing you typed
        was kept. This can happen when a page is saved and opened again later.
      </p>
      <p>
        <a href={back}>Open the form again</a>, or reach someone now by phone or text. You do not have to use
        this form.
      </p>
    </Layout>,
    400,
  );
}

function slowDownPage(c: Context, deps: AppDeps, result: RateLimitResult) {
  const seconds = Math.max(1, Math.ceil(result.retryAfterSeconds));
  c.header('Retry-After', String(seconds));
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title="Please wait a little">
      <p>
        Many requests came from this connection in a short time, so this one was not sent. Try again in{' '}
        {waitInWords(seconds)}.
      </p>
      <p>If you need someone now, you can call or text at any time.</p>
    </Layout>,
    429,
  );
}

async function tooLargePage(c: Context, deps: AppDeps) {
  const element = (
    <Layout frame={frameFor(c, deps)} title="This was too long to send">
      <p>
        What was sent was too long for this form, so it was not sent. Go back, shorten what you wrote, and try
        again.
      </p>
    </Layout>
  );
  return c.html(
    `<!doctype html>${await (element as unknown as { toString(): Promise<string> }).toString()}`,
    413,
  );
}

function alreadySentPage(c: Context, deps: AppDeps) {
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title="This was already sent">
      <p>
        We already received this form, so it was not sent a second time. There is nothing more you need to do.
      </p>
      <p>
        A reference code is shown only once. If you did not note it, a navigator can still tell you about the
        referral when they call you back.
      </p>
    </Layout>,
  );
}

/**
 * The checks every send goes through before its fields are read: another site, the rate limit, the
 * honeypot and the time token. Returns a response to send instead, or the token's verdict.
 */
async function guard(
  c: Context,
  deps: AppDeps,
  form: FormName,
  body: Form,
): Promise<Response | Exclude<FormTokenCheck, 'invalid'>> {
  if (postedFromAnotherSite(c)) return refusedPage(c, deps, form, 'cross_site');
  const limited = await countRequest(deps.db, c, SUBMIT_LIMIT);
  if (!limited.allowed) return slowDownPage(c, deps, limited);
  if (honeypotFilled(body[HONEYPOT_FIELD])) return refusedPage(c, deps, form, 'honeypot');
  const token = await checkFormToken(deps.keyring, form, body[FORM_TOKEN_FIELD] ?? '');
  if (token === 'invalid') return refusedPage(c, deps, form, 'token');
  return token;
}

// ---------------------------------------------------------------------------------------------------
// /help/contact-me

const SELF_METHODS = [
  { value: 'phone_call', label: 'Phone call' },
  { value: 'text_message', label: 'Text message' },
  { value: 'email', label: 'Email' },
] as const;

const CONTACT_ME_FIELDS = ['method', 'contact', 'times', 'codeWord', 'name', 'language', 'place', 'message'];

const ContactMeSchema = z
  .object({
    method: z.enum(['phone_call', 'text_message', 'email'], {
      error: 'Choose how the navigator should reach you.',
    }),
    contact: line(200, 'Phone number or email'),
    times: line(200, 'Safe times'),
    codeWord: line(100, 'Code word'),
    name: line(100, 'Name'),
    language: line(100, 'Language'),
    place: line(80, 'Place'),
    message: paragraph(4000, 'Your message'),
  })
  .superRefine((v, ctx) => {
    if (!v.contact) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact'],
        message:
          v.method === 'email'
            ? 'Enter the email address the navigator should write to.'
            : 'Enter the phone number the navigator should use.',
      });
    } else if (v.method === 'email' ? !looksLikeEmail(v.contact) : !looksLikePhone(v.contact)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact'],
        message:
          v.method === 'email'
            ? 'Enter an email address, like name@example.org.'
            : 'Enter a phone number, like 612-555-0100.',
      });
    }
  });

const contactMeValues = (body: Form): Form => pickValues(body, CONTACT_ME_FIELDS);

async function contactMeForm(
  c: Context,
  deps: AppDeps,
  values: Form = {},
  errors: Errors = [],
  notice: string | null = null,
) {
  const frame = frameFor(c, deps);
  const token = await issueFormToken(deps.keyring, 'contact-me');
  const v = (f: string) => values[f] ?? '';
  return renderPage(
    c,
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
          name="method"
          legend="How should the navigator reach you?"
          options={SELF_METHODS}
          value={v('method')}
          error={errorFor(errors, 'method')}
          required
        />
        <TextField
          id="contact"
          label="Your phone number or email address"
          hint="Use one that only you check, not one someone who might hurt you can see."
          value={v('contact')}
          error={errorFor(errors, 'contact')}
          maxlength={200}
          required
        />
        <TextField
          id="times"
          label="When is it safe to contact you? (optional)"
          hint="For example: weekdays after 3 pm. Say if it is not OK to leave a message."
          value={v('times')}
          error={errorFor(errors, 'times')}
          maxlength={200}
        />
        <TextField
          id="codeWord"
          label="A code word (optional)"
          hint="The navigator will say it first, so you know it is them. Pick something only you would know."
          value={v('codeWord')}
          error={errorFor(errors, 'codeWord')}
          maxlength={100}
        />
        <TextField
          id="name"
          label="What should we call you? (optional)"
          hint="A first name or a nickname is enough."
          value={v('name')}
          error={errorFor(errors, 'name')}
          maxlength={100}
        />
        <TextField
          id="language"
          label="Language you want to talk in (optional)"
          hint="For example English, Spanish, Somali, Hmong or Oromo."
          value={v('language')}
          error={errorFor(errors, 'language')}
          maxlength={100}
        />
        <TextField
          id="place"
          label="Your ZIP code, city or county (optional)"
          hint="It helps us send this to the navigator for your area."
          value={v('place')}
          error={errorFor(errors, 'place')}
          maxlength={80}
        />
        <TextArea
          id="message"
          label="Anything you want the navigator to know (optional)"
          hint="Only if you want to. You can also say it when they contact you."
          value={v('message')}
          error={errorFor(errors, 'message')}
          maxlength={4000}
        />
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
    </Layout>,
    errors.length || notice ? 400 : 200,
  );
}

async function contactMeSend(c: Context, deps: AppDeps) {
  const body = await readForm(c);
  const guarded = await guard(c, deps, 'contact-me', body);
  if (guarded instanceof Response) return guarded;
  const values = contactMeValues(body);
  if (guarded !== 'ok') return contactMeForm(c, deps, values, [], TIMING_NOTICE[guarded]);

  const geo = deps.geography.get();
  const parsed = ContactMeSchema.safeParse(values);
  const errors: Errors = parsed.success ? [] : fieldProblems(parsed.error, CONTACT_ME_FIELDS);
  const place = parsed.success ? parsed.data.place : null;
  const placeError = placeProblem(geo, place);
  if (placeError && !errorFor(errors, 'place')) errors.push({ field: 'place', message: placeError });
  if (!parsed.success || errors.length)
    return contactMeForm(c, deps, values, inFormOrder(errors, CONTACT_ME_FIELDS));

  if (!(await firstUseOfToken(deps.db, body[FORM_TOKEN_FIELD] ?? ''))) return alreadySentPage(c, deps);
  const d = parsed.data;
  const payload: IntakePayload = {
    youth: {
      name: d.name,
      contactMethod: d.method,
      contactValue: d.contact,
      safeTimes: d.times,
      codeWord: d.codeWord,
      language: d.language,
      agreedToContact: null,
    },
    referrer: null,
    observed: d.message,
    screening: null,
  };
  // Someone asking a Safe Harbor navigator to reach them: exploitation is possible, age not known.
  const created = await createIntakeItem(deps, {
    kind: 'self_referral',
    payload,
    place: { text: d.place },
    signals: { exploitation: 'possible' },
  });
  const how = { phone_call: 'call you', text_message: 'text you', email: 'email you' }[d.method];
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title="Your request was sent">
      <p class="ok">A navigator will {how}. Thank you for reaching out.</p>
      <h2>What happens next</h2>
      <ul>
        <li>{regionSentence(created)}</li>
        <li>
          Navigators pick up new requests during working hours (Monday to Friday, except holidays). If nobody
          has picked it up within 4 working hours, it goes to more people so that it is not missed.
        </li>
        <li>
          They will contact you only the way you chose{d.times ? ', at the times you gave' : ''}
          {d.codeWord ? ', and say your code word first' : ''}.
        </li>
        <li>You can say no to anything, and you can stop at any time.</li>
      </ul>
      <p>
        If you need someone sooner, or it is not safe to wait, call or text the lines at the top of this page
        at any time. If you are in danger right now, call 911.
      </p>
      <p>
        To leave no trace, close this page or press <strong>Quick exit</strong>.
      </p>
    </Layout>,
  );
}

// ---------------------------------------------------------------------------------------------------
// /identify/refer

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

const REFER_FIELDS = [
  'youthName',
  'age',
  'place',
  'method',
  'contact',
  'times',
  'codeWord',
  'language',
  'danger',
  'missing',
  'exploitation',
  'observed',
  'referrerName',
  'referrerRole',
  'referrerOrganization',
  'referrerPhone',
  'referrerEmail',
  'callbackTimes',
] as const;
/** Fields that would identify or reach the young person: refused in a consultation. */
const IDENTIFYING_FIELDS = ['youthName', 'method', 'contact', 'times', 'codeWord'] as const;

const ReferSchema = z
  .object({
    agreed: z.enum(['yes', 'no'], { error: 'Say whether the young person agreed to be contacted.' }),
    youthName: line(100, 'First name or initials'),
    age: ageField,
    place: line(80, 'Place'),
    method: z
      .enum(['', 'phone_call', 'text_message', 'email', 'through_referrer', 'other'], {
        error: 'Choose how the navigator should reach them.',
      })
      .transform((s) => (s === '' ? null : s)),
    contact: line(200, 'How to reach them'),
    times: line(200, 'Safe times'),
    codeWord: line(100, 'Code word'),
    language: line(100, 'Language'),
    danger: z.enum(['', 'yes'], { error: 'Tick the box or leave it empty.' }),
    missing: z.enum(['', 'yes'], { error: 'Tick the box or leave it empty.' }),
    exploitation: z.enum(['', 'yes', 'unsure', 'no'], { error: 'Choose yes, not sure or no.' }),
    observed: paragraph(4000, 'What you observed'),
    referrerName: line(200, 'Your name'),
    referrerRole: z.enum(['', ...REFERRER_ROLES], { error: 'Choose your role from the list.' }),
    referrerOrganization: line(200, 'Your organisation'),
    referrerPhone: line(50, 'Your phone number'),
    referrerEmail: line(200, 'Your email address'),
    callbackTimes: line(200, 'When to call you back'),
  })
  .superRefine((v, ctx) => {
    const problem = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (v.agreed === 'no') {
      for (const f of IDENTIFYING_FIELDS)
        if (v[f] !== null)
          problem(
            f,
            'Leave this empty: without the young person’s agreement, send no name or contact details. Ask them first, or send an anonymous consultation.',
          );
    } else {
      if (!v.youthName) problem('youthName', 'Enter their first name or initials.');
      if (!v.method) problem('method', 'Choose how the navigator should reach them.');
      else if (v.method !== 'through_referrer') {
        if (!v.contact)
          problem('contact', 'Enter how the navigator can reach them (a number or an address).');
        else if ((v.method === 'phone_call' || v.method === 'text_message') && !looksLikePhone(v.contact))
          problem('contact', 'Enter their phone number, like 612-555-0100.');
        else if (v.method === 'email' && !looksLikeEmail(v.contact))
          problem('contact', 'Enter their email address, like name@example.org.');
      }
    }
    if (!v.observed) problem('observed', 'Say briefly what you observed or what worries you.');
    if (!v.referrerName) problem('referrerName', 'Enter your name, so the navigator knows who referred.');
    if (!v.referrerRole) problem('referrerRole', 'Choose your role.');
    if (!v.referrerPhone && !v.referrerEmail)
      problem('referrerPhone', 'Enter a phone number or an email address where the navigator can reach you.');
    if (v.referrerPhone && !looksLikePhone(v.referrerPhone))
      problem('referrerPhone', 'Enter your phone number, like 612-555-0100.');
    if (v.referrerEmail && !looksLikeEmail(v.referrerEmail))
      problem('referrerEmail', 'Enter your email address, like name@example.org.');
  });

type ScreeningRead = { ok: true; screening: ScreeningHandoff | null } | { ok: false };

/** The `screening` field the /identify result posts: absent is fine, anything unreadable is not. */
function readScreening(raw: string | undefined): ScreeningRead {
  if (raw === undefined || raw.trim() === '') return { ok: true, screening: null };
  if (raw.length > MAX_SCREENING_CHARS) return { ok: false };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false };
  }
  const parsed = ScreeningHandoffSchema.safeParse(json);
  return parsed.success ? { ok: true, screening: parsed.data } : { ok: false };
}

function badScreeningPage(c: Context, deps: AppDeps) {
  deps.log.info({ form: 'refer', reason: 'screening' }, 'intake form refused');
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title="The screening answers could not be read">
      <p>
        The answers from the screening did not arrive in a form we can read, so nothing was sent and nothing
        was kept. This can happen when a page was changed or saved and opened again.
      </p>
      <p>
        You can <a href="/identify">start the screening again</a>, or{' '}
        <a href="/identify/refer">refer without the screening answers</a>.
      </p>
    </Layout>,
    400,
  );
}

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

function referStart(c: Context, deps: AppDeps, screening: ScreeningHandoff | null, errors: Errors = []) {
  return renderPage(
    c,
    <Layout
      frame={frameFor(c, deps)}
      title="Refer a young person to a navigator"
      description="Refer a young person to a Minnesota Safe Harbor regional navigator, or ask for a consultation."
    >
      <ReferIntro />
      <ErrorSummary errors={errors} />
      <form method="post" action="/identify/refer" novalidate>
        <ScreeningField screening={screening} />
        <Radios
          name="agreed"
          legend="Has the young person agreed that a navigator may contact them?"
          hint="Ask them first if you can. Without their agreement, you can still talk it through with a navigator, without their name or contact details."
          options={AGREED_OPTIONS}
          value=""
          error={errorFor(errors, 'agreed')}
          required
        />
        <p>
          <button type="submit">Continue</button>
        </p>
      </form>
    </Layout>,
    errors.length ? 400 : 200,
  );
}

/** The values the form starts with, from a screening's facts. */
function prefill(geo: Geography, screening: ScreeningHandoff | null): Form {
  if (!screening) return {};
  const facts = factsSummary(screening.facts);
  const county = facts.county ? (geo.counties.get(facts.county)?.name ?? facts.county) : '';
  const role = screening.facts.reporterRole;
  return {
    age: facts.age !== null ? String(facts.age) : '',
    place: county,
    danger: facts.signals.immediateDanger ? 'yes' : '',
    missing: facts.signals.currentlyMissingFromCare ? 'yes' : '',
    exploitation:
      facts.signals.exploitation === 'indicated'
        ? 'yes'
        : facts.signals.exploitation === 'possible'
          ? 'unsure'
          : facts.signals.exploitation === 'not_indicated'
            ? 'no'
            : '',
    referrerRole:
      typeof role === 'string' && (REFERRER_ROLES as readonly string[]).includes(role) ? role : '',
  };
}

async function referForm(
  c: Context,
  deps: AppDeps,
  agreed: 'yes' | 'no',
  screening: ScreeningHandoff | null,
  values: Form,
  errors: Errors = [],
  notice: string | null = null,
) {
  const token = await issueFormToken(deps.keyring, 'refer');
  const v = (f: string) => values[f] ?? '';
  const referral = agreed === 'yes';
  return renderPage(
    c,
    <Layout
      frame={frameFor(c, deps)}
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
          <TextField
            id="youthName"
            label="First name or initials"
            value={v('youthName')}
            error={errorFor(errors, 'youthName')}
            maxlength={100}
            required
          />
        ) : null}
        <TextField
          id="age"
          label="Age (optional)"
          hint="In years. Navigators serve young people 24 and under."
          value={v('age')}
          error={errorFor(errors, 'age')}
          inputmode="numeric"
          maxlength={3}
          size={4}
        />
        <TextField
          id="place"
          label="Where they live or stay: ZIP code, city or county (optional)"
          hint="This decides which region’s navigator gets the referral."
          value={v('place')}
          error={errorFor(errors, 'place')}
          maxlength={80}
        />
        {referral ? (
          <>
            <h2>How to reach them safely</h2>
            <Radios
              name="method"
              legend="How should the navigator reach them?"
              options={YOUTH_METHODS}
              value={v('method')}
              error={errorFor(errors, 'method')}
              required
            />
            <TextField
              id="contact"
              label="Their phone number, email, or the other way"
              hint="Only one that is safe: not one that someone who might hurt them can see."
              value={v('contact')}
              error={errorFor(errors, 'contact')}
              maxlength={200}
            />
            <TextField
              id="times"
              label="Safe times to contact them (optional)"
              hint="For example: weekdays 3 to 5 pm, no messages."
              value={v('times')}
              error={errorFor(errors, 'times')}
              maxlength={200}
            />
            <TextField
              id="codeWord"
              label="Code word (optional)"
              hint="A word the navigator says first, so they know it is safe to talk."
              value={v('codeWord')}
              error={errorFor(errors, 'codeWord')}
              maxlength={100}
            />
          </>
        ) : null}
        <TextField
          id="language"
          label="Language they want to talk in (optional)"
          value={v('language')}
          error={errorFor(errors, 'language')}
          maxlength={100}
        />
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
          name="exploitation"
          legend="Has anyone given or promised them something (money, a place to stay, food, drugs, a ride) for sex or sexual pictures, or made money from it? (optional)"
          options={EXPLOITATION_OPTIONS}
          value={v('exploitation')}
          error={errorFor(errors, 'exploitation')}
        />
        <TextArea
          id="observed"
          label="What you observed, or what worries you"
          hint={
            referral
              ? 'Facts you saw or heard, briefly.'
              : 'Facts you saw or heard, briefly, without names or details that would identify them.'
          }
          value={v('observed')}
          error={errorFor(errors, 'observed')}
          maxlength={4000}
          required
        />
        <h2>About you</h2>
        <TextField
          id="referrerName"
          label="Your name"
          value={v('referrerName')}
          error={errorFor(errors, 'referrerName')}
          autocomplete="name"
          maxlength={200}
          required
        />
        <Select
          id="referrerRole"
          label="Your role"
          placeholder="Choose your role"
          options={REFERRER_ROLES.map((r) => ({ value: r, label: REFERRER_ROLE_LABELS[r] }))}
          value={v('referrerRole')}
          error={errorFor(errors, 'referrerRole')}
          required
        />
        <TextField
          id="referrerOrganization"
          label="Your organisation (optional)"
          value={v('referrerOrganization')}
          error={errorFor(errors, 'referrerOrganization')}
          autocomplete="organization"
          maxlength={200}
        />
        <TextField
          id="referrerPhone"
          label="Your phone number"
          hint="A phone number or an email address, or both."
          value={v('referrerPhone')}
          error={errorFor(errors, 'referrerPhone')}
          type="tel"
          autocomplete="tel"
          maxlength={50}
        />
        <TextField
          id="referrerEmail"
          label="Your email address"
          value={v('referrerEmail')}
          error={errorFor(errors, 'referrerEmail')}
          type="email"
          autocomplete="email"
          maxlength={200}
        />
        <TextField
          id="callbackTimes"
          label="When to call you back (optional)"
          value={v('callbackTimes')}
          error={errorFor(errors, 'callbackTimes')}
          maxlength={200}
        />
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
    </Layout>,
    errors.length || notice ? 400 : 200,
  );
}

async function referEntry(c: Context, deps: AppDeps) {
  const body = await readForm(c);
  const read = readScreening(body.screening);
  if (!read.ok) return badScreeningPage(c, deps);
  const agreed = body.agreed;
  if (agreed === 'yes' || agreed === 'no')
    return referForm(c, deps, agreed, read.screening, prefill(deps.geography.get(), read.screening));
  const errors =
    agreed === undefined
      ? []
      : [{ field: 'agreed', message: 'Say whether the young person agreed to be contacted.' }];
  return referStart(c, deps, read.screening, errors);
}

const referValues = (body: Form): Form => ({ ...pickValues(body, REFER_FIELDS), agreed: body.agreed ?? '' });

const EXPLOITATION: Record<string, UrgencySignals['exploitation']> = {
  yes: 'indicated',
  unsure: 'possible',
  no: 'not_indicated',
  '': null,
};

async function referSend(c: Context, deps: AppDeps) {
  const body = await readForm(c);
  const read = readScreening(body.screening);
  if (!read.ok) return badScreeningPage(c, deps);
  const guarded = await guard(c, deps, 'refer', body);
  if (guarded instanceof Response) return guarded;
  const values = referValues(body);
  const agreed = values.agreed;
  if (agreed !== 'yes' && agreed !== 'no') return referStart(c, deps, read.screening);
  if (guarded !== 'ok') return referForm(c, deps, agreed, read.screening, values, [], TIMING_NOTICE[guarded]);

  const geo = deps.geography.get();
  const parsed = ReferSchema.safeParse(values);
  const errors: Errors = parsed.success ? [] : fieldProblems(parsed.error, REFER_FIELDS);
  const placeError = placeProblem(geo, parsed.success ? parsed.data.place : null);
  if (placeError && !errorFor(errors, 'place')) errors.push({ field: 'place', message: placeError });
  if (!parsed.success || errors.length)
    return referForm(c, deps, agreed, read.screening, values, inFormOrder(errors, REFER_FIELDS));

  if (!(await firstUseOfToken(deps.db, body[FORM_TOKEN_FIELD] ?? ''))) return alreadySentPage(c, deps);
  const d = parsed.data;
  const referral = d.agreed === 'yes';
  const facts = read.screening ? factsSummary(read.screening.facts) : null;
  const formSignals: UrgencySignals = {
    immediateDanger: d.danger === 'yes',
    currentlyMissingFromCare: d.missing === 'yes',
    exploitation: EXPLOITATION[d.exploitation] ?? null,
  };
  const payload: IntakePayload = {
    youth: {
      name: referral ? d.youthName : null,
      contactMethod: referral ? d.method : null,
      contactValue: referral ? d.contact : null,
      safeTimes: referral ? d.times : null,
      codeWord: referral ? d.codeWord : null,
      language: d.language,
      agreedToContact: referral,
    },
    referrer: {
      name: d.referrerName,
      role: d.referrerRole || null,
      organization: d.referrerOrganization,
      phone: d.referrerPhone,
      email: d.referrerEmail,
      callbackTimes: d.callbackTimes,
    },
    observed: d.observed,
    screening: read.screening,
  };
  const created = await createIntakeItem(deps, {
    kind: referral ? 'professional_referral' : 'consultation',
    payload,
    place: { text: d.place },
    age: d.age ?? facts?.age ?? null,
    ageBand: facts?.ageBand ?? null,
    signals: facts ? combineSignals(formSignals, facts.signals) : formSignals,
  });
  return referSent(c, deps, created, formSignals);
}

function referSent(c: Context, deps: AppDeps, created: CreatedIntake, said: UrgencySignals) {
  const referral = created.kind === 'professional_referral';
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title={referral ? 'Referral sent' : 'Consultation request sent'}>
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
      <h2>What happens next</h2>
      <ul>
        <li>{regionSentence(created)}</li>
        <li>
          Navigators pick up new requests during working hours (Monday to Friday, except holidays). If nobody
          has picked it up within 4 working hours, it goes to more people so that it is not missed.
        </li>
        <li>
          {referral
            ? 'The navigator contacts the young person the way you described, or through you if you said so.'
            : 'The navigator calls you back to talk it through. Nothing identifying the young person was sent.'}
        </li>
      </ul>
      {created.ageBand === 'under18' || created.ageBand === 'unknown' ? (
        <p>
          If you are a mandated reporter and the young person is under 18, this referral does not replace your
          report to child protection or law enforcement (within 24 hours).
        </p>
      ) : null}
      <p>
        <a href="/">Back to Get help now</a>
      </p>
    </Layout>,
  );
}

// ---------------------------------------------------------------------------------------------------
// /referral-status

const STATUS_WORDS: Record<ReferenceStatus, { title: string; text: string }> = {
  received: {
    title: 'Received',
    text: 'The referral has been received. A navigator has it, or will pick it up soon.',
  },
  contacted: {
    title: 'Contacted',
    text: 'A navigator has been in touch about this referral.',
  },
  closed: {
    title: 'Closed',
    text: 'The navigator has finished their work on this referral.',
  },
};

function statusPage(
  c: Context,
  deps: AppDeps,
  options: { status?: ReferenceStatus; error?: string; httpStatus?: 200 | 400 | 404 } = {},
) {
  const { status, error, httpStatus = 200 } = options;
  const words = status ? STATUS_WORDS[status] : null;
  return renderPage(
    c,
    <Layout
      frame={frameFor(c, deps)}
      title={words ? `Status: ${words.title}` : 'Check a referral'}
      description="Check whether a navigator has been in touch about a referral, with its reference code."
    >
      {words ? <p class="ok">{words.text}</p> : null}
      <p>
        Type the reference code you got when you sent the referral. The page shows only whether it was
        received, whether a navigator has been in touch, or whether it is closed.
      </p>
      {error ? <ErrorSummary errors={[{ field: 'code', message: error }]} /> : null}
      <form method="post" action="/referral-status" autocomplete="off" novalidate>
        <label for="code">Reference code</label>
        <p class="hint" id="code-hint">
          12 letters and numbers, for example K7QM-4R2D-9XHT.
        </p>
        <FieldError id="code" message={error} />
        <input
          id="code"
          name="code"
          type="text"
          maxlength={64}
          size={16}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          aria-describedby={error ? 'code-hint code-error' : 'code-hint'}
          aria-invalid={error ? 'true' : undefined}
          required
        />{' '}
        <button type="submit">Check</button>
      </form>
    </Layout>,
    httpStatus,
  );
}

async function statusLookup(c: Context, deps: AppDeps) {
  const limited = await countRequest(deps.db, c, STATUS_LIMIT);
  if (!limited.allowed) return slowDownPage(c, deps, limited);
  const body = await readForm(c);
  const code = (body.code ?? '').slice(0, 200);
  const status = await statusForReference(deps.db, code);
  if (!status)
    return statusPage(c, deps, {
      error:
        'We could not find a referral with that code. Check each letter and number and try again. A navigator can also tell you when they call back.',
      httpStatus: code.trim() === '' ? 400 : 404,
    });
  return statusPage(c, deps, { status });
}

// ---------------------------------------------------------------------------------------------------

export const intakePages: Feature = (app, deps, policies) => {
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => tooLargePage(c, deps) });
  for (const [method, path] of [
    ['GET', '/identify/refer'],
    ['POST', '/identify/refer'],
    ['POST', '/identify/refer/send'],
    ['GET', '/help/contact-me'],
    ['POST', '/help/contact-me'],
    ['GET', '/referral-status'],
    ['POST', '/referral-status'],
  ] as const)
    policies.declare(method, path, PUBLIC);

  app.get('/identify/refer', (c) => referStart(c, deps, null));
  app.post('/identify/refer', limitBody, (c) => referEntry(c, deps));
  app.post('/identify/refer/send', limitBody, (c) => referSend(c, deps));
  app.get('/help/contact-me', (c) => contactMeForm(c, deps));
  app.post('/help/contact-me', limitBody, (c) => contactMeSend(c, deps));
  app.get('/referral-status', (c) => statusPage(c, deps));
  app.post('/referral-status', limitBody, (c) => statusLookup(c, deps));
};
