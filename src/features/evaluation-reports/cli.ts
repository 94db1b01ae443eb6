/**
 * `nwd report <measure> [--from YYYY-MM-DD --to YYYY-MM-DD] [--by <breakdown>] [--format csv|json]`:
 * one evaluation measure for the whole state, as the API gives it (the same periods, breakdowns and
 * small-number protection), printed as CSV or JSON. For the people who run the service: the command
 * reads the database directly, as an evaluator would see the state.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { DIMENSION_CODES, MEASURE_CODES, type Dimension, type MeasureCode } from '../../pack/evaluation.ts';
import type { PackRules } from '../../pack/rules.ts';
import { InputError } from '../../platform/errors.ts';
import { DEFAULT_SMALL_NUMBER_THRESHOLD } from '../../platform/small-numbers.ts';
import { reportCsv, reportJson } from './schema.ts';
import { measureReport, type EvaluationContext } from './service.ts';

export const REPORT_USAGE =
  'nwd report <measure> [--from YYYY-MM-DD --to YYYY-MM-DD] [--by <breakdown>] [--format csv|json]\n' +
  `  measures: ${MEASURE_CODES.join(', ')}\n` +
  '  a period is a whole quarter, state fiscal year (July to June) or biennium that has ended; the last\n' +
  '  ended fiscal year by default. nwd report refresh-facts writes the reporting facts of every case again.';

/** An evaluation context on a database and the pack's rules, for commands. */
export function commandContext(db: Database, rules: PackRules, threshold?: number): EvaluationContext {
  return {
    db,
    jurisdiction: async () =>
      (
        await sql<{
          jurisdiction: string;
        }>`select jurisdiction from packs order by jurisdiction limit 1`.execute(db)
      ).rows[0]?.jurisdiction ?? 'mn',
    file: rules.evaluation,
    vocabularies: rules.vocabularies,
    names: async () => {
      const regions = await db.selectFrom('regions').select(['id', 'name']).orderBy('name').execute();
      const counties = await db.selectFrom('counties').select(['fips', 'name']).orderBy('name').execute();
      return {
        regions: new Map(regions.map((r) => [r.id, r.name])),
        counties: new Map(counties.map((c) => [c.fips, c.name])),
      };
    },
    timezone: rules.calendar.timezone,
    threshold: threshold ?? DEFAULT_SMALL_NUMBER_THRESHOLD,
    today: () => rules.calendar.local(new Date()).date,
  };
}

/**
 * Runs `nwd report <measure> …`; returns what to print, or throws InputError for a usage problem.
 *
 * @example
 * await measureReportCommand(ctx, ['youth_served', '--by', 'race', '--format', 'json']);
 */
export async function measureReportCommand(ctx: EvaluationContext, args: string[]): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        by: { type: 'string', default: 'none' },
        format: { type: 'string', default: 'csv' },
      },
    });
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${REPORT_USAGE}`);
  }
  const [measure, ...extra] = parsed.positionals;
  const { from, to, by, format } = parsed.values;
  if (!measure || extra.length) throw new InputError(`Name one measure.\n${REPORT_USAGE}`);
  if (!(MEASURE_CODES as readonly string[]).includes(measure))
    throw new InputError(`There is no measure ${measure}. Measures: ${MEASURE_CODES.join(', ')}.`);
  if (!(DIMENSION_CODES as readonly string[]).includes(by))
    throw new InputError(`There is no breakdown ${by}. Breakdowns: ${DIMENSION_CODES.join(', ')}.`);
  if (format !== 'csv' && format !== 'json') throw new InputError('--format is csv or json.');
  const actor = { userId: 'command-line', role: 'evaluator' as const, organizationId: '', regions: [] };
  const report = await measureReport(ctx, actor, {
    measure: measure as MeasureCode,
    by: by as Dimension,
    from,
    to,
    trend: format === 'json',
  });
  return format === 'json' ? JSON.stringify(reportJson(report), null, 2) : reportCsv(report).trimEnd();
}
