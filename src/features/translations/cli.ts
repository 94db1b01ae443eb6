/**
 * `nwd i18n status|export|import`: the state of each language's translations, the files for translators,
 * and their work taken back (as a named state administrator, with the page's checks and audit).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Database } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { InputError } from '../../platform/errors.ts';
import { LOCALE_ENGLISH_NAMES } from '../../platform/i18n/index.ts';
import { messageStates, needsWork, SHOWN_STATUSES, languageSummaries } from './rules.ts';
import {
  commandLineFile,
  importTranslations,
  loadedCatalogue,
  refreshTranslations,
  translatedLocale,
  type FileFormat,
} from './service.ts';

export const I18N_USAGE = `nwd i18n status [--locale es|so|hmn] [--list]
  nwd i18n export --locale es|so|hmn [--format xliff|csv] [--all] [--out FILE]
  nwd i18n import --locale es|so|hmn --file FILE [--format xliff|csv] --as <email of a state administrator>`;

export interface I18nContext {
  db: Database;
  /** The active account of this email, as an actor (null when there is none). */
  actorByEmail(email: string): Promise<Actor | null>;
}

/**
 * Runs the command; returns what to print and whether it went well. Throws `InputError` for a usage problem.
 *
 * @example
 * await i18nCommand(ctx, ['status']);
 * // 'Spanish (es): 412 messages — 0 untranslated, 0 machine, 412 drafted, 0 outdated, 0 reviewed, 0 approved …'
 */
export async function i18nCommand(ctx: I18nContext, args: string[]): Promise<{ ok: boolean; text: string }> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      locale: { type: 'string' },
      list: { type: 'boolean' },
      format: { type: 'string' },
      all: { type: 'boolean' },
      out: { type: 'string' },
      file: { type: 'string' },
      as: { type: 'string' },
    },
  });
  const format = (): FileFormat => {
    if (values.format === undefined) return values.file?.toLowerCase().endsWith('.csv') ? 'csv' : 'xliff';
    if (values.format === 'csv' || values.format === 'xliff') return values.format;
    throw new InputError(`--format is xliff or csv, not "${values.format}".`);
  };
  switch (sub) {
    case 'status': {
      const catalogue = await loadedCatalogue(ctx.db);
      const lines = languageSummaries(catalogue)
        .filter((s) => values.locale === undefined || s.locale === values.locale)
        .map(
          (s) =>
            `${LOCALE_ENGLISH_NAMES[s.locale]} (${s.locale}): ${s.total} messages — ${SHOWN_STATUSES.map((st) => `${s.counts[st]} ${st}`).join(', ')}; ${s.checked} checked by a fluent speaker`,
        );
      if (values.list) {
        const locale = translatedLocale(values.locale);
        for (const m of messageStates(catalogue, locale).filter(needsWork))
          lines.push(`${m.status}\t${m.key}\t${m.english}`);
      }
      return { ok: true, text: lines.join('\n') };
    }
    case 'export': {
      const file = await commandLineFile(ctx, translatedLocale(values.locale), format(), values.all === true);
      if (values.out) {
        writeFileSync(values.out, file.body);
        return { ok: true, text: `Wrote ${file.fileName} to ${values.out}.` };
      }
      return { ok: true, text: file.body.trimEnd() };
    }
    case 'import': {
      if (!values.file || !values.as) throw new InputError(`Give --locale, --file and --as. ${I18N_USAGE}`);
      const actor = await ctx.actorByEmail(values.as);
      if (!actor) throw new InputError(`No active account has the email ${values.as}.`);
      let content: string;
      try {
        content = readFileSync(values.file, 'utf8');
      } catch {
        throw new InputError(`Cannot read the file ${values.file}.`);
      }
      await refreshTranslations(ctx.db);
      const outcome = await importTranslations(
        ctx,
        actor,
        { ip: 'command line', userAgent: 'nwd' },
        translatedLocale(values.locale),
        format(),
        content,
      );
      if (!outcome.ok)
        return {
          ok: false,
          text: [
            `Nothing was imported: ${outcome.problems.length} rows need fixing.`,
            ...outcome.problems.map((p) => `row ${p.line} (${p.key}): ${p.message}`),
          ].join('\n'),
        };
      return {
        ok: true,
        text: `Imported ${outcome.imported} translations${outcome.skipped ? `; ${outcome.skipped} rows had no translation and were left as they were` : ''}.`,
      };
    }
    default:
      throw new InputError(`i18n needs "status", "export" or "import". ${I18N_USAGE}`);
  }
}
