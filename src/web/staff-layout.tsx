/**
 * The frame of staff pages: the site's style sheet under the response's nonce, a header that says
 * who is signed in, navigation by permission, and a sign-out button (a form: signing out changes state).
 */
import type { Child, FC } from 'hono/jsx';
import { POLICY, ROLE_NAMES, can, type Actor } from '../platform/access.ts';
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

/** The pages a signed-in person may open, beyond home and their sessions: [address, name]. */
function staffLinks(actor: Actor): [string, string][] {
  const own = { organizationId: actor.organizationId };
  const links: [unknown, string, string][] = [
    [POLICY['intake.read'][actor.role], '/staff/queue', 'Referral queue'],
    [POLICY['cases.read'][actor.role], '/staff/cases', 'Cases'],
    [POLICY['cases.read'][actor.role], '/staff/tasks', 'Tasks'],
    [POLICY['transfers.decide'][actor.role], '/staff/transfers', 'Transfers'],
    [
      POLICY['referrals.respond'][actor.role] || POLICY['cases.write'][actor.role],
      '/staff/referrals',
      'Referrals',
    ],
    [can(actor, 'people.list', own), '/staff/admin/people', 'People'],
    [can(actor, 'organizations.manage'), '/staff/admin/organizations', 'Organisations'],
    [can(actor, 'instruments.manage'), '/staff/admin/instruments', 'Screening instruments'],
    [can(actor, 'cases.export'), '/staff/admin/person-requests', 'Requests about a person'],
    [POLICY['data.steward'][actor.role], '/staff/data', 'Public data'],
    [can(actor, 'audit.read', own), '/staff/admin/audit', 'Audit log'],
  ];
  return links.filter(([shown]) => shown).map(([, href, label]) => [href, label]);
}

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
            {staffLinks(s.actor).map(([href, label]) => (
              <>
                {' · '}
                <a href={href}>{label}</a>
              </>
            ))}
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
