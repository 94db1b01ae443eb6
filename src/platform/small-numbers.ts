/**
 * The small-number rule for published counts, without I/O, so every report (housing now, the
 * evaluation later) applies the same one:
 *
 * 1. **Primary suppression**: a count between 1 and `threshold − 1` is not shown ("fewer than 10").
 *    Zero is shown: it says nobody, which identifies nobody.
 * 2. **Complementary suppression**: where a table publishes totals (a total row, or a column that is
 *    the sum of others), a suppressed cell must not be recoverable by subtraction. Each sum is given
 *    as an equation `total = part + part + …` over the table's cells. While an equation has exactly
 *    one hidden cell, a second one is hidden too (the smallest count above zero, a part before the
 *    total). Then, because equations combine (two rows and two columns can pin a third cell), the
 *    equations are solved as a linear system over the hidden cells: any hidden cell the system still
 *    determines gets another neighbour hidden, until none is determined.
 * 3. Percentages and medians computed from a hidden count are hidden with it (the callers do this with
 *    `derived`).
 *
 * This is the simple method: it protects against row and column differencing within one table. The
 * evaluation issue brings the full method (other tables of the same report, overlapping periods).
 */

export const DEFAULT_SMALL_NUMBER_THRESHOLD = 10;

/** A count as published: the number, or null and `suppressed` when the rule hides it. */
export interface Published {
  value: number | null;
  suppressed: boolean;
}

/** Whether a count falls under the primary rule (1 … threshold − 1). */
export const isSmall = (count: number, threshold: number): boolean => count >= 1 && count < threshold;

/** A cell of a table: [row, column]. */
export type CellRef = readonly [row: number, column: number];

/** A published sum: the cell `total` equals the sum of the cells `parts`. */
export interface SumEquation {
  total: CellRef;
  parts: readonly CellRef[];
}

const key = ([r, c]: CellRef) => `${r}:${c}`;

/**
 * Which cells of a table of counts to hide: the small counts, and enough others that no hidden cell can
 * be worked out from the published sums.
 *
 * @example
 * // One row: 12 + 3 + 20 = 35. The 3 is small; the 12 is hidden with it, so 35 − 20 leaves 15 to share.
 * suppressTable([[12, 3, 20, 35]], [{ total: [0, 3], parts: [[0, 0], [0, 1], [0, 2]] }], 10)
 * // [[true, true, false, false]]
 */
export function suppressTable(
  counts: readonly (readonly number[])[],
  sums: readonly SumEquation[],
  threshold: number,
): boolean[][] {
  const hidden = counts.map((row) => row.map((n) => isSmall(n, threshold)));
  const value = ([r, c]: CellRef) => counts[r]![c]!;
  const isHidden = ([r, c]: CellRef) => hidden[r]![c]!;
  const hide = ([r, c]: CellRef) => {
    hidden[r]![c] = true;
  };
  /** The cell of the equation to hide next to protect another: the smallest count above zero, parts first. */
  const companion = (eq: SumEquation): CellRef | null => {
    const open = [...eq.parts, eq.total].filter((cell) => !isHidden(cell));
    if (!open.length) return null;
    const rank = (cell: CellRef) => (value(cell) > 0 ? 0 : 2) + (cell === eq.total ? 1 : 0);
    return open.reduce((best, cell) =>
      rank(cell) < rank(best) || (rank(cell) === rank(best) && value(cell) < value(best)) ? cell : best,
    );
  };

  // Row and column differencing: no equation with exactly one hidden cell.
  let changed = true;
  while (changed) {
    changed = false;
    for (const eq of sums) {
      const cells = [...eq.parts, eq.total];
      if (cells.filter(isHidden).length !== 1) continue;
      const next = companion(eq);
      if (next) {
        hide(next);
        changed = true;
      }
    }
  }

  // Equations combined: hide more until the system determines no hidden cell.
  for (;;) {
    const determined = determinedCells(sums, isHidden);
    if (!determined.length) break;
    const cell = determined[0]!;
    const around = sums.filter((eq) => [...eq.parts, eq.total].some((c) => key(c) === key(cell)));
    const next =
      around.map(companion).find((c): c is CellRef => c !== null) ??
      sums.map(companion).find((c): c is CellRef => c !== null);
    if (!next) break; // every cell of every sum is hidden: nothing is determined but zeros
    hide(next);
  }
  return hidden;
}

