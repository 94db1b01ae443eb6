/**
 * `nwd report refresh-facts`: writes the evaluation's reporting facts of every case again (the
 * `evaluation-facts` job keeps them up to date; this is for after the facts' rules changed, or to fill
 * them at once). The `report` command's other forms (a measure's report) are added beside this one:
 * `reportCommand` answers `refresh-facts` and throws `InputError` for anything else it does not know.
 */
import { InputError } from '../../platform/errors.ts';
import type { FactsContext } from './facts.ts';
import { rebuildAllFacts } from './jobs.ts';

export const REPORT_REFRESH_USAGE = 'nwd report refresh-facts';

/**
 * Runs `nwd report refresh-facts`; returns what to print.
 *
 * @example
 * await refreshFactsCommand(ctx, []) // 'Wrote the reporting facts of 1,204 cases.'
 */
export async function refreshFactsCommand(ctx: FactsContext, args: string[]): Promise<string> {
  if (args.length) throw new InputError(`refresh-facts takes no options. ${REPORT_REFRESH_USAGE}`);
  const written = await rebuildAllFacts(ctx);
  return `Wrote the reporting facts of ${written.toLocaleString('en-US')} case${written === 1 ? '' : 's'}.`;
}

/** The `report` command's forms, by their first word. */
export const REPORT_SUBCOMMANDS: Record<string, (ctx: FactsContext, args: string[]) => Promise<string>> = {
  'refresh-facts': refreshFactsCommand,
};

/** Runs `nwd report <form> …`; an unknown form is an `InputError` naming the known ones. */
export async function reportCommand(ctx: FactsContext, args: string[]): Promise<string> {
  const [sub, ...rest] = args;
  const run = sub === undefined ? undefined : REPORT_SUBCOMMANDS[sub];
  if (!run) throw new InputError(`report needs one of: ${Object.keys(REPORT_SUBCOMMANDS).join(', ')}.`);
  return run(ctx, rest);
}
