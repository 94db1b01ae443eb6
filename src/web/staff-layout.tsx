/**
 * The frame of staff pages, on the US Web Design System (served from this site, src/web/staff-assets.ts):
 * a wide layout, a header that says who is signed in and for which organization, navigation by role
 * (the page open marked), and a sign-out button (a form: signing out changes state). Inside it the
 * shared components take their staff look (src/web/skin.ts).
 */
import { readFileSync } from 'node:fs';
import type { Child, FC } from 'hono/jsx';
import { POLICY, ROLE_NAMES, can, type Actor } from '../platform/access.ts';
import type { CurrentSession } from '../features/accounts/service.ts';
import { useT } from '../platform/i18n/index.ts';
import { Skin, isStaffSkin } from './skin.ts';
import { USWDS_CSS } from './staff-assets.ts';

const STAFF_CSS = readFileSync(new URL('./staff.css', import.meta.url), 'utf8').trim();

export interface StaffFrame {
  nonce: string;
  csrf: string;
  session: CurrentSession | null;
  /** The path of the page, to mark its link in the navigation. */
  path?: string;
}

export const CsrfField: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name="csrf" value={token} />
);

/**
 * An error summary that links to each field in error, as GOV.UK and USWDS do; focused on arrival. On a
 * public page its heading is in the page's language.
 */
export const ErrorSummary: FC<{ errors: readonly { field: string; message: string }[] }> = ({ errors }) => {
  if (!errors.length) return null;
  const list = (
    <ul class={isStaffSkin() ? 'usa-list' : undefined}>
      {errors.map((e) => (
        <li>
          <a href={`#${e.field}`}>{e.message}</a>
        </li>
      ))}
    </ul>
  );
  return isStaffSkin() ? (
    <div class="usa-alert usa-alert--error" role="alert" tabindex={-1}>
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">There is a problem</h2>
        {list}
      </div>
    </div>
  ) : (
    <div class="error" role="alert" tabindex={-1}>
      <h2>{useT()('layout.errorSummary')}</h2>
      {list}
    </div>
  );
};

type NavLink = readonly [href: string, label: string];

/** The pages a signed-in person may open: their daily work, then administration. */
export function staffLinks(actor: Actor): { work: NavLink[]; admin: NavLink[] } {
  const own = { organizationId: actor.organizationId };
  const shown = (rows: [unknown, string, string][]): NavLink[] =>
    rows.filter(([allowed]) => allowed).map(([, href, label]) => [href, label] as const);
  return {
    work: shown([
      [true, '/staff', 'Home'],
      [POLICY['intake.read'][actor.role], '/staff/queue', 'Referral queue'],
      [POLICY['cases.read'][actor.role], '/staff/cases', 'Cases'],
      [POLICY['cases.read'][actor.role], '/staff/tasks', 'Tasks'],
      [
        POLICY['referrals.respond'][actor.role] || POLICY['cases.write'][actor.role],
        '/staff/referrals',
        'Referrals',
      ],
      [
        POLICY['transfers.decide'][actor.role] || POLICY['cases.read'][actor.role],
        '/staff/transfers',
        'Transfers',
      ],
      [POLICY['housing.read'][actor.role], '/staff/housing/beds', 'Bed board'],
      [POLICY['housing.manage'][actor.role], '/staff/housing/programs', 'Housing programs'],
      [POLICY['housing.manage'][actor.role], '/staff/shelter-requests', 'Shelter requests'],
      [
        POLICY['housing.manage'][actor.role] || POLICY['housing.certify'][actor.role],
        '/staff/housing/settings',
        'Certified settings',
      ],
      [POLICY['events.manage'][actor.role], '/staff/events', 'Events and trainings'],
      [
        POLICY['training.compliance'][actor.role] ||
          POLICY['training.record'][actor.role] ||
          POLICY['training.manage'][actor.role],
        '/staff/training',
        'Training',
      ],
      [can(actor, 'reports.aggregate', { aggregate: true }), '/staff/reports', 'Reports'],
    ]),
    admin: shown([
      [can(actor, 'people.list', own), '/staff/admin/people', 'People'],
      [can(actor, 'organizations.manage'), '/staff/admin/organizations', 'Organizations'],
      [can(actor, 'instruments.manage'), '/staff/admin/instruments', 'Screening instruments'],
      [can(actor, 'cases.export'), '/staff/admin/person-requests', 'Requests about a person'],
      [POLICY['data.steward'][actor.role], '/staff/data', 'Public data'],
      [can(actor, 'translations.manage'), '/staff/translations', 'Translations'],
      [can(actor, 'audit.read', own), '/staff/admin/audit', 'Audit log'],
      [true, '/staff/sessions', 'Your sessions'],
    ]),
  };
}

