/**
 * `/staff/training/reports`: the training reports. A quarter or period and breakdown picker (a GET form),
 * then tables with captions — completions by quarter, people trained per event, and for state
 * administrators the certified settings whose direct-contact staff are not all trained — each with a CSV
 * download under the same small-number rule.
 */
import type { FC } from 'hono/jsx';
import { Select, TextField, fieldsOf, type FieldProblem } from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { Count, reportDay } from '../../../web/report-parts.tsx';
import { ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Alert, Button, DataTable } from '../../../web/ui.tsx';
import { BREAKDOWNS, TABLES, quarterLabel, type TableName } from '../rules.ts';
import type { TrainingReport } from '../service.ts';

export interface ReportValues {
  quarter: string;
  from: string;
  to: string;
  by: string;
}

export const ReportPage: FC<
  StaffView & {
    values: ReportValues;
    errors: FieldProblem[];
    report: TrainingReport | null;
    /** The query of the period shown, for the download links. */
    search: string;
  }
> = (p) => {
  const f = fieldsOf(p.values as unknown as Record<string, string>, p.errors);
  const r = p.report;
  const t = r?.threshold ?? 10;
  const download = (table: TableName) => (
    <p>
      <a href={`/staff/training/reports/download?table=${table}&${p.search}`}>
        Download {TABLES[table].toLowerCase()} as CSV
      </a>
    </p>
  );
  return (
    <StaffLayout frame={p.frame} title="Training reports">
      <ErrorSummary errors={p.errors} />
      <p class="measure-6">
        {r?.scope === 'organization'
          ? 'The trainings your organization’s people completed, and the people trained at the events your organization runs.'
          : 'The trainings completed across the state, and the people trained at each event.'}{' '}
        Counts only: no report lists a person. Dates are Minnesota dates; quarters are calendar quarters.
      </p>
      <form method="get" action="/staff/training/reports" aria-labelledby="report-period-h" novalidate>
        <h2 id="report-period-h">Period</h2>
        <div class="nwd-filters">
          <TextField
            {...f('quarter')}
            label="Quarter"
            hint="For example 2026-Q4 (October to December). Leave the dates empty to use it."
          />
          <TextField {...f('from')} type="date" label="From (first day)" />
          <TextField {...f('to')} type="date" label="To (last day)" />
          <Select
            {...f('by')}
            label="Completions by"
            placeholder="Course"
            options={Object.entries(BREAKDOWNS).map(([value, label]) => ({ value, label }))}
          />
        </div>
        <Actions>
          <Button>Show the report</Button>
        </Actions>
      </form>
      {r ? (
        <>
          {r.scope === 'statewide' ? (
            <Alert type="info">
              <p class="margin-0">
                To protect people, a count from 1 to {String(t - 1)} shows as “hidden”. So that it cannot be
                worked out from a quarter’s total, another count of the quarter may be hidden too.
              </p>
            </Alert>
          ) : null}
          <section aria-labelledby="completions-h">
            <h2 id="completions-h">Completions by {BREAKDOWNS[r.by].toLowerCase()}</h2>
            {r.completions.length === 0 ? (
              <p>No training completion was recorded in this period.</p>
            ) : (
              <>
                <DataTable
                  label="Completions"
                  id="completions"
                  caption={`Training completions ${reportDay(r.period.from)} to ${reportDay(r.period.to)}, by quarter and ${BREAKDOWNS[r.by].toLowerCase()}`}
                  head={['Quarter', BREAKDOWNS[r.by], 'Completions', 'People']}
                >
                  {r.completions.map((row) => (
                    <tr>
                      <td>{quarterLabel(row.quarter)}</td>
                      <th scope="row">{row.group === 'total' ? <strong>All</strong> : row.label}</th>
                      <td>
                        <Count p={row.completions} threshold={t} />
                      </td>
                      <td>
                        <Count p={row.people} threshold={t} />
                      </td>
                    </tr>
                  ))}
                </DataTable>
                {download('completions')}
                <p class="measure-6">
                  People counts each person once per row. A person who completed two courses counts in both,
                  and an organization in two regions counts in both, so the regions do not add up to the
                  total.
                </p>
              </>
            )}
          </section>
          <section aria-labelledby="events-h">
            <h2 id="events-h">People trained per event</h2>
            {r.events.length === 0 ? (
              <p>No training event with a course had registrations or completions in this period.</p>
            ) : (
              <>
                <DataTable
                  label="People trained per event"
                  id="events"
                  caption="Each training event’s date: places held, attendance, and completions recorded"
                  head={['Event', 'Course', 'Date', 'Registered', 'Attended', 'Completions']}
                >
                  {r.events.map((e) => (
                    <tr>
                      <th scope="row">{e.title}</th>
                      <td>{e.courseCode}</td>
                      <td>{reportDay(e.date)}</td>
                      <td>
                        <Count p={e.registered} threshold={t} />
                      </td>
                      <td>
                        <Count p={e.attended} threshold={t} />
                      </td>
                      <td>
                        <Count p={e.completions} threshold={t} />
                      </td>
                    </tr>
                  ))}
                </DataTable>
                {download('events')}
              </>
            )}
          </section>
          {r.settings ? (
            <section aria-labelledby="settings-h">
              <h2 id="settings-h">Certified settings with staff not all trained</h2>
              {r.settings.length === 0 ? (
                <p>Every certified setting’s direct-contact staff have the training.</p>
              ) : (
                <>
                  <DataTable
                    label="Certified settings with staff not all trained"
                    id="settings"
                    caption="Certified settings whose direct-contact staff are not all trained, most overdue first"
                    head={['Setting', 'Organization', 'Trained', 'Overdue']}
                  >
                    {r.settings.map((s) => (
                      <tr>
                        <th scope="row">{s.setting}</th>
                        <td>{s.organization}</td>
                        <td>
                          {String(s.trained)} of {String(s.staff)}
                        </td>
                        <td>{String(s.overdue)}</td>
                      </tr>
                    ))}
                  </DataTable>
                  {download('settings')}
                </>
              )}
            </section>
          ) : null}
        </>
      ) : null}
    </StaffLayout>
  );
};
