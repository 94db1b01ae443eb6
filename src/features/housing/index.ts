/**
 * What other features use of housing: the staff home page's counts, synthetic programs with their
 * availability history, for shelter requests the bed board, its filter and rules, and holding a bed, and
 * for the directory's partner export the programs with their beds now.
 */
export {
  bedBoard,
  boardFilter,
  countOutOfDate,
  countWithBeds,
  holdBed,
  housingContext,
  partnerPrograms,
  releaseBed,
  GENDERS,
  GENDER_CODES,
  NEEDS,
  NEED_CODES,
  PROGRAM_TYPES,
  type Gender,
  type HousingContext,
  type Need,
  type ProgramView,
} from './service.ts';
export { seedHousing, type HousingSeedSummary } from './synthetic.ts';
export { codesOf } from './rules.ts';
