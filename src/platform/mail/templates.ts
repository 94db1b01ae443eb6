/**
 * The emails the service sends, one typed template each. Nothing about a young person can reach an
 * email: subjects are fixed per template, every parameter is checked against the template's schema
 * (unknown keys refused), keys that name personal data are refused outright, and links must point at
 * the service's own origin.
 */
import { z } from 'zod';
import { formatMoment } from '../calendar.ts';

/** The service's own public origin, from configuration: every link in an email must point at it. */
export interface SiteOrigin {
  /** e.g. `https://nwd.example.org`; `http://localhost:3000` is accepted only in development. */
  origin: string;
  /** Local development: allows an `http://localhost` (or loopback address) origin. */
  development: boolean;
}

/** A message ready for the outbox: the subject is the template's fixed subject. */
export interface RenderedEmail {
  subject: string;
  text: string;
}

/** A template parameter was refused. The message names keys and rules only, never a value. */
export class EmailContentError extends Error {
  override name = 'EmailContentError';
}

/**
 * Parameter names that hold personal data (compared lowercased, without `_`, `-` or spaces). None may
 * appear in an email's parameters, nor as a query parameter of one of its links.
 */
export const PERSONAL_DATA_KEYS: readonly string[] = [
  'name',
  'firstName',
  'middleName',
  'lastName',
  'fullName',
  'givenName',
  'familyName',
  'surname',
  'legalName',
  'chosenName',
  'preferredName',
  'nickname',
  'alias',
  'dateOfBirth',
  'dob',
  'birthDate',
  'birthday',
  'age',
  'gender',
  'sex',
  'pronouns',
  'race',
  'ethnicity',
  'tribe',
  'address',
  'street',
  'streetAddress',
  'zip',
  'zipCode',
  'postalCode',
  'phone',
  'phoneNumber',
  'mobile',
  'email',
  'emailAddress',
  'ssn',
  'socialSecurityNumber',
  'medicaidId',
  'location',
  'school',
  'youth',
  'youthName',
  'client',
  'clientName',
  'person',
  'personName',
  'guardian',
  'parent',
  'notes',
  'note',
  'narrative',
  'story',
  'diagnosis',
  'disability',
  'immigrationStatus',
  'safetyPlan',
  'codeWord',
  'photo',
];

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[\s_-]/g, '');
const PERSONAL = new Set(PERSONAL_DATA_KEYS.map(normaliseKey));

/**
 * True when a parameter name is on the personal-data list.
 *
 * @example
 * isPersonalDataKey('date_of_birth'); // true
 * isPersonalDataKey('expiresAt'); // false
 */
export function isPersonalDataKey(key: string): boolean {
  return PERSONAL.has(normaliseKey(key));
}

/**
 * Throws `EmailContentError` when `params` (or any object inside it) has a key on the personal-data list.
 *
 * @example
 * assertNoPersonalDataKeys({ link, headline }); // passes
 * assertNoPersonalDataKeys({ link, chosenName: 'Synthetic' }); // throws: chosenName
 */
export function assertNoPersonalDataKeys(params: unknown, path = ''): void {
  if (params === null || typeof params !== 'object' || params instanceof Date) return;
  for (const [key, value] of Object.entries(params)) {
    const at = path ? `${path}.${key}` : key;
    if (isPersonalDataKey(key)) {
      throw new EmailContentError(
        `The email parameter "${at}" is personal data: emails never carry personal data.`,
      );
    }
    assertNoPersonalDataKeys(value, at);
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The configured origin, checked: `https:`, or `http:` on a loopback host in development.
 *
 * @example
 * siteOrigin({ origin: 'https://nwd.example.org/', development: false }); // 'https://nwd.example.org'
 */
export function siteOrigin(site: SiteOrigin): string {
  let url: URL;
  try {
    url = new URL(site.origin);
  } catch {
    throw new EmailContentError('The service origin for email links is not a URL.');
  }
  const localDevelopment = site.development && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !localDevelopment) {
    throw new EmailContentError(
      'The service origin for email links must be https (http://localhost only in development).',
    );
  }
  if (url.username || url.password)
    throw new EmailContentError('The service origin must not hold credentials.');
  return url.origin;
}

function linkSchema(site: SiteOrigin) {
  const origin = siteOrigin(site);
  return z
    .string()
    .max(2048)
    .refine((value) => URL.canParse(value), 'must be an absolute URL')
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) return;
      const url = new URL(value);
      if (url.origin !== origin || url.username || url.password) {
        ctx.addIssue({ code: 'custom', message: "must point at the service's own origin" });
      }
      for (const key of url.searchParams.keys()) {
        if (isPersonalDataKey(key)) {
          ctx.addIssue({ code: 'custom', message: `must not carry personal data (query parameter ${key})` });
        }
      }
    });
}

const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const DATE_LIKE = /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/;
const PHONE_LIKE = /\d(?:[\s().-]*\d){6,}/;

/** A short single line of plain text that looks like no address, date or phone number. */
function plainLine(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/\p{Cc}/u.test(s), 'must be one line of text')
    .refine((s) => !EMAIL_LIKE.test(s), 'must not hold an email address')
    .refine((s) => !DATE_LIKE.test(s), 'must not hold a date')
    .refine((s) => !PHONE_LIKE.test(s), 'must not hold a phone number');
}

const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date');

