/**
 * The public forms' guards: the signed time token, single use, the honeypot.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import {
  DEFAULT_FORM_TOKEN_TIMING,
  checkFormToken,
  configureFormTokenTiming,
  firstUseOfToken,
  formTokenTiming,
  honeypotFilled,
  issueFormToken,
} from './anti-abuse.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});
afterEach(() => configureFormTokenTiming(DEFAULT_FORM_TOKEN_TIMING));

const T0 = new Date(Date.UTC(2031, 4, 6, 15, 0, 0));
const after = (ms: number) => new Date(T0.getTime() + ms);

describe('form time tokens', () => {
  it('accept a form sent between 3 seconds and 4 hours after it was shown', async () => {
    const token = await issueFormToken(t.deps.keyring, 'contact-me', T0);
    expect(token).toMatch(/^[0-9a-z]+\.[0-9a-f]{32}$/);
    const check = (ms: number) => checkFormToken(t.deps.keyring, 'contact-me', token, after(ms));
    expect(await check(0)).toBe('too_fast');
    expect(await check(2_999)).toBe('too_fast');
    expect(await check(3_000)).toBe('ok');
    expect(await check(60 * 60 * 1000)).toBe('ok');
    expect(await check(4 * 60 * 60 * 1000)).toBe('ok');
    expect(await check(4 * 60 * 60 * 1000 + 1)).toBe('expired');
    // from the future: a minute of clock difference between instances is tolerated, not more
    expect(await check(-30_000)).toBe('too_fast');
    expect(await check(-120_000)).toBe('invalid');
  });

  it('refuse a forged, altered or borrowed token', async () => {
    const token = await issueFormToken(t.deps.keyring, 'contact-me', T0);
    const [stamp, mac] = token.split('.') as [string, string];
    const at = after(10_000);
    const check = (value: string, form: 'contact-me' | 'refer' = 'contact-me') =>
      checkFormToken(t.deps.keyring, form, value, at);
    expect(await check(token)).toBe('ok');
    // signed for the other form
    expect(await check(token, 'refer')).toBe('invalid');
    // an earlier time with the same signature
    expect(await check(`${(T0.getTime() - 60_000).toString(36)}.${mac}`)).toBe('invalid');
    expect(await check(`${stamp}.${'0'.repeat(32)}`)).toBe('invalid');
    expect(await check(`${stamp}.${mac.toUpperCase()}`)).toBe('invalid');
    for (const junk of ['', 'x', '.', `${stamp}.`, `.${mac}`, `${token}.x`, 'a'.repeat(5000)])
      expect(await check(junk), junk).toBe('invalid');
    // another keyring (another installation) does not accept it
    const other = await testApp();
    try {
      expect(await checkFormToken(other.deps.keyring, 'contact-me', token, at)).toBe('invalid');
    } finally {
      await other.close();
    }
  });

  it('the minimum age can be changed for browser tests, within sane bounds', async () => {
    configureFormTokenTiming({ minAgeMs: 100 });
    expect(formTokenTiming()).toEqual({ ...DEFAULT_FORM_TOKEN_TIMING, minAgeMs: 100 });
    const token = await issueFormToken(t.deps.keyring, 'refer', T0);
    expect(await checkFormToken(t.deps.keyring, 'refer', token, after(150))).toBe('ok');
    expect(() => configureFormTokenTiming({ minAgeMs: -1 })).toThrow(RangeError);
    expect(() => configureFormTokenTiming({ maxAgeMs: 48 * 60 * 60 * 1000 })).toThrow(RangeError);
  });

  it('are accepted once', async () => {
    const token = await issueFormToken(t.deps.keyring, 'contact-me', T0);
    expect(await firstUseOfToken(t.deps.db, token, after(5_000))).toBe(true);
    expect(await firstUseOfToken(t.deps.db, token, after(6_000))).toBe(false);
    expect(await firstUseOfToken(t.deps.db, token, after(3 * 60 * 60 * 1000))).toBe(false);
    const other = await issueFormToken(t.deps.keyring, 'contact-me', after(1));
    expect(await firstUseOfToken(t.deps.db, other, after(5_000))).toBe(true);
    // only a keyed hash of the token is stored
    const rows = await t.deps.db
      .selectFrom('rate_limits')
      .select('key_hash')
      .where('bucket', '=', 'intake.form-token-used')
      .execute();
    expect(JSON.stringify(rows)).not.toContain(token.split('.')[1]);
  });
});

describe('the honeypot', () => {
  it('is filled by anything but nothing or blanks', () => {
    expect(honeypotFilled(undefined)).toBe(false);
    expect(honeypotFilled('')).toBe(false);
    expect(honeypotFilled('   ')).toBe(false);
    expect(honeypotFilled('https://spam.example')).toBe(true);
  });
});
