/**
 * Signing staff in for browser tests. Through the pages: a test person is given a password and a
 * two-step sign-in key (`enableSignIn`), then signs in with the email, the password and a fresh code
 * (`signIn`); `SignIns` does both for several people, a context of its own each time. Or, where signing
 * in is not what is tested, a session written straight into the database becomes the browser's cookie
 * (`addSessionCookie`).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../src/platform/auth/credentials/password.ts';
import { newTotpSecret, totpCodeAt } from '../src/platform/auth/credentials/totp.ts';
import { encryptField } from '../src/platform/crypto/index.ts';
import { listen, testApp, type TestApp } from '../test/app.ts';
import { sessionFor, type TestStaff } from '../test/staff.ts';
import { PHONE, isolatedContext, launchBrowser, type IsolatedContext } from './browser.ts';

/** What a person signs in with. */
export interface SignInKey {
  email: string;
  password: string;
  totpSecret: string;
}

/** Gives the person `password` and a new two-step sign-in key, so they can sign in through the pages. */
export async function enableSignIn(t: TestApp, person: TestStaff, password: string): Promise<SignInKey> {
  const totpSecret = newTotpSecret();
  await t.deps.db
    .updateTable('staff_users')
    .set({
      password_hash: await hashPassword(password),
      totp_secret_encrypted: await encryptField(
        t.deps.keyring,
        { scope: `staff:${person.id}`, table: 'staff_users', recordId: person.id, field: 'totp_secret' },
        totpSecret,
      ),
      totp_enabled_at: new Date(),
    })
    .where('id', '=', person.id)
    .execute();
  return { email: person.email, password, totpSecret };
}

/** Signs in on the page at `origin`: email and password, then the code; ends on the staff home page. */
export async function signIn(page: Page, origin: string, key: SignInKey): Promise<void> {
  await page.goto(`${origin}/staff/sign-in`);
  await page.fill('#email', key.email);
  await page.fill('#password', key.password);
  await page.press('#password', 'Enter');
  await page.waitForURL(/\/staff\/sign-in\/code$/);
  await page.fill('#code', await totpCodeAt(key.totpSecret));
  await page.press('#code', 'Enter');
  await page.waitForURL(/\/staff$/);
}

/** A new phone-sized context of its own (see `isolatedContext`), signed in as `key`, and its page. */
export async function signedInPage(
  browser: Browser,
  origin: string,
  key: SignInKey,
): Promise<{ iso: IsolatedContext; page: Page }> {
  const iso = await isolatedContext(browser, origin, { viewport: PHONE });
  const page = await iso.context.newPage();
  await signIn(page, origin, key);
  return { iso, page };
}

/** A complete session for the person, written into the database and set as the context's cookie. */
export async function addSessionCookie(
  context: BrowserContext,
  t: TestApp,
  origin: string,
  person: TestStaff,
): Promise<void> {
  const { cookie } = await sessionFor(t.deps.db, person.id);
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: origin }]);
}

/**
 * People who sign in through the pages, each time in a new phone-sized context of their own: `enable`
 * gives each person `password` and a sign-in key; `signIn` opens a signed-in page for one of them.
 * `contexts` holds every context opened, for checking that no request left the site.
 */
export class SignIns {
  readonly contexts: IsolatedContext[] = [];
  private readonly keys = new Map<string, SignInKey>();

  constructor(private readonly password: string) {}

  async enable(t: TestApp, ...people: TestStaff[]): Promise<void> {
    for (const person of people) this.keys.set(person.id, await enableSignIn(t, person, this.password));
  }

  async signIn(browser: Browser, origin: string, person: TestStaff): Promise<Page> {
    const key = this.keys.get(person.id);
    if (!key) throw new Error(`${person.name} cannot sign in: enable them first`);
    const { iso, page } = await signedInPage(browser, origin, key);
    this.contexts.push(iso);
    return page;
  }
}

/**
 * The test app served on a free port, with a browser, for tests that sign people in through the pages:
 * `open()` starts the app and its server (links in emails point at it), `launch()` the browser, `signIn`
 * opens a signed-in page for a person enabled through `signIns`, and `close()` stops all three.
 */
export class BrowserWorld {
  readonly signIns: SignIns;
  #t: TestApp | undefined;
  #server: Awaited<ReturnType<typeof listen>> | undefined;
  #browser: Browser | undefined;

  constructor(password: string) {
    this.signIns = new SignIns(password);
  }

  async open(config: Parameters<typeof testApp>[0] = {}): Promise<TestApp> {
    this.#t = await testApp(config);
    this.#server = await listen(this.#t.app);
    this.#t.deps.site = { origin: this.#server.url, development: true };
    return this.#t;
  }

  async launch(): Promise<void> {
    this.#browser = await launchBrowser();
  }

  get url(): string {
    if (!this.#server) throw new Error('open the world first');
    return this.#server.url;
  }

  get browser(): Browser {
    if (!this.#browser) throw new Error('launch the browser first');
    return this.#browser;
  }

  /** A new phone-sized context of its own, signed in as the person through the pages. */
  signIn(person: TestStaff): Promise<Page> {
    return this.signIns.signIn(this.browser, this.url, person);
  }

  async close(): Promise<void> {
    await this.#browser?.close();
    await this.#server?.close();
    await this.#t?.close();
  }
}
