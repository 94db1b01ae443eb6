/**
 * Charts for the report pages, drawn on the server as SVG: no script, no inline style (the staff
 * pages' strict CSP), the look in staff.css under `nwd-chart`.
 *
 * Every chart is a `<figure>`: its title as the caption, the picture (an `<svg role="img">` named by
 * its `<title>` and described by a one-sentence summary in `<desc>`), then a real table of the same
 * numbers, so nothing is only in the picture. A count hidden by the small-number rule draws no bar (a
 * bar of no length would read as zero) but a hatched marker, with a legend entry "Hidden to protect
 * privacy"; the table says "hidden" (`Count`).
 *
 * Sizes are viewBox units drawn at the width of the page (up to 30rem): 340 units wide with 16-unit
 * text, so text stays at 12 px or more down to a 270 px wide figure (a 320 px phone less the page's
 * margins). Series differ by pattern as well as color, so a black-and-white print tells them apart.
 */
import type { Child, FC } from 'hono/jsx';
import type { Published } from '../platform/small-numbers.ts';
import { Count } from './report-parts.tsx';
import { DataTable } from './ui.tsx';

/** The viewBox width and the text size (staff.css sets `.nwd-chart text` to the same 16px). */
export const CHART_WIDTH = 340;
const FONT = 16;
const LINE = 20;
const BAR = 18;
/** Series beyond this many repeat the patterns. */
const PATTERNS = 4;

/** The width a line of text takes, estimated (the design system's sans-serif averages under 0.55 em). */
const textWidth = (text: string): number => text.length * FONT * 0.56;

/** Text broken into lines no wider than `width` (a word too long for a line is cut). */
export function wrapText(text: string, width: number): string[] {
  const perLine = Math.max(1, Math.floor(width / (FONT * 0.56)));
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > perLine) {
      if (line) lines.push(line);
      lines.push(word.slice(0, perLine));
      word = word.slice(perLine);
      line = '';
    }
    if (!line) line = word;
    else if (`${line} ${word}`.length <= perLine) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

/** Rounded to two decimals, so the markup stays short and never shows NaN (a non-number becomes 0). */
const n = (x: number): string => String(Number.isFinite(x) ? Math.round(x * 100) / 100 : 0);

/** A shown count as a number (a count with no value reads 0, as `Count` shows it). */
const valueOf = (p: Published): number => (p.suppressed ? 0 : Math.max(0, p.value ?? 0));

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
function checkId(id: string): void {
  if (!ID.test(id)) throw new Error(`chart id must be a letter then letters, digits, - or _: ${id}`);
}

/** The fill of series `i`: the first solid, the others patterned (stripes, dots, cross-hatch). */
const seriesFill = (id: string, i: number): string =>
  i % PATTERNS === 0 ? '' : `url(#${id}-p${i % PATTERNS})`;
const seriesClass = (i: number): string => `nwd-chart-bar nwd-chart-s${i % PATTERNS}`;

