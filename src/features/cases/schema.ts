/**
 * The input of case coordination as zod schemas, used by the pages' forms and the API alike: a case's
 * details, a note, a service delivered, closing, the dashboard's filters and the timeline's cursor, and
 * the API's body (its answers are in api.ts). Every problem names its field in plain language; a form shows them all.
 */
import { z } from '@hono/zod-openapi';
import { CaseError, type CasePersonal } from './core.ts';
import {
  ACTIVITY_FILTERS,
  ASSIGNED_FILTERS,
  AGE_BANDS,
  CASE_LIST_VIEWS,
  CASE_SORTS,
  CASE_STATUS_FILTERS,
  type ActivityFilter,
  type AssignedFilter,
  type CaseSort,
  type CaseStatusFilter,
  CONTACT_METHODS,
  NOTE_MAX,
  SURVEY_ANSWERS,
  SURVEY_QUESTIONS,
  decodeCursor,
  type CaseCursor,
  ageOn,
  hasControl,
  isRealDate,
  listOf,
  oneText,
  type CaseDetailsInput,
  type CaseListView,
  type ContactMethod,
  type SurveyQuestion,
} from './rules.ts';
import type { SurveyAnswer } from './tables.ts';
import { codesOf, type Vocabularies } from '../../pack/vocabularies.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Input that is not valid: every problem found, each naming its field (the first is the CaseError's). */
export class CaseInputError extends CaseError {
  constructor(readonly problems: FieldProblem[]) {
    super('invalid', problems[0]?.message ?? 'The input is not valid.', problems[0]?.field);
  }

  /** Every issue of a zod error, with its path as the field. */
  static from(error: z.ZodError): CaseInputError {
    return new CaseInputError(
      error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
}

/** The input as `schema` reads it, or a CaseInputError naming every field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw CaseInputError.from(parsed.error);
  return parsed.data;
}

type Ctx = z.core.$RefinementCtx;
const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** One line of text (a number is taken as text), trimmed; null when empty. */
const text = (label: string, max: number) =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx): string | null => {
      if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number')
        return fail(ctx, `${label}: enter text.`);
      const t = oneText(raw);
      if (t === null) return null;
      if (t.length > max) return fail(ctx, `${label} must be ${max} characters or fewer.`);
      if (hasControl(t)) return fail(ctx, `${label}: use letters, numbers, spaces and punctuation only.`);
      return t;
    });

/** A code from one of the pack's lists (or of `codes`), or `message`. */
const choice = (codes: readonly string[], message: string) =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx): string => {
      const code = oneText(raw);
      return code !== null && codes.includes(code) ? code : fail(ctx, message);
    });

const CODE = /^[a-z][a-z0-9_]{0,62}$/;
const codeList = (codes: readonly string[], label: string, max: number) =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx): string[] => {
      const list = listOf(raw);
      if (list.length > max || list.some((c) => !CODE.test(c) || !codes.includes(c)))
        return fail(ctx, `${label}: choose from the list.`);
      return list;
    });

/** One code of a list, or null when left empty. */
const optionalCode = (codes: readonly string[], message: string) =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx): string | null => {
      if (raw !== undefined && raw !== null && typeof raw !== 'string') return fail(ctx, message);
      const code = oneText(raw);
      return code === null || codes.includes(code) ? code : fail(ctx, message);
    });

