/**
 * The housing reports through the service, on synthetic requests, offers and availability whose true
 * counts are known: every published cell is exact at or above the threshold, hidden from 1 to 9, and a
 * second cell is hidden where one alone would follow from a total; medians and rates from few cases
 * are hidden; Minnesota dates bound the period; beds by night take each program's latest fresh count;
 * who sees the state and who their own programs only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../../../test/staff.ts';
import { ServiceError } from '../../platform/errors.ts';
import { isSmall, tableSums, type Published } from '../../platform/small-numbers.ts';
import { addCase } from '../referrals/testing.ts';
import {
  housingReport,
  reportCsv,
  reportsContext,
  type HousingReport,
  type ReportsContext,
} from './service.ts';
import { REQUEST_MEASURE_CODES } from './rules.ts';

const MINUTE = 60_000;
let t: TestApp;
let ctx: ReportsContext;
let evaluator: TestStaff;
let stateAdmin: TestStaff;
let adminA: TestStaff;
let navigator: TestStaff;
let providerStaff: TestStaff;
let caseId: string;
let programA: string;
let programB: string;
let programC: string;
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };
/** A Minnesota wall-clock time (November: UTC−6). */
const mn = (date: string, hour: number, minute = 0) => ctx.calendar.instant(date, hour, minute);

async function addProgram(organizationId: string, name: string): Promise<string> {
  const id = randomUUID();
  await t.deps.db
    .insertInto('housing_programs')
    .values({
      id,
      organization_id: organizationId,
      name,
      program_type: 'emergency_shelter',
      min_age: 14,
      max_age: 24,
      genders: ['female', 'male'],
      region_ids: ['west-metro'],
      beds_total: 20,
      beds_available: 0,
      created_at: new Date('2026-10-01T12:00:00Z'),
    })
    .execute();
  return id;
}

interface Synthetic {
  region: string;
  ageBand?: string;
  gender?: string;
  status: 'open' | 'placed' | 'withdrawn';
  closeReason?: 'no_bed_found' | 'found_elsewhere';
  at: Date;
  /** The programs it went to, each with its answer and minutes after sending. */
  offers: { program: string; answer?: 'yes' | 'no'; after?: number }[];
}

async function addRequests(n: number, r: Synthetic): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    await t.deps.db
      .insertInto('shelter_requests')
      .values({
        id,
        case_id: caseId,
        region_id: r.region,
        county_fips: '27053',
        age_band: r.ageBand ?? '16-17',
        gender: r.gender ?? 'female',
        urgency: 'tonight',
        hold_minutes: 120,
        status: r.status,
        close_reason: r.closeReason ?? null,
        created_by: navigator.id,
        created_at: r.at,
        closed_at: r.status === 'open' ? null : new Date(r.at.getTime() + 60 * MINUTE),
      })
      .execute();
    for (const o of r.offers) {
      const org = await t.deps.db
        .selectFrom('housing_programs')
        .select('organization_id')
        .where('id', '=', o.program)
        .executeTakeFirstOrThrow();
      await t.deps.db
        .insertInto('shelter_offers')
        .values({
          id: randomUUID(),
          request_id: id,
          program_id: o.program,
          organization_id: org.organization_id,
          status:
            o.answer === 'yes'
              ? r.status === 'placed'
                ? 'confirmed'
                : 'holding'
              : o.answer === 'no'
                ? 'declined'
                : 'waiting',
          decline_reason: o.answer === 'no' ? 'full' : null,
          answered_at: o.answer ? new Date(r.at.getTime() + (o.after ?? 0) * MINUTE) : null,
        })
        .execute();
    }
  }
}

async function addUpdate(program: string, at: Date, available: number): Promise<void> {
  await t.deps.db
    .insertInto('housing_availability_updates')
    .values({
      id: randomUUID(),
      program_id: program,
      beds_available: available,
      beds_total: 20,
      via: 'synthetic',
      created_at: at,
    })
    .execute();
}

const value = (p: Published) => (p.suppressed ? 'hidden' : p.value);

