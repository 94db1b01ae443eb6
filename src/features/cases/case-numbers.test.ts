/**
 * Case numbers and the search box's rules: region codes (unique, stable), a number's text and reading
 * it back, normalising names for the blind indexes, telling a number from a date of birth from a name,
 * and the list's cursors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REGION_CODES,
  formatCaseNumber,
  normaliseForSearch,
  parseCaseNumber,
  parseSearchDate,
  regionCode,
  searchQueryOf,
} from './rules.ts';
import { decodeCursor, encodeCursor } from './rules.ts';

const packRegions = (
  JSON.parse(readFileSync(new URL('../../../data/mn/regions.json', import.meta.url), 'utf8')) as {
    id: string;
  }[]
).map((r) => r.id);

describe('region codes', () => {
  it('gives every region of the pack its own listed code of two or three capitals', () => {
    const codes = packRegions.map((id) => REGION_CODES[id]);
    expect(codes.every((c) => c !== undefined && /^[A-Z]{2,3}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(packRegions.length);
    expect(new Set(Object.values(REGION_CODES)).size).toBe(Object.keys(REGION_CODES).length);
  });

  it('makes a code for a region not in the list from its id', () => {
    expect(regionCode('west-metro')).toBe('WM');
    expect(regionCode('arrowhead')).toBe('ARR');
    expect(regionCode('upper-red-lake')).toBe('URL');
  });
});

describe('case numbers', () => {
  it('writes the region code, the year and a number of four digits or more', () => {
    expect(formatCaseNumber({ regionId: 'west-metro', year: 2026, seq: 42 })).toBe('WM-2026-0042');
    expect(formatCaseNumber({ regionId: 'southeast', year: 2027, seq: 1 })).toBe('SE-2027-0001');
    expect(formatCaseNumber({ regionId: 'northwest', year: 2026, seq: 12345 })).toBe('NW-2026-12345');
  });

  it('reads a typed number in any case, with or without dashes and leading zeros', () => {
    const want = { code: 'WM', year: 2026, seq: 42 };
    for (const text of ['WM-2026-0042', ' wm-2026-42 ', 'WM 2026 0042', 'wm20260042', 'Wm-2026-042'])
      expect(parseCaseNumber(text)).toEqual(want);
    for (const text of ['WM-2026-0000', 'W-2026-1', 'WMXX-2026-1', 'WM-26-1', 'Sam', '2026-04-12', ''])
      expect(parseCaseNumber(text)).toBeNull();
  });

  it('reads back every number it writes', () => {
    for (const regionId of packRegions)
      for (const seq of [1, 9, 10, 999, 1000, 9999, 10000]) {
        const text = formatCaseNumber({ regionId, year: 2026, seq });
        expect(parseCaseNumber(text)).toEqual({ code: regionCode(regionId), year: 2026, seq });
      }
  });
});

describe('normalising for search', () => {
  it('ignores accents, capitals and spacing', () => {
    expect(normaliseForSearch('José')).toBe('jose');
    expect(normaliseForSearch('  JOSÉ   Álvarez ')).toBe('jose alvarez');
    expect(normaliseForSearch('Zoë\tNguyễn')).toBe('zoe nguyen');
    expect(normaliseForSearch('Ｒｏｗａｎ')).toBe('rowan');
    expect(normaliseForSearch('Çağla Øberg')).toBe('cagla øberg');
  });

  it('keeps different names different', () => {
    expect(normaliseForSearch('Sam')).not.toBe(normaliseForSearch('Samantha'));
    expect(normaliseForSearch('Ana Lee')).not.toBe(normaliseForSearch('Analee'));
  });
});

describe('what a search text is', () => {
  it('tells a case number, a date of birth and a name apart', () => {
    expect(searchQueryOf('WM-2026-0042')).toEqual({ kind: 'number', code: 'WM', year: 2026, seq: 42 });
    expect(searchQueryOf('2009-04-12')).toEqual({ kind: 'date_of_birth', date: '2009-04-12' });
    expect(searchQueryOf('04/12/2009')).toEqual({ kind: 'date_of_birth', date: '2009-04-12' });
    expect(searchQueryOf('4/2/2009')).toEqual({ kind: 'date_of_birth', date: '2009-04-02' });
    expect(searchQueryOf(' Rowan  Lee ')).toEqual({ kind: 'name', name: 'rowan lee' });
  });

  it('refuses a date that does not exist, and a text with nothing to search', () => {
    expect(searchQueryOf('2009-02-30')).toBeNull();
    expect(searchQueryOf('13/01/2009')).toBeNull();
    expect(searchQueryOf('   ')).toBeNull();
    expect(parseSearchDate('2008-02-29')).toBe('2008-02-29');
    expect(parseSearchDate('2009-02-29')).toBeNull();
  });
});

describe('cursors', () => {
  it('read back what they hold, and refuse anything else', () => {
    const cursor = {
      sort: 'activity' as const,
      key: ['2026-11-24 15:00:00.123456+00'],
      id: '6b1f9c1e-8d4a-4a57-9b0a-3f1c2d4e5f60',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    const number = { sort: 'number' as const, key: ['2026', '42'], id: cursor.id };
    expect(decodeCursor(encodeCursor(number))).toEqual(number);
    const bad = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const text of [
      'x',
      '!!!',
      bad(['activity', ["now'); drop table cases; --"], cursor.id]),
      bad(['number', ['2026'], cursor.id]),
      bad(['name', ['x'], cursor.id]),
      bad(['opened', ['2026-11-24 15:00:00+00'], 'not-a-uuid']),
      bad({ sort: 'opened' }),
    ])
      expect(decodeCursor(text)).toBeNull();
  });
});
