/**
 * `/staff/housing/reports`: the housing reports. A period and breakdown picker (a GET form), then
 * tables with captions — the state's shelter requests, each program's answers, beds available by night
 * — each with a CSV download under the same small-number rule. Counts only, never a person.
 */
import type { FC } from 'hono/jsx';
import type { Published } from '../../../platform/small-numbers.ts';
import { Select, TextField, fieldsOf, type FieldProblem } from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { Count, reportDay } from '../../../web/report-parts.tsx';
import { ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Alert, Button, DataTable } from '../../../web/ui.tsx';
import {
  BREAKDOWNS,
  REQUEST_MEASURES,
  PROGRAM_MEASURES,
  PROGRAM_MEASURE_CODES,
  REQUEST_MEASURE_CODES,
  TABLES,
  minutesText,
  type TableName,
} from '../rules.ts';
import type { HousingReport } from '../service.ts';

export interface ReportValues {
  from: string;
  to: string;
  by: string;
}

/** A figure from counts: hidden ("not shown") with them, a dash when there is nothing to compute. */
const Figure: FC<{ p: Published; show: (n: number) => string }> = ({ p, show }) =>
  p.suppressed ? <span class="nwd-muted">not shown</span> : <>{p.value === null ? '—' : show(p.value)}</>;

export const ReportPage: FC<
  StaffView & {
    values: ReportValues;
    errors: FieldProblem[];
    report: HousingReport | null;
    /** The query of the period shown, for the download links. */
    search: string;
  }
