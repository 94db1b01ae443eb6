/**
 * `/identify` in a real browser: the guided questions with and without JavaScript, by keyboard alone,
 * errors that take you to the field, the result with its deadlines, the print view, and axe (WCAG 2.2
 * AA tags) on every page of the flow at 390 px and 1280 px. No cookie, no request to another site.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, testApp, type TestApp } from '../test/app.ts';
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

let app: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let origin: string;

async function h1(page: Page): Promise<string> {
  return ((await page.locator('h1').textContent()) ?? '').trim();
}

/** Answers each page as a person would, with the mouse (or a tap). */
const STEPS: { title: string; answer: (page: Page) => Promise<void> }[] = [
  {
    title: 'Safety first',
    answer: (page) => page.getByLabel('No', { exact: true }).check(),
  },
  {
    title: 'About you',
    answer: (page) => page.getByLabel('Shelter, housing, youth program or street outreach').check(),
  },
  {
    title: 'About the young person',
    answer: async (page) => {
      await page.getByLabel('How old is the young person? (optional)').fill('16');
      await page.getByLabel('Or ZIP code').fill('55401');
    },
  },
  {
    title: 'Care and going missing',
    answer: async (page) => {
      for (const q of ['in_care', 'missing_now', 'found_after_missing', 'foreign_national'])
        await page.locator(`#f-${q}`).getByLabel('No', { exact: true }).check();
    },
  },
  {
    title: 'What may be happening',
    answer: async (page) => {
      await page.locator('#f-exchange').getByLabel('Yes', { exact: true }).check();
      await page.locator('#f-third_party').getByLabel('Yes', { exact: true }).check();
      await page.locator('#f-caregiver').getByLabel('No', { exact: true }).check();
      await page.locator('#f-labor').getByLabel('Not sure', { exact: true }).check();
    },
  },
  {
    title: 'What makes them vulnerable',
    answer: async (page) => {
      await page.getByLabel('Homeless, or has run away').check();
      await page.getByLabel('Young age').check();
    },
  },
];

/**
 * Presses a button and waits for the next page: a new document without JavaScript, a new <main> of the
 * same document with it.
 */
async function next(page: Page, label = /^(Next|See what to do)$/): Promise<void> {
  await page.evaluate(() => document.getElementById('main')?.setAttribute('data-was', ''));
  await page.getByRole('button', { name: label }).click();
  // Polled on a timer rather than on animation frames, which a busy machine or a page without
  // JavaScript may not deliver while the next document loads.
  await page.waitForFunction(
    () => {
      const main = document.getElementById('main');
      return main !== null && !main.hasAttribute('data-was') && document.readyState === 'complete';
    },
    undefined,
    { polling: 100 },
  );
}

/**
 * Goes through every page, running `check` on each (after an empty submit of the first page, which
 * shows the error state), and ends on the result.
 */
async function walk(page: Page, check?: (where: string) => Promise<void>): Promise<void> {
  await page.goto(`${origin}/identify`);
  expect(await h1(page)).toBe('Safety first');
  if (check) {
    await check('/identify');
    await next(page);
    expect(await page.locator('.error h2').textContent()).toBe('There is a problem');
    await check('/identify (error)');
  }
  for (const [n, step] of STEPS.entries()) {
    expect(await h1(page)).toBe(step.title);
    expect(await page.locator('.step').textContent()).toBe(`Step ${n + 1} of ${STEPS.length}`);
    await step.answer(page);
    await next(page);
    if (check && n + 1 < STEPS.length) await check(`step ${n + 2}`);
  }
  expect(await h1(page)).toBe('What to do next');
  if (check) await check('result');
}

async function expectResult(page: Page): Promise<void> {
  const main = (await page.locator('main').textContent()) ?? '';
  expect(main).toContain('Sex trafficking: the answers point to it');
  expect(main).toMatch(
    /Required · By \w+day, \w{3} \d{1,2}, \d{4} at \d{1,2}:\d\d [AP]M \(within 24 hours\) · Your step/,
  );
  expect(main).toContain('Hennepin County');
  expect(main).toContain('It never labels a young person');
  await expect
    .poll(() => page.getByRole('button', { name: 'Refer this young person to a navigator' }).count())
    .toBe(1);
}