const languages = z
  .unknown()
  .optional()
  .transform((raw, ctx): string[] => {
    if (raw === undefined || raw === null) return [];
    const parts = (typeof raw === 'string' ? raw.split(/[,;\n]/) : listOf(raw))
      .map((l) => (typeof l === 'string' ? l.trim() : ''))
      .filter((l) => l !== '');
    const seen = new Set<string>();
    const list = parts.filter((l) => {
      const key = l.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (!Array.isArray(raw) && typeof raw !== 'string')
      return fail(ctx, 'Languages: enter them separated by commas.');
    if (list.length > 10) return fail(ctx, 'List at most 10 languages.');
    if (list.some((l) => l.length > 50 || hasControl(l)))
      return fail(ctx, 'Each language must be 50 characters or fewer, separated by commas.');
    return list;
  });

const codesIn = (list: { code: string }[]) => list.map((e) => e.code);

/**
 * A case's details, checked and normalised: `today` is the jurisdiction's date (YYYY-MM-DD), for the
 * date of birth. With a date of birth the age follows from it: only one is kept.
 */
export function caseDetailsSchema(v: Vocabularies, today: string) {
  return z
    .object({
      chosenName: text('The name they choose', 100).transform(
        (name, ctx) =>
          name ??
          fail(
            ctx,
            'Enter the name the young person chooses to be called (a first name or initials is enough).',
          ),
      ),
      legalName: text('The legal name', 200),
      dateOfBirth: text('The date of birth', 10).transform((date, ctx) => {
        if (date === null) return null;
        if (!isRealDate(date))
          return fail(
            ctx,
            'Enter the date of birth as year-month-day, for example 2008-04-30, or leave it empty.',
          );
        if (date > today) return fail(ctx, 'The date of birth cannot be in the future.');
        if (ageOn(date, today) > 120) return fail(ctx, 'Check the year of the date of birth.');
        return date;
      }),
      age: z
        .unknown()
        .optional()
        .transform((raw, ctx): number | null => {
          const age = oneText(raw);
          if (age === null) return null;
          if (!/^\d{1,3}$/.test(age) || Number(age) > 120)
            return fail(ctx, 'Enter the age in years as a whole number, for example 17.');
          return Number(age);
        }),
      pronouns: text('Pronouns', 50),
      genderIdentity: codeList(codesIn(v.genderIdentity), 'Gender identity', 10),
      raceEthnicity: codeList(codesIn(v.raceEthnicity), 'Race and ethnicity', 20),
      sexualOrientation: text('Sexual orientation', 63).transform((code, ctx) =>
        code === null || v.sexualOrientation.some((e) => e.code === code)
          ? code
          : fail(ctx, 'Sexual orientation: choose from the list.'),
      ),
      languages,
      tribalAffiliation: text('Tribal affiliation', 200),
      contactMethod: text('How to contact them', 30).transform((method, ctx) =>
        method === null || (CONTACT_METHODS as readonly string[]).includes(method)
          ? (method as ContactMethod | null)
          : fail(ctx, 'How to contact them: choose from the list.'),
      ),
      contactValue: text('The contact details', 200),
      contactTimes: text('Safe times to contact', 200),
      codeWord: text('The code word', 100),
      countyFips: text('County', 5).transform((fips, ctx) =>
        fips === null || /^\d{5}$/.test(fips) ? fips : fail(ctx, 'County: choose from the list.'),
      ),
      door: optionalCode(codesIn(v.doors), 'How they came to us: choose from the list.'),
      exploitation: codeList(codesIn(v.exploitationTypes), 'Type of exploitation', 10),
      entryHousing: optionalCode(
        codesIn(v.exitHousing),
        'Where they were living when the case opened: choose from the list.',
      ),
    })
    .transform((d): { personal: CasePersonal; countyFips: string | null } => ({
      personal: {
        chosenName: d.chosenName,
        legalName: d.legalName,
        dateOfBirth: d.dateOfBirth,
        age: d.dateOfBirth !== null ? null : d.age,
        pronouns: d.pronouns,
        genderIdentity: d.genderIdentity,
        raceEthnicity: d.raceEthnicity,
        sexualOrientation: d.sexualOrientation,
        languages: d.languages,
        tribalAffiliation: d.tribalAffiliation,
        safeContact: {
          method: d.contactMethod,
          value: d.contactValue,
          times: d.contactTimes,
          codeWord: d.codeWord,
        },
        door: d.door,
        exploitation: d.exploitation,
        entryHousing: d.entryHousing,
      },
      countyFips: d.countyFips,
    }));
}

/**
 * Checks and normalises a case's details: every problem is reported with its field.
 *
 * @example
 * checkCaseDetails({ chosenName: 'Sam', age: '16' }, vocabularies, '2026-11-24').personal.age // 16
 */
export const checkCaseDetails = (input: CaseDetailsInput, v: Vocabularies, today: string) =>
  parseInput(caseDetailsSchema(v, today), input);

/** A note: a category from the pack's list and its text. */
export const noteSchema = (v: Vocabularies) =>
  z.object({
    category: choice(codesIn(v.noteCategories), 'Choose what the note is about.'),
    body: z
      .unknown()
      .optional()
      .transform((raw, ctx): string => {
        const body = typeof raw === 'string' ? raw.trim() : '';
        if (body === '') return fail(ctx, 'Write the note.');
        if (body.length > NOTE_MAX) return fail(ctx, `The note must be ${NOTE_MAX} characters or fewer.`);
        if (hasControl(body, true))
          return fail(ctx, 'Use letters, numbers, spaces and punctuation in the note.');
        return body;
      }),
  });

/** A service delivered: a code from the pack's services list, on a date not in the future (today by default). */
export const serviceSchema = (v: Vocabularies, today: string) =>
  z.object({
    serviceCode: choice(codesIn(v.services), 'Choose the service from the list.'),
    deliveredOn: z
      .unknown()
      .optional()
      .transform((raw, ctx): string => {
        const on = oneText(raw) ?? today;
        if (!isRealDate(on)) return fail(ctx, 'Enter the date as year-month-day, for example 2026-11-24.');
        if (on > today) return fail(ctx, 'The date cannot be in the future.');
        if (ageOn(on, today) > 100) return fail(ctx, 'Check the year of the date.');
        return on;
      }),
  });

const surveyAnswer = z
  .unknown()
  .optional()
  .transform((raw, ctx): SurveyAnswer => {
    const answer = oneText(raw) ?? 'not_asked';
    return (SURVEY_ANSWERS as readonly string[]).includes(answer)
      ? (answer as SurveyAnswer)
      : fail(ctx, 'Choose one of the answers, or “Not asked”.');
  });

/** Closing a case: the reason, the housing at exit and the young person's own answers to the survey. */
export const closeSchema = (v: Vocabularies) =>
  z.object({
    reason: choice(codesIn(v.closeReasons), 'Choose why the case is closing.'),
    exitHousing: choice(
      codesIn(v.exitHousing),
      'Choose where the young person is living now (or “Not known”).',
    ),
    ...(Object.fromEntries(Object.keys(SURVEY_QUESTIONS).map((q) => [q, surveyAnswer])) as Record<
      SurveyQuestion,
      typeof surveyAnswer
    >),
  });

/** One of a list of codes, or null when left out; otherwise `message`. */
const optionalChoice = <T extends string>(codes: readonly T[], message: string) =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx): T | null => {
      const code = oneText(raw);
      if (code === null) return null;
      return (codes as readonly string[]).includes(code) ? (code as T) : fail(ctx, message);
    });

