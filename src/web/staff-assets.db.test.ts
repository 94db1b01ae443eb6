/**
 * The staff design system is served from this site: its style sheet, fonts and icons, kept by the
 * browser for a year under a versioned path; nothing outside those folders; and only staff pages may
 * load styles and fonts from the site (public pages keep to their own inline style).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { addStaff, sessionFor } from '../../test/staff.ts';
import { USWDS_BASE, USWDS_CSS } from './staff-assets.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe('the staff design system files', () => {
  it('serves the style sheet and the icons and fonts it names, to keep for a year', async () => {
    const css = await t.app.request(USWDS_CSS);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(css.headers.get('set-cookie')).toBeNull();
    const text = await css.text();
    expect(text).toContain('.usa-table');
    // Every file the style sheet names (relative to it) is served too.
    const named = [...new Set([...text.matchAll(/url\(\.\.\/([^)]+)\)/g)].map((m) => m[1]!))];
    expect(named.length).toBeGreaterThan(10);
    for (const file of named.filter((f) => /\.(svg|png|woff2)$/.test(f))) {
      const res = await t.app.request(`${USWDS_BASE}/${file}`);
      expect(res.status, file).toBe(200);
    }
  });

  it('serves nothing outside its folders or of another kind', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/css/..%2f..%2fpackage.json',
      '/js/uswds.min.js',
      '/css/uswds.min.css.map',
      '/css/missing.css',
    ]) {
      const res = await t.app.request(`${USWDS_BASE}${path}`);
      expect(res.status, path).toBe(404);
    }
  });

  it('lets staff pages, and only them, load styles and fonts from this site', async () => {
    const staff = (await t.app.request('/staff/sign-in')).headers.get('content-security-policy') ?? '';
    expect(staff).toMatch(/style-src 'self' 'nonce-[^']+'/);
    expect(staff).toContain("font-src 'self'");
    const html = await (await t.app.request('/staff/sign-in')).text();
    expect(html).toContain(`<link rel="stylesheet" href="${USWDS_CSS}"`);
    const publicPage = (await t.app.request('/')).headers.get('content-security-policy') ?? '';
    expect(publicPage).toMatch(/style-src 'nonce-[^']+'/);
    expect(publicPage).not.toContain("'self' 'nonce");
    expect(publicPage).not.toContain('font-src');
  });

  it('reads no session for its files, while a staff page does', async () => {
    const person = await addStaff(t.deps, 'navigator', ['central']);
    const { cookie } = await sessionFor(t.deps.db, person.id);
    // A session last seen ten minutes ago is touched by the next request that reads it.
    const earlier = new Date(Date.now() - 10 * 60 * 1000);
    await t.deps.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: earlier })
      .where('user_id', '=', person.id)
      .execute();
    const lastSeen = async () =>
      (
        await t.deps.db
          .selectFrom('staff_sessions')
          .select('last_seen_at')
          .where('user_id', '=', person.id)
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    const css = await t.app.request(USWDS_CSS, { headers: { cookie } });
    expect(css.status).toBe(200);
    expect(css.headers.get('set-cookie')).toBeNull();
    expect((await lastSeen()).getTime()).toBe(earlier.getTime());
    const home = await t.app.request('/staff', { headers: { cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(person.name);
    expect((await lastSeen()).getTime()).toBeGreaterThan(earlier.getTime());
  });
});
