/**
 * What the case coordination pages share: the tabs every page of a case shows, so that its parts (built
 * in separate modules) read as one case — overview (details, notes, services, timeline), consents,
 * referrals, tasks, safety plan, transfer — the heading above them, the guard and the not-found pages.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { can, mayTake, type Action, type Actor } from '../../../platform/access.ts';
import { ErrorSummary, type StaffFrame } from '../../../web/staff-layout.tsx';
import { SrOnly, Tag } from '../../../web/ui.tsx';
import { Success, guardStaffPage, messagePage, type FieldError, type Guarded } from '../../../web/page.tsx';

export const CASE_TABS = [
  { id: 'overview', label: 'Overview', path: '' },
  { id: 'consents', label: 'Consents', path: '/consents' },
  { id: 'referrals', label: 'Referrals', path: '/referrals' },
  { id: 'tasks', label: 'Tasks', path: '/tasks' },
  { id: 'safety-plan', label: 'Safety plan', path: '/safety-plan' },
  { id: 'housing', label: 'Housing', path: '/housing' },
  { id: 'transfer', label: 'Transfer', path: '/transfer' },
] as const;
export type CaseTab = (typeof CASE_TABS)[number]['id'];

/** `/staff/cases/<id><tab path>` */
export const casePath = (caseId: string, tab: CaseTab = 'overview') =>
  `/staff/cases/${caseId}${CASE_TABS.find((t) => t.id === tab)!.path}`;

/** The parts of a case as a row of links (wrapping on a phone), the part open marked. */
export const CaseTabs: FC<{ caseId: string; current: CaseTab; label: string }> = ({
  caseId,
  current,
  label,
}) => (
  <nav aria-label={`Case of ${label}`} class="nwd-case-tabs">
    <ul>
      {CASE_TABS.map((t) => (
        <li>
          <a href={casePath(caseId, t.id)} aria-current={t.id === current ? 'page' : undefined}>
            {t.label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

/**
 * The heading of every part of a case: the name the young person chose, its region, its number (the
 * case's id, which the requests-about-a-person search takes) and whether it is open; then the parts.
 */
export const CaseHeading: FC<{
  caseId: string;
  label: string;
  regionName: string;
  current: CaseTab;
  closed: boolean;
  pronouns?: string | null;
  /** An id to focus the heading by (the overview's `summary`). */
  id?: string;
  /** The case number (`WM-2026-0042`), when the page has it. */
  caseNumber?: string;
}> = ({ caseId, label, regionName, current, closed, pronouns, id, caseNumber }) => (
  <div class="nwd-case-head" id={id} tabindex={id ? -1 : undefined}>
    <div class="nwd-case-id">
      <p class="nwd-case-name">
        <SrOnly>Case of </SrOnly>
        {label}
        {pronouns ? <span class="nwd-pronouns"> ({pronouns})</span> : null}{' '}
        {closed ? <Tag tone="base">Closed</Tag> : <Tag tone="success">Open</Tag>}
      </p>
      <p class="nwd-case-meta">
        <span>{regionName}</span>
        {caseNumber ? (
          <span>
            Case number <span class="nwd-case-number">{caseNumber}</span>
          </span>
        ) : null}
      </p>
    </div>
    <CaseTabs caseId={caseId} current={current} label={label} />
  </div>
);

/**
 * The top of one of a case's tabs: the problems with the form just sent, what a change just did, then
 * the case's heading, from the tab's view of the case.
 */
export const CaseTabTop: FC<{
  view: { label: string; regionName: string; case: { id: string; status: string } };
  current: CaseTab;
  errors: FieldError[];
  message: string | null;
}> = ({ view, current, errors, message }) => (
  <>
    <ErrorSummary errors={errors} />
    <Success message={message} />
    <CaseHeading
      caseId={view.case.id}
      label={view.label}
      regionName={view.regionName}
      current={current}
      closed={view.case.status !== 'open'}
    />
  </>
);

/** Whether the role answers referrals for an organization (and the token allows it). */
export const respondRole = (actor: Actor) =>
  can(actor, 'referrals.respond', { organizationId: actor.organizationId });

/**
 * The signed-in person whose role may take `action` somewhere (answering referrals: for their own
 * organization), with the page frame; or the answer for someone who may not (sign in first, or a 403
 * page naming `who` uses the page).
 */
export function guardCasePage(
  c: Context,
  deps: AppDeps,
  action: Action,
  who: string,
): Promise<Guarded | Response> {
  return guardStaffPage(
    c,
    deps,
    (actor) => (action === 'referrals.respond' ? respondRole(actor) : mayTake(actor, action)),
    `Your role does not include this page. ${who}`,
  );
}

export const caseNotFound = (c: Context, frame: StaffFrame) =>
  messagePage(c, frame, 404, 'Case not found', 'There is no such case, or it is not in your regions.', {
    href: '/staff/tasks',
    text: 'Go to your tasks',
  });

/** A 404 page with the reason and a link back. */
export const notFoundPage = (c: Context, frame: StaffFrame, message: string, back: string) =>
  messagePage(c, frame, 404, 'Not found', message, { href: back, text: 'Go back' });

/** A 403 page for a step the person may not take, with the reason and a link back. */
export const forbiddenPage = (c: Context, frame: StaffFrame, message: string, back: string) =>
  messagePage(c, frame, 403, 'You cannot do that', message, { href: back, text: 'Go back' });
