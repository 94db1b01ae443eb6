/**
 * The intake pages in a real browser: a young person's request to be contacted, a professional's
 * referral and consultation, and the status page — with and without JavaScript, with the keyboard
 * alone, checked with axe (WCAG 2.2 AA tags) on a phone and a desktop, never wider than a small phone,
 * with no cookie and no request to another site. The form's minimum age is shortened here so the
 * browser need not wait three seconds a form.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configureFormTokenTiming, SUBMIT_LIMIT } from '../src/features/intake/anti-abuse.ts';
import { reset } from '../src/platform/rate-limit/index.ts';
import { listen, testApp, type TestApp } from '../test/app.ts';
import { PHONE, axeViolations, browserAvailable, isolatedContext, launchBrowser } from './browser.ts';

const available = browserAvailable();

const DESKTOP = { width: 1280, height: 800 };
/** The shortened minimum age of a form, and a wait a little longer than it. */
const MIN_FORM_AGE_MS = 200;
const settle = (page: Page) => page.waitForTimeout(MIN_FORM_AGE_MS + 100);

async function focusIndicator(page: Page): Promise<{ tag: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return { tag: `${el.tagName.toLowerCase()}#${el.id}`, visible: outline || style.boxShadow !== 'none' };
  });
}

describe.skipIf(!available)('intake pages in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    configureFormTokenTiming({ minAgeMs: MIN_FORM_AGE_MS });
    t = await testApp();
    server = await listen(t.app);
    origin = server.url;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  // Every request here comes from 127.0.0.1: start each test with its send budget untouched.
  beforeEach(async () => {
    await reset(t.deps.db, SUBMIT_LIMIT.bucket, '127.0.0.1');
  });

  async function fillContactMe(page: Page) {
    await page.getByLabel('Text message').check();
    await page.fill('#contact', '612-555-0123');
    await page.fill('#times', 'weekdays after 4');
    await page.fill('#codeWord', 'heronpebble');
    await page.fill('#place', '55401');
    await page.fill('#message', 'Synthetic message for a browser test.');
  }

  for (const [name, viewport] of [
    ['a phone (390 px)', PHONE],
    ['a desktop (1280 px)', DESKTOP],
  ] as const) {
    it(`every state of every intake page passes axe on ${name}`, async () => {
      const iso = await isolatedContext(browser, origin, { viewport });
      const page = await iso.context.newPage();
      const problems: string[] = [];
      try {
        // The young person's form: empty, with errors, sent.
        await page.goto(`${origin}/help/contact-me`);
        problems.push(...(await axeViolations(page, 'contact-me')));
        await settle(page);
        await page.getByRole('button', { name: 'Send to a navigator' }).click();
        await page.waitForSelector('text=There is a problem');
        problems.push(...(await axeViolations(page, 'contact-me errors')));
        await fillContactMe(page);
        await settle(page);
        await page.getByRole('button', { name: 'Send to a navigator' }).click();
        await page.waitForSelector('h1:has-text("Your request was sent")');
        problems.push(...(await axeViolations(page, 'contact-me sent')));

        // The professional's referral: the question, the form, its errors, the confirmation.
        await page.goto(`${origin}/identify/refer`);
        problems.push(...(await axeViolations(page, 'refer start')));
        await page.getByLabel('Yes, they agreed').check();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForSelector('#youthName');
        problems.push(...(await axeViolations(page, 'refer form')));
        await settle(page);
        await page.getByRole('button', { name: 'Send the referral' }).click();
        await page.waitForSelector('text=There is a problem');
        problems.push(...(await axeViolations(page, 'refer errors')));
        await page.fill('#youthName', 'J.S.');
        await page.fill('#age', '16');
        await page.fill('#place', 'Hennepin');
        await page.getByLabel('Phone call').check();
        await page.fill('#contact', '763-555-0199');
        await page
          .getByRole('group', { name: /given or promised/ })
          .getByLabel('I am not sure')
          .check();
        await page.fill('#observed', 'Synthetic observation for a browser test.');
        await page.fill('#referrerName', 'Synthetic Counsellor');
        await page.selectOption('#referrerRole', 'education');
        await page.fill('#referrerPhone', '651-555-0100');
        await settle(page);
        await page.getByRole('button', { name: 'Send the referral' }).click();
        await page.waitForSelector('#reference-code');
        problems.push(...(await axeViolations(page, 'referral sent')));
        const code = (await page.textContent('#reference-code')) ?? '';
        expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

        // The consultation form.
        await page.goto(`${origin}/identify/refer`);
        await page.getByLabel(/No, or I have not asked/).check();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForSelector('h1:has-text("Talk it through")');
        problems.push(...(await axeViolations(page, 'consultation form')));

        // The status page: the form, a code not found, the answer.
        await page.goto(`${origin}/referral-status`);
        problems.push(...(await axeViolations(page, 'status')));
        await page.fill('#code', 'K7QM-4R2D-9XHT');
        await page.getByRole('button', { name: 'Check' }).click();
        await page.waitForSelector('text=We could not find a referral');
        problems.push(...(await axeViolations(page, 'status not found')));
        await page.fill('#code', code.toLowerCase());
        await page.getByRole('button', { name: 'Check' }).click();
        await page.waitForSelector('h1:has-text("Status: Received")');
        problems.push(...(await axeViolations(page, 'status found')));
        // the code never travels in the address
        expect(page.url()).toBe(`${origin}/referral-status`);

        expect(problems).toEqual([]);
        expect(iso.foreignRequests()).toEqual([]);
        expect(await iso.context.cookies()).toEqual([]);
      } finally {
        await iso.context.close();
      }
    }, 120_000);
  }

  it('the young person’s form works without JavaScript, and leaves no cookie', async () => {
    const iso = await isolatedContext(browser, origin, { viewport: PHONE, javaScriptEnabled: false });
    try {
      const page = await iso.context.newPage();
      await page.goto(`${origin}/help/contact-me`);
      await fillContactMe(page);
      await settle(page);
      await page.getByRole('button', { name: 'Send to a navigator' }).click();
      await page.waitForSelector('h1:has-text("Your request was sent")');
      expect(await page.locator('main').textContent()).toContain('4 working hours');
      expect(await page.locator('a[href="tel:911"]').count()).toBeGreaterThan(0);
      // The referral's question and form too.
      await page.goto(`${origin}/identify/refer`);
      await page.getByLabel(/No, or I have not asked/).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('h1:has-text("Talk it through")');
      expect(await page.locator('#youthName').count()).toBe(0);
      expect(iso.foreignRequests()).toEqual([]);
      expect(await iso.context.cookies()).toEqual([]);
    } finally {
      await iso.context.close();
    }
  }, 60_000);

  it('the young person’s form can be filled and sent with the keyboard alone, always showing focus', async () => {
    const iso = await isolatedContext(browser, origin, { viewport: DESKTOP });
    try {
      const page = await iso.context.newPage();
      await page.goto(`${origin}/help/contact-me`);
      const unseen: string[] = [];
      let tabs = 0;
      while (tabs < 20 && !(await page.evaluate(() => document.activeElement?.id === 'method'))) {
        await page.keyboard.press('Tab');
        tabs += 1;
        const focus = await focusIndicator(page);
        if (!focus.visible) unseen.push(`Tab ${tabs}: ${focus.tag}`);
      }
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('method');
      // Arrow keys move within the radio group and choose: Phone call → Text message.
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#method-text_message').isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('contact');
      await page.keyboard.type('612-555-0124');
      for (const [id, value] of [
        ['times', 'evenings'],
        ['codeWord', 'otterlamp'],
      ] as const) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe(id);
        expect((await focusIndicator(page)).visible).toBe(true);
        await page.keyboard.type(value);
      }
      // The honeypot is never reached: the fields follow one another.
      let reachedHoneypot = false;
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.id ?? '');
        if (id === 'website') reachedHoneypot = true;
        if ((await page.evaluate(() => document.activeElement?.tagName)) === 'BUTTON') break;
        const focus = await focusIndicator(page);
        if (!focus.visible) unseen.push(`field: ${focus.tag}`);
      }
      expect(reachedHoneypot).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send to a navigator');
      expect(unseen).toEqual([]);
      await settle(page);
      await page.keyboard.press('Enter');
      await page.waitForSelector('h1:has-text("Your request was sent")');
    } finally {
      await iso.context.close();
    }
  }, 60_000);

  it('a filled honeypot is refused with a calm page that passes axe and names the lines', async () => {
    const iso = await isolatedContext(browser, origin, { viewport: PHONE });
    try {
      const page = await iso.context.newPage();
      await page.goto(`${origin}/help/contact-me`);
      await fillContactMe(page);
      await page.evaluate(() => {
        (document.getElementById('website') as HTMLInputElement).value = 'https://spam.example';
      });
      await settle(page);
      await page.getByRole('button', { name: 'Send to a navigator' }).click();
      await page.waitForSelector('h1:has-text("We could not send this")');
      expect(await page.locator('a[href="tel:911"]').count()).toBeGreaterThan(0);
      expect(await axeViolations(page, 'refused')).toEqual([]);
    } finally {
      await iso.context.close();
    }
  }, 60_000);

  it('no intake page scrolls sideways at 320 px', async () => {
    const iso = await isolatedContext(browser, origin, { viewport: { width: 320, height: 640 } });
    try {
      const page = await iso.context.newPage();
      const wide: string[] = [];
      const check = async (label: string) => {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 320) wide.push(`${label}: ${width}`);
      };
      for (const path of ['/help/contact-me', '/identify/refer', '/referral-status']) {
        await page.goto(origin + path);
        await check(path);
      }
      await page.goto(`${origin}/identify/refer`);
      await page.getByLabel('Yes, they agreed').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('#youthName');
      await check('refer form');
      expect(wide).toEqual([]);
    } finally {
      await iso.context.close();
    }
  }, 60_000);
});
