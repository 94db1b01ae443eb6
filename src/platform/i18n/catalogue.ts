/**
 * The message catalogue: one JSON file per language in `catalogue/`, loaded once at start.
 *
 * `en.json` holds the English messages (the source), key → ICU MessageFormat text. Each other language's
 * file holds every key, with its translation and that translation's status:
 *
 * - `untranslated` — no text yet (`text` null): the page shows the English, marked `lang="en"`;
 * - `machine` — machine translated, not checked by anyone;
 * - `drafted` — drafted by someone who is not a checked fluent speaker;
 * - `reviewed` — checked by a fluent speaker;
 * - `approved` — approved for publication by the network.
 *
 * `source` is the English the translation was made from: when the English changes, the translation is
 * out of date (shown, but listed for review and counted as not reviewed).
 *
 * A key missing from any language's file fails the type check (`npm run lint`): the assignments below
 * need every key of `en.json`. The catalogue test checks placeholders and tags.
 */
import en from './catalogue/en.json' with { type: 'json' };
import es from './catalogue/es.json' with { type: 'json' };
import hmn from './catalogue/hmn.json' with { type: 'json' };
import so from './catalogue/so.json' with { type: 'json' };
import { z } from 'zod';
import { LOCALES, type Locale } from './locales.ts';

export type MessageKey = keyof typeof en;

export const TRANSLATION_STATUSES = ['untranslated', 'machine', 'drafted', 'reviewed', 'approved'] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];

/** Statuses a fluent speaker has checked: a page made only of these (and English) needs no notice. */
export const CHECKED_STATUSES: readonly TranslationStatus[] = ['reviewed', 'approved'];

export interface TranslationEntry {
  text: string | null;
  status: string;
  source?: string;
}

// The type check of completeness: each language's file must have every English key.
const translated: Record<Exclude<Locale, 'en'>, Record<MessageKey, TranslationEntry>> = { es, so, hmn };

const Entry = z
  .object({
    text: z.string().min(1).nullable(),
    status: z.enum(TRANSLATION_STATUSES),
    source: z.string().optional(),
  })
  .strict()
  .refine((entry) => (entry.text === null) === (entry.status === 'untranslated'), {
    message: 'an untranslated entry has no text, and an entry with text is not untranslated',
  });
export type Translation = z.infer<typeof Entry>;

export interface Catalogue {
  english: Readonly<Record<MessageKey, string>>;
  translations: Readonly<Record<Exclude<Locale, 'en'>, Readonly<Record<MessageKey, Translation>>>>;
}

/** Reads and checks a language's entries; a wrong entry stops the start with its key named. */
export function checkedTranslations(
  locale: string,
  entries: Record<string, unknown>,
  keys: readonly string[],
): Record<MessageKey, Translation> {
  const out: Record<string, Translation> = {};
  for (const key of keys) {
    const parsed = Entry.safeParse(entries[key]);
    if (!parsed.success)
      throw new Error(
        `catalogue/${locale}.json: "${key}": ${parsed.error.issues[0]?.message ?? 'not valid'}`,
      );
    out[key] = parsed.data;
  }
  for (const key of Object.keys(entries))
    if (!keys.includes(key)) throw new Error(`catalogue/${locale}.json: "${key}" is not an English key`);
  return out as Record<MessageKey, Translation>;
}

let loaded: Catalogue | undefined;

/** The catalogue shipped with the product, checked once. */
export function shippedCatalogue(): Catalogue {
  if (loaded) return loaded;
  const keys = Object.keys(en);
  loaded = {
    english: en,
    translations: {
      es: checkedTranslations('es', translated.es, keys),
      so: checkedTranslations('so', translated.so, keys),
      hmn: checkedTranslations('hmn', translated.hmn, keys),
    },
  };
  return loaded;
}

/** A translation made after shipping, standing over the shipped entry of its language and key. */
export interface LaterTranslation {
  locale: Exclude<Locale, 'en'>;
  key: string;
  text: string | null;
  status: TranslationStatus;
  source: string;
}

/**
 * The shipped catalogue with later translations over it (rows for keys the English no longer has are
 * left out).
 */
export function withTranslations(base: Catalogue, rows: readonly LaterTranslation[]): Catalogue {
  if (rows.length === 0) return base;
  const translations = {
    es: { ...base.translations.es },
    so: { ...base.translations.so },
    hmn: { ...base.translations.hmn },
  };
  for (const row of rows) {
    if (!(row.key in base.english)) continue;
    translations[row.locale][row.key as MessageKey] = {
      text: row.text,
      status: row.status,
      source: row.source,
    };
  }
  return { english: base.english, translations };
}

let current: Catalogue | undefined;

/** The catalogue pages use now: the shipped one, with later translations once they are loaded. */
export function currentCatalogue(): Catalogue {
  return current ?? shippedCatalogue();
}

/** Puts a catalogue in use for every page from the next request on. */
export function useCatalogue(catalogue: Catalogue): void {
  current = catalogue;
}

/** A translation's status as a page counts it: out of date when its English has changed since. */
export function effectiveStatus(
  catalogue: Catalogue,
  locale: Locale,
  key: MessageKey,
): TranslationStatus | 'source' | 'outdated' {
  if (locale === 'en') return 'source';
  const entry = catalogue.translations[locale][key];
  if (
    entry.status !== 'untranslated' &&
    entry.source !== undefined &&
    entry.source !== catalogue.english[key]
  )
    return 'outdated';
  return entry.status;
}

export const TRANSLATED_LOCALES = LOCALES.filter((l): l is Exclude<Locale, 'en'> => l !== 'en');
