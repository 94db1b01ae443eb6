/**
 * `/staff/reports`: the evaluation dashboard. A GET form picks the measure, the period (a quarter,
 * state fiscal year or biennium that has ended) and the breakdown; the page shows the measure's chart,
 * table and text summary, its trend by quarter, what it counts, and CSV and XLSX downloads. Links lead
 * to the printable biennial report and the data-quality view. Counts only, never a person.
 */
import type { FC } from 'hono/jsx';
import { DIMENSIONS, type EvaluationFile } from '../../../pack/evaluation.ts';
import { Select, fieldsOf, type FieldProblem } from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { TrendChart } from '../../../web/charts.tsx';
import { ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Alert, Button } from '../../../web/ui.tsx';
import type { Period } from '../periods.ts';
import type { EvaluationScope, MeasureReport } from '../service.ts';
import { MeasureTable, tableTitle } from './measure-table.tsx';

export interface DashboardValues {
  measure: string;
  period: string;
  by: string;
}

/** A period as the picker's value: "2025-07-01_2026-06-30". */
export const periodValue = (p: Pick<Period, 'from' | 'to'>) => `${p.from}_${p.to}`;

/** The small-number rule, said once on every report page. */
export const SmallNumberNote: FC<{ threshold: number }> = ({ threshold: t }) => (
  <Alert type="info">
    <p class="margin-0">
      To protect young people, a count from 1 to {String(t - 1)} shows as “hidden”. So that it cannot be
      worked out from a total, from another table or from another period, other counts may be hidden too, and
      so are the percentages, averages and medians that rest on a hidden count or on fewer than {String(t)}{' '}
      records. Reports cover whole quarters, state fiscal years (July to June) and bienniums that have ended.
    </p>
  </Alert>
);

export const Dashboard: FC<
  StaffView & {
    file: EvaluationFile;
    scope: EvaluationScope;
    choices: Period[];
    values: DashboardValues;
    errors: FieldProblem[];
    report: MeasureReport | null;
    /** The query of the report shown, for links. */
    search: string;
  }
> = (p) => {
  const f = fieldsOf(p.values as unknown as Record<string, string>, p.errors);
  const r = p.report;
  const trend = r ? sinceFirstRecord(r.trend) : [];
  const measures = p.file.measures.filter((m) => m.scopes.includes(p.scope.kind));
  const chosen = measures.find((m) => m.code === p.values.measure) ?? measures[0]!;
  const breakdowns = ['none', ...chosen.breakdowns].filter(
    (b) => !(b === 'county' && p.scope.kind === 'organization'),
  ) as (keyof typeof DIMENSIONS)[];
  return (
    <StaffLayout frame={p.frame} title="Evaluation reports">
      <ErrorSummary errors={p.errors} />
      <p class="measure-6">
        The Safe Harbor evaluation’s figures for {p.scope.label}, from the records kept in this product.
        Counts only: no report lists or describes a young person.
      </p>
      <p class="noprint">
        <a href={`/staff/reports/biennial?${p.search}`}>Printable biennial report</a>
        {' · '}
        <a href={`/staff/reports/quality?${p.search}`}>Data quality: what is missing</a>
        {' · '}
        <a href="/staff/housing/reports">Housing reports</a>
        {' · '}
        <a href="/staff/training/reports">Training reports</a>
      </p>
      <form method="get" action="/staff/reports" aria-labelledby="report-pick-h" class="noprint" novalidate>
        <h2 id="report-pick-h">Choose a report</h2>
        <div class="nwd-filters">
          <Select
            {...f('measure')}
            label="Measure"
            placeholder="Choose a measure"
            options={measures.map((m) => ({ value: m.code, label: m.title }))}
          />
          <Select
            {...f('period')}
            label="Period"
            placeholder="The last fiscal year"
            options={p.choices.map((c) => ({ value: periodValue(c), label: c.label }))}
          />
          <Select
            {...f('by')}
            label="Broken down by"
            placeholder="No breakdown"
            options={breakdowns.map((b) => ({ value: b, label: DIMENSIONS[b].label }))}
          />
        </div>
        <Actions>
          <Button>Show the report</Button>
        </Actions>
      </form>
      {r ? (
        <>
          <SmallNumberNote threshold={r.threshold} />
          <section aria-labelledby="report-h">
            <h2 id="report-h">{tableTitle(r)}</h2>
            <p>{r.period.label}. Minnesota dates.</p>
            <MeasureTable r={r} id="report-table" />
            <p class="noprint">
              Download this table: <a href={`/staff/reports/download?format=csv&${p.search}`}>CSV</a>
              {' · '}
              <a href={`/staff/reports/download?format=xlsx&${p.search}`}>Excel (XLSX)</a>
            </p>
            <details>
              <summary>What this measure counts</summary>
              <dl class="nwd-summary">
                <div>
                  <dt>Definition</dt>
                  <dd>{r.measure.definition}</dd>
                </div>
                <div>
                  <dt>Counted</dt>
                  <dd>{r.measure.numerator}</dd>
                </div>
                <div>
                  <dt>Out of</dt>
                  <dd>{r.measure.denominator}</dd>
                </div>
                <div>
                  <dt>Recorded in</dt>
                  <dd>{r.measure.sourceFields.join(', ')}</dd>
                </div>
              </dl>
            </details>
          </section>
          {trend.length > 1 ? (
            <section aria-labelledby="trend-h">
              <h2 id="trend-h">Quarter by quarter</h2>
              <TrendChart
                id="trend"
                title={`${r.measure.title}, quarter by quarter`}
                summary={trendSummary(r, trend)}
                periods={trend.map((t) => ({ label: t.period.short, value: t.value }))}
                threshold={r.threshold}
              />
            </section>
          ) : null}
        </>
      ) : null}
    </StaffLayout>
  );
};

type Trend = MeasureReport['trend'];

/**
 * The trend from the first quarter with a record: the quarters before the records began hold a zero that
 * would read as "nobody served" (they are published zeros, so leaving them out hides nothing).
 */
export function sinceFirstRecord(trend: Trend): Trend {
  const first = trend.findIndex((t) => t.value.suppressed || (t.value.value ?? 0) > 0);
  return first < 0 ? [] : trend.slice(first);
}

function trendSummary(r: MeasureReport, trend: Trend): string {
  const shown = trend.filter((t) => !t.value.suppressed);
  const hidden = trend.length - shown.length;
  const first = trend[0]!.period.short;
  const last = trend.at(-1)!.period.short;
  const high = shown.length
    ? shown.reduce((a, b) => ((b.value.value ?? 0) > (a.value.value ?? 0) ? b : a))
    : null;
  return [
    `${trend.length} quarters from ${first} to ${last}${trend.length < r.trend.length ? ' (from the first quarter with a record)' : ''}.`,
    high ? `The highest: ${high.period.short}, ${high.value.value} ${r.measure.unit}.` : '',
    hidden ? `${hidden} ${hidden === 1 ? 'quarter is' : 'quarters are'} hidden to protect privacy.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
