/**
 * The input of housing, one definition for the staff forms, the service and the API: a program's
 * description, an availability update, and the bed board's query. Each message names its field in plain
 * words. Regions and counties are checked against the geography by the service.
 */
import { z } from '@hono/zod-openapi';
import {
  GENDER_CODES,
  MAX_AGE,
  MAX_BEDS,
  MAX_BED_TYPES,
  NEED_CODES,
  PROGRAM_TYPE_CODES,
  WHEN,
  type When,
} from './rules.ts';

/** Control characters other than line breaks and tabs. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

const line = (max: number, empty: string, long: string) =>
  z
    .string()
    .transform((raw) => raw.trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, empty)
        .max(max, long)
        .refine((t) => !CONTROL.test(t), 'Use letters, numbers, spaces and punctuation.'),
    );

const age = (field: string) =>
  z.coerce
    .number({ error: `Enter the ${field} age as a number.` })
    .int(`Enter the ${field} age as a whole number.`)
    .min(0, `The ${field} age cannot be below 0.`)
    .max(
      MAX_AGE,
      `Safe Harbor housing serves young people up to ${MAX_AGE}: the ${field} age is at most ${MAX_AGE}.`,
    );

/** A count of beds: a number, or digits as a form posts them (never null, true or an empty string). */
const beds = (what: string) => {
  const said = `${what[0]!.toUpperCase()}${what.slice(1)}`;
  return z
    .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)], {
      error: `Enter ${what} as a whole number.`,
    })
    .pipe(
      z
        .number()
        .int(`Enter ${what} as a whole number.`)
        .min(0, `${said} cannot be below 0.`)
        .max(MAX_BEDS, `${said} is at most ${MAX_BEDS}.`),
    );
};

const bedTypeName = line(60, 'Name each type of bed.', 'Keep each type of bed’s name to 60 characters.');

/** The kinds of bed of a program: names and how many of each, names unique. */
const bedTypeList = <T extends z.ZodType<{ name: string }>>(item: T) =>
  z
    .array(item)
    .max(MAX_BED_TYPES, `List at most ${MAX_BED_TYPES} types of bed.`)
    .refine(
      (types) => new Set(types.map((t) => t.name.toLowerCase())).size === types.length,
      'Give each type of bed a different name.',
    );

/** A housing program as its organization describes it. */
export const ProgramInput = z
  .object({
    name: line(200, 'Give the program a name.', 'Keep the name to 200 characters.'),
    type: z.enum(PROGRAM_TYPE_CODES, { error: 'Choose the type of program.' }),
    minAge: age('youngest'),
    maxAge: age('oldest'),
    genders: z
      .array(z.enum(GENDER_CODES, { error: 'Choose genders from the list.' }))
      .min(1, 'Choose at least one gender the program serves.')
      .transform((g) => [...new Set(g)]),
    serves: z
      .array(z.enum(NEED_CODES, { error: 'Choose from the list.' }))
      .default([])
      .transform((s) => [...new Set(s)]),
    culturallySpecificFor: z
      .string()
      .trim()
      .max(200, 'Keep who the program is culturally specific for to 200 characters.')
      .refine((t) => !CONTROL.test(t), 'Use letters, numbers, spaces and punctuation.')
      .nullable()
      .default(null)
      .transform((t) => t || null),
    languages: z
      .array(line(60, 'Leave out empty languages.', 'Keep each language to 60 characters.'))
      .max(12, 'List at most 12 languages.')
      .default([]),
    regionIds: z.array(z.string().max(64)).max(20).default([]),
    countyFips: z
      .array(z.string().regex(/^\d{5}$/, 'Choose counties from the list.'))
      .max(100)
      .default([]),
    address: z
      .string()
      .trim()
      .max(300, 'Keep the address to 300 characters.')
      .refine((t) => !CONTROL.test(t), 'Use letters, numbers, spaces and punctuation in the address.')
      .nullable()
      .default(null)
      .transform((t) => t || null),
    bedsTotal: beds('the number of beds'),
    bedTypes: bedTypeList(z.object({ name: bedTypeName, total: beds('the beds of a type') })).default([]),
  })
  .refine((p) => p.minAge <= p.maxAge, {
    path: ['maxAge'],
    message: 'The oldest age cannot be below the youngest.',
  })
  .refine((p) => p.regionIds.length + p.countyFips.length > 0, {
    path: ['regionIds'],
    message: 'Choose at least one region or county the program serves.',
  });
