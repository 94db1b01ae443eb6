/**
 * The format of a screening instrument: versioned data, not code. An instrument is a list of question
 * groups (one page each in `/identify`); each item says what it asks in plain language, how it is
 * answered, and how an answer maps onto the pathway's facts and risk factors.
 *
 * The shipped "Safe Harbor indicators checklist" (`data/<jurisdiction>/instruments/`) is written in this
 * format; an administrator can load another instrument the agency is licensed to use in the same format.
 * This file checks the shape; `check.ts` checks what a shape cannot (unique ids, known risk factors, an
 * item that always tells the pathway who is asking).
 */
import { z } from 'zod';
import { AGE_BANDS, REPORTER_ROLES, TRI_STATE } from '../pathway/types.ts';

export const INSTRUMENT_FORMAT = 'nwd-screening-instrument/1';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()), 'a real date');

/** Control characters other than tab and line breaks. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** Plain text shown to people: no control characters, a sensible length. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be ${max} characters or fewer`)
    .refine((s) => !CONTROL.test(s), 'must not hold control characters');

/** Item ids travel in form field names (`a.<id>`) and element ids: letters, digits and underscores. */
export const ITEM_ID = /^[a-z][a-z0-9_]{0,62}$/;
const itemId = z
  .string()
  .regex(ITEM_ID, 'lower-case letters, digits and underscores, starting with a letter');
const optionValue = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, hyphens and underscores');

/** An instrument id: lower-case words joined by hyphens, e.g. `safe-harbor-indicators`. */
export const INSTRUMENT_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
/** A version: digits, letters, dots and hyphens, e.g. `2026.11.1` or `3.0-mn`. */
export const INSTRUMENT_VERSION = /^[0-9A-Za-z][0-9A-Za-z.-]{0,49}$/;

/**
 * The pathway facts an answer may set, with the values each accepts (the pathway's own vocabulary in
 * `features/pathway/types.ts`). `age` and `county` are set by a number item and a county item instead.
 */
export const FactsMapping = z
  .object({
    reporterRole: z.enum(REPORTER_ROLES),
    ageBand: z.enum(AGE_BANDS),
    exchangeForValue: z.enum(TRI_STATE),
    thirdPartyProfit: z.enum(TRI_STATE),
    recruitedOrAdvertised: z.enum(TRI_STATE),
    americanIndian: z.enum(TRI_STATE),
    allegedOffenderIsCaregiver: z.enum(TRI_STATE),
    laborExploitation: z.enum(TRI_STATE),
    foreignNational: z.enum(TRI_STATE),
    inOutOfHomeCare: z.boolean(),
    currentlyMissingFromCare: z.boolean(),
    foundAfterMissingFromCare: z.boolean(),
    immediateDanger: z.boolean(),
  })
  .partial()
  .strict();
export type FactsMapping = z.infer<typeof FactsMapping>;
export type MappableFact = keyof FactsMapping;
export const MAPPABLE_FACTS = Object.keys(FactsMapping.shape) as MappableFact[];
export const TRI_STATE_FACTS = [
  'exchangeForValue',
  'thirdPartyProfit',
  'recruitedOrAdvertised',
  'americanIndian',
  'allegedOffenderIsCaregiver',
  'laborExploitation',
  'foreignNational',
] as const satisfies readonly MappableFact[];
export const BOOLEAN_FACTS = [
  'inOutOfHomeCare',
  'currentlyMissingFromCare',
  'foundAfterMissingFromCare',
  'immediateDanger',
] as const satisfies readonly MappableFact[];

/** What one answer means for the pathway: facts it sets and risk factors (codes of the ruleset) it adds. */
export const Mapping = z
  .object({
    facts: FactsMapping.optional(),
    riskFactors: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a risk-factor code such as homeless_or_runaway'))
      .max(30)
      .optional(),
  })
  .strict();
export type Mapping = z.infer<typeof Mapping>;

const Option = z
  .object({
    value: optionValue,
    label: text(200),
    help: text(500).optional(),
    map: Mapping.optional(),
  })
  .strict();
export type Option = z.infer<typeof Option>;

const Answer = z.discriminatedUnion('type', [
  /** Yes / No / Not sure. */
  z
    .object({
      type: z.literal('yes_no_unknown'),
      map: z.object({ yes: Mapping, no: Mapping, unknown: Mapping }).partial().strict().optional(),
    })
    .strict(),
  /** Yes / No. */
  z
    .object({
      type: z.literal('boolean'),
      map: z.object({ yes: Mapping, no: Mapping }).partial().strict().optional(),
    })
    .strict(),
  /** One of a list (radio buttons). */
  z.object({ type: z.literal('single_choice'), options: z.array(Option).min(2).max(40) }).strict(),
  /** Any of a list (check boxes). */
  z.object({ type: z.literal('multi_choice'), options: z.array(Option).min(1).max(40) }).strict(),
  /** A whole number; `fact: "age"` passes it to the pathway as the age in years. */
  z
    .object({
      type: z.literal('number'),
      min: z.number().int().min(0).max(1_000_000),
      max: z.number().int().min(0).max(1_000_000),
      unit: text(30).optional(),
      fact: z.literal('age').optional(),
      /** Ranges (inclusive) whose mapping applies when the number falls in them. */
      ranges: z
        .array(
          z
            .object({ min: z.number().int().optional(), max: z.number().int().optional(), map: Mapping })
            .strict(),
        )
        .max(20)
        .optional(),
    })
    .strict()
    .refine((a) => a.min <= a.max, { message: 'min must not be greater than max', path: ['max'] }),
  /** A county of the jurisdiction, chosen from a list or found from a ZIP code: the pathway's `county`. */
  z.object({ type: z.literal('county') }).strict(),
]);
export type Answer = z.infer<typeof Answer>;
export type AnswerType = Answer['type'];
export const ANSWER_TYPES: readonly AnswerType[] = [
  'yes_no_unknown',
  'boolean',
  'single_choice',
  'multi_choice',
  'number',
  'county',
];

const Item = z
  .object({
    id: itemId,
    question: text(300),
    help: text(1000).optional(),
    required: z.boolean().default(false),
    answer: Answer,
  })
  .strict();
export type Item = z.infer<typeof Item>;

const Group = z
  .object({
    id: itemId,
    title: text(80),
    intro: text(1000).optional(),
    items: z.array(Item).min(1).max(30),
  })
  .strict();
export type Group = z.infer<typeof Group>;

export const InstrumentSchema = z
  .object({
    format: z.literal(INSTRUMENT_FORMAT),
    id: z
      .string()
      .regex(INSTRUMENT_ID, 'lower-case letters, digits and hyphens, e.g. safe-harbor-indicators'),
    version: z.string().regex(INSTRUMENT_VERSION, 'letters, digits, dots and hyphens, e.g. 2026.11.1'),
    name: text(120),
    description: text(2000),
    /** True only for an instrument validated in published research (and used under its licence). */
    validated: z.boolean(),
    /** Who may use it and under what terms, e.g. "Licensed to Example County by WestCoast Children's Clinic". */
    licence: text(1000),
    /** Provenance, as for all data in the pack. */
    source: text(1000),
    retrieved: isoDate,
    verified: z.boolean(),
    note: text(2000).nullable().optional(),
    groups: z.array(Group).min(1).max(20),
  })
  .strict();
export type Instrument = z.infer<typeof InstrumentSchema>;

/**
 * `id:version`: how an instrument is named in forms and in the audit log (not `id@version`, which the
 * audit log would take for an email address).
 */
export const instrumentKey = (i: { id: string; version: string }): string => `${i.id}:${i.version}`;
