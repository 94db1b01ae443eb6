import { describe, expect, it } from 'vitest';
import {
  QR_LABEL,
  TOTP_PERIOD_SECONDS,
  newTotpSecret,
  otpauthUri,
  totpCodeAt,
  totpQrSvg,
  verifyTotp,
} from './totp.ts';

// A fixed moment, 10 s into its 30-second step, so that nothing depends on the test machine's clock.
const STEP = 1_893_456_000 / TOTP_PERIOD_SECONDS; // 2030-01-01T00:00:00Z
const at = (step: number, secondsIn = 10): Date => new Date((step * TOTP_PERIOD_SECONDS + secondsIn) * 1000);
const now = at(STEP);

function base32Bytes(secret: string): number {
  expect(secret).toMatch(/^[A-Z2-7]+$/);
  return Math.floor((secret.length * 5) / 8);
}

describe('TOTP secrets and URIs', () => {
  it('makes base32 secrets of at least 20 bytes, all different', () => {
    const secrets = Array.from({ length: 20 }, newTotpSecret);
    for (const secret of secrets) expect(base32Bytes(secret)).toBeGreaterThanOrEqual(20);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('builds an otpauth URI with the issuer and only the label given', () => {
    const secret = newTotpSecret();
    const uri = new URL(otpauthUri({ secret, accountLabel: 'synthetic.person@example.org' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/No Wrong Door:synthetic.person@example.org');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('No Wrong Door');
    expect([...uri.searchParams.keys()].sort()).toEqual(['issuer', 'secret']);
    expect(() => otpauthUri({ secret, accountLabel: '  ' })).toThrow(RangeError);
  });
});

describe('verifyTotp', () => {
  const secret = newTotpSecret();

  it('accepts a code once, then refuses it as replayed', async () => {
    const token = await totpCodeAt(secret, now);
    const first = await verifyTotp({ secret, token, lastAcceptedStep: null, now });
    expect(first).toEqual({ ok: true, step: STEP });
    const again = await verifyTotp({ secret, token, lastAcceptedStep: STEP, now });
    expect(again).toEqual({ ok: false, reason: 'replayed' });
    // Later in the same step and in the next step, still refused.
    expect(await verifyTotp({ secret, token, lastAcceptedStep: STEP, now: at(STEP, 29) })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(await verifyTotp({ secret, token, lastAcceptedStep: STEP, now: at(STEP + 1) })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it("refuses the previous step's code once a later step was accepted", async () => {
    const previous = await totpCodeAt(secret, at(STEP - 1));
    // Within the drift window, so it would be accepted had step STEP not been used.
    expect(await verifyTotp({ secret, token: previous, lastAcceptedStep: STEP - 2, now })).toEqual({
      ok: true,
      step: STEP - 1,
    });
    expect(await verifyTotp({ secret, token: previous, lastAcceptedStep: STEP, now })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('accepts the next code after the last accepted one', async () => {
    const next = await totpCodeAt(secret, at(STEP + 1));
    expect(await verifyTotp({ secret, token: next, lastAcceptedStep: STEP, now: at(STEP + 1) })).toEqual({
      ok: true,
      step: STEP + 1,
    });
  });

  it('accepts one step of clock drift either way, not two', async () => {
    for (const drift of [-1, 1]) {
      const token = await totpCodeAt(secret, at(STEP + drift));
      for (const secondsIn of [0, 10, 29]) {
        expect(await verifyTotp({ secret, token, lastAcceptedStep: null, now: at(STEP, secondsIn) })).toEqual(
          {
            ok: true,
            step: STEP + drift,
          },
        );
      }
    }
    for (const drift of [-2, 2]) {
      const token = await totpCodeAt(secret, at(STEP + drift));
      for (const secondsIn of [0, 10, 29]) {
        expect(await verifyTotp({ secret, token, lastAcceptedStep: null, now: at(STEP, secondsIn) })).toEqual(
          {
            ok: false,
            reason: 'invalid',
          },
        );
      }
    }
  });

  it('refuses everything when the last accepted step is ahead of the window (clock went back)', async () => {
    const token = await totpCodeAt(secret, now);
    expect(await verifyTotp({ secret, token, lastAcceptedStep: STEP + 5, now })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('ignores spaces in the code and refuses garbage without throwing', async () => {
    const token = await totpCodeAt(secret, now);
    expect(
      await verifyTotp({
        secret,
        token: ` ${token.slice(0, 3)} ${token.slice(3)} `,
        lastAcceptedStep: null,
        now,
      }),
    ).toEqual({ ok: true, step: STEP });
    const wrong = String((Number(token) + 1) % 1_000_000).padStart(6, '0');
    for (const garbage of [
      '',
      'abcdef',
      '12345',
      '1234567',
      '12345x',
      '١٢٣٤٥٦',
      `${token}0`,
      wrong,
      '<script>',
    ]) {
      expect(await verifyTotp({ secret, token: garbage, lastAcceptedStep: null, now }), garbage).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
  });

  it('refuses a code made with another secret', async () => {
    const token = await totpCodeAt(newTotpSecret(), now);
    expect(await verifyTotp({ secret, token, lastAcceptedStep: null, now })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('rejects a malformed lastAcceptedStep as a programming error', async () => {
    await expect(verifyTotp({ secret, token: '123456', lastAcceptedStep: -1, now })).rejects.toThrow(
      RangeError,
    );
    await expect(verifyTotp({ secret, token: '123456', lastAcceptedStep: 1.5, now })).rejects.toThrow(
      RangeError,
    );
  });

  it('matches the RFC 6238 test vector (SHA-1, 6 digits)', async () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits: 287082.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(await totpCodeAt(rfcSecret, new Date(59_000))).toBe('287082');
    expect(
      await verifyTotp({ secret: rfcSecret, token: '287082', lastAcceptedStep: null, now: new Date(59_000) }),
    ).toEqual({
      ok: true,
      step: 1,
    });
  });
});

describe('totpQrSvg', () => {
  it('draws an accessible SVG without scripts, style attributes or references', async () => {
    const svg = await totpQrSvg(
      otpauthUri({ secret: newTotpSecret(), accountLabel: 'synthetic.person@example.org' }),
    );
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg).toContain('role="img"');
    expect(svg).toContain(`aria-label="${QR_LABEL}"`);
    expect(svg).toContain(`<title>${QR_LABEL}</title>`);
    expect(svg).toMatch(/<svg[^>]*><title>/);
    expect(svg).toContain('width="240" height="240"');
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toContain(' style=');
    expect(svg).not.toMatch(/<style|href=|url\(/i);
  });

  it('does not carry the secret in readable form', async () => {
    const secret = newTotpSecret();
    const svg = await totpQrSvg(otpauthUri({ secret, accountLabel: 'synthetic.person@example.org' }));
    expect(svg).not.toContain(secret);
    expect(svg).not.toContain('synthetic.person');
  });
});
