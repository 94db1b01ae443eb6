/**
 * What an event, a change of one occurrence, and a registration may hold, checked at the edge (zod).
 * Messages are for the person filling in the form: they say what to do.
 */
import { z } from 'zod';
import { ruleProblem } from './rules.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const text = (max: number, message: string) =>
  z.string().trim().min(1, message).max(max, `Keep it under ${max} characters.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max} characters.`)
    .optional()
    .transform((s) => (s ? s : null));
const date = (message: string) =>
  z
    .string()
    .trim()
    .regex(DATE, message)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T12:00:00Z`)), message);
const time = (message: string) => z.string().trim().regex(TIME, message);

export const EVENT_FIELDS = [
  'title',
  'kind',
  'description',
  'courseCode',
  'startsOn',
  'startTime',
  'endTime',
  'rrule',
  'placeKind',
  'placeName',
  'placeAddress',
  'onlineUrl',
  'regionId',
  'capacity',
  'registration',
  'organizerName',
] as const;

export const EventInput = z
  .object({
    title: text(200, 'Give the event a title.'),
    kind: z.enum(['training', 'community'], { message: 'Choose training or community event.' }),
    description: z.string().trim().max(4000, 'Keep the description under 4,000 characters.').default(''),
    courseCode: optionalText(40),
    startsOn: date('Enter the date as YYYY-MM-DD, for example 2027-01-20.'),
    startTime: time('Enter the start time as HH:MM on a 24-hour clock, for example 11:00.'),
    endTime: time('Enter the end time as HH:MM on a 24-hour clock, for example 12:30.'),
    rrule: optionalText(300),
    placeKind: z.enum(['in_person', 'online'], { message: 'Choose in person or online.' }),
    placeName: optionalText(200),
    placeAddress: optionalText(300),
    onlineUrl: optionalText(500),
    regionId: optionalText(80),
    capacity: z
      .string()
      .trim()
      .optional()
      .transform((s) => (s ? Number(s) : null))
      .refine(
        (n) => n === null || (Number.isInteger(n) && n >= 1 && n <= 10000),
        'Enter a whole number of places, 1 to 10,000, or leave it empty for no limit.',
      ),
    registration: z.enum(['public', 'staff', 'none'], { message: 'Choose how people register.' }),
    organizerName: optionalText(200),
  })
  .superRefine((v, ctx) => {
    if (v.endTime <= v.startTime)
      ctx.addIssue({
        code: 'custom',
        path: ['endTime'],
        message: 'The end time must be after the start time, on the same day.',
      });
    if (v.rrule) {
      const problem = ruleProblem(v.rrule);
      if (problem) ctx.addIssue({ code: 'custom', path: ['rrule'], message: problem });
    }
    if (v.placeKind === 'in_person' && !v.placeName && !v.placeAddress)
      ctx.addIssue({ code: 'custom', path: ['placeName'], message: 'Give the place’s name or address.' });
    if (v.placeKind === 'online') {
      if (!v.onlineUrl || !/^https:\/\/[^\s]+$/.test(v.onlineUrl) || !URL.canParse(v.onlineUrl))
        ctx.addIssue({
          code: 'custom',
          path: ['onlineUrl'],
          message: 'Give the link to join, starting with https://.',
        });
    }
  });
export type EventInput = z.infer<typeof EventInput>;

export const OCCURRENCE_FIELDS = [
  'occurrenceDate',
  'movedTo',
  'startTime',
  'endTime',
  'placeName',
  'placeAddress',
] as const;

export const OccurrenceChangeInput = z
  .object({
    occurrenceDate: date('Choose the date to change.'),
    movedTo: optionalText(10).refine((s) => s === null || DATE.test(s), 'Enter the new date as YYYY-MM-DD.'),
    startTime: optionalText(5).refine((s) => s === null || TIME.test(s), 'Enter the start time as HH:MM.'),
    endTime: optionalText(5).refine((s) => s === null || TIME.test(s), 'Enter the end time as HH:MM.'),
    placeName: optionalText(200),
    placeAddress: optionalText(300),
  })
  .refine((v) => v.movedTo || v.startTime || v.endTime || v.placeName || v.placeAddress, {
    message: 'Change at least one thing: the date, the times or the place.',
    path: ['movedTo'],
  });
export type OccurrenceChangeInput = z.infer<typeof OccurrenceChangeInput>;

export const REGISTRATION_FIELDS = ['name', 'email', 'organization'] as const;

export const RegistrationInput = z.object({
  name: text(200, 'Enter your name.'),
  email: z
    .string()
    .trim()
    .max(254, 'Keep the email address under 254 characters.')
    .pipe(z.email({ message: 'Enter an email address like name@example.org.' })),
  organization: optionalText(200),
});
export type RegistrationInput = z.infer<typeof RegistrationInput>;

/** A local date in a query or path. */
export const isDate = (s: string | undefined): s is string =>
  typeof s === 'string' && DATE.test(s) && !Number.isNaN(Date.parse(`${s}T12:00:00Z`));
