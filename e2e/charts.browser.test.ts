/**
 * The report charts in a real browser, with the staff pages' style sheets (the design system's and
 * staff.css): a page with a bar chart and a trend chart, at a 320 px phone and a 1280 px screen, has
 * no axe violation (WCAG 2.2 AA tags), its chart text reads at 12 px or more, and no text of a chart
 * runs outside its picture.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, type Published } from '../src/platform/small-numbers.ts';
import { BarChart, TrendChart, summarize, summarizeTrend } from '../src/web/charts.tsx';
import { axe, browserAvailable, launchBrowser } from './browser.ts';

const available = browserAvailable();
const require = createRequire(import.meta.url);
const CSS = [
  readFileSync(require.resolve('@uswds/uswds/css/uswds.min.css'), 'utf8'),
  readFileSync(new URL('../src/web/staff.css', import.meta.url), 'utf8'),
].join('\n');

const shown = (n: number): Published => publish(n, false);
const hidden: Published = { value: null, suppressed: true };

async function page(): Promise<string> {
  const ages = [
    { label: '18 to 24', value: shown(180) },
    { label: '15 to 17', value: shown(110) },
    { label: '12 to 14', value: hidden },
    { label: 'Age not given & other <answers>', value: shown(0) },
  ];
  const quarters = [40, 80, -1, 20, 95, 1200, 310, 55].map((v, i) => ({
    label: `${2025 + Math.floor(i / 4)} Q${(i % 4) + 1}`,
    value: v < 0 ? hidden : shown(v),
  }));
  const charts = [
    BarChart({
      id: 'by-age',
      title: 'Young people served by age',
      summary: summarize({ subject: 'young people served', groups: ages, threshold: 10, total: 300 }),
      threshold: 10,
      unit: 'young people',
      series: [{ name: 'Young people' }],
      categories: ages.map((g) => ({ label: g.label, values: [g.value] })),
    }),
    BarChart({
      id: 'by-region',
      title: 'New and continuing young people by region',
      summary: 'Most young people served were in the metro area.',
      threshold: 10,
      series: [
        { name: 'New' },
        { name: 'Continuing' },
        { name: 'Returning' },
        { name: 'Referred elsewhere' },
      ],
      categories: [
        { label: 'Metro', values: [shown(1400), shown(600), shown(20), shown(12)] },
        {
          label: 'Greater Minnesota (every region outside the seven-county metro area)',
          values: [shown(30), hidden, shown(11), hidden],
        },
      ],
    }),
    TrendChart({
      id: 'by-quarter',
      title: 'Young people served each quarter',
      summary: summarizeTrend({ subject: 'young people served', periods: quarters, threshold: 10 }),
      threshold: 10,
      periods: quarters,
    }),
    TrendChart({
      id: 'by-month',
      title: 'Young people served each month',
      summary: 'A steady rise over two years.',
      threshold: 10,
      periods: Array.from({ length: 24 }, (_, i) => ({
        label: `Month ${i + 1} of 2025`,
        value: i === 5 ? hidden : shown(1000 + i * 55),
      })),
    }),
  ];
  const body = (await Promise.all(charts.map(async (c) => String(await c)))).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body><main id="main" class="grid-container-widescreen nwd-main"><h1>Evaluation</h1>${body}</main></body></html>`;
}

describe.skipIf(!available)('report charts in a browser', () => {
  let browser: Browser;
  let html: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    html = await page();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [320, 1280]) {
    it(`at ${width} px: no axe violation, text at 12 px or more, none outside its picture`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const tab = await context.newPage();
      await tab.setContent(html);
      expect(await axe(tab)).toEqual([]);
      const measured = await tab.evaluate(() =>
        [...document.querySelectorAll('svg.nwd-chart-svg')].map((svg) => {
          const box = svg.getBoundingClientRect();
          const scale = box.width / (svg as SVGSVGElement).viewBox.baseVal.width;
          const texts = [...svg.querySelectorAll('text')];
          return {
            id: svg.closest('figure')!.id,
            smallest: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
            outside: texts
              .map((t) => [t.textContent, t.getBoundingClientRect()] as const)
              .filter(
                ([, r]) => r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1,
              )
              .map(([text]) => text),
          };
        }),
      );
      expect(measured.map((m) => m.id)).toEqual(['by-age', 'by-region', 'by-quarter', 'by-month']);
      for (const m of measured) {
        expect(m.smallest, m.id).toBeGreaterThanOrEqual(12);
        expect(m.outside, m.id).toEqual([]);
      }
      await context.close();
    });
  }
});
