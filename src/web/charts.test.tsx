import { describe, expect, it } from 'vitest';
import { publish, type Published } from '../platform/small-numbers.ts';
import { BarChart, CHART_WIDTH, TrendChart, summarize, summarizeTrend, wrapText } from './charts.tsx';

const shown = (n: number): Published => publish(n, false);
const hidden: Published = { value: null, suppressed: true };

const render = async (el: unknown): Promise<string> =>
  String(await (el as { toString(): unknown }).toString());

/** The `<svg>` part of a chart's markup. */
const svgOf = (html: string): string => html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);

/** The attributes of every element `tag` whose class list holds `cls`. */
function elements(html: string, tag: string, cls: string): Record<string, string>[] {
  return [...html.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((a) => (a.class ?? '').split(' ').includes(cls));
}

const bars = (html: string) => elements(svgOf(html), 'rect', 'nwd-chart-bar');

describe('BarChart', () => {
  it('leaves its numbers to a table that follows it when told, and links to it', async () => {
    const props = {
      id: 'race',
      title: 'By race',
      summary: 'Two groups.',
      threshold: 10,
      series: [{ name: 'Young people' }],
      categories: [{ label: 'Asian', values: [shown(42)] }],
    };
    const own = await render(<BarChart {...props} />);
    const elsewhere = await render(<BarChart {...props} numbersIn="report-table" />);
    expect(own).toContain('<table');
    expect(elsewhere).not.toContain('<table');
    expect(elsewhere).toContain('href="#report-table"');
    expect(svgOf(elsewhere)).toBe(svgOf(own));
  });

  it('draws bars in proportion to the counts, the largest across the plot', async () => {
    const html = await render(
      <BarChart
        id="age"
        title="Young people served by age"
        summary="Most were 18 to 24."
        threshold={10}
        series={[{ name: 'Young people' }]}
        categories={[
          { label: '18 to 24', values: [shown(120)] },
          { label: '15 to 17', values: [shown(60)] },
          { label: '12 to 14', values: [shown(30)] },
        ]}
      />,
    );
    const widths = bars(html).map((b) => Number(b.width));
    expect(widths).toHaveLength(3);
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 1);
    expect(widths[0]! / widths[2]!).toBeCloseTo(4, 1);
    expect(widths[0]!).toBeGreaterThan(CHART_WIDTH / 2);
    expect(widths[0]!).toBeLessThan(CHART_WIDTH);
    expect(svgOf(html)).toContain('>120</text>');
  });

  it('is a figure with a caption, a named and described picture, then a table of the same numbers', async () => {
    const html = await render(
      <BarChart
        id="gender"
        title="Young people by gender"
        summary="Most were female."
        threshold={10}
        unit="young people"
        series={[{ name: 'Young people' }]}
        categories={[{ label: 'Female', values: [shown(91)] }]}
      />,
    );
    expect(html).toMatch(
      /^<figure class="nwd-chart" id="gender"><figcaption[^>]*>Young people by gender<\/figcaption><svg/,
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="gender-title gender-desc"');
    expect(html).toContain('<title id="gender-title">Young people by gender</title>');
    expect(html).toContain('<desc id="gender-desc">Most were female.</desc>');
    const table = html.slice(html.indexOf('</svg>'));
    expect(table).toContain('<caption>Young people by gender (number of young people)</caption>');
    expect(table).toMatch(/<th scope="row">Female<\/th><td>91<\/td>/);
    expect(html).not.toMatch(/ style=|<script|<style/);
  });

  it('draws a hidden count as a marker, not a bar, with its legend entry; the table says hidden', async () => {
    const html = await render(
      <BarChart
        id="region"
        title="By region"
        summary="s"
        threshold={10}
        series={[{ name: 'Young people' }]}
        categories={[
          { label: 'Metro', values: [shown(40)] },
          { label: 'Northwest', values: [hidden] },
          { label: 'Southwest', values: [shown(0)] },
        ]}
      />,
    );
    const svg = svgOf(html);
    expect(bars(html)).toHaveLength(1); // Metro only: no bar for the hidden count, none for zero
    const marks = elements(svg, 'rect', 'nwd-chart-hidden');
    expect(marks).toHaveLength(2); // the Northwest marker and the legend's
    expect(marks.every((m) => m.fill === 'url(#region-hidden)')).toBe(true);
    expect(svg).toContain('Hidden to protect privacy');
    expect(svg).toContain('>0</text>'); // zero is shown as zero
    expect(html.slice(html.indexOf('</svg>'))).toMatch(
      /<th scope="row">Northwest<\/th><td><span class="nwd-muted"[^>]*>\s*hidden\s*<\/span><\/td>/,
    );
  });

  it('tells series apart by pattern as well as color, in the legend and the bars', async () => {
    const html = await render(
      <BarChart
        id="status"
        title="New and continuing"
        summary="s"
        threshold={10}
        series={[{ name: 'New' }, { name: 'Continuing' }, { name: 'Returning' }]}
        categories={[
          { label: 'Metro', values: [shown(40), shown(20), shown(12)] },
          { label: 'Greater Minnesota', values: [shown(30), hidden, shown(11)] },
        ]}
      />,
    );
    const fills = bars(html).map((b) => b.fill ?? 'solid');
    // Legend (3 swatches), then 3 + 2 bars.
    expect(fills).toEqual([
      'solid',
      'url(#status-p1)',
      'url(#status-p2)',
      'solid',
      'url(#status-p1)',
      'url(#status-p2)',
      'solid',
      'url(#status-p2)',
    ]);
    const svg = svgOf(html);
    for (const name of ['New', 'Continuing', 'Returning', 'Hidden to protect privacy'])
      expect(svg).toContain(`>${name}<`);
    expect(html).toMatch(
      /<th scope="col">Group<\/th><th scope="col">New<\/th><th scope="col">Continuing<\/th>/,
    );
  });

  it('draws all-zero and all-hidden data without NaN or Infinity', async () => {
    for (const value of [shown(0), hidden]) {
      const html = await render(
        <BarChart
          id="empty"
          title="t"
          summary="s"
          threshold={10}
          series={[{ name: 'A' }, { name: 'B' }]}
          categories={[
            { label: 'One', values: [value, value] },
            { label: 'Two', values: [value, value] },
          ]}
        />,
      );
      expect(html).not.toMatch(/NaN|Infinity|undefined/);
      // Only the legend's two swatches: no bar for a zero or a hidden count.
      expect(bars(html).map((b) => b.width)).toEqual(['18', '18']);
    }
    const none = await render(
      <BarChart id="none" title="t" summary="s" threshold={10} series={[]} categories={[]} />,
    );
    expect(none).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('escapes labels, names and text', async () => {
    const html = await render(
      <BarChart
        id="esc"
        title={'Title <i>&'}
        summary={'Summary </desc><script>'}
        threshold={10}
        series={[{ name: 'A & <B>' }, { name: 'C' }]}
        categories={[{ label: '<script>alert(1)</script> & co', values: [shown(3), shown(4)] }]}
      />,
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('A &amp; &lt;B&gt;');
    expect(html).toContain('Title &lt;i&gt;&amp;');
    expect(html).toContain('Summary &lt;/desc&gt;&lt;script&gt;');
  });

  it('wraps a long category name instead of running past the picture', async () => {
    const label = 'Young people who came back after a long time away from any program';
    const lines = wrapText(label, CHART_WIDTH);
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).toBe(label);
    expect(wrapText('x'.repeat(100), 100).every((l) => l.length * 16 * 0.56 <= 100)).toBe(true);
  });

  it('refuses an id that cannot be a reference', () => {
    expect(() =>
      BarChart({ id: 'a b', title: 't', summary: 's', threshold: 10, series: [], categories: [] }),
    ).toThrow(/chart id/);
  });
});

describe('TrendChart', () => {
  const quarters = (values: Published[]) =>
    values.map((value, i) => ({ label: `${2025 + Math.floor(i / 4)} Q${(i % 4) + 1}`, value }));

  it('draws bar heights in proportion, a hidden quarter as a marker, and the table', async () => {
    const html = await render(
      <TrendChart
        id="served"
        title="Served each quarter"
        summary="s"
        threshold={10}
        unit="young people"
        periods={quarters([shown(40), shown(80), hidden, shown(20)])}
      />,
    );
    const heights = bars(html).map((b) => Number(b.height));
    expect(heights).toHaveLength(3);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1);
    expect(heights[0]! / heights[2]!).toBeCloseTo(2, 1);
    const svg = svgOf(html);
    expect(elements(svg, 'rect', 'nwd-chart-hidden')).toHaveLength(2);
    expect(svg).toContain('Hidden to protect privacy');
    for (const q of ['2025 Q1', '2025 Q4']) expect(svg).toContain(q);
    expect(html).toContain('<th scope="col">Young people</th>');
    expect(html).toMatch(
      /<th scope="row">2025 Q3<\/th><td><span class="nwd-muted"[^>]*>\s*hidden\s*<\/span><\/td>/,
    );
    expect(html).not.toMatch(/NaN|Infinity| style=|<script/);
  });

  it('names every second period or fewer when there are too many to fit, and the table names all', async () => {
    const values = Array.from({ length: 16 }, (_, i) => shown(100 + i * 37));
    const html = await render(
      <TrendChart id="long" title="t" summary="s" threshold={10} periods={quarters(values)} />,
    );
    const svg = svgOf(html);
    const named = quarters(values).filter((q) => svg.includes(`>${q.label}<`));
    expect(named.length).toBeGreaterThan(1);
    expect(named.length).toBeLessThan(16);
    expect(svg).not.toContain('>655<'); // no room for the numbers over the bars
    expect(html.slice(html.indexOf('</svg>'))).toContain('<th scope="row">2028 Q4</th><td>655</td>');
  });

  it('draws all-zero, all-hidden and empty data without NaN', async () => {
    for (const periods of [quarters([shown(0), shown(0)]), quarters([hidden, hidden, hidden]), []]) {
      const html = await render(<TrendChart id="z" title="t" summary="s" threshold={10} periods={periods} />);
      expect(html).not.toMatch(/NaN|Infinity|undefined/);
      expect(bars(html)).toHaveLength(0);
    }
  });
});

describe('two charts on a page', () => {
  it('have no id in common, and every reference points inside its own chart', async () => {
    const charts = [
      await render(
        <BarChart
          id="by-age"
          title="t"
          summary="s"
          threshold={10}
          series={[{ name: 'A' }, { name: 'B' }]}
          categories={[{ label: 'x', values: [shown(12), hidden] }]}
        />,
      ),
      await render(
        <TrendChart
          id="by-quarter"
          title="t"
          summary="s"
          threshold={10}
          periods={[{ label: 'Q1', value: hidden }]}
        />,
      ),
    ];
    const ids = charts.flatMap((html) => [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));
    expect(new Set(ids).size).toBe(ids.length);
    for (const html of charts) {
      const own = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));
      const refs = [
        ...[...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]!),
        ...[...html.matchAll(/aria-labelledby="([^"]+)"/g)].flatMap((m) => m[1]!.split(' ')),
      ];
      expect(refs.length).toBeGreaterThan(2);
      for (const ref of refs) expect(own.has(ref), ref).toBe(true);
    }
  });
});

