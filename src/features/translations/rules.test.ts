/**
 * The translators' files and the checks of their work, without a database: CSV and XLIFF 2.0 written and
 * read back unchanged (with quotes, ampersands, tags and a leading "-"), and each kind of wrong row named.
 */
import { describe, expect, it } from 'vitest';
import { shippedCatalogue, type Catalogue, type MessageKey } from '../../platform/i18n/index.ts';
import {
  importProblems,
  languageSummaries,
  messageStates,
  needsWork,
  rowsFromCsv,
  rowsFromXliff,
  translationsCsv,
  translationsXliff,
  type MessageState,
} from './rules.ts';

const catalogue = shippedCatalogue();
const english = (key: string) => catalogue.english[key as MessageKey];

const states: MessageState[] = [
  { key: 'layout.call' as MessageKey, english: 'Call', text: 'Llamar', status: 'reviewed' },
  {
    key: 'layout.draftNotice' as MessageKey,
    english: 'Read <link>it</link> & "this"',
    text: '- Lea <link>esto</link> & "eso" <b>',
    status: 'drafted',
  },
  { key: 'layout.skip' as MessageKey, english: 'Skip, to main\ncontent', text: null, status: 'untranslated' },
];

describe('the CSV file', () => {
  it('reads back what it wrote', () => {
    const rows = rowsFromCsv(translationsCsv(states));
    expect(rows.map((r) => [r.key, r.english, r.text, r.status])).toEqual([
      ['layout.call', 'Call', 'Llamar', 'reviewed'],
      [
        'layout.draftNotice',
        'Read <link>it</link> & "this"',
        '- Lea <link>esto</link> & "eso" <b>',
        'drafted',
      ],
      ['layout.skip', 'Skip, to main\ncontent', '', 'untranslated'],
    ]);
    // Records are counted, the header being the first (a line break inside quotes starts no record).
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('keeps a cell a spreadsheet would run as a formula from running', () => {
    expect(translationsCsv(states)).toContain(`"'- Lea`);
  });

  it('refuses a file without the columns', () => {
    expect(() => rowsFromCsv('a,b\n1,2\n')).toThrow(/key, english, translation, status/);
  });
});

describe('the XLIFF 2.0 file', () => {
  const xliff = translationsXliff('es', states);

  it('is XLIFF 2.0 for the language, a unit per message with its state', () => {
    expect(xliff).toContain(
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">',
    );
    expect(xliff).toContain('<segment state="reviewed" subState="nwd:reviewed">');
    expect(xliff).toContain('<segment state="initial" subState="nwd:untranslated">');
    expect(xliff).toContain('<source>Read &lt;link&gt;it&lt;/link&gt; &amp; &quot;this&quot;</source>');
  });

  it('reads back what it wrote', () => {
    expect(rowsFromXliff(xliff, 'es').map((r) => [r.key, r.english, r.text, r.status])).toEqual(
      states.map((s) => [s.key, s.english, s.text ?? '', s.status]),
    );
  });

  it('reads a state without our subState (a tool that dropped it)', () => {
    const plain = xliff.replace(/ subState="[^"]*"/g, '');
    expect(rowsFromXliff(plain, 'es').map((r) => r.status)).toEqual(['reviewed', 'drafted', 'untranslated']);
  });

  it('refuses another language’s file and a file that is not XLIFF 2.0', () => {
    expect(() => rowsFromXliff(xliff, 'so')).toThrow(/for the language "es", not "so"/);
    expect(() => rowsFromXliff('<xliff version="1.2"></xliff>', 'es')).toThrow(/not an XLIFF 2\.0 file/);
    expect(() => rowsFromXliff('key,english', 'es')).toThrow(/not an XLIFF 2\.0 file/);
  });
});

describe('checking a translator’s rows', () => {
  const row = (key: string, text: string, status = 'reviewed', line = 2) => ({
    line,
    key,
    english: english(key),
    text,
    status,
  });

  it('takes rows that fit, and skips rows with no translation', () => {
    expect(
      importProblems(catalogue, [
        row('layout.call', 'Llamar'),
        row('layout.skip', ''),
        row('layout.title', '{title} | NWD'),
      ]),
    ).toEqual([]);
  });

  it('names each wrong row: unknown key, changed English, status, placeholders, twice', () => {
    const problems = importProblems(catalogue, [
      { ...row('layout.call', 'x'), key: 'no.such.key', line: 2 },
      { ...row('layout.call', 'Llamar', 'reviewed', 3), english: 'Phone' },
      row('layout.text', 'Texto', 'done', 4),
      row('layout.title', '{titulo} | NWD', 'drafted', 5),
      row('layout.freeAnyTime', '{name}, gratis:', 'drafted', 6),
      row('layout.text', 'Texto', 'drafted', 7),
    ]);
    expect(problems.map((p) => [p.line, p.key])).toEqual([
      [2, 'no.such.key'],
      [3, 'layout.call'],
      [4, 'layout.text'],
      [5, 'layout.title'],
      [6, 'layout.freeAnyTime'],
      [7, 'layout.text'],
    ]);
    expect(problems[0]!.message).toMatch(/no message with this key/);
    expect(problems[1]!.message).toMatch(/English of this message has changed/);
    expect(problems[2]!.message).toMatch(/status must be one of machine, drafted, reviewed, approved/);
    expect(problems[3]!.message).toMatch(/has \{titulo\} and lacks \{title\}/);
    expect(problems[4]!.message).toMatch(/lacks <b>/);
    expect(problems[5]!.message).toMatch(/twice/);
  });
});

describe('each language’s state', () => {
  it('counts statuses, and an entry whose English changed as out of date', () => {
    const changed: Catalogue = {
      english: { ...catalogue.english, 'layout.call': 'Phone' },
      translations: catalogue.translations,
    };
    const es = languageSummaries(changed).find((s) => s.locale === 'es')!;
    expect(es.total).toBe(Object.keys(catalogue.english).length);
    expect(es.counts.outdated).toBe(1);
    expect(es.counts.drafted + es.counts.outdated + es.counts.untranslated + es.counts.machine).toBe(
      es.total,
    );
    expect(es.checked).toBe(0);
    const call = messageStates(changed, 'es').find((m) => m.key === 'layout.call')!;
    expect([call.status, needsWork(call)]).toEqual(['outdated', true]);
  });
});
