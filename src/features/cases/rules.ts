/**
 * The pure rules of a case: its settings and answer lists, dates and ages, what a referral fills in,
 * the fields a change touched, the version stamp of a form, and case numbers and the case list's search
 * box (the regions' short codes, a case number's text `WM-2026-0042` and reading one back, the
 * normalization of names for the blind indexes, and what a search text is). No I/O.
 */
import type { IntakePayload } from '../intake/index.ts';
import type { CasePersonal } from './core.ts';
import type { AgeBand, IntakeKind } from '../intake/index.ts';
import type { CaseStatus, SurveyAnswer } from './tables.ts';

/** How long a closed case is kept by default before its data key is destroyed: 7 years. */
export const DEFAULT_CASE_RETENTION_DAYS = 2555;
export const NOTE_MAX = 8000;
export const CASE_PAGE_SIZE = 25;
/** Timeline entries shown at once. */
export const TIMELINE_PAGE_SIZE = 50;
/** Notes decrypted when a case is opened (newest first). */
export const NOTES_SHOWN = 100;

export const CONTACT_METHODS = [
  'phone_call',
  'text_message',
  'email',
  'in_person',
  'through_someone',
  'other',
] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_METHOD_NAMES: Record<ContactMethod, string> = {
  phone_call: 'Phone call',
  text_message: 'Text message',
  email: 'Email',
  in_person: 'In person',
  through_someone: 'Through someone they trust',
  other: 'Another way',
};

export const SURVEY_ANSWERS = ['yes', 'no', 'unsure', 'not_asked'] as const;
export const SURVEY_ANSWER_NAMES: Record<SurveyAnswer, string> = {
  yes: 'Yes',
  no: 'No',
  unsure: 'Not sure',
  not_asked: 'Not asked, or chose not to answer',
};
export const SURVEY_QUESTIONS = {
  feelsSafer: 'Do you feel safer than when we started working together?',
  moreHopeful: 'Do you feel more hopeful about your future?',
  knowsWhereHelp: 'Do you know where to get help if you need it?',
} as const;
export type SurveyQuestion = keyof typeof SURVEY_QUESTIONS;

export const CASE_STATUS_NAMES: Record<CaseStatus, string> = { open: 'Open', closed: 'Closed' };

export const CASE_LIST_VIEWS = {
  mine: 'My open cases',
  open: 'Open cases',
  closed: 'Closed cases',
} as const;
export type CaseListView = keyof typeof CASE_LIST_VIEWS;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Control characters; `multiline` allows line breaks and tabs. */
export const hasControl = (text: string, multiline = false) =>
  /\p{Cc}/u.test(multiline ? text.replace(/[\n\r\t]/g, '') : text);

/** One trimmed text from a form or body value (the first of a list); null when empty or not text. */
export function oneText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return oneText(value[0]);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' ? null : t;
}

/** The distinct trimmed texts of a value (one text or a list). */
export function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const raw = Array.isArray(value) ? value : [value];
  return [...new Set(raw.filter((v): v is string => typeof v === 'string').map((v) => v.trim()))].filter(
    (v) => v !== '',
  );
}

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Whole years from `dateOfBirth` to `on` (both YYYY-MM-DD).
 *
 * @example
 * ageOn('2008-06-15', '2026-06-14') // 17
 * ageOn('2008-06-15', '2026-06-15') // 18
 */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The age a case's details tell on `on`: from the date of birth, else the age given. */
export const ageOf = (personal: Pick<CasePersonal, 'dateOfBirth' | 'age'>, on: string): number | null =>
  personal.dateOfBirth ? ageOn(personal.dateOfBirth, on) : personal.age;

/**
 * A case's details as a person or a client sends them. Field names are the form's (and the names in
 * error messages): the safe contact details are `contactMethod`, `contactValue`, `contactTimes` and
 * `codeWord`. In `openCase` from a referral, a field left `undefined` is filled from the referral.
 */