beforeAll(async () => {
  t = await testApp();
  ctx = reportsContext(t.deps);
  const state = await addOrganization(t.deps.db, 'Synthetic State Agency', 'state_agency');
  const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
  const orgA = await addOrganization(t.deps.db, 'Synthetic Shelter A', 'shelter_housing');
  const orgB = await addOrganization(t.deps.db, 'Synthetic Shelter B', 'shelter_housing');
  evaluator = await addStaff(t.deps, 'evaluator', [], { organizationId: state });
  stateAdmin = await addStaff(t.deps, 'state_admin', [], { organizationId: state });
  adminA = await addStaff(t.deps, 'org_admin', [], { organizationId: orgA });
  providerStaff = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgA });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { organizationId: host });
  caseId = await addCase(t.deps);
  programA = await addProgram(orgA, 'Synthetic Program A');
  programC = await addProgram(orgA, 'Synthetic Program C');
  programB = await addProgram(orgB, 'Synthetic Program B');

  const day = (d: number, hour = 14) => mn(`2026-11-${String(d).padStart(2, '0')}`, hour);
  // West Metro, 16–17, female: 12 placed (A said yes after 10 minutes), 3 no bed found (A said no,
  // C never answered), 2 found elsewhere, 15 still open (one sent 11:30 PM on Nov 30, Minnesota time).
  await addRequests(12, {
    region: 'west-metro',
    status: 'placed',
    at: day(5),
    offers: [{ program: programA, answer: 'yes', after: 10 }],
  });
  await addRequests(3, {
    region: 'west-metro',
    status: 'withdrawn',
    closeReason: 'no_bed_found',
    at: day(6),
    offers: [{ program: programA, answer: 'no', after: 10 }, { program: programC }],
  });
  await addRequests(2, {
    region: 'west-metro',
    status: 'withdrawn',
    closeReason: 'found_elsewhere',
    at: day(7),
    offers: [{ program: programA }],
  });
  await addRequests(14, {
    region: 'west-metro',
    status: 'open',
    at: day(20),
    offers: [{ program: programA }],
  });
  await addRequests(1, {
    region: 'west-metro',
    status: 'open',
    at: mn('2026-11-30', 23, 30),
    offers: [{ program: programA }],
  });
  // Outside the period by Minnesota time (11:30 PM on Oct 31), though Nov 1 in UTC: two, so that
  // counting in UTC (two in, one out) would not add up to the same total by chance.
  await addRequests(2, {
    region: 'west-metro',
    status: 'open',
    at: mn('2026-10-31', 23, 30),
    offers: [{ program: programA }],
  });
  // Southeast, 18–20, male: 11 placed (B said yes after 20 minutes).
  await addRequests(11, {
    region: 'southeast',
    ageBand: '18-20',
    gender: 'male',
    status: 'placed',
    at: day(12),
    offers: [{ program: programB, answer: 'yes', after: 20 }],
  });
  // Northwest, 21–24, transgender: 4 still open, sent to B.
  await addRequests(4, {
    region: 'northwest',
    ageBand: '21-24',
    gender: 'transgender',
    status: 'open',
    at: day(25),
    offers: [{ program: programB }],
  });

  // Availability: A 5 beds at 6 PM on Nov 1, 12 at 8 PM on Nov 10; B 8 beds every day at noon; C never.
  await addUpdate(programA, mn('2026-11-01', 18), 5);
  await addUpdate(programA, mn('2026-11-10', 20), 12);
  for (let d = 1; d <= 30; d++) await addUpdate(programB, day(d, 12), 8);
});
afterAll(async () => {
  await t.close();
});

const report = (who: TestStaff, by = 'region'): Promise<HousingReport> =>
  housingReport(ctx, who.actor, { ...PERIOD, by });

