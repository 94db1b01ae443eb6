/**
 * The audit log as someone without statewide access sees it (an organization administrator browsing
 * their organization's events): the ids of records about young people are withheld.
 *
 * The events of an organization include what its navigators and staff did to cases, intake items,
 * referrals, consents, safety plans, transfers and tasks. The administrator needs to see that it happened
 * (who, what, when, from where), not which young person's record it was: an internal id is a handle on
 * that record, and it links events about one young person together. Withholding is by default: only the
 * ids of staff-side records are kept, and every other id-shaped value in the details is replaced.
 */
import type { AuditEvent } from './rows.ts';

/** What a withheld id reads as. */
export const WITHHELD = 'withheld';

/** Subject types that are staff-side records, whose ids stay visible. Any other subject is withheld. */
const STAFF_SIDE_SUBJECTS: ReadonlySet<string> = new Set([
  'staff_user',
  'user',
  'organization',
  'member_organization',
  'api_token',
  'audit_events',
  'screening_instrument',
]);

/** Keys in `details` whose values are ids of staff accounts (a token's owner, a case's assignee). */
const STAFF_ID_KEYS: ReadonlySet<string> = new Set(['owner', 'user']);

const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function withheldIn(value: unknown, key: string | null): unknown {
  if (typeof value === 'string')
    return key !== null && STAFF_ID_KEYS.has(key) ? value : value.replace(UUID_ANYWHERE, WITHHELD);
  if (Array.isArray(value)) return value.map((v) => withheldIn(v, key));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withheldIn(v, k)]));
  return value;
}

/**
 * The event with the ids of young people's records withheld: the subject's id unless the subject is a
 * staff-side record, and every id in the details except those of staff accounts.
 *
 * @example
 * withholdRecordIds(event); // { …, subjectType: 'referral', subjectId: 'withheld', details: { case: 'withheld', … } }
 */
export function withholdRecordIds(event: AuditEvent): AuditEvent {
  const staffSide = event.subjectType !== null && STAFF_SIDE_SUBJECTS.has(event.subjectType);
  return {
    ...event,
    subjectId: event.subjectId === null || staffSide ? event.subjectId : WITHHELD,
    details: withheldIn(event.details, null) as Record<string, unknown>,
  };
}
