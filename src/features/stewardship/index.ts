/** What other features use of stewardship: the counts of the staff home page. */
export { countHealthProblems, stewardshipContext } from './service.ts';