describe('the state’s shelter requests', () => {
  it('publishes the true counts at or above the threshold and hides the small ones', async () => {
    const r = await report(evaluator);
    const row = (group: string) => r.requests!.rows.find((x) => x.group === group)!;
    // The true counts: sent, answered, placed, no bed found, closed otherwise, still open.
    const truth: Record<string, number[]> = {
      'west-metro': [32, 15, 12, 3, 2, 15],
      southeast: [11, 11, 11, 0, 0, 0],
      northwest: [4, 0, 0, 0, 0, 4],
      total: [47, 26, 23, 3, 2, 19],
    };
    for (const [group, counts] of Object.entries(truth)) {
      const cells = group === 'total' ? r.requests!.total : row(group);
      REQUEST_MEASURE_CODES.forEach((m, i) => {
        const cell = cells[m];
        if (isSmall(counts[i]!, 10)) expect(cell, `${group} ${m}`).toEqual({ value: null, suppressed: true });
        else if (!cell.suppressed) expect(cell.value, `${group} ${m}`).toBe(counts[i]);
      });
    }
    for (const other of r.requests!.rows.filter((x) => !(x.group in truth)))
      for (const m of REQUEST_MEASURE_CODES) expect(other[m]).toEqual({ value: 0, suppressed: false });
    // Northwest's 4 are hidden; Southeast's 11 goes with them, or the total would give them away.
    expect(value(row('northwest').sent)).toBe('hidden');
    expect(value(row('southeast').sent)).toBe('hidden');
    expect(value(row('west-metro').sent)).toBe(32);
    expect(value(row('west-metro').answered)).toBe(15);
    expect(value(row('west-metro').medianMinutesToFirstOffer)).toBe(10);
    // A median beside a hidden count is hidden with it.
    expect(value(row('southeast').medianMinutesToFirstOffer)).toBe('hidden');
    expect([r.requests!.total.sent, r.requests!.total.answered, r.requests!.total.placed].map(value)).toEqual(
      [47, 26, 23],
    );
    expect(value(r.requests!.total.medianMinutesToFirstOffer)).toBe(10);
  });

  it('leaves no hidden count alone in its row or column, and hides every count from 1 to 9', async () => {
    for (const by of ['region', 'age', 'gender', 'month']) {
      const r = await report(stateAdmin, by);
      const rows = [...r.requests!.rows, r.requests!.total];
      const grid = rows.map((x) => REQUEST_MEASURE_CODES.map((m) => x[m]));
      for (const line of grid)
        for (const cell of line) if (!cell.suppressed) expect(isSmall(cell.value!, 10)).toBe(false);
      const col = (m: string) => REQUEST_MEASURE_CODES.indexOf(m as never);
      const sums = tableSums(grid.length, {
        totalRowColumns: REQUEST_MEASURE_CODES.map((_, c) => c),
        rowSums: [{ total: col('sent'), parts: ['placed', 'unmet', 'closedOther', 'open'].map(col) }],
      });
      for (const eq of sums) {
        const hidden = [...eq.parts, eq.total].filter(([i, j]) => grid[i]![j]!.suppressed).length;
        expect(hidden, `${by}: a sum with one hidden cell`).not.toBe(1);
      }
    }
  });

  it('counts by Minnesota month, age band and gender', async () => {
    const byMonth = await report(evaluator, 'month');
    expect(byMonth.requests!.rows.map((x) => [x.label, value(x.sent)])).toEqual([['November 2026', 47]]);
    const byAge = await report(evaluator, 'age');
    expect(byAge.requests!.rows.map((x) => [x.group, value(x.sent)])).toEqual([
      ['10-13', 0],
      ['14-15', 0],
      ['16-17', 32],
      ['18-20', 'hidden'],
      ['21-24', 'hidden'],
    ]);
    const byGender = await report(evaluator, 'gender');
    expect(value(byGender.requests!.rows.find((x) => x.group === 'female')!.sent)).toBe(32);
  });

  it('hides a median that rests on fewer than 10 requests', async () => {
    const r = await housingReport(ctx, evaluator.actor, {
      from: '2026-11-12',
      to: '2026-11-12',
      by: 'region',
    });
    // 11 placed in Southeast that day: shown, with their median of 20 minutes.
    expect(value(r.requests!.total.sent)).toBe(11);
    expect(value(r.requests!.total.medianMinutesToFirstOffer)).toBe(20);
    const small = await housingReport({ ...ctx, threshold: 12 }, evaluator.actor, {
      from: '2026-11-12',
      to: '2026-11-12',
    });
    expect(small.requests!.total.sent.suppressed).toBe(true);
    expect(small.requests!.total.medianMinutesToFirstOffer).toEqual({ value: null, suppressed: true });
  });

  it('refuses a period that ends before it starts or runs over a year', async () => {
    for (const bad of [
      { from: '2026-11-30', to: '2026-11-01' },
      { from: '2025-01-01', to: '2026-11-30' },
      { from: '2026-02-30' },
      { by: 'county' },
    ]) {
      const error = await housingReport(ctx, evaluator.actor, bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code).toBe('invalid');
    }
  });
});

