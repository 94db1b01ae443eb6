/**
 * The evaluation through the service, on synthetic facts whose true counts are known (test/
 * evaluation-facts.ts): every published cell of every period of a biennium is exact, every count from 1
 * to 9 is hidden, and an attacker holding every table of the biennium — all quarters, years and the
 * biennium, totals shared between breakdowns — can work out no hidden count by row, column or period
 * differencing. Also: periods are locked to whole ended quarters, years and bienniums; who sees what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverable, type Equation } from '../../../test/attacker.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { insertFacts, syntheticYouth, type SyntheticYouth } from '../../../test/evaluation-facts.ts';
import { addOrganization, addStaff, type TestStaff } from '../../../test/staff.ts';
import type { Dimension, MeasureCode } from '../../pack/evaluation.ts';
import { ServiceError } from '../../platform/errors.ts';
import { isSmall } from '../../platform/small-numbers.ts';
import { FiscalCalendar, type Period } from './periods.ts';
import { qualityReport } from './bundles.ts';
import { evaluationContext, measureReport, type EvaluationContext, type MeasureReport } from './service.ts';

const TODAY = '2025-08-15';
const cal = new FiscalCalendar(7);
const B = cal.bienniumOf(cal.year(2025));
const PERIODS: Period[] = [...B.quarters, ...B.years, B.biennium];

let t: TestApp;
let ctx: EvaluationContext;
let evaluator: TestStaff;
let provider: TestStaff;
let youth: SyntheticYouth[];

beforeAll(async () => {
  t = await testApp();
  ctx = { ...evaluationContext(t.deps), today: () => TODAY };
  evaluator = await addStaff(t.deps, 'evaluator');
  const org = await addOrganization(t.deps.db, 'Synthetic Provider');
  provider = await addStaff(t.deps, 'org_admin', [], { organizationId: org });
  youth = syntheticYouth(17, 700, B.biennium.from, B.biennium.to);
  await insertFacts(t.deps.db, youth, org);
}, 120_000);
afterAll(() => t?.close());

/** The true youth-served counts of a period: once per person, their earliest case active in it. */
function truthServed(p: Period, groupOf: (y: SyntheticYouth) => string[]) {
  const first = new Map<string, string>();
  for (const y of youth)
    if (!first.has(y.person) || y.openedOn < first.get(y.person)!) first.set(y.person, y.openedOn);
  const latest = new Map<string, SyntheticYouth>();
  for (const y of youth) {
    if (y.openedOn > p.to || (y.closedOn !== null && y.closedOn < p.from)) continue;
    const had = latest.get(y.person);
    if (!had || y.openedOn < had.openedOn || (y.openedOn === had.openedOn && y.subject < had.subject))
      latest.set(y.person, y);
  }
  const cells = new Map<string, { new: number; continuing: number; served: number }>();
  const add = (g: string, isNew: boolean) => {
    const c = cells.get(g) ?? { new: 0, continuing: 0, served: 0 };
    c[isNew ? 'new' : 'continuing']++;
    c.served++;
    cells.set(g, c);
  };
  for (const y of latest.values()) {
    const isNew = first.get(y.person)! >= p.from;
    add('total', isNew);
    for (const g of groupOf(y)) add(g, isNew);
  }
  return cells;
}

const GROUPS: Partial<Record<Dimension, (y: SyntheticYouth) => string[]>> = {
  none: () => [],
  age_band: (y) => [y.ageBand],
  region: (y) => [y.region],
  race: (y) =>
    y.races.length === 0 ? ['not_recorded'] : [...y.races, ...(y.races.length >= 2 ? ['two_or_more'] : [])],
};

const report = (measure: MeasureCode, by: Dimension, p: Period, who: TestStaff = evaluator) =>
  measureReport(ctx, who.actor, { measure, by, from: p.from, to: p.to, trend: false });

