/**
 * What the public intake forms accept, as zod schemas: a young person's request to be contacted, a
 * professional's referral or consultation, and the screening answers the /identify result hands on.
 * Each message names its field in plain words. Empty optional text becomes null.
 */
import { z } from 'zod';
import { ScreeningHandoffSchema, type ScreeningHandoff } from '../pathway/index.ts';
import { REFERRER_ROLES } from './rules.ts';

/** Largest `screening` field accepted before it is parsed. */
const MAX_SCREENING_CHARS = 200_000;

/** Control characters; in several lines of text, tabs and line breaks are allowed. */
const CONTROL_IN_LINE = /\p{Cc}/u;
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** Optional text, without the control characters `control` matches: empty becomes null. */
const optionalText = (control: RegExp) => (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}: use at most ${max} characters.`)
    .refine((s) => !control.test(s), `${what}: remove the special characters.`)
    .transform((s) => (s === '' ? null : s));

/** Optional text on one line. */
const line = optionalText(CONTROL_IN_LINE);
/** Optional text over several lines. */
const paragraph = optionalText(CONTROL);

const PHONE = /^[+(]?[0-9][0-9 ().+-]{5,28}[0-9](\s*(x|ext\.?)\s*[0-9]{1,6})?$/i;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;
const looksLikePhone = (s: string) => PHONE.test(s) && (s.match(/[0-9]/g) ?? []).length >= 7;
const looksLikeEmail = (s: string) => EMAIL.test(s);

const ageField = z
  .string()
  .trim()
  .refine((s) => s === '' || /^\d{1,3}$/.test(s), 'Age: enter a number of years, like 16, or leave it empty.')
  .transform((s) => (s === '' ? null : Number(s)))
  .refine((n) => n === null || n <= 120, 'Age: enter a number of years, like 16, or leave it empty.');

export const CONTACT_ME_FIELDS = [
  'method',
  'contact',
  'times',
  'codeWord',
  'name',
  'language',
  'place',
  'message',
];

export const ContactMeSchema = z
  .object({
    method: z.enum(['phone_call', 'text_message', 'email'], {
      error: 'Choose how the navigator should reach you.',
    }),
    contact: line(200, 'Phone number or email'),
    times: line(200, 'Safe times'),
    codeWord: line(100, 'Code word'),
    name: line(100, 'Name'),
    language: line(100, 'Language'),
    place: line(80, 'Place'),
    message: paragraph(4000, 'Your message'),
  })
  .superRefine((v, ctx) => {
    if (!v.contact) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact'],
        message:
          v.method === 'email'
            ? 'Enter the email address the navigator should write to.'
            : 'Enter the phone number the navigator should use.',
      });
    } else if (v.method === 'email' ? !looksLikeEmail(v.contact) : !looksLikePhone(v.contact)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact'],
        message:
          v.method === 'email'
            ? 'Enter an email address, like name@example.org.'
            : 'Enter a phone number, like 612-555-0100.',
      });
    }
  });

export const REFER_FIELDS = [
  'youthName',
  'age',
  'place',
  'method',
  'contact',
  'times',
  'codeWord',
  'language',
  'danger',
  'missing',
  'exploitation',
  'observed',
  'referrerName',
  'referrerRole',
  'referrerOrganization',
  'referrerPhone',
  'referrerEmail',
  'callbackTimes',
] as const;

/** Fields that would identify or reach the young person: refused in a consultation. */
const IDENTIFYING_FIELDS = ['youthName', 'method', 'contact', 'times', 'codeWord'] as const;

export const ReferSchema = z
  .object({
    agreed: z.enum(['yes', 'no'], { error: 'Say whether the young person agreed to be contacted.' }),
    youthName: line(100, 'First name or initials'),
    age: ageField,
    place: line(80, 'Place'),
    method: z
      .enum(['', 'phone_call', 'text_message', 'email', 'through_referrer', 'other'], {
        error: 'Choose how the navigator should reach them.',
      })
      .transform((s) => (s === '' ? null : s)),
    contact: line(200, 'How to reach them'),
    times: line(200, 'Safe times'),
    codeWord: line(100, 'Code word'),
    language: line(100, 'Language'),
    danger: z.enum(['', 'yes'], { error: 'Tick the box or leave it empty.' }),
    missing: z.enum(['', 'yes'], { error: 'Tick the box or leave it empty.' }),
    exploitation: z.enum(['', 'yes', 'unsure', 'no'], { error: 'Choose yes, not sure or no.' }),
    observed: paragraph(4000, 'What you observed'),
    referrerName: line(200, 'Your name'),
    referrerRole: z.enum(['', ...REFERRER_ROLES], { error: 'Choose your role from the list.' }),
    referrerOrganization: line(200, 'Your organization'),
    referrerPhone: line(50, 'Your phone number'),
    referrerEmail: line(200, 'Your email address'),
    callbackTimes: line(200, 'When to call you back'),
  })
  .superRefine((v, ctx) => {
    const problem = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (v.agreed === 'no') {
      for (const f of IDENTIFYING_FIELDS)
        if (v[f] !== null)
          problem(
            f,
            'Leave this empty: without the young person’s agreement, send no name or contact details. Ask them first, or send an anonymous consultation.',
          );
    } else {
      if (!v.youthName) problem('youthName', 'Enter their first name or initials.');
      if (!v.method) problem('method', 'Choose how the navigator should reach them.');
      else if (v.method !== 'through_referrer') {
        if (!v.contact)
          problem('contact', 'Enter how the navigator can reach them (a number or an address).');
        else if ((v.method === 'phone_call' || v.method === 'text_message') && !looksLikePhone(v.contact))
          problem('contact', 'Enter their phone number, like 612-555-0100.');
        else if (v.method === 'email' && !looksLikeEmail(v.contact))
          problem('contact', 'Enter their email address, like name@example.org.');
      }
    }
    if (!v.observed) problem('observed', 'Say briefly what you observed or what worries you.');
    if (!v.referrerName) problem('referrerName', 'Enter your name, so the navigator knows who referred.');
    if (!v.referrerRole) problem('referrerRole', 'Choose your role.');
    if (!v.referrerPhone && !v.referrerEmail)
      problem('referrerPhone', 'Enter a phone number or an email address where the navigator can reach you.');
    if (v.referrerPhone && !looksLikePhone(v.referrerPhone))
      problem('referrerPhone', 'Enter your phone number, like 612-555-0100.');
    if (v.referrerEmail && !looksLikeEmail(v.referrerEmail))
      problem('referrerEmail', 'Enter your email address, like name@example.org.');
  });

export type ScreeningRead = { ok: true; screening: ScreeningHandoff | null } | { ok: false };

/** The `screening` field the /identify result posts: absent is fine, anything unreadable is not. */
export function readScreening(raw: string | undefined): ScreeningRead {
  if (raw === undefined || raw.trim() === '') return { ok: true, screening: null };
  if (raw.length > MAX_SCREENING_CHARS) return { ok: false };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false };
  }
  const parsed = ScreeningHandoffSchema.safeParse(json);
  return parsed.success ? { ok: true, screening: parsed.data } : { ok: false };
}

export type ContactMe = z.infer<typeof ContactMeSchema>;
export type Referral = z.infer<typeof ReferSchema>;
