/**
 * The small-number rule for published counts, without I/O, so every report (housing now, the
 * evaluation later) applies the same one:
 *
 * 1. **Primary suppression**: a count between 1 and `threshold − 1` is not shown ("hidden" on a page).
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
 * `suppressTable` protects one table against row and column differencing; `suppressCells` is the same
 * over any cells and sums, with cells fixed by other tables, which the evaluation uses to protect
 * tables that share totals and periods nested in longer ones (docs/evaluation.md).
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
  const width = counts[0]?.length ?? 0;
  const at = ([r, c]: CellRef) => r * width + c;
  const hidden = suppressCells(
    counts.flat(),
    sums.map((eq) => ({ total: at(eq.total), parts: eq.parts.map(at) })),
    threshold,
  );
  return counts.map((row, r) => row.map((_, c) => hidden[r * width + c]!));
}

/** A published sum over cells by index: the cell `total` equals the sum of the cells `parts`. */
export interface CellSum {
  total: number;
  parts: readonly number[];
}

export interface SuppressOptions {
  /** Cells hidden whatever their count (already hidden in another table of the same report). */
  forced?: Iterable<number>;
  /** Cells never hidden beyond the primary rule (shared with other tables, decided there). */
  frozen?: ReadonlySet<number>;
  /**
   * Which cell to hide first when a second one must be: lower goes first (after that, the smallest
   * count above zero, a part before a total). For reports over time, the cells of the newest period,
   * so that a figure published earlier is never hidden later.
   */
  preference?: (cell: number) => number;
}

/**
 * The general form of `suppressTable`: cells by index, any sums among them (rows, columns, periods
 * within a longer period), cells hidden in advance and cells that may not be hidden.
 */
export function suppressCells(
  values: readonly number[],
  sums: readonly CellSum[],
  threshold: number,
  options: SuppressOptions = {},
): boolean[] {
  const hidden = values.map((n) => isSmall(n, threshold));
  for (const cell of options.forced ?? []) hidden[cell] = true;
  const frozen = options.frozen ?? new Set<number>();
  const preference = options.preference ?? (() => 0);
  /** The cell of the equation to hide next to protect another. */
  const companion = (eq: CellSum): number | null => {
    const open = [...eq.parts, eq.total].filter((cell) => !hidden[cell] && !frozen.has(cell));
    if (!open.length) return null;
    const rank = (cell: number) => (values[cell]! > 0 ? 0 : 2) + (cell === eq.total ? 1 : 0);
    const better = (a: number, b: number) =>
      preference(a) !== preference(b)
        ? preference(a) < preference(b)
        : rank(a) !== rank(b)
          ? rank(a) < rank(b)
          : values[a]! < values[b]!;
    return open.reduce((best, cell) => (better(cell, best) ? cell : best));
  };
  const cellsOf = (eq: CellSum) => [...eq.parts, eq.total];

  // Row and column differencing: no equation with exactly one hidden cell.
  let changed = true;
  while (changed) {
    changed = false;
    for (const eq of sums) {
      if (cellsOf(eq).filter((c) => hidden[c]).length !== 1) continue;
      const next = companion(eq);
      if (next !== null) {
        hidden[next] = true;
        changed = true;
      }
    }
  }

  // Equations combined: hide more until the system determines no hidden cell.
  const blocked = new Set<number>();
  for (;;) {
    const determined = determinedIndexes(sums, (c) => hidden[c]!).filter((c) => !blocked.has(c));
    if (!determined.length) break;
    const cell = determined[0]!;
    const around = sums.filter((eq) => cellsOf(eq).includes(cell));
    const next =
      around.map(companion).find((c): c is number => c !== null) ??
      sums.map(companion).find((c): c is number => c !== null) ??
      null;
    if (next === null) {
      blocked.add(cell); // nothing left to hide around it: every open cell is frozen
      continue;
    }
    hidden[next] = true;
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
  const cells = new Map<string, CellRef>();
  for (const eq of sums) for (const cell of [...eq.parts, eq.total]) cells.set(key(cell), cell);
  const refs = [...cells.values()];
  const index = new Map(refs.map((c, i) => [key(c), i]));
  const found = determinedIndexes(
    sums.map((eq) => ({ total: index.get(key(eq.total))!, parts: eq.parts.map((p) => index.get(key(p))!) })),
    (i) => isHidden(refs[i]!),
  );
  return found.map((i) => refs[i]!);
}

/**
 * `determinedCells` over cells by index. The system is sparse (each sum holds few cells), so it is
 * reduced row by row with rows as maps, taking as pivot the shortest row that holds the column.
 */
export function determinedIndexes(sums: readonly CellSum[], isHidden: (cell: number) => boolean): number[] {
  const rows: Map<number, number>[] = [];
  for (const eq of sums) {
    const row = new Map<number, number>();
    const add = (cell: number, by: number) => {
      if (!isHidden(cell)) return;
      const v = (row.get(cell) ?? 0) + by;
      if (Math.abs(v) < 1e-9) row.delete(cell);
      else row.set(cell, v);
    };
    for (const part of eq.parts) add(part, 1);
    add(eq.total, -1);
    if (row.size) rows.push(row);
  }
  /** The rows that hold each cell. */
  const holding = new Map<number, Set<number>>();
  rows.forEach((row, r) => {
    for (const cell of row.keys()) {
      let set = holding.get(cell);
      if (!set) holding.set(cell, (set = new Set()));
      set.add(r);
    }
  });
  const pivotRows = new Set<number>();
  const pivots: [row: number, cell: number][] = [];
  for (const cell of [...holding.keys()].sort((a, b) => a - b)) {
    let pick = -1;
    for (const r of holding.get(cell) ?? [])
      if (!pivotRows.has(r) && (pick < 0 || rows[r]!.size < rows[pick]!.size)) pick = r;
    if (pick < 0) continue;
    const pivot = rows[pick]!;
    const p = pivot.get(cell)!;
    for (const [c, v] of pivot) pivot.set(c, v / p);
    for (const r of [...holding.get(cell)!]) {
      if (r === pick) continue;
      const row = rows[r]!;
      const f = row.get(cell)!;
      for (const [c, v] of pivot) {
        const next = (row.get(c) ?? 0) - f * v;
        if (Math.abs(next) < 1e-9) {
          row.delete(c);
          holding.get(c)?.delete(r);
        } else {
          if (!row.has(c)) {
            let set = holding.get(c);
            if (!set) holding.set(c, (set = new Set()));
            set.add(r);
          }
          row.set(c, next);
        }
      }
    }
    pivotRows.add(pick);
    pivots.push([pick, cell]);
  }
  return pivots.filter(([r]) => rows[r]!.size === 1).map(([, cell]) => cell);
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

/** How a published count reads in text: the number, or "hidden" (never saying why, which would tell). */
export const shownCount = (p: Published): string =>
  p.suppressed ? 'hidden' : p.value === null ? '—' : String(p.value);
