/**
 * Consent rules, pure: what each category lets an organization see, how long a consent lasts, where it
 * stands on a (local) date, and whether it covers an organization for some categories.
 */
import type { ConsentCategory } from '../cases/index.ts';

/** The columns of a consent the rules read. */
export interface ConsentTerms {
  organization_id: string;
  categories: readonly ConsentCategory[];
  starts_on: string;
  expires_on: string;
  revoked_at: Date | null;
}

/** What each category of a consent lets an organization see, in plain words. */
export const CATEGORY_NAMES: Record<ConsentCategory, string> = {
  identity: 'Who they are: names, date of birth or age, pronouns',
  contact: 'How to reach them safely: contact details, safe times, code word',
  demographics: 'Background: gender, race and ethnicity, sexual orientation, languages, tribal affiliation',
  screening: 'Screening answers',
  safety_plan: 'Their safety plan',
  notes: 'Case notes',
  services: 'Services they have received',
};

/** The same, as a young person reads it on the printed form. */
export const CATEGORY_PLAIN: Record<ConsentCategory, string> = {
  identity: 'your name, date of birth or age, and pronouns',
  contact: 'how to reach you safely (phone, text or other contact details, safe times, your code word)',
  demographics:
    'your background (gender, race and ethnicity, sexual orientation, languages, tribal affiliation)',
  screening: 'your answers to screening questions',
  safety_plan: 'your safety plan',
  notes: 'notes your navigator has written',
  services: 'the services you have received',
};

export const METHOD_NAMES = {
  written: 'Written (signed)',
  verbal: 'Verbal (spoken, with a witness)',
} as const;

/** How long a consent lasts when no end is given, and the longest it may last. */
export const CONSENT_YEARS = 1;
/** How far back a consent given earlier (a signed paper form) may be dated. */
export const CONSENT_BACKDATE_DAYS = 30;
/** How far ahead a consent may start. */
export const CONSENT_FUTURE_START_DAYS = 90;

export type ConsentState = 'active' | 'not_started' | 'expired' | 'revoked';

export const CONSENT_STATE_NAMES: Record<ConsentState, string> = {
  active: 'Active',
  not_started: 'Not started yet',
  expired: 'Ended',
  revoked: 'Revoked',
};

/** A calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * The same day `years` later; 29 February becomes 28 February.
 *
 * @example
 * addYears('2028-02-29', 1) // '2029-02-28'
 */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === value;
}

/**
 * Where a consent stands on a (local) date.
 *
 * @example
 * consentState({ starts_on: '2026-01-01', expires_on: '2027-01-01', revoked_at: null }, '2026-06-01') // 'active'
 * consentState({ starts_on: '2026-01-01', expires_on: '2027-01-01', revoked_at: null }, '2027-01-01') // 'expired'
 */
export function consentState(
  consent: Pick<ConsentTerms, 'starts_on' | 'expires_on' | 'revoked_at'>,
  today: string,
): ConsentState {
  if (consent.revoked_at !== null) return 'revoked';
  if (today < consent.starts_on) return 'not_started';
  if (today >= consent.expires_on) return 'expired';
  return 'active';
}

/**
 * Whether the consent lets `organizationId` see every one of `categories` on `today`.
 *
 * @example
 * consentCovers(consent, orgId, ['identity'], '2026-06-01') // true while active, same organization, category included
 */
export function consentCovers(
  consent: ConsentTerms,
  organizationId: string,
  categories: readonly ConsentCategory[],
  today: string,
): boolean {
  return (
    consent.organization_id === organizationId &&
    consentState(consent, today) === 'active' &&
    categories.every((c) => consent.categories.includes(c))
  );
}