describe('summaries', () => {
  it('names the largest group and its share, and how many groups are hidden', () => {
    expect(
      summarize({
        subject: 'young people served',
        threshold: 10,
        total: 300,
        groups: [
          { label: '18 to 24', value: shown(180) },
          { label: '15 to 17', value: shown(110) },
          { label: '12 to 14', value: hidden },
          { label: 'Under 12', value: hidden },
        ],
      }),
    ).toBe(
      'Most young people served were 18 to 24 (180 of 300). Two groups are hidden to protect privacy (counts under 10 are not shown).',
    );
    expect(
      summarize({
        subject: 'young people',
        threshold: 10,
        groups: [
          { label: 'Metro', value: shown(40) },
          { label: 'Northeast', value: shown(35) },
          { label: 'Southwest', value: shown(30) },
        ],
      }),
    ).toBe('The largest group of young people was Metro (40 of 105).');
    // With a hidden group and no total given, no share is claimed.
    expect(
      summarize({
        subject: 'young people',
        threshold: 10,
        groups: [
          { label: 'Metro', value: shown(40) },
          { label: 'Northeast', value: hidden },
        ],
      }),
    ).toBe(
      'The largest group of young people was Metro (40). One group is hidden to protect privacy (counts under 10 are not shown).',
    );
    expect(
      summarize({
        subject: 'young people',
        threshold: 10,
        groups: [
          { label: 'A', value: hidden },
          { label: 'B', value: hidden },
        ],
      }),
    ).toBe('All two groups are hidden to protect privacy (counts under 10 are not shown).');
    expect(
      summarize({ subject: 'young people', threshold: 10, groups: [{ label: 'A', value: shown(0) }] }),
    ).toBe('There were no young people in the groups shown.');
  });

  it('tells a trend from the first shown period to the last', () => {
    expect(
      summarizeTrend({
        subject: 'young people served',
        threshold: 10,
        periods: [
          { label: '2025 Q1', value: hidden },
          { label: '2025 Q2', value: shown(40) },
          { label: '2025 Q3', value: shown(70) },
          { label: '2025 Q4', value: shown(62) },
        ],
      }),
    ).toBe(
      'Young people served went from 40 in 2025 Q2 to 62 in 2025 Q4. The highest was 70, in 2025 Q3. One period is hidden to protect privacy (counts under 10 are not shown).',
    );
  });
});
