/**
 * What translators need, without I/O: which messages of a language are untranslated or not reviewed,
 * and the files they work in — CSV (key, English, translation, status) and XLIFF 2.0 (one unit per
 * message, the status as the segment's state) — read back with every wrong row named.
 */
import {
  CHECKED_STATUSES,
  effectiveStatus,
  slotProblem,
  TRANSLATED_LOCALES,
  TRANSLATION_STATUSES,
  type Catalogue,
  type Locale,
  type MessageKey,
  type TranslationStatus,
} from '../../platform/i18n/index.ts';
import { csvLine } from '../../platform/audit/csv.ts';
import { parseCsv } from '../../platform/csv.ts';

export type TranslatedLocale = Exclude<Locale, 'en'>;
/** How a page counts a message: its status, or out of date when its English changed since. */
export type ShownStatus = TranslationStatus | 'outdated';
export const SHOWN_STATUSES: readonly ShownStatus[] = [...TRANSLATION_STATUSES, 'outdated'];

export interface MessageState {
  key: MessageKey;
  english: string;
  text: string | null;
  status: ShownStatus;
}

export interface LanguageSummary {
  locale: TranslatedLocale;
  total: number;
  counts: Record<ShownStatus, number>;
  /** Messages a fluent speaker has checked (reviewed or approved, English unchanged since). */
  checked: number;
}

/** Every message of a language with its state, in key order. */
export function messageStates(catalogue: Catalogue, locale: TranslatedLocale): MessageState[] {
  return (Object.keys(catalogue.english) as MessageKey[]).sort().map((key) => {
    const status = effectiveStatus(catalogue, locale, key);
    return {
      key,
      english: catalogue.english[key],
      text: catalogue.translations[locale][key].text,
      status: status === 'source' ? 'approved' : status,
    };
  });
}

/** Whether a message still needs a translator or a fluent reviewer. */
export const needsWork = (state: MessageState): boolean =>
  !(CHECKED_STATUSES as readonly string[]).includes(state.status);

/** Counts per status for each language. */
export function languageSummaries(catalogue: Catalogue): LanguageSummary[] {
  return TRANSLATED_LOCALES.map((locale) => {
    const states = messageStates(catalogue, locale);
    const counts = Object.fromEntries(SHOWN_STATUSES.map((s) => [s, 0])) as Record<ShownStatus, number>;
    for (const state of states) counts[state.status] += 1;
    return { locale, total: states.length, counts, checked: states.filter((s) => !needsWork(s)).length };
  });
}

/** One row a translator sent back. */
export interface ImportedRow {
  /** The row's line (CSV) or unit number (XLIFF), for the problem list. */
  line: number;
  key: string;
  english: string;
  text: string;
  status: string;
}

export interface RowProblem {
  line: number;
  key: string;
  message: string;
}

/** The statuses a file may give a translation (untranslated rows are left out of the file's work). */
export const IMPORT_STATUSES: readonly TranslationStatus[] = ['machine', 'drafted', 'reviewed', 'approved'];

/**
 * The rows' problems against the catalogue: an unknown key, English that changed since the file was
 * made, a status that does not exist, placeholders or tags that differ, a key given twice. Empty when
 * every row can be taken. Rows with no translation are skipped (not problems).
 */
export function importProblems(catalogue: Catalogue, rows: readonly ImportedRow[]): RowProblem[] {
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const problem = (message: string) => problems.push({ line: row.line, key: row.key, message });
    if (!(row.key in catalogue.english)) {
      problem('There is no message with this key. Export the file again and translate that one.');
      continue;
    }
    if (seen.has(row.key)) problem('This key is in the file twice. Keep one row.');
    seen.add(row.key);
    const english = catalogue.english[row.key as MessageKey];
    if (row.english !== english)
      problem('The English of this message has changed since the file was made. Export the file again.');
    if (row.text.trim() === '') continue;
    if (!(IMPORT_STATUSES as readonly string[]).includes(row.status))
      problem(`The status must be one of ${IMPORT_STATUSES.join(', ')} (not "${row.status}").`);
    const slots = slotProblem(english, row.text);
    if (slots) problem(`The translation ${slots}. Keep the placeholders and tags of the English.`);
  }
  return problems;
}

const CSV_HEADER = ['key', 'english', 'translation', 'status'];

