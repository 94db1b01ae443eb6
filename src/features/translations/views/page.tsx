/**
 * `/staff/translations`: each language's messages by status, one language's messages that still need a
 * translator or a fluent reviewer, the files for translators (CSV, XLIFF 2.0) and the import of their
 * work, with every wrong row listed when nothing was taken.
 */
import type { FC } from 'hono/jsx';
import { LOCALE_ENGLISH_NAMES, LOCALE_NAMES, TRANSLATED_LOCALES } from '../../../platform/i18n/index.ts';
import { ErrorSummary } from '../../../web/forms.tsx';
import { Success, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Button, DataTable, Panel, RowsToFix, Tag, type Tone } from '../../../web/ui.tsx';
import type { ImportOutcome, TranslationOverview } from '../service.ts';
import type { RowProblem, ShownStatus } from '../rules.ts';

export const PAGE = '/staff/translations';

const STATUS_WORDS: Record<ShownStatus, string> = {
  untranslated: 'Untranslated',
  machine: 'Machine translated',
  drafted: 'Drafted, not reviewed',
  outdated: 'English changed since',
  reviewed: 'Reviewed',
  approved: 'Approved',
};
const STATUS_TONE: Record<ShownStatus, Tone> = {
  untranslated: 'error',
  machine: 'warning',
  drafted: 'warning',
  outdated: 'warning',
  reviewed: 'success',
  approved: 'success',
};
const COLUMNS: readonly ShownStatus[] = [
  'untranslated',
  'machine',
  'drafted',
  'outdated',
  'reviewed',
  'approved',
];

const languageName = (locale: keyof typeof LOCALE_NAMES) =>
  `${LOCALE_ENGLISH_NAMES[locale]} (${LOCALE_NAMES[locale]})`;

const exportHref = (locale: string, format: 'csv' | 'xliff', all: boolean) =>
  `${PAGE}/export?locale=${locale}&format=${format}${all ? '&all=1' : ''}`;

export const TranslationsPage: FC<
  StaffView & {
    overview: TranslationOverview;
    all: boolean;
    imported: Extract<ImportOutcome, { ok: true }> | null;
    problems: RowProblem[];
    error: string | null;
  }
> = (p) => {
  const { overview } = p;
  const locale = overview.locale;
  return (
    <StaffLayout frame={p.frame} title="Translations of the public pages">
      <ErrorSummary errors={p.error ? [{ field: 'file', message: p.error }] : []} />
      <RowsToFix problems={p.problems} rowLabel="Row" />
      {p.imported ? (
        <Success
          message={`Imported ${p.imported.imported} translations into ${LOCALE_ENGLISH_NAMES[locale]}${
            p.imported.skipped
              ? ` (${p.imported.skipped} rows had no translation and were left as they were)`
              : ''
          }. The public pages show them now.`}
        />
      ) : null}
      <p>
        The public pages are written in English and translated into Spanish, Somali and Hmong. A page in
        another language whose messages are not all reviewed by a fluent speaker says so, with a link to the
        English page. A message with no translation shows in English.
      </p>
      <DataTable
        label="Messages by language and status"
        caption="Messages by language and status"
        head={['Language', 'Messages', ...COLUMNS.map((s) => STATUS_WORDS[s]), 'Checked by a fluent speaker']}
      >
        {overview.summaries.map((s) => (
          <tr>
            <th scope="row">
              <a href={`${PAGE}?locale=${s.locale}`} aria-current={s.locale === locale ? 'true' : undefined}>
                {languageName(s.locale)}
              </a>
            </th>
            <td>{s.total}</td>
            {COLUMNS.map((status) => (
              <td>{s.counts[status]}</td>
            ))}
            <td>{s.total === 0 ? '—' : `${Math.floor((100 * s.checked) / s.total)}%`}</td>
          </tr>
        ))}
      </DataTable>

      <Panel id="files-h" heading="Files for translators">
        <p>
          Send a file to a translator or a fluent reviewer. They fill in or correct the translation and set
          its status: <code>machine</code>, <code>drafted</code>, <code>reviewed</code> (checked by a fluent
          speaker) or <code>approved</code>. Keep every placeholder in braces, like <code>{'{name}'}</code>,
          and every tag, like <code>{'<link>…</link>'}</code>, as it is in the English.
        </p>
        <ul>
          {TRANSLATED_LOCALES.map((l) => (
            <li>
              {languageName(l)}: messages to do as <a href={exportHref(l, 'xliff', false)}>XLIFF</a> or{' '}
              <a href={exportHref(l, 'csv', false)}>CSV</a>; every message as{' '}
              <a href={exportHref(l, 'xliff', true)}>XLIFF</a> or <a href={exportHref(l, 'csv', true)}>CSV</a>
            </li>
          ))}
        </ul>
      </Panel>

      <Panel id="import-h" heading="Import translations">
        <form
          method="post"
          action={`${PAGE}/import`}
          enctype="multipart/form-data"
          class="usa-form usa-form--large"
        >
          <CsrfField token={p.frame.csrf} />
          <div class="usa-form-group">
            <label class="usa-label" for="locale">
              Language of the file
            </label>
            <select class="usa-select" id="locale" name="locale">
              {TRANSLATED_LOCALES.map((l) => (
                <option value={l} selected={l === locale}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </div>
          <div class="usa-form-group">
            <label class="usa-label" for="file">
              The translated file (XLIFF or CSV, as exported)
            </label>
            <input
              class="usa-file-input"
              id="file"
              name="file"
              type="file"
              accept=".xlf,.xliff,.csv,text/csv"
            />
          </div>
          <Button>Import</Button>
        </form>
      </Panel>

      <Panel
        id="todo-h"
        heading={`${LOCALE_ENGLISH_NAMES[locale]}: ${p.all ? 'every message' : 'messages to translate or review'}`}
      >
        <p>
          {p.all ? (
            <a href={`${PAGE}?locale=${locale}`}>Show only the messages to translate or review</a>
          ) : (
            <a href={`${PAGE}?locale=${locale}&all=1`}>Show every message</a>
          )}
        </p>
        {overview.messages.length === 0 ? (
          <p>Every message of this language has been reviewed by a fluent speaker.</p>
        ) : (
          <DataTable
            label={`Messages in ${LOCALE_ENGLISH_NAMES[locale]}`}
            caption={`${overview.messages.length} messages`}
            head={['Key', 'English', LOCALE_ENGLISH_NAMES[locale], 'Status']}
          >
            {overview.messages.map((m) => (
              <tr>
                <th scope="row">
                  <code>{m.key}</code>
                </th>
                <td>{m.english}</td>
                <td lang={m.text === null ? undefined : locale}>{m.text ?? '—'}</td>
                <td>
                  <Tag tone={STATUS_TONE[m.status]}>{STATUS_WORDS[m.status]}</Tag>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Panel>
    </StaffLayout>
  );
};
