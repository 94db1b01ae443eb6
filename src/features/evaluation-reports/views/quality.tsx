/**
 * `/staff/reports/quality`: how complete the records behind each figure are — for each detail the
 * measures read, how many young people served in the period (or whose case closed) lack it. Counts under
 * the same protection as the reports; a high share missing means the figure broken down by that detail
 * should be read with care.
 */
import type { FC } from 'hono/jsx';
import type { FieldProblem } from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { Count } from '../../../web/report-parts.tsx';
import { ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { DataTable } from '../../../web/ui.tsx';
import type { Period } from '../periods.ts';
import type { QualityLine } from '../bundles.ts';
import type { EvaluationScope } from '../service.ts';
import { PeriodPicker } from './biennial.tsx';
import { SmallNumberNote } from './dashboard.tsx';

export const QualityPage: FC<
  StaffView & {
    scope: EvaluationScope;
    choices: Period[];
    period: string;
    errors: FieldProblem[];
    quality: { period: Period; threshold: number; lines: QualityLine[] } | null;
  }
> = (p) => {
  const q = p.quality;
  return (
    <StaffLayout frame={p.frame} title="Data quality">
      <ErrorSummary errors={p.errors} />
      <p class="measure-6">
        How many records lack each detail the evaluation counts. Where much is missing, a breakdown by that
        detail says less than it seems: ask navigators to fill it in when they next see the young person, and
        never to guess.
      </p>
      <PeriodPicker action="/staff/reports/quality" choices={p.choices} period={p.period} errors={p.errors} />
      {q ? (
        <>
          <SmallNumberNote threshold={q.threshold} />
          <h2>What the records lack</h2>
          <DataTable
            label="Missing details"
            id="quality"
            caption={`Details missing from the records of ${p.scope.label}, ${q.period.label}`}
            head={['Detail', 'Records without it', 'Out of', 'Share missing']}
          >
            {q.lines.map((line) => (
              <tr>
                <th scope="row">{line.label}</th>
                <td>
                  <Count p={line.missing} threshold={q.threshold} />
                </td>
                <td>
                  <Count p={line.of} threshold={q.threshold} />
                  {line.measure === 'exits' ? ' cases closed' : ' young people served'}
                </td>
                <td>
                  {line.percent.suppressed ? (
                    <span class="nwd-muted">not shown</span>
                  ) : line.percent.value === null ? (
                    '—'
                  ) : (
                    `${line.percent.value}%`
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </StaffLayout>
  );
};
