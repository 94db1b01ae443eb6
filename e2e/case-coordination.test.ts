/**
 * Tasks, safety plans and transfers in a real browser, on a phone-sized screen: a navigator finds their
 * overdue task, adds tasks by hand and from pathway duties, writes a safety plan and opens its printable
 * copy, asks another region to take the case; that region's navigator decides. Every page checked with
 * axe (WCAG 2.2 AA tags). Sessions are written straight into the database: signing in is tested in
 * staff.test.ts and queue.test.ts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinationContext, createTask, localDateTimeValue } from '../src/features/tasks/service.ts';
import { ORIGIN, addCase } from '../src/features/tasks/testing.ts';
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
import { addSessionCookie } from './staff-session.ts';

const available = browserAvailable();

describe.skipIf(!available)('tasks, safety plans and transfers in a browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let west: IsolatedContext;
  let southeast: IsolatedContext;
  let navigator: TestStaff;
  let receiver: TestStaff;
  let caseId: string;

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    t.deps.site = { origin: server.url, development: true };
    navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
    receiver = await addStaff(t.deps, 'navigator', ['southeast'], { name: 'Synthetic Receiver' });
    caseId = await addCase(t.deps);
    const past = { ...coordinationContext(t.deps), now: () => new Date(Date.now() - 2 * 86_400_000) };
    await createTask(
      past,
      navigator.actor,
      {
        caseId,
        title: 'Synthetic overdue call back',
        dueAt: new Date(Date.now() - 3 * 3_600_000),
        assigneeUserId: navigator.id,
      },
      ORIGIN,
    );
    browser = await launchBrowser();
    west = await isolatedContext(browser, server.url, { viewport: PHONE });
    southeast = await isolatedContext(browser, server.url, { viewport: PHONE });
    await addSessionCookie(west.context, t, server.url, navigator);
    await addSessionCookie(southeast.context, t, server.url, receiver);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('works through tasks, the safety plan and a transfer; axe finds nothing', async () => {
    const problems: string[] = [];
    const page = await west.context.newPage();

    await page.goto(`${server.url}/staff`);
    await page.click('nav >> text=Tasks');
    await page.waitForURL(/\/staff\/tasks$/);
    expect(await page.textContent('#overdue')).toContain('Synthetic overdue call back');
    problems.push(...(await axe(page)));

    await page.click('#overdue a:has-text("Open the case’s tasks")');
    await page.waitForURL(new RegExp(`/staff/cases/${caseId}/tasks$`));
    problems.push(...(await axe(page)));

    // Adding without a title: the error summary links to the field.
    await page.click('button:has-text("Add the task")');
    await page.waitForSelector('.usa-alert--error');
    expect(await page.getAttribute('.usa-alert--error a', 'href')).toBe('#title');
    problems.push(...(await axe(page)));
    await page.fill('#title', 'Synthetic visit at the library');
    await page.fill('#due', localDateTimeValue(t.deps.rules.calendar, new Date(Date.now() + 50 * 3_600_000)));
    await page.click('button:has-text("Add the task")');
    await page.waitForURL(/done=added$/);
    expect(await page.textContent('#open-tasks')).toContain('Synthetic visit at the library');

    await page.click('label[for="codes-RETURN_MEETING_24H"]');
    await page.click('button:has-text("Add these tasks")');
    await page.waitForURL(/done=pathway$/);
    expect(await page.textContent('#open-tasks')).toContain('Meet the youth within 24 hours of being found');
    problems.push(...(await axe(page)));

    await page.click('#open-tasks button:has-text("Mark done")');
    await page.waitForURL(/done=completed$/);
    expect(await page.textContent('#done-tasks')).toContain('Synthetic overdue call back');
    problems.push(...(await axe(page)));

    // The safety plan.
    await page.click('nav.nwd-case-tabs >> text=Safety plan');
    await page.waitForURL(/\/safety-plan$/);
    problems.push(...(await axe(page)));
    await page.fill('#warningSigns', 'Synthetic: someone offers a ride\nBeing asked to keep secrets');
    await page.fill('#safePeople-0-name', 'Synthetic Aunt Rae');
    await page.fill('#safePeople-0-contact', '612-555-0142');
    await page.fill('#codeWord', 'pineapple');
    await page.click('label[for="line-day-one"]');
    await page.click('button:has-text("Save a new version")');
    await page.waitForURL(/done=saved$/);
    expect(await page.textContent('#plan')).toContain('pineapple');
    problems.push(...(await axe(page)));

    await page.click('a:has-text("Printable copy for the young person")');
    await page.waitForURL(/\/safety-plan\/print$/);
    expect(await page.textContent('h1')).toBe('My safety plan');
    expect(await page.getAttribute('a:has-text("612-555-0142")', 'href')).toBe('tel:6125550142');
    problems.push(...(await axe(page)));
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.staff-only')).toBe(false);
    const printed = (await page.textContent('body')) ?? '';
    expect(printed).not.toContain('West Metro');
    expect(printed).not.toContain(caseId);
    const pdf = await page.pdf({ format: 'Letter' });
    // One or two pages.
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    await page.emulateMedia({ media: 'screen' });

    // Asking Southeast to take the case.
    await page.goto(`${server.url}/staff/cases/${caseId}/transfer`);
    problems.push(...(await axe(page)));
    await page.selectOption('#toRegion', 'southeast');
    await page.fill('#reason', 'Synthetic: moved to Rochester');
    await page.click('button:has-text("Ask for the transfer")');
    await page.waitForURL(/done=requested$/);
    expect(await page.textContent('main')).toContain('Waiting for Southeast to decide');
    problems.push(...(await axe(page)));

    // Southeast decides.
    const other = await southeast.context.newPage();
    await other.goto(`${server.url}/staff`);
    await other.click('nav >> text=Transfers');
    await other.waitForURL(/\/staff\/transfers$/);
    expect(await other.textContent('main')).toContain('Synthetic: moved to Rochester');
    expect(await other.textContent('main')).not.toContain('Synthetic Sky');
    problems.push(...(await axe(other)));
    await other.click('main a:has-text("From West Metro")');
    await other.waitForURL(/\/staff\/transfers\/[0-9a-f-]{36}$/);
    problems.push(...(await axe(other)));
    await other.click('button:has-text("Accept the transfer")');
    await other.waitForURL(/done=accepted$/);
    expect(await other.textContent('main')).toContain('Synthetic Sky');
    problems.push(...(await axe(other)));

    // The sending navigator no longer sees the case.
    const gone = await page.goto(`${server.url}/staff/cases/${caseId}/tasks`);
    expect(gone?.status()).toBe(404);

    expect(problems).toEqual([]);
    expect(west.foreignRequests()).toEqual([]);
    expect(southeast.foreignRequests()).toEqual([]);
  }, 180_000);
});
