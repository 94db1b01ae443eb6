/**
 * What administrators send to change public facts, for the staff forms and the API alike. Every
 * message names its field in plain words. Empty text means "none" (null).
 */
import { z } from 'zod';
import { ORGANIZATION_TYPES } from '../../platform/access.ts';

/** Empty text means "none": null, as is a missing value. */
const emptyAsNull = (text: z.ZodType<string, string>) =>
  text
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional()
    .transform((s) => s ?? null);

/** A yes/no box: ticked ("on", "yes" or true) or not. */
const checkbox = () =>
  z
    .union([z.boolean(), z.literal('yes'), z.literal('no'), z.literal('on'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === 'yes' || v === 'on');

/** Text that must be given: trimmed, `min` to `max` characters. `missing` says it is absent, `tooShort` too short. */
const requiredText = (
  field: string,
  min: number,
  max: number,
  missing = `${field} is required.`,
  tooShort = missing,
) =>
  z
    .string({ message: missing })
    .trim()
    .min(min, tooShort)
    .max(max, `${field} can be at most ${max} characters.`);

const optionalText = (field: string, max: number) =>
  emptyAsNull(z.string().trim().max(max, `${field} can be at most ${max} characters.`));

const phoneDigits = (field: string) =>
  emptyAsNull(
    z
      .string()
      .trim()
      .refine(
        (s) => s === '' || /^\+?[\d\s().-]{3,25}$/.test(s),
        `${field} must be a phone number, like 218-555-0100.`,
      )
      .refine(
        (s) => s === '' || (s.replace(/\D/g, '').length >= 3 && s.replace(/\D/g, '').length <= 15),
        `${field} must have between 3 and 15 digits.`,
      ),
  );

const webAddress = emptyAsNull(
  z
    .string()
    .trim()
    .refine(
      (s) => s === '' || /^https?:\/\/[^\s]+\.[^\s]+$/i.test(s),
      'Website must start with https:// or http://.',
    ),
);

const emailAddress = emptyAsNull(
  z
    .string()
    .trim()
    .refine(
      (s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
      'Email must be an email address, like info@example.org.',
    ),
);

const isoDate = (field: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be a date, like 2026-07-01.`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), `${field} must be a real date.`);

/** A list given as "a, b, c" (forms) or as an array (API). */
const textList = (field: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean))
    .refine(
      (l) => l.length <= 30 && l.every((s) => s.length <= 60),
      `${field}: at most 30, each up to 60 characters.`,
    );

/** Where a fact was confirmed, and whether it was. */
export const provenanceInput = z.object({
  source: requiredText(
    'Source',
    3,
    500,
    'Source is required: a document, a web address, or who confirmed it by phone.',
  ),
  verified: checkbox(),
  note: optionalText('Note', 1000),
});
export type ProvenanceInput = z.infer<typeof provenanceInput>;

/** The names of a form's fields, as the staff form posts them: the keys of its schema (provenance included). */
const fieldsOf = <S extends z.ZodRawShape>(schema: z.ZodObject<S>): readonly (keyof S & string)[] =>
  Object.keys(schema.shape) as (keyof S & string)[];

export const organizationInput = provenanceInput.extend({
  name: requiredText('Name', 2, 200),
  type: z.enum(Object.keys(ORGANIZATION_TYPES) as [keyof typeof ORGANIZATION_TYPES], {
    message: 'Type must be one of the listed types.',
  }),
  phone: phoneDigits('Public phone'),
  phone2: phoneDigits('Second public phone'),
  textNumber: phoneDigits('Text number'),
  email: emailAddress,
  website: webAddress,
  hours: optionalText('Hours', 300),
  languages: textList('Languages'),
  addressConfidential: checkbox(),
});
export type OrganizationInput = z.infer<typeof organizationInput>;
export const ORGANIZATION_FIELDS = fieldsOf(organizationInput);

/** A county's membership of a region from a date (to a date, or open). */
export const membershipInput = provenanceInput
  .extend({
    county: z
      .string({ message: 'County is required.' })
      .regex(/^\d{5}$/, 'County must be chosen from the list.'),
    effectiveFrom: isoDate('Start date'),
    effectiveTo: isoDate('End date')
      .or(z.literal(''))
      .nullable()
      .optional()
      .transform((s) => (s ? s : null)),
  })
  .refine((m) => m.effectiveTo === null || m.effectiveTo > m.effectiveFrom, {
    message: 'End date must be after the start date.',
    path: ['effectiveTo'],
  });
export type MembershipInput = z.infer<typeof membershipInput>;
export const MEMBERSHIP_FIELDS = fieldsOf(membershipInput);

/** A region's navigator organization and the region's own provenance. */
export const regionInput = provenanceInput.extend({
  navigatorOrganizationId: z
    .string()
    .trim()
    .max(100, 'Navigator organization must be chosen from the list.')
    .optional()
    .transform((s) => (s ? s : null)),
});
export type RegionInput = z.infer<typeof regionInput>;
export const REGION_FIELDS = fieldsOf(regionInput);

const age = (field: string) =>
  z
    .union([z.number(), z.string()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 120) {
        ctx.addIssue({ code: 'custom', message: `${field} must be a whole number from 0 to 120.` });
        return z.NEVER;
      }
      return n;
    });

/** The fields of an HSDS 3.1 service the finder shows. */
export const serviceInput = provenanceInput
  .extend({
    name: requiredText('Name', 2, 200),
    description: requiredText(
      'Description',
      10,
      4000,
      'Description is required.',
      'Description is required: at least 10 characters.',
    ),
    eligibility: optionalText('Who it is for', 2000),
    minimumAge: age('Youngest age'),
    maximumAge: age('Oldest age'),
    phone: phoneDigits('Phone'),
    email: emailAddress,
    website: webAddress,
    languages: textList('Languages'),
  })
  .refine((s) => s.minimumAge === null || s.maximumAge === null || s.minimumAge <= s.maximumAge, {
    message: 'Oldest age must be the same as or above the youngest age.',
    path: ['maximumAge'],
  });
export type ServiceInput = z.infer<typeof serviceInput>;
export const SERVICE_FIELDS = fieldsOf(serviceInput);
