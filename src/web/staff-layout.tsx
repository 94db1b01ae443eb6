/**
 * The frame of staff pages: the site's style sheet under the response's nonce, a header that says
 * who is signed in, navigation by permission, and a sign-out button (a form: signing out changes state).
 */
import type { Child, FC } from 'hono/jsx';
import { POLICY, ROLE_NAMES, can } from '../platform/access.ts';
import { PageHead } from './public-layout.tsx';
import type { CurrentSession } from '../features/accounts/service.ts';

export interface StaffFrame {
  nonce: string;
  csrf: string;
  session: CurrentSession | null;
}

export const CsrfField: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name="csrf" value={token} />
);

/** An error summary that links to the field, as GOV.UK does. */
export const ErrorSummary: FC<{ errors: { field: string; message: string }[] }> = ({ errors }) =>
  errors.length ? (
    <div class="error" role="alert" tabindex={-1}>
      <h2>There is a problem</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  ) : null;

export const StaffLayout: FC<{ frame: StaffFrame; title: string; children?: Child }> = ({
  frame,
  title,
  children,
}) => {
  const s = frame.session?.stage === 'complete' ? frame.session : null;
  return (
    <html lang="en">
      <PageHead nonce={frame.nonce} title={`${title} | No Wrong Door staff`} noindex />
      <body>
        <a class="skip" href="#main">
          Skip to main content
        </a>
        <header class="top">
          <a class="home" href={s ? '/staff' : '/staff/sign-in'}>
            No Wrong Door · staff
          </a>
          {s ? (
            <form method="post" action="/staff/sign-out">
              <CsrfField token={frame.csrf} />
              <button type="submit" class="btn alt">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        {s ? (
          <nav aria-label="Staff" class="exit-note">
            <a href="/staff">Home</a> · <a href="/staff/sessions">Your sessions</a>
            {POLICY['intake.read'][s.actor.role] ? (
              <>
                {' · '}
                <a href="/staff/queue">Referral queue</a>
              </>
            ) : null}
            {POLICY['cases.read'][s.actor.role] ? (
              <>
                {' · '}
                <a href="/staff/cases">Cases</a>
              </>
            ) : null}
            {POLICY['cases.read'][s.actor.role] ? (
              <>
                {' · '}
                <a href="/staff/tasks">Tasks</a>
              </>
            ) : null}
            {POLICY['transfers.decide'][s.actor.role] ? (
              <>
                {' · '}
                <a href="/staff/transfers">Transfers</a>
              </>
            ) : null}
            {POLICY['referrals.respond'][s.actor.role] || POLICY['cases.write'][s.actor.role] ? (
              <>
                {' · '}
                <a href="/staff/referrals">Referrals</a>
              </>
            ) : null}
            {can(s.actor, 'people.list', { organizationId: s.actor.organizationId }) ? (
              <>
                {' · '}
                <a href="/staff/admin/people">People</a>
              </>
            ) : null}
            {can(s.actor, 'organizations.manage') ? (
              <>
                {' · '}
                <a href="/staff/admin/organizations">Organisations</a>
              </>
            ) : null}
            {can(s.actor, 'instruments.manage') ? (
              <>
                {' · '}
                <a href="/staff/admin/instruments">Screening instruments</a>
              </>
            ) : null}
            {can(s.actor, 'cases.export') ? (
              <>
                {' · '}
                <a href="/staff/admin/person-requests">Requests about a person</a>
              </>
            ) : null}
            {POLICY['data.steward'][s.actor.role] ? (
              <>
                {' · '}
                <a href="/staff/data">Public data</a>
              </>
            ) : null}
            {can(s.actor, 'audit.read', { organizationId: s.actor.organizationId }) ? (
              <>
                {' · '}
                <a href="/staff/admin/audit">Audit log</a>
              </>
            ) : null}
            {' · '}
            <span>{ROLE_NAMES[s.actor.role]}</span>
          </nav>
        ) : null}
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
};
