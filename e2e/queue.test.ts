/**
 * The referral queue in a real browser: a regional navigator signs in with a password and a TOTP code,
 * sees their notification and their region's referral (not another region's), opens it, claims it and
 * records contact — every page checked with axe (WCAG 2.2 AA tags).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateDue, DEFAULT_ESCALATION } from '../src/features/queue/jobs.ts';
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

describe.skipIf(!available)('the referral queue in a browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let iso: IsolatedContext;
  let page: Page;
  let navigator: TestStaff;
  let key: SignInKey;
  let westItem: string;
  let southeastItem: string;

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    t.deps.site = { origin: server.url, development: true };
    navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
    key = await enableSignIn(t, navigator, PASSWORD);
    const hourAgo = new Date(Date.now() - 3_600_000);
    westItem = await addItem(t.deps, { urgency: 'immediate', age: 16, createdAt: hourAgo });
    southeastItem = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109', createdAt: hourAgo });
    // The escalation job's first run tells the region's navigators.
    await escalateDue(
      t.deps.db,
      {
        keyring: t.deps.keyring,
        site: t.deps.site,
        calendar: t.deps.rules.calendar,
        settings: DEFAULT_ESCALATION,
      },
      new Date(),
    );
    browser = await launchBrowser();
    iso = await isolatedContext(browser, server.url, { viewport: PHONE });
    page = await iso.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('signs in, sees the region’s referral, opens it, claims it and records contact; axe finds nothing', async () => {
    const problems: string[] = [];
    await signIn(page, server.url, key);

    await page.click('nav >> text=Referral queue');
    await page.waitForURL(/\/staff\/queue$/);
    problems.push(...(await axe(page)));
    expect(await page.textContent('#notification-count')).toBe('You have 1 unread notification.');
    const queue = (await page.textContent('#queue')) ?? '';
    expect(queue).toContain('Hennepin');
    expect(queue).toContain('Immediate');
    expect(queue).toContain('1 hour');
    expect(await page.locator(`a[href="/staff/queue/${westItem}"]`).count()).toBeGreaterThan(0);
    expect(await page.locator(`a[href="/staff/queue/${southeastItem}"]`).count()).toBe(0);

    await page.click(`#queue a[href="/staff/queue/${westItem}"]`);
    await page.waitForURL(new RegExp(`/staff/queue/${westItem}$`));
    problems.push(...(await axe(page)));
    expect(await page.textContent('main')).toContain('Synthetic Youth');

    await page.click('text=Claim this referral');
    await page.waitForURL(/done=claimed$/);
    problems.push(...(await axe(page)));

    // Recording without choosing: an error summary that links to the field.
    await page.click('button:has-text("Record")');
    await page.waitForSelector('.usa-alert--error');
    expect(await page.getAttribute('.usa-alert--error a', 'href')).toBe('#status');
    problems.push(...(await axe(page)));

    await page.click('label[for="status-contacted"]');
    await page.selectOption('#outcome', 'spoke_with_youth');
    await page.fill('#note', 'Synthetic note from the browser test');
    await page.click('button:has-text("Record")');
    await page.waitForURL(/done=contacted$/);
    expect(await page.textContent('[role="status"]')).toContain('Contact recorded.');
    expect(await page.textContent('main')).toContain('Synthetic note from the browser test');
    problems.push(...(await axe(page)));

    // The notification was marked read when the item was opened.
    await page.goto(`${server.url}/staff/queue`);
    expect(await page.textContent('#notification-count')).toBe('You have no unread notifications.');
    problems.push(...(await axe(page)));

    expect(problems).toEqual([]);
    expect(iso.foreignRequests()).toEqual([]);
    const row = await t.deps.db
      .selectFrom('intake_items')
      .select(['status', 'claimed_by', 'outcome'])
      .where('id', '=', westItem)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'contacted', claimed_by: navigator.id, outcome: 'spoke_with_youth' });
    const opens = await t.deps.db
      .selectFrom('audit_events')
      .select('actor_user_id')
      .where('action', '=', 'intake.open')
      .where('subject_id', '=', westItem)
      .execute();
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(opens.every((o) => o.actor_user_id === navigator.id)).toBe(true);
  }, 120_000);
});