/** The patterns of one chart, their ids under the chart's id. */
const Patterns: FC<{ id: string }> = ({ id }) => (
  <defs>
    <pattern id={`${id}-p1`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" class="nwd-chart-paper" />
      <rect width="3" height="6" class="nwd-chart-ink1" />
    </pattern>
    <pattern id={`${id}-p2`} width="5" height="5" patternUnits="userSpaceOnUse">
      <rect width="5" height="5" class="nwd-chart-paper" />
      <circle cx="2.5" cy="2.5" r="1.6" class="nwd-chart-ink2" />
    </pattern>
    <pattern id={`${id}-p3`} width="6" height="6" patternUnits="userSpaceOnUse">
      <rect width="6" height="6" class="nwd-chart-paper" />
      <path d="M0 3H6M3 0V6" class="nwd-chart-ink3" />
    </pattern>
    <pattern
      id={`${id}-hidden`}
      width="4"
      height="4"
      patternUnits="userSpaceOnUse"
      patternTransform="rotate(-45)"
    >
      <rect width="4" height="4" class="nwd-chart-paper" />
      <path d="M0 2H4" class="nwd-chart-hatch" />
    </pattern>
  </defs>
);

/** The mark of a hidden count: a hatched square with a dashed edge, never a bar. */
const HiddenMark: FC<{ id: string; x: number; y: number; size: number }> = ({ id, x, y, size }) => (
  <rect
    x={n(x)}
    y={n(y)}
    width={n(size)}
    height={n(size)}
    fill={`url(#${id}-hidden)`}
    class="nwd-chart-hidden"
  />
);

/** Lines of text, the first baseline at `y`. */
const Lines: FC<{ lines: string[]; x: number; y: number; anchor?: string; cls?: string }> = (p) => (
  <text x={n(p.x)} y={n(p.y)} text-anchor={p.anchor ?? 'start'} class={p.cls}>
    {p.lines.map((line, i) => (
      <tspan x={n(p.x)} dy={i === 0 ? '0' : String(LINE)}>
        {line}
      </tspan>
    ))}
  </text>
);

interface LegendItem {
  label: string;
  mark: (x: number, y: number) => Child;
}

/** The legend from the top: items side by side while they fit, each label wrapped to the width. */
function legend(items: LegendItem[]): { height: number; marks: Child[] } {
  const marks: Child[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const item of items) {
    const lines = wrapText(item.label, CHART_WIDTH - 24);
    const width = 24 + Math.max(...lines.map(textWidth)) + 16;
    if (x > 0 && x + width > CHART_WIDTH) {
      x = 0;
      y += rowHeight + 4;
      rowHeight = 0;
    }
    marks.push(item.mark(x + 1, y + 1));
    marks.push(<Lines lines={lines} x={x + 24} y={y + 15} />);
    rowHeight = Math.max(rowHeight, lines.length * LINE);
    x += width;
  }
  return { height: items.length ? y + rowHeight + 12 : 0, marks };
}

const hiddenLegend = (id: string): LegendItem => ({
  label: 'Hidden to protect privacy',
  mark: (x, y) => <HiddenMark id={id} x={x} y={y} size={BAR} />,
});

/** The figure around a chart: caption, picture, then the table of its numbers. */
const Figure: FC<{
  id: string;
  title: string;
  summary: string;
  height: number;
  children: Child;
  table: Child;
}> = (p) => (
  <figure class="nwd-chart" id={p.id}>
    <figcaption class="nwd-chart-title">{p.title}</figcaption>
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${CHART_WIDTH} ${n(p.height)}`}
      width="100%"
      role="img"
      aria-labelledby={`${p.id}-title ${p.id}-desc`}
      class="nwd-chart-svg"
    >
      <title id={`${p.id}-title`}>{p.title}</title>
      <desc id={`${p.id}-desc`}>{p.summary}</desc>
      <Patterns id={p.id} />
      {p.children}
    </svg>
    {p.table}
  </figure>
);

export interface BarChartProps {
  /** Unique on the page: the figure's id and the prefix of every id inside it. */
  id: string;
  title: string;
  /** One or two sentences saying what the chart shows (see `summarize`). */
  summary: string;
  /** One row each; `values` in the order of `series`. */
  categories: readonly { label: string; values: readonly Published[] }[];
  series: readonly { name: string }[];
  threshold: number;
  /** What is counted ("young people"), for the table's heading. */
  unit?: string;
  /** The heading of the table's first column (default "Group"). */
  categoryHeading?: string;
  /**
   * The id of a table right after the chart that holds the same numbers (a report's own table, with
   * more columns): the chart then leaves out its own table and the figure names that one.
   */
  numbersIn?: string;
}

/**
 * Horizontal bars, a group per category with a bar per series side by side, the number at the end of
 * each bar; the category's name above its bars, so a long name wraps instead of squeezing the bars.
 *
 * @example
 * <BarChart id="age" title="Young people served by age" summary={summarize({...})} threshold={10}
 *   series={[{ name: 'New' }, { name: 'Continuing' }]}
 *   categories={[{ label: '18 to 24', values: [publish(80, false), publish(40, false)] }]} />
 */
export const BarChart: FC<BarChartProps> = (p) => {
  checkId(p.id);
  const multi = p.series.length > 1;
  const anyHidden = p.categories.some((c) => c.values.some((v) => v.suppressed));
  const items: LegendItem[] = multi
    ? p.series.map((s, i) => ({
        label: s.name,
        mark: (x, y) => (
          <rect
            x={n(x)}
            y={n(y)}
            width={BAR}
            height={BAR}
            fill={seriesFill(p.id, i) || undefined}
            class={seriesClass(i)}
          />
        ),
      }))
    : [];
  if (anyHidden) items.push(hiddenLegend(p.id));
  const key = legend(items);

  const shown = p.categories.flatMap((c) => c.values.filter((v) => !v.suppressed));
  const max = Math.max(0, ...shown.map(valueOf));
  const labelRoom = Math.max(textWidth('0'), ...shown.map((v) => textWidth(String(valueOf(v))))) + 8;
  const x0 = 1;
  const plot = CHART_WIDTH - x0 - labelRoom;
  const length = (v: number) => (max > 0 && v > 0 ? Math.max(1, (v / max) * plot) : 0);

  const marks: Child[] = [];
  let y = key.height;
  for (const category of p.categories) {
    const lines = wrapText(category.label, CHART_WIDTH);
    marks.push(<Lines lines={lines} x={0} y={y + 15} cls="nwd-chart-label" />);
    y += lines.length * LINE + 2;
    const top = y;
    p.series.forEach((_, i) => {
      const v = category.values[i] ?? { value: null, suppressed: false };
      if (v.suppressed) {
        marks.push(<HiddenMark id={p.id} x={x0} y={y} size={BAR} />);
        marks.push(
          <text x={n(x0 + BAR + 6)} y={n(y + 14)} class="nwd-chart-muted">
            hidden
          </text>,
        );
      } else {
        const w = length(valueOf(v));
        if (w > 0)
          marks.push(
            <rect
              x={n(x0)}
              y={n(y)}
              width={n(w)}
              height={BAR}
              fill={seriesFill(p.id, i) || undefined}
              class={seriesClass(i)}
            />,
          );
        marks.push(
          <text x={n(x0 + w + 4)} y={n(y + 14)}>
            {String(valueOf(v))}
          </text>,
        );
      }
      y += BAR + 4;
    });
    marks.push(<path d={`M${n(x0 - 0.5)} ${n(top - 2)}V${n(y - 2)}`} class="nwd-chart-axis" />);
    y += 10;
  }

  const heading = p.categoryHeading ?? 'Group';
  const table = p.numbersIn ? (
    <p class="nwd-muted margin-top-0">
      The numbers are in <a href={`#${p.numbersIn}`}>the table below</a>.
    </p>
  ) : (
    <DataTable
      label={`${p.title}: the numbers`}
      id={`${p.id}-table`}
      caption={p.unit ? `${p.title} (number of ${p.unit})` : p.title}
      head={[heading, ...p.series.map((s) => s.name)]}
    >
      {p.categories.map((c) => (
        <tr>
          <th scope="row">{c.label}</th>
          {p.series.map((_, i) => (
            <td>
              <Count p={c.values[i] ?? { value: null, suppressed: false }} threshold={p.threshold} />
            </td>
          ))}
        </tr>
      ))}
    </DataTable>
  );
  return (
    <Figure
      id={p.id}
      title={p.title}
      summary={p.summary}
      height={Math.max(y, key.height + LINE)}
      table={table}
    >
      {key.marks}
      {marks}
    </Figure>
  );
};

