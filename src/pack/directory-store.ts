/**
 * Writing a directory service as the pack does (its filter columns derived, a confidential location's
 * address removed, the HSDS 3.1 schema checked): for the pack's import and for administrators' edits.
 */
export { bumpDataVersion, saveService } from '../features/directory/queries.ts';
export { validateHsdsService } from '../features/directory/hsds-validate.ts';
