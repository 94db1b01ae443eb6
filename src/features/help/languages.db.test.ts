/**
 * The help finder's public pages (`/`, `/navigator`, `/map`, and the not-found page) in Spanish,
 * Somali and Hmong: the page's language, its words from the catalogue, links and forms that stay in
 * the language, and no English left of the messages the pages use. And the English pages' reading
 * level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../platform/i18n/catalogue/en.json' with { type: 'json' };
import es from '../../platform/i18n/catalogue/es.json' with { type: 'json' };
import hmn from '../../platform/i18n/catalogue/hmn.json' with { type: 'json' };
import so from '../../platform/i18n/catalogue/so.json' with { type: 'json' };
import { testApp, type TestApp } from '../../../test/app.ts';
import { fleschKincaidGrade, mainText } from '../../../test/reading-level.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

type Key = keyof typeof en;
const catalogues = { es, so, hmn } as const;
const LANGS = ['es', 'so', 'hmn'] as const;
type Lang = (typeof LANGS)[number];

const translation = (lang: Lang, key: Key): string => {
  const text = (catalogues[lang] as Record<string, { text: string | null }>)[key]?.text;
  if (!text) throw new Error(`${lang}: no translation of ${key}`);
  return text;
};

/** The page's `<main>` as text, with the entities hono writes decoded. */
const main = (html: string): string =>
  mainText(html)
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');

/** The pages, what each must say (by key, in the page's language) and the English each must not. */
const PAGES: { path: string; status: number; says: Key[]; notEnglish: Key[] }[] = [
  {
    path: '/',
    status: 200,
    says: ['help.search.heading', 'help.ways.heading', 'help.lines.heading', 'help.ways.work'],
    notEnglish: [
      'help.home.title',
      'help.home.intro',
      'help.search.intro',
      'help.search.hint',
      'help.search.label',
      'help.ways.heading',
      'help.ways.me',
      'help.ways.work',
      'help.lines.heading',
      'data.line.day-one.description',
      'data.line.national-human-trafficking-hotline.description',
      'data.line.ncmec.description',
      'data.line.mn-crime-victim-support-line.description',
    ],
  },
  {
    path: '/navigator',
    status: 200,
    says: ['help.navigator.title', 'help.search.label', 'help.search.countyLabel', 'help.search.map'],
    notEnglish: ['help.navigator.title', 'help.search.intro', 'help.search.countyLabel', 'help.search.map'],
  },
  {
    path: '/navigator?county=27053',
    status: 200,
    says: ['help.found.again'],
    notEnglish: ['help.found.again'],
  },
  {
    path: '/navigator?county=Ramsey',
    status: 200,
    says: ['help.found.again'],
    notEnglish: ['help.found.again', 'help.result.whyRegionUnconfirmed'],
  },
  {
    path: '/navigator?q=Hastings',
    status: 200,
    says: ['help.found.whichTitle', 'help.which.heading'],
    notEnglish: ['help.found.whichTitle', 'help.which.heading', 'help.which.intro'],
  },
  {
    path: '/navigator?q=Atlantiss',
    status: 404,
    says: ['help.again.notFoundTitle', 'help.search.label'],
    notEnglish: ['help.again.notFoundTitle', 'help.again.none', 'help.again.noneSuggest'],
  },
  {
    path: '/map',
    status: 200,
    says: ['map.pageTitle', 'map.intro', 'map.list.heading'],
    notEnglish: ['map.pageTitle', 'map.intro', 'map.list.heading', 'map.legend.unconfirmed'],
  },
  {
    path: '/no-such-page',
    status: 404,
    says: ['errors.notFound.title', 'errors.notFound.body', 'errors.notFound.home'],
    notEnglish: ['errors.notFound.title', 'errors.notFound.body', 'errors.notFound.home'],
  },
];

/** The English of a message without its placeholders and tags: the words that must not be on the page. */
const englishWords = (key: Key): string[] =>
  en[key]
    .replace(/<\/?[a-z]+>/g, '')
    .split(/\{[^{}]*\}|"/)
    .map((s) => s.trim().replace(/^[.,:?]\s*/, ''))
    .filter((s) => s.split(' ').length >= 3);

describe.each(LANGS)('the help pages in /%s/', (lang) => {
  it.each(PAGES)('$path', async ({ path, status, says, notEnglish }) => {
    const res = await t.app.request(`/${lang}${path === '/' ? '' : path}`);
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(html).toContain(`<html lang="${lang}"`);
    const text = main(html);
    for (const key of says) {
      const words = translation(lang, key)
        .replace(/\{[^}]*\}|<\/?[a-z]+>/g, '')
        .trim();
      expect(text, key).toContain(words);
    }
    for (const key of notEnglish)
      for (const words of englishWords(key)) expect(text, `${key}: "${words}"`).not.toContain(words);
    // Every link and form in the page body stays in the language.
    const body = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    const internal = [...body.matchAll(/ (?:href|action)="(\/[^"]*)"/g)].map((m) => m[1] ?? '');
    expect(internal.length).toBeGreaterThan(0);
    for (const href of internal) expect(href, path).toMatch(new RegExp(`^/${lang}(/|$|\\?)`));
    // Phone numbers stay as they are.
    expect(html).toContain('href="tel:911"');
  });

  it('the search forms post to the navigator in the language', async () => {
    const html = await (await t.app.request(`/${lang}/navigator`)).text();
    expect(html.match(new RegExp(`<form method="get" action="/${lang}/navigator"`, 'g'))?.length).toBe(2);
  });

  it('a found county is named in the language, with its navigator and the statewide line', async () => {
    const html = await (await t.app.request(`/${lang}/navigator?county=27053`)).text();
    const county = translation(lang, 'help.county').replace('{name}', 'Hennepin');
    const title = translation(lang, 'help.found.title').replace('{county}', county);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain('href="tel:+18662231111"');
    expect(html).toContain(`href="/${lang}/services?county=27053"`);
  });
});

describe('the English help pages', () => {
  it.each(['/', '/navigator', '/map', '/navigator?county=27053'])(
    '%s reads at grade 6 or below',
    async (path) => {
      const html = await (await t.app.request(path)).text();
      expect(html).toContain('<html lang="en"');
      expect(fleschKincaidGrade(mainText(html))).toBeLessThanOrEqual(6);
    },
  );

  it('keep their words and unprefixed links', async () => {
    const home = await (await t.app.request('/')).text();
    expect(home).toContain('<h1>Get help now</h1>');
    expect(home).toContain('<form method="get" action="/navigator"');
    expect(home).toContain('href="/map"');
    const found = await (await t.app.request('/navigator?county=27053')).text();
    expect(found).toContain('<h1>Your navigator: Hennepin County</h1>');
    expect(found).toContain('href="/services?county=27053"');
  });
});
