/**
 * The directory in Spanish, Somali and Hmong: the list, its filters and a service's page answer in
 * the language, keep their links and form in it, and show the pack's descriptions translated; the
 * English list reads at grade 6 or below.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { fleschKincaidGrade, mainText } from '../../../test/reading-level.ts';
import { translator } from '../../platform/i18n/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const LOCALES = ['es', 'so', 'hmn'] as const;

interface PackService {
  id: string;
  description: string;
  eligibility_description: string;
}
const PACK = (
  JSON.parse(readFileSync('data/mn/directory.json', 'utf8')) as { entries: { service: PackService }[] }
).entries.map((e) => e.service);
const NAVIGATOR = PACK.find((s) => s.id === 'e4613673-8b39-5d5e-8273-0a40faaf5c88');

function main(html: string): string {
  return /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
}

async function get(path: string, status = 200): Promise<string> {
  const res = await t.app.request(path);
  expect(res.status, path).toBe(status);
  return res.text();
}

function expectLinksIn(locale: string, body: string): void {
  for (const [, href] of body.matchAll(/(?:href|action)="([^"]*)"/g)) {
    if (href?.startsWith('/')) expect(href).toMatch(new RegExp(`^/${locale}(?:/|$|#|\\?)`));
  }
}

/** English labels of the list page that must not be left on a translated page. */
const ENGLISH_LABELS = [
  'Filter services',
  'Type of help',
  'Any county',
  'Age of the young person',
  'Only show',
  'Show services',
  'Clear filters',
  'Shelter and housing',
  'Ages 24 and under',
  'Not sure where to start?',
];

describe.each(LOCALES)('/services in %s', (locale) => {
  const tr = translator(locale);

  it('lists services in the language, with its filters posting to the prefixed path', async () => {
    const html = await get(`/${locale}/services`);
    expect(html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
    const body = main(html);
    expect(body).toContain(`<h1>${tr.text('directory.title')}</h1>`);
    expect(body).toContain(`<form method="get" action="/${locale}/services"`);
    expect(body).toContain(tr.text('directory.filter.heading'));
    expect(body).toContain(`href="/${locale}/services/`);
    expectLinksIn(locale, body);
    for (const label of ENGLISH_LABELS) expect(body, label).not.toContain(label);
    expect(body).not.toContain('lang="en"');
  });

  it('shows a service with its description translated', async () => {
    if (!NAVIGATOR) throw new Error('the Northwest navigator is missing from the pack');
    const body = main(await get(`/${locale}/services/${NAVIGATOR.id}`));
    expect(body).toContain(tr.dataText(`data.service.${NAVIGATOR.id}.description`, NAVIGATOR.description));
    expect(body).not.toContain(NAVIGATOR.description);
    expect(body).not.toContain(NAVIGATOR.eligibility_description);
    expect(body).toContain(tr.text('directory.service.whoFor'));
    expectLinksIn(locale, body);
    expect(body).not.toContain('lang="en"');
  });

  it('pages and explains a filter problem in the language', async () => {
    const paged = main(await get(`/${locale}/services?perPage=5`));
    expect(paged).toContain(`href="/${locale}/services?perPage=5&amp;page=2"`);
    const bad = main(await get(`/${locale}/services?age=old`, 400));
    expect(bad).toContain(tr.text('directory.problem.heading'));
    expect(bad).toContain(tr.text('directory.problem.age'));
    expectLinksIn(locale, bad);
  });
});

describe('/services in Spanish', () => {
  it('counts the results with a plural and translates every pack description', async () => {
    expect(main(await get('/es/services'))).toMatch(/<h2 id="results-h">\d+ servicios<\/h2>/);
    const es = translator('es');
    for (const s of PACK) {
      expect(es.dataText(`data.service.${s.id}.description`, s.description), s.id).not.toBe(s.description);
      expect(es.dataText(`data.service.${s.id}.eligibility`, s.eligibility_description), s.id).not.toBe(
        s.eligibility_description,
      );
    }
  });

  it('answers an unknown service in the language', async () => {
    const body = main(await get('/es/services/00000000-0000-4000-8000-000000000000', 404));
    expect(body).toContain('<a href="/es/services">Ver todos los servicios</a>');
  });
});

describe('reading level', () => {
  it('the English list of services is at grade 6 or below', async () => {
    expect(fleschKincaidGrade(mainText(await get('/services')))).toBeLessThanOrEqual(6);
  });
});
