/**
 * Case numbers and the case list's search box: the regions' short codes (the one list of them), a case
 * number's text (`WM-2026-0042`) and reading one back, the normalisation of names for the blind
 * indexes, and what a search text is (a case number, a date of birth, or a name).
 */

/**
 * The short code of each region of the Minnesota pack, shown at the start of its case numbers. Stable:
 * a code once used must never change or move to another region (printed case numbers use it).
 */
export const REGION_CODES: Readonly<Record<string, string>> = {
  central: 'CE',
  'east-metro': 'EM',
  northeast: 'NE',
  northwest: 'NW',
  southeast: 'SE',
  southwest: 'SW',
  'west-central': 'WC',
  'west-metro': 'WM',
};

/**
 * The short code of a region: from {@link REGION_CODES}, else made from its id (the first letters of
 * its words, or of a one-word id its first three letters), upper case.
 *
 * @example
 * regionCode('west-metro') // 'WM'
 * regionCode('arrowhead') // 'ARR'
 */
export function regionCode(regionId: string): string {
  const known = REGION_CODES[regionId];
  if (known) return known;
  const words = regionId.split(/[^a-z0-9]+/i).filter(Boolean);
  const code = words.length > 1 ? words.map((w) => w[0]).join('') : (words[0] ?? 'X').slice(0, 3);
  return code.slice(0, 3).toUpperCase();
}

export interface CaseNumberParts {
  regionId: string;
  year: number;
  seq: number;
}

/**
 * A case number as people read and type it: region code, year, and the place in that year (four digits
 * at least).
 *
 * @example
 * formatCaseNumber({ regionId: 'west-metro', year: 2026, seq: 42 }) // 'WM-2026-0042'
 */
export function formatCaseNumber(n: CaseNumberParts): string {
  return `${regionCode(n.regionId)}-${n.year}-${String(n.seq).padStart(4, '0')}`;
}

/** The case number of a case row. */
export const caseNumberOf = (row: { number_region_id: string; number_year: number; number_seq: number }) =>
  formatCaseNumber({ regionId: row.number_region_id, year: row.number_year, seq: row.number_seq });

/** A case number's text: code, year and number, separated by a dash, space or nothing. */
const CASE_NUMBER = /^([a-z]{2,3})[-\s]?(\d{4})[-\s]?(\d{1,9})$/i;

/**
 * The parts of a typed case number (any case, dashes or spaces optional, leading zeros optional), the
 * region code upper case; null when the text is not one.
 *
 * @example
 * parseCaseNumber(' wm-2026-42 ') // { code: 'WM', year: 2026, seq: 42 }
 */
export function parseCaseNumber(text: string): { code: string; year: number; seq: number } | null {
  const m = CASE_NUMBER.exec(text.trim());
  if (!m) return null;
  const seq = Number(m[3]);
  if (seq < 1 || seq > 2_147_483_647) return null;
  return { code: m[1]!.toUpperCase(), year: Number(m[2]), seq };
}

/**
 * A name or date normalised for its blind index: Unicode NFKD with the combining marks removed (so
 * "José" and "Jose" match), lower case, spaces collapsed and trimmed.
 *
 * @example
 * normaliseForSearch('  JOSÉ   Álvarez ') // 'jose alvarez'
 */
export function normaliseForSearch(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

const isRealIsoDate = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
};

/**
 * A typed date of birth as YYYY-MM-DD: `2009-04-12` or US style `4/12/2009` (also with dashes or
 * dots); null when the text is not a real date.
 *
 * @example
 * parseSearchDate('04/12/2009') // '2009-04-12'
 */
export function parseSearchDate(text: string): string | null {
  const t = text.trim();
  let iso: string | null = null;
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const usMatch = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (isoMatch) iso = `${isoMatch[1]}-${isoMatch[2]!.padStart(2, '0')}-${isoMatch[3]!.padStart(2, '0')}`;
  else if (usMatch) iso = `${usMatch[3]}-${usMatch[1]!.padStart(2, '0')}-${usMatch[2]!.padStart(2, '0')}`;
  return iso !== null && isRealIsoDate(iso) ? iso : null;
}

/** Whether the text looks like a date (digits and separators) even when it is not a real one. */
export const looksLikeDate = (text: string) => /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/.test(text.trim());

export type SearchQuery =
  | { kind: 'number'; code: string; year: number; seq: number }
  | { kind: 'date_of_birth'; date: string }
  | { kind: 'name'; name: string };

/**
 * What a search text asks for: a case number, a date of birth, or else a name (normalised); null for a
 * date that does not exist or a text with nothing to search.
 *
 * @example
 * searchQueryOf('WM-2026-0042') // { kind: 'number', code: 'WM', year: 2026, seq: 42 }
 * searchQueryOf('2009-04-12') // { kind: 'date_of_birth', date: '2009-04-12' }
 * searchQueryOf(' Rowan ') // { kind: 'name', name: 'rowan' }
 */
export function searchQueryOf(text: string): SearchQuery | null {
  const number = parseCaseNumber(text);
  if (number) return { kind: 'number', ...number };
  if (looksLikeDate(text)) {
    const date = parseSearchDate(text);
    return date ? { kind: 'date_of_birth', date } : null;
  }
  const name = normaliseForSearch(text);
  return name ? { kind: 'name', name } : null;
}
