import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  derived,
  determinedCells,
  isSmall,
  publish,
  shownCount,
  suppressTable,
  tableSums,
  type CellRef,
  type SumEquation,
} from './small-numbers.ts';

const T = 10;

/** A table of counts with a total column (the sum of the others) and a total row, as reports publish. */
const withTotals = (body: number[][]): { counts: number[][]; sums: SumEquation[] } => {
  const rows = body.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  const width = rows[0]!.length;
  const total = Array.from({ length: width }, (_, c) => rows.reduce((a, r) => a + r[c]!, 0));
  const counts = [...rows, total];
  const sums = tableSums(counts.length, {
    totalRowColumns: Array.from({ length: width }, (_, c) => c),
    rowSums: [{ total: width - 1, parts: Array.from({ length: width - 1 }, (_, c) => c) }],
  });
  return { counts, sums };
};

/** Counts a report meets: often zero, often small, sometimes large. */
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 60 }));
const body = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }))
  .chain(([rows, cols]) =>
    fc.array(fc.array(count, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
  );

describe('the small-number rule', () => {
  it('hides 1 to 9, shows 0 and 10 and above', () => {
    expect([0, 1, 9, 10, 11].map((n) => isSmall(n, T))).toEqual([false, true, true, false, false]);
    expect(publish(4, true)).toEqual({ value: null, suppressed: true });
    expect(publish(12, false)).toEqual({ value: 12, suppressed: false });
    expect(shownCount(publish(4, true))).toBe('hidden');
  });

  it('hides a second cell of a row, so a small count is not its total less the others', () => {
    const hidden = suppressTable(
      [[12, 3, 20, 35]],
      [
        {
          total: [0, 3],
          parts: [
            [0, 0],
            [0, 1],
            [0, 2],
          ],
        },
      ],
      T,
    );
    expect(hidden).toEqual([[true, true, false, false]]);
  });

  it('hides the total when the small count is its only part', () => {
    const hidden = suppressTable([[4, 4]], [{ total: [0, 1], parts: [[0, 0]] }], T);
    expect(hidden).toEqual([[true, true]]);
  });

  it('hides nothing in a table without small counts', () => {
    const { counts, sums } = withTotals([
      [10, 0],
      [25, 12],
    ]);
    expect(suppressTable(counts, sums, T).flat().some(Boolean)).toBe(false);
  });

  it('hides a cell that two rows and two columns would pin down together', () => {
    // A 4-cycle of hidden cells in rows 0–1 × columns 0–1 and one more hidden cell in row 0 column 2:
    // row 1 and columns 0 and 1 give the sum of row 0's first two, so the third follows from row 0.
    const sums: SumEquation[] = [
      {
        total: [0, 3],
        parts: [
          [0, 0],
          [0, 1],
          [0, 2],
        ],
      },
      {
        total: [1, 3],
        parts: [
          [1, 0],
          [1, 1],
          [1, 2],
        ],
      },
      {
        total: [2, 0],
        parts: [
          [0, 0],
          [1, 0],
        ],
      },
      {
        total: [2, 1],
        parts: [
          [0, 1],
          [1, 1],
        ],
      },
      {
        total: [2, 2],
        parts: [
          [0, 2],
          [1, 2],
        ],
      },
    ];
    const hiddenNow = new Set(['0:0', '0:1', '1:0', '1:1', '0:2', '2:2']);
    const determined = determinedCells(sums, ([r, c]) => hiddenNow.has(`${r}:${c}`));
    expect(determined.map(([r, c]) => `${r}:${c}`)).toContain('0:2');
  });

  it('hides more where the sums taken together would still give a small count away', () => {
    // Found by search: hiding one companion per row and column leaves the bottom-left 1 determined by
    // the row and column totals together; the linear check hides more.
    const { counts, sums } = withTotals([
      [1, 9, 29],
      [0, 0, 7],
      [1, 0, 4],
    ]);
    const hidden = suppressTable(counts, sums, T);
    expect(hidden[2]![0]).toBe(true);
    const determined = determinedCells(sums, ([r, c]) => hidden[r]![c]!);
    expect(determined.filter(([r, c]) => counts[r]![c]! > 0)).toEqual([]);
  });

  it('hides every small count and shows every other count exactly as it is (property)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const { counts, sums } = withTotals(b);
        const hidden = suppressTable(counts, sums, T);
        counts.forEach((row, r) =>
          row.forEach((n, c) => {
            if (isSmall(n, T)) expect(hidden[r]![c]).toBe(true);
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no hidden count recoverable from the row and column totals (property)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const { counts, sums } = withTotals(b);
        const hidden = suppressTable(counts, sums, T);
        const isHidden = ([r, c]: CellRef) => hidden[r]![c]!;
        // No sum with exactly one hidden cell (subtraction) …
        for (const eq of sums) expect([...eq.parts, eq.total].filter(isHidden).length).not.toBe(1);
        // … and no hidden cell that the published sums determine together (linear algebra).
        const determined = determinedCells(sums, isHidden);
        // Only a hidden zero may be pinned (when everything is hidden, the system says nothing else).
        for (const [r, c] of determined) expect(counts[r]![c]).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('an attacker who differences rows and columns learns no hidden small count (property)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const { counts, sums } = withTotals(b);
        const hidden = suppressTable(counts, sums, T);
        // Differencing: take the published total of each sum and subtract the published parts.
        for (const eq of sums) {
          const cells = [...eq.parts, eq.total];
          const unknown = cells.filter(([r, c]) => hidden[r]![c]);
          if (unknown.length === 1) {
            const [r, c] = unknown[0]!;
            expect.fail(`cell ${r}:${c} (${counts[r]![c]}) follows from a sum`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hides a percentage or median that comes from a hidden count or rests on few cases', () => {
    const shown = publish(40, false);
    expect(derived(0.5, [shown, publish(5, true)], 40, T)).toEqual({ value: null, suppressed: true });
    expect(derived(12, [shown], 6, T)).toEqual({ value: null, suppressed: true });
    expect(derived(12, [shown], 40, T)).toEqual({ value: 12, suppressed: false });
    expect(derived(null, [publish(0, false)], 0, T)).toEqual({ value: null, suppressed: false });
  });
});
