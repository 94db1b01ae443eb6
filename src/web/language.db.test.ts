/**
 * Languages by address: each public page under /es, /so and /hmn with its language, switch and
 * alternates; nothing else under a prefix (staff pages, the API, calendar files), answered "not found"
 * with the public page's headers and no cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe('a page in another language', () => {
  it('is the same page with its language, the switch to each language and the alternates', async () => {
    for (const [path, lang] of [
      ['/es/', 'es'],
      ['/es', 'es'],
      ['/so/navigator?county=27053', 'so'],
      ['/hmn/privacy', 'hmn'],
      ['/privacy', 'en'],
    ] as const) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('set-cookie'), path).toBeNull();
      const html = await res.text();
      expect(html, path).toContain(`<html lang="${lang}">`);
      expect(html, path).toMatch(/<nav class="langs" aria-label="[^"]+"><ul>/);
      for (const [l, name] of [
        ['en', 'English'],
        ['es', 'Español'],
        ['so', 'Soomaali'],
        ['hmn', 'Hmoob'],
      ])
        expect(html, path).toContain(
          `lang="${l}" hreflang="${l}"${l === lang ? ' aria-current="true"' : ''}>${name}</a>`,
        );
      expect(html, path).toContain('<link rel="alternate" hreflang="x-default"');
    }
    const navigator = await (await t.app.request('/so/navigator?county=27053')).text();
    // The switch keeps the query: the same answer in each language.
    expect(navigator).toContain('href="/hmn/navigator?county=27053" lang="hmn"');
    expect(navigator).toContain('<link rel="alternate" hreflang="es" href="/es/navigator"/>');
  });

  it('keeps the same phone numbers and quick exit in every language', async () => {
    const tels = async (path: string) =>
      [...(await (await t.app.request(path)).text()).matchAll(/href="(tel:[^"]+|sms:[^"]+)"/g)].map(
        (m) => m[1],
      );
    const english = await tels('/');
    expect(english).toContain('tel:911');
    for (const path of ['/es/', '/so/', '/hmn/']) expect(await tels(path), path).toEqual(english);
    for (const path of ['/es/', '/so/', '/hmn/'])
      expect(await (await t.app.request(path)).text(), path).toContain(
        'id="quick-exit" class="exit" href="https://www.weather.gov/"',
      );
  });
});

describe('an address under a language prefix that is not a public page', () => {
  it('is not found, with the public headers and no cookie', async () => {
    for (const path of [
      '/es/staff/sign-in',
      '/so/staff',
      '/hmn/api/v1/navigators?county=27053',
      '/es/events.ics',
      '/so/healthz',
      '/es/rules',
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      expect(res.headers.get('set-cookie'), path).toBeNull();
    }
    const page = await (await t.app.request('/es/staff/sign-in')).text();
    expect(page).toContain('<html lang="es">');
  });

  it('leaves English addresses that start with the same letters alone', async () => {
    expect((await t.app.request('/essay')).status).toBe(404);
    expect((await t.app.request('/staff/sign-in')).status).toBe(200);
  });
});
