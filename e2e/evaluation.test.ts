/**
 * The evaluation reports in a real browser, on synthetic facts whose true counts are known (test/
 * evaluation-facts.ts) and one real case: an evaluator signs in, chooses another period and a breakdown
 * with the keyboard alone (Tab to each drop-down list, arrow keys to choose, Enter to submit), reads the
 * known count of a large cell, downloads the table as CSV (a hidden count is an empty cell marked
 * `_suppressed`), opens the printable biennial report and the data-quality page — each page with no axe
 * violation (WCAG 2.2 AA) and no sideways scrolling at 1280 px and 375 px — and is refused the case's
 * page with the answer an id that was never a case gets: evaluators see counts, never a case. Printed,
 * the biennial report leaves out the staff menu and the picker, and every table fits a letter page.
 * With NWD_SCREENSHOTS=<folder> the pages are saved there, at both widths and printed.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseFacts } from '../src/features/evaluation/index.ts';
import { addCase } from '../src/features/referrals/testing.ts';
import type { TestApp } from '../test/app.ts';
import { insertFacts, syntheticYouth, type SyntheticYouth } from '../test/evaluation-facts.ts';
import { addOrganization, addStaff, type TestStaff } from '../test/staff.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';
const SHOTS = process.env.NWD_SCREENSHOTS;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
] as const;

/** Fiscal year 2025, which has ended (the app runs on the real clock: its last ended year is later). */
const FY = { from: '2024-07-01', to: '2025-06-30' };

/**
 * The true number of young people served in `FY` by race (and in all): each person once, by their
 * earliest case open in the period; someone with two or more races also counts in "two or more", and
 * someone with none in "not recorded".
 */
function servedByRace(youth: readonly SyntheticYouth[]): Map<string, number> {
  const earliest = new Map<string, SyntheticYouth>();
  for (const y of youth) {
    if (y.openedOn > FY.to || (y.closedOn !== null && y.closedOn < FY.from)) continue;
    const had = earliest.get(y.person);
    if (!had || y.openedOn < had.openedOn || (y.openedOn === had.openedOn && y.subject < had.subject))
      earliest.set(y.person, y);
  }
  const counts = new Map<string, number>();
  const add = (g: string) => counts.set(g, (counts.get(g) ?? 0) + 1);
  for (const y of earliest.values()) {
    add('total');
    if (y.races.length === 0) add('not_recorded');
    for (const r of y.races) add(r);
    if (y.races.length >= 2) add('two_or_more');
  }
  return counts;
}

/** Axe, sideways scrolling, and (with NWD_SCREENSHOTS) a screenshot, at each width. */
async function checkAtEachWidth(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (sideways > 0) problems.push(`${name} at ${size.width} px scrolls sideways by ${sideways} px`);
    problems.push(...(await axe(page)).map((line) => `${size.width} px: ${line}`));
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `evaluation-${name}-${size.width}.png`), fullPage: true });
      // And in slices a screen or two high, for reading at full size.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const slice = size.width > 1000 ? 1000 : 1400;
      for (let y = 0, n = 1; y < height; y += slice, n++)
        await page.screenshot({
          path: join(SHOTS, `evaluation-${name}-${size.width}-part${n}.png`),
          fullPage: true,
          clip: { x: 0, y, width: size.width, height: Math.min(slice, height - y) },
        });
    }
  }
  return problems;
}

/** The id (or tag) of the element that has the keyboard focus. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.id || `${el?.tagName.toLowerCase()}:${el?.textContent?.trim().slice(0, 40)}`;
  });

/** Chooses `value` in the focused drop-down list with the arrow keys alone. */
async function chooseByKeyboard(page: Page, id: string, value: string): Promise<void> {
  expect(await focused(page)).toBe(id);
  const count = await page.locator(`#${id} option`).count();
  const current = () => page.$eval(`#${id}`, (el) => (el as HTMLSelectElement).value);
  const index = await page
    .locator(`#${id} option`)
    .evaluateAll((os, v) => os.findIndex((o) => (o as HTMLOptionElement).value === v), value);
  expect(index, `${id} offers ${value}`).toBeGreaterThanOrEqual(0);
  const from = await page.$eval(`#${id}`, (el) => (el as HTMLSelectElement).selectedIndex);
  const key = index >= from ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < count && (await current()) !== value; i++) await page.keyboard.press(key);
  expect(await current()).toBe(value);
}

