/**
 * Properties every public route must keep: a declared policy, the security headers, no cookie, no
 * request to anyone else, the 14 KB first-load budget, and no 500 whatever the input.
 */
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARN_PAGES } from '../src/features/learn/content.tsx';
import { LOCALES, localePath } from '../src/platform/i18n/index.ts';
import { testApp, type TestApp } from './app.ts';

/** One TCP round trip with the usual initial congestion window (10 × 1460 bytes) is about 14 KB. */
const BUDGET_BYTES = 14 * 1024;
/** The StreetWorks training series the pack ships (data/mn/events.json). */
const STREETWORKS_EVENT = '5e6c1f0a-2b7d-5c43-9f1e-7a0d3b8c2e41';

let t: TestApp;
let serviceId: string;
beforeAll(async () => {
  t = await testApp();
  const row = await t.database.db
    .selectFrom('directory_services')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  serviceId = row.id;
});
afterAll(async () => {
  await t.close();
});

/** Every declared public GET route, with its parameters filled in, plus interesting query variants. */
function publicUrls(): string[] {
  const urls: string[] = [];
  for (const [key, policy] of t.policies.entries()) {
    const [method, path] = key.split(' ') as [string, string];
    if (method !== 'GET' || policy.kind !== 'public') continue;
    if (path === '/learn/:slug') urls.push(...LEARN_PAGES.map((p) => `/learn/${p.slug}`));
    else if (path === '/services/:id') urls.push(`/services/${serviceId}`);
    else if (path === '/certificates/:code') urls.push('/certificates/NWD-AAAAA-AAAAA');
    else if (path === '/api/v1/services/:id') urls.push(`/api/v1/services/${serviceId}`);
    else if (path.startsWith('/events/:id')) urls.push(path.replace(':id', STREETWORKS_EVENT));
    else if (path === '/events/course/:code/calendar.ics') urls.push('/events/course/X205/calendar.ics');
    else if (path === '/events/region/:id/calendar.ics') urls.push('/events/region/west-metro/calendar.ics');
    else urls.push(path);
  }
  return urls;
}

const PAGE_VARIANTS = [
  '/navigator?county=27053',
  '/navigator?county=Ramsey',
  '/navigator?zip=55009',
  '/navigator?q=Duluth',
  '/navigator?q=Minneapolis',
  '/navigator?q=nowhere-at-all',
  '/services?type=shelter_housing&age=15',
  '/services?county=27123&gender=female&culturallySpecific=true',
  '/services?page=99',
  '/no-such-page',
  `/events/${STREETWORKS_EVENT}/register?date=2027-01-20`,
  `/events/${STREETWORKS_EVENT}/register?date=not-a-date`,
  '/events/registration/not-a-token',
  '/certificates?code=NWD-AAAAA-AAAAA',
  '/certificates?code=%3Cscript%3E',
];

describe('route policies', () => {
  it('every route the app serves declares who may call it', () => {
    const served = t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(10);
    const missing = served.filter((key) => {
      const [method, path] = key.split(' ') as [string, string];
      return t.policies.policyFor(method, path) === undefined;
    });
    expect(missing).toEqual([]);
  });
});

