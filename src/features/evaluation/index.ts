/**
 * What other features may use of the evaluation: writing a case's reporting facts, and the job that
 * keeps them up to date.
 */
export { refreshCaseFacts, refreshStaleFacts } from './facts.ts';
export { evaluationFactsJob } from './jobs.ts';