/**
 * The hidden cells that the published sums still determine: solving the equations for the hidden cells
 * (reduced row echelon form), a hidden cell is determined when a row of the reduced system holds it
 * alone.
 */
export function determinedCells(
  sums: readonly SumEquation[],
  isHidden: (cell: CellRef) => boolean,
): CellRef[] {
  const unknowns = new Map<string, CellRef>();
  for (const eq of sums)
    for (const cell of [...eq.parts, eq.total]) if (isHidden(cell)) unknowns.set(key(cell), cell);
  const columns = [...unknowns.keys()];
  const index = new Map(columns.map((k, i) => [k, i]));
  const matrix = sums.map((eq) => {
    const row = new Array<number>(columns.length).fill(0);
    for (const part of eq.parts) if (isHidden(part)) row[index.get(key(part))!]! += 1;
    if (isHidden(eq.total)) row[index.get(key(eq.total))!]! -= 1;
    return row;
  });
  const pivots = reduce(matrix, columns.length);
  const found: CellRef[] = [];
  for (const [row, column] of pivots) {
    if (matrix[row]!.every((x, j) => j === column || Math.abs(x) < 1e-9))
      found.push(unknowns.get(columns[column]!)!);
  }
  return found;
}

/** Reduced row echelon form in place; the pivots as [row, column]. */
function reduce(m: number[][], width: number): [number, number][] {
  const pivots: [number, number][] = [];
  let row = 0;
  for (let col = 0; col < width && row < m.length; col++) {
    let best = row;
    for (let r = row + 1; r < m.length; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[best]![col]!)) best = r;
    if (Math.abs(m[best]![col]!) < 1e-9) continue;
    [m[row], m[best]] = [m[best]!, m[row]!];
    const p = m[row]![col]!;
    for (let j = 0; j < width; j++) m[row]![j]! /= p;
    for (let r = 0; r < m.length; r++) {
      if (r === row) continue;
      const f = m[r]![col]!;
      if (Math.abs(f) < 1e-12) continue;
      for (let j = 0; j < width; j++) m[r]![j]! -= f * m[row]![j]!;
    }
    pivots.push([row, col]);
    row++;
  }
  return pivots;
}

/**
 * The sums of a table whose last row is the total of the rows above it (for the columns listed), and
 * whose rows each have a column that is the sum of other columns (for example "sent = placed + unmet +
 * other + open").
 */
export function tableSums(
  rowCount: number,
  options: {
    totalRowColumns?: readonly number[];
    rowSums?: readonly { total: number; parts: readonly number[] }[];
  },
): SumEquation[] {
  const sums: SumEquation[] = [];
  const last = rowCount - 1;
  if (last >= 1)
    for (const c of options.totalRowColumns ?? [])
      sums.push({ total: [last, c], parts: Array.from({ length: last }, (_, r) => [r, c] as const) });
  for (let r = 0; r < rowCount; r++)
    for (const s of options.rowSums ?? [])
      sums.push({ total: [r, s.total], parts: s.parts.map((c) => [r, c] as const) });
  return sums;
}

/** A count as published, given whether it is hidden. */
export const publish = (count: number, hidden: boolean): Published =>
  hidden ? { value: null, suppressed: true } : { value: count, suppressed: false };

/**
 * A figure computed from counts (a percentage, a median): hidden when any count it comes from is hidden,
 * or when it rests on fewer than `threshold` cases (`basis`); null (not suppressed) when it rests on none.
 */
export function derived(
  figure: number | null,
  from: readonly Published[],
  basis: number,
  threshold: number,
): Published {
  if (from.some((p) => p.suppressed) || isSmall(basis, threshold)) return { value: null, suppressed: true };
  return { value: basis === 0 ? null : figure, suppressed: false };
}

/** How a published count reads on a page: the number, or "fewer than 10". */
export const shownCount = (p: Published, threshold: number): string =>
  p.suppressed ? `fewer than ${threshold}` : p.value === null ? '—' : String(p.value);
