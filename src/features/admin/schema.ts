/**
 * The audit log's filters, read from the page address with zod. Every filter is optional; a filter
 * given in a form the log cannot use is named with what to enter instead. The organization filter is
 * for statewide readers only.
 */
import { z } from 'zod';
import type { AuditCsvFilters } from '../../platform/audit/audit.ts';
import type { FieldError } from '../../web/page.tsx';
import type { AuditQueryValues } from './views/audit.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL = /\p{Cc}/u;

/** A calendar day as YYYY-MM-DD (1970 to 2999), at midnight UTC, or null. */
export function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const year = Number(value.slice(0, 4));
  if (year < 1970 || year > 2999) return null;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : d;
}

const day = (message: string) =>
  z.string().transform((value, ctx) => {
    const parsed = parseDay(value);
    if (!parsed) ctx.addIssue({ code: 'custom', message });
    return parsed ?? new Date(0);
  });

const ACTION = 'Choose what they did from the list.';
const SUBJECT_ID = 'Enter a record id of up to 200 letters, digits and punctuation.';

/** Each filter's schema, in the order its problems are listed. */
export const AuditFilterFields = {
  action: z
    .string()
    .max(100, ACTION)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, ACTION),
  actor: z
    .string()
    .regex(UUID, 'Choose a person from the list.')
    .transform((id) => id.toLowerCase()),
  subjectType: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'Enter a kind of record such as staff_user.'),
  subjectId: z
    .string()
    .max(200, SUBJECT_ID)
    .refine((id) => !CONTROL.test(id), SUBJECT_ID),
  organization: z
    .string()
    .regex(UUID, 'Choose an organization from the list.')
    .transform((id) => id.toLowerCase()),
  from: day('Enter the first day as a date, such as 2026-11-24.'),
  to: day('Enter the last day as a date, such as 2026-11-24.'),
};

/** The page of results to show: the sequence number to list events before. */
export const AuditBefore = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number);

/**
 * The filters from the query values (already trimmed), checked field by field. `statewide` readers may
 * filter by organization; for anyone else the field is emptied (the listing narrows them anyway).
 */
export function parseAuditFilters(
  values: AuditQueryValues,
  statewide: boolean,
): { filters: AuditCsvFilters; errors: FieldError[] } {
  if (!statewide) values.organization = '';
  const errors: FieldError[] = [];
  const read = <K extends keyof typeof AuditFilterFields>(field: K) => {
    if (!values[field]) return undefined;
    const parsed = AuditFilterFields[field].safeParse(values[field]);
    if (parsed.success) return parsed.data as z.output<(typeof AuditFilterFields)[K]>;
    errors.push({ field, message: parsed.error.issues[0]?.message ?? 'Check this filter.' });
    return undefined;
  };
  const filters: AuditCsvFilters = {};
  const action = read('action');
  if (action) filters.action = action;
  const actor = read('actor');
  if (actor) filters.actorUserId = actor;
  const subjectType = read('subjectType');
  if (subjectType) filters.subjectType = subjectType;
  const subjectId = read('subjectId');
  if (subjectId) filters.subjectId = subjectId;
  const organization = read('organization');
  if (organization) filters.organizationId = organization;
  const from = read('from');
  if (from) filters.from = from;
  const to = read('to');
  // The page asks for the last day to include; the log's bound is exclusive.
  if (to) filters.to = new Date(to.getTime() + 86_400_000);
  if (from && to && from > to)
    errors.push({ field: 'to', message: 'The last day must be on or after the first day.' });
  return { filters, errors };
}
