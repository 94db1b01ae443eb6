/**
 * Signing in and out, two-factor enrolment, sessions, first set-up, invitations, password resets and
 * re-authentication: the pages around the accounts service. Thin: each reads its form with schema.ts,
 * calls the service and renders a page from views/. Every refusal says what to do next.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps, Feature } from '../../app-types.ts';
import { waitInWords } from '../../platform/rate-limit/index.ts';
import { renderPage } from '../../web/http.ts';
import { SIGNED_IN, STAFF_ENTRY } from '../../platform/policy.ts';
import {
  AccountError,
  type AccountReason,
  SIGN_IN_REFUSED,
  type AttemptRefused,
  acceptInvitation,
  beginTwoFactorEnrolment,
  completeSetup,
  confirmTwoFactorEnrolment,
  endSessions,
  linkUsable,
  listSessions,
  reauthenticate,
  requestPasswordReset,
  resetPassword,
  signInWithPassword,
  signOut,
  verifySecondFactor,
  type SignedInSession,
} from './service.ts';
import { Notifications } from '../queue/index.ts';
import { homeCounts } from './home.ts';
import { listNotifications } from '../notifications/service.ts';
import { staffFrame } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import type { StaffFrame } from '../../web/staff-layout.tsx';
import {
  accountsContext,
  clearSessionCookie,
  nextStepFor,
  requestOrigin,
  sessionCookieName,
  setSessionCookie,
} from '../../web/session.ts';
import {
  EndSessionsForm,
  EnrolmentForm,
  ForgotForm,
  NewPasswordForm,
  ReauthenticationForm,
  SecondFactorForm,
  SetupForm,
  SignInForm,
  readAccountForm,
  type SetupValues,
} from './schema.ts';
import {
  CodePage,
  EnrolPage,
  ForgotPage,
  NewPasswordPage,
  NoticePage,
  ReauthenticatePage,
  RecoveryCodesPage,
  SessionsPage,
  SetupPage,
  SignInPage,
  StaffHomePage,
  type Errors,
} from './views/pages.tsx';

type Status = 200 | 400 | 404 | 429;

/** The notes a `?done=` link shows on the home page, the sign-in page and the sessions page. */
const HOME_DONE: Record<string, string> = {
  'two-factor': 'Two-step sign-in is on. Welcome to No Wrong Door.',
};
const SIGN_IN_DONE: Record<string, string> = {
  setup: 'No Wrong Door is set up and your account is ready. Sign in to set up two-step sign-in.',
  invitation: 'Your account is ready. Sign in with your email address and the password you chose.',
  reset: 'Your password is changed and your other sessions have ended. Sign in with the new password.',
  'signed-out': 'You are signed out of every session.',
};
const SESSIONS_DONE: Record<string, string> = {
  one: 'That session has ended.',
  others: 'Your other sessions have ended.',
};

/** The page frame for whoever is (perhaps partly) signed in. */
const frameOf = (c: Context, deps: AppDeps) => staffFrame(c, deps, c.get('session'));

/** A form's text fields (a file reads as empty). */
async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}

/** Only paths on this site, so a crafted `next` cannot send anyone elsewhere. */
function safeNext(value: string | undefined): string {
  return value && /^\/staff(\/[A-Za-z0-9/_.?=&%-]*)?$/.test(value) && !value.startsWith('//')
    ? value
    : '/staff';
}

function startSession(c: Context, deps: AppDeps, session: SignedInSession): Response {
  setSessionCookie(c, deps, session.token);
  const next = {
    second_factor: '/staff/sign-in/code',
    enrol_second_factor: '/staff/two-factor',
    complete: '/staff',
  } as const;
  return c.redirect(next[session.stage], 303);
}

/** Where a person at another sign-in step belongs. */
const elsewhere = (c: Context) => c.redirect(nextStepFor(c.get('session')) ?? '/staff', 303);

/**
 * What to say when the throttle refused an attempt before checking it; sets `Retry-After`. The same
 * words for every account, known or not.
 */
