/**
 * What other features may use of consents: the count of consents about to end (for the staff home).
 */
export { countExpiringConsents, EXPIRING_WITHIN_DAYS } from './service.ts';
