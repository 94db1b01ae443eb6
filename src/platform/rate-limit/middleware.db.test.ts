import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { BlindIndexKey } from '../crypto/blind-index.ts';
import { addressKey } from './address.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing } from './key-hash.ts';
import { rateLimit } from './middleware.ts';
import { PUBLIC_FORM_LIMIT, publicFormRateLimit } from './public-forms.ts';

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

function tinyApp(limit = 2) {
  const app = new Hono();
  const limited = rateLimit({ db: t.db, bucket: 'test.middleware', limit, windowSeconds: 60, key: client });
  app.get('/api/things', limited, (c) => c.json({ ok: true }));
  app.get('/things', limited, (c) => c.text('ok'));
  return app;
}
const from = (who: string) => ({ headers: { 'x-test-client': who } });

describe('rateLimit middleware', () => {
  it('answers 429 with Retry-After and problem+json under /api/', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp();
    expect((await app.request('/api/things', from('api-a'))).status).toBe(200);
    expect((await app.request('/api/things', from('api-a'))).status).toBe(200);
    const refused = await app.request('/api/things', from('api-a'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
    expect(refused.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 429, title: 'Too many requests', retryAfterSeconds: retryAfter });
    expect(body.detail).toMatch(/Try again in/);
    // another client is not affected
    expect((await app.request('/api/things', from('api-b'))).status).toBe(200);
  });

  it('answers pages with a short plain-language page', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp(1);
    expect((await app.request('/things', from('page-a'))).status).toBe(200);
    const refused = await app.request('/things', from('page-a'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(refused.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await refused.text();
    expect(html).toContain('Please wait a moment');
    expect(html).toMatch(/Try again in \d+ (second|minute)s?\./);
  });

  it('lets a request through again after Retry-After', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = tinyApp(1);
    expect((await app.request('/api/things', from('later'))).status).toBe(200);
    const refused = await app.request('/api/things', from('later'));
    const retryAfter = Number(refused.headers.get('Retry-After'));
    vi.setSystemTime(new Date(Date.parse('2031-01-01T00:00:10Z') + (retryAfter - 1) * 1000));
    expect((await app.request('/api/things', from('later'))).status).toBe(429);
    // the refused request above counted too: wait its own Retry-After
    const again = Number((await app.request('/api/things', from('later'))).headers.get('Retry-After'));
    vi.setSystemTime(new Date(Date.now() + again * 1000));
    expect((await app.request('/api/things', from('later'))).status).toBe(200);
  });

  it('takes a custom answer for refused requests', async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = new Hono();
    app.use(
      rateLimit({
        db: t.db,
        bucket: 'test.custom',
        limit: 1,
        windowSeconds: 60,
        key: client,
        refuse: (c, r) =>
          c.text(`slow down ${r.retryAfterSeconds}`, 429, { 'Retry-After': String(r.retryAfterSeconds) }),
      }),
    );
    app.get('/', (c) => c.text('ok'));
    await app.request('/', from('custom'));
    const refused = await app.request('/', from('custom'));
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe(`slow down ${refused.headers.get('Retry-After')}`);
  });

  it('refuses an unusable rule when the app is built, not on the first request', () => {
    expect(() =>
      rateLimit({ db: t.db, bucket: 'Not A Bucket', limit: 1, windowSeconds: 60, key: client }),
    ).toThrow(RangeError);
  });
});

describe('publicFormRateLimit', () => {
  it(`allows ${PUBLIC_FORM_LIMIT} form posts a minute per address, across all public forms`, async () => {
    freezeClock('2031-01-01T00:00:10Z');
    const app = new Hono();
    const limited = publicFormRateLimit({ db: t.db, address: client });
    app.post('/help/request', limited, (c) => c.text('sent'));
    app.post('/contact', limited, (c) => c.text('sent'));
    for (let i = 0; i < PUBLIC_FORM_LIMIT; i++) {
      const path = i % 2 === 0 ? '/help/request' : '/contact';
      expect((await app.request(path, { method: 'POST', ...from('2001:db8:1:1::1') })).status).toBe(200);
    }
    // the same /64
    const refused = await app.request('/contact', { method: 'POST', ...from('2001:db8:1:1::2') });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(addressKey('2001:db8:1:1::2')).toBe(addressKey('2001:db8:1:1::1'));
    expect((await app.request('/contact', { method: 'POST', ...from('2001:db8:1:2::1') })).status).toBe(200);
  });
});