export interface CaseDetailsInput {
  chosenName?: string | null;
  legalName?: string | null;
  dateOfBirth?: string | null;
  age?: number | string | null;
  pronouns?: string | null;
  genderIdentity?: readonly string[] | string | null;
  raceEthnicity?: readonly string[] | string | null;
  sexualOrientation?: string | null;
  /** A list, or one text with the languages separated by commas. */
  languages?: readonly string[] | string | null;
  tribalAffiliation?: string | null;
  contactMethod?: string | null;
  contactValue?: string | null;
  contactTimes?: string | null;
  codeWord?: string | null;
  countyFips?: string | null;
  /** How the young person came to the network: a code of the pack's `doors`. */
  door?: string | null;
  /** The types of exploitation: codes of the pack's `exploitationTypes`. */
  exploitation?: readonly string[] | string | null;
  /** Where they were living when the case opened: a code of the pack's `exitHousing`. */
  entryHousing?: string | null;
}

export const DETAIL_FIELDS = [
  'chosenName',
  'legalName',
  'dateOfBirth',
  'age',
  'pronouns',
  'genderIdentity',
  'raceEthnicity',
  'sexualOrientation',
  'languages',
  'tribalAffiliation',
  'contactMethod',
  'contactValue',
  'contactTimes',
  'codeWord',
  'countyFips',
  'door',
  'exploitation',
  'entryHousing',
] as const satisfies readonly (keyof CaseDetailsInput)[];

/** The form's values of stored details (the inverse of `checkCaseDetails`). */
export function detailsInputOf(personal: CasePersonal, countyFips: string | null): CaseDetailsInput {
  return {
    chosenName: personal.chosenName,
    legalName: personal.legalName,
    dateOfBirth: personal.dateOfBirth,
    age: personal.age,
    pronouns: personal.pronouns,
    genderIdentity: personal.genderIdentity,
    raceEthnicity: personal.raceEthnicity,
    sexualOrientation: personal.sexualOrientation,
    languages: personal.languages,
    tribalAffiliation: personal.tribalAffiliation,
    contactMethod: personal.safeContact.method,
    contactValue: personal.safeContact.value,
    contactTimes: personal.safeContact.times,
    codeWord: personal.safeContact.codeWord,
    countyFips,
    door: personal.door,
    exploitation: personal.exploitation,
    entryHousing: personal.entryHousing,
  };
}

/**
 * What a referral already says about the young person, as case details (its name, contact details,
 * code word, language, age and county), and how they came in: a self-referral is the young person
 * themself; a professional referral or consultation is the referrer's role when it is one of `doors`.
 */
export function detailsFromReferral(
  payload: IntakePayload,
  item: { age: number | null; countyFips: string | null; kind: IntakeKind },
  doors: readonly string[],
): CaseDetailsInput {
  const y = payload.youth;
  const role = payload.referrer?.role ?? null;
  const door =
    item.kind === 'self_referral' ? 'youth_self' : role !== null && doors.includes(role) ? role : null;
  return {
    door: door !== null && doors.includes(door) ? door : null,
    chosenName: y.name,
    age: item.age,
    languages: y.language ? [y.language] : [],
    contactMethod: y.contactMethod === 'through_referrer' ? 'through_someone' : y.contactMethod,
    contactValue: y.contactValue,
    contactTimes: y.safeTimes,
    codeWord: y.codeWord,
    countyFips: item.countyFips,
  };
}

/** The category of the note that keeps what a referral said when a case is opened from it. */
export const REFERRAL_NOTE_CATEGORY = 'intake';

/**
 * What a referral said beyond the young person's details — what was observed, who referred and how to
 * reach them, and the screening's answers in plain words — as the text of the case's first note, so it
 * stays with the case (under the case's key) after the referral itself is erased. Null when the
 * referral says none of it. `roleName` turns a referrer's role code into words.
 *
 * @example
 * referralNoteText({ observed: 'Sleeping in a car', referrer: null, screening: null, youth }, String)
 * // 'What was observed:\nSleeping in a car'
 */
