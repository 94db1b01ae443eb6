import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressKey } from './address.ts';
import { RateLimitNotConfiguredError, rateLimitKeyHash } from './key-hash.ts';
import { assertRateLimitRule } from './limiter.ts';
import { waitInWords } from './middleware.ts';
import { assessHit, assessPeek, retryAfterMs, windowStartOf, type WindowState } from './window.ts';

const W = 60_000;

describe('sliding-window arithmetic', () => {
  it('allows exactly the limit in a fresh window', () => {
    for (let current = 1; current <= 5; current++) {
      expect(assessHit({ current, previous: 0, elapsedMs: 0, windowMs: W, limit: 5 })).toEqual({
        allowed: true,
        remaining: 5 - current,
        retryAfterSeconds: 0,
      });
    }
    const refused = assessHit({ current: 6, previous: 0, elapsedMs: 0, windowMs: W, limit: 5 });
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
  });

  it('matches the documented examples', () => {
    expect(windowStartOf(Date.UTC(2030, 0, 1, 0, 0, 42), W)).toBe(Date.UTC(2030, 0, 1));
    expect(assessPeek({ current: 5, previous: 0, elapsedMs: 0, windowMs: W, limit: 5 })).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 72,
    });
    expect(retryAfterMs({ current: 5, previous: 0, elapsedMs: 15_000, windowMs: W, limit: 5 })).toBe(57_000);
  });

  it('weighs the previous window by the part still within one window of now', () => {
    // 10 hits last window, halfway through this one: 5 still count.
    const half = { current: 0, previous: 10, elapsedMs: W / 2, windowMs: W, limit: 6 };
    expect(assessPeek(half)).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(assessHit({ ...half, current: 1 })).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(assessHit({ ...half, current: 2 }).allowed).toBe(false);
  });

  it('a limit of 1 waits for the window after next once a hit is refused', () => {
    // two hits at the very start: the next window still weighs them fully at its start, so the wait
    // runs to the start of the window after (nothing weighs any more).
    expect(retryAfterMs({ current: 2, previous: 0, elapsedMs: 0, windowMs: W, limit: 1 })).toBe(2 * W);
  });

  const states = fc
    .record({
      windowMs: fc.integer({ min: 1, max: 3600 }).map((s) => s * 1000),
      limit: fc.integer({ min: 1, max: 200 }),
      current: fc.integer({ min: 0, max: 400 }),
      previous: fc.integer({ min: 0, max: 400 }),
      fraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    })
    .map(({ fraction, ...s }): WindowState => ({ ...s, elapsedMs: Math.floor(fraction * s.windowMs) }));

  /** The state after `d` ms with nothing counted meanwhile. */
  function after(s: WindowState, d: number): WindowState {
    const at = s.elapsedMs + d;
    const windows = Math.floor(at / s.windowMs);
    if (windows === 0) return { ...s, elapsedMs: at };
    if (windows === 1) return { ...s, previous: s.current, current: 0, elapsedMs: at - s.windowMs };
    return { ...s, previous: 0, current: 0, elapsedMs: at % s.windowMs };
  }

  it('retryAfterMs is the exact first millisecond at which one more hit is allowed', () => {
    fc.assert(
      fc.property(states, (s) => {
        const d = retryAfterMs(s);
        expect(assessPeek(after(s, d)).allowed).toBe(true);
        if (d > 0) expect(assessPeek(after(s, d - 1)).allowed).toBe(false);
        else expect(assessPeek(s).allowed).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a refusal always carries a wait of at least one second, and allowed answers none', () => {
    fc.assert(
      fc.property(states, (s) => {
        for (const r of [assessHit(s), assessPeek(s)]) {
          if (r.allowed) expect(r.retryAfterSeconds).toBe(0);
          else expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(r.remaining).toBeGreaterThanOrEqual(0);
          expect(r.remaining).toBeLessThanOrEqual(s.limit);
        }
        // peek's remaining is how many hits would still pass: that many allowed hits, then a refusal.
        const p = assessPeek(s);
        for (let i = 1; i <= p.remaining; i++)
          expect(assessHit({ ...s, current: s.current + i }).allowed).toBe(true);
        expect(assessHit({ ...s, current: s.current + p.remaining + 1 }).allowed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and counts IPv6 per /64', () => {
    expect(addressKey(' 192.0.2.10 ')).toBe('192.0.2.10');
    expect(addressKey('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(addressKey('::FFFF:c000:020a')).toBe('192.0.2.10');
    expect(addressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:DB8:0:1:bbbb:cccc:dddd:eeee')).toBe('2001:db8:0:1::/64');
    expect(addressKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:db8:0:2::1')).not.toBe(addressKey('2001:db8:0:1::1'));
    expect(addressKey('Unknown')).toBe('unknown');
  });
});

describe('rules and configuration', () => {
  it('refuses to hash keys before a hashing key is configured', () => {
    expect(() => rateLimitKeyHash('public-form.address', '192.0.2.10')).toThrow(RateLimitNotConfiguredError);
  });

  it('refuses unusable rules', () => {
    expect(() => assertRateLimitRule({ bucket: 'ok.bucket', limit: 1, windowSeconds: 1 })).not.toThrow();
    for (const rule of [
      { bucket: 'Bad Bucket', limit: 1, windowSeconds: 1 },
      { bucket: 'ok', limit: 0, windowSeconds: 1 },
      { bucket: 'ok', limit: 1.5, windowSeconds: 1 },
      { bucket: 'ok', limit: 1, windowSeconds: 0 },
      { bucket: 'ok', limit: 1, windowSeconds: 0.5 },
    ]) {
      expect(() => assertRateLimitRule(rule)).toThrow(RangeError);
    }
  });

  it('says a wait in plain words', () => {
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(45)).toBe('45 seconds');
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(900)).toBe('15 minutes');
    expect(waitInWords(3600)).toBe('1 hour');
  });
});
