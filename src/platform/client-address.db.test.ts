/**
 * The client address behind a load balancer, through the whole app: the sign-in audit and the public
 * form limits see each visitor's own address when the proxy is trusted (NWD_TRUSTED_PROXIES), and the
 * socket's address otherwise, whatever a client writes in X-Forwarded-For. Synthetic data only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../test/app.ts';
import { FORM_TOKEN_FIELD, issueFormToken } from '../features/intake/anti-abuse.ts';

const PROXY = '10.20.0.7';
const envFor = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

let behindTrustedProxy: TestApp;
let plain: TestApp;
beforeAll(async () => {
  behindTrustedProxy = await testApp({ trustedProxies: ['10.20.0.0/16', 'fd00:20::/32'] });
  plain = await testApp();
});
afterAll(async () => {
  await behindTrustedProxy?.close();
  await plain?.close();
});

/** A sign-in with a wrong password for `email`, from `client` behind the proxy. */
async function signInAttempt(t: TestApp, client: string, email: string): Promise<Response> {
  return wrongPassword(t, email, PROXY, { 'X-Forwarded-For': client });
}

/** A sign-in with a wrong password for `email`, from the socket address `socket` with these headers. */
async function wrongPassword(
  t: TestApp,
  email: string,
  socket: string,
  headers: Record<string, string>,
): Promise<Response> {
  const html = await (await t.app.request('/staff/sign-in')).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return t.app.request(
    '/staff/sign-in',
    {
      method: 'POST',
      body: new URLSearchParams({ email, password: 'synthetic wrong password', csrf }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_SITE.origin, ...headers },
    },
    envFor(socket),
  );
}

async function signInFailureFrom(t: TestApp, socket: string, headers: Record<string, string>) {
  const email = `nobody.${Math.random().toString(36).slice(2)}@example.org`;
  const res = await wrongPassword(t, email, socket, headers);
  expect(res.status).toBe(400);
  const row = await t.deps.db
    .selectFrom('audit_events')
    .select('ip')
    .where('action', '=', 'sign_in.failure')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  return row.ip;
}

describe('the client address in the audit log', () => {
  it('is the forwarded client when the socket is a trusted proxy', async () => {
    expect(await signInFailureFrom(behindTrustedProxy, PROXY, { 'X-Forwarded-For': '198.51.100.23' })).toBe(
      '198.51.100.23',
    );
    // the right-most address that is not a trusted proxy: a client's own entry further left is ignored
    expect(
      await signInFailureFrom(behindTrustedProxy, PROXY, {
        'X-Forwarded-For': '203.0.113.99, 198.51.100.24, 10.20.1.1',
      }),
    ).toBe('198.51.100.24');
    expect(
      await signInFailureFrom(behindTrustedProxy, `::ffff:${PROXY}`, {
        'X-Forwarded-For': '2001:db8:5::17',
      }),
    ).toBe('2001:db8:5::17');
    expect(
      await signInFailureFrom(behindTrustedProxy, 'fd00:20::1', { 'X-Forwarded-For': '198.51.100.25' }),
    ).toBe('198.51.100.25');
  });

  it('is the socket when the header comes from anyone else, or holds no address', async () => {
    expect(await signInFailureFrom(plain, PROXY, { 'X-Forwarded-For': '198.51.100.23' })).toBe(PROXY);
    expect(
      await signInFailureFrom(behindTrustedProxy, '192.0.2.50', { 'X-Forwarded-For': '198.51.100.23' }),
    ).toBe('192.0.2.50');
    expect(await signInFailureFrom(behindTrustedProxy, PROXY, { 'X-Forwarded-For': 'not an address' })).toBe(
      PROXY,
    );
    expect(await signInFailureFrom(behindTrustedProxy, PROXY, {})).toBe(PROXY);
  });
});

describe('the sign-in throttle behind a load balancer', () => {
  const tryEmail = (t: TestApp, client: string, email: string) => signInAttempt(t, client, email);

  it('holds back only the visitor who guessed, when the proxy is trusted', async () => {
    const guesser = '198.51.100.60';
    for (let i = 0; i < 20; i++) await tryEmail(behindTrustedProxy, guesser, `made.up.${i}@example.org`);
    expect((await tryEmail(behindTrustedProxy, guesser, 'made.up.x@example.org')).status).toBe(429);
    expect((await tryEmail(behindTrustedProxy, '198.51.100.61', 'real.person@example.org')).status).toBe(400);
  });

  it('holds back everyone behind the proxy when it is not trusted', async () => {
    for (let i = 0; i < 20; i++) await tryEmail(plain, '198.51.100.60', `made.up.${i}@example.org`);
    expect((await tryEmail(plain, '198.51.100.61', 'real.person@example.org')).status).toBe(429);
  });
});

describe('the public form limit behind a load balancer', () => {
  const send = async (t: TestApp, client: string) =>
    t.app.request(
      '/help/contact-me',
      {
        method: 'POST',
        body: new URLSearchParams({
          [FORM_TOKEN_FIELD]: await issueFormToken(
            t.deps.keyring,
            'contact-me',
            new Date(Date.now() - 10_000),
          ),
        }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': client },
      },
      envFor(PROXY),
    );

  it('counts each visitor on their own when the proxy is trusted', async () => {
    for (let i = 1; i <= 12; i++) {
      expect((await send(behindTrustedProxy, `198.51.100.${i}`)).status, `visitor ${i}`).toBe(400);
    }
    // one visitor's 11th send in the hour is held back, and no one else's
    for (let i = 0; i < 9; i++) await send(behindTrustedProxy, '198.51.100.1');
    expect((await send(behindTrustedProxy, '198.51.100.1')).status).toBe(429);
    expect((await send(behindTrustedProxy, '198.51.100.2')).status).toBe(400);
  });

  it('counts the socket when the proxy is not trusted (a forged header changes nothing)', async () => {
    for (let i = 1; i <= 10; i++) {
      expect((await send(plain, `198.51.100.${i}`)).status, `visitor ${i}`).toBe(400);
    }
    expect((await send(plain, '198.51.100.11')).status).toBe(429);
  });
});