/** A round step for an axis: 1, 2 or 5 times a power of ten, about `span / 4`. */
function niceStep(span: number): number {
  const raw = Math.max(span / 4, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return Math.max(1, step);
}

export interface TrendChartProps {
  id: string;
  title: string;
  summary: string;
  /** In time order, oldest first. */
  periods: readonly { label: string; value: Published }[];
  threshold: number;
  /** What is counted ("young people"), for the table's heading. */
  unit?: string;
  /** The heading of the table's first column (default "Period"). */
  periodHeading?: string;
}

/**
 * One count per period as vertical bars over a scale with grid lines, the number above each bar when
 * the columns are wide enough; period names under the bars, wrapped, or every second (third …) one when
 * there are too many to fit (the table names them all).
 *
 * @example
 * <TrendChart id="served-by-quarter" title="Young people served each quarter" summary={summarizeTrend({...})}
 *   threshold={10} periods={[{ label: '2026 Q1', value: publish(40, false) }]} />
 */
export const TrendChart: FC<TrendChartProps> = (p) => {
  checkId(p.id);
  const anyHidden = p.periods.some((q) => q.value.suppressed);
  const key = legend(anyHidden ? [hiddenLegend(p.id)] : []);
  const max = Math.max(0, ...p.periods.map((q) => valueOf(q.value)));
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const x0 = Math.max(...ticks.map((t) => textWidth(String(t)))) + 8;
  const count = Math.max(1, p.periods.length);
  const column = (CHART_WIDTH - x0) / count;
  const barWidth = Math.min(column * 0.65, 40);
  const valueLabels = p.periods.every((q) => textWidth(String(valueOf(q.value))) <= column - 2);
  const plotTop = key.height + (valueLabels ? LINE + 4 : 8);
  const plotHeight = 160;
  const base = plotTop + plotHeight;
  const yOf = (v: number) => base - (v / top) * plotHeight;

  // Period names: wrapped into two lines at most, or else one line for every k-th period.
  const wrapped = p.periods.map((q) => wrapText(q.label, column - 4));
  const fits = wrapped.every((lines) => lines.length <= 2);
  const every = fits
    ? 1
    : Math.ceil(Math.max(...p.periods.map((q) => textWidth(q.label))) / Math.max(column - 4, 1));

  const marks: Child[] = [];
  for (const t of ticks) {
    marks.push(<path d={`M${n(x0)} ${n(yOf(t))}H${CHART_WIDTH}`} class="nwd-chart-grid" />);
    marks.push(
      <text x={n(x0 - 6)} y={n(yOf(t) + 5)} text-anchor="end" class="nwd-chart-muted">
        {String(t)}
      </text>,
    );
  }
  p.periods.forEach((q, i) => {
    const center = x0 + column * (i + 0.5);
    const v = valueOf(q.value);
    if (q.value.suppressed) {
      const size = Math.min(barWidth, BAR);
      marks.push(<HiddenMark id={p.id} x={center - size / 2} y={base - size} size={size} />);
    } else if (v > 0) {
      const height = Math.max(1, base - yOf(v));
      marks.push(
        <rect
          x={n(center - barWidth / 2)}
          y={n(base - height)}
          width={n(barWidth)}
          height={n(height)}
          class={seriesClass(0)}
        />,
      );
    }
    if (valueLabels && !q.value.suppressed)
      marks.push(
        <text x={n(center)} y={n(yOf(v) - 5)} text-anchor="middle">
          {String(v)}
        </text>,
      );
    if (fits) {
      marks.push(
        <Lines lines={wrapped[i]!} x={center} y={base + 18} anchor="middle" cls="nwd-chart-label" />,
      );
    } else if (i % every === 0) {
      const half = textWidth(q.label) / 2;
      const x = Math.min(Math.max(center, half), CHART_WIDTH - half);
      marks.push(<Lines lines={[q.label]} x={x} y={base + 18} anchor="middle" cls="nwd-chart-label" />);
    }
  });
  marks.push(<path d={`M${n(x0)} ${n(base)}H${CHART_WIDTH}`} class="nwd-chart-axis" />);
  const height = base + 8 + (fits ? Math.max(1, ...wrapped.map((l) => l.length)) : 1) * LINE;

  const table = (
    <DataTable
      label={`${p.title}: the numbers`}
      id={`${p.id}-table`}
      caption={p.unit ? `${p.title} (number of ${p.unit})` : p.title}
      head={[p.periodHeading ?? 'Period', p.unit ? capitalize(p.unit) : 'Count']}
    >
      {p.periods.map((q) => (
        <tr>
          <th scope="row">{q.label}</th>
          <td>
            <Count p={q.value} threshold={p.threshold} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
  return (
    <Figure id={p.id} title={p.title} summary={p.summary} height={height} table={table}>
      {key.marks}
      {marks}
    </Figure>
  );
};

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
/** A count in words up to ten ("two"), in digits above. */
const inWords = (count: number): string => WORDS[count] ?? String(count);

/** "A", "A and B", "A, B and C". */
const andList = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

const hiddenSentence = (hidden: number, what: [string, string], threshold: number): string =>
  hidden
    ? ` ${capitalize(inWords(hidden))} ${hidden === 1 ? `${what[0]} is` : `${what[1]} are`} hidden to protect privacy (counts under ${threshold} are not shown).`
    : '';

/**
 * A chart's summary in plain words from its numbers: the largest group (with its share of the total
 * when the total is known), and how many groups are hidden. The total is `total` when given and shown,
 * else the sum of the groups when none is hidden.
 *
 * @example
 * summarize({ subject: 'young people served', threshold: 10, total: 300, groups: [
 *   { label: '18 to 24', value: publish(180, false) }, { label: '12 to 14', value: publish(4, true) }, …] });
 * // 'Most young people served were 18 to 24 (180 of 300). One group is hidden to protect privacy
 * // (counts under 10 are not shown).'
 */
export function summarize(o: {
  subject: string;
  groups: readonly { label: string; value: Published }[];
  threshold: number;
  total?: Published | number;
}): string {
  const shown = o.groups.filter((g) => !g.value.suppressed);
  const hidden = o.groups.length - shown.length;
  const hiddenText = hiddenSentence(hidden, ['group', 'groups'], o.threshold);
  if (!o.groups.length) return `There are no ${o.subject} to show.`;
  if (!shown.length)
    return `${o.groups.length === 1 ? 'The only group is' : `All ${inWords(o.groups.length)} groups are`} hidden to protect privacy (counts under ${o.threshold} are not shown).`;
  const top = Math.max(...shown.map((g) => valueOf(g.value)));
  if (top === 0) return `There were no ${o.subject} in the groups shown.${hiddenText}`;
  const total =
    typeof o.total === 'number'
      ? o.total
      : o.total && !o.total.suppressed && o.total.value !== null
        ? o.total.value
        : hidden === 0
          ? shown.reduce((sum, g) => sum + valueOf(g.value), 0)
          : null;
  const leaders = shown.filter((g) => valueOf(g.value) === top).map((g) => g.label);
  const of = total !== null ? ` of ${total}` : '';
  const first =
    leaders.length > 1
      ? `The largest groups of ${o.subject} were ${andList(leaders)} (${top} each${of}).`
      : total !== null && top * 2 > total
        ? `Most ${o.subject} were ${leaders[0]} (${top}${of}).`
        : `The largest group of ${o.subject} was ${leaders[0]} (${top}${of}).`;
  return `${first}${hiddenText}`;
}

/**
 * A trend chart's summary: from the first shown period to the last, the highest, and how many periods
 * are hidden.
 *
 * @example
 * summarizeTrend({ subject: 'young people served', threshold: 10, periods: [
 *   { label: '2025 Q1', value: publish(40, false) }, { label: '2025 Q2', value: publish(62, false) }] });
 * // 'Young people served went from 40 in 2025 Q1 to 62 in 2025 Q2.'
 */
export function summarizeTrend(o: {
  subject: string;
  periods: readonly { label: string; value: Published }[];
  threshold: number;
}): string {
  const shown = o.periods.filter((q) => !q.value.suppressed);
  const hiddenText = hiddenSentence(o.periods.length - shown.length, ['period', 'periods'], o.threshold);
  if (!o.periods.length) return `There are no periods to show.`;
  if (!shown.length)
    return `All periods are hidden to protect privacy (counts under ${o.threshold} are not shown).`;
  const first = shown[0]!;
  const last = shown.at(-1)!;
  const words =
    shown.length === 1
      ? `${capitalize(o.subject)}: ${valueOf(first.value)} in ${first.label}.`
      : `${capitalize(o.subject)} went from ${valueOf(first.value)} in ${first.label} to ${valueOf(last.value)} in ${last.label}.`;
  const peak = shown.reduce((best, q) => (valueOf(q.value) > valueOf(best.value) ? q : best));
  const highest =
    shown.length > 2 && peak !== first && peak !== last && valueOf(peak.value) > 0
      ? ` The highest was ${valueOf(peak.value)}, in ${peak.label}.`
      : '';
  return `${words}${highest}${hiddenText}`;
}
