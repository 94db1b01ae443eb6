/**
 * The public intake pages: a warm referral or an anonymous consultation from a professional
 * (`/identify/refer`), a young person's own request to be contacted (`/help/contact-me`), and the
 * referrer's status page (`/referral-status`).
 *
 * Like every public page: no sign-in, no cookie, nothing to another site, a strict CSP, the quick exit,
 * and no JavaScript needed. What a person types is checked by schema.ts (zod), never logged, and written
 * only whole, encrypted, by the service. Abuse is held off by `anti-abuse.ts`.
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { MessageKey } from '../../platform/i18n/index.ts';
import { frameFor, type AppDeps, type Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { errorFor, fieldProblems, inFormOrder, pickValues, type FormValues } from '../../web/forms.tsx';
import { renderPage } from '../../web/http.ts';
import { router } from '../../web/route.ts';
import type { ScreeningHandoff } from '../pathway/index.ts';
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
import { placeProblem, prefill } from './rules.ts';
import { CONTACT_ME_FIELDS, ContactMeSchema, REFER_FIELDS, ReferSchema, readScreening } from './schema.ts';
import { referralSignals, sendContactMe, sendReferral, statusForReference } from './service.ts';
import { ContactMeForm, ContactMeSent } from './views/contact-me.tsx';
import { ReferForm, ReferSent, ReferStart } from './views/refer.tsx';
import {
  AlreadySentPage,
  BadScreeningPage,
  RefusedPage,
  SlowDownPage,
  TIMING_NOTICE,
  TooLargePage,
} from './views/shared.tsx';
import { NOT_FOUND_CODE, StatusPage } from './views/status.tsx';

/** Largest form body accepted (a screening with many answers fits well within it). */
const MAX_BODY_BYTES = 256 * 1024;

type Errors = ReturnType<typeof fieldProblems>;

/** The posted text fields (files and repeated fields aside); an unreadable body reads as empty. */
async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody().catch(() => ({}));
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A public page in its layout. */
const page = (c: Context, element: JSX.Element, status: 200 | 400 | 404 | 429 = 200) =>
  renderPage(c, element, status);

function refused(c: Context, deps: AppDeps, form: FormName, reason: string) {
  deps.log.info({ form, reason }, 'intake form refused');
  return page(c, <RefusedPage frame={frameFor(c, deps)} form={form} />, 400);
}

function slowDown(c: Context, deps: AppDeps, retryAfterSeconds: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  c.header('Retry-After', String(seconds));
  return page(c, <SlowDownPage frame={frameFor(c, deps)} seconds={seconds} />, 429);
}

async function tooLarge(c: Context, deps: AppDeps) {
  const element = <TooLargePage frame={frameFor(c, deps)} />;
  return c.html(
    `<!doctype html>${await (element as unknown as { toString(): Promise<string> }).toString()}`,
    413,
  );
}

function badScreening(c: Context, deps: AppDeps) {
  deps.log.info({ form: 'refer', reason: 'screening' }, 'intake form refused');
  return page(c, <BadScreeningPage frame={frameFor(c, deps)} />, 400);
}

/**
 * The checks every send goes through before its fields are read: another site, the rate limit, the
 * honeypot and the time token. Returns a response to send instead, or the token's verdict.
 */
async function guard(
  c: Context,
  deps: AppDeps,
  form: FormName,
  body: FormValues,
): Promise<Response | Exclude<FormTokenCheck, 'invalid'>> {
  if (postedFromAnotherSite(c)) return refused(c, deps, form, 'cross_site');
  const limited = await countRequest(deps.db, c, SUBMIT_LIMIT);
  if (!limited.allowed) return slowDown(c, deps, limited.retryAfterSeconds);
  if (honeypotFilled(body[HONEYPOT_FIELD])) return refused(c, deps, form, 'honeypot');
  const token = await checkFormToken(deps.keyring, form, body[FORM_TOKEN_FIELD] ?? '');
  if (token === 'invalid') return refused(c, deps, form, 'token');
  return token;
}

/**
 * The values checked by the form's schema, and the place against the geography: the data, or the
 * problems in the form's order.
 */
function checkSend<T extends { place: string | null }>(
  deps: AppDeps,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: z.ZodError } },
  values: FormValues,
  order: readonly string[],
): { data: T; errors: [] } | { data: null; errors: Errors } {
  const parsed = schema.safeParse(values);
  const errors = parsed.success ? [] : fieldProblems(parsed.error, order);
  const placeError = placeProblem(deps.geography.get(), parsed.success ? parsed.data.place : null);
  if (placeError && !errorFor(errors, 'place')) errors.push({ field: 'place', message: placeError });
  if (parsed.success && errors.length === 0) return { data: parsed.data, errors: [] };
  return { data: null, errors: inFormOrder(errors, order) };
}

/** Whether this is the token's first use (a refresh or replay of a send is not sent again). */
const firstSend = (deps: AppDeps, body: FormValues) => firstUseOfToken(deps.db, body[FORM_TOKEN_FIELD] ?? '');

// ---------------------------------------------------------------------------------------------------
// /help/contact-me

async function contactMeForm(
  c: Context,
  deps: AppDeps,
  values: FormValues = {},
  errors: Errors = [],
  notice: MessageKey | null = null,
) {
  const token = await issueFormToken(deps.keyring, 'contact-me');
  const frame = frameFor(c, deps);
  return page(
    c,
    <ContactMeForm
      frame={frame}
      token={token}
      values={values}
      errors={errors}
      notice={notice ? frame.t.text(notice) : null}
    />,
    errors.length || notice ? 400 : 200,
  );
}

