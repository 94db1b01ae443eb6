/**
 * Table types for translations made after shipping (migration 0026).
 */
import type { ColumnType } from 'kysely';

export interface TranslationsTable {
  locale: 'es' | 'so' | 'hmn';
  key: string;
  text: string | null;
  status: 'untranslated' | 'machine' | 'drafted' | 'reviewed' | 'approved';
  source: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TranslationTables {
  translations: TranslationsTable;
}