function refusedMessage(c: Context, refused: AttemptRefused): string {
  if (refused.reason === 'locked')
    return 'This account is locked after too many failed attempts. Ask your administrator to unlock it.';
  c.header('Retry-After', String(refused.retryAfterSeconds));
  return `Too many attempts. Try again in ${waitInWords(refused.retryAfterSeconds)}. If you cannot wait, ask your administrator to unlock your account.`;
}

/** A refused attempt (429) or a wrong secret (400), as one error on `field`. */
function attemptErrors(
  c: Context,
  result: { ok: false; reason: 'invalid' } | AttemptRefused,
  field: string,
  wrong: string,
): [Errors, Status] {
  return result.reason === 'invalid'
    ? [[{ field, message: wrong }], 400]
    : [[{ field, message: refusedMessage(c, result) }], 429];
}

function accountErrors(error: unknown, fieldFor: Partial<Record<AccountReason, string>>): Errors {
  if (error instanceof AccountError)
    return [{ field: fieldFor[error.reason] ?? 'password', message: error.message }];
  throw error;
}

const linkGone = async (c: Context, deps: AppDeps) =>
  renderPage(
    c,
    <NoticePage frame={await frameOf(c, deps)} title="This link cannot be used">
      It has expired or has already been used. Ask your administrator for a new one.
    </NoticePage>,
    404,
  );

const isLinkGone = (error: unknown) => error instanceof AccountError && error.reason === 'link_invalid';