describe('programs’ answers', () => {
  it('gives each program its requests, answers, yeses, response rate and median time to answer', async () => {
    const r = await report(evaluator);
    const a = r.programs.find((p) => p.programId === programA)!;
    expect([a.sent, a.answered, a.yes].map(value)).toEqual([32, 15, 12]);
    expect(value(a.responseRate)).toBe(47);
    expect(value(a.medianMinutesToAnswer)).toBe(10);
    const b = r.programs.find((p) => p.programId === programB)!;
    expect([b.sent, b.answered, b.yes].map(value)).toEqual([15, 11, 11]);
    expect(value(b.responseRate)).toBe(73);
    // C received 3 and answered none: the 3 is hidden, and so is its rate.
    const c = r.programs.find((p) => p.programId === programC)!;
    expect([c.sent, c.answered, c.yes].map(value)).toEqual(['hidden', 0, 0]);
    expect(c.responseRate.suppressed).toBe(true);
    expect(c.medianMinutesToAnswer).toEqual({ value: null, suppressed: false });
  });
});

describe('beds by night', () => {
  it('adds each program’s latest fresh count at 9 PM, and counts the others as unknown', async () => {
    const r = await report(evaluator);
    const night = (d: string) => r.nights.rows.find((n) => n.night === d)!;
    expect(r.nights.rows).toHaveLength(30);
    // Nov 1: A 5 (6 PM) + B 8 = 13; C never counted.
    expect(
      [
        night('2026-11-01').bedsAvailable,
        night('2026-11-01').programsCounted,
        night('2026-11-01').programsUnknown,
      ].map(value),
    ).toEqual([13, 'hidden', 'hidden']);
    // Nov 2: A's count is 27 hours old (stale); B's 8 only, hidden under 10.
    expect(value(night('2026-11-02').bedsAvailable)).toBe('hidden');
    // Nov 10: A 12 (8 PM) + B 8 = 20.
    expect(value(night('2026-11-10').bedsAvailable)).toBe(20);
  });

  it('shows an organization administrator their own programs’ beds as they entered them', async () => {
    const r = await report(adminA);
    const night = (d: string) => r.nights.rows.find((n) => n.night === d)!;
    expect(
      [
        night('2026-11-01').bedsAvailable,
        night('2026-11-01').programsCounted,
        night('2026-11-01').programsUnknown,
      ].map(value),
    ).toEqual([5, 1, 1]);
    expect([night('2026-11-02').bedsAvailable, night('2026-11-02').programsUnknown].map(value)).toEqual([
      0, 2,
    ]);
    expect(value(night('2026-11-10').bedsAvailable)).toBe(12);
  });
});

describe('who sees what', () => {
  it('gives state administrators and evaluators the state, an organization its own programs only', async () => {
    expect((await report(stateAdmin)).scope).toBe('statewide');
    const own = await report(adminA);
    expect(own.scope).toBe('organization');
    expect(own.requests).toBeNull();
    expect(own.programs.map((p) => p.programId).sort()).toEqual([programA, programC].sort());
    expect(() => reportCsv(own, 'requests')).toThrow(ServiceError);
  });

  it('refuses navigators and provider staff', async () => {
    for (const who of [navigator, providerStaff]) {
      const error = await report(who).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code).toBe('forbidden');
    }
  });

  it('writes CSV with the same suppression: an empty value and a flag', async () => {
    const csv = reportCsv(await report(evaluator), 'requests').split('\r\n');
    expect(csv[0]).toBe(
      'region,region_name,requests_sent,requests_sent_suppressed,answered,answered_suppressed,placed,placed_suppressed,no_bed_found,no_bed_found_suppressed,closed_other_reason,closed_other_reason_suppressed,still_open,still_open_suppressed,median_minutes_to_first_offer,median_minutes_to_first_offer_suppressed',
    );
    expect(csv.find((l) => l.startsWith('west-metro,'))).toMatch(
      /^west-metro,[^,]+,32,false,15,false,(12,false|,true),,true,,true,(15,false|,true),10,false$/,
    );
    expect(csv.find((l) => l.startsWith('northwest,'))).toMatch(/^northwest,[^,]+,,true,/);
    expect(csv.find((l) => l.startsWith('total,'))).toMatch(/^total,All,47,false,26,false,23,false,,true,/);
  });
});
