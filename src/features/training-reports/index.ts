/**
 * What other parts of the app use of the training reports: the pages and API (src/app.ts), and whether a
 * person sees them (the training home page's link).
 */
export { trainingReportPages } from './routes.tsx';
export { trainingReportsApi } from './api.ts';
export { trainingReport, trainingReportScope, type TrainingReport } from './service.ts';