export const authPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = () => accountsContext(deps);

  r.staff('get', '/staff', SIGNED_IN, async (c, { session, frame }) => {
    const [notes, counts] = await Promise.all([
      listNotifications(deps.db, session.userId, 20),
      homeCounts(deps, session.actor),
    ]);
    return renderPage(
      c,
      <StaffHomePage
        frame={frame}
        name={session.stage === 'complete' ? await session.who.name() : ''}
        role={session.actor.role}
        counts={counts}
        done={HOME_DONE[c.req.query('done') ?? ''] ?? null}
      >
        <Notifications
          deps={deps}
          frame={frame}
          unread={notes.unread}
          notifications={notes.notifications}
          now={new Date()}
        />
      </StaffHomePage>,
    );
  });

  // Step one: email and password.
  const signInPage = async (c: Context, errors: Errors = [], email = '', status: Status = 200) =>
    renderPage(
      c,
      <SignInPage
        frame={await frameOf(c, deps)}
        errors={errors}
        email={email}
        done={status === 200 ? (SIGN_IN_DONE[c.req.query('done') ?? ''] ?? null) : null}
      />,
      status as 200,
    );
  r.open('get', '/staff/sign-in', STAFF_ENTRY, (c) => signInPage(c));
  r.open('post', '/staff/sign-in', STAFF_ENTRY, async (c) => {
    const f = readAccountForm(SignInForm, await form(c));
    const outcome = await signInWithPassword(
      ctx(),
      { ...f, previousSessionToken: getCookie(c, sessionCookieName(deps)) },
      requestOrigin(c),
    );
    if (outcome.ok) return startSession(c, deps, outcome.session);
    const [errors, status] = attemptErrors(c, outcome, 'email', SIGN_IN_REFUSED);
    return signInPage(c, errors, f.email, status);
  });

  // Step two: a code from the app or a recovery code.
  const codePage = async (c: Context, errors: Errors = [], status: Status = 200) =>
    renderPage(c, <CodePage frame={await frameOf(c, deps)} errors={errors} />, status as 200);
  const atSecondStep = (c: Context) => c.get('session')?.stage === 'second_factor';
  r.open('get', '/staff/sign-in/code', STAFF_ENTRY, (c) => (atSecondStep(c) ? codePage(c) : elsewhere(c)));
  r.open('post', '/staff/sign-in/code', STAFF_ENTRY, async (c) => {
    const session = c.get('session');
    if (!session || !atSecondStep(c)) return elsewhere(c);
    const f = readAccountForm(SecondFactorForm, await form(c));
    const result = await verifySecondFactor(ctx(), session, f.code, requestOrigin(c));
    if (result.ok) return startSession(c, deps, result.session);
    return codePage(
      c,
      ...attemptErrors(
        c,
        result,
        'code',
        'That code is not right, or it was already used. Wait for the next code and try again.',
      ),
    );
  });

  // Two-factor enrolment, for a role that sees personal data.
  const enrolPage = async (c: Context, errors: Errors = [], status: 200 | 400 = 200) => {
    const session = c.get('session');
    if (!session) return c.redirect('/staff/sign-in', 303);
    const frame = await frameOf(c, deps);
    const enrolment = await beginTwoFactorEnrolment(ctx(), session);
    return renderPage(c, <EnrolPage frame={frame} errors={errors} enrolment={enrolment} />, status);
  };
  const mayEnrol = (c: Context) => c.get('session')?.stage === 'enrol_second_factor';
  r.open('get', '/staff/two-factor', STAFF_ENTRY, (c) => (mayEnrol(c) ? enrolPage(c) : elsewhere(c)));
  r.open('post', '/staff/two-factor', STAFF_ENTRY, async (c) => {
    const session = c.get('session');
    if (!session || !mayEnrol(c)) return elsewhere(c);
    const f = readAccountForm(EnrolmentForm, await form(c));
    const result = await confirmTwoFactorEnrolment(ctx(), session, f.code, requestOrigin(c));
    if (!result.ok)
      return enrolPage(
        c,
        [
          {
            field: 'code',
            message:
              'That code is not right. Check that the app shows this account, wait for the next code and enter it.',
          },
        ],
        400,
      );
    setSessionCookie(c, deps, result.session.token);
    c.set('session', null);
    return renderPage(c, <RecoveryCodesPage frame={await frameOf(c, deps)} codes={result.recoveryCodes} />);
  });

  r.open('post', '/staff/sign-out', STAFF_ENTRY, async (c) => {
    const session = c.get('session');
    if (session) await signOut(ctx(), session, requestOrigin(c));
    clearSessionCookie(c, deps);
    return c.redirect('/staff/sign-in', 303);
  });

  r.staff('get', '/staff/sessions', SIGNED_IN, async (c, { session, frame }) =>
    renderPage(
      c,
      <SessionsPage
        deps={deps}
        frame={frame}
        sessions={await listSessions(ctx(), session)}
        done={SESSIONS_DONE[c.req.query('done') ?? ''] ?? null}
      />,
    ),
  );
  r.staff('post', '/staff/sessions/end', SIGNED_IN, async (c, { session }) => {
    const { which } = readAccountForm(EndSessionsForm, await form(c));
    let target: string;
    if (which === 'all' || which === 'others') target = which;
    else {
      // Sessions are named by their place in the list, never by their id hash in a form.
      const listed = await listSessions(ctx(), session);
      const picked = /^\d{1,3}$/.test(which) ? listed[Number(which)] : undefined;
      if (!picked) return c.redirect('/staff/sessions', 303);
      target = picked.idHash;
    }
    await endSessions(ctx(), session, target, requestOrigin(c));
    if (target === 'all') {
      clearSessionCookie(c, deps);
      return c.redirect('/staff/sign-in?done=signed-out', 303);
    }
    return c.redirect(`/staff/sessions?done=${which === 'others' ? 'others' : 'one'}`, 303);
  });

  // Signing in again before a sensitive action, then back to it.
  const reauthPage = (c: Context, frame: StaffFrame, errors: Errors = [], status: Status = 200) =>
    renderPage(
      c,
      <ReauthenticatePage frame={frame} errors={errors} next={safeNext(c.req.query('next'))} />,
      status as 200,
    );
  r.staff('get', '/staff/reauthenticate', SIGNED_IN, (c, { frame }) => reauthPage(c, frame));
  r.staff('post', '/staff/reauthenticate', SIGNED_IN, async (c, { session, frame }) => {
    const f = readAccountForm(ReauthenticationForm, await form(c));
    const result = await reauthenticate(ctx(), session, f, requestOrigin(c));
    if (!result.ok)
      return reauthPage(
        c,
        frame,
        ...attemptErrors(c, result, 'password', 'The password or code is not right. Try again.'),
      );
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  // Single-use links: first set-up, invitations, password resets.
  const setupPage = async (
    c: Context,
    errors: Errors = [],
    values: Partial<SetupValues> = {},
    status: 200 | 400 = 200,
  ) =>
    renderPage(
      c,
      <SetupPage frame={await frameOf(c, deps)} errors={errors} action={c.req.path} values={values} />,
      status,
    );
  r.open('get', '/staff/setup/:token', STAFF_ENTRY, async (c) =>
    (await linkUsable(ctx(), c.req.param('token') ?? '', 'setup')) ? setupPage(c) : linkGone(c, deps),
  );
  r.open('post', '/staff/setup/:token', STAFF_ENTRY, async (c) => {
    const { password, ...values } = readAccountForm(SetupForm, await form(c));
    try {
      await completeSetup(ctx(), c.req.param('token') ?? '', { ...values, password }, requestOrigin(c));
    } catch (error) {
      if (isLinkGone(error)) return linkGone(c, deps);
      return setupPage(c, accountErrors(error, { invalid: 'email', weak_password: 'password' }), values, 400);
    }
    return c.redirect('/staff/sign-in?done=setup', 303);
  });

  // Invitations and password resets: a single-use link, then the person chooses a password.
  const passwordLink = (
    prefix: '/staff/invitation' | '/staff/reset',
    purpose: 'invitation' | 'password_reset',
    title: string,
    use: (token: string, password: string, c: Context) => Promise<unknown>,
  ) => {
    const path = `${prefix}/:token`;
    const show = async (c: Context, errors: Errors = [], status: 200 | 400 = 200) =>
      renderPage(
        c,
        <NewPasswordPage frame={await frameOf(c, deps)} errors={errors} action={c.req.path} title={title} />,
        status,
      );
    r.open('get', path, STAFF_ENTRY, async (c) =>
      (await linkUsable(ctx(), c.req.param('token') ?? '', purpose)) ? show(c) : linkGone(c, deps),
    );
    r.open('post', path, STAFF_ENTRY, async (c) => {
      const { password } = readAccountForm(NewPasswordForm, await form(c));
      try {
        await use(c.req.param('token') ?? '', password, c);
      } catch (error) {
        if (isLinkGone(error)) return linkGone(c, deps);
        return show(c, accountErrors(error, {}), 400);
      }
      if (purpose === 'password_reset') clearSessionCookie(c, deps);
      return c.redirect(`/staff/sign-in?done=${purpose === 'password_reset' ? 'reset' : 'invitation'}`, 303);
    });
  };
  passwordLink('/staff/invitation', 'invitation', 'Accept your invitation', (token, password, c) =>
    acceptInvitation(ctx(), token, password, requestOrigin(c)),
  );
  passwordLink('/staff/reset', 'password_reset', 'Choose a new password', (token, password, c) =>
    resetPassword(ctx(), token, password, requestOrigin(c)),
  );

  r.open('get', '/staff/forgot', STAFF_ENTRY, async (c) =>
    renderPage(c, <ForgotPage frame={await frameOf(c, deps)} />),
  );
  r.open('post', '/staff/forgot', STAFF_ENTRY, async (c) => {
    const { email } = readAccountForm(ForgotForm, await form(c));
    await requestPasswordReset(ctx(), email, requestOrigin(c));
    return renderPage(
      c,
      <NoticePage frame={await frameOf(c, deps)} title="Check your email" tone="info">
        If that address has an account, we have sent it a link to choose a new password. The link works once,
        for one hour.
      </NoticePage>,
    );
  });
};
