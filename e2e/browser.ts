/**
 * The browser for end-to-end tests: Debian's Chromium driven by playwright-core, shut off from the
 * internet. Every request to another origin is answered locally with a neutral page and recorded, so a
 * test can assert that a public page calls no third party.
 *
 * Without /usr/bin/chromium the browser tests are skipped with a warning on a developer machine and fail
 * in CI (`process.env.CI`), where `.ci/run` must install it.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A phone-sized screen. */
export const PHONE = { width: 390, height: 844 };

/** The axe rules every page is checked against: WCAG 2.2 AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** What axe finds on the page, one line a violation: the page's address, the rule and where. */
export async function axe(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return violations.map((v) => `${page.url()} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** What axe finds on the page, one line a violation: `label`, the rule, its impact and where. */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return violations.map(
    (v) =>
      `${label}: ${v.id} (${v.impact ?? '?'}) at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );
}

/** What the route handler answers for any other origin (the quick exit lands here). */
export const NEUTRAL_PAGE = '<title>Weather</title><h1>Neutral page</h1>';

/**
 * Whether browser tests can run here. Throws in CI when Chromium is missing, so a misconfigured CI
 * never passes by skipping.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `${CHROMIUM_PATH} not found: the browser tests need Debian chromium (apt-get install -y chromium).`;
  if (process.env.CI)
    throw new Error(`${message} .ci/run must install Debian chromium before the tests run.`);
  console.warn(`\n!!!!!!!!\n!!! SKIPPING BROWSER TESTS: ${message}\n!!!!!!!!\n`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface IsolatedContext {
  context: BrowserContext;
  /** Every URL the pages of this context requested, in order. */
  requests: string[];
  /** Requests to any origin but `origin`. */
  foreignRequests(): string[];
}

/**
 * A context whose requests reach only `origin`; anything else gets the neutral page.
 */
export async function isolatedContext(
  browser: Browser,
  origin: string,
  options: BrowserContextOptions = {},
): Promise<IsolatedContext> {
  const context = await browser.newContext(options);
  const requests: string[] = [];
  const ours = (url: string): boolean => {
    try {
      return new URL(url).origin === origin;
    } catch {
      return false;
    }
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return ours(url)
      ? route.continue()
      : route.fulfill({ status: 200, contentType: 'text/html', body: NEUTRAL_PAGE });
  });
  return {
    context,
    requests,
    // data: URLs (the favicon `data:,`) never leave the browser.
    foreignRequests: () => requests.filter((url) => !ours(url) && !url.startsWith('data:')),
  };
}
