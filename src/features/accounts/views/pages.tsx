/**
 * The pages of signing in and of one's own account: sign-in steps, two-factor enrolment, sessions,
 * re-authentication, first set-up and the single-use links. Every form works without JavaScript and
 * carries a CSRF token.
 */
import type { Child } from 'hono/jsx';
import { ROLE_NAMES, type Role } from '../../../platform/access.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../platform/auth/credentials/password.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import type { SessionSummary } from '../service.ts';

/** The password field (as long as a password may be), then the form's Continue button. */
const PasswordAndContinue = (props: {
  autocomplete: 'current-password' | 'new-password';
  hint?: boolean;
}) => (
  <>
    <input
      id="password"
      name="password"
      type="password"
      autocomplete={props.autocomplete}
      aria-describedby={props.hint ? 'password-hint' : undefined}
      maxlength={MAX_PASSWORD_LENGTH}
      required
    />
    <p>
      <button type="submit">Continue</button>
    </p>
  </>
);

export type Errors = { field: string; message: string }[];

interface Page {
  frame: StaffFrame;
  errors?: Errors;
}

const PasswordHint = () => (
  <p class="hint" id="password-hint">
    At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well. You can paste it from a
    password manager.
  </p>
);

/** A page of one paragraph under a title. */
export const NoticePage = ({
  frame,
  title,
  children,
}: {
  frame: StaffFrame;
  title: string;
  children?: Child;
}) => (
  <StaffLayout frame={frame} title={title}>
    <p>{children}</p>
  </StaffLayout>
);

export const StaffHomePage = ({
  frame,
  role,
  children,
}: {
  frame: StaffFrame;
  role: Role;
  children?: Child;
}) => (
  <StaffLayout frame={frame} title="Staff home">
    <p>You are signed in as {ROLE_NAMES[role]}.</p>
    {children}
    <p>Sessions end after 30 minutes without activity, and after 12 hours in any case.</p>
  </StaffLayout>
);

export const SignInPage = ({ frame, errors = [], email }: Page & { email: string }) => (
  <StaffLayout frame={{ ...frame, session: null }} title="Sign in">
    <ErrorSummary errors={errors} />
    <form method="post" action="/staff/sign-in">
      <CsrfField token={frame.csrf} />
      <label for="email">Email address</label>
      <input id="email" name="email" type="email" autocomplete="username" value={email} required />
      <label for="password">Password</label>
      <PasswordAndContinue autocomplete="current-password" />
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
      Your email address, your name and your two-step sign-in key are stored encrypted. Each sign-in (and each
      failed one), each change to your account and each time you open a record about a person is written to an
      audit log with the time, your account, the address your request came from and your browser, so that
      every use of personal data can be checked later. Your sessions, with the same address and browser, are
      listed on your sessions page, where you can end them. Administrators of your organisation and the state
      administrators can see the audit log. Nothing is shared with other companies, and this area sets one
      cookie, needed to keep you signed in.
    </p>
  </StaffLayout>
);

export const CodePage = ({ frame, errors = [] }: Page) => (
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
  </StaffLayout>
);

export const EnrolPage = ({
  frame,
  errors = [],
  enrolment,
}: Page & { enrolment: { secret: string; qrSvg: string } }) => (
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
  </StaffLayout>
);

export const RecoveryCodesPage = ({ frame, codes }: { frame: StaffFrame; codes: string[] }) => (
  <StaffLayout frame={frame} title="Save your recovery codes">
    <p>
      Two-step sign-in is on. If you lose your phone, each of these codes lets you sign in once. Keep them
      somewhere safe; they are shown only now.
    </p>
    <ul class="cols">
      {codes.map((code) => (
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
  </StaffLayout>
);

const utc = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A form that ends the sessions named by `which`. */
const EndForm = ({ frame, which, children }: { frame: StaffFrame; which: string; children?: Child }) => (
  <form method="post" action="/staff/sessions/end">
    <CsrfField token={frame.csrf} />
    <input type="hidden" name="which" value={which} />
    {children}
  </form>
);

export const SessionsPage = ({ frame, sessions }: { frame: StaffFrame; sessions: SessionSummary[] }) => (
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
            <td>{utc(s.createdAt)}</td>
            <td>{utc(s.lastSeenAt)}</td>
            <td>{s.ip ?? 'unknown'}</td>
            <td>{(s.userAgent ?? 'unknown').slice(0, 60)}</td>
            <td>
              {s.current ? (
                'This session'
              ) : (
                <EndForm frame={frame} which={String(i)}>
                  <button type="submit">End</button>
                </EndForm>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <EndForm frame={frame} which="others">
      <button type="submit">End all other sessions</button>
    </EndForm>
    <EndForm frame={frame} which="all">
      <button type="submit" class="btn alt">
        End every session, including this one
      </button>
    </EndForm>
  </StaffLayout>
);

export const ReauthenticatePage = ({ frame, errors = [], next }: Page & { next: string }) => (
  <StaffLayout frame={frame} title="Confirm it is you">
    <ErrorSummary errors={errors} />
    <p>This action needs you to sign in again.</p>
    <form method="post" action={`/staff/reauthenticate?next=${encodeURIComponent(next)}`}>
      <CsrfField token={frame.csrf} />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <label for="code">Code from your authenticator app</label>
      <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" />
      <p>
        <button type="submit">Confirm</button>
      </p>
    </form>
  </StaffLayout>
);

const PasswordForm = ({
  frame,
  action,
  children,
}: {
  frame: StaffFrame;
  action: string;
  children?: Child;
}) => (
  <form method="post" action={action}>
    <CsrfField token={frame.csrf} />
    {children}
    <label for="password">Choose a password</label>
    <PasswordHint />
    <PasswordAndContinue autocomplete="new-password" hint />
  </form>
);

export const SetupPage = ({
  frame,
  errors = [],
  action,
  values,
}: Page & {
  action: string;
  values: Partial<Record<'organizationName' | 'displayName' | 'email', string>>;
}) => (
  <StaffLayout frame={frame} title="Set up No Wrong Door">
    <ErrorSummary errors={errors} />
    <p>You are creating the first state administrator. You will set up two-step sign-in next.</p>
    <PasswordForm frame={frame} action={action}>
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
    </PasswordForm>
  </StaffLayout>
);

export const NewPasswordPage = ({
  frame,
  errors = [],
  action,
  title,
}: Page & { action: string; title: string }) => (
  <StaffLayout frame={frame} title={title}>
    <ErrorSummary errors={errors} />
    <PasswordForm frame={frame} action={action} />
  </StaffLayout>
);

export const ForgotPage = ({ frame }: { frame: StaffFrame }) => (
  <StaffLayout frame={frame} title="Reset your password">
    <form method="post" action="/staff/forgot">
      <CsrfField token={frame.csrf} />
      <label for="email">Email address</label>
      <input id="email" name="email" type="email" autocomplete="username" required />
      <p>
        <button type="submit">Send me a link</button>
      </p>
    </form>
  </StaffLayout>
);