describe.skipIf(!available)('/identify in Chromium', () => {
  beforeAll(async () => {
    app = await testApp();
    server = await listen(app.app);
    origin = server.url;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  describe('with JavaScript', () => {
    let iso: IsolatedContext;
    let page: Page;

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: PHONE });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    it('walks to the result, and the print view prints', async () => {
      await walk(page);
      await expectResult(page);
      await next(page, /^Print view$/);
      expect(await h1(page)).toBe('What to do next (print view)');
      await page.evaluate(() => {
        (window as unknown as { printed: boolean }).printed = false;
        window.print = () => {
          (window as unknown as { printed: boolean }).printed = true;
        };
      });
      await page.getByRole('button', { name: 'Print this page' }).click();
      expect(await page.evaluate(() => (window as unknown as { printed: boolean }).printed)).toBe(true);
    }, 60_000);

    it('Back and Change answers keep what was chosen', async () => {
      await walk(page);
      await next(page, /^Change answers$/);
      expect(await h1(page)).toBe('What makes them vulnerable');
      expect(await page.getByLabel('Young age').isChecked()).toBe(true);
      await next(page, /^Back$/);
      expect(await h1(page)).toBe('What may be happening');
      expect(await page.locator('#f-labor').getByLabel('Not sure', { exact: true }).isChecked()).toBe(true);
    }, 60_000);

    it("goes back and forward with the browser's buttons at every step, never asking to resend a form", async () => {
      await walk(page);
      const sent: string[] = [];
      const record = (r: { method(): string; url(): string }) => sent.push(`${r.method()} ${r.url()}`);
      page.on('request', record);
      const titles = STEPS.map((s) => s.title);
      for (let n = titles.length - 1; n >= 0; n--) {
        await page.goBack();
        await expect.poll(() => h1(page)).toBe(titles[n]);
        // The answers are never in the address.
        expect(page.url()).toBe(`${origin}/identify`);
      }
      expect(await page.getByLabel('No', { exact: true }).isChecked()).toBe(true);
      for (const title of [...titles.slice(1), 'What to do next']) {
        await page.goForward();
        await expect.poll(() => h1(page)).toBe(title);
      }
      expect(await page.locator('#f-labor').count()).toBe(0);
      await expectResult(page);
      // Back and Forward asked the server for nothing: no form was sent again.
      expect(sent).toEqual([]);
      // Changing an answer after going back goes on from there.
      await page.goBack();
      await page.goBack();
      expect(await h1(page)).toBe('What may be happening');
      await page.locator('#f-labor').getByLabel('No', { exact: true }).check();
      await next(page);
      expect(await h1(page)).toBe('What makes them vulnerable');
      page.off('request', record);
      // Leaving the questions and coming back starts again, saying the answers were not kept.
      await next(page, /^See what to do$/);
      await Promise.all([
        page.waitForURL(`${origin}/rules`),
        page.getByRole('link', { name: 'Every rule and its source' }).click(),
      ]);
      await page.goBack();
      await expect.poll(() => h1(page)).toBe('Safety first');
      expect(await page.locator('main').textContent()).toContain('Your earlier answers were not kept');
    }, 90_000);

    it('keeps the steps in one document in Spanish too, at /es/identify', async () => {
      await page.goto(`${origin}/es/identify`);
      expect(await h1(page)).toBe('Primero, la seguridad');
      await page.getByLabel('No', { exact: true }).check();
      await next(page, /^Siguiente$/);
      expect(await h1(page)).toBe('Sobre usted');
      expect(await page.locator('.step').textContent()).toBe('Paso 2 de 6');
      // Sent by the script (a new <main>, the address unchanged), not as a new document.
      expect(page.url()).toBe(`${origin}/es/identify`);
      expect(await page.evaluate(() => history.length)).toBeGreaterThan(1);
      const sent: string[] = [];
      const record = (r: { method(): string; url(): string }) => sent.push(`${r.method()} ${r.url()}`);
      page.on('request', record);
      await page.goBack();
      await expect.poll(() => h1(page)).toBe('Primero, la seguridad');
      page.off('request', record);
      expect(sent).toEqual([]);
      expect(await page.getByLabel('No', { exact: true }).isChecked()).toBe(true);
    }, 60_000);

    it('set no cookie and asked no other site for anything', async () => {
      expect(iso.requests.length).toBeGreaterThan(0);
      expect(await iso.context.cookies()).toEqual([]);
      expect(iso.foreignRequests()).toEqual([]);
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

    it('walks to the same result with plain forms', async () => {
      await walk(page);
      await expectResult(page);
    }, 60_000);

    it('has a print view whose instructions show and whose script button stays hidden', async () => {
      await next(page, /^Print view$/);
      expect(await h1(page)).toBe('What to do next (print view)');
      expect(await page.locator('#print-now').isVisible()).toBe(false);
      expect(await page.locator('main').textContent()).toContain("Use your browser's Print command");
      expect(await page.locator('form[action="/identify/refer"]').count()).toBe(0);
      await next(page, /^Back to the full page$/);
      expect(await h1(page)).toBe('What to do next');
    }, 60_000);

    it('set no cookie and asked no other site for anything', async () => {
      expect(await iso.context.cookies()).toEqual([]);
      expect(iso.foreignRequests()).toEqual([]);
    });
  });

  describe('keyboard only', () => {
    let iso: IsolatedContext;
    let page: Page;

    beforeAll(async () => {
      iso = await isolatedContext(browser, origin, { viewport: DESKTOP });
      page = await iso.context.newPage();
    });
    afterAll(() => iso.context.close());

    /** Tabs until the focused element matches, checking each shows a focus indicator. */
    async function tabTo(selector: string, most = 30): Promise<string[]> {
      const unseen: string[] = [];
      for (let i = 0; i < most; i++) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate((sel) => {
          const el = document.activeElement;
          if (!el || el === document.body) return { match: false, visible: false, tag: 'body' };
          const style = getComputedStyle(el);
          return {
            match: el.matches(sel),
            visible:
              (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
              style.boxShadow !== 'none',
            tag: `${el.tagName.toLowerCase()}#${el.id}`,
          };
        }, selector);
        if (!state.visible) unseen.push(state.tag);
        if (state.match) return unseen;
      }
      throw new Error(`Tab never reached ${selector}`);
    }

    it('answers, goes on, and reaches an error by keyboard alone, always showing focus', async () => {
      await page.goto(`${origin}/identify`);
      // Submitting with nothing chosen: the summary links to the first radio button.
      expect(await tabTo('button[value="next"]')).toEqual([]);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.error a').count()).toBe(1);
      expect(await page.locator('.error a').textContent()).toBe('Choose an answer.');
      expect(await tabTo('.error a')).toEqual([]);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q-danger_now-0');
      // Arrows choose within a radio group.
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#q-danger_now-1').isChecked()).toBe(true);
      expect(await tabTo('button[value="next"]')).toEqual([]);
      await page.keyboard.press('Enter');
      await expect.poll(() => h1(page)).toBe('About you');
      // Space chooses the focused radio button.
      expect(await tabTo('#q-reporter_role-0')).toEqual([]);
      await page.keyboard.press('Space');
      expect(await page.locator('#q-reporter_role-0').isChecked()).toBe(true);
      expect(await tabTo('button[value="next"]')).toEqual([]);
      await page.keyboard.press('Enter');
      await expect.poll(() => h1(page)).toBe('About the young person');
      // Enter in a text box means Next, not Back.
      expect(await tabTo('#q-age')).toEqual([]);
      await page.keyboard.type('15');
      await page.keyboard.press('Enter');
      await expect.poll(() => h1(page)).toBe('Care and going missing');
    }, 60_000);
  });

  describe('accessibility', () => {
    for (const [name, viewport] of [
      ['a phone (390x844)', PHONE],
      ['a desktop (1280x800)', DESKTOP],
    ] as const) {
      it(`has no axe violations on any page of the flow on ${name}`, async () => {
        const iso = await isolatedContext(browser, origin, { viewport });
        try {
          const page = await iso.context.newPage();
          const found: string[] = [];
          const wide: string[] = [];
          await walk(page, async (where) => {
            found.push(...(await axeViolations(page, where)));
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - window.innerWidth,
            );
            if (overflow > 0) wide.push(`${where}: ${overflow}px too wide`);
          });
          await next(page, /^Print view$/);
          found.push(...(await axeViolations(page, 'print view')));
          expect(found).toEqual([]);
          expect(wide).toEqual([]);
        } finally {
          await iso.context.close();
        }
      }, 120_000);
    }
  });
});
