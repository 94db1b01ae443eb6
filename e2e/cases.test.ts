/**
 * Cases in a real browser: a regional navigator signs in with a password and a TOTP code, opens a case
 * from a referral in the queue (the form filled from it), meets the error summary, adds a note and a
 * service, and closes the case with the young person's answers — every page checked with axe (WCAG 2.2
 * AA tags), nothing requested from another site.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem } from '../src/features/queue/testing.ts';
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

describe.skipIf(!available)('cases in a browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let iso: IsolatedContext;
  let page: Page;
  let navigator: TestStaff;
  let key: SignInKey;
  let itemId: string;

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    t.deps.site = { origin: server.url, development: true };
    navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
    key = await enableSignIn(t, navigator, PASSWORD);
    itemId = await addItem(t.deps, { age: 16 });
    browser = await launchBrowser();
    iso = await isolatedContext(browser, server.url, { viewport: PHONE });
    page = await iso.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('opens a case from a referral, adds a note and a service, and closes it; axe finds nothing', async () => {
    const problems: string[] = [];
    await signIn(page, server.url, key);

    await page.click('nav >> text=Cases');
    await page.waitForURL(/\/staff\/cases$/);
    expect(await page.textContent('#cases caption')).toBe('No cases');
    problems.push(...(await axe(page)));

    await page.goto(`${server.url}/staff/queue/${itemId}`);
    await page.click('text=Open a case for this young person');
    await page.waitForURL(/\/staff\/cases\/new\?from=/);
    expect(await page.inputValue('#chosenName')).toBe('Synthetic Youth');
    expect(await page.inputValue('#codeWord')).toBe('bluebird');
    problems.push(...(await axe(page)));

    // A problem: the summary links to the field.
    await page.fill('#chosenName', '');
    await page.click('button:has-text("Open the case")');
    await page.waitForSelector('.usa-alert--error');
    expect(await page.getAttribute('.usa-alert--error a', 'href')).toBe('#chosenName');
    problems.push(...(await axe(page)));

    await page.fill('#chosenName', 'Synthetic Youth');
    await page.fill('#pronouns', 'they/them');
    await page.click('label[for="raceEthnicity-asian"]');
    await page.click('label[for="raceEthnicity-white"]');
    await page.click('button:has-text("Open the case")');
    await page.waitForURL(/\/staff\/cases\/[0-9a-f-]{36}\?done=opened$/);
    expect(await page.textContent('[role="status"]')).toContain('The case is open.');
    expect(await page.textContent('main')).toContain('Asian or Asian American; White');
    problems.push(...(await axe(page)));

    await page.selectOption('#category', 'contact');
    await page.fill('#body', 'Synthetic note from the browser test.');
    await page.click('button:has-text("Add the note")');
    await page.waitForURL(/done=note$/);
    await page.selectOption('#serviceCode', 'basic_needs');
    await page.click('button:has-text("Record the service")');
    await page.waitForURL(/done=service$/);
    expect(await page.textContent('#notes')).toContain('Synthetic note from the browser test.');
    expect(await page.textContent('#services')).toContain('Basic needs');
    problems.push(...(await axe(page)));

    await page.click('text=Close the case');
    await page.waitForURL(/\/close$/);
    problems.push(...(await axe(page)));
    await page.selectOption('#reason', 'goals_met');
    await page.selectOption('#exitHousing', 'with_family');
    await page.click('label[for="feelsSafer-yes"]');
    await page.click('label[for="moreHopeful-yes"]');
    await page.click('button:has-text("Close the case")');
    await page.waitForURL(/done=closed$/);
    expect(await page.textContent('main')).toContain('Goals met');
    problems.push(...(await axe(page)));

    await page.goto(`${server.url}/staff/cases?view=closed`);
    expect(await page.textContent('#cases')).toContain('Synthetic Youth');
    problems.push(...(await axe(page)));

    expect(problems).toEqual([]);
    expect(iso.foreignRequests()).toEqual([]);
    const row = await t.deps.db
      .selectFrom('cases')
      .select(['status', 'close_reason', 'survey_feels_safer', 'intake_item_id'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'closed',
      close_reason: 'goals_met',
      survey_feels_safer: 'yes',
      intake_item_id: itemId,
    });
  }, 120_000);
});