async function contactMeSend(c: Context, deps: AppDeps) {
  const body = await readForm(c);
  const guarded = await guard(c, deps, 'contact-me', body);
  if (guarded instanceof Response) return guarded;
  const values = pickValues(body, CONTACT_ME_FIELDS);
  if (guarded !== 'ok') return contactMeForm(c, deps, values, [], TIMING_NOTICE[guarded]);

  const { data: d, errors } = checkSend(deps, ContactMeSchema, values, CONTACT_ME_FIELDS);
  if (!d) return contactMeForm(c, deps, values, errors);

  if (!(await firstSend(deps, body))) return page(c, <AlreadySentPage frame={frameFor(c, deps)} />);
  const created = await sendContactMe(deps, d, c.get('locale') ?? 'en');
  return page(
    c,
    <ContactMeSent
      frame={frameFor(c, deps)}
      created={created}
      method={d.method}
      times={d.times}
      codeWord={d.codeWord}
    />,
  );
}

// ---------------------------------------------------------------------------------------------------
// /identify/refer

function referStart(c: Context, deps: AppDeps, screening: ScreeningHandoff | null, errors: Errors = []) {
  return page(
    c,
    <ReferStart frame={frameFor(c, deps)} screening={screening} errors={errors} />,
    errors.length ? 400 : 200,
  );
}

async function referForm(
  c: Context,
  deps: AppDeps,
  agreed: 'yes' | 'no',
  screening: ScreeningHandoff | null,
  values: FormValues,
  errors: Errors = [],
  notice: MessageKey | null = null,
) {
  const token = await issueFormToken(deps.keyring, 'refer');
  const frame = frameFor(c, deps);
  return page(
    c,
    <ReferForm
      frame={frame}
      token={token}
      agreed={agreed}
      screening={screening}
      values={values}
      errors={errors}
      notice={notice ? frame.t.text(notice) : null}
    />,
    errors.length || notice ? 400 : 200,
  );
}

async function referEntry(c: Context, deps: AppDeps) {
  const body = await readForm(c);
  const read = readScreening(body.screening);
  if (!read.ok) return badScreening(c, deps);
  const agreed = body.agreed;
  if (agreed === 'yes' || agreed === 'no')
    return referForm(c, deps, agreed, read.screening, prefill(deps.geography.get(), read.screening));
  const errors =
    agreed === undefined
      ? []
      : [{ field: 'agreed', message: 'Say whether the young person agreed to be contacted.' }];
  return referStart(c, deps, read.screening, errors);
}

async function referSend(c: Context, deps: AppDeps) {
  const body = await readForm(c);
  const read = readScreening(body.screening);
  if (!read.ok) return badScreening(c, deps);
  const guarded = await guard(c, deps, 'refer', body);
  if (guarded instanceof Response) return guarded;
  const values = { ...pickValues(body, REFER_FIELDS), agreed: body.agreed ?? '' };
  const agreed = values.agreed;
  if (agreed !== 'yes' && agreed !== 'no') return referStart(c, deps, read.screening);
  if (guarded !== 'ok') return referForm(c, deps, agreed, read.screening, values, [], TIMING_NOTICE[guarded]);

  const { data: d, errors } = checkSend(deps, ReferSchema, values, REFER_FIELDS);
  if (!d) return referForm(c, deps, agreed, read.screening, values, errors);

  if (!(await firstSend(deps, body))) return page(c, <AlreadySentPage frame={frameFor(c, deps)} />);
  const created = await sendReferral(deps, d, read.screening, c.get('locale') ?? 'en');
  return page(c, <ReferSent frame={frameFor(c, deps)} created={created} said={referralSignals(d)} />);
}

// ---------------------------------------------------------------------------------------------------
// /referral-status

async function statusLookup(c: Context, deps: AppDeps) {
  const limited = await countRequest(deps.db, c, STATUS_LIMIT);
  if (!limited.allowed) return slowDown(c, deps, limited.retryAfterSeconds);
  const body = await readForm(c);
  const code = (body.code ?? '').slice(0, 200);
  const status = await statusForReference(deps.db, code);
  if (!status)
    return page(
      c,
      <StatusPage frame={frameFor(c, deps)} error={NOT_FOUND_CODE} />,
      code.trim() === '' ? 400 : 404,
    );
  return page(c, <StatusPage frame={frameFor(c, deps)} status={status} />);
}

// ---------------------------------------------------------------------------------------------------

export const intakePages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => tooLarge(c, deps) });
  r.open('get', '/identify/refer', PUBLIC, (c) => referStart(c, deps, null));
  r.open('post', '/identify/refer', PUBLIC, limitBody, (c) => referEntry(c, deps));
  r.open('post', '/identify/refer/send', PUBLIC, limitBody, (c) => referSend(c, deps));
  r.open('get', '/help/contact-me', PUBLIC, (c) => contactMeForm(c, deps));
  r.open('post', '/help/contact-me', PUBLIC, limitBody, (c) => contactMeSend(c, deps));
  r.open('get', '/referral-status', PUBLIC, (c) => page(c, <StatusPage frame={frameFor(c, deps)} />));
  r.open('post', '/referral-status', PUBLIC, limitBody, (c) => statusLookup(c, deps));
};
