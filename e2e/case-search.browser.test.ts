/**
 * Finding a case in a real browser: a regional navigator signs in with a password and a TOTP code, finds
 * a case by its case number and by the name the young person uses (typed with other capitals, accents
 * and spacing) and by date of birth, never sees the same name in another region, and pages through the
 * list — every page checked with axe (WCAG 2.2 AA tags), nothing requested from another site.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseContext } from '../src/features/cases/core.ts';
import { openCase } from '../src/features/cases/service.ts';
import { listen, testApp, type TestApp } from '../test/app.ts';
import { addStaff, type TestStaff } from '../test/staff.ts';
import {
  PHONE,
  axe,
  browserAvailable,
  isolatedContext,
  launchBrowser,
  type IsolatedContext,
} from './browser.ts';
import { enableSignIn, signIn, type SignInKey } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';
const origin = { ip: '192.0.2.30', userAgent: 'vitest' };

describe.skipIf(!available)('finding a case in a browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let iso: IsolatedContext;
  let page: Page;
  let navigator: TestStaff;
  let key: SignInKey;
  let wanted: { id: string; caseNumber: string };

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    t.deps.site = { origin: server.url, development: true };
    navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
    const elsewhere = await addStaff(t.deps, 'navigator', ['southeast'], { name: 'Synthetic Southeast' });
    key = await enableSignIn(t, navigator, PASSWORD);
    const ctx = caseContext(t.deps);
    for (let i = 0; i < 30; i++)
      await openCase(ctx, navigator.actor, { chosenName: `Synthetic Other ${i}`, age: 16 }, origin);
    wanted = await openCase(
      ctx,
      navigator.actor,
      { chosenName: 'Zoë Renée Park', dateOfBirth: '2009-04-12', countyFips: '27053' },
      origin,
    );
    // The same name in another region: never shown to West Metro.
    await openCase(ctx, elsewhere.actor, { chosenName: 'Zoe Renee Park', dateOfBirth: '2009-04-12' }, origin);
    browser = await launchBrowser();
    iso = await isolatedContext(browser, server.url, { viewport: PHONE });
    page = await iso.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const search = async (text: string) => {
    await page.fill('#q', text);
    await page.click('button:has-text("Find cases")');
    await page.waitForURL(/\/staff\/cases\?/);
  };
  const rows = () => page.$$eval('#cases tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));

  it('finds a case by case number and by name, only in the navigator’s region; axe finds nothing', async () => {
    const problems: string[] = [];
    await signIn(page, server.url, key);
    await page.click('nav >> text=Cases');
    await page.waitForURL(/\/staff\/cases$/);
    expect(await page.textContent('#cases caption')).toBe('31 cases, newest first (showing 25)');
    problems.push(...(await axe(page)));

    // By case number, typed in lower case without the leading zeros.
    expect(wanted.caseNumber).toMatch(/^WM-2026-0031$/);
    await search('wm-2026-31');
    expect(await page.textContent('#cases caption')).toBe('1 case found, newest first');
    const byNumber = await rows();
    expect(byNumber).toHaveLength(1);
    expect(byNumber[0]).toContain('Zoë Renée Park');
    expect(byNumber[0]).toContain(wanted.caseNumber);
    expect(await page.inputValue('#q')).toBe('wm-2026-31');
    problems.push(...(await axe(page)));

    // By name: other capitals, no accents, extra spaces. The case in Southeast is not found.
    await search('  zoe   renee PARK ');
    const byName = await rows();
    expect(byName).toHaveLength(1);
    expect(byName[0]).toContain(wanted.caseNumber);

    // By date of birth, US style.
    await search('04/12/2009');
    expect((await rows()).map((r) => r.includes(wanted.caseNumber))).toEqual([true]);

    // Nothing found says so.
    await search('Synthetic Nobody');
    expect(await page.textContent('#cases caption')).toBe('No cases found');
    problems.push(...(await axe(page)));

    // The case page shows its number.
    await search(wanted.caseNumber);
    await page.click('#cases a:has-text("Zoë Renée Park")');
    await page.waitForURL(new RegExp(`/staff/cases/${wanted.id}$`));
    expect(await page.textContent('#summary')).toContain(wanted.caseNumber);

    expect(problems).toEqual([]);
    expect(iso.foreignRequests()).toEqual([]);
  });

  it('pages through the list and back with Next and Previous', async () => {
    await page.goto(`${server.url}/staff/cases`);
    const first = await rows();
    await page.click('a:has-text("Next page")');
    await page.waitForURL(/after=/);
    const second = await rows();
    expect(second).toHaveLength(6);
    expect(second.some((r) => first.includes(r))).toBe(false);
    await page.click('a:has-text("Previous page")');
    await page.waitForURL(/before=/);
    expect(await rows()).toEqual(first);
  });
});