/** Pages a link stands for beyond its own path: the reports of housing and training are under Reports. */
const SECTIONS: Readonly<Record<string, readonly string[]>> = {
  '/staff/reports': ['/staff/housing/reports', '/staff/training/reports'],
};
const under = (prefix: string, path: string) => path === prefix || path.startsWith(`${prefix}/`);
const inSection = (href: string, path: string | undefined): boolean =>
  path !== undefined && (SECTIONS[href] ?? []).some((s) => under(s, path));

/** Whether a navigation link is the page open (or a page under it; Home only for itself). */
const current = (href: string, path: string | undefined): boolean =>
  path !== undefined && (href === '/staff' ? path === href : under(href, path) || inSection(href, path));

/** Whether another link of the list is nearer the page open (`/staff/training/reports` under `/staff/training`). */
const nearer = (href: string, links: NavLink[], path: string | undefined): boolean =>
  links.some(
    ([other]) =>
      (other.length > href.length && other.startsWith(`${href}/`) && current(other, path)) ||
      (other !== href && inSection(other, path)),
  );

const NavList: FC<{ links: NavLink[]; path: string | undefined; class?: string; label: string }> = (p) => (
  <ul class={`grid-container-widescreen${p.class ? ` ${p.class}` : ''}`} aria-label={p.label}>
    {p.links.map(([href, label]) => (
      <li>
        <a
          href={href}
          aria-current={current(href, p.path) && !nearer(href, p.links, p.path) ? 'page' : undefined}
        >
          {label}
        </a>
      </li>
    ))}
  </ul>
);

/** The signed-in person's name (decrypted here, for the header only). */
const WhoName: FC<{ name: () => Promise<string> }> = async ({ name }) => <strong>{await name()}</strong>;

export const StaffLayout: FC<{ frame: StaffFrame; title: string; children?: Child }> = ({
  frame,
  title,
  children,
}) => {
  const s = frame.session?.stage === 'complete' ? frame.session : null;
  const links = s ? staffLinks(s.actor) : null;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>{`${title} | No Wrong Door staff`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={USWDS_CSS} />
        <style nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: STAFF_CSS }} />
      </head>
      <body>
        <a class="usa-skipnav" href="#main">
          Skip to main content
        </a>
        <header class="nwd-header">
          <div class="grid-container-widescreen nwd-bar">
            <a class="nwd-brand" href={s ? '/staff' : '/staff/sign-in'}>
              No Wrong Door <span>Staff</span>
            </a>
            {s ? (
              <div class="nwd-who">
                <p class="margin-0">
                  <WhoName name={s.who.name} />
                  {ROLE_NAMES[s.actor.role]}, {s.who.organizationName}
                </p>
                <form method="post" action="/staff/sign-out">
                  <CsrfField token={frame.csrf} />
                  <button type="submit" class="usa-button usa-button--outline usa-button--inverse">
                    Sign out
                  </button>
                </form>
              </div>
            ) : null}
          </div>
        </header>
        {links ? (
          <nav aria-label="Staff" class="nwd-nav">
            <NavList links={links.work} path={frame.path} label="Work" />
            <NavList links={links.admin} path={frame.path} label="Administration" class="nwd-nav-admin" />
          </nav>
        ) : null}
        <main id="main" class="grid-container-widescreen nwd-main">
          <h1>{title}</h1>
          <Skin.Provider value="staff">{children}</Skin.Provider>
        </main>
      </body>
    </html>
  );
};