export type ProgramFields = z.input<typeof ProgramInput>;
export type Program = z.output<typeof ProgramInput>;

/** An availability update: beds free now and beds in all, or the same for each type of bed. */
export const AvailabilityInput = z
  .object({
    available: beds('the beds available now').optional(),
    total: beds('the beds in all').optional(),
    bedTypes: z
      .array(
        z.object({
          name: bedTypeName,
          total: beds('the beds of a type'),
          available: beds('the beds available of a type'),
        }),
      )
      .max(MAX_BED_TYPES)
      .optional()
      .openapi({ description: 'For a program with types of bed: each of its types, by name' }),
  })
  .refine((a) => a.available !== undefined || a.bedTypes !== undefined, {
    path: ['available'],
    message: 'Say how many beds are available now.',
  })
  .refine((a) => a.available === undefined || a.total === undefined || a.available <= a.total, {
    path: ['available'],
    message: 'There cannot be more beds available than beds in all.',
  })
  .refine((a) => (a.bedTypes ?? []).every((t) => t.available <= t.total), {
    path: ['bedTypes'],
    message: 'A type of bed cannot have more beds available than it has.',
  })
  .openapi('HousingAvailabilityUpdate');
export type Availability = z.output<typeof AvailabilityInput>;

const list = <T extends string>(codes: readonly [T, ...T[]], message: string) =>
  z
    .string()
    .max(300)
    .transform((raw) => [
      ...new Set(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(codes, { error: message })));

/** The bed board's query, on the page and in the API. */
export const BoardQuery = z.object({
  age: z.coerce
    .number({ error: 'Enter the young person’s age as a number.' })
    .int('Enter the age as a whole number.')
    .min(0, 'Enter an age of 0 or more.')
    .max(MAX_AGE, `Safe Harbor housing serves young people up to ${MAX_AGE}.`)
    .optional()
    .openapi({ description: 'The young person’s age: programs whose ages include it' }),
  gender: z
    .enum(GENDER_CODES, { error: 'Choose a gender from the list.' })
    .optional()
    .openapi({ description: 'Programs that serve this gender' }),
  county: z
    .string()
    .regex(/^\d{5}$/, 'Choose a county from the list.')
    .optional()
    .openapi({ description: 'County FIPS code: programs serving the county or its region' }),
  region: z.string().max(64).optional().openapi({ description: 'Programs serving this region' }),
  needs: list(NEED_CODES, 'Choose needs from the list.')
    .optional()
    .openapi({ description: `Comma-separated, all required: ${NEED_CODES.join(', ')}` }),
  language: z.string().trim().max(60).optional().openapi({ description: 'A language spoken by staff' }),
  type: list(PROGRAM_TYPE_CODES, 'Choose types of program from the list.')
    .optional()
    .openapi({ description: `Comma-separated program types: ${PROGRAM_TYPE_CODES.join(', ')}` }),
  when: z
    .enum(Object.keys(WHEN) as [When, ...When[]], { error: 'Choose tonight or any time.' })
    .default('any')
    .openapi({ description: 'tonight: only programs with a bed available now' }),
});
export type BoardQueryInput = z.output<typeof BoardQuery>;

/** A program on the bed board, as the API gives it: never an address. */
export const BoardProgramSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    organizationName: z.string(),
    type: z.enum(PROGRAM_TYPE_CODES),
    ages: z.object({ min: z.number().int(), max: z.number().int() }),
    genders: z.array(z.enum(GENDER_CODES)),
    serves: z.array(z.enum(NEED_CODES)),
    culturallySpecificFor: z.string().nullable(),
    languages: z.array(z.string()),
    regionIds: z.array(z.string()),
    countyFips: z.array(z.string()),
    beds: z.object({
      total: z.number().int(),
      available: z.number().int().nullable().openapi({ description: 'Null: never updated' }),
      types: z.array(z.object({ name: z.string(), total: z.number().int(), available: z.number().int() })),
    }),
    updatedAt: z.string().nullable().openapi({ format: 'date-time' }),
    stale: z
      .boolean()
      .openapi({ description: 'Availability older than the stale limit (24 hours by default)' }),
    freshness: z.string().openapi({ example: 'updated 3 hours ago' }),
  })
  .openapi('HousingBoardProgram');

/** A program's beds after an update, as the API gives them. */
export const ProgramBedsSchema = z
  .object({
    id: z.string().uuid(),
    beds: BoardProgramSchema.shape.beds,
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('HousingProgramBeds');
