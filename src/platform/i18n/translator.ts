/**
 * Messages for one page in one language. A route makes one translator per request (`frame.t`); the
 * public layout hands it to every component below it (`useT()`), and reads afterwards which statuses
 * the page used, to say when its translation is not yet checked.
 *
 * A missing translation shows the English, wrapped in `<span lang="en">` so a screen reader reads it
 * as English.
 */
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { createContext, jsx, useContext, type Child } from 'hono/jsx';
import { currentCatalogue, effectiveStatus, type Catalogue, type MessageKey } from './catalogue.ts';
import { localePath, type Locale } from './locales.ts';

/** A placeholder's value: text or a number (dates go in as `t.date(…)`); a tag's value renders its words (`<link>…</link>`). */
export type MessageValues = Record<string, PrimitiveType | Date | ((chunks: Child[]) => Child)>;

/** The time zone every date on the public pages is shown in. */
export const PUBLIC_TIME_ZONE = 'America/Chicago';

/** Intl has no Hmong data: its dates are put together from these (drafted; see the catalogue). */
const HMONG_NUMBERS = [
  '',
  'Ib',
  'Ob',
  'Peb',
  'Plaub',
  'Tsib',
  'Rau',
  'Xya',
  'Yim',
  'Cuaj',
  'Kaum',
  'Kaum Ib',
  'Kaum Ob',
];
const HMONG_DAYS = ['Hnub Xya', 'Hnub Ib', 'Hnub Ob', 'Hnub Peb', 'Hnub Plaub', 'Hnub Tsib', 'Hnub Rau'];

const formats = new Map<string, IntlMessageFormat>();

/** Compiled once per language and text (a later translation of the same key is another text). */
function compiled(locale: Locale, text: string): IntlMessageFormat {
  const id = `${locale}\u0000${text}`;
  let format = formats.get(id);
  if (format === undefined) {
    // Hmong has no plural or number rules of its own in Intl: English's serve (Hmong nouns do not inflect).
    format = new IntlMessageFormat(text, locale === 'hmn' ? 'en-US' : locale);
    formats.set(id, format);
  }
  return format;
}

export interface Translator {
  readonly locale: Locale;
  /** The message as page content: text (or words and elements for a message with tags). */
  (key: MessageKey, values?: MessageValues): Child;
  /** The message as plain text, for a title or an attribute (English when there is no translation). */
  text(key: MessageKey, values?: MessageValues): string;
  /**
   * A fact of the pack's public data (a line's description, a service's) in this language: the
   * catalogue's `data.…` entry when its English is still `english`, otherwise `english` marked as English.
   */
  data(key: string, english: string): Child;
  /** `data` as plain text. */
  dataText(key: string, english: string): string;
  /** A site path in this page's language. */
  path(path: string): string;
  /** A day in this language, in Minnesota's time zone: "December 7, 2026" / "7 de diciembre de 2026". */
  date(value: Date, withWeekday?: boolean): string;
  /** The month and year of a calendar day (`YYYY-MM-DD`) in this language: "November 2026", "Lub Kaum Ib Hlis 2026". */
  monthYear(isoDate: string): string;
  /** A time of day in this language, in Minnesota's time zone. */
  time(value: Date): string;
  /** Whether every message this page used so far is English or checked by a fluent speaker. */
  allChecked(): boolean;
}

function dateParts(value: Date): { year: number; month: number; day: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: PUBLIC_TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  }).formatToParts(value);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), weekday };
}

/**
 * A translator for `locale`.
 *
 * @example
 * const t = translator('es');
 * t.text('layout.quickExit'); // 'Salida rápida'
 */
export function translator(locale: Locale, catalogue: Catalogue = currentCatalogue()): Translator {
  let unchecked = false;
  const resolve = (key: MessageKey): { text: string; locale: Locale } => {
    if (locale === 'en') return { text: catalogue.english[key], locale };
    const status = effectiveStatus(catalogue, locale, key);
    if (status !== 'reviewed' && status !== 'approved') unchecked = true;
    const entry = catalogue.translations[locale][key];
    return entry.text === null
      ? { text: catalogue.english[key], locale: 'en' }
      : { text: entry.text, locale };
  };
  const format = (key: MessageKey, values: MessageValues | undefined): { out: Child; locale: Locale } => {
    const { text, locale: shown } = resolve(key);
    if (values === undefined && !text.includes('{') && !text.includes('<') && !text.includes("'"))
      return { out: text, locale: shown };
    const out = compiled(shown, text).format<Child>(values as never) as Child;
    return { out, locale: shown };
  };
  const t = ((key: MessageKey, values?: MessageValues) => {
    const { out, locale: shown } = format(key, values);
    return shown === locale ? out : jsx('span', { lang: shown }, out);
  }) as Translator;
  Object.defineProperty(t, 'locale', { value: locale });
  t.text = (key, values) => {
    const { out } = format(key, values);
    return Array.isArray(out) ? out.join('') : String(out);
  };
  const dataEntry = (key: string, english: string): string | null => {
    if (locale === 'en') return english;
    const known = (catalogue.english as Record<string, string>)[key];
    const entry = (catalogue.translations[locale] as Record<string, { text: string | null; status: string }>)[
      key
    ];
    if (known !== english || entry === undefined || entry.text === null) {
      unchecked = true;
      return null;
    }
    if (entry.status !== 'reviewed' && entry.status !== 'approved') unchecked = true;
    return entry.text;
  };
  t.data = (key, english) => {
    const text = dataEntry(key, english);
    return text === null ? jsx('span', { lang: 'en' }, english) : text;
  };
  t.dataText = (key, english) => dataEntry(key, english) ?? english;
  t.path = (path) => localePath(locale, path);
  t.date = (value, withWeekday = false) => {
    if (locale === 'hmn') {
      const { year, month, day, weekday } = dateParts(value);
      const date = `${day} Lub ${HMONG_NUMBERS[month]} Hlis ${year}`;
      return withWeekday ? `${HMONG_DAYS[weekday]}, ${date}` : date;
    }
    return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : locale, {
      timeZone: PUBLIC_TIME_ZONE,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      ...(withWeekday ? { weekday: 'long' as const } : {}),
    }).format(value);
  };
  t.monthYear = (isoDate) => {
    const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
    if (locale === 'hmn') return `Lub ${HMONG_NUMBERS[date.getUTCMonth() + 1]} Hlis ${date.getUTCFullYear()}`;
    return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : locale, {
      timeZone: 'UTC',
      month: 'long',
      year: 'numeric',
    }).format(date);
  };
  t.time = (value) =>
    new Intl.DateTimeFormat(locale === 'hmn' || locale === 'en' ? 'en-US' : locale, {
      timeZone: PUBLIC_TIME_ZONE,
      hour: 'numeric',
      minute: '2-digit',
    }).format(value);
  t.allChecked = () => !unchecked;
  return t;
}

const I18nContext = createContext<Translator | null>(null);

/** Hands `t` to every component rendered inside. */
export const TranslatorProvider = I18nContext.Provider;

/** The page's translator, inside the public layout (English outside one, as in a unit test of a view). */
export function useT(): Translator {
  return useContext(I18nContext) ?? translator('en');
}