const cursor = z
  .unknown()
  .optional()
  .transform((raw, ctx): CaseCursor | null => {
    const text = oneText(raw);
    if (text === null) return null;
    return decodeCursor(text) ?? fail(ctx, 'That page of cases does not exist.');
  });

/**
 * The case list's filters: a preset view, the search text, status, assigned, a region (one
 * `regionAllowed` accepts), county, age band, last activity, the order and the page's cursor.
 */
export const caseListSchema = (regionAllowed: (regionId: string) => boolean) =>
  z
    .object({
      view: z
        .unknown()
        .optional()
        .transform((raw, ctx): CaseListView | null =>
          raw === undefined || raw === null || raw === ''
            ? null
            : typeof raw === 'string' && Object.hasOwn(CASE_LIST_VIEWS, raw)
              ? (raw as CaseListView)
              : fail(ctx, 'Choose which cases to show from the list.'),
        ),
      q: z
        .unknown()
        .optional()
        .transform((raw, ctx): string | null => {
          if (raw !== undefined && raw !== null && typeof raw !== 'string')
            return fail(ctx, 'Search: enter a case number, a name or a date of birth.');
          const t = oneText(raw);
          if (t === null) return null;
          if (t.length > 200) return fail(ctx, 'Search: enter 200 characters or fewer.');
          if (hasControl(t)) return fail(ctx, 'Search: use letters, numbers, spaces and punctuation only.');
          return t;
        }),
      status: optionalChoice(
        Object.keys(CASE_STATUS_FILTERS) as CaseStatusFilter[],
        'Status: choose from the list.',
      ),
      assigned: optionalChoice(
        Object.keys(ASSIGNED_FILTERS) as AssignedFilter[],
        'Assigned to: choose from the list.',
      ),
      region: z
        .unknown()
        .optional()
        .transform((raw, ctx) => {
          const region = oneText(raw);
          return region === null || regionAllowed(region)
            ? region
            : fail(ctx, 'Choose one of your regions from the list.');
        }),
      county: z
        .unknown()
        .optional()
        .transform((raw, ctx) => {
          const county = oneText(raw);
          return county === null || /^\d{5}$/.test(county)
            ? county
            : fail(ctx, 'County: choose from the list.');
        }),
      ageBand: optionalChoice(AGE_BANDS, 'Age: choose from the list.'),
      activity: optionalChoice(
        Object.keys(ACTIVITY_FILTERS) as ActivityFilter[],
        'Last activity: choose from the list.',
      ),
      sort: optionalChoice(Object.keys(CASE_SORTS) as CaseSort[], 'Sort by: choose from the list.'),
      after: cursor,
      before: cursor,
    })
    .superRefine((f, ctx) => {
      if (f.after && f.before)
        ctx.addIssue({ code: 'custom', path: ['after'], message: 'That page of cases does not exist.' });
    });

/** The cursor of a page of the timeline (the id of the last entry of the previous page). */
export const timelineCursorSchema = z.object({
  before: z
    .unknown()
    .optional()
    .transform((raw, ctx): string | null =>
      raw === null || raw === undefined || raw === ''
        ? null
        : typeof raw === 'string' && /^\d{1,18}$/.test(raw)
          ? raw
          : fail(ctx, 'That page of the timeline does not exist.'),
    ),
});

