/** What other features use of housing: synthetic programs and their availability history. */
export { seedHousing, type HousingSeedSummary } from './synthetic.ts';
