/**
 * The list of what an administrator may edit, and the data-health page: a count at the top, then
 * every open problem with a link to fix it.
 */
import type { FC } from 'hono/jsx';
import { StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Alert, Counts, DataTable, SrOnly, Tag } from '../../../web/ui.tsx';
import type { HealthItem, Problem } from '../rules.ts';

export interface ListRow {
  href: string;
  label: string;
  verified: boolean;
  checkedAt: string;
}

const Rows: FC<{ caption: string; rows: ListRow[] }> = ({ caption, rows }) =>
  rows.length ? (
    <DataTable label={caption} caption={caption} head={['Name', 'Confirmed', 'Last checked']}>
      {rows.map((r) => (
        <tr>
          <th scope="row">
            <a href={r.href}>{r.label}</a>
          </th>
          <td>
            {r.verified ? <Tag tone="success">Confirmed</Tag> : <Tag tone="warning">Not confirmed</Tag>}
          </td>
          <td>{r.checkedAt}</td>
        </tr>
      ))}
    </DataTable>
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
      <Alert type={items.length ? 'warning' : 'success'} id="health-count">
        <p class="margin-0">
          <strong>
            {items.length === 0
              ? 'Nothing needs checking.'
              : `${items.length} ${items.length === 1 ? 'problem needs' : 'problems need'} checking.`}
          </strong>
        </p>
      </Alert>
      <Counts
        label="Problems by kind"
        counts={[
          {
            href: '#problems',
            label: `${count('unreachable') === 1 ? 'county' : 'counties'} without a navigator the public can reach (phone, text or website)`,
            count: count('unreachable'),
            warn: true,
          },
          {
            href: '#problems',
            label: `${count('unverified') === 1 ? 'fact' : 'facts'} not confirmed in a source`,
            count: count('unverified'),
          },
          {
            href: '#problems',
            label: `${count('stale') === 1 ? 'fact' : 'facts'} not checked in ${staleMonths} months`,
            count: count('stale'),
          },
        ]}
      />
      <p>State administrators get a weekly email while anything here is open.</p>
      {items.length ? (
        <DataTable
          id="problems"
          label="Open problems"
          caption="Open problems, most urgent first"
          head={['Problem', 'Fact (follow the link to fix it)', 'Last checked']}
        >
          {items.map((i) => (
            <tr>
              <td>{PROBLEM_NAMES[i.problem]}</td>
              <td>
                <a href={i.fix}>
                  {i.label}
                  <SrOnly> (fix it)</SrOnly>
                </a>
              </td>
              <td>{i.checkedAt ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </StaffLayout>
  );
};
