/**
 * `/staff/reports/biennial`: every table of the biennial evaluation report for one period on one page,
 * laid out like the evaluation's tables, for printing to PDF from the browser (the staff menu and the
 * picker do not print). Each table has its text summary; the method of protection is said once.
 */
import type { FC } from 'hono/jsx';
import { Select, type FieldProblem } from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { reportDay } from '../../../web/report-parts.tsx';
import { ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button } from '../../../web/ui.tsx';
import type { Period } from '../periods.ts';
import type { EvaluationScope, MeasureReport } from '../service.ts';
import { SmallNumberNote, periodValue } from './dashboard.tsx';
import { MeasureTable, tableTitle } from './measure-table.tsx';

/** The period picker of the biennial and quality pages. */
export const PeriodPicker: FC<{
  action: string;
  choices: Period[];
  period: string;
  errors: FieldProblem[];
}> = (p) => (
  <form method="get" action={p.action} aria-labelledby="period-pick-h" class="noprint" novalidate>
    <h2 id="period-pick-h">Period</h2>
    <Select
      id="period"
      label="Period"
      placeholder="The last fiscal year"
      value={p.period}
      error={p.errors.find((e) => e.field === 'period')?.message}
      options={p.choices.map((c) => ({ value: periodValue(c), label: c.label }))}
    />
    <Actions>
      <Button>Show</Button>
    </Actions>
  </form>
);

export const BiennialPage: FC<
  StaffView & {
    scope: EvaluationScope;
    choices: Period[];
    period: string;
    errors: FieldProblem[];
    tables: MeasureReport[];
    generated: string;
  }
> = (p) => {
  const first = p.tables[0];
  return (
    <StaffLayout frame={p.frame} title="Safe Harbor evaluation report">
      <ErrorSummary errors={p.errors} />
      <PeriodPicker
        action="/staff/reports/biennial"
        choices={p.choices}
        period={p.period}
        errors={p.errors}
      />
      {first ? (
        <article class="nwd-report" aria-labelledby="report-title">
          <h2 id="report-title">{first.period.label}</h2>
          <p>
            Figures for {p.scope.label}, from the records kept in the No Wrong Door system on{' '}
            {reportDay(p.generated)}. Minnesota dates. Counts only: no table lists or describes a young
            person.
          </p>
          <p class="noprint">Use your browser’s Print command to save this report as a PDF.</p>
          <SmallNumberNote threshold={first.threshold} />
          <h3>Contents</h3>
          <ol class="nwd-report-contents">
            {p.tables.map((t, i) => (
              <li>
                <a href={`#table-${i + 1}`}>{tableTitle(t)}</a>
              </li>
            ))}
          </ol>
          {p.tables.map((t, i) => (
            <section class="nwd-report-table" aria-labelledby={`table-${i + 1}-h`} id={`table-${i + 1}`}>
              <h3 id={`table-${i + 1}-h`}>
                Table {String(i + 1)}. {tableTitle(t)}
              </h3>
              <MeasureTable r={t} id={`t${i + 1}`} chart={t.by !== 'none' && t.rows.length <= 20} />
              <p class="nwd-muted measure-6">{t.measure.definition}</p>
            </section>
          ))}
        </article>
      ) : null}
    </StaffLayout>
  );
};
