/**
 * Signing in through the pages, as a browser would: cookies, CSRF, session fixation, lockout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import { totpCodeAt } from '../../platform/auth/credentials/totp.ts';
import { createSetupLink } from './service.ts';

const ORIGIN = TEST_SITE.origin;
const PASSWORD = 'violet lantern harbour meadow';
let t: TestApp;

class Browser {
  cookie: string | null = null;
  constructor(private readonly app: TestApp['app']) {}

  async get(path: string): Promise<Response> {
    return this.track(await this.app.request(path, { headers: this.cookie ? { Cookie: this.cookie } : {} }));
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: { origin?: string | null; csrf?: string | null } = {},
  ): Promise<Response> {
    const csrf = options.csrf === undefined ? await this.csrfFor(path) : options.csrf;
    const body = new URLSearchParams({ ...fields, ...(csrf ? { csrf } : {}) });
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
    if (this.cookie) headers.Cookie = this.cookie;
    return this.track(await this.app.request(path, { method: 'POST', body: body.toString(), headers }));
  }

  /** The CSRF token of the form that posts to `path`, read from the page that shows it. */
  private async csrfFor(path: string): Promise<string> {
    const page =
      path === '/staff/sign-out' || path === '/staff/sessions/end'
        ? '/staff/sessions'
        : (path.split('?')[0] ?? path);
    const html = await (await this.get(page)).text();
    return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }

  private track(res: Response): Response {
    const set = res.headers.get('set-cookie');
    if (set) {
      const [pair] = set.split(';');
      this.cookie = pair && /=.+/.test(pair) && !/Max-Age=0/i.test(set) ? pair : null;
    }
    return res;
  }
}

let secret = '';
let recoveryCodes: string[] = [];
beforeAll(async () => {
  t = await testApp();
  const link = await createSetupLink({ db: t.deps.db, keyring: t.deps.keyring, site: TEST_SITE });
  const browser = new Browser(t.app);
  const path = new URL(link ?? '').pathname;
  const res = await browser.post(path, {
    organizationName: 'Synthetic State Agency',
    displayName: 'Synthetic Admin',
    email: 'admin@example.org',
    password: PASSWORD,
  });
  expect(res.status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

describe('staff sign-in pages', () => {
  it('signs in with password and enrols two-factor, changing the session id at each step, with a strict cookie', async () => {
    const b = new Browser(t.app);
    const res = await b.post('/staff/sign-in', { email: 'admin@example.org', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/two-factor');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const afterPassword = b.cookie;
    const page = await (await b.get('/staff/two-factor')).text();
    expect(page).toContain('<svg');
    secret = (/Key: <code>([A-Z2-7 ]+)<\/code>/.exec(page)?.[1] ?? '').replace(/ /g, '');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    // The form's own token: showing the page again would start a new enrolment with a new key.
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const done = await b.post('/staff/two-factor', { code: await totpCodeAt(secret) }, { csrf });
    expect(done.status).toBe(200);
    const shown = await done.text();
    expect(shown).toContain('Save your recovery codes');
    recoveryCodes = [...shown.matchAll(/<code>([A-Z0-9]{5}-[A-Z0-9]{5})<\/code>/g)].map((m) => m[1] ?? '');
    expect(recoveryCodes).toHaveLength(10);
    expect(b.cookie).not.toBe(afterPassword);
    // The half-signed-in cookie no longer opens anything.
    const old = await t.app.request('/staff', { headers: { Cookie: afterPassword ?? '' } });
    expect(old.status).toBe(303);
    expect((await b.get('/staff')).status).toBe(200);
  });

  it('lists sessions, ends the others, and signs out', async () => {
    const first = new Browser(t.app);
    const second = new Browser(t.app);
    for (const b of [first, second]) {
      await b.post('/staff/sign-in', { email: 'admin@example.org', password: PASSWORD });
      const html = await (await b.get('/staff/sign-in/code')).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      // The next time step's code (within the allowed drift) for one, a recovery code for the other:
      // the code accepted at enrolment may still be current, and is never accepted twice.
      const code =
        b === first ? await totpCodeAt(secret, new Date(Date.now() + 30_000)) : (recoveryCodes[0] ?? '');
      const res = await b.post('/staff/sign-in/code', { code }, { csrf });
      expect(res.status).toBe(303);
    }
    const listed = await (await first.get('/staff/sessions')).text();
    expect(listed).toContain('This session');
    expect(await (await first.post('/staff/sessions/end', { which: 'others' })).status).toBe(303);
    expect((await second.get('/staff')).status).toBe(303);
    expect((await first.get('/staff')).status).toBe(200);
    const out = await first.post('/staff/sign-out', {});
    expect(out.headers.get('location')).toBe('/staff/sign-in');
    expect((await first.get('/staff')).status).toBe(303);
  });

  it('replaces a session id planted before sign-in (no session fixation)', async () => {
    const b = new Browser(t.app);
    const planted = `nwd_session=nwds_${'A'.repeat(43)}`;
    b.cookie = planted;
    await b.post('/staff/sign-in', { email: 'admin@example.org', password: PASSWORD });
    expect(b.cookie).not.toBe(planted);
    expect(b.cookie).toMatch(/^nwd_session=nwds_/);
  });

  it('refuses a form posted from another site or without its token', async () => {
    const b = new Browser(t.app);
    for (const refused of [{ origin: 'https://evil.example' }, { csrf: null }, { csrf: 'f.zzz.0000' }])
      expect(
        (await b.post('/staff/sign-in', { email: 'admin@example.org', password: PASSWORD }, refused)).status,
        JSON.stringify(refused),
      ).toBe(403);
    expect(b.cookie).toBeNull();
    // Under no-referrer a browser sends `Origin: null`; Sec-Fetch-Site then decides.
    const html = await (await t.app.request('/staff/sign-in')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = (site: string) =>
      t.app.request('/staff/sign-in', {
        method: 'POST',
        body: new URLSearchParams({ email: 'nobody@example.org', password: 'x', csrf }).toString(),
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'null',
          'Sec-Fetch-Site': site,
        },
      });
    expect((await post('cross-site')).status).toBe(403);
    expect((await post('same-origin')).status).toBe(400);
  });

  it('gives the same answer for an unknown account and a wrong password, then locks out', async () => {
    const b = new Browser(t.app);
    const unknown = await b.post('/staff/sign-in', { email: 'nobody@example.org', password: PASSWORD });
    const wrong = await b.post('/staff/sign-in', {
      email: 'admin@example.org',
      password: 'not the right one at all',
    });
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    // The error summary of the staff pages, from its box to the end of its list of problems.
    const text = (html: string) => /<div class="usa-alert usa-alert--error"[\s\S]*?<\/ul>/.exec(html)?.[0];
    const unknownSays = text(await unknown.text());
    expect(unknownSays).toContain('There is a problem');
    expect(unknownSays).toBe(text(await wrong.text()));
    for (let i = 0; i < 4; i++)
      await b.post('/staff/sign-in', { email: 'admin@example.org', password: 'not the right one at all' });
    const locked = await b.post('/staff/sign-in', { email: 'admin@example.org', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('keeps public pages free of cookies even for a signed-in browser', async () => {
    const res = await t.app.request('/', { headers: { Cookie: 'nwd_session=nwds_' + 'B'.repeat(43) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sends the anonymous to sign in, and never redirects outside the site after re-authentication', async () => {
    const res = await t.app.request('/staff/sessions');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/sign-in');
    const gone = await t.app.request('/staff/invitation/nwdl_' + 'x'.repeat(43));
    expect(gone.status).toBe(404);
  });
});
