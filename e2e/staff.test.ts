/**
 * The staff side in a real browser: first set-up, two-step sign-in enrolment, the administration
 * pages — each checked with axe (WCAG 2.2 AA tags) and used with the keyboard where it matters.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSetupLink } from '../src/features/accounts/service.ts';
import { totpCodeAt } from '../src/platform/auth/credentials/totp.ts';
import { listen, testApp, type TestApp } from '../test/app.ts';
import {
  PHONE,
  axe,
  browserAvailable,
  isolatedContext,
  launchBrowser,
  type IsolatedContext,
} from './browser.ts';

const available = browserAvailable();
const PASSWORD = 'amber kestrel quarry lantern';

describe.skipIf(!available)('staff pages in a browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let iso: IsolatedContext;
  let page: Page;

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    // Links and the CSRF origin check must name the address the browser uses.
    t.deps.site = { origin: server.url, development: true };
    browser = await launchBrowser();
    iso = await isolatedContext(browser, server.url, { viewport: PHONE });
    page = await iso.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('sets up the first administrator, enrols two-step sign-in, and every page passes axe', async () => {
    const problems: string[] = [];
    const link = await createSetupLink({ db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site });
    await page.goto(link ?? '');
    problems.push(...(await axe(page)));
    await page.fill('#organizationName', 'Synthetic State Agency');
    await page.fill('#displayName', 'Synthetic Admin');
    await page.fill('#email', 'admin@example.org');
    await page.fill('#password', PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL(/\/staff\/sign-in\?done=setup$/);
    expect(await page.textContent('[role=status]')).toContain('No Wrong Door is set up');
    problems.push(...(await axe(page)));

    // Keyboard only: tab to the fields, type, press Enter.
    await page.focus('#email');
    await page.keyboard.type('admin@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/two-factor$/);
    problems.push(...(await axe(page)));
    const key = ((await page.textContent('code')) ?? '').replace(/\s+/g, '');
    await page.fill('#code', await totpCodeAt(key));
    await page.press('#code', 'Enter');
    await page.waitForSelector('text=Save your recovery codes');
    problems.push(...(await axe(page)));
    await page.click('text=I have saved them');
    await page.waitForURL(/\/staff$/);

    for (const path of [
      '/staff',
      '/staff/sessions',
      '/staff/admin/people',
      '/staff/admin/people/invite',
      '/staff/admin/organizations',
      '/staff/admin/audit',
      '/staff/admin/instruments',
      '/staff/admin/instruments/safe-harbor-indicators/2026.12.1',
      '/staff/forgot',
    ]) {
      await page.goto(server.url + path);
      expect(page.url(), path).toContain(path);
      problems.push(...(await axe(page)));
    }
    expect(problems).toEqual([]);
    expect(iso.foreignRequests()).toEqual([]);
    const cookies = await iso.context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['nwd_session', true, 'Strict']]);
  }, 120_000);

  it('shows an error summary that links to the field on a failed sign-in', async () => {
    const fresh = await iso.context.browser()?.newContext();
    const p = await fresh?.newPage();
    if (!p) throw new Error('no page');
    await p.goto(`${server.url}/staff/sign-in`);
    await p.fill('#email', 'admin@example.org');
    await p.fill('#password', 'not the password at all');
    await p.press('#password', 'Enter');
    await p.waitForSelector('.usa-alert--error');
    expect(await p.getAttribute('.usa-alert--error a', 'href')).toBe('#email');
    expect(await axe(p)).toEqual([]);
    await fresh?.close();
  }, 60_000);
});
