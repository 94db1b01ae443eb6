import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RECOVERY_CODE_ALPHABET,
  hashRecoveryCode,
  matchRecoveryCode,
  newRecoveryCodes,
  normaliseRecoveryCode,
} from './recovery-codes.ts';

const key = randomBytes(32);

describe('recovery codes', () => {
  it('are ten, all different, formatted ABCDE-FGHJK from an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
      expect(code).not.toMatch(/[01OIL]/);
    }
    expect(RECOVERY_CODE_ALPHABET).toHaveLength(31);
    expect(RECOVERY_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('use the whole alphabet (no fixed characters)', () => {
    const seen = new Set(Array.from({ length: 40 }, newRecoveryCodes).flat().join('').replace(/-/g, ''));
    expect(seen.size).toBe(RECOVERY_CODE_ALPHABET.length);
  });

  it('hash to 64 hex characters, the same for any way of typing the code, different per key', () => {
    const stored = hashRecoveryCode('ABCDE-FGHJK', key);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('abcdefghjk', key)).toBe(stored);
    expect(hashRecoveryCode(' abcde fghjk ', key)).toBe(stored);
    expect(hashRecoveryCode('ＡＢＣＤＥ–ＦＧＨＪＫ', key)).toBe(stored); // full-width, en dash
    expect(hashRecoveryCode('ABCDE-FGHJK', randomBytes(32))).not.toBe(stored);
    expect(hashRecoveryCode('ABCDE-FGHJM', key)).not.toBe(stored);
  });

  it('refuse short keys and things that are not codes when hashing', () => {
    expect(() => hashRecoveryCode('ABCDE-FGHJK', randomBytes(16))).toThrow(/at least 32 bytes/);
    expect(() => hashRecoveryCode('ABCDE-FGHJ', key)).toThrow(RangeError);
    expect(() => hashRecoveryCode('ABCDE-FGHJ0', key)).toThrow(RangeError);
    expect(normaliseRecoveryCode('abcde-fghjk')).toBe('ABCDEFGHJK');
    expect(normaliseRecoveryCode('OOOOO-IIIII')).toBeUndefined();
  });

  it('match case- and hyphen-insensitively, returning the index', () => {
    const codes = newRecoveryCodes();
    const hashes = codes.map((code) => hashRecoveryCode(code, key));
    codes.forEach((code, index) => {
      expect(matchRecoveryCode(code, hashes, key)).toBe(index);
      expect(matchRecoveryCode(code.toLowerCase(), hashes, key)).toBe(index);
      expect(matchRecoveryCode(code.replace('-', ''), hashes, key)).toBe(index);
      expect(matchRecoveryCode(` ${code.slice(0, 5)} ${code.slice(6)} `.toLowerCase(), hashes, key)).toBe(
        index,
      );
    });
  });

  it('do not match other codes, garbage, another key or damaged hashes', () => {
    const codes = newRecoveryCodes();
    const hashes = codes.map((code) => hashRecoveryCode(code, key));
    const other = newRecoveryCodes().find((code) => !codes.includes(code))!;
    expect(matchRecoveryCode(other, hashes, key)).toBe(-1);
    for (const garbage of ['', '-', 'ABCDE', `${codes[0]}X`, '<script>', 'x'.repeat(10_000)]) {
      expect(matchRecoveryCode(garbage, hashes, key), garbage).toBe(-1);
    }
    expect(matchRecoveryCode(codes[0]!, hashes, randomBytes(32))).toBe(-1);
    expect(matchRecoveryCode(codes[0]!, ['', 'zz', hashes[0]!.slice(2)], key)).toBe(-1);
    expect(matchRecoveryCode(codes[0]!, ['', hashes[0]!.toUpperCase()], key)).toBe(1);
    expect(matchRecoveryCode(codes[0]!, [], key)).toBe(-1);
  });

  it('work once: a code removed by the caller after use no longer matches', () => {
    const codes = newRecoveryCodes();
    let hashes = codes.map((code) => hashRecoveryCode(code, key));
    const used = codes[3]!;
    const index = matchRecoveryCode(used, hashes, key);
    expect(index).toBe(3);
    hashes = hashes.filter((_, i) => i !== index);
    expect(hashes).toHaveLength(9);
    expect(matchRecoveryCode(used, hashes, key)).toBe(-1);
    expect(matchRecoveryCode(codes[4]!, hashes, key)).toBe(3); // the others still work
  });
});
