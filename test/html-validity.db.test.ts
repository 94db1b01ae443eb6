/**
 * Every public page is valid HTML according to the W3C Nu Html Checker (`vnu-jar`): every declared
 * public GET page with sample parameters, every county's navigator page, every step of `/identify` with
 * its error state, the answer page and its print view, the referral hand-off, and the contact-me form
 * with its error state. Any error fails the test, naming the page, the line and the checker's message.
 *
 * The checker runs on Java. In CI a missing Java fails the test; elsewhere the test says loudly that it
 * did not run.
 */
import { localePath, TRANSLATED_LOCALES } from '../src/platform/i18n/index.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARN_PAGES } from '../src/features/learn/content.tsx';
import { testApp, type TestApp } from './app.ts';

const VNU_JAR = join(
  createRequire(import.meta.url).resolve('vnu-jar/package.json'),
  '..',
  'build',
  'dist',
  'vnu.jar',
);
const javaPresent = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;
if (!javaPresent && process.env.CI)
  throw new Error('Java is needed to check HTML validity (the Nu Html Checker) and CI must have it.');
if (!javaPresent)
  console.warn('\n*** html-validity: Java is not installed, so NO page was checked for valid HTML. ***\n');

let t: TestApp;
beforeAll(async () => {
  if (javaPresent) t = await testApp();
});
afterAll(async () => {
  await t?.close();
});

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The fields of the first form posting to `action`, hidden ones as given, as a browser sends them. */
function hiddenFields(html: string, action: string): [string, string][] {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map((m) => [
    m[1]!,
    unescape(m[2]!),
  ]);
}

async function post(path: string, fields: [string, string][]): Promise<string> {
  const res = await t.app.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
  });
  expect(res.status, path).toBeLessThan(500);
  return res.text();
}

/** One answer a page of the shipped checklist accepts. */
const STEP_ANSWERS: [string, string][][] = [
  [['a.danger_now', 'no']],
  [['a.reporter_role', 'education']],
  [
    ['a.age', '15'],
    ['zip.county', '55401'],
  ],
  [
    ['a.in_care', 'no'],
    ['a.missing_now', 'no'],
    ['a.found_after_missing', 'no'],
    ['a.foreign_national', 'no'],
  ],
  [
    ['a.exchange', 'yes'],
    ['a.third_party', 'yes'],
    ['a.caregiver', 'no'],
    ['a.labor', 'unknown'],
  ],
  [['a.risk_factors', 'homeless_or_runaway']],
];

/** Every page of the `/identify` flow, as a person reaches it. */
async function identifyPages(): Promise<[string, string][]> {
  const pages: [string, string][] = [];
  let html = await (await t.app.request('/identify')).text();
  pages.push(['/identify step 1', html]);
  pages.push([
    '/identify step 1 (error)',
    await post('/identify', [...hiddenFields(html, '/identify'), ['go', 'next']]),
  ]);
  for (const [n, values] of STEP_ANSWERS.entries()) {
    html = await post('/identify', [...hiddenFields(html, '/identify'), ...values, ['go', 'next']]);
    pages.push([n + 1 < STEP_ANSWERS.length ? `/identify step ${n + 2}` : '/identify answer', html]);
  }
  const answer = html;
  expect(answer).toContain('What to do next');
  pages.push([
    '/identify answer (print view)',
    await post('/identify', [...hiddenFields(answer, '/identify'), ['go', 'print']]),
  ]);
  pages.push([
    '/identify answer (oral report time)',
    await post('/identify', [
      ...hiddenFields(answer, '/identify'),
      ['oral', '2020-01-01T10:00'],
      ['go', 'next'],
    ]),
  ]);
  pages.push(['/identify/refer', await post('/identify/refer', hiddenFields(answer, '/identify/refer'))]);
  return pages;
}

async function publicPages(): Promise<[string, string][]> {
  const service = await t.database.db
    .selectFrom('directory_services')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const urls: string[] = [];
  for (const [key, policy] of t.policies.entries()) {
    const [method, path] = key.split(' ') as [string, string];
    if (method !== 'GET' || policy.kind !== 'public' || path.startsWith('/api/')) continue;
    if (['/healthz', '/readyz'].includes(path)) continue;
    if (path === '/learn/:slug') urls.push(...LEARN_PAGES.map((p) => `/learn/${p.slug}`));
    else if (path === '/services/:id') urls.push(`/services/${service.id}`);
    else if (path === '/certificates/:code') urls.push('/certificates/NWD-AAAAA-AAAAA');
    else urls.push(path);
  }
  // Each page in each other language too (the words differ, and so may the markup they carry).
  urls.push(
    ...TRANSLATED_LOCALES.flatMap((locale) =>
      [...urls, '/navigator?county=27053']
        .filter((u) => !u.endsWith('.ics'))
        .map((u) => localePath(locale, u)),
    ),
  );
  const counties = [...t.deps.geography.get().counties.keys()].map((fips) => `/navigator?county=${fips}`);
  urls.push(
    ...counties,
    '/navigator?zip=55009',
    '/navigator?q=Duluth',
    '/navigator?q=nowhere-at-all',
    '/services?type=shelter_housing&age=15',
    '/services?page=99',
    '/no-such-page',
  );
  const pages: [string, string][] = [];
  for (const url of urls) {
    const res = await t.app.request(url);
    expect(res.status, url).toBeLessThan(500);
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) pages.push([url, await res.text()]);
  }
  const contactMe = pages.find(([url]) => url === '/help/contact-me')?.[1];
  if (contactMe)
    pages.push([
      '/help/contact-me (error)',
      await post('/help/contact-me', hiddenFields(contactMe, '/help/contact-me')),
    ]);
  return pages;
}

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** Checks the pages with one run of the checker; answers each error as "page:line: message". */
function validate(pages: [string, string][]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nwd-vnu-'));
  try {
    const names = new Map<string, string>();
    pages.forEach(([label, html], n) => {
      const file = join(dir, `page-${n}.html`);
      writeFileSync(file, html);
      names.set(`page-${n}.html`, label);
    });
    const run = spawnSync(
      'java',
      [
        '-Xss8m',
        '-jar',
        VNU_JAR,
        '--format',
        'json',
        '--stdout',
        ...[...names.keys()].map((f) => join(dir, f)),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.error) throw run.error;
    const report = JSON.parse(run.stdout) as { messages: VnuMessage[] };
    return report.messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => {
        const file = m.url?.split('/').pop() ?? '';
        return `${names.get(file) ?? file}:${m.lastLine ?? '?'}: ${m.message}${m.extract ? ` [${m.extract.trim()}]` : ''}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!javaPresent)('HTML validity (W3C Nu Html Checker)', () => {
  it('finds no error on any public page', async () => {
    const pages = [...(await publicPages()), ...(await identifyPages())];
    const labels = pages.map(([label]) => label);
    expect(labels).toEqual(
      expect.arrayContaining([
        '/',
        '/navigator',
        '/help/contact-me',
        '/identify answer',
        '/identify step 6',
        '/es/',
        '/so/help/contact-me',
        '/hmn/navigator?county=27053',
      ]),
    );
    expect(labels.filter((l) => l.startsWith('/navigator?county=')).length).toBe(87);
    expect(validate(pages)).toEqual([]);
  }, 180_000);

  it('would fail on an invalid page', () => {
    const errors = validate([
      [
        'broken',
        '<!doctype html><html lang="en"><head><title>x</title></head><body><p><div></p></body></html>',
      ],
    ]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^broken:\d+: /);
  }, 60_000);
});