// ---------------------------------------------------------------------------------------------------
// The API

const apiText = (max: number) => z.string().max(max);

/** The body of `POST /api/v1/cases`, with the pack's answer lists as enums. */
export function openCaseBodySchema(v: Vocabularies) {
  return z
    .object({
      regionId: z
        .string()
        .max(64)
        .optional()
        .openapi({ description: 'One of the caller’s regions; may be left out when they have one.' }),
      intakeItemId: z.string().uuid().optional().openapi({
        description:
          'Open the case from this referral: personal fields left out are taken from it, the case is linked to it and the referral is closed as connected to services.',
      }),
      countyFips: z
        .string()
        .regex(/^\d{5}$/, 'a county FIPS code, e.g. 27053')
        .nullable()
        .optional(),
      personal: z
        .object({
          chosenName: apiText(100).openapi({
            description: 'The name the young person chooses to be called.',
          }),
          legalName: apiText(200).nullable(),
          dateOfBirth: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
            .nullable(),
          age: z.number().int().min(0).max(120).nullable().openapi({
            description: 'Age in years when the date of birth is not known (ignored with a date of birth).',
          }),
          pronouns: apiText(50).nullable(),
          genderIdentity: z.array(z.enum(codesOf(v, 'genderIdentity'))).max(10),
          raceEthnicity: z
            .array(z.enum(codesOf(v, 'raceEthnicity')))
            .max(20)
            .openapi({ description: 'Multi-select, the categories the Safe Harbor evaluation reports.' }),
          sexualOrientation: z.enum(codesOf(v, 'sexualOrientation')).nullable(),
          languages: z.array(apiText(50)).max(10),
          tribalAffiliation: apiText(200).nullable(),
          safeContact: z
            .object({
              method: z.enum(CONTACT_METHODS).nullable(),
              value: apiText(200).nullable(),
              times: apiText(200).nullable(),
              codeWord: apiText(100).nullable(),
            })
            .partial()
            .strict(),
          door: z
            .enum(codesOf(v, 'doors'))
            .nullable()
            .openapi({ description: 'How the young person came to the network (who referred them).' }),
          exploitation: z
            .array(z.enum(codesOf(v, 'exploitationTypes')))
            .max(10)
            .openapi({ description: 'The types of exploitation (multi-select).' }),
          entryHousing: z
            .enum(codesOf(v, 'exitHousing'))
            .nullable()
            .openapi({ description: 'Where they were living when the case opened.' }),
        })
        .partial()
        .strict()
        .optional(),
    })
    .strict()
    .openapi('CaseOpen');
}
export type OpenCaseBody = z.infer<ReturnType<typeof openCaseBodySchema>>;

/** Where each of the service's fields sits in the API's body. */
export const FIELD_PATHS: Record<string, string> = {
  chosenName: 'personal.chosenName',
  legalName: 'personal.legalName',
  dateOfBirth: 'personal.dateOfBirth',
  age: 'personal.age',
  pronouns: 'personal.pronouns',
  genderIdentity: 'personal.genderIdentity',
  raceEthnicity: 'personal.raceEthnicity',
  sexualOrientation: 'personal.sexualOrientation',
  languages: 'personal.languages',
  tribalAffiliation: 'personal.tribalAffiliation',
  contactMethod: 'personal.safeContact.method',
  contactValue: 'personal.safeContact.value',
  contactTimes: 'personal.safeContact.times',
  codeWord: 'personal.safeContact.codeWord',
  door: 'personal.door',
  exploitation: 'personal.exploitation',
  entryHousing: 'personal.entryHousing',
};

/** The API's body as the service's input: a field left out stays `undefined` (filled from a referral). */
export function openInputOf(body: OpenCaseBody) {
  const p = body.personal ?? {};
  const contact = p.safeContact;
  return {
    regionId: body.regionId,
    intakeItemId: body.intakeItemId,
    countyFips: body.countyFips,
    chosenName: p.chosenName,
    legalName: p.legalName,
    dateOfBirth: p.dateOfBirth,
    age: p.age,
    pronouns: p.pronouns,
    genderIdentity: p.genderIdentity,
    raceEthnicity: p.raceEthnicity,
    sexualOrientation: p.sexualOrientation,
    languages: p.languages,
    tribalAffiliation: p.tribalAffiliation,
    contactMethod: contact?.method,
    contactValue: contact?.value,
    contactTimes: contact?.times,
    codeWord: contact?.codeWord,
    door: p.door,
    exploitation: p.exploitation,
    entryHousing: p.entryHousing,
  };
}
