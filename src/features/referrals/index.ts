/** What other features use of referrals: the counts of the staff home page. */
export { countReferrals, referralContext } from './service.ts';
