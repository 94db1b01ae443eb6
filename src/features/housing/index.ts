/**
 * What other features use of housing: the staff home page's counts, and synthetic programs with their
 * availability history.
 */
export { countOutOfDate, countWithBeds, housingContext } from './service.ts';
export { seedHousing, type HousingSeedSummary } from './synthetic.ts';
