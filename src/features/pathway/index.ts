/**
 * The pathway as other features use it: check the facts, answer them, and turn a deadline in hours into
 * the moment it falls due.
 */
import type { BusinessCalendar } from '../../platform/calendar.ts';
import type { Geography } from '../help/index.ts';
import { evaluatePathway } from './engine.ts';
import type { Ruleset } from './ruleset.ts';
import type { PathwayAction, PathwayAnswer, PathwayFacts } from './types.ts';

export {
  parsePathwayInput,
  pathwayInputSchema,
  evaluatePathway,
  classify,
  UNKNOWN_AGE_NOTE,
  type ParseOutcome,
} from './engine.ts';
export { loadRuleset, type Ruleset, type Rule } from './ruleset.ts';
export * from './types.ts';

/** The classification, actions and the county's navigator for checked facts. */
export function answerPathway(geo: Geography, ruleset: Ruleset, facts: PathwayFacts): PathwayAnswer {
  return evaluatePathway(facts, ruleset, geo);
}

/**
 * When an action falls due, counted from `from` (usually now): `deadlineHours` of clock time, or of
 * business days only when `deadlineBusinessDays` is set. Null when the action has no deadline.
 *
 * @example
 * deadlineOf({ deadlineHours: 24, … }, new Date('2026-11-20T20:05:00Z'), calendar) // 2026-11-21T20:05:00Z
 */
export function deadlineOf(action: PathwayAction, from: Date, calendar: BusinessCalendar): Date | null {
  if (action.deadlineHours === undefined) return null;
  if (action.deadlineHours === 0) return from;
  if (action.deadlineBusinessDays)
    return calendar.addHoursSkippingNonBusinessDays(from, action.deadlineHours);
  return new Date(from.getTime() + action.deadlineHours * 3_600_000);
}
export * from './engine.ts';
export * from './ruleset.ts';
export { pathwayTextKeys, pathwayContactKey } from './plain-texts.ts';
