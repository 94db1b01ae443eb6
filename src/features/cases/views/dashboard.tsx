/**
 * The dashboard (`/staff/cases`): my open cases, my regions' open or closed cases, a page at a time,
 * with a region filter for people of several regions.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor, RegionScope } from '../../../platform/access.ts';
import { Time } from '../../../web/page.tsx';
import { ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import { CASE_LIST_VIEWS, type CaseListView } from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseList } from '../service.ts';
import { invalid } from './fields.tsx';
import { casePath } from './layout.tsx';

const CaseTable: FC<{ deps: AppDeps; list: CaseList; view: CaseListView; actor: Actor }> = ({
  deps,
  list,
  view,
  actor,
}) => (
  <table id="cases" tabindex={0}>
    <caption>
      {list.total === 0
        ? 'No cases'
        : `${list.total} ${list.total === 1 ? 'case' : 'cases'}, ${view === 'closed' ? 'most recently closed' : 'newest'} first${list.total > list.cases.length ? ` (showing ${list.cases.length})` : ''}`}
    </caption>
    <thead>
      <tr>
        <th scope="col">Name they use</th>
        <th scope="col">Age</th>
        <th scope="col">County</th>
        <th scope="col">Region</th>
        <th scope="col">{view === 'closed' ? 'Closed' : 'Opened'}</th>
        <th scope="col">Navigators</th>
      </tr>
    </thead>
    <tbody>
      {list.cases.map((c) => (
        <tr>
          <th scope="row">
            <a href={casePath(c.id)}>{c.chosenName ?? 'Name not available'}</a>
          </th>
          <td>{AGE_BAND_NAMES[c.ageBand]}</td>
          <td>{c.countyName ?? 'Not known'}</td>
          <td>{c.regionName}</td>
          <td>
            <Time deps={deps} at={view === 'closed' && c.closedAt ? c.closedAt : c.openedAt} show="date" />
          </td>
          <td>
            {c.assigned.length
              ? c.assigned.map((a) => (a.userId === actor.userId ? 'You' : a.name)).join(', ')
              : 'Nobody'}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

export interface DashboardProps {
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  scope: RegionScope;
  mayWrite: boolean;
  regions: { id: string; name: string }[];
  view: CaseListView;
  region: string;
  after: string;
  list: CaseList;
  errors: FieldProblem[];
}

export const DashboardPage: FC<DashboardProps> = (p) => {
  const { scope, regions, view, region, errors } = p;
  const link = (params: Record<string, string>) => {
    const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
    return s.size ? `/staff/cases?${s.toString()}` : '/staff/cases';
  };
  const views = (Object.keys(CASE_LIST_VIEWS) as CaseListView[]).filter((v) => v !== 'mine' || !scope.all);
  const viewName = (v: CaseListView) =>
    v === 'open' && scope.all ? 'Open cases, every region' : CASE_LIST_VIEWS[v];
  return (
    <StaffLayout frame={p.frame} title="Cases">
      <ErrorSummary errors={errors} />
      <p>
        {scope.all
          ? 'Cases of every region. You can read them; regional navigators open and change them.'
          : regions.length
            ? `Cases of ${regions.map((r) => r.name).join(', ')}.`
            : 'You have no regions yet: ask your organisation’s administrator to assign yours.'}{' '}
        The names on this list are shown to you alone, and each list you open is recorded in the audit log.
      </p>
      {p.mayWrite ? (
        <p>
          <a class="btn" href="/staff/cases/new">
            Open a case
          </a>
        </p>
      ) : null}
      <nav aria-label="Which cases" id="views">
        <ul class="plain">
          {views.map((v) => (
            <li>
              <a href={link({ view: v, region })} aria-current={v === view ? 'page' : undefined}>
                {viewName(v)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {regions.length > 1 ? (
        <form method="get" action="/staff/cases" aria-labelledby="filter-h" novalidate>
          <h2 id="filter-h">Filter by region</h2>
          <input type="hidden" name="view" value={view} />
          <label for="region">Region</label>
          <select id="region" name="region" aria-invalid={invalid('region', errors)}>
            <option value="">{scope.all ? 'Every region' : 'All your regions'}</option>
            {regions.map((r) => (
              <option value={r.id} selected={region === r.id}>
                {r.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit">Show cases</button>
        </form>
      ) : null}
      <h2>{viewName(view)}</h2>
      <CaseTable deps={p.deps} list={p.list} view={view} actor={p.actor} />
      <nav aria-label="Pages of cases" class="pager">
        {p.after ? <a href={link({ view, region })}>First page</a> : null}
        {p.list.next ? <a href={link({ view, region, after: p.list.next })}>Next page</a> : null}
      </nav>
    </StaffLayout>
  );
};