describe('every public page, in every language', () => {
  const pages = () =>
    publicUrls()
      .filter((u) => !u.startsWith('/api/') && !u.endsWith('.ics') && !['/healthz', '/readyz'].includes(u))
      .concat(PAGE_VARIANTS)
      .flatMap((u) => LOCALES.map((locale) => localePath(locale, u)));

  it('covers the pages the help finder promises', () => {
    const urls = pages();
    for (const p of ['/', '/navigator', '/services', '/map', '/learn', '/privacy']) expect(urls).toContain(p);
    for (const p of ['/es/', '/so/navigator', '/hmn/services', '/es/identify', '/so/help/contact-me'])
      expect(urls).toContain(p);
    expect(urls.filter((u) => u.startsWith('/learn/')).length).toBe(LEARN_PAGES.length);
  });

  it('sets a strict CSP, no-referrer and no cookie, and loads nothing from anywhere else', async () => {
    for (const url of pages()) {
      const res = await t.app.request(url);
      expect(res.status, url).toBeLessThan(500);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, url).toMatch(/default-src 'none'/);
      expect(csp, url).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, url).toBeTruthy();
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(res.headers.get('set-cookie'), url).toBeNull();
      expect(res.headers.get('cache-control'), url).toBe('no-store');
      const html = await res.text();
      // Every script and style element carries this response's nonce; nothing is pulled from elsewhere.
      for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? [])
        expect(tag, url).toContain(`nonce="${nonce}"`);
      expect(html, url).not.toMatch(/<(script|img|iframe|audio|video|source)\b[^>]*\ssrc=/);
      // The only links: the empty icon, and the same page in each language on this site (loads nothing).
      expect(html, url).not.toMatch(
        /<link\b(?![^>]*href="data:)(?![^>]*rel="alternate" hreflang="[a-z-]+" href="\/)[^>]*>/,
      );
      expect(html, url).not.toMatch(/\sstyle="/);
      expect(html, url).toContain('id="quick-exit"');
      expect(html, url).toContain('href="tel:911"');
    }
  });

  it(`weighs at most ${BUDGET_BYTES} bytes compressed on first load`, async () => {
    const sizes: Record<string, number> = {};
    for (const url of pages()) {
      const res = await t.app.request(url, { headers: { 'Accept-Encoding': 'gzip' } });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-encoding'), url).toBe('gzip');
      // The page is its own first load: style and script are inline, and nothing else is fetched
      // (asserted above), so the compressed HTML is everything the first visit transfers.
      expect(gunzipSync(body).toString('utf8'), url).toMatch(/^<!doctype html>/);
      sizes[url] = body.length;
    }
    const over = Object.entries(sizes).filter(([, n]) => n > BUDGET_BYTES);
    expect(over).toEqual([]);
  });
});

describe('every calendar feed', () => {
  it('is iCalendar with no cookie and nothing to anyone else', async () => {
    const feeds = publicUrls().filter((u) => u.endsWith('.ics'));
    expect(feeds).toContain('/events.ics');
    for (const url of feeds) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(/^text\/calendar/);
      expect(res.headers.get('set-cookie'), url).toBeNull();
      expect(await res.text(), url).toMatch(/^BEGIN:VCALENDAR\r\n/);
    }
  });
});

describe('robustness', () => {
  it('no input makes a public route answer 500', async () => {
    const routes = [
      '/navigator',
      '/services',
      '/api/v1/navigators',
      '/api/v1/services',
      '/map',
      '/',
      '/identify',
    ];
    const keys = [
      'q',
      'county',
      'zip',
      'type',
      'age',
      'gender',
      'language',
      'page',
      'perPage',
      'region',
      'asOf',
      'culturallySpecific',
      'lgbtqAffirming',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(
          fc.tuple(
            fc.constantFrom(...keys),
            fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer().map(String), fc.constant('')),
          ),
          { maxLength: 4 },
        ),
        async (route, params) => {
          const qs = new URLSearchParams(params).toString();
          const res = await t.app.request(`${route}?${qs}`);
          expect(res.status, `${route}?${qs}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    for (const path of [
      '/services/%00',
      `/services/${'x'.repeat(5000)}`,
      '/api/v1/services/%E0%A4%A',
      '/learn/..%2F..%2Fetc',
      '/%',
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('logs the route pattern, never the search words', async () => {
    t.logLines.length = 0;
    await t.app.request('/navigator?q=55401');
    await t.app.request('/api/v1/navigators?county=Stearns');
    const text = t.logLines.join('\n');
    expect(t.logLines.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('"route":"/navigator"');
    expect(text).not.toContain('55401');
    expect(text).not.toMatch(/stearns/i);
  });

  it('publishes an OpenAPI 3.1 document of the API', async () => {
    const res = await t.app.request('/api/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/navigators',
        '/api/v1/services',
        '/api/v1/services/{id}',
        '/api/v1/hsds/export',
      ]),
    );
  });

  it('answers an unknown API path with problem details', async () => {
    const res = await t.app.request('/api/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('reports health and readiness, and not ready while draining', async () => {
    expect((await t.app.request('/healthz')).status).toBe(200);
    expect((await t.app.request('/readyz')).status).toBe(200);
    t.deps.lifecycle.draining = true;
    expect((await t.app.request('/readyz')).status).toBe(503);
    t.deps.lifecycle.draining = false;
  });
});