> = (p) => {
  const f = fieldsOf(p.values as unknown as Record<string, string>, p.errors);
  const r = p.report;
  const t = r?.threshold ?? 10;
  const download = (table: TableName) => (
    <p>
      <a href={`/staff/housing/reports/download?table=${table}&${p.search}`}>
        Download {TABLES[table].toLowerCase()} as CSV
      </a>
    </p>
  );
  return (
    <StaffLayout frame={p.frame} title="Housing reports">
      <ErrorSummary errors={p.errors} />
      <p class="measure-6">
        {r?.scope === 'organization'
          ? 'How your programs answered shelter requests, and the beds they had free each night.'
          : 'How shelter requests went across the state, how each program answered, and the beds free each night.'}{' '}
        Counts only: no report lists a young person or a request. Dates are Minnesota dates.
      </p>
      <form method="get" action="/staff/housing/reports" aria-labelledby="report-period-h" novalidate>
        <h2 id="report-period-h">Period</h2>
        <div class="nwd-filters">
          <TextField {...f('from')} type="date" label="From (first day)" />
          <TextField {...f('to')} type="date" label="To (last day)" />
          {r?.scope === 'organization' ? null : (
            <Select
              {...f('by')}
              label="Shelter requests by"
              placeholder="Region"
              options={Object.entries(BREAKDOWNS).map(([value, label]) => ({ value, label }))}
            />
          )}
        </div>
        <Actions>
          <Button>Show the report</Button>
        </Actions>
      </form>
      {r ? (
        <>
          <Alert type="info">
            <p class="margin-0">
              To protect young people, a count from 1 to {String(t - 1)} shows as “hidden”. So that it cannot
              be worked out from a total, another count of its row or column may be hidden too, and so are the
              rates and times that come from a hidden count or from fewer than {String(t)} requests.
            </p>
          </Alert>
          {r.requests ? (
            <section aria-labelledby="requests-h">
              <h2 id="requests-h">Shelter requests by {BREAKDOWNS[r.by].toLowerCase()}</h2>
              <DataTable
                label="Shelter requests"
                id="requests"
                caption={`Shelter requests sent ${reportDay(r.period.from)} to ${reportDay(r.period.to)}, by ${BREAKDOWNS[r.by].toLowerCase()}`}
                head={[
                  BREAKDOWNS[r.by],
                  ...REQUEST_MEASURE_CODES.map((m) => REQUEST_MEASURES[m][0]),
                  'Median time to a first offer',
                ]}
              >
                {[...r.requests.rows, { group: 'total', label: 'All', ...r.requests.total }].map((row) => (
                  <tr>
                    <th scope="row">{row.group === 'total' ? <strong>All</strong> : row.label}</th>
                    {REQUEST_MEASURE_CODES.map((m) => (
                      <td>
                        <Count p={row[m]} threshold={t} />
                      </td>
                    ))}
                    <td>
                      <Figure p={row.medianMinutesToFirstOffer} show={minutesText} />
                    </td>
                  </tr>
                ))}
              </DataTable>
              {download('requests')}
              <dl class="nwd-summary" aria-label="What each column of shelter requests counts">
                {REQUEST_MEASURE_CODES.map((m) => (
                  <div>
                    <dt>{REQUEST_MEASURES[m][0]}</dt>
                    <dd>{REQUEST_MEASURES[m][1]}</dd>
                  </div>
                ))}
                <div>
                  <dt>Median time to a first offer</dt>
                  <dd>
                    Half the requests that got a “we can take them” got it sooner than this, half later.
                  </dd>
                </div>
              </dl>
            </section>
          ) : null}
          <section aria-labelledby="programs-h">
            <h2 id="programs-h">How programs answered</h2>
            {r.programs.length === 0 ? (
              <p>
                {r.scope === 'organization'
                  ? 'Your organization has no housing programs.'
                  : 'No program received a shelter request in this period.'}
              </p>
            ) : (
              <>
                <DataTable
                  label="How programs answered"
                  id="programs"
                  caption="Shelter requests each program received in the period, and how it answered"
                  head={[
                    'Program',
                    'Organization',
                    ...PROGRAM_MEASURE_CODES.map((m) => PROGRAM_MEASURES[m][0]),
                    'Response rate',
                    'Median time to answer',
                  ]}
                >
                  {r.programs.map((row) => (
                    <tr>
                      <th scope="row">{row.program}</th>
                      <td>{row.organization}</td>
                      <td>
                        <Count p={row.sent} threshold={t} />
                      </td>
                      <td>
                        <Count p={row.answered} threshold={t} />
                      </td>
                      <td>
                        <Count p={row.yes} threshold={t} />
                      </td>
                      <td>
                        <Figure p={row.responseRate} show={(n) => `${n}%`} />
                      </td>
                      <td>
                        <Figure p={row.medianMinutesToAnswer} show={minutesText} />
                      </td>
                    </tr>
                  ))}
                </DataTable>
                {download('programs')}
                <dl class="nwd-summary" aria-label="What each column of the programs’ answers counts">
                  {PROGRAM_MEASURE_CODES.map((m) => (
                    <div>
                      <dt>{PROGRAM_MEASURES[m][0]}</dt>
                      <dd>{PROGRAM_MEASURES[m][1]}</dd>
                    </div>
                  ))}
                  <div>
                    <dt>Response rate</dt>
                    <dd>Requests answered, yes or no, out of the requests received.</dd>
                  </div>
                  <div>
                    <dt>Median time to answer</dt>
                    <dd>Half the answers came sooner than this after the request was sent, half later.</dd>
                  </div>
                </dl>
              </>
            )}
          </section>
          <section aria-labelledby="nights-h">
            <h2 id="nights-h">Beds available by night</h2>
            <p class="measure-6">
              The beds free at 9 PM each night: each program’s latest count before then. A program that had
              given no count yet, or whose count was more than {String(r.nights.staleHours)} hours old, is
              counted as unknown.
            </p>
            <DataTable
              label="Beds available by night"
              id="nights"
              caption={`Beds available at 9 PM each night, ${reportDay(r.period.from)} to ${reportDay(r.period.to)}`}
              head={['Night', 'Beds available', 'Programs counted', 'Programs unknown']}
            >
              {r.nights.rows.map((n) => (
                <tr>
                  <th scope="row">{reportDay(n.night)}</th>
                  <td>
                    <Count p={n.bedsAvailable} threshold={t} />
                  </td>
                  <td>
                    <Count p={n.programsCounted} threshold={t} />
                  </td>
                  <td>
                    <Count p={n.programsUnknown} threshold={t} />
                  </td>
                </tr>
              ))}
            </DataTable>
            {download('nights')}
          </section>
        </>
      ) : null}
    </StaffLayout>
  );
};
