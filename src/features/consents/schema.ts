/**
 * Consent schemas: the consent as entered (the form and the API both go through `checkConsent`, each
 * error naming its field in plain words), the API's request body and its answer.
 */
import { z } from '@hono/zod-openapi';
import { InputError } from '../../platform/errors.ts';
import { CONSENT_CATEGORIES, type ConsentCategory } from '../cases/index.ts';
import { codesOf, type Vocabularies } from '../cases/index.ts';
import {
  CONSENT_BACKDATE_DAYS,
  CONSENT_FUTURE_START_DAYS,
  CONSENT_STATE_NAMES,
  CONSENT_YEARS,
  addDays,
  addYears,
  isCalendarDate,
} from './rules.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters. */
const hasControl = (text: string) => /\p{Cc}/u.test(text);

export interface ConsentInput {
  organizationId: string;
  purpose: string;
  categories: string[];
  method: string;
  witness?: string | null;
  /** Default: today (local). */
  startsOn?: string | null;
  /** Default: one year after it starts. */
  expiresOn?: string | null;
}

export interface CheckedConsent {
  organizationId: string;
  purpose: string;
  categories: ConsentCategory[];
  method: 'written' | 'verbal';
  witness: string | null;
  startsOn: string;
  expiresOn: string;
}

const optionalText = z
  .string()
  .nullish()
  .transform((s) => (s ?? '').trim());

/**
 * The consent as entered, checked field by field in the form's order; `today` is the local date. The
 * dates default to today and one year after the start.
 */
export function consentInputSchema(purposes: readonly string[], today: string) {
  const organization = 'Choose the organization the young person agreed to share with.';
  const purpose = 'Choose what the information will be used for.';
  const method = 'Say how the young person gave consent: written or verbal.';
  return z
    .object({
      organizationId: z.string({ error: organization }).regex(UUID, { error: organization }),
      purpose: z.string({ error: purpose }).refine((p) => purposes.includes(p), { error: purpose }),
      categories: z
        .array(z.string(), { error: 'Choose kinds of information from the list.' })
        .transform((list) => [...new Set(list)])
        .refine((list) => list.length > 0, {
          error: 'Choose at least one kind of information the young person agreed to share.',
        })
        .refine((list) => list.every((c) => (CONSENT_CATEGORIES as readonly string[]).includes(c)), {
          error: 'Choose kinds of information from the list.',
        }),
      method: z.enum(['written', 'verbal'], { error: method }),
      witness: optionalText
        .refine((w) => w.length <= 200, { error: 'The witness’s name must be 200 characters or fewer.' })
        .refine((w) => !hasControl(w), { error: 'Write the witness’s name on one line.' }),
      startsOn: optionalText,
      expiresOn: optionalText,
    })
    .transform((input, ctx): CheckedConsent | typeof z.NEVER => {
      const fail = (field: string, message: string) => {
        ctx.addIssue({ code: 'custom', path: [field], message });
        return z.NEVER;
      };
      if (input.method === 'verbal' && !input.witness)
        return fail('witness', 'Verbal consent needs a witness: write who heard the young person agree.');
      const startsOn = input.startsOn || today;
      if (!isCalendarDate(startsOn))
        return fail('startsOn', 'Write the start date as a real date, YYYY-MM-DD.');
      if (startsOn < addDays(today, -CONSENT_BACKDATE_DAYS))
        return fail(
          'startsOn',
          `The start date can be at most ${CONSENT_BACKDATE_DAYS} days ago. For an older form, ask the young person again.`,
        );
      if (startsOn > addDays(today, CONSENT_FUTURE_START_DAYS))
        return fail(
          'startsOn',
          `The start date can be at most ${CONSENT_FUTURE_START_DAYS} days from today.`,
        );
      const longest = addYears(startsOn, CONSENT_YEARS);
      const expiresOn = input.expiresOn || longest;
      if (!isCalendarDate(expiresOn))
        return fail('expiresOn', 'Write the end date as a real date, YYYY-MM-DD.');
      if (expiresOn <= startsOn) return fail('expiresOn', 'The end date must be after the start date.');
      if (expiresOn <= today) return fail('expiresOn', 'The end date must be after today.');
      if (expiresOn > longest)
        return fail(
          'expiresOn',
          'Consent can last at most one year. Ask the young person again when it ends if they want to keep sharing.',
        );
      return {
        organizationId: input.organizationId.toLowerCase(),
        purpose: input.purpose,
        categories: CONSENT_CATEGORIES.filter((c) => input.categories.includes(c)),
        method: input.method,
        witness: input.witness || null,
        startsOn,
        expiresOn,
      };
    });
}

/**
 * Checks a consent as entered; an `InputError` names the first field at fault. `today` is the local date.
 *
 * @example
 * checkConsent({ organizationId, purpose: 'referral_for_services', categories: ['identity'], method: 'written' }, purposes, '2026-11-22')
 * // { …, startsOn: '2026-11-22', expiresOn: '2027-11-22' }
 */
export function checkConsent(
  input: ConsentInput,
  purposes: readonly string[],
  today: string,
): CheckedConsent {
  const parsed = consentInputSchema(purposes, today).safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------
// The API

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** The API's body for recording a consent (the service checks it further with `checkConsent`). */
export const consentBody = (v: Vocabularies) =>
  z
    .object({
      organizationId: z
        .string()
        .uuid()
        .openapi({ description: 'The organization the consent lets see data' }),
      purpose: z.enum(codesOf(v, 'consentPurposes')),
      categories: z.array(z.enum(CONSENT_CATEGORIES)).min(1).max(CONSENT_CATEGORIES.length),
      method: z.enum(['written', 'verbal']),
      witness: z
        .string()
        .max(200)
        .nullable()
        .optional()
        .openapi({ description: 'Who heard the young person agree: required for verbal consent' }),
      startsOn: isoDate.nullable().optional().openapi({ description: 'Default: today (Minnesota time)' }),
      expiresOn: isoDate.nullable().optional().openapi({
        description: 'The first day it no longer applies. Default and longest: one year after it starts',
      }),
    })
    .strict()
    .openapi('ConsentInput');

export const ConsentSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    organization: z.object({ id: z.string(), name: z.string() }),
    purpose: z.string(),
    purposeLabel: z.string(),
    categories: z.array(z.enum(CONSENT_CATEGORIES)),
    method: z.enum(['written', 'verbal']),
    witness: z.string().nullable(),
    startsOn: isoDate,
    expiresOn: isoDate.openapi({ description: 'The first day the consent no longer applies' }),
    state: z.enum(Object.keys(CONSENT_STATE_NAMES) as [keyof typeof CONSENT_STATE_NAMES]),
    recordedBy: z.string(),
    recordedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
  })
  .openapi('Consent');
