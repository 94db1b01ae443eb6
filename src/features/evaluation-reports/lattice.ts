/**
 * Small-number protection for one measure and breakdown over every period of a biennium at once
 * (docs/evaluation.md). No I/O.
 *
 * The cells are the measure's columns for the breakdown's groups and for all groups together (the
 * totals), in each ended quarter, fiscal year and the biennium. The sums among them:
 * - within a row, the measure's column sums (all served = new + continuing);
 * - down the groups, when each record falls in exactly one group (an exclusive breakdown), the total;
 * - over time, for columns that add up over time, a year is the sum of its quarters and the biennium
 *   the sum of its years.
 *
 * The totals are decided first, on their own sums only, so they come out the same in every breakdown
 * of the measure (a total hidden in one table is hidden in all); then the groups, with the totals fixed.
 * When a second cell must be hidden, the newest period's goes first, so that a figure published when its
 * quarter ended is not hidden later, when the year ends and adds its sums.
 */
import { suppressCells, type CellSum } from '../../platform/small-numbers.ts';
import type { Period } from './periods.ts';

export interface LatticeColumn {
  code: string;
  overTime: boolean;
}

export interface LatticeInput {
  /** The periods, each once; nesting is read from their kinds and fiscal years. */
  periods: readonly Period[];
  columns: readonly LatticeColumn[];
  /** Column sums within a row: [total, part, part, …] as column codes. */
  sums: readonly (readonly string[])[];
  /** The groups of the breakdown (none for a table of totals only). */
  groups: readonly string[];
  /** Whether every record falls in exactly one group, so the groups add up to the total. */
  exclusive: boolean;
  /** For each period (same order): the totals per column, and per group the counts per column. */
  counts: readonly { all: readonly number[]; groups: readonly (readonly number[])[] }[];
  threshold: number;
}

export interface LatticeHidden {
  /** [period][column] */
  all: boolean[][];
  /** [period][group][column] */
  groups: boolean[][][];
}

const KIND_ORDER = { biennium: 0, year: 1, quarter: 2 } as const;

/** The periods' positions in publishing order: by last day, and for the same last day the longest first. */
function publishingOrder(periods: readonly Period[]): number[] {
  const order = periods
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.to.localeCompare(b.p.to) || KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind]);
  const position = new Array<number>(periods.length);
  order.forEach(({ i }, pos) => (position[i] = pos));
  return position;
}

/** The sums over time: [longer period, its parts] as period indexes. */
function nesting(periods: readonly Period[]): { total: number; parts: number[] }[] {
  const out: { total: number; parts: number[] }[] = [];
  periods.forEach((p, i) => {
    const parts =
      p.kind === 'year'
        ? periods.flatMap((q, j) => (q.kind === 'quarter' && q.fiscalYear === p.fiscalYear ? [j] : []))
        : p.kind === 'biennium'
          ? periods.flatMap((y, j) =>
              y.kind === 'year' && (y.fiscalYear === p.fiscalYear || y.fiscalYear === p.fiscalYear - 1)
                ? [j]
                : [],
            )
          : [];
    const expected = p.kind === 'year' ? 4 : 2;
    if (parts.length === expected) out.push({ total: i, parts });
  });
  return out;
}

/** Which cells to hide. */
export function hideCells(input: LatticeInput): LatticeHidden {
  const { periods, columns, groups, counts, threshold } = input;
  const P = periods.length;
  const C = columns.length;
  const G = groups.length;
  const col = new Map(columns.map((c, i) => [c.code, i]));
  const position = publishingOrder(periods);
  const nests = nesting(periods);
  const all = (p: number, c: number) => p * C + c;
  const group = (p: number, g: number, c: number) => P * C + (p * G + g) * C + c;
  const periodOfCell = (cell: number) =>
    cell < P * C ? Math.floor(cell / C) : Math.floor((cell - P * C) / (G * C));
  // Newest first: the higher the publishing position, the lower (earlier) the preference.
  const preference = (cell: number) => -position[periodOfCell(cell)]!;

  /** The sums of one row of cells (`at(c)` gives the cell of column c). */
  const rowSums = (at: (c: number) => number): CellSum[] =>
    input.sums.map(([total, ...parts]) => ({
      total: at(col.get(total!)!),
      parts: parts.map((x) => at(col.get(x)!)),
    }));
  /** The sums over time of one line of cells (`at(p, c)`). */
  const timeSums = (at: (p: number, c: number) => number): CellSum[] =>
    columns.flatMap((c, ci) =>
      c.overTime ? nests.map((n) => ({ total: at(n.total, ci), parts: n.parts.map((p) => at(p, ci)) })) : [],
    );

  // 1. The totals, on their own.
  const allValues = counts.flatMap((c) => [...c.all]);
  const allSums = [...periods.flatMap((_, p) => rowSums((c) => all(p, c))), ...timeSums((p, c) => all(p, c))];
  const allHidden = suppressCells(allValues, allSums, threshold, { preference });

  // 2. The groups, with the totals fixed as decided.
  const values = [...allValues, ...counts.flatMap((c) => c.groups.flatMap((row) => [...row]))];
  const sums: CellSum[] = [...allSums];
  for (let p = 0; p < P; p++) for (let g = 0; g < G; g++) sums.push(...rowSums((c) => group(p, g, c)));
  if (input.exclusive && G > 0)
    for (let p = 0; p < P; p++)
      for (let c = 0; c < C; c++)
        sums.push({ total: all(p, c), parts: groups.map((_, g) => group(p, g, c)) });
  for (let g = 0; g < G; g++) sums.push(...timeSums((p, c) => group(p, g, c)));
  const forced = allHidden.flatMap((h, i) => (h ? [i] : []));
  const frozen = new Set(allValues.map((_, i) => i));
  const hidden = G ? suppressCells(values, sums, threshold, { forced, frozen, preference }) : [...allHidden];

  return {
    all: periods.map((_, p) => columns.map((_, c) => hidden[all(p, c)]!)),
    groups: periods.map((_, p) => groups.map((_, g) => columns.map((_, c) => hidden[group(p, g, c)]!))),
  };
}
