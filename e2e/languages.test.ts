/**
 * The help finder in each of its four languages, in a real browser with JavaScript off: from the home
 * page, a place search, the navigator's page, and the contact form, sent; the confirmation comes in the
 * same language, every page of the walk stays in it (its `lang`, its address), and no cookie is set.
 * Then the region's navigator signs in and finds the four requests, each marked with the page it came
 * from.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configureFormTokenTiming,
  DEFAULT_FORM_TOKEN_TIMING,
  SUBMIT_LIMIT,
} from '../src/features/intake/anti-abuse.ts';
import {
  LOCALE_ENGLISH_NAMES,
  localePath,
  LOCALES,
  translator,
  type Locale,
} from '../src/platform/i18n/index.ts';
import { reset } from '../src/platform/rate-limit/index.ts';
import type { TestApp } from '../test/app.ts';
import { addStaff, type TestStaff } from '../test/staff.ts';
import { browserAvailable, isolatedContext, PHONE } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'synthetic languages walk passphrase';
/** The shortened minimum age of a form, and a wait a little longer than it. */
const MIN_FORM_AGE_MS = 200;
const settle = (page: Page) => page.waitForTimeout(MIN_FORM_AGE_MS + 100);
const messageOf = (locale: Locale) => `Synthetic request from the ${locale} walk.`;

describe.skipIf(!available)('the help finder in four languages, without JavaScript', () => {
  const world = new BrowserWorld(PASSWORD);
  let t: TestApp;
  let navigator: TestStaff;

  beforeAll(async () => {
    configureFormTokenTiming({ minAgeMs: MIN_FORM_AGE_MS });
    t = await world.open();
    navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Walk Navigator' });
    await world.signIns.enable(t, navigator);
    await world.launch();
  }, 60_000);

  afterAll(async () => {
    configureFormTokenTiming(DEFAULT_FORM_TOKEN_TIMING);
    await world.close();
  });

  for (const locale of LOCALES) {
    it(`walks from the home page to a sent request in ${LOCALE_ENGLISH_NAMES[locale]}`, async () => {
      const tr = translator(locale);
      // Every request of this test comes from 127.0.0.1: each walk starts with its send budget untouched.
      await reset(t.deps.db, SUBMIT_LIMIT.bucket, '127.0.0.1');
      const iso = await isolatedContext(world.browser, world.url, {
        viewport: PHONE,
        javaScriptEnabled: false,
      });
      try {
        const page = await iso.context.newPage();
        const inLanguage = async () => {
          expect(await page.getAttribute('html', 'lang')).toBe(locale);
          expect(new URL(page.url()).pathname.startsWith(localePath(locale, '/'))).toBe(true);
        };
        await page.goto(world.url + localePath(locale, '/'));
        await inLanguage();
        expect(await page.locator('h1').textContent()).toBe(tr.text('help.home.title'));

        // The place search, by the keyboard's Enter (a plain form).
        await page.fill('#q', '55401');
        await page.press('#q', 'Enter');
        await page.waitForURL(/navigator\?q=55401/);
        await inLanguage();
        expect(await page.locator('main').textContent()).toContain('Hennepin');

        // The navigator's page leads to the contact form.
        await page.click(`main a[href="${localePath(locale, '/help/contact-me')}"]`);
        await inLanguage();
        await page.check('#method-text_message');
        await page.fill('#contact', '612-555-0142');
        await page.fill('#times', 'after 5');
        await page.fill('#codeWord', `walk${locale}`);
        await page.fill('#place', '55401');
        await page.fill('#message', messageOf(locale));
        await settle(page);
        await page.click(`form[action="${localePath(locale, '/help/contact-me')}"] button[type="submit"]`);
        await page.waitForSelector('h1');
        await inLanguage();
        expect(await page.locator('h1').textContent()).toBe(tr.text('intake.contactMe.sent.title'));
        expect(await page.locator('a[href="tel:911"]').count()).toBeGreaterThan(0);
        expect(await iso.context.cookies()).toEqual([]);
        expect(iso.foreignRequests()).toEqual([]);
      } finally {
        await iso.context.close();
      }
    }, 60_000);
  }

  it('gives the navigator each request marked with the page it came from', async () => {
    const page = await world.signIn(navigator);
    await page.goto(`${world.url}/staff/queue`);
    const links = await page
      .locator('main a[href^="/staff/queue/"]')
      .evaluateAll((as) =>
        as
          .map((a) => a.getAttribute('href'))
          .filter((h): h is string => /^\/staff\/queue\/[0-9a-f-]{36}$/.test(h ?? '')),
      );
    const seen = new Map<string, string>();
    for (const href of new Set(links)) {
      await page.goto(world.url + href);
      const text = (await page.locator('main').textContent()) ?? '';
      const locale = LOCALES.find((l) => text.includes(messageOf(l)));
      if (locale) seen.set(locale, /Sent from\s*(The \w+ page)/.exec(text)?.[1] ?? 'no mark');
    }
    expect(Object.fromEntries(seen)).toEqual({
      en: 'no mark',
      es: 'The Spanish page',
      so: 'The Somali page',
      hmn: 'The Hmong page',
    });
  }, 60_000);
});
