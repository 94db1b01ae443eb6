/** What other features may use of safety plans: the shape of a plan's content. */
export { readStoredPlan, type SafetyPlanContent } from './schema.ts';