describe('the evaluation on synthetic facts whose truth is known', () => {
  it('publishes every youth-served cell exactly, and hides every count from 1 to 9, in every period', async () => {
    for (const by of ['none', 'age_band', 'region', 'race'] as const) {
      for (const p of PERIODS) {
        const r = await report('youth_served', by, p);
        const truth = truthServed(p, GROUPS[by]!);
        const rows = [...r.rows, r.total];
        for (const row of rows) {
          const want = truth.get(row.code) ?? { new: 0, continuing: 0, served: 0 };
          for (const column of ['new', 'continuing', 'served'] as const) {
            const cell = row.cells[column]!;
            if (isSmall(want[column], 10))
              expect(cell.suppressed, `${by} ${p.short} ${row.code} ${column}`).toBe(true);
            if (!cell.suppressed)
              expect(cell.value, `${by} ${p.short} ${row.code} ${column}`).toBe(want[column]);
          }
        }
        // A group the data holds is never left out of the table.
        for (const g of truth.keys()) if (g !== 'total') expect(rows.map((x) => x.code)).toContain(g);
      }
    }
  }, 120_000);

  it('lets an attacker with every table of the biennium recover no hidden count', async () => {
    for (const by of ['age_band', 'region', 'race'] as const) {
      const value = new Map<string, number>();
      const hidden = new Map<string, boolean>();
      const equations: Equation[] = [];
      const groupCodes = new Set<string>();
      const id = (p: number, g: string, c: string) => `${p}|${g}|${c}`;
      for (const [pi, p] of PERIODS.entries()) {
        // The totals come from another breakdown's table: the attacker may take them from any.
        const r = await report('youth_served', by, p);
        const totals = (await report('youth_served', 'none', p)).total;
        expect(totals.cells).toEqual(r.total.cells);
        const truth = truthServed(p, GROUPS[by]!);
        for (const row of [...r.rows, r.total]) {
          groupCodes.add(row.code);
          const want = truth.get(row.code) ?? { new: 0, continuing: 0, served: 0 };
          for (const c of ['new', 'continuing', 'served'] as const) {
            value.set(id(pi, row.code, c), want[c]);
            hidden.set(id(pi, row.code, c), row.cells[c]!.suppressed);
          }
          equations.push({
            total: id(pi, row.code, 'served'),
            parts: [id(pi, row.code, 'new'), id(pi, row.code, 'continuing')],
          });
        }
        if (r.exclusive)
          for (const c of ['new', 'continuing', 'served'])
            equations.push({ total: id(pi, 'total', c), parts: r.rows.map((x) => id(pi, x.code, c)) });
      }
      // Two-period differencing: new young people add up over time (a year is its quarters, the biennium its years).
      const index = (p: Period) => PERIODS.findIndex((x) => x.from === p.from && x.to === p.to);
      for (const g of groupCodes) {
        for (const [y, qs] of [
          [B.years[0]!, B.quarters.slice(0, 4)],
          [B.years[1]!, B.quarters.slice(4)],
        ] as const)
          equations.push({ total: id(index(y), g, 'new'), parts: qs.map((q) => id(index(q), g, 'new')) });
        equations.push({
          total: id(index(B.biennium), g, 'new'),
          parts: B.years.map((y) => id(index(y), g, 'new')),
        });
      }
      // The equations are true of the data (else the attack would prove nothing) …
      for (const e of equations)
        expect(
          e.parts.reduce((a, p) => a + (value.get(p) ?? 0), 0),
          `${e.total}`,
        ).toBe(value.get(e.total) ?? 0);
      // … and no hidden count above zero follows from them.
      const found = recoverable(equations, value, (x) => hidden.get(x) ?? false);
      expect(
        found.filter((x) => (value.get(x) ?? 0) > 0),
        by,
      ).toEqual([]);
      expect([...hidden.values()].some(Boolean), `${by} hides something`).toBe(true);
    }
  }, 180_000);

  it('counts referrals and exits as the facts say', async () => {
    const p = B.years[1]!;
    const r = await report('referrals', 'service', p);
    const sent = youth.flatMap((y) => y.referrals).filter((x) => x.sentOn >= p.from && x.sentOn <= p.to);
    const total = r.total.cells;
    expect(total.sent!.value).toBe(sent.length);
    expect(total.accepted!.value).toBe(sent.filter((x) => x.accepted).length);
    expect(total.declined!.value).toBe(sent.filter((x) => x.status === 'declined').length);
    expect(total.completed!.value).toBe(sent.filter((x) => x.completed).length);
    // The median days to acceptance, of the referrals accepted (the facts hold quarter days).
    const days = sent
      .filter((x) => x.accepted)
      .map((x) => x.days!)
      .sort((a, b) => a - b);
    const mid = days.length / 2;
    const median = days.length % 2 ? days[Math.floor(mid)]! : (days[mid - 1]! + days[mid]!) / 2;
    expect(r.total.figures.median_days_to_accept!.value).toBe(Math.round(median * 10) / 10);
    const exits = await report('exits', 'none', p);
    const closed = youth.filter((y) => y.closedOn && y.closedOn >= p.from && y.closedOn <= p.to);
    expect(exits.total.cells.closed!.value).toBe(closed.length);
    expect(exits.total.cells.safer_yes!.value).toBe(closed.filter((y) => y.safer === 'yes').length);
  });

  it('locks periods to whole quarters, fiscal years and bienniums that have ended', async () => {
    const refused = async (from: string, to: string) => {
      const error = await measureReport(ctx, evaluator.actor, { measure: 'youth_served', from, to }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServiceError);
      return (error as ServiceError).message;
    };
    expect(await refused('2024-07-01', '2024-12-15')).toContain('whole quarter');
    expect(await refused('2025-07-01', '2025-09-30')).toContain('has not ended');
    expect(await refused('2024-01-01', '2024-12-31')).toContain('whole quarter');
    const byDefault = await measureReport(ctx, evaluator.actor, { measure: 'youth_served' });
    expect([byDefault.period.from, byDefault.period.to]).toEqual(['2024-07-01', '2025-06-30']);
  });

  it('shows an organization its own clients only, never counties, and never the whole state', async () => {
    const r = await report('youth_served', 'age_band', B.years[1]!, provider);
    expect(r.scope.kind).toBe('organization');
    const clients = youth.filter((y) => y.referrals.some((x) => x.accepted));
    expect(r.total.cells.served!.value ?? 0).toBeLessThanOrEqual(new Set(clients.map((y) => y.person)).size);
    await expect(report('youth_served', 'county', B.years[1]!, provider)).rejects.toThrow('Counties');
    await expect(report('first_contact', 'none', B.years[1]!, provider)).rejects.toThrow('not reported');
  });

  it('reports missing details from the same protected cells', async () => {
    const q = await qualityReport(ctx, evaluator.actor, { from: B.years[1]!.from, to: B.years[1]!.to });
    const race = q.lines.find((l) => l.label === 'Race and ethnicity')!;
    const table: MeasureReport = await report('youth_served', 'race', B.years[1]!);
    const missing = table.rows.filter((x) => ['not_recorded', 'unknown', 'declined'].includes(x.code));
    if (missing.every((x) => !x.cells.served!.suppressed))
      expect(race.missing.value).toBe(missing.reduce((a, x) => a + x.cells.served!.value!, 0));
    else expect(race.missing.suppressed).toBe(true);
    expect(race.of).toEqual(table.total.cells.served);
  });
});
