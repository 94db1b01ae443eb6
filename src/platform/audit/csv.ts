/**
 * The audit log as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled). Cells that a spreadsheet would run as a formula (starting with = + - @, tab or
 * carriage return) are prefixed with a single quote.
 */
import type { Kysely } from 'kysely';
import { AUDIT_COLUMNS, type AuditEvent } from './rows.ts';
import type { AuditEventInput, AuditFilters } from './schema.ts';
import type { AuditTables } from './tables.ts';
import { listAudit } from './list.ts';
import { recordAudit } from './record.ts';

export type AuditCsvFilters = Omit<AuditFilters, 'limit' | 'before'>;

const PAGE = 500;
const HEADER = [...AUDIT_COLUMNS];

/**
 * One CSV field: formula-neutralised, then quoted when needed.
 *
 * @example
 * csvCell('=HYPERLINK("x")'); // "\"'=HYPERLINK(\"\"x\"\")\""
 * csvCell(null); // ''
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with its CRLF. */
export function csvLine(cells: (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function eventCells(e: AuditEvent): (string | number | null)[] {
  return [
    e.seq,
    e.id,
    e.occurredAt,
    e.actorUserId,
    e.actorKind,
    e.action,
    e.subjectType,
    e.subjectId,
    e.organizationId,
    e.ip,
    e.userAgent,
    e.reason,
    JSON.stringify(e.details),
    e.prevHash,
    e.hash,
  ];
}

/**
 * The header, then every matching event newest first, one CSV line at a time, read in pages of 500.
 *
 * @example
 * for await (const line of auditCsvLines(db, { action: 'record.read' })) process.stdout.write(line);
 */
export async function* auditCsvLines<T extends AuditTables>(
  db: Kysely<T>,
  filters: AuditCsvFilters = {},
): AsyncGenerator<string> {
  yield csvLine(HEADER);
  let before: number | undefined;
  do {
    const page = await listAudit(db, { ...filters, limit: PAGE, before });
    for (const e of page.events) yield csvLine(eventCells(e));
    before = page.nextBefore ?? undefined;
  } while (before !== undefined);
}

/**
 * The whole export as one string (for small exports and tests; prefer `auditCsvStream` for a response).
 *
 * @example
 * const csv = await auditCsv(db, { from: '2025-01-01', to: '2025-02-01' });
 */
export async function auditCsv<T extends AuditTables>(
  db: Kysely<T>,
  filters: AuditCsvFilters = {},
): Promise<string> {
  let out = '';
  for await (const line of auditCsvLines(db, filters)) out += line;
  return out;
}

/**
 * The export as a byte stream for a response body.
 *
 * @example
 * return c.body(auditCsvStream(db, filters), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
 */
export function auditCsvStream<T extends AuditTables>(
  db: Kysely<T>,
  filters: AuditCsvFilters = {},
): ReadableStream<Uint8Array> {
  const lines = auditCsvLines(db, filters);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

/** Who asks for the export; recorded as the `export.audit_csv` event. */
export type AuditExportActor = Omit<AuditEventInput, 'action' | 'subjectType' | 'subjectId' | 'details'>;

/**
 * Records the export (`export.audit_csv`, with its filters) in its own committed transaction, then
 * returns the CSV stream: the export is audited even if the download is cut short, and the append
 * lock is not held while the file is read.
 *
 * @example
 * const body = await exportAuditCsv(db, { actorKind: 'user', actorUserId: me.id, ip }, { action: 'role.change' });
 * return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
 */
export async function exportAuditCsv<T extends AuditTables>(
  db: Kysely<T>,
  actor: AuditExportActor,
  filters: AuditCsvFilters = {},
): Promise<ReadableStream<Uint8Array>> {
  const recorded = Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      ...actor,
      action: 'export.audit_csv',
      subjectType: 'audit_events',
      details: { filters: recorded },
    }),
  );
  return auditCsvStream(db, filters);
}
