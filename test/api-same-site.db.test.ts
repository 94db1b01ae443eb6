/**
 * Every state-changing API route refuses a request signed in with the session cookie that comes from
 * another site (403 problem details), before it reads the body or touches a record. A bearer token is
 * not sent by a browser on its own, so a bearer-token request is never refused for that reason.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/features/accounts/service.ts';
import { TEST_SITE, testApp, type TestApp } from './app.ts';
import { addStaff, sessionFor, type TestSession } from './staff.ts';

let t: TestApp;
let session: TestSession;
let token: string;

beforeAll(async () => {
  t = await testApp();
  const navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  session = await sessionFor(t.deps.db, navigator.id);
  token = (
    await createApiToken(
      { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
      'system',
      { userId: navigator.id, scopes: ['cases.read', 'cases.write'], expiresInDays: 1 },
      { ip: '192.0.2.1', userAgent: null },
    )
  ).token;
});
afterAll(async () => {
  await t.close();
});

/** Every API route that is not a read, as `METHOD /path` with its parameters filled in. */
function writeRoutes(): { method: string; path: string; pattern: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string; pattern: string }[] = [];
  for (const r of t.app.routes) {
    if (!r.path.startsWith('/api/') || ['GET', 'HEAD', 'OPTIONS', 'ALL'].includes(r.method)) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, pattern: r.path, path: r.path.replace(/:\w+/g, () => randomUUID()) });
  }
  return out;
}

const CROSS_SITE: Record<string, Record<string, string>> = {
  'another Origin': { Origin: 'https://evil.example' },
  'another Origin, same-origin claimed': { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
  'Sec-Fetch-Site: cross-site': { 'Sec-Fetch-Site': 'cross-site' },
  'Sec-Fetch-Site: same-site (a sibling host)': { 'Sec-Fetch-Site': 'same-site' },
  'Origin: null, cross-site': { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
  'neither header': {},
};

const SAME_SITE: Record<string, string>[] = [
  { Origin: TEST_SITE.origin },
  { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
];

const send = (route: { method: string; path: string }, headers: Record<string, string>) =>
  t.app.request(route.path, {
    method: route.method,
    body: JSON.stringify({}),
    headers: { 'Content-Type': 'application/json', ...headers },
  });

const refusedAsCrossSite = async (res: Response): Promise<boolean> => {
  if (res.status !== 403) return false;
  const body = (await res.clone().json()) as { detail?: string };
  return /from this site/.test(body.detail ?? '');
};

describe('state-changing API routes and the session cookie', () => {
  it('covers the routes that change records', () => {
    const patterns = writeRoutes().map((r) => `${r.method} ${r.pattern}`);
    expect(patterns).toEqual(
      expect.arrayContaining([
        'POST /api/v1/cases',
        'POST /api/v1/cases/:id/consents',
        'POST /api/v1/consents/:id/revoke',
        'POST /api/v1/cases/:id/referrals',
        'POST /api/v1/referrals/:id/transitions',
      ]),
    );
  });

  it('refuses every one with 403 problem details when the cookie comes from another site', async () => {
    const failures: string[] = [];
    for (const route of writeRoutes()) {
      for (const [label, headers] of Object.entries(CROSS_SITE)) {
        const res = await send(route, { Cookie: session.cookie, ...headers });
        const type = res.headers.get('content-type') ?? '';
        if (!(await refusedAsCrossSite(res)) || !type.startsWith('application/problem+json'))
          failures.push(`${route.method} ${route.pattern} (${label}): ${res.status} ${type}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets the cookie through from this site (Origin, or Origin: null with Sec-Fetch-Site: same-origin)', async () => {
    const failures: string[] = [];
    for (const route of writeRoutes()) {
      for (const headers of SAME_SITE) {
        const res = await send(route, { Cookie: session.cookie, ...headers });
        if ((await refusedAsCrossSite(res)) || res.status >= 500)
          failures.push(`${route.method} ${route.pattern}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never refuses a bearer-token request for coming from another site', async () => {
    const failures: string[] = [];
    for (const route of writeRoutes()) {
      for (const headers of Object.values(CROSS_SITE)) {
        const res = await send(route, { Authorization: `Bearer ${token}`, ...headers });
        if ((await refusedAsCrossSite(res)) || res.status >= 500)
          failures.push(`${route.method} ${route.pattern}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    // A real write with a bearer token from "another site" goes through.
    const opened = await t.app.request('/api/v1/cases', {
      method: 'POST',
      body: JSON.stringify({ regionId: 'west-metro', personal: { chosenName: 'Synthetic Bearer' } }),
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Origin: 'https://evil.example',
      },
    });
    expect(opened.status).toBe(201);
  });

  it('leaves requests without the cookie to the route (anonymous: 401 for staff routes)', async () => {
    const res = await send(
      { method: 'POST', path: `/api/v1/consents/${randomUUID()}/revoke` },
      {
        Origin: 'https://evil.example',
      },
    );
    expect(res.status).toBe(401);
  });
});
