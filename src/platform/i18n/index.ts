/**
 * Languages of the public pages: the catalogue, translators, and the path prefixes.
 */
export * from './locales.ts';
export * from './catalogue.ts';
export * from './translator.ts';
export { messageSlots, slotProblem } from './messages.ts';
