/**
 * `nwd training import-completions --org <organization id or name> --file <csv> --as <email>`: imports a
 * CSV file of completions (the state's learning system's export) for an organization as a named state
 * administrator or the organization's administrator, with the same checks, all-or-nothing write and
 * audit record as the page. Prints a summary, or every bad row with its line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../../platform/errors.ts';
import { activeActorByEmail } from '../accounts/service.ts';
import { importCompletions } from './csv-import.ts';
import type { TrainingContext } from './service.ts';

export const TRAINING_USAGE =
  'nwd training import-completions --org <organization id or name> --file <file.csv> --as <email of a state or organization administrator>';

/**
 * Runs the command; returns what to print, or throws `InputError` for a usage problem.
 *
 * @example
 * await trainingCommand(ctx, ['import-completions', '--org', 'Synthetic County', '--file', 'done.csv', '--as', 'admin@example.org']);
 * // 'Imported 120 rows: 118 completions recorded, 2 already on record, 3 people added to the roster.'
 */
export async function trainingCommand(
  ctx: TrainingContext,
  args: string[],
): Promise<{ ok: boolean; text: string }> {
  const [sub, ...rest] = args;
  if (sub !== 'import-completions')
    throw new InputError(`training needs "import-completions". ${TRAINING_USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: { org: { type: 'string' }, file: { type: 'string' }, as: { type: 'string' } },
  });
  if (!values.org || !values.file || !values.as)
    throw new InputError(`Give --org, --file and --as. ${TRAINING_USAGE}`);
  const actor = await activeActorByEmail(ctx, values.as);
  if (!actor) throw new InputError(`No active account has the email ${values.as}.`);
  const org = await ctx.db
    .selectFrom('member_organizations')
    .select('id')
    .where((eb) =>
      /^[0-9a-f-]{36}$/i.test(values.org!)
        ? eb('id', '=', values.org!)
        : eb(eb.fn('lower', ['name']), '=', values.org!.toLowerCase()),
    )
    .executeTakeFirst();
  if (!org) throw new InputError(`There is no organization ${values.org}.`);
  let text: string;
  try {
    text = readFileSync(values.file, 'utf8');
  } catch {
    throw new InputError(`Cannot read the file ${values.file}.`);
  }
  const outcome = await importCompletions(ctx, actor, org.id, text, { ip: 'command line', userAgent: 'nwd' });
  if (!outcome.ok)
    return {
      ok: false,
      text: [
        `Nothing was imported: ${outcome.problems.length} rows need fixing.`,
        ...outcome.problems.map((p) => `line ${p.line}: ${p.message}`),
      ].join('\n'),
    };
  return {
    ok: true,
    text: `Imported ${outcome.rows} rows: ${outcome.recorded} completions recorded, ${outcome.already} already on record, ${outcome.rosterAdded} people added to the roster.`,
  };
}
