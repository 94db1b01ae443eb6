import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmall } from '../../platform/small-numbers.ts';
import { hideCells, type LatticeInput } from './lattice.ts';
import { FiscalCalendar } from './periods.ts';
import { recoverable, type Equation } from '../../../test/attacker.ts';

const T = 10;
const cal = new FiscalCalendar(7);
const b = cal.bienniumOf(cal.year(2026));
const PERIODS = [...b.quarters, ...b.years, b.biennium];
const COLUMNS = [
  { code: 'new', overTime: true },
  { code: 'continuing', overTime: false },
  { code: 'served', overTime: false },
];
const SUMS = [['served', 'new', 'continuing']];

/** Counts per quarter and group ([new, continuing]); years and the biennium follow as the data would. */
function dataset(quarters: number[][][]): LatticeInput['counts'] {
  const G = quarters[0]!.length;
  const rowOf = (n: number, c: number) => [n, c, n + c];
  const q = quarters.map((groups) => groups.map(([n, c]) => rowOf(n!, c!)));
  // "New" adds up over time; "continuing" does not (people carry over): a longer period holds at least
  // the largest of its parts' continuing counts plus the new of its earlier parts.
  const longer = (parts: number[][][]) =>
    Array.from({ length: G }, (_, g) => {
      const n = parts.reduce((a, p) => a + p[g]![0]!, 0);
      const c = Math.max(...parts.map((p) => p[g]![1]!));
      return rowOf(n, c);
    });
  const years = [longer(q.slice(0, 4)), longer(q.slice(4))];
  const biennium = longer(years);
  return [...q, ...years, biennium].map((groups) => ({
    groups,
    all: [0, 1, 2].map((c) => groups.reduce((a, r) => a + r[c]!, 0)),
  }));
}

/** Every true equation an attacker knows, over cell ids "p:g:c" (g = -1 for the totals). */
function equationsOf(input: LatticeInput): Equation[] {
  const id = (p: number, g: number, c: number) => `${p}:${g}:${c}`;
  const eqs: Equation[] = [];
  const G = input.groups.length;
  input.periods.forEach((_, p) => {
    for (let g = -1; g < G; g++) eqs.push({ total: id(p, g, 2), parts: [id(p, g, 0), id(p, g, 1)] });
    if (input.exclusive)
      for (let c = 0; c < 3; c++)
        eqs.push({ total: id(p, -1, c), parts: input.groups.map((_, g) => id(p, g, c)) });
  });
  const years = [8, 9];
  for (let g = -1; g < G; g++) {
    eqs.push({ total: id(years[0]!, g, 0), parts: [0, 1, 2, 3].map((p) => id(p, g, 0)) });
    eqs.push({ total: id(years[1]!, g, 0), parts: [4, 5, 6, 7].map((p) => id(p, g, 0)) });
    eqs.push({ total: id(10, g, 0), parts: years.map((p) => id(p, g, 0)) });
  }
  return eqs;
}

const small = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 40 }));
const quarters = fc.integer({ min: 1, max: 4 }).chain((G) =>
  fc.array(fc.array(fc.tuple(small, small), { minLength: G, maxLength: G }), {
    minLength: 8,
    maxLength: 8,
  }),
);

function run(q: [number, number][][], exclusive = true) {
  const counts = dataset(q);
  const input: LatticeInput = {
    periods: PERIODS,
    columns: COLUMNS,
    sums: SUMS,
    groups: q[0]!.map((_, g) => `g${g}`),
    exclusive,
    counts,
    threshold: T,
  };
  return { input, hidden: hideCells(input) };
}

describe('small-number protection over a biennium', () => {
  it('hides every count from 1 to 9 in every period, totals and groups alike (property)', () => {
    fc.assert(
      fc.property(quarters, (q) => {
        const { input, hidden } = run(q);
        input.counts.forEach((period, p) => {
          period.all.forEach((n, c) => isSmall(n, T) && expect(hidden.all[p]![c]).toBe(true));
          period.groups.forEach((row, g) =>
            row.forEach((n, c) => isSmall(n, T) && expect(hidden.groups[p]![g]![c]).toBe(true)),
          );
        });
      }),
      { numRuns: 150 },
    );
  });

  it('lets an attacker holding every period of the biennium recover no hidden count (property)', () => {
    fc.assert(
      fc.property(quarters, fc.boolean(), (q, exclusive) => {
        const { input, hidden } = run(q, exclusive);
        const value = new Map<string, number>();
        const isHidden = new Map<string, boolean>();
        input.counts.forEach((period, p) => {
          period.all.forEach((n, c) => {
            value.set(`${p}:-1:${c}`, n);
            isHidden.set(`${p}:-1:${c}`, hidden.all[p]![c]!);
          });
          period.groups.forEach((row, g) =>
            row.forEach((n, c) => {
              value.set(`${p}:${g}:${c}`, n);
              isHidden.set(`${p}:${g}:${c}`, hidden.groups[p]![g]![c]!);
            }),
          );
        });
        const found = recoverable(equationsOf(input), value, (id) => isHidden.get(id)!);
        expect(found.filter((id) => value.get(id)! > 0)).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('decides the totals the same way whatever the breakdown', () => {
    fc.assert(
      fc.property(quarters, (q) => {
        const { input, hidden } = run(q);
        // The same records in a single group: the totals are the same counts, and so is their pattern.
        const merged = hideCells({
          ...input,
          groups: ['everyone'],
          counts: input.counts.map((c) => ({ all: c.all, groups: [c.all] })),
        });
        expect(merged.all).toEqual(hidden.all);
      }),
      { numRuns: 100 },
    );
  });

  it('hides a second cell in the newest period first', () => {
    // One group of two: quarter 8 has a 3 among larger counts; its companion is in quarter 8 too.
    const q: [number, number][][] = Array.from({ length: 8 }, () => [
      [20, 20],
      [30, 30],
    ]);
    q[7] = [
      [3, 20],
      [30, 30],
    ];
    const { hidden } = run(q);
    // Nothing hidden in quarters 1 to 7.
    for (let p = 0; p < 7; p++) expect(hidden.groups[p]!.flat().some(Boolean)).toBe(false);
    expect(hidden.groups[7]![0]![0]).toBe(true);
  });
});
