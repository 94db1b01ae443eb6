/**
 * The shapes of required trainings at the edges: the pack's `training.json`, and what a person types
 * into the forms (a course, a requirement, a roster entry, a completion, a trainer assignment).
 */
import { z } from 'zod';
import { ORGANIZATION_TYPES, ROLES } from '../../platform/access.ts';
import { isDate, normalCode } from './rules.ts';

const CODE = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
const date = z.string().refine(isDate, 'Enter a date like 2026-03-31.');
const text = (max: number, message: string) =>
  z.string().trim().min(1, message).max(max, `At most ${max} characters.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .transform((s) => (s === '' ? null : s));
const optionalInt = (min: number, max: number, message: string) =>
  z.union([
    z.literal('').transform(() => null),
    z.coerce.number().int(message).min(min, message).max(max, message),
    z.null(),
  ]);
const courseCode = z
  .string()
  .transform(normalCode)
  .refine((c) => CODE.test(c), 'A course code is letters, digits, dots and dashes, like X205.');
const codeList = (s: string) =>
  s
    .split(/[\s,]+/)
    .map(normalCode)
    .filter(Boolean);

const provenance = {
  source: z.string().min(1),
  retrieved: date,
  verified: z.boolean(),
  note: z.string().nullable().optional(),
};

export const PackCourse = z.strictObject({
  code: courseCode,
  title: z.string().min(1).max(200),
  provider: z.string().min(1).max(200),
  format: z.enum(['online', 'in_person', 'online_or_in_person']).nullable(),
  length: z.string().min(1).max(100).nullable(),
  modules: z.number().int().min(1).max(100).nullable(),
  requiredBy: z.string().min(1).max(300).nullable(),
  renewal: z.enum(['once', 'yearly', 'every_n_years']).nullable(),
  renewalYears: z.number().int().min(1).max(20).nullable(),
  equivalents: z.array(z.array(courseCode).min(1)),
  ...provenance,
});
export type PackCourse = z.infer<typeof PackCourse>;

export const PackRequirement = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/),
  title: z.string().min(1).max(200),
  courseCodes: z.array(courseCode).min(1).max(10),
  roles: z.array(z.enum(ROLES)),
  organizationTypes: z.array(z.enum(Object.keys(ORGANIZATION_TYPES) as [string, ...string[]])),
  withinDays: z.number().int().min(1).max(3650).nullable(),
  ...provenance,
});
export type PackRequirement = z.infer<typeof PackRequirement>;

export const TrainingFile = z.strictObject({
  ...provenance,
  courses: z.array(PackCourse),
  requirements: z.array(PackRequirement),
});
export type TrainingFile = z.infer<typeof TrainingFile>;

/** A course as edited on its page. Equivalents: one set per line, codes separated by "+" or commas. */
export const CourseInput = z
  .object({
    code: courseCode,
    title: text(200, 'Enter the course’s title.'),
    provider: text(200, 'Enter who offers the course.'),
    format: z.union([
      z.enum(['online', 'in_person', 'online_or_in_person']),
      z.literal('').transform(() => null),
    ]),
    length: optionalText(100),
    modules: optionalInt(1, 100, 'Enter a whole number of modules from 1 to 100, or leave it empty.'),
    requiredBy: optionalText(300),
    renewal: z.union([z.enum(['once', 'yearly', 'every_n_years']), z.literal('').transform(() => null)]),
    renewalYears: optionalInt(1, 20, 'Enter a whole number of years from 1 to 20, or leave it empty.'),
    equivalents: z
      .string()
      .max(500)
      .transform((s) =>
        s
          .split(/\n/)
          .map((line) => codeList(line.replace(/\+/g, ',')))
          .filter((set) => set.length > 0),
      ),
    source: text(500, 'Say where these facts come from.'),
    verified: z
      .union([z.literal('yes'), z.literal('no'), z.boolean()])
      .transform((v) => v === true || v === 'yes'),
    note: optionalText(1000),
  })
  .refine((c) => (c.renewal === 'every_n_years') === (c.renewalYears !== null), {
    message: 'Give the number of years only for “every few years”.',
    path: ['renewalYears'],
  });
export type CourseInput = z.infer<typeof CourseInput>;

export const RequirementInput = z.object({
  id: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,59}$/,
      'Use lower-case letters, digits and dashes, like county-intake-staff.',
    ),
  title: text(200, 'Enter what the rule asks.'),
  courseCodes: z
    .string()
    .transform(codeList)
    .refine((l) => l.length >= 1 && l.length <= 10, 'Enter one to ten course codes, separated by commas.'),
  roles: z.array(z.enum(ROLES)).default([]),
  organizationTypes: z.array(z.enum(Object.keys(ORGANIZATION_TYPES) as [string, ...string[]])).default([]),
  withinDays: optionalInt(1, 3650, 'Enter a whole number of days from 1 to 3650, or leave it empty.'),
  source: text(500, 'Say where the rule comes from.'),
  verified: z
    .union([z.literal('yes'), z.literal('no'), z.boolean()])
    .transform((v) => v === true || v === 'yes'),
  note: optionalText(1000),
  retired: z
    .union([z.literal('yes'), z.literal(''), z.boolean()])
    .default(false)
    .transform((v) => v === true || v === 'yes'),
});
export type RequirementInput = z.infer<typeof RequirementInput>;

export const RosterInput = z.object({
  name: text(200, 'Enter the person’s name.'),
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => (s === '' ? null : s))
    .refine(
      (s) => s === null || z.email().safeParse(s).success,
      'Enter an email address like name@example.org, or leave it empty.',
    ),
  role: z.enum(ROLES, 'Choose the person’s role.'),
  title: optionalText(100),
  startedOn: z.union([z.literal('').transform(() => null), date]),
});
export type RosterInput = z.infer<typeof RosterInput>;

/** A completion recorded on a person's row: `person` is "user:<id>" or "roster:<id>". */
export const CompletionInput = z.object({
  person: z.string().regex(/^(user|roster):[0-9a-f-]{36}$/i, 'Choose the person.'),
  courseCode: courseCode,
  completedOn: date,
});

export const TrainerInput = z.object({ userId: z.string().uuid('Choose a trainer.') });

export const RegionsInput = z.object({ regionIds: z.array(z.string().min(1).max(60)).max(50).default([]) });
