/**
 * The parts of a jurisdiction pack that are rules rather than reference data: the pathway's rules and
 * the business calendar (time zone and legal holidays). Read from the pack directory at start, checked,
 * and kept in memory: they change with a new release of the pack, not at run time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusinessCalendar, loadHolidays } from '../platform/calendar.ts';
import { loadRuleset, type Ruleset } from '../features/pathway/ruleset.ts';
import { loadVocabularies, type Vocabularies } from './vocabularies.ts';
import { loadEvaluationFile, type EvaluationFile } from './evaluation.ts';
import { loadTribalNations, type TribalNations } from '../features/pathway/tribal-nations.ts';

export interface PackRules {
  pathway: Ruleset;
  calendar: BusinessCalendar;
  /** Answer lists of case coordination (race and ethnicity, services, housing, reasons …). */
  vocabularies: Vocabularies;
  /** The jurisdiction's tribal nations (names; contacts only where a source gives them). */
  tribalNations: TribalNations;
  /** The evaluation's measures, periods and metro regions (`evaluation.json`). */
  evaluation: EvaluationFile;
}

/**
 * @example
 * const rules = loadPackRules('data/mn');
 * rules.calendar.isBusinessDay('2026-11-26') // false (Thanksgiving)
 */
export function loadPackRules(packDir: string): PackRules {
  const manifest = JSON.parse(readFileSync(join(packDir, 'pack.json'), 'utf8')) as { timezone?: unknown };
  if (typeof manifest.timezone !== 'string')
    throw new Error(`${join(packDir, 'pack.json')}: timezone is missing.`);
  return {
    pathway: loadRuleset(packDir),
    calendar: new BusinessCalendar(manifest.timezone, loadHolidays(join(packDir, 'holidays.json'))),
    vocabularies: loadVocabularies(packDir),
    tribalNations: loadTribalNations(packDir),
    evaluation: loadEvaluationFile(packDir),
  };
}
