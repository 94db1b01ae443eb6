/**
 * A report's table as CSV (RFC 4180, formula-neutralised cells, as the audit log's export): one header
 * row, then a line per row. A published count (the small-number rule) takes two columns: its value
 * (empty when hidden) and `<name>_suppressed` (true or false), so a hidden count is never a zero.
 */
import { csvLine } from './audit/csv.ts';
import type { Published } from './small-numbers.ts';

export type CsvValue = string | number | null | Published;

/**
 * @example
 * toCsv([{ name: 'region', published: false }, { name: 'sent', published: true }], [['Southeast', publish(4, true)]]);
 * // 'region,sent,sent_suppressed\r\nSoutheast,,true\r\n'
 */
export function toCsv(
  columns: readonly { name: string; published: boolean }[],
  rows: readonly CsvValue[][],
): string {
  const head = columns.flatMap((c) => (c.published ? [c.name, `${c.name}_suppressed`] : [c.name]));
  const lines = rows.map((row) =>
    row.flatMap((v, i) => {
      if (!columns[i]!.published) return [v as string | number | null];
      const p = v as Published;
      return [p.value, String(p.suppressed)];
    }),
  );
  return [head, ...lines].map(csvLine).join('');
}
