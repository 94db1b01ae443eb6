import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { BlindIndexKey } from '../crypto/blind-index.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing } from './key-hash.ts';
import { apiRateLimit } from './middleware.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
  configureRateLimitHashing(new BlindIndexKey(RATE_LIMIT_INDEX_PURPOSE, randomBytes(32)));
});
afterAll(async () => {
  await t?.drop();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Freezes the clock the limiter reads (only Date: the database driver's timers keep running). */
function freezeClock(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

// The tests stand in for the client address with a header.
const client = (c: { req: { header(name: string): string | undefined } }) =>
  c.req.header('x-test-client') ?? 'none';

function tinyApp(perAddress: number, perToken: number) {
  const app = new Hono();
  app.use(
    '/api/v1/*',
    apiRateLimit({ db: t.db, limits: { perAddress, perToken, windowSeconds: 60 }, address: client }),
  );
  app.get('/api/v1/things', (c) => c.json({ ok: true }));
  return app;
}
const from = (who: string, token?: string) => ({
  headers: { 'x-test-client': who, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
});

describe('apiRateLimit', () => {
  it('tells every answer where the caller stands, and answers 429 problem+json past the limit', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp(2, 10);
    const first = await app.request('/api/v1/things', from('api-a'));
    expect(first.status).toBe(200);
    expect(first.headers.get('RateLimit-Limit')).toBe('2');
    expect(first.headers.get('RateLimit-Remaining')).toBe('1');
    // 10 s into a one-minute window: it ends in 50 s
    expect(first.headers.get('RateLimit-Reset')).toBe('50');
    const second = await app.request('/api/v1/things', from('api-a'));
    expect(second.headers.get('RateLimit-Remaining')).toBe('0');
    const refused = await app.request('/api/v1/things', from('api-a'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
    expect(refused.headers.get('RateLimit-Reset')).toBe(String(retryAfter));
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(refused.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 429, title: 'Too many requests', retryAfterSeconds: retryAfter });
    expect(body.detail).toMatch(/Try again in/);
    // another address is not affected
    expect((await app.request('/api/v1/things', from('api-b'))).status).toBe(200);
  });

  it('counts each token on its own, wherever it comes from', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp(100, 2);
    expect((await app.request('/api/v1/things', from('tok-a', 'nwdt_one'))).status).toBe(200);
    const second = await app.request('/api/v1/things', from('tok-b', 'nwdt_one'));
    expect(second.status).toBe(200);
    // the token's limit is the nearer one
    expect(second.headers.get('RateLimit-Limit')).toBe('2');
    expect(second.headers.get('RateLimit-Remaining')).toBe('0');
    expect((await app.request('/api/v1/things', from('tok-c', 'nwdt_one'))).status).toBe(429);
    // another token from the same address goes on
    const other = await app.request('/api/v1/things', from('tok-c', 'nwdt_two'));
    expect(other.status).toBe(200);
    expect(other.headers.get('RateLimit-Remaining')).toBe('1');
  });

  it('counts requests without a token by address, with any token', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp(2, 100);
    expect((await app.request('/api/v1/things', from('addr-a', 'nwdt_x'))).status).toBe(200);
    expect((await app.request('/api/v1/things', from('addr-a'))).status).toBe(200);
    const refused = await app.request('/api/v1/things', from('addr-a', 'nwdt_y'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('RateLimit-Limit')).toBe('2');
  });

  it('lets a request through again after Retry-After', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp(1, 100);
    expect((await app.request('/api/v1/things', from('later'))).status).toBe(200);
    const refused = await app.request('/api/v1/things', from('later'));
    const retryAfter = Number(refused.headers.get('Retry-After'));
    vi.setSystemTime(new Date(Date.parse('2031-01-01T00:00:10Z') + (retryAfter - 1) * 1000));
    expect((await app.request('/api/v1/things', from('later'))).status).toBe(429);
    // the refused request above counted too: wait its own Retry-After
    const again = Number((await app.request('/api/v1/things', from('later'))).headers.get('Retry-After'));
    vi.setSystemTime(new Date(Date.now() + again * 1000));
    expect((await app.request('/api/v1/things', from('later'))).status).toBe(200);
  });

  it('refuses an unusable limit when the app is built, not on the first request', () => {
    expect(() =>
      apiRateLimit({ db: t.db, limits: { perAddress: 0, perToken: 1, windowSeconds: 60 }, address: client }),
    ).toThrow(RangeError);
  });
});
