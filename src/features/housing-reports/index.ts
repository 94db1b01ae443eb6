/**
 * What other features may use of the housing reports: whether a person sees them (for the staff menu),
 * and the report itself (for the evaluation to come).
 */
export {
  housingReport,
  reportScope,
  reportsContext,
  type HousingReport,
  type ReportScope,
} from './service.ts';
