/**
 * Data stewardship in a real browser: a state administrator signs in, changes a navigator
 * organization's public phone, and the public county page shows it on the very next request; the
 * change is in the audit log. The stewardship pages and the data-health page pass axe (WCAG 2.2 AA
 * tags); the data-health page is photographed at 1280 and 375 px wide.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, testApp, type TestApp } from '../test/app.ts';
import { addStaff } from '../test/staff.ts';
import { axe, browserAvailable, isolatedContext, launchBrowser, type IsolatedContext } from './browser.ts';
import { enableSignIn, signIn, type SignInKey } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';
const SHOTS = '/tmp/shots';
const PHONE_NUMBER = '218-555-0177';

describe.skipIf(!available)('data stewardship in a browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let iso: IsolatedContext;
  let page: Page;
  let key: SignInKey;

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    t.deps.site = { origin: server.url, development: true };
    const admin = await addStaff(t.deps, 'state_admin', [], { name: 'Synthetic State Admin' });
    key = await enableSignIn(t, admin, PASSWORD);
    browser = await launchBrowser();
    iso = await isolatedContext(browser, server.url, { viewport: { width: 1280, height: 900 } });
    page = await iso.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('edits a navigator organization’s phone; the public county page shows it at once; it is audited', async () => {
    const problems: string[] = [];
    const check = async (label: string) => problems.push(...(await axe(page)).map((v) => `${label}: ${v}`));
    await signIn(page, server.url, key);

    // The public page before: no phone for the Northwest navigator.
    const visitor = await (await isolatedContext(browser, server.url)).context.newPage();
    await visitor.goto(`${server.url}/navigator?county=Beltrami`);
    expect(await visitor.content()).not.toContain(PHONE_NUMBER);

    await page.click('nav >> text=Public data');
    await page.waitForURL(/\/staff\/data$/);
    await check('public data');
    await page.click('text=Support Within Reach');
    await page.waitForURL(/\/staff\/data\/organizations\/support-within-reach$/);
    await check('organization form');
    await page.fill('#phone', PHONE_NUMBER);
    await page.fill('#website', 'https://example.org/support-within-reach');
    await page.fill('#source', 'Confirmed by Support Within Reach by phone');
    await page.check('#verified');
    await page.click('button:has-text("Save organization")');
    await page.waitForURL(/done=saved/);
    expect(await page.textContent('[role=status]')).toContain('Saved');
    await check('organization saved');

    // A bad website is refused beside its field.
    await page.fill('#website', 'not a web address');
    await page.click('button:has-text("Save organization")');
    expect(await page.textContent('.usa-alert--error[role=alert]')).toContain(
      'Website must start with https://',
    );
    await check('organization refused');

    // The very next public request shows the new number.
    await visitor.goto(`${server.url}/navigator?county=Beltrami`);
    expect(await visitor.content()).toContain(PHONE_NUMBER);

    // The audit log holds the change.
    await page.goto(`${server.url}/staff/admin/audit?action=data.organization_edit`);
    const audit = await page.content();
    expect(audit).toContain('data.organization_edit');
    expect(audit).toContain('support-within-reach');

    // Data health: a count at the top and a link to fix each.
    await page.goto(`${server.url}/staff/data-health`);
    expect(await page.textContent('#health-count')).toMatch(/\d+ problems need checking/);
    await check('data health');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/steward-health-1280.png`, fullPage: false });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: `${SHOTS}/steward-health-375.png`, fullPage: false });
    await page.click('tbody a >> nth=0');
    await page.waitForURL(/\/staff\/data\/regions\//);
    await check('region page');
    expect(problems).toEqual([]);
    expect(iso.foreignRequests()).toEqual([]);
  }, 120_000);
});
