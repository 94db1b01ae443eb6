/**
 * The tabs every page of a case shows, so that its parts (built in separate modules) read as one case:
 * overview (details, notes, services, timeline), consents, referrals, tasks, safety plan, transfer.
 */
import type { FC } from 'hono/jsx';

export const CASE_TABS = [
  { id: 'overview', label: 'Overview', path: '' },
  { id: 'consents', label: 'Consents', path: '/consents' },
  { id: 'referrals', label: 'Referrals', path: '/referrals' },
  { id: 'tasks', label: 'Tasks', path: '/tasks' },
  { id: 'safety-plan', label: 'Safety plan', path: '/safety-plan' },
  { id: 'transfer', label: 'Transfer', path: '/transfer' },
] as const;
export type CaseTab = (typeof CASE_TABS)[number]['id'];

/** `/staff/cases/<id><tab path>` */
export const casePath = (caseId: string, tab: CaseTab = 'overview') =>
  `/staff/cases/${caseId}${CASE_TABS.find((t) => t.id === tab)!.path}`;

export const CaseTabs: FC<{ caseId: string; current: CaseTab; label: string }> = ({
  caseId,
  current,
  label,
}) => (
  <nav aria-label={`Case of ${label}`} class="tabs">
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
