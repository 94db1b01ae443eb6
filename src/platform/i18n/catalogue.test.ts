/**
 * The shipped catalogue: every language has every key, each translation keeps its English's
 * placeholders and tags, statuses are honest, and the words that keep young people safe hold.
 */
import { describe, expect, it } from 'vitest';
import {
  checkedTranslations,
  shippedCatalogue,
  slotProblem,
  TRANSLATED_LOCALES,
  type MessageKey,
} from './index.ts';

const catalogue = shippedCatalogue();
const keys = Object.keys(catalogue.english) as MessageKey[];

describe('the shipped catalogue', () => {
  it('has every English key in every language, and nothing else', () => {
    expect(keys.length).toBeGreaterThan(20);
    for (const locale of TRANSLATED_LOCALES)
      expect(Object.keys(catalogue.translations[locale]).sort(), locale).toEqual([...keys].sort());
  });

  it('keeps each English message’s placeholders and tags in every translation', () => {
    const problems: string[] = [];
    for (const key of keys) {
      expect(() => slotProblem(catalogue.english[key], catalogue.english[key]), key).not.toThrow();
      for (const locale of TRANSLATED_LOCALES) {
        const text = catalogue.translations[locale][key].text;
        const problem = text === null ? null : slotProblem(catalogue.english[key], text);
        if (problem) problems.push(`${locale} ${key}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('claims no review nobody has done: every translation shipped is drafted, machine or untranslated', () => {
    for (const locale of TRANSLATED_LOCALES)
      for (const key of keys)
        expect(['untranslated', 'machine', 'drafted'], `${locale} ${key}`).toContain(
          catalogue.translations[locale][key].status,
        );
  });

  it('keeps phone numbers, 911 and the site name the same in every language', () => {
    for (const key of keys) {
      const numbers = catalogue.english[key].match(/\b911\b|\d{3}-\d{3}-\d{4}/g) ?? [];
      for (const locale of TRANSLATED_LOCALES) {
        const text = catalogue.translations[locale][key].text;
        if (text === null) continue;
        for (const number of numbers) expect(text, `${locale} ${key}`).toContain(number);
      }
    }
    for (const locale of TRANSLATED_LOCALES)
      expect(catalogue.translations[locale]['layout.siteName'].text).toBe('No Wrong Door');
  });

  it('uses no word for "prostitute" in any language', () => {
    // English, Spanish, Somali and Hmong words that label a young person (DOMAIN.md §2).
    const banned = /prostitut|\bpatron\b|\bjillaab|dhillo|\bniam ntiav\b|poj niam muag cev/i;
    for (const key of keys) {
      expect(catalogue.english[key], key).not.toMatch(banned);
      for (const locale of TRANSLATED_LOCALES)
        expect(catalogue.translations[locale][key].text ?? '', `${locale} ${key}`).not.toMatch(banned);
    }
  });
});

describe('checking a language file', () => {
  const english = ['a.one', 'a.two'];
  const good = {
    'a.one': { text: 'Uno', status: 'drafted', source: 'One' },
    'a.two': { text: null, status: 'untranslated' },
  };

  it('accepts a complete file', () => {
    expect(
      (checkedTranslations('es', good, english) as Record<string, { text: string | null }>)['a.one']?.text,
    ).toBe('Uno');
  });

  it('fails on a missing key, naming it', () => {
    const { 'a.two': _, ...missing } = good;
    expect(() => checkedTranslations('es', missing, english)).toThrow(/"a\.two"/);
  });

  it('fails on a key English does not have', () => {
    expect(() => checkedTranslations('es', { ...good, 'a.three': good['a.one'] }, english)).toThrow(
      /"a\.three" is not an English key/,
    );
  });

  it('fails on an unknown status and on text marked untranslated', () => {
    expect(() =>
      checkedTranslations('es', { ...good, 'a.one': { text: 'Uno', status: 'done' } }, english),
    ).toThrow(/"a\.one"/);
    expect(() =>
      checkedTranslations('es', { ...good, 'a.two': { text: 'Dos', status: 'untranslated' } }, english),
    ).toThrow(/"a\.two"/);
  });
});

describe('placeholders and tags', () => {
  it('finds a renamed, missing or added placeholder or tag', () => {
    expect(slotProblem('Call {name}', 'Llame a {name}')).toBeNull();
    expect(slotProblem('Call {name}', 'Llame a {nombre}')).toBe(
      'has {nombre} and lacks {name} (English: {name})',
    );
    expect(slotProblem('Read <link>this</link>', 'Lea esto')).toMatch(/lacks <link>/);
    expect(slotProblem('{n, plural, one {# bed} other {# beds}}', '{n, plural, other {# camas}}')).toBeNull();
    expect(
      slotProblem('{n, plural, one {# bed} other {# beds}}', '{count, plural, other {# camas}}'),
    ).toMatch(/has \{count\}/);
    expect(slotProblem('Hi', 'Hola {')).toMatch(/does not parse/);
  });
});