describe.skipIf(!available)('the evaluation reports in a browser', () => {
  const world = new BrowserWorld(PASSWORD);
  let t: TestApp;
  let evaluator: TestStaff;
  let youth: SyntheticYouth[];
  let caseId: string;

  beforeAll(async () => {
    t = await world.open();
    const org = await addOrganization(t.deps.db, 'Synthetic Youth Services');
    evaluator = await addStaff(t.deps, 'evaluator', [], { name: 'Synthetic Evaluator' });
    await world.signIns.enable(t, evaluator);
    // Two fiscal years (2025 and 2026) of synthetic young people, and one case opened through the
    // product, whose facts are written as the evaluation-facts job writes them.
    youth = syntheticYouth(29, 320, FY.from, '2026-06-30');
    await insertFacts(t.deps.db, youth, org);
    caseId = await addCase(t.deps);
    const facts = {
      keyring: t.deps.keyring,
      calendar: t.deps.rules.calendar,
      vocabularies: t.deps.rules.vocabularies,
    };
    expect(await t.deps.db.transaction().execute((trx) => refreshCaseFacts(facts, trx, caseId))).toBe(true);
    await world.launch();
  }, 120_000);

  afterAll(() => world.close());

  it('an evaluator chooses a period and a breakdown by keyboard, reads the table, downloads it, and sees no case', async () => {
    const problems: string[] = [];
    const page = await world.signIn(evaluator);
    await page.setViewportSize(SIZES[0]);
    await page.goto(`${world.url}/staff/reports`);
    expect(await page.textContent('h1')).toContain('Evaluation reports');
    // The last ended fiscal year, with no breakdown, by default.
    expect(await page.textContent('#report-h')).toBe('Young people served');

    // Keyboard alone: Tab from the top of the page reaches the measure, then the period, the breakdown
    // and the button, in that order.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let i = 0; i < 60 && (await focused(page)) !== 'measure'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('measure');
    await page.keyboard.press('Tab');
    await chooseByKeyboard(page, 'period', `${FY.from}_${FY.to}`);
    await page.keyboard.press('Tab');
    await chooseByKeyboard(page, 'by', 'race');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button:Show the report');
    await Promise.all([page.waitForURL(/by=race/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('period')).toBe(`${FY.from}_${FY.to}`);

    // The new table, with the known truth of its largest cells.
    expect(await page.textContent('#report-h')).toBe('Young people served by race and ethnicity');
    expect(await page.textContent('#report-table caption')).toBe(
      'Young people served by race and ethnicity, Fiscal year 2025 (Jul 2024 to Jun 2025)',
    );
    const truth = servedByRace(youth);
    const served = async (label: string) =>
      (
        await page
          .locator('#report-table tbody tr', {
            has: page.locator('th', { hasText: new RegExp(`^${label}$`) }),
          })
          .locator('td')
          .nth(2)
          .textContent()
      )?.trim();
    expect(await served('All')).toBe(String(truth.get('total')));
    expect(truth.get('total')).toBeGreaterThan(100);
    expect(await served('White')).toBe(String(truth.get('white')));
    expect(truth.get('white')).toBeGreaterThan(20);
    expect(await page.locator('#report-table-chart').count()).toBe(1);
    // The trend starts with the first quarter that has a record, not with years of zeros before.
    expect(await page.locator('#trend').count()).toBe(1);
    expect((await page.locator('#trend tbody tr').first().locator('td').textContent())?.trim()).not.toBe('0');
    problems.push(...(await checkAtEachWidth(page, 'dashboard-by-race')));
    await page.setViewportSize(SIZES[0]);

    // The CSV: its header, and a hidden count empty and marked suppressed (never a zero).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:text-is("CSV")')]);
    expect(download.suggestedFilename()).toBe(`evaluation-youth_served-by-race-${FY.from}-to-${FY.to}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r\n/)
      .map((l) => l.split(','));
    const head = csv[0]!;
    expect(head.join(',')).toBe(
      'period_from,period_to,race,label,new,new_suppressed,continuing,continuing_suppressed,served,served_suppressed,average_age,average_age_suppressed,share_percent,share_percent_suppressed',
    );
    const rows = csv.slice(1).map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i]!])));
    const white = rows.find((r) => r.race === 'white')!;
    expect([white.served, white.served_suppressed]).toEqual([String(truth.get('white')), 'false']);
    const hidden = rows.flatMap((r) =>
      ['new', 'continuing', 'served'].filter((c) => r[`${c}_suppressed`] === 'true').map((c) => r[c]),
    );
    expect(hidden.length, 'the table hides at least one count').toBeGreaterThan(0);
    expect(hidden.every((value) => value === '')).toBe(true);

    // The printable biennial report, for the same period.
    await page.click('a:text-is("Printable biennial report")');
    await page.waitForURL(/\/staff\/reports\/biennial\?/);
    expect(await page.textContent('h1')).toContain('Safe Harbor evaluation report');
    expect(await page.textContent('#report-title')).toBe('Fiscal year 2025 (Jul 2024 to Jun 2025)');
    expect(await page.locator('.nwd-report-table').count()).toBeGreaterThan(10);
    problems.push(...(await checkAtEachWidth(page, 'biennial')));
    // Printed: neither the staff menu nor the picker.
    await page.setViewportSize(SIZES[0]);
    await page.emulateMedia({ media: 'print' });
    for (const hiddenInPrint of ['.nwd-header', '.nwd-nav', 'form.noprint'])
      for (const el of await page.locator(hiddenInPrint).all()) expect(await el.isVisible()).toBe(false);
    expect(await page.locator('#table-1').isVisible()).toBe(true);
    // On a letter page (7.5 inches inside its margins, 720 px) every table fits the width: none is cut.
    await page.setViewportSize({ width: 720, height: 1000 });
    const cut = await page.$$eval('.nwd-report table', (tables) =>
      tables.flatMap((t) =>
        t.getBoundingClientRect().right > document.documentElement.clientWidth + 1
          ? [`${t.id}: ${Math.round(t.getBoundingClientRect().width)} px`]
          : [],
      ),
    );
    expect(cut, 'tables wider than the printed page').toEqual([]);
    await page.setViewportSize(SIZES[0]);
    if (SHOTS) {
      await page.pdf({ path: join(SHOTS, 'evaluation-biennial.pdf'), format: 'Letter' });
      // At a letter page's width, in slices a page high, for reading.
      await page.setViewportSize({ width: 816, height: 1056 });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      // The widest tables (cases closed, with their closing questions), as printed.
      for (const table of ['#table-12', '#table-13'])
        await page
          .locator(table)
          .screenshot({ path: join(SHOTS, `evaluation-biennial-print-${table.slice(1)}.png`) });
      for (let y = 0, n = 1; y < height && n <= 12; y += 1056, n++)
        await page.screenshot({
          path: join(SHOTS, `evaluation-biennial-print-part${n}.png`),
          fullPage: true,
          clip: { x: 0, y, width: 816, height: Math.min(1056, height - y) },
        });
    }
    await page.emulateMedia({ media: 'screen' });

    // The data-quality page.
    await page.goto(`${world.url}/staff/reports/quality?period=${FY.from}_${FY.to}`);
    expect(await page.textContent('h1')).toContain('Data quality');
    expect(await page.textContent('#quality caption')).toContain('Fiscal year 2025');
    const race = page.locator('#quality tbody tr', { has: page.locator('th:text-is("Race and ethnicity")') });
    expect((await race.locator('td').nth(1).textContent())?.trim()).toBe(
      `${truth.get('total')} young people served`,
    );
    problems.push(...(await checkAtEachWidth(page, 'quality')));

    // Counts only: an evaluator may open no case. A case page answers the role as for a case that does
    // not exist (404): the answer for a real case is the answer for an id that was never a case.
    const refusal = async (id: string) => {
      const response = await page.goto(`${world.url}/staff/cases/${id}`);
      return {
        status: response?.status(),
        heading: await page.textContent('h1'),
        main: await page.textContent('main'),
      };
    };
    const real = await refusal(caseId);
    expect(real.status).toBe(404);
    expect(real.main).not.toContain('Synthetic Sky');
    expect(await refusal('00000000-0000-4000-8000-000000000000')).toEqual(real);
    problems.push(...(await axe(page)));

    expect(problems).toEqual([]);
    for (const iso of world.signIns.contexts) expect(iso.foreignRequests()).toEqual([]);
  }, 240_000);
});