export function referralNoteText(payload: IntakePayload, roleName: (role: string) => string): string | null {
  const sections: string[] = [];
  if (payload.observed) sections.push(`What was observed:\n${payload.observed}`);
  const r = payload.referrer;
  if (r) {
    const lines = (
      [
        ['Name', r.name],
        ['Role', r.role ? roleName(r.role) : null],
        ['Organization', r.organization],
        ['Phone', r.phone],
        ['Email', r.email],
        ['When to call back', r.callbackTimes],
      ] as const
    )
      .filter(([, value]) => value)
      .map(([label, value]) => `${label}: ${value}`);
    if (lines.length) sections.push(`Who referred:\n${lines.join('\n')}`);
  }
  const answers = payload.screening?.answers ?? [];
  if (answers.length)
    sections.push(
      `Screening answers (screening informs a person’s judgment; it does not label anyone):\n${answers
        .map((a) => `- ${a.question || 'A question'}: ${a.answer}`)
        .join('\n')}`,
    );
  return sections.length ? sections.join('\n\n') : null;
}

/** The details sent, over what a referral says: fields left `undefined` are the referral's. */
export function withReferralDetails(prefill: CaseDetailsInput, input: CaseDetailsInput): CaseDetailsInput {
  const details: Record<string, unknown> = { ...prefill };
  for (const field of DETAIL_FIELDS) if (input[field] !== undefined) details[field] = input[field];
  return details as CaseDetailsInput;
}

/** Names of the details that differ (for the timeline: which fields, never their values). */
export function changedFields(before: CaseDetailsInput, after: CaseDetailsInput): string[] {
  const norm = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...(v as unknown[])].sort() : (v ?? null));
  return DETAIL_FIELDS.filter((f) => norm(before[f]) !== norm(after[f]));
}

/** A version stamp of a case, for forms that must not overwrite a change made meanwhile. */
export const versionOf = (updatedAt: Date) => updatedAt.toISOString();

export interface PersonRef {
  userId: string;
  name: string;
}

/** A colleague by id, named from `names` ("a colleague" when unknown); null for none. */
export const person = (names: Map<string, string>, id: string | null): PersonRef | null =>
  id ? { userId: id, name: names.get(id) ?? 'a colleague' } : null;

/** The date of birth and age as the overview tells them. */
/**
 * The age the details tell, in words: worked out from the date of birth when there is one (so it is
 * never "not given" beside a date of birth), else the age given when the case was opened.
 */
export function ageText(personal: Pick<CasePersonal, 'dateOfBirth' | 'age'>, today: string): string | null {
  if (personal.dateOfBirth) return `${ageOn(personal.dateOfBirth, today)} years old`;
  return personal.age !== null
    ? `${personal.age} years old when the case was opened (date of birth not known)`
    : null;
}

// The dashboard's lists

export const AGE_BANDS = ['under18', '18to24', '25plus', 'unknown'] as const satisfies readonly AgeBand[];

/** The case list's status filter. */
export const CASE_STATUS_FILTERS = { open: 'Open', closed: 'Closed', all: 'Open or closed' } as const;
export type CaseStatusFilter = keyof typeof CASE_STATUS_FILTERS;

/** Who the cases are assigned to: the person, anyone at all, nobody, or no filter (`all`). */
export const ASSIGNED_FILTERS = {
  all: 'Anyone or nobody',
  me: 'Me',
  anyone: 'Someone',
  nobody: 'Nobody yet',
} as const;
export type AssignedFilter = keyof typeof ASSIGNED_FILTERS;

/** Cases with activity (any change) within so many days. */
export const ACTIVITY_FILTERS = {
  '7': 'In the last 7 days',
  '30': 'In the last 30 days',
  '90': 'In the last 90 days',
} as const;
export type ActivityFilter = keyof typeof ACTIVITY_FILTERS;

