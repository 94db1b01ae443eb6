/**
 * The public pages in a real browser: accessibility (axe, WCAG 2.2 AA tags), small screens and zoom,
 * keyboard use, the quick exit with and without JavaScript, and privacy (no cookies, no third party,
 * strict CSP). One Chromium for the file, one context per group.
 */
import type { Browser, Page } from 'playwright-core';
import { localePath, TRANSLATED_LOCALES } from '../src/platform/i18n/index.ts';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { LEARN_PAGES } from '../src/features/learn/content.tsx';
import { listen, testApp, QUICK_EXIT_URL, type TestApp } from '../test/app.ts';
import {
  type IsolatedContext,
  PHONE,
  axeViolations,
  browserAvailable,
  isolatedContext,
  launchBrowser,
} from './browser.ts';

const available = browserAvailable();

const DESKTOP = { width: 1280, height: 800 };

/** Every public page; `/services/<id>` is added once the directory is known. */
const STATIC_ROUTES = [
  '/',
  '/navigator',
  '/navigator?county=27053',
  '/navigator?q=Duluth',
  '/navigator?zip=55301',
  '/navigator?zip=55810', // a ZIP code shared by two counties
  '/navigator?q=zzzz',
  '/navigator?q=Hastings', // a city in two counties: the choice page
  '/navigator?q=Brooklyn%20Park',
  '/services',
  '/services?type=shelter_housing',
  '/map',
  '/learn',
  ...LEARN_PAGES.map((p) => `/learn/${p.slug}`),
  '/privacy',
  '/identify',
  '/no-such-page',
];

/** The pages checked again in each other language: each kind of page once (the words differ, the markup not). */
const LANGUAGE_ROUTES = [
  '/',
  '/navigator?county=27053',
  '/services',
  '/map',
  '/learn',
  '/learn/your-rights',
  '/privacy',
  '/identify',
  '/help/contact-me',
  '/referral-status',
  '/events',
  '/no-such-page',
];

let app: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let origin: string;
let routes: string[];

/** Whether the focused element shows a focus indicator (outline or ring). */
async function focusIndicator(page: Page): Promise<{ tag: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none';
    return {
      tag: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim()}"`,
      visible: outline || ring,
    };
  });
}

/**
 * Runs `check` on every route with a few pages of the context at once (axe is CPU-bound and slow), and
 * returns all it found, in route order.
 */
