/**
 * What other features may use of shelter requests: the job, and the case's housing (requests and
 * placements) for its Housing tab.
 */
export { shelterRequestsJob, runShelterJob, SHELTER_REQUESTS_JOB } from './jobs.ts';
export { caseHousing, shelterContext, type CaseHousing, type ShelterContext } from './service.ts';
export { AGE_BANDS } from './rules.ts';
export { seedShelterRequests, type ShelterSeedSummary } from './synthetic.ts';
