/**
 * An attacker against published tables, for tests: given every true sum among the cells (row and column
 * totals, tables that share totals, periods inside longer periods) and the published values, which
 * hidden cells can be worked out exactly? Exact arithmetic (BigInt, fraction-free elimination), written
 * apart from the product's own solver so that the two check each other.
 */
export interface Equation {
  total: string;
  parts: readonly string[];
}

const abs = (x: bigint) => (x < 0n ? -x : x);
const gcd = (a: bigint, b: bigint): bigint => {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

/** The hidden cells whose value follows from the published cells and the equations. */
export function recoverable(
  equations: readonly Equation[],
  value: ReadonlyMap<string, number>,
  isHidden: (id: string) => boolean,
): string[] {
  const unknowns = [...new Set(equations.flatMap((e) => [e.total, ...e.parts]).filter((id) => isHidden(id)))];
  const column = new Map(unknowns.map((id, i) => [id, i]));
  const n = unknowns.length;
  // Each row: coefficients of the unknowns, then the constant (what the published cells contribute).
  const rows: bigint[][] = equations.map((e) => {
    const row = new Array<bigint>(n + 1).fill(0n);
    const put = (id: string, sign: bigint) => {
      if (isHidden(id)) row[column.get(id)!]! += sign;
      else row[n]! -= sign * BigInt(value.get(id)!);
    };
    for (const p of e.parts) put(p, 1n);
    put(e.total, -1n);
    return row;
  });
  let r = 0;
  const pivots: [number, number][] = [];
  for (let c = 0; c < n && r < rows.length; c++) {
    const pick = rows.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (pick < 0) continue;
    [rows[r], rows[pick]] = [rows[pick]!, rows[r]!];
    const pivot = rows[r]!;
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i]![c] === 0n) continue;
      const f = rows[i]![c]!;
      const p = pivot[c]!;
      const next = rows[i]!.map((x, j) => x * p - pivot[j]! * f);
      const g = next.reduce((a, x) => gcd(a, x), 0n) || 1n;
      rows[i] = next.map((x) => x / g);
    }
    pivots.push([r, c]);
    r++;
  }
  return pivots
    .filter(([row, c]) => rows[row]!.every((x, j) => j === c || j === n || x === 0n))
    .map(([, c]) => unknowns[c]!);
}
