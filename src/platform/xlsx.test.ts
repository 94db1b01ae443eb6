/**
 * The workbook is read back by an independent reader, Python's zipfile and xml.etree: the archive's
 * checksums, its members, every XML part well-formed, and the cells of each sheet.
 *
 * Python 3 is on the machine and in CI. In CI a missing python3 fails the test; elsewhere the test
 * says loudly that the reading back did not run.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { publish } from './small-numbers.ts';
import { columnLetters, sheetNames, toXlsx, xmlText, type XlsxSheet } from './xlsx.ts';

const pythonPresent = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
if (!pythonPresent && process.env.CI)
  throw new Error('python3 is needed to read back the XLSX workbooks and CI must have it.');
if (!pythonPresent)
  console.error(
    '\n*** xlsx: python3 is not installed, so NO workbook was read back by another reader. ***\n',
  );

const READER = String.raw`
import io, json, sys, zipfile
import xml.etree.ElementTree as ET
NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
RNS = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
out = {'bad': z.testzip(), 'names': z.namelist(), 'methods': sorted({i.compress_type for i in z.infolist()}),
       'malformed': [], 'sheets': []}
trees = {}
for name in z.namelist():
    try:
        trees[name] = ET.fromstring(z.read(name))
    except ET.ParseError as e:
        out['malformed'].append(name + ': ' + str(e))
rels = {r.get('Id'): r.get('Target') for r in trees['xl/_rels/workbook.xml.rels']}
for sheet in trees['xl/workbook.xml'].iter(NS + 'sheet'):
    cells = {}
    for c in trees['xl/' + rels[sheet.get(RNS + 'id')]].iter(NS + 'c'):
        v = c.find(NS + 'v')
        t = c.find(NS + 'is/' + NS + 't')
        cells[c.get('r')] = {'t': c.get('t'), 's': c.get('s'), 'v': None if v is None else v.text,
                             'text': None if t is None else (t.text or ''), 'formula': c.find(NS + 'f') is not None}
    out['sheets'].append({'name': sheet.get('name'), 'cells': cells})
bold = trees['xl/styles.xml'].find(NS + 'cellXfs')[1].get('fontId')
out['boldHeader'] = trees['xl/styles.xml'].find(NS + 'fonts')[int(bold)].find(NS + 'b') is not None
print(json.dumps(out))
`;

interface Cell {
  t: string | null;
  s: string | null;
  v: string | null;
  text: string | null;
  formula: boolean;
}
interface ReadBack {
  bad: string | null;
  names: string[];
  methods: number[];
  malformed: string[];
  sheets: { name: string; cells: Record<string, Cell> }[];
  boldHeader: boolean;
}

function readBack(bytes: Buffer): ReadBack {
  const run = spawnSync('python3', ['-c', READER], { input: bytes, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 could not read the workbook: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReadBack;
}

const SHEETS: XlsxSheet[] = [
  {
    name: 'Requests: by region',
    columns: [
      { name: 'region', published: false },
      { name: 'sent', published: true },
      { name: 'median_minutes', published: false },
    ],
    rows: [
      ['Southeast', publish(4, true), null],
      ['Metro & <Twin Cities> "core"', publish(120, false), 42.5],
      ['=1+1', publish(0, false), -3],
      ['+SUM(A1:A2)', { value: null, suppressed: false }, 7],
      ['@cmd', publish(11, false), 0],
      ['Mille Lacs — Ojibwe: Misi-zaaga’iganiing 🌲', publish(15, false), null],
    ],
  },
  {
    name: 'Beds [by night]?',
    columns: [
      { name: 'night', published: false },
      { name: 'beds', published: true },
    ],
    rows: [['2026-12-07', publish(3, true)]],
  },
];

describe.runIf(pythonPresent)('toXlsx, read back by Python', () => {
  const book = readBack(toXlsx(SHEETS));
  const [first, second] = book.sheets;
  const cells = first!.cells;

  it('is a sound ZIP of the parts a workbook needs, each well-formed XML', () => {
    expect(book.bad).toBeNull(); // every member's CRC-32 checks
    expect(book.methods).toEqual([8]); // deflated
    expect(book.names).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    expect(book.malformed).toEqual([]);
  });

  it('names the sheets by Excel’s rules', () => {
    expect(book.sheets.map((s) => s.name)).toEqual(['Requests by region', 'Beds by night']);
  });

  it('writes a bold header with the CSV’s columns, a published count as value and _suppressed', () => {
    expect(book.boldHeader).toBe(true);
    const header = ['A1', 'B1', 'C1', 'D1'].map((r) => [cells[r]!.text, cells[r]!.s, cells[r]!.t]);
    expect(header).toEqual([
      ['region', '1', 'inlineStr'],
      ['sent', '1', 'inlineStr'],
      ['sent_suppressed', '1', 'inlineStr'],
      ['median_minutes', '1', 'inlineStr'],
    ]);
    expect(cells.E1).toBeUndefined();
  });

  it('writes numbers as numbers, and a hidden count as an empty cell with _suppressed true', () => {
    expect(cells.B3).toMatchObject({ t: null, v: '120' });
    expect(cells.D3).toMatchObject({ t: null, v: '42.5' });
    expect(cells.B4).toMatchObject({ t: null, v: '0' }); // zero is shown
    expect(cells.D4).toMatchObject({ t: null, v: '-3' });
    expect(cells.B2).toBeUndefined(); // hidden: no value at all, never 0
    expect(cells.C2).toMatchObject({ t: 'inlineStr', text: 'true' });
    expect(cells.C3).toMatchObject({ t: 'inlineStr', text: 'false' });
    expect(cells.D2).toBeUndefined(); // null
    expect(cells.B5).toBeUndefined(); // no value, not hidden
    expect(cells.C5).toMatchObject({ text: 'false' });
  });

  it('stores text that looks like a formula as inline text, never a formula', () => {
    for (const [ref, text] of [
      ['A4', '=1+1'],
      ['A5', '+SUM(A1:A2)'],
      ['A6', '@cmd'],
    ] as const) {
      expect(cells[ref]).toEqual({ t: 'inlineStr', s: null, v: null, text, formula: false });
    }
  });

  it('keeps XML special characters and unicode text as they were', () => {
    expect(cells.A3!.text).toBe('Metro & <Twin Cities> "core"');
    expect(cells.A7!.text).toBe('Mille Lacs — Ojibwe: Misi-zaaga’iganiing 🌲');
  });

  it('writes the second sheet', () => {
    expect(second!.cells.A2).toMatchObject({ t: 'inlineStr', text: '2026-12-07' });
    expect(second!.cells.B2).toBeUndefined();
    expect(second!.cells.C2).toMatchObject({ text: 'true' });
  });

  it('writes a sheet with no rows, and text with control characters, as a sound workbook', () => {
    const empty = readBack(
      toXlsx([
        { name: '', columns: [], rows: [] },
        { name: 'x', columns: [{ name: 'note', published: false }], rows: [['a\u0001b\tc\n d ']] },
      ]),
    );
    expect(empty.bad).toBeNull();
    expect(empty.malformed).toEqual([]);
    expect(empty.sheets.map((s) => s.name)).toEqual(['Sheet1', 'x']);
    expect(empty.sheets[0]!.cells).toEqual({});
    expect(empty.sheets[1]!.cells.A2!.text).toBe('ab\tc\n d ');
  });
});

describe('toXlsx', () => {
  it('gives the same bytes for the same tables', () => {
    expect(toXlsx(SHEETS).equals(toXlsx(SHEETS))).toBe(true);
  });

  it('refuses a workbook without sheets, and a row with more cells than columns', () => {
    expect(() => toXlsx([])).toThrow(/at least one sheet/);
    expect(() =>
      toXlsx([{ name: 'a', columns: [{ name: 'x', published: false }], rows: [['1', '2']] }]),
    ).toThrow(/more cells than columns/);
  });
});

describe('sheet names', () => {
  it('drops the characters Excel refuses, cuts to 31 characters and makes names unique', () => {
    expect(
      sheetNames([
        'Requests: by region',
        'requests by region',
        "'quoted'",
        'a/b\\c*d?e[f]g',
        'x'.repeat(40),
        'x'.repeat(40),
        '',
        'History',
        `${'é'.repeat(30)}🌲`,
      ]),
    ).toEqual([
      'Requests by region',
      'requests by region (2)',
      'quoted',
      'abcdefg',
      'x'.repeat(31),
      `${'x'.repeat(27)} (2)`,
      'Sheet7',
      'History 1',
      'é'.repeat(30), // the tree would take 2 of Excel's 31
    ]);
  });
});

describe('cell helpers', () => {
  it('letters columns past Z', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(xmlText('a<b>&"c"\u0000\uFFFE\uD800')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
