/**
 * Use cases of translations: the state of each language, the files for translators, and taking their
 * work back in. Translations made after shipping live in the database (`translations`) over the shipped
 * catalogue; every instance loads them at start and every minute, and the instance that imports uses
 * them at once.
 */
import type { Database } from '../../db/database.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { InputError } from '../../platform/errors.ts';
import {
  currentCatalogue,
  isLocale,
  shippedCatalogue,
  useCatalogue,
  withTranslations,
  type Catalogue,
  type LaterTranslation,
  type MessageKey,
  type TranslationStatus,
} from '../../platform/i18n/index.ts';
import type { Logger } from '../../platform/log.ts';
import * as q from './queries.ts';
import {
  importProblems,
  languageSummaries,
  messageStates,
  needsWork,
  rowsFromCsv,
  rowsFromXliff,
  translationsCsv,
  translationsXliff,
  type ImportedRow,
  type LanguageSummary,
  type MessageState,
  type RowProblem,
  type TranslatedLocale,
} from './rules.ts';

export type FileFormat = 'csv' | 'xliff';

export interface TranslationsContext {
  db: Database;
}

/** The catalogue with the database's translations over the shipped one. */
export async function loadedCatalogue(db: Database): Promise<Catalogue> {
  return withTranslations(shippedCatalogue(), await q.laterTranslations(db));
}

/** Loads the database's translations and puts them in use on this instance. */
export async function refreshTranslations(db: Database): Promise<void> {
  useCatalogue(await loadedCatalogue(db));
}

/**
 * Keeps this instance's catalogue up to date: now, then every `everyMs` (another instance's import
 * shows here within that time). Returns the stop function.
 */
export function keepTranslationsFresh(db: Database, log: Logger, everyMs = 60_000): () => void {
  const refresh = () =>
    refreshTranslations(db).catch((error: unknown) =>
      log.warn({ err: String(error) }, 'could not load the translations; pages keep the ones in memory'),
    );
  void refresh();
  const timer = setInterval(refresh, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A language code from a form or command: one of the translated languages. */
export function translatedLocale(value: string | undefined): TranslatedLocale {
  if (!isLocale(value) || value === 'en')
    throw new InputError('Choose a language: es (Spanish), so (Somali) or hmn (Hmong).', 'locale');
  return value;
}

export interface TranslationOverview {
  summaries: LanguageSummary[];
  locale: TranslatedLocale;
  /** The language's messages that need a translator or a reviewer (or all of them, when asked). */
  messages: MessageState[];
}

/** Each language's counts, and one language's messages that need work. */
export async function translationOverview(
  ctx: TranslationsContext,
  actor: Actor,
  locale: TranslatedLocale,
  all = false,
): Promise<TranslationOverview> {
  authorize(actor, 'translations.manage');
  const catalogue = await loadedCatalogue(ctx.db);
  const states = messageStates(catalogue, locale);
  return {
    summaries: languageSummaries(catalogue),
    locale,
    messages: all ? states : states.filter(needsWork),
  };
}

export interface TranslationFile {
  fileName: string;
  contentType: string;
  body: string;
}

/** The file translators work in: a language's messages that need work (or all), as CSV or XLIFF 2.0. */
export async function translationFile(
  ctx: TranslationsContext,
  actor: Actor,
  locale: TranslatedLocale,
  format: FileFormat,
  all = false,
): Promise<TranslationFile> {
  authorize(actor, 'translations.manage');
  return commandLineFile(ctx, locale, format, all);
}

/** `translationFile` for the command line, whose operator runs the service (messages hold no personal data). */
export async function commandLineFile(
  ctx: TranslationsContext,
  locale: TranslatedLocale,
  format: FileFormat,
  all = false,
): Promise<TranslationFile> {
  const states = messageStates(await loadedCatalogue(ctx.db), locale);
  const messages = all ? states : states.filter(needsWork);
  const name = `no-wrong-door-${locale}-${all ? 'all' : 'to-do'}`;
  return format === 'csv'
    ? { fileName: `${name}.csv`, contentType: 'text/csv; charset=utf-8', body: translationsCsv(messages) }
    : {
        fileName: `${name}.xlf`,
        contentType: 'application/xliff+xml; charset=utf-8',
        body: translationsXliff(locale, messages),
      };
}

export type ImportOutcome =
  | { ok: true; imported: number; skipped: number; statuses: Partial<Record<TranslationStatus, number>> }
  | { ok: false; problems: RowProblem[] };

/**
 * Takes a translator's file back: every row checked first; when any is wrong, the answer lists each
 * wrong row and nothing is written. Otherwise all rows with a translation are written in one
 * transaction with one audit record, and this instance uses them at once. Rows left empty are skipped.
 */
export async function importTranslations(
  ctx: TranslationsContext,
  actor: Actor,
  origin: { ip: string | null; userAgent: string | null },
  locale: TranslatedLocale,
  format: FileFormat,
  content: string,
): Promise<ImportOutcome> {
  authorize(actor, 'translations.manage');
  let rows: ImportedRow[];
  try {
    rows = format === 'csv' ? rowsFromCsv(content) : rowsFromXliff(content, locale);
  } catch (error) {
    throw new InputError((error as Error).message, 'file');
  }
  if (rows.length === 0) throw new InputError('The file has no messages in it.', 'file');
  const catalogue = currentCatalogue();
  const problems = importProblems(catalogue, rows);
  if (problems.length > 0) return { ok: false, problems };
  const taken: LaterTranslation[] = rows
    .filter((r) => r.text.trim() !== '')
    .map((r) => ({
      locale,
      key: r.key,
      text: r.text,
      status: r.status as TranslationStatus,
      source: catalogue.english[r.key as MessageKey],
    }));
  const statuses: Partial<Record<TranslationStatus, number>> = {};
  for (const row of taken) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  await ctx.db.transaction().execute(async (trx) => {
    await q.saveTranslations(trx, taken, actor.userId);
    await recordActorAudit(trx, actor, origin, {
      action: 'translations.import',
      subjectType: 'language',
      subjectId: locale,
      details: { format, rows: rows.length, imported: taken.length, ...statuses },
    });
  });
  await refreshTranslations(ctx.db);
  return { ok: true, imported: taken.length, skipped: rows.length - taken.length, statuses };
}
