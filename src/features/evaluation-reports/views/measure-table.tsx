/**
 * One measure's report as the pages show it (the dashboard and the biennial report): its table — groups,
 * counts, figures and share — with a caption, the chart of its groups, and a text summary in plain words.
 * Hidden counts read "hidden"; figures from hidden counts read "not shown".
 */
import type { FC } from 'hono/jsx';
import { DIMENSIONS } from '../../../pack/evaluation.ts';
import type { Published } from '../../../platform/small-numbers.ts';
import { BarChart } from '../../../web/charts.tsx';
import { Count } from '../../../web/report-parts.tsx';
import { DataTable } from '../../../web/ui.tsx';
import type { MeasureReport, ReportRow } from '../service.ts';

const FIGURE_UNITS: Record<string, string> = {
  average_age: ' years',
  median_days_to_accept: ' days',
  median_hours_to_contact: ' hours',
};

const Figure: FC<{ p: Published; unit: string }> = ({ p, unit }) =>
  p.suppressed ? (
    <span class="nwd-muted">not shown</span>
  ) : (
    <>{p.value === null ? '—' : `${p.value.toLocaleString('en-US')}${unit}`}</>
  );

/**
 * The heading of a table: "Young people served by race and ethnicity". Only the breakdown's first letter
 * is lowered, so a proper noun keeps its capital ("by metro or Greater Minnesota").
 */
export const tableTitle = (r: MeasureReport): string => {
  if (r.by === 'none') return r.measure.title;
  const label = DIMENSIONS[r.by].label;
  return `${r.measure.title} by ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
};

const count = (p: Published) => (p.suppressed ? 'a hidden number of' : String(p.value ?? 0));

/** A sentence or three that say what the table shows, for the chart's description and the page. */
export function summaryOf(r: MeasureReport): string {
  const first = r.measure.columns[0]!;
  const shareCode = r.measure.sums[0]?.[0] ?? first.code;
  const shareLabel = r.measure.columns.find((c) => c.code === shareCode)!.label.toLowerCase();
  const total = r.total.cells[shareCode]!;
  const parts = [`${r.period.label}: ${count(total)} ${r.measure.unit} (${shareLabel}).`];
  const shown = r.rows.filter((x) => !x.cells[shareCode]!.suppressed && (x.cells[shareCode]!.value ?? 0) > 0);
  if (shown.length) {
    const top = shown.reduce((a, b) => (b.cells[shareCode]!.value! > a.cells[shareCode]!.value! ? b : a));
    const pct = top.share.suppressed || top.share.value === null ? '' : `, ${top.share.value}%`;
    parts.push(`The largest group: ${top.label} (${top.cells[shareCode]!.value}${pct}).`);
  }
  const hidden = r.rows.filter((x) => x.cells[shareCode]!.suppressed).length;
  if (hidden)
    parts.push(
      `${hidden} ${hidden === 1 ? 'group is' : 'groups are'} hidden to protect young people's privacy.`,
    );
  if (!r.exclusive && r.rows.length)
    parts.push(
      'A record can be counted in more than one group, so the groups add up to more than the total.',
    );
  return parts.join(' ');
}

export const MeasureTable: FC<{ r: MeasureReport; id: string; chart?: boolean }> = ({
  r,
  id,
  chart = true,
}) => {
  const t = r.threshold;
  const shareCode = r.measure.sums[0]?.[0] ?? r.measure.columns[0]!.code;
  const groupHead = r.by === 'none' ? '' : DIMENSIONS[r.by].label;
  const line = (x: ReportRow, total: boolean) => (
    <tr>
      <th scope="row">{total ? <strong>{x.label}</strong> : x.label}</th>
      {r.measure.columns.map((c) => (
        <td>
          <Count p={x.cells[c.code]!} threshold={t} />
        </td>
      ))}
      {r.measure.figures.map((f) => (
        <td>
          <Figure p={x.figures[f.code]!} unit={FIGURE_UNITS[f.code] ?? '%'} />
        </td>
      ))}
      {r.by === 'none' ? null : (
        <td>
          <Figure p={x.share} unit="%" />
        </td>
      )}
    </tr>
  );
  return (
    <>
      {chart && r.rows.length ? (
        <BarChart
          id={`${id}-chart`}
          title={tableTitle(r)}
          summary={summaryOf(r)}
          categories={r.rows.map((x) => ({ label: x.label, values: [x.cells[shareCode]!] }))}
          series={[{ name: r.measure.columns.find((c) => c.code === shareCode)!.label }]}
          threshold={t}
          unit={r.measure.unit}
          numbersIn={id}
        />
      ) : (
        <p class="measure-6">{summaryOf(r)}</p>
      )}
      <div class="nwd-measure-table">
        <DataTable
          label={tableTitle(r)}
          id={id}
          caption={`${tableTitle(r)}, ${r.period.label}`}
          head={[
            groupHead || 'Group',
            ...r.measure.columns.map((c) => c.label),
            ...r.measure.figures.map((f) => f.label),
            r.by === 'none' ? null : 'Share of the total',
          ]}
        >
          {r.rows.map((x) => line(x, false))}
          {line(r.total, true)}
        </DataTable>
      </div>
      {!r.exclusive && r.rows.length ? (
        <p class="nwd-muted measure-6">
          A record can be counted in more than one group (for race and ethnicity, in each race chosen and in
          “two or more”), so the groups add up to more than the total.
        </p>
      ) : null}
    </>
  );
};