/** The CSV file of messages for translators: key, English, translation, status. */
export function translationsCsv(states: readonly MessageState[]): string {
  return (
    csvLine(CSV_HEADER) +
    states
      .map((s) => csvLine([s.key, s.english, s.text ?? '', s.status === 'outdated' ? 'drafted' : s.status]))
      .join('')
  );
}

/** A cell as written: the `'` put before a leading `=`, `+`, `-` or `@` (so no spreadsheet runs it) taken off. */
const cellText = (cell: string | undefined): string => (cell ?? '').replace(/^'(?=[=+\-@\t\r])/, '');

/** Reads a CSV file of translations; throws a message for a file that is not one. */
export function rowsFromCsv(text: string): ImportedRow[] {
  const cells = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (cells[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = CSV_HEADER.map((name) => header.indexOf(name));
  if (at.some((i) => i < 0))
    throw new Error(
      `The first row must name the columns ${CSV_HEADER.join(', ')} (as the exported file does).`,
    );
  const [k, e, t, s] = at as [number, number, number, number];
  return cells.slice(1).flatMap((row, i) =>
    row.every((c) => c.trim() === '')
      ? []
      : [
          {
            line: i + 2,
            key: row[k]?.trim() ?? '',
            english: cellText(row[e]),
            text: cellText(row[t]),
            status: (row[s] ?? '').trim(),
          },
        ],
  );
}

const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:2.0';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescapeXml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');

/** XLIFF 2.0's segment states for ours: checked statuses are `reviewed` and `final`. */
const XLIFF_STATE: Record<TranslationStatus, string> = {
  untranslated: 'initial',
  machine: 'translated',
  drafted: 'translated',
  reviewed: 'reviewed',
  approved: 'final',
};

/**
 * The XLIFF 2.0 file of messages for translators: a unit per message (id = key), its English as the
 * source, the translation as the target, the status as the segment's `state` and, exactly, its
 * `subState` (`nwd:drafted`).
 */
export function translationsXliff(locale: TranslatedLocale, states: readonly MessageState[]): string {
  const units = states.map((s) => {
    const status: TranslationStatus = s.status === 'outdated' ? 'drafted' : s.status;
    const target = s.text === null ? '' : `<target>${escapeXml(s.text)}</target>`;
    return `    <unit id="${escapeXml(s.key)}">
      <segment state="${XLIFF_STATE[status]}" subState="nwd:${status}">
        <source>${escapeXml(s.english)}</source>${target}
      </segment>
    </unit>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="${XLIFF_NS}" version="2.0" srcLang="en" trgLang="${locale}">
  <file id="no-wrong-door-public-pages">
${units.join('\n')}
  </file>
</xliff>
`;
}

const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/**
 * Reads an XLIFF 2.0 file of translations (the shape `translationsXliff` writes; a translation tool keeps
 * it): each unit's id, source, target and status (its `nwd:` subState, else its state). Throws a message
 * for a file that is not XLIFF 2.0 or is for another language.
 */
export function rowsFromXliff(text: string, locale: TranslatedLocale): ImportedRow[] {
  const root = /<xliff\b[^>]*>/.exec(text)?.[0];
  if (!root || attribute(root, 'version') !== '2.0')
    throw new Error(
      'This is not an XLIFF 2.0 file. Send back the file as it was exported, with the translations in it.',
    );
  const target = attribute(root, 'trgLang');
  if (target !== locale)
    throw new Error(
      `This file is for the language "${target ?? 'none'}", not "${locale}". Choose its language.`,
    );
  const rows: ImportedRow[] = [];
  const units = text.matchAll(/<unit\b([^>]*)>([\s\S]*?)<\/unit>/g);
  let n = 0;
  for (const [, attrs, body] of units) {
    n += 1;
    const segment = /<segment\b([^>]*)>/.exec(body ?? '')?.[1] ?? '';
    const sub = attribute(segment, 'subState');
    const state = attribute(segment, 'state') ?? 'initial';
    const status = sub?.startsWith('nwd:')
      ? sub.slice(4)
      : (Object.entries(XLIFF_STATE).find(([s, x]) => x === state && s !== 'machine')?.[0] ?? state);
    const inner = (name: string) => {
      const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(body ?? '');
      return m ? unescapeXml(m[1] ?? '') : '';
    };
    rows.push({
      line: n,
      key: unescapeXml(attribute(` ${attrs ?? ''}`, 'id') ?? ''),
      english: inner('source'),
      text: inner('target'),
      status,
    });
  }
  return rows;
}
