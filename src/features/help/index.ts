/**
 * What other features use of the help finder: the geography and its rules (which county, which
 * region and navigator, today's date where the service is), the navigator lookup, and the cards that
 * show a navigator or the statewide line.
 */
export {
  COUNTY_INPUT_PROBLEM,
  PRIMARY_COUNTY_SHARE,
  findCounty,
  findPlace,
  inEffect,
  navigatorForCounty,
  parseCountyInput,
  todayIn,
  type CountyInfo,
  type Geography,
  type Line,
  type NavigatorAnswer,
} from './rules.ts';
export { lookupNavigator, type Lookup } from './lookup.ts';
export { placeIndexFor } from './service.ts';
export type { PlaceIndex } from './places.ts';
export { NavigatorLookupSchema } from './schema.ts';
export { NavigatorResult, StatewideCard } from './views.tsx';
export * from './rules.ts';
export * from './schema.ts';
export * from './lookup.ts';
export * from './views.tsx';
