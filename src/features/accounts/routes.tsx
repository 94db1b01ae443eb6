/**
 * Signing in and out, two-factor enrolment, sessions, first set-up, invitations, password resets and
 * re-authentication: the pages around the accounts service. Every form works without JavaScript and
 * carries a CSRF token; every refusal says what to do next.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps, Feature } from '../../app-types.ts';
import { ROLE_NAMES } from '../../platform/access.ts';
import { waitInWords } from '../../platform/rate-limit/index.ts';
import { renderPage } from '../../web/http.ts';
import { SIGNED_IN, STAFF_ENTRY } from '../../platform/policy.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../platform/auth/credentials/password.ts';
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
import { Notifications } from '../queue/routes.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import { listNotifications } from '../notifications/service.ts';
import { staffFrame } from '../../web/page.tsx';
import {
  accountsContext,
  clearSessionCookie,
  nextStepFor,
  requestOrigin,
  requireStaff,
  sessionCookieName,
  setSessionCookie,
} from '../../web/session.ts';

type Errors = { field: string; message: string }[];

/** The page frame for whoever is (perhaps partly) signed in. */
const frameOf = (c: Context, deps: AppDeps) => staffFrame(c, deps, c.get('session'));

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

const PasswordHint = () => (
  <p class="hint" id="password-hint">
    At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well. You can paste it from a
    password manager.
  </p>
);

function startSession(c: Context, deps: AppDeps, session: SignedInSession): Response {
  setSessionCookie(c, deps, session.token);
  const next = {
    second_factor: '/staff/sign-in/code',
    enrol_second_factor: '/staff/two-factor',
    complete: '/staff',
  } as const;
  return c.redirect(next[session.stage], 303);
}

async function signInPage(
  c: Context,
  deps: AppDeps,
  errors: Errors = [],
  email = '',
  status: 200 | 400 | 429 = 200,
) {
  const frame = await frameOf(c, deps);
  return renderPage(
    c,
    <StaffLayout frame={{ ...frame, session: null }} title="Sign in">
      <ErrorSummary errors={errors} />
      <form method="post" action="/staff/sign-in">
        <CsrfField token={frame.csrf} />
        <label for="email">Email address</label>
        <input id="email" name="email" type="email" autocomplete="username" value={email} required />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          maxlength={MAX_PASSWORD_LENGTH}
          required
        />
        <p>
          <button type="submit">Continue</button>
        </p>
      </form>
      <p>
        <a href="/staff/forgot">Forgot your password?</a>
      </p>
      <p class="hint">
        This sign-in is for staff of the Safe Harbor network. Looking for help? Go to the{' '}
        <a href="/">public site</a>.
      </p>
      <h2 id="staff-privacy">Privacy notice for staff</h2>
      <p>
        Your email address, your name and your two-step sign-in key are stored encrypted. Each sign-in (and
        each failed one), each change to your account and each time you open a record about a person is
        written to an audit log with the time, your account, the address your request came from and your
        browser, so that every use of personal data can be checked later. Your sessions, with the same address
        and browser, are listed on your sessions page, where you can end them. Administrators of your
        organisation and the state administrators can see the audit log. Nothing is shared with other
        companies, and this area sets one cookie, needed to keep you signed in.
      </p>
    </StaffLayout>,
    status as 200 | 400,
  );
}

async function codePage(c: Context, deps: AppDeps, errors: Errors = [], status: 200 | 400 | 429 = 200) {
  const frame = await frameOf(c, deps);
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Enter your code">
      <ErrorSummary errors={errors} />
      <form method="post" action="/staff/sign-in/code">
        <CsrfField token={frame.csrf} />
        <label for="code">Code from your authenticator app</label>
        <p class="hint" id="code-hint">
          Six digits. Lost your phone? Enter one of your recovery codes instead.
        </p>
        <input
          id="code"
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          aria-describedby="code-hint"
          required
        />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </StaffLayout>,
    status,
  );
}

