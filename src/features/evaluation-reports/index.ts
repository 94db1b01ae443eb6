/**
 * What other features and the command line use of the evaluation reports: the pages, the API, and one
 * measure's report with its exports (for `nwd report`).
 */
export { evaluationPages } from './routes.tsx';
export { evaluationApi } from './api.ts';
export { evaluationContext, measureReport, type EvaluationContext, type MeasureReport } from './service.ts';
export { reportCsv, reportJson } from './schema.ts';
