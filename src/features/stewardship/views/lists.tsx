/**
 * The list of what an administrator may edit, and the data-health page: a count at the top, then
 * every open problem with a link to fix it.
 */
import type { FC } from 'hono/jsx';
import { StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import type { HealthItem, Problem } from '../rules.ts';

/** The head row of a table: one column heading a name. */
const ColumnHeads = ({ names }: { names: readonly string[] }) => (
  <thead>
    <tr>
      {names.map((n) => (
        <th scope="col">{n}</th>
      ))}
    </tr>
  </thead>
);

export interface ListRow {
  href: string;
  label: string;
  verified: boolean;
  checkedAt: string;
}

const Rows: FC<{ caption: string; rows: ListRow[] }> = ({ caption, rows }) =>
  rows.length ? (
    <table>
      <caption>{caption}</caption>
      <ColumnHeads names={['Name', 'Confirmed', 'Last checked']} />
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">
              <a href={r.href}>{r.label}</a>
            </th>
            <td>{r.verified ? 'Yes' : 'No'}</td>
            <td>{r.checkedAt}</td>
          </tr>
        ))}
      </tbody>
    </table>
  ) : null;

export const DataPage: FC<{
  frame: StaffFrame;
  state: boolean;
  organizations: ListRow[];
  regions: ListRow[];
  services: ListRow[];
}> = ({ frame, state, organizations, regions, services }) => (
  <StaffLayout frame={frame} title="Public data">
    <p>Every change shows on the public pages at once and is recorded in the audit log.</p>
    {state ? (
      <p>
        <a href="/staff/data-health">See what needs checking (data health)</a>
      </p>
    ) : null}
    {organizations.length === 0 && !state ? (
      <p>No public organization is managed by your organization yet. Ask a state administrator to link it.</p>
    ) : null}
    <Rows caption="Organizations" rows={organizations} />
    <Rows caption="Regions and their counties" rows={regions} />
    <Rows caption="Directory services" rows={services} />
  </StaffLayout>
);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const PROBLEM_NAMES: Record<Problem, string> = {
  unreachable: 'No reachable navigator',
  unverified: 'Not confirmed',
  stale: 'Not checked recently',
};

export const HealthPage: FC<{ frame: StaffFrame; items: HealthItem[]; staleMonths: number }> = ({
  frame,
  items,
  staleMonths,
}) => {
  const count = (p: Problem) => items.filter((i) => i.problem === p).length;
  return (
    <StaffLayout frame={frame} title="Data health">
      <p id="health-count" class="lead">
        <strong>
          {items.length === 0
            ? 'Nothing needs checking.'
            : `${items.length} ${items.length === 1 ? 'problem needs' : 'problems need'} checking.`}
        </strong>
      </p>
      <ul>
        <li>
          {plural(count('unreachable'), 'county', 'counties')} without a navigator the public can reach
          (phone, text or website)
        </li>
        <li>{plural(count('unverified'), 'fact', 'facts')} not confirmed in a source</li>
        <li>
          {plural(count('stale'), 'fact', 'facts')} not checked in {staleMonths} months
        </li>
      </ul>
      <p>State administrators get a weekly email while anything here is open.</p>
      {items.length ? (
        <table>
          <caption>Open problems, most urgent first</caption>
          <ColumnHeads names={['Problem', 'Fact (follow the link to fix it)', 'Last checked']} />
          <tbody>
            {items.map((i) => (
              <tr>
                <td>{PROBLEM_NAMES[i.problem]}</td>
                <td>
                  <a href={i.fix}>
                    {i.label}
                    <span class="skip"> (fix it)</span>
                  </a>
                </td>
                <td>{i.checkedAt ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </StaffLayout>
  );
};