async function onEveryRoute(
  iso: IsolatedContext,
  viewport: { width: number; height: number },
  check: (page: Page, route: string) => Promise<string[]>,
  pages = 3,
): Promise<string[]> {
  const found = new Map<string, string[]>();
  const queue = [...routes];
  await Promise.all(
    Array.from({ length: pages }, async () => {
      const page = await iso.context.newPage();
      await page.setViewportSize(viewport);
      for (let route = queue.shift(); route !== undefined; route = queue.shift()) {
        await page.goto(origin + route);
        found.set(route, await check(page, route));
      }
      await page.close();
    }),
  );
  return routes.flatMap((route) => found.get(route) ?? []);
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe.skipIf(!available)('public pages in Chromium', () => {
  beforeAll(async () => {
    app = await testApp();
    server = await listen(app.app);
    origin = server.url;
    browser = await launchBrowser();
    const html = await (await app.app.request('/services')).text();
    const id = /href="\/services\/([^"?#]+)"/.exec(html)?.[1];
    if (!id) throw new Error('/services lists no service to open');
    routes = [
      ...STATIC_ROUTES,
      `/services/${id}`,
      ...TRANSLATED_LOCALES.flatMap((locale) => LANGUAGE_ROUTES.map((route) => localePath(locale, route))),
    ];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  describe('every page', () => {
    let iso: IsolatedContext;
    let page: Page;

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: PHONE });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    it('loads with strict headers and asks no other origin for anything', async () => {
      const problems: string[] = [];
      for (const route of routes) {
        iso.requests.length = 0;
        const response = await page.goto(origin + route);
        if (!response) throw new Error(`no response for ${route}`);
        const expected = route === '/navigator?q=zzzz' || route.endsWith('/no-such-page') ? 404 : 200;
        if (response.status() !== expected) problems.push(`${route}: status ${response.status()}`);
        const headers = response.headers();
        const csp = headers['content-security-policy'];
        if (!csp) problems.push(`${route}: no content-security-policy`);
        else if (csp.includes('unsafe-inline')) problems.push(`${route}: CSP allows unsafe-inline`);
        if (headers['referrer-policy'] !== 'no-referrer') {
          problems.push(`${route}: referrer-policy ${headers['referrer-policy']}`);
        }
        for (const url of iso.foreignRequests()) problems.push(`${route}: requested ${url}`);
      }
      expect(problems).toEqual([]);
    }, 180_000);

    it('has no axe violations on a phone (390x844)', async () => {
      expect(await onEveryRoute(iso, PHONE, axeViolations)).toEqual([]);
    }, 240_000);

    it('has no axe violations on a desktop (1280x800)', async () => {
      expect(await onEveryRoute(iso, DESKTOP, axeViolations)).toEqual([]);
    }, 240_000);

    it('does not scroll sideways at 320 px', async () => {
      await page.setViewportSize({ width: 320, height: 640 });
      const wide: string[] = [];
      for (const route of routes) {
        await page.goto(origin + route);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 320) wide.push(`${route}: scrollWidth ${width}`);
      }
      expect(wide).toEqual([]);
    }, 180_000);

    it('sets no cookies after every page', async () => {
      // This context has by now opened every page several times.
      expect(iso.requests.length).toBeGreaterThan(0);
      expect(await iso.context.cookies()).toEqual([]);
    });
  });

  describe('at 200% zoom (1280x800 shown as 640x400 CSS px at scale 2)', () => {
    it('does not scroll sideways and keeps Quick exit on screen', async () => {
      const viewport = { width: 640, height: 400 };
      const iso = await isolatedContext(browser, origin, { viewport, deviceScaleFactor: 2 });
      try {
        const page = await iso.context.newPage();
        const problems: string[] = [];
        for (const route of routes) {
          await page.goto(origin + route);
          const overflow = await horizontalOverflow(page);
          if (overflow > 0) problems.push(`${route}: ${overflow}px too wide`);
          for (const where of ['top', 'bottom'] as const) {
            if (where === 'bottom') await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
            const box = await page.locator('#quick-exit').boundingBox();
            const inside =
              box !== null &&
              box.x >= 0 &&
              box.y >= 0 &&
              box.x + box.width <= viewport.width &&
              box.y + box.height <= viewport.height;
            if (!inside)
              problems.push(`${route}: Quick exit off screen at the ${where}: ${JSON.stringify(box)}`);
          }
        }
        expect(problems).toEqual([]);
      } finally {
        await iso.context.close();
      }
    }, 180_000);
  });

  describe('keyboard only', () => {
    let iso: IsolatedContext;
    let page: Page;

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: DESKTOP });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    it('first Tab reaches the skip link, and Enter moves to main', async () => {
      await page.goto(origin + '/');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Skip to main content',
      );
      expect((await focusIndicator(page)).visible).toBe(true);
      const skip = await page.locator('a.skip').boundingBox();
      expect(skip && skip.x >= 0 && skip.y >= 0).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${origin}/#main`);
      // Sequential focus now starts at main: the next Tab lands inside it, past the header.
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.getElementById('main')?.contains(document.activeElement)),
      ).toBe(true);
    });

    it('reaches Quick exit within three Tabs', async () => {
      await page.goto(origin + '/');
      let tabs = 0;
      while (tabs < 3) {
        await page.keyboard.press('Tab');
        tabs += 1;
        if (await page.evaluate(() => document.activeElement?.id === 'quick-exit')) break;
      }
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('quick-exit');
      expect((await focusIndicator(page)).visible).toBe(true);
    });

    it('finds the navigator for 55401 with the keyboard alone, always showing focus', async () => {
      await page.goto(origin + '/');
      const unseen: string[] = [];
      let tabs = 0;
      // Skip link, home, Quick exit, Cover your tracks, the four languages, then the help box's calls.
      while (tabs < 16 && !(await page.evaluate(() => document.activeElement?.id === 'q'))) {
        await page.keyboard.press('Tab');
        tabs += 1;
        const focus = await focusIndicator(page);
        if (!focus.visible) unseen.push(`Tab ${tabs}: ${focus.tag}`);
      }
      expect(unseen).toEqual([]);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
      expect(tabs).toBeLessThan(16);
      await page.keyboard.type('55401');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/navigator\?/);
      await expect.poll(() => page.locator('h1').textContent()).toContain('Hennepin County');
    });
  });

  describe('crisis use on a phone (375 px)', () => {
    let iso: IsolatedContext;
    let page: Page;
    const SMALL = { width: 375, height: 720 };

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: SMALL });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    it('shows call and text as targets of at least 44x44 px, each number on one line', async () => {
      const problems: string[] = [];
      let seen = 0;
      for (const route of [
        '/',
        '/navigator?county=27053',
        '/navigator?q=Hastings',
        '/navigator?county=27137',
      ]) {
        await page.goto(origin + route);
        const links = page.locator('a[href^="tel:"], a[href^="sms:"]');
        const count = await links.count();
        for (let i = 0; i < count; i++) {
          const link = links.nth(i);
          const box = await link.boundingBox();
          const text = ((await link.textContent()) ?? '').trim();
          seen += 1;
          if (!box || box.width < 44 || box.height < 44)
            problems.push(`${route} "${text}": ${JSON.stringify(box)}`);
          // Each number sits on one line: every piece of its text on the same line box.
          const lines = await link.evaluate((el) =>
            [...el.querySelectorAll('.tel')].map((tel) => {
              const range = document.createRange();
              range.selectNodeContents(tel);
              return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            }),
          );
          if (lines.length === 0 || lines.some((n) => n !== 1))
            problems.push(`${route} "${text}" number lines: ${JSON.stringify(lines)}`);
        }
      }
      expect(seen).toBeGreaterThan(8);
      expect(problems).toEqual([]);
    });

    it('Esc in a text field stays; a second Esc leaves', async () => {
      await page.goto(origin + '/');
      await page.goto(origin + '/navigator');
      await page.locator('#q').fill('Brooklyn');
      await page.locator('#q').press('Escape');
      await page.waitForTimeout(300);
      expect(page.url()).toBe(origin + '/navigator');
      await page.locator('#q').press('Escape');
      await page.waitForURL(QUICK_EXIT_URL);
      await page.goBack();
      expect(page.url()).toBe(origin + '/');
    });

    it('hides the Esc tip on a touch screen and shows it with a mouse', async () => {
      const touch = await isolatedContext(browser, origin, {
        viewport: SMALL,
        hasTouch: true,
        isMobile: true,
      });
      try {
        const phone = await touch.context.newPage();
        await phone.goto(origin + '/');
        expect(await phone.locator('.exit-key').isVisible()).toBe(false);
        expect(await phone.locator('.exit-note').textContent()).toContain('Quick exit');
        await page.goto(origin + '/');
        expect(await page.locator('.exit-key').isVisible()).toBe(true);
      } finally {
        await touch.context.close();
      }
    });
  });

  describe('quick exit with JavaScript', () => {
    let iso: IsolatedContext;
    let page: Page;

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: PHONE });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    it('Esc leaves for the neutral site and takes the page out of history', async () => {
      await page.goto(origin + '/');
      await page.goto(origin + '/learn');
      await page.keyboard.press('Escape');
      await page.waitForURL(QUICK_EXIT_URL);
      expect(await page.title()).toBe('Weather');
      await page.goBack();
      expect(page.url()).toBe(origin + '/');
    });

    it('tapping Quick exit leaves for the neutral site', async () => {
      await page.goto(origin + '/');
      await page.goto(origin + '/learn/signs');
      await page.locator('#quick-exit').click();
      await page.waitForURL(QUICK_EXIT_URL);
      await page.goBack();
      expect(page.url()).toBe(origin + '/');
    });
  });

  describe('without JavaScript', () => {
    let iso: IsolatedContext;
    let page: Page;

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: PHONE, javaScriptEnabled: false });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    it('Quick exit is a plain link to the neutral site', async () => {
      await page.goto(origin + '/learn');
      await page.locator('#quick-exit').click();
      await page.waitForURL(QUICK_EXIT_URL);
      expect(await page.title()).toBe('Weather');
    });

    it('the place search finds St. Louis County for Duluth', async () => {
      await page.goto(origin + '/');
      await page.locator('#q').fill('Duluth');
      await page.locator('#q').press('Enter');
      await page.waitForURL(/\/navigator\?q=Duluth/);
      expect(await page.locator('main').textContent()).toContain('St. Louis County');
      // A city whose ZIP codes reach into a second county asks which one: the choice is a plain link.
      if ((await page.locator('h1').textContent()) === 'Which county?') {
        await page.getByRole('link', { name: 'St. Louis County' }).click();
        await page.waitForURL(/\/navigator\?county=27137/);
      }
      expect(await page.locator('h1').textContent()).toContain('St. Louis County');
    });

    it('the county list finds the navigator for the chosen county', async () => {
      await page.goto(origin + '/');
      await page.locator('#county').selectOption('27053');
      await page.locator('form:has(#county) button[type=submit]').click();
      await page.waitForURL(/\/navigator\?county=27053/);
      expect(await page.locator('h1').textContent()).toContain('Hennepin County');
    });

    it('made no request to another origin before the quick exit', () => {
      const foreign = iso.foreignRequests();
      expect(foreign).toEqual([QUICK_EXIT_URL]);
    });
  });
});
