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
import type { AppDeps } from '../../../app-types.ts';
import { Success, Time } from '../../../web/page.tsx';
import {
  Actions,
  Alert,
  Button,
  Counts,
  DataTable,
  LinkButton,
  SrOnly,
  Tag,
  type Count,
} from '../../../web/ui.tsx';

/** A labelled input in the design system's markup (hint and error joined by `aria-describedby`). */
const Field = (p: {
  id: string;
  label: string;
  hint?: Child;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  inputmode?: 'numeric';
  value?: string;
  maxlength?: number;
  required?: boolean;
  errors?: Errors;
}) => {
  const error = p.errors?.find((e) => e.field === p.id)?.message;
  const described = [p.hint ? `${p.id}-hint` : '', error ? `${p.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label class={`usa-label${error ? ' usa-label--error' : ''}`} for={p.id}>
        {p.label}
      </label>
      {p.hint ? (
        <div class="usa-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      ) : null}
      {error ? (
        <span class="usa-error-message" id={`${p.id}-error`}>
          {error}
        </span>
      ) : null}
      <input
        class={`usa-input${error ? ' usa-input--error' : ''}`}
        id={p.id}
        name={p.id}
        type={p.type ?? 'text'}
        autocomplete={p.autocomplete ?? 'off'}
        inputmode={p.inputmode}
        value={p.value}
        maxlength={p.maxlength}
        aria-describedby={described || undefined}
        aria-invalid={error ? 'true' : undefined}
        required={p.required}
      />
    </div>
  );
};

export type Errors = { field: string; message: string }[];

interface Page {
  frame: StaffFrame;
  errors?: Errors;
}

/** The fields that recur across the sign-in pages, less their value and errors. */
const EMAIL = { id: 'email', type: 'email', autocomplete: 'username' } as const;
const PASSWORD = { id: 'password', type: 'password', required: true } as const;
const CURRENT_PASSWORD = { ...PASSWORD, label: 'Password', autocomplete: 'current-password' } as const;
const CODE = { id: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' } as const;
const APP_CODE = { ...CODE, label: 'Code from your authenticator app' } as const;

const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words work well. You can paste it from a password manager.`;

/** A page of one paragraph under a title (an alert when `tone` says so). */
export const NoticePage = ({
  frame,
  title,
  tone,
  children,
}: {
  frame: StaffFrame;
  title: string;
  tone?: 'success' | 'info' | 'warning';
  children?: Child;
}) => (
  <StaffLayout frame={frame} title={title}>
    {tone ? (
      <Alert type={tone}>
        <p class="margin-0">{children}</p>
      </Alert>
    ) : (
      <p>{children}</p>
    )}
  </StaffLayout>
);

export const StaffHomePage = ({
  frame,
  name,
  role,
  counts,
  done,
  children,
}: {
  frame: StaffFrame;
  name: string;
  role: Role;
  /** Groups of counts that link to their lists, each with its heading. */
  counts: { id: string; heading: string; counts: Count[] }[];
  done?: string | null;
  children?: Child;
}) => (
  <StaffLayout frame={frame} title={`Welcome, ${name}`}>
    {done ? <Success message={done} /> : null}
    <p class="usa-intro">You are signed in as {ROLE_NAMES[role].toLowerCase()}.</p>
    {counts.map((group) =>
      group.counts.length ? (
        <section aria-labelledby={group.id}>
          <h2 id={group.id}>{group.heading}</h2>
          <Counts label={group.heading} counts={group.counts} />
        </section>
      ) : null,
    )}
    {children}
    <p class="usa-hint">Sessions end after 30 minutes without activity, and after 12 hours in any case.</p>
  </StaffLayout>
);

export const SignInPage = ({
  frame,
  errors = [],
  email,
  done,
}: Page & { email: string; done?: string | null }) => (
  <StaffLayout frame={{ ...frame, session: null }} title="Sign in">
    {done ? <Success message={done} /> : null}
    <ErrorSummary errors={errors} />
    <form method="post" action="/staff/sign-in" class="usa-form" novalidate>
      <CsrfField token={frame.csrf} />
      <Field {...EMAIL} label="Email address" value={email} required errors={errors} />
      <Field {...CURRENT_PASSWORD} maxlength={MAX_PASSWORD_LENGTH} errors={errors} />
      <Button>Continue</Button>
    </form>
    <p>
      <a href="/staff/forgot">Forgot your password?</a>
    </p>
    <p class="usa-hint">
      This sign-in is for staff of the Safe Harbor network. Looking for help? Go to the{' '}
      <a href="/">public site</a>.
    </p>
    <h2 id="staff-privacy">Privacy notice for staff</h2>
    <p class="measure-6">
      Your email address, your name and your two-step sign-in key are stored encrypted. Each sign-in (and each
      failed one), each change to your account and each time you open a record about a person is written to an
      audit log with the time, your account, the address your request came from and your browser, so that
      every use of personal data can be checked later. Your sessions, with the same address and browser, are
      listed on your sessions page, where you can end them. Administrators of your organization and the state
      administrators can see the audit log. Nothing is shared with other companies, and this area sets one
      cookie, needed to keep you signed in.
    </p>
  </StaffLayout>
);

export const CodePage = ({ frame, errors = [] }: Page) => (
  <StaffLayout frame={frame} title="Enter your code">
    <ErrorSummary errors={errors} />
    <form method="post" action="/staff/sign-in/code" class="usa-form" novalidate>
      <CsrfField token={frame.csrf} />
      <Field
        {...APP_CODE}
        hint="Six digits. Lost your phone? Enter one of your recovery codes instead."
        required
        errors={errors}
      />
      <Button>Sign in</Button>
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
    <p class="measure-6">
      Your account can see information about young people, so signing in needs a second step: a code from an
      app on your phone.
    </p>
    <ol class="usa-process-list">
      <li class="usa-process-list__item">
        <p class="usa-process-list__heading">Install an authenticator app your organization trusts.</p>
      </li>
      <li class="usa-process-list__item">
        <p class="usa-process-list__heading">Scan this QR code with it, or type the key below.</p>
        <div class="nwd-qr" dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
        <p>
          Key: <code>{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
        </p>
        <p class="usa-hint">
          Reloading this page keeps the same key, so a key you have already scanned stays valid.
        </p>
      </li>
      <li class="usa-process-list__item">
        <p class="usa-process-list__heading">Enter the six-digit code it shows.</p>
        <form method="post" action="/staff/two-factor" class="usa-form" novalidate>
          <CsrfField token={frame.csrf} />
          <Field {...CODE} label="Six-digit code" required errors={errors} />
          <Button>Turn on two-step sign-in</Button>
        </form>
      </li>
    </ol>
  </StaffLayout>
);

export const RecoveryCodesPage = ({ frame, codes }: { frame: StaffFrame; codes: string[] }) => (
  <StaffLayout frame={frame} title="Save your recovery codes">
    <Alert type="success" heading="Two-step sign-in is on">
      <p class="margin-0">From now on you sign in with your password and a code from your app.</p>
    </Alert>
    <p class="measure-6">
      If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe; they are
      shown only now.
    </p>
    <ul class="usa-list usa-list--unstyled nwd-codes" aria-label="Recovery codes">
      {codes.map((code) => (
        <li>
          <code>{code}</code>
        </li>
      ))}
    </ul>
    <Actions>
      <LinkButton href="/staff">I have saved them</LinkButton>
    </Actions>
  </StaffLayout>
);

/** A form that ends the sessions named by `which`. */
const EndForm = ({ frame, which, children }: { frame: StaffFrame; which: string; children?: Child }) => (
  <form method="post" action="/staff/sessions/end">
    <CsrfField token={frame.csrf} />
    <input type="hidden" name="which" value={which} />
    {children}
  </form>
);

export const SessionsPage = ({
  deps,
  frame,
  sessions,
  done,
}: {
  deps: AppDeps;
  frame: StaffFrame;
  sessions: SessionSummary[];
  done?: string | null;
}) => (
  <StaffLayout frame={frame} title="Your sessions">
    {done ? <Success message={done} /> : null}
    <p>Each place you are signed in. End any you do not recognize.</p>
    <DataTable label="Your sessions" head={['Signed in', 'Last active', 'From', 'Browser', 'Action']}>
      {sessions.map((s, i) => (
        <tr>
          <td>
            <Time deps={deps} at={s.createdAt} show="date-time" />
          </td>
          <td>
            <Time deps={deps} at={s.lastSeenAt} show="date-time" />
          </td>
          <td>{s.ip ?? 'unknown'}</td>
          <td>{(s.userAgent ?? 'unknown').slice(0, 60)}</td>
          <td>
            {s.current ? (
              <Tag tone="info">This session</Tag>
            ) : (
              <EndForm frame={frame} which={String(i)}>
                <Button variant="outline">
                  End
                  <SrOnly> the session signed in at {deps.rules.calendar.formatDateTime(s.createdAt)}</SrOnly>
                </Button>
              </EndForm>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
    <Actions>
      <EndForm frame={frame} which="others">
        <Button variant="outline">End all other sessions</Button>
      </EndForm>
      <EndForm frame={frame} which="all">
        <Button variant="danger">End every session, including this one</Button>
      </EndForm>
    </Actions>
  </StaffLayout>
);

export const ReauthenticatePage = ({ frame, errors = [], next }: Page & { next: string }) => (
  <StaffLayout frame={frame} title="Confirm it is you">
    <ErrorSummary errors={errors} />
    <p>This action needs you to sign in again.</p>
    <form
      method="post"
      action={`/staff/reauthenticate?next=${encodeURIComponent(next)}`}
      class="usa-form"
      novalidate
    >
      <CsrfField token={frame.csrf} />
      <Field {...CURRENT_PASSWORD} errors={errors} />
      <Field {...APP_CODE} errors={errors} />
      <Button>Confirm</Button>
    </form>
  </StaffLayout>
);

const PasswordForm = ({
  frame,
  action,
  errors,
  children,
}: {
  frame: StaffFrame;
  action: string;
  errors: Errors;
  children?: Child;
}) => (
  <form method="post" action={action} class="usa-form" novalidate>
    <CsrfField token={frame.csrf} />
    {children}
    <Field
      {...PASSWORD}
      label="Choose a password"
      hint={PASSWORD_HINT}
      autocomplete="new-password"
      maxlength={MAX_PASSWORD_LENGTH}
      errors={errors}
    />
    <Button>Continue</Button>
  </form>
);

/** The first administrator's details, above their password. */
const SETUP_FIELDS = [
  { id: 'organizationName', label: 'Your organization (the state agency)', maxlength: 200 },
  { id: 'displayName', label: 'Your name', autocomplete: 'name', maxlength: 200 },
  { ...EMAIL, label: 'Your email address' },
] as const;

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
    <PasswordForm frame={frame} action={action} errors={errors}>
      {SETUP_FIELDS.map((field) => (
        <Field {...field} value={values[field.id] ?? ''} required errors={errors} />
      ))}
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
    <PasswordForm frame={frame} action={action} errors={errors} />
  </StaffLayout>
);

export const ForgotPage = ({ frame }: { frame: StaffFrame }) => (
  <StaffLayout frame={frame} title="Reset your password">
    <form method="post" action="/staff/forgot" class="usa-form" novalidate>
      <CsrfField token={frame.csrf} />
      <Field {...EMAIL} label="Email address" required />
      <Button>Send me a link</Button>
    </form>
  </StaffLayout>
);
