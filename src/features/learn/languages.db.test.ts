/**
 * The learn pages and the privacy notice in Spanish, Somali and Hmong: each answers in its language,
 * shows its translated title, keeps every link in the language, and leaves no English paragraph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { translator, type MessageKey } from '../../platform/i18n/index.ts';
import { LEARN_PAGES } from './content.tsx';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const LOCALES = ['es', 'so', 'hmn'] as const;

const PAGES: { path: string; title: MessageKey }[] = [
  { path: '/learn', title: 'learn.index.title' },
  ...LEARN_PAGES.map((p) => ({ path: `/learn/${p.slug}`, title: p.title })),
  { path: '/privacy', title: 'privacy.title' },
];

function main(html: string): string {
  return /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
}

/** The text of each paragraph, list item and heading of `html`, tags dropped. */
function blocks(html: string): string[] {
  return [...html.matchAll(/<(p|li|h[1-6])\b[^>]*>([\s\S]*?)<\/\1>/g)]
    .map((m) =>
      (m[2] ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((text) => /[a-z]{3}/i.test(text));
}

async function get(path: string): Promise<string> {
  const res = await t.app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

describe.each(LOCALES)('learn pages in %s', (locale) => {
  const tr = translator(locale);
  it.each(PAGES)('$path', async ({ path, title }) => {
    const html = await get(`/${locale}${path}`);
    expect(html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
    const body = main(html);
    expect(body).toContain(`<h1>${tr.text(title)}</h1>`);

    // Every site link stays in the language; phone and text links stay the same.
    for (const [, href] of body.matchAll(/href="([^"]*)"/g)) {
      if (href?.startsWith('/')) expect(href, `${path}: ${href}`).toMatch(new RegExp(`^/${locale}(?:/|$|#)`));
    }
    expect(body).not.toContain('lang="en"');

    // No paragraph, item or heading of the English page is left in English.
    const english = new Set(blocks(main(await get(path))));
    const left = blocks(body).filter((text) => english.has(text));
    expect(left, `${path} in ${locale}`).toEqual([]);
  });
});

describe('learn pages keep the lines the same in every language', () => {
  it.each(LOCALES)('%s: Day One and 911', async (locale) => {
    const html = await get(`/${locale}/learn/what-is-exploitation`);
    expect(html).toContain('<a href="tel:+18662231111">1-866-223-1111</a>');
    expect(html).toContain('<a href="sms:+16123999995">612-399-9995</a>');
    expect(html).toContain('<a href="tel:911">911</a>');
  });
});

describe('known translations', () => {
  it('Spanish: the rights page says a young person is a victim, not a criminal', async () => {
    const html = await get('/es/learn/your-rights');
    expect(html).toContain('Usted no es un criminal');
    expect(html).toContain('<a href="/es/navigator">navegador regional</a>');
  });
  it('Somali and Hmong: the privacy page links to staying safe online in the language', async () => {
    expect(await get('/so/privacy')).toContain('href="/so/learn/staying-safe-online"');
    expect(await get('/hmn/privacy')).toContain('href="/hmn/learn/staying-safe-online"');
  });
});
