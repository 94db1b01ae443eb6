/**
 * The translations page for state administrators (`/staff/translations`), its files for translators
 * and the import of their work.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import { formText, readForm, staffView, type Guarded } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { serviceError } from '../../web/page.tsx';
import {
  importTranslations,
  translatedLocale,
  translationFile,
  translationOverview,
  type FileFormat,
  type ImportOutcome,
} from './service.ts';
import { PAGE, TranslationsPage } from './views/page.tsx';

const MANAGE = staffAction('translations.manage');
const REFUSAL = 'State administrators keep the translations of the public pages.';

const localeOf = (value: string | undefined) => {
  try {
    return translatedLocale(value ?? 'es');
  } catch {
    return 'es' as const;
  }
};

async function page(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  locale: ReturnType<typeof localeOf>,
  all: boolean,
  result: { outcome?: ImportOutcome; error?: string } = {},
) {
  const overview = await translationOverview({ db: deps.db }, g.actor, locale, all);
  const problems = result.outcome && !result.outcome.ok ? result.outcome.problems : [];
  return renderPage(
    c,
    <TranslationsPage
      {...staffView(deps, g)}
      overview={overview}
      all={all}
      imported={result.outcome?.ok ? result.outcome : null}
      problems={problems}
      error={result.error ?? null}
    />,
    problems.length || result.error ? 400 : 200,
  );
}

/** The file's format: as chosen, else by its name (`.csv` is CSV; anything else is read as XLIFF). */
const formatOf = (file: File | null, chosen: string): FileFormat =>
  chosen === 'csv' || chosen === 'xliff'
    ? chosen
    : file?.name.toLowerCase().endsWith('.csv')
      ? 'csv'
      : 'xliff';

export const translationsPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const options = { refusal: REFUSAL };

  r.staff(
    'get',
    PAGE,
    MANAGE,
    (c, g) => page(c, deps, g, localeOf(c.req.query('locale')), c.req.query('all') === '1'),
    options,
  );

  r.staff(
    'get',
    `${PAGE}/export`,
    MANAGE,
    async (c, g) => {
      const format: FileFormat = c.req.query('format') === 'csv' ? 'csv' : 'xliff';
      const file = await translationFile(
        { db: deps.db },
        g.actor,
        localeOf(c.req.query('locale')),
        format,
        c.req.query('all') === '1',
      );
      return c.body(file.body, 200, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.fileName}"`,
      });
    },
    options,
  );

  r.staff(
    'post',
    `${PAGE}/import`,
    MANAGE,
    async (c, g) => {
      const form = await readForm(c);
      const locale = localeOf(formText(form, 'locale'));
      const value = Array.isArray(form.file) ? form.file[0] : form.file;
      const file = value instanceof File && value.size > 0 ? value : null;
      if (!file) return page(c, deps, g, locale, false, { error: 'Choose the translated file to import.' });
      if (file.size > 5_000_000)
        return page(c, deps, g, locale, false, {
          error: 'The file is larger than 5 MB. Split it into smaller files.',
        });
      try {
        const outcome = await importTranslations(
          { db: deps.db },
          g.actor,
          requestOrigin(c),
          locale,
          formatOf(file, formText(form, 'format')),
          await file.text(),
        );
        return page(c, deps, g, locale, false, { outcome });
      } catch (thrown) {
        const error = serviceError(thrown);
        if (error.code !== 'invalid') throw error;
        return page(c, deps, g, locale, false, { error: error.message });
      }
    },
    options,
  );
};
