/**
 * The input of certified settings, one definition for the staff forms, the service and the API: a
 * setting's certification (state administrators), a direct-contact staff member (the setting's
 * organization), and what the API answers. Each message names its field in plain words. Whether the
 * organization and the program exist, and dates against today, are checked by the service.
 */
import { z } from '@hono/zod-openapi';
import { RECORDED_STATUS_CODES, STATUSES, isCalendarDate, type SettingStatus } from './rules.ts';

/** Control characters other than line breaks and tabs. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

const line = (max: number, empty: string, long: string) =>
  z
    .string({ error: empty })
    .transform((raw) => raw.trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, empty)
        .max(max, long)
        .refine((t) => !CONTROL.test(t), 'Use letters, numbers, spaces and punctuation.'),
    );

/** A calendar date written YYYY-MM-DD (what a date field posts). */
const date = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .refine(isCalendarDate, `Enter ${what} as a real date, for example 2027-03-31.`)
    .refine((d) => d >= '1990-01-01' && d <= '2100-12-31', `Enter ${what} between 1990 and 2100.`)
    .openapi({ format: 'date' });

/** An optional date: empty or absent is none. */
const optionalDate = (what: string) =>
  z
    .union([z.literal(''), z.null(), date(what)])
    .optional()
    .transform((d) => d || null);

const uuid = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message)
    .transform((s) => s.toLowerCase());

/** A setting's certification as a state administrator records or changes it. */
export const CertificationInput = z
  .object({
    name: line(200, 'Give the setting’s name.', 'Keep the name to 200 characters.'),
    programId: z
      .union([z.literal(''), z.null(), uuid('Choose a housing program from the list.')])
      .optional()
      .transform((s) => s || null),
    licenseNumber: line(60, 'Enter the license number.', 'Keep the license number to 60 characters.'),
    certificationNumber: line(
      60,
      'Enter the certification number.',
      'Keep the certification number to 60 characters.',
    ),
    certifiedOn: date('the date it was certified'),
    expiresOn: date('the date the certification expires'),
    status: z.enum(RECORDED_STATUS_CODES, { error: 'Choose the status of the certification.' }),
    notes: z
      .string()
      .max(2000, 'Keep the notes to 2,000 characters.')
      .refine((t) => !CONTROL.test(t), 'Use letters, numbers, spaces and punctuation in the notes.')
      .nullable()
      .optional()
      .transform((t) => t?.trim() || null),
  })
  .refine((s) => s.expiresOn > s.certifiedOn, {
    path: ['expiresOn'],
    message: 'The expiry date must come after the date it was certified.',
  });
export type Certification = z.output<typeof CertificationInput>;

/** A new setting: its organization and its certification. */
export const SettingInput = z
  .object({ organizationId: uuid('Choose the organization that runs the setting.') })
  .and(CertificationInput);
export type NewSetting = z.output<typeof SettingInput>;

/** A direct-contact staff member as the setting's organization records them. */
export const StaffMemberInput = z.object({
  name: line(120, 'Enter the person’s name.', 'Keep the name to 120 characters.'),
  roleTitle: line(100, 'Enter the person’s role or title.', 'Keep the role or title to 100 characters.'),
  startedOn: date('the date they started'),
  trainedOn: optionalDate('the date they completed the training'),
});
export type StaffMember = z.output<typeof StaffMemberInput>;

const STATUS_CODES = Object.keys(STATUSES) as [SettingStatus, ...SettingStatus[]];

/** A setting as the API lists it. */
export const SettingSummarySchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    organizationId: z.string().uuid(),
    organizationName: z.string(),
    programId: z.string().uuid().nullable(),
    programName: z.string().nullable(),
    licenseNumber: z.string(),
    certificationNumber: z.string(),
    certifiedOn: z.string().openapi({ format: 'date' }),
    expiresOn: z.string().openapi({ format: 'date' }),
    daysToExpiry: z.number().int().openapi({ description: 'Negative once expired' }),
    status: z.enum(STATUS_CODES).openapi({ description: 'expired follows from the expiry date' }),
    staff: z.object({
      total: z.number().int(),
      trained: z.number().int(),
      overdue: z
        .number()
        .int()
        .openapi({ description: 'Started more than the training days ago, untrained' }),
    }),
  })
  .openapi('CertifiedSetting');

/** One direct-contact staff member, as the API gives them. */
export const StaffMemberSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    roleTitle: z.string(),
    startedOn: z.string().openapi({ format: 'date' }),
    trainedOn: z.string().nullable().openapi({ format: 'date', description: 'Null: not yet' }),
    training: z.enum(['trained', 'overdue', 'not_yet']),
  })
  .openapi('CertifiedSettingStaffMember');

/** One setting with its notes and its direct-contact staff. */
export const SettingDetailSchema = SettingSummarySchema.extend({
  notes: z.string().nullable(),
  trainingDays: z.number().int().openapi({
    description: 'Days after starting before missing training shows as overdue (a local setting)',
  }),
  staffMembers: z.array(StaffMemberSchema),
}).openapi('CertifiedSettingDetail');
