/**
 * A report's tables as an Excel workbook (Office Open XML, .xlsx), written here with no dependency:
 * the few XML parts a spreadsheet needs, in a ZIP built with node:zlib.
 *
 * The same columns as the CSV (`toCsv`): a published count takes two columns, its value (empty when
 * hidden) and `<name>_suppressed` (true or false), so a hidden count is never a zero. Numbers are
 * numeric cells; every text is an inline string (`t="inlineStr"`), never a formula, so a cell
 * starting with = + - @ is only text. The header row is bold and stays in view (frozen).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import type { CsvValue } from './report-csv.ts';
import type { Published } from './small-numbers.ts';

export interface XlsxSheet {
  /** Cleaned to Excel's rules by `sheetNames`. */
  name: string;
  columns: readonly { name: string; published: boolean }[];
  rows: readonly CsvValue[][];
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Text without the characters XML 1.0 cannot hold: control characters but tab and line breaks, lone
 * surrogates, U+FFFE and U+FFFF. */
const xmlChars = (text: string): string =>
  text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

/** Text for XML: only characters XML holds, markup characters escaped. */
export function xmlText(text: string): string {
  return xmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let s = '';
  for (let i = index + 1; i > 0; i = Math.floor((i - 1) / 26))
    s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * Sheet names as Excel takes them: without [ ] : * ? / \, not starting or ending with an apostrophe,
 * at most 31 characters, not empty, not the reserved "History", and unique (case ignored) — a repeat
 * gets " (2)", " (3)" ….
 *
 * @example
 * sheetNames(['Requests: by region', 'Requests: by region', '']); // ['Requests by region', 'Requests by region (2)', 'Sheet3']
 */
export function sheetNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    let base = xmlChars(raw)
      .replace(/[[\]:*?/\\]/g, '')
      .replace(/\s+/g, ' ')
      .replace(/^[\s']+|[\s']+$/g, '');
    if (!base || base.toLowerCase() === 'history') base = base ? `${base} 1` : `Sheet${i + 1}`;
    /** At most `room` UTF-16 units (Excel's count), never half a character. */
    const fit = (s: string, room: number) => {
      let out = '';
      for (const ch of s) {
        if (out.length + ch.length > room) break;
        out += ch;
      }
      return out.replace(/[\s']+$/, '');
    };
    let name = fit(base, 31);
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${fit(base, 31 - ` (${n})`.length)} (${n})`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** One cell: a number, an inline string, or nothing for null. `style` 1 is the bold header. */
function cell(ref: string, value: string | number | null, style = 0): string {
  if (value === null || value === '') return '';
  const s = style ? ` s="${style}"` : '';
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"${s}><v>${value}</v></c>`;
  const text = xmlText(String(value));
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

function row(index: number, values: readonly (string | number | null)[], style = 0): string {
  const cells = values.map((v, i) => cell(`${columnLetters(i)}${index}`, v, style)).join('');
  return `<row r="${index}">${cells}</row>`;
}

/** A sheet's cells in the CSV's columns: a published count as its value and `_suppressed`. */
function sheetXml(sheet: XlsxSheet): string {
  const head = sheet.columns.flatMap((c) => (c.published ? [c.name, `${c.name}_suppressed`] : [c.name]));
  const body = sheet.rows.map((values, r) => {
    if (values.length > sheet.columns.length)
      throw new Error(`row ${r + 1} of sheet "${sheet.name}" has more cells than columns`);
    const flat = sheet.columns.flatMap((c, i) => {
      const v = values[i] ?? null;
      if (!c.published) return [v as string | number | null];
      const p = (v ?? { value: null, suppressed: false }) as Published;
      return [p.suppressed ? null : p.value, String(p.suppressed)];
    });
    return row(r + 2, flat);
  });
  const frozen =
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';
  return `${XML_HEAD}<worksheet xmlns="${MAIN}">${head.length ? frozen : ''}<sheetData>${head.length ? row(1, head, 1) : ''}${body.join('')}</sheetData></worksheet>`;
}

const STYLES = `${XML_HEAD}<styleSheet xmlns="${MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/**
 * The workbook, a sheet per table, as the bytes of an .xlsx file.
 *
 * @example
 * const body = toXlsx([{ name: 'Requests by region', columns: [{ name: 'region', published: false },
 *   { name: 'sent', published: true }], rows: [['Southeast', publish(4, true)]] }]);
 * return c.body(new Uint8Array(body), 200, {
 *   'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
 */
export function toXlsx(sheets: readonly XlsxSheet[]): Buffer {
  if (!sheets.length) throw new Error('a workbook needs at least one sheet');
  const names = sheetNames(sheets.map((s) => s.name));
  const ids = sheets.map((_, i) => i + 1);
  const SHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
  const parts: [string, string][] = [
    [
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${ids.map((i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${SHEET_TYPE}"/>`).join('')}</Types>`,
    ],
    [
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${ids.map((i) => `<sheet name="${xmlText(names[i - 1]!)}" sheetId="${i}" r:id="rId${i}"/>`).join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${PKG_REL}">${ids.map((i) => `<Relationship Id="rId${i}" Type="${REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`).join('')}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    ['xl/styles.xml', STYLES],
    ...sheets.map((s, i): [string, string] => [`xl/worksheets/sheet${i + 1}.xml`, sheetXml(s)]),
  ];
  return zip(parts.map(([name, text]) => [name, Buffer.from(text, 'utf8')]));
}

/** A ZIP archive (deflated entries, no comment, a fixed 1980-01-01 time so equal input gives equal bytes). */
export function zip(files: readonly [name: string, data: Buffer][]): Buffer {
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    local.copy(central, 6, 4, 30); // version needed … name length, as in the local header
    central.writeUInt16LE(0, 32); // no comment
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