async function enrolPage(c: Context, deps: AppDeps, errors: Errors = [], status: 200 | 400 = 200) {
  const session = c.get('session');
  if (!session) return c.redirect('/staff/sign-in', 303);
  const frame = await frameOf(c, deps);
  const enrolment = await beginTwoFactorEnrolment(accountsContext(deps), session);
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Set up two-step sign-in">
      <ErrorSummary errors={errors} />
      <p>
        Your account can see information about young people, so signing in needs a second step: a code from an
        app on your phone.
      </p>
      <ol>
        <li>Install an authenticator app your organisation trusts.</li>
        <li>Scan this QR code with it, or type the key below.</li>
        <li>Enter the six-digit code it shows.</li>
      </ol>
      <div dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
      <p>
        Key: <code>{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <form method="post" action="/staff/two-factor">
        <CsrfField token={frame.csrf} />
        <label for="code">Six-digit code</label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
        <p>
          <button type="submit">Turn on two-step sign-in</button>
        </p>
      </form>
    </StaffLayout>,
    status,
  );
}

async function linkGone(c: Context, deps: AppDeps) {
  return renderPage(
    c,
    <StaffLayout frame={await frameOf(c, deps)} title="This link cannot be used">
      <p>It has expired or has already been used. Ask your administrator for a new one.</p>
    </StaffLayout>,
    404,
  );
}

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

function accountErrors(error: unknown, fieldFor: Partial<Record<AccountReason, string>>): Errors {
  if (error instanceof AccountError)
    return [{ field: fieldFor[error.reason] ?? 'password', message: error.message }];
  throw error;
}