/** The orders of the case list, newest first. `closed` is for closed cases only. */
export const CASE_SORTS = {
  activity: 'Last activity',
  opened: 'Date opened',
  closed: 'Date closed',
  number: 'Case number',
} as const;
export type CaseSort = keyof typeof CASE_SORTS;

export interface CaseListFilters {
  /** A preset: the person's own open cases, open cases, closed cases (sets status and assigned). */
  view?: CaseListView;
  /** A case number, a date of birth, or a chosen or legal name (exact, after normalising). */
  q?: string | null;
  status?: string | null;
  assigned?: string | null;
  /** One region (of the actor's). */
  region?: string | null;
  county?: string | null;
  ageBand?: string | null;
  activity?: string | null;
  sort?: string | null;
  /** The cursor of the next page (from `next`). */
  after?: string | null;
  /** The cursor of the previous page (from `previous`). */
  before?: string | null;
  limit?: number;
}

export interface CaseSummary {
  id: string;
  /** Decrypted for the page's rows only; null when it cannot be read. */
  chosenName: string | null;
  status: CaseStatus;
  regionId: string;
  regionName: string;
  countyName: string | null;
  ageBand: AgeBand;
  openedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  assigned: PersonRef[];
  /** The case number, e.g. `WM-2026-0042`. */
  caseNumber: string;
}

/** The filters a list was read with, every one settled (defaults from the view filled in). */
export interface AppliedCaseFilters {
  /** The preset the filters amount to, or null for another combination. */
  view: CaseListView | null;
  q: string | null;
  /** What the search text was taken as. */
  searchKind: 'number' | 'date_of_birth' | 'name' | null;
  status: CaseStatusFilter;
  assigned: AssignedFilter;
  region: string | null;
  county: string | null;
  ageBand: AgeBand | null;
  activity: ActivityFilter | null;
  sort: CaseSort;
}

/** The case list counts matching cases up to this many; past it, it says "more than 1,000". */
export const CASE_COUNT_CAP = 1000;

export interface CaseList {
  cases: CaseSummary[];
  /** How many cases the filters match in all, at most {@link CASE_COUNT_CAP}. */
  total: number;
  /** More cases than {@link CASE_COUNT_CAP} match (`total` is the cap). */
  totalCapped?: boolean;
  /** The cursor of the next page, or null. */
  next: string | null;
  /** The cursor of the previous page, or null on the first page. */
  previous?: string | null;
  filters?: AppliedCaseFilters;
}

// ---------------------------------------------------------------------------------------------------
// Case numbers and search texts

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

// ---------------------------------------------------------------------------------------------------
// The case list's page cursor

/** The cursor of a page of cases: the order, the last (or first) row's sort key, and its id. */
export interface CaseCursor {
  sort: CaseSort;
  key: string[];
  id: string;
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const KEY_SHAPES: Record<CaseSort, RegExp[]> = {
  activity: [TIMESTAMP_TEXT],
  opened: [TIMESTAMP_TEXT],
  closed: [TIMESTAMP_TEXT],
  number: [/^\d{4}$/, /^\d{1,10}$/],
};

/** A cursor as the opaque text of a link (base64url of JSON). */
export const encodeCursor = (c: CaseCursor) =>
  Buffer.from(JSON.stringify([c.sort, c.key, c.id]), 'utf8').toString('base64url');

/** The cursor of an opaque text, or null when it is not one this list made. */
export function decodeCursor(text: string): CaseCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [sort, key, id] = value as unknown[];
  if (typeof sort !== 'string' || !Object.hasOwn(CASE_SORTS, sort)) return null;
  const shapes = KEY_SHAPES[sort as CaseSort];
  if (!Array.isArray(key) || key.length !== shapes.length) return null;
  if (!key.every((k, i) => typeof k === 'string' && shapes[i]!.test(k))) return null;
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  return { sort: sort as CaseSort, key: key as string[], id: id.toLowerCase() };
}