/** Parameters of each template, as callers pass them. */
export interface EmailTemplateParams {
  /** An invitation to create an account in an organization. */
  invitation: { link: string; organizationName: string; expiresAt: Date };
  /** A link to choose a new password. */
  password_reset: { link: string; expiresAt: Date };
  /**
   * Something waits for the staff member in the service. `headline` is a fixed phrase such as
   * "A referral is waiting for your answer", never composed from a record.
   */
  notification: { link: string; headline: string };
  /**
   * A person's registration for an event (a training or a community event): `headline` is a fixed
   * phrase ("You are registered", "You are on the waiting list"…); the event's title, when and where
   * are the event's public facts; the link is the person's own page to see or cancel it.
   */
  event_registration: { link: string; headline: string; eventTitle: string; startsAt: Date; venue: string };
}

export type EmailTemplateName = keyof EmailTemplateParams;

/** One line of an event's public facts (a title, a place): no control characters, no email address. */
const eventLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/\p{Cc}/u.test(s), 'must be one line of text')
    .refine((s) => !EMAIL_LIKE.test(s), 'must not hold an email address');

interface TemplateDefinition<P> {
  subject: string;
  schema(site: SiteOrigin): z.ZodType<P>;
  body(params: P): string;
}

const SIGN_OFF = [
  '',
  'No Wrong Door',
  '',
  'For privacy, emails from No Wrong Door never hold details about the young people or families you work with.',
].join('\n');

/** Minnesota time, where the network works: "Wednesday, May 14, 2025 at 3:00 PM (Minnesota time)". */
function whenInMinnesota(date: Date): string {
  return `${formatMoment(date, 'America/Chicago')} (Minnesota time)`;
}

const TEMPLATES: { [T in EmailTemplateName]: TemplateDefinition<EmailTemplateParams[T]> } = {
  invitation: {
    subject: 'Your No Wrong Door invitation',
    schema: (site) =>
      z.strictObject({ link: linkSchema(site), organizationName: plainLine(200), expiresAt: validDate }),
    body: (p) =>
      [
        'Hello,',
        '',
        `You have been invited to join ${p.organizationName} on No Wrong Door.`,
        '',
        'To accept, open this link and choose a password:',
        p.link,
        '',
        `The link works once. It stops working on ${whenInMinnesota(p.expiresAt)}.`,
        '',
        'If you were not expecting this invitation, you can ignore this email.',
        SIGN_OFF,
      ].join('\n'),
  },
  password_reset: {
    subject: 'Reset your No Wrong Door password',
    schema: (site) => z.strictObject({ link: linkSchema(site), expiresAt: validDate }),
    body: (p) =>
      [
        'Hello,',
        '',
        'Someone asked to reset the password of your No Wrong Door account.',
        '',
        'To choose a new password, open this link:',
        p.link,
        '',
        `The link works once. It stops working on ${whenInMinnesota(p.expiresAt)}.`,
        '',
        'If you did not ask for this, you can ignore this email: your password stays the same.',
        SIGN_OFF,
      ].join('\n'),
  },
  notification: {
    subject: 'You have a new notification',
    schema: (site) => z.strictObject({ link: linkSchema(site), headline: plainLine(120) }),
    body: (p) =>
      ['Hello,', '', p.headline, '', 'Sign in to No Wrong Door to see it:', p.link, SIGN_OFF].join('\n'),
  },
  event_registration: {
    subject: 'About your event registration',
    schema: (site) =>
      z.strictObject({
        link: linkSchema(site),
        headline: plainLine(120),
        eventTitle: eventLine(200),
        startsAt: validDate,
        venue: eventLine(400),
      }),
    body: (p) =>
      [
        'Hello,',
        '',
        p.headline,
        '',
        `Event: ${p.eventTitle}`,
        `When: ${whenInMinnesota(p.startsAt)}`,
        `Where: ${p.venue}`,
        '',
        'To see your registration or cancel it, open this link:',
        p.link,
        '',
        'If you cannot come, please cancel: the next person on the waiting list gets your place.',
        SIGN_OFF,
      ].join('\n'),
  },
};

/** The template names, for checks at the edges (e.g. a command-line option). */
export const EMAIL_TEMPLATES = Object.keys(TEMPLATES) as EmailTemplateName[];

/**
 * The fixed subject of a template.
 *
 * @example
 * subjectOf('password_reset'); // 'Reset your No Wrong Door password'
 */
export function subjectOf(template: EmailTemplateName): string {
  return TEMPLATES[template].subject;
}

/**
 * Checks the parameters and renders the email. Throws `EmailContentError` (naming keys and rules, never
 * values) for an unknown template, a personal-data key, a key or value the template's schema does not
 * accept, or a link that does not point at the service's own origin.
 *
 * @example
 * const email = renderEmail(
 *   'invitation',
 *   { link: 'https://nwd.example.org/invitations/abc', organizationName: 'Synthetic Org', expiresAt },
 *   { origin: 'https://nwd.example.org', development: false },
 * );
 * email.subject; // 'Your No Wrong Door invitation'
 */
export function renderEmail<T extends EmailTemplateName>(
  template: T,
  params: EmailTemplateParams[T],
  site: SiteOrigin,
): RenderedEmail {
  if (!Object.hasOwn(TEMPLATES, template))
    throw new EmailContentError(`There is no email template named "${String(template)}".`);
  assertNoPersonalDataKeys(params);
  const definition = TEMPLATES[template] as TemplateDefinition<EmailTemplateParams[T]>;
  const parsed = definition.schema(site).safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const at = issue.path.map(String).join('.') || '(parameters)';
      // Zod's own messages name expected types and keys, never the value given.
      return `${at}: ${issue.message}`;
    });
    throw new EmailContentError(`The "${template}" email parameters are not valid: ${problems.join('; ')}.`);
  }
  return { subject: definition.subject, text: definition.body(parsed.data) };
}
