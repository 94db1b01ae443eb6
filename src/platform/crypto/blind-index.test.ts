import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BlindIndexKey, blindIndex, indexInput, normaliseForIndex } from './blind-index.ts';

describe('blind indexes', () => {
  const secret = randomBytes(32);
  const email = new BlindIndexKey('staff-email', secret);

  it('are 16 bytes of hex and the same for the same key, purpose and value', () => {
    const value = blindIndex(email, 'synthetic.person@example.org');
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    expect(blindIndex(new BlindIndexKey('staff-email', secret), 'synthetic.person@example.org')).toBe(value);
    expect(blindIndex(email, 'synthetic.person2@example.org')).not.toBe(value);
  });

  it('are unrelated across purposes and across keys', () => {
    const value = 'synthetic.person@example.org';
    const other = new BlindIndexKey('person-email', secret);
    expect(blindIndex(other, value)).not.toBe(blindIndex(email, value));
    expect(blindIndex(new BlindIndexKey('staff-email', randomBytes(32)), value)).not.toBe(
      blindIndex(email, value),
    );
  });

  it('refuse odd purposes and short secrets', () => {
    expect(() => new BlindIndexKey('Staff Email', secret)).toThrow(/purpose must match/);
    expect(() => new BlindIndexKey('staff-email', randomBytes(16))).toThrow(/at least 32 bytes/);
  });

  it('normalise case, Unicode forms and whitespace', () => {
    expect(normaliseForIndex('  Synthetic\t PERSON  Zyxwv ')).toBe('synthetic person zyxwv');
    expect(normaliseForIndex('Ｚｙｘｗｖ')).toBe('zyxwv'); // full-width letters (NFKC)
    expect(normaliseForIndex('Zoe\u0301')).toBe(normaliseForIndex('Zo\u00e9'));
  });

  it('join parts without ambiguity', () => {
    expect(indexInput('a|b', 'c')).not.toBe(indexInput('a', 'b|c'));
    expect(indexInput('synthetic person', '2008-04-01')).toBe('16:synthetic person|10:2008-04-01');
  });

  it('never show the key when printed or serialised', () => {
    const shown = inspect(email) + JSON.stringify({ email });
    expect(shown).toContain('staff-email');
    expect(shown).not.toContain(secret.toString('hex'));
    expect(shown).not.toContain(secret.toString('base64'));
  });
});
