/**
 * What other features may use of cases: the shared case context (core.ts: the case's data key scope,
 * sealed fields, personal details, finding a case, the timeline and the audit record), the case
 * tables' types and answer lists, the case pages' heading and tabs, and the use cases of service.ts.
 */
export * from './core.ts';
export * from './tables.ts';
export { caseNumberOf, formatCaseNumber, regionCode, normaliseForSearch } from './rules.ts';
export { searchTermsOf, backfillSearchTerms, searchTermsJob, CASE_SEARCH_PURPOSE } from './search.ts';
export { ageText, ageOn } from './rules.ts';
export { openCase, getCase, type CaseServiceContext, type OpenedCase } from './service.ts';
export * from './views/layout.tsx';
export * from '../../pack/vocabularies.ts';