export const authPages: Feature = (app, deps, policies) => {
  const ctx = () => accountsContext(deps);

  policies.declare('GET', '/staff', SIGNED_IN);
  app.get('/staff', async (c) => {
    const session = requireStaff(c);
    if (session instanceof Response) return session;
    const [frame, notes] = await Promise.all([
      frameOf(c, deps),
      listNotifications(deps.db, session.userId, 20),
    ]);
    return renderPage(
      c,
      <StaffLayout frame={frame} title="Staff home">
        <p>You are signed in as {ROLE_NAMES[session.actor.role]}.</p>
        <Notifications
          deps={deps}
          frame={frame}
          unread={notes.unread}
          notifications={notes.notifications}
          now={new Date()}
        />
        <p>Sessions end after 30 minutes without activity, and after 12 hours in any case.</p>
      </StaffLayout>,
    );
  });

  policies.declare('GET', '/staff/sign-in', STAFF_ENTRY);
  policies.declare('POST', '/staff/sign-in', STAFF_ENTRY);
  app.get('/staff/sign-in', (c) => signInPage(c, deps));
  app.post('/staff/sign-in', async (c) => {
    const f = await form(c);
    const email = (f.email ?? '').slice(0, 320);
    const outcome = await signInWithPassword(
      ctx(),
      {
        email,
        password: (f.password ?? '').slice(0, 1024),
        previousSessionToken: getCookie(c, sessionCookieName(deps)),
      },
      requestOrigin(c),
    );
    if (outcome.ok) return startSession(c, deps, outcome.session);
    if (outcome.reason !== 'invalid')
      return signInPage(c, deps, [{ field: 'email', message: refusedMessage(c, outcome) }], email, 429);
    return signInPage(c, deps, [{ field: 'email', message: SIGN_IN_REFUSED }], email, 400);
  });

  policies.declare('GET', '/staff/sign-in/code', STAFF_ENTRY);
  policies.declare('POST', '/staff/sign-in/code', STAFF_ENTRY);
  app.get('/staff/sign-in/code', (c) =>
    c.get('session')?.stage === 'second_factor'
      ? codePage(c, deps)
      : c.redirect(nextStepFor(c.get('session')) ?? '/staff', 303),
  );
  app.post('/staff/sign-in/code', async (c) => {
    const session = c.get('session');
    if (session?.stage !== 'second_factor') return c.redirect(nextStepFor(session) ?? '/staff', 303);
    const f = await form(c);
    const result = await verifySecondFactor(ctx(), session, (f.code ?? '').slice(0, 40), requestOrigin(c));
    if (result.ok) return startSession(c, deps, result.session);
    if (result.reason !== 'invalid')
      return codePage(c, deps, [{ field: 'code', message: refusedMessage(c, result) }], 429);
    return codePage(
      c,
      deps,
      [
        {
          field: 'code',
          message: 'That code is not right, or it was already used. Wait for the next code and try again.',
        },
      ],
      400,
    );
  });

  policies.declare('GET', '/staff/two-factor', STAFF_ENTRY);
  policies.declare('POST', '/staff/two-factor', STAFF_ENTRY);
  const mayEnrol = (c: Context) => {
    const stage = c.get('session')?.stage;
    return stage === 'enrol_second_factor';
  };
  app.get('/staff/two-factor', (c) =>
    mayEnrol(c) ? enrolPage(c, deps) : c.redirect(nextStepFor(c.get('session')) ?? '/staff', 303),
  );
  app.post('/staff/two-factor', async (c) => {
    const session = c.get('session');
    if (!session || !mayEnrol(c)) return c.redirect(nextStepFor(session) ?? '/staff', 303);
    const f = await form(c);
    const result = await confirmTwoFactorEnrolment(
      ctx(),
      session,
      (f.code ?? '').slice(0, 20),
      requestOrigin(c),
    );
    if (!result.ok)
      return enrolPage(
        c,
        deps,
        [
          {
            field: 'code',
            message: 'That code is not right. Scan the new QR code below and enter the code it shows.',
          },
        ],
        400,
      );
    setSessionCookie(c, deps, result.session.token);
    c.set('session', null);
    const frame = await frameOf(c, deps);
    return renderPage(
      c,
      <StaffLayout frame={frame} title="Save your recovery codes">
        <p>
          Two-step sign-in is on. If you lose your phone, each of these codes lets you sign in once. Keep them
          somewhere safe; they are shown only now.
        </p>
        <ul class="cols">
          {result.recoveryCodes.map((code) => (
            <li>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>
          <a class="btn" href="/staff">
            I have saved them
          </a>
        </p>
      </StaffLayout>,
    );
  });

  policies.declare('POST', '/staff/sign-out', STAFF_ENTRY);
  app.post('/staff/sign-out', async (c) => {
    const session = c.get('session');
    if (session) await signOut(ctx(), session, requestOrigin(c));
    clearSessionCookie(c, deps);
    return c.redirect('/staff/sign-in', 303);
  });

  policies.declare('GET', '/staff/sessions', SIGNED_IN);
  policies.declare('POST', '/staff/sessions/end', SIGNED_IN);
  app.get('/staff/sessions', async (c) => {
    const session = requireStaff(c);
    if (session instanceof Response) return session;
    const sessions = await listSessions(ctx(), session);
    const frame = await frameOf(c, deps);
    return renderPage(
      c,
      <StaffLayout frame={frame} title="Your sessions">
        <table tabindex={0}>
          <thead>
            <tr>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">From</th>
              <th scope="col">Browser</th>
              <th scope="col">
                <span class="skip">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s, i) => (
              <tr>
                <td>{s.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
                <td>{s.lastSeenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
                <td>{s.ip ?? 'unknown'}</td>
                <td>{(s.userAgent ?? 'unknown').slice(0, 60)}</td>
                <td>
                  {s.current ? (
                    'This session'
                  ) : (
                    <form method="post" action="/staff/sessions/end">
                      <CsrfField token={frame.csrf} />
                      <input type="hidden" name="which" value={String(i)} />
                      <button type="submit">End</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/staff/sessions/end">
          <CsrfField token={frame.csrf} />
          <input type="hidden" name="which" value="others" />
          <button type="submit">End all other sessions</button>
        </form>
        <form method="post" action="/staff/sessions/end">
          <CsrfField token={frame.csrf} />
          <input type="hidden" name="which" value="all" />
          <button type="submit" class="btn alt">
            End every session, including this one
          </button>
        </form>
      </StaffLayout>,
    );
  });
  app.post('/staff/sessions/end', async (c) => {
    const session = requireStaff(c);
    if (session instanceof Response) return session;
    const which = (await form(c)).which ?? '';
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
      return c.redirect('/staff/sign-in', 303);
    }
    return c.redirect('/staff/sessions', 303);
  });

  policies.declare('GET', '/staff/reauthenticate', SIGNED_IN);
  policies.declare('POST', '/staff/reauthenticate', SIGNED_IN);
  const reauthPage = async (c: Context, errors: Errors = [], status: 200 | 400 | 429 = 200) => {
    const frame = await frameOf(c, deps);
    return renderPage(
      c,
      <StaffLayout frame={frame} title="Confirm it is you">
        <ErrorSummary errors={errors} />
        <p>This action needs you to sign in again.</p>
        <form
          method="post"
          action={`/staff/reauthenticate?next=${encodeURIComponent(safeNext(c.req.query('next')))}`}
        >
          <CsrfField token={frame.csrf} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <label for="code">Code from your authenticator app</label>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" />
          <p>
            <button type="submit">Confirm</button>
          </p>
        </form>
      </StaffLayout>,
      status,
    );
  };
  app.get('/staff/reauthenticate', (c) => {
    const session = requireStaff(c);
    return session instanceof Response ? session : reauthPage(c);
  });
  app.post('/staff/reauthenticate', async (c) => {
    const session = requireStaff(c);
    if (session instanceof Response) return session;
    const f = await form(c);
    const result = await reauthenticate(
      ctx(),
      session,
      { password: (f.password ?? '').slice(0, 1024), code: (f.code ?? '').slice(0, 20) },
      requestOrigin(c),
    );
    if (!result.ok && result.reason !== 'invalid')
      return reauthPage(c, [{ field: 'password', message: refusedMessage(c, result) }], 429);
    if (!result.ok)
      return reauthPage(
        c,
        [{ field: 'password', message: 'The password or code is not right. Try again.' }],
        400,
      );
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  // Single-use links: first set-up, invitations, password resets.
  const passwordForm = (frame: StaffFrame, action: string, extra: unknown = null) => (
    <form method="post" action={action}>
      <CsrfField token={frame.csrf} />
      {extra}
      <label for="password">Choose a password</label>
      <PasswordHint />
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        aria-describedby="password-hint"
        maxlength={MAX_PASSWORD_LENGTH}
        required
      />
      <p>
        <button type="submit">Continue</button>
      </p>
    </form>
  );

  policies.declare('GET', '/staff/setup/:token', STAFF_ENTRY);
  policies.declare('POST', '/staff/setup/:token', STAFF_ENTRY);
  const setupPage = async (
    c: Context,
    errors: Errors = [],
    values: Record<string, string> = {},
    status: 200 | 400 = 200,
  ) => {
    const frame = await frameOf(c, deps);
    const fields = (
      <>
        <label for="organizationName">Your organisation (the state agency)</label>
        <input
          id="organizationName"
          name="organizationName"
          value={values.organizationName ?? ''}
          required
          maxlength={200}
        />
        <label for="displayName">Your name</label>
        <input
          id="displayName"
          name="displayName"
          autocomplete="name"
          value={values.displayName ?? ''}
          required
          maxlength={200}
        />
        <label for="email">Your email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          value={values.email ?? ''}
          required
        />
      </>
    );
    return renderPage(
      c,
      <StaffLayout frame={frame} title="Set up No Wrong Door">
        <ErrorSummary errors={errors} />
        <p>You are creating the first state administrator. You will set up two-step sign-in next.</p>
        {passwordForm(frame, c.req.path, fields)}
      </StaffLayout>,
      status,
    );
  };
  app.get('/staff/setup/:token', async (c) =>
    (await linkUsable(ctx(), c.req.param('token'), 'setup')) ? setupPage(c) : linkGone(c, deps),
  );
  app.post('/staff/setup/:token', async (c) => {
    const f = await form(c);
    const values = {
      organizationName: f.organizationName ?? '',
      displayName: f.displayName ?? '',
      email: f.email ?? '',
    };
    try {
      await completeSetup(
        ctx(),
        c.req.param('token'),
        { ...values, password: f.password ?? '' },
        requestOrigin(c),
      );
    } catch (error) {
      if (error instanceof AccountError && error.reason === 'link_invalid') return linkGone(c, deps);
      return setupPage(c, accountErrors(error, { invalid: 'email', weak_password: 'password' }), values, 400);
    }
    return c.redirect('/staff/sign-in', 303);
  });

  // Invitations and password resets: a single-use link, then the person chooses a password.
  const passwordLink = (
    prefix: '/staff/invitation' | '/staff/reset',
    purpose: 'invitation' | 'password_reset',
    title: string,
    use: (token: string, password: string, c: Context) => Promise<unknown>,
  ) => {
    const path = `${prefix}/:token`;
    policies.declare('GET', path, STAFF_ENTRY);
    policies.declare('POST', path, STAFF_ENTRY);
    const show = async (c: Context, errors: Errors = [], status: 200 | 400 = 200) => {
      const frame = await frameOf(c, deps);
      return renderPage(
        c,
        <StaffLayout frame={frame} title={title}>
          <ErrorSummary errors={errors} />
          {passwordForm(frame, c.req.path)}
        </StaffLayout>,
        status,
      );
    };
    app.get(path, async (c) =>
      (await linkUsable(ctx(), c.req.param('token') ?? '', purpose)) ? show(c) : linkGone(c, deps),
    );
    app.post(path, async (c) => {
      const f = await form(c);
      try {
        await use(c.req.param('token') ?? '', (f.password ?? '').slice(0, 1024), c);
      } catch (error) {
        if (error instanceof AccountError && error.reason === 'link_invalid') return linkGone(c, deps);
        return show(c, accountErrors(error, {}), 400);
      }
      if (purpose === 'password_reset') clearSessionCookie(c, deps);
      return c.redirect('/staff/sign-in', 303);
    });
  };
  passwordLink('/staff/invitation', 'invitation', 'Accept your invitation', (token, password, c) =>
    acceptInvitation(ctx(), token, password, requestOrigin(c)),
  );
  passwordLink('/staff/reset', 'password_reset', 'Choose a new password', (token, password, c) =>
    resetPassword(ctx(), token, password, requestOrigin(c)),
  );

  policies.declare('GET', '/staff/forgot', STAFF_ENTRY);
  policies.declare('POST', '/staff/forgot', STAFF_ENTRY);
  app.get('/staff/forgot', async (c) => {
    const frame = await frameOf(c, deps);
    return renderPage(
      c,
      <StaffLayout frame={frame} title="Reset your password">
        <form method="post" action="/staff/forgot">
          <CsrfField token={frame.csrf} />
          <label for="email">Email address</label>
          <input id="email" name="email" type="email" autocomplete="username" required />
          <p>
            <button type="submit">Send me a link</button>
          </p>
        </form>
      </StaffLayout>,
    );
  });
  app.post('/staff/forgot', async (c) => {
    const f = await form(c);
    await requestPasswordReset(ctx(), (f.email ?? '').slice(0, 320), requestOrigin(c));
    return renderPage(
      c,
      <StaffLayout frame={await frameOf(c, deps)} title="Check your email">
        <p>
          If that address has an account, we have sent it a link to choose a new password. The link works
          once, for one hour.
        </p>
      </StaffLayout>,
    );
  });
};
