import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticGeography } from '../../../test/geography-fixture.ts';
import { classify, evaluatePathway, parsePathwayInput, UNKNOWN_AGE_NOTE } from './engine.ts';
import { loadRuleset, RulesetSchema } from './ruleset.ts';
import {
  AGE_BANDS,
  MANDATED_ROLES,
  OFFICIAL_ROLES,
  REPORTER_ROLES,
  TRI_STATE,
  type ActionCode,
  type PathwayFacts,
  type TriState,
} from './types.ts';

const ruleset = loadRuleset('data/mn');
const RISK_CODES = ruleset.riskFactors.map((f) => f.code);
const MINOR_ONLY = new Set(ruleset.rules.filter((r) => r.minorOnly).map((r) => r.code));

function facts(over: Partial<PathwayFacts> = {}): PathwayFacts {
  return {
    asOf: '2026-11-20',
    age: null,
    ageBand: null,
    reporterRole: 'education',
    exchangeForValue: 'no',
    thirdPartyProfit: 'no',
    recruitedOrAdvertised: 'no',
    americanIndian: 'no',
    allegedOffenderIsCaregiver: 'unknown',
    laborExploitation: 'no',
    foreignNational: 'no',
    inOutOfHomeCare: false,
    currentlyMissingFromCare: false,
    foundAfterMissingFromCare: false,
    immediateDanger: false,
    county: null,
    riskFactors: [],
    ...over,
  };
}

const run = (over: Partial<PathwayFacts>) => evaluatePathway(facts(over), ruleset);
const codes = (over: Partial<PathwayFacts>) => run(over).actions.map((a) => a.code);
const action = (over: Partial<PathwayFacts>, code: ActionCode) =>
  run(over).actions.find((a) => a.code === code);

/**
 * The issue's table of actions, written out independently of the rules file: the engine running the
 * data must agree with it for every input.
 */
function reference(f: PathwayFacts): Map<ActionCode, { required: boolean; deadlineHours?: number }> {
  const minor = f.age !== null ? f.age < 18 : f.ageBand !== null ? f.ageBand === 'under18' : null;
  const mu = minor !== false;
  const youth = f.age !== null ? f.age <= 24 : f.ageBand !== '25plus';
  const adult25 = f.age !== null ? f.age >= 25 : f.ageBand === '25plus';
  const one = (v: TriState | undefined) => v !== undefined && v !== 'no';
  // Survival sex is an exchange; a strip club is one for a minor (possible when the age is unknown).
  const survival = f.riskFactors.includes('survival_sex');
  const strip = f.riskFactors.includes('strip_club_work') && minor !== false;
  const exchange: TriState =
    f.exchangeForValue === 'yes' || survival || (strip && minor === true)
      ? 'yes'
      : f.exchangeForValue === 'unknown' || strip
        ? 'unknown'
        : 'no';
  const cse = one(exchange);
  const st = (exchange !== 'no' && f.thirdPartyProfit !== 'no') || one(f.recruitedOrAdvertised);
  const lt = one(f.laborExploitation);
  const concern = cse || st;
  const atRisk = f.riskFactors.length > 0;
  const role = f.reporterRole;
  const cp = role === 'child_protection';
  const ai = one(f.americanIndian);
  const out = new Map<ActionCode, { required: boolean; deadlineHours?: number }>();
  if (f.immediateDanger) out.set('CALL_911', { required: false, deadlineHours: 0 });
  if (mu && concern && role !== 'child_protection' && role !== 'youth_self')
    out.set('REPORT_CHILD_PROTECTION', { required: MANDATED_ROLES.includes(role), deadlineHours: 24 });
  if (out.get('REPORT_CHILD_PROTECTION')?.required)
    out.set('WRITTEN_REPORT_72H', { required: true, deadlineHours: 72 });
  if (cp && mu && concern) out.set('CROSS_REPORT_LAW_ENFORCEMENT', { required: true });
  if (mu && st && f.asOf >= '2024-07-01' && f.allegedOffenderIsCaregiver === 'no' && role !== 'youth_self')
    out.set('CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT', { required: cp });
  if (
    mu &&
    st &&
    f.asOf >= '2017-05-29' &&
    (f.allegedOffenderIsCaregiver !== 'no' || f.asOf < '2024-07-01') &&
    role !== 'youth_self'
  )
    out.set('CP_INVESTIGATION', { required: cp });
  if (mu && f.currentlyMissingFromCare) {
    out.set('REPORT_MISSING_LAW_ENFORCEMENT', { required: cp, deadlineHours: 24 });
    out.set('REPORT_MISSING_NCMEC', { required: cp, deadlineHours: 24 });
  }
  if (mu && (f.inOutOfHomeCare || f.currentlyMissingFromCare || f.foundAfterMissingFromCare) && st)
    out.set('REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT', { required: cp, deadlineHours: 24 });
  if (mu && f.foundAfterMissingFromCare) out.set('RETURN_MEETING_24H', { required: cp, deadlineHours: 24 });
  if (cp && mu && f.foundAfterMissingFromCare && concern)
    out.set('DOCUMENT_SSIS_SEY_STY', { required: true, deadlineHours: 0 });
  if (mu && f.foreignNational !== 'no' && (st || lt))
    out.set('OTIP_REQUEST_FOR_ASSISTANCE', {
      required: f.foreignNational === 'yes' && OFFICIAL_ROLES.includes(role),
      deadlineHours: 24,
    });
  if (mu && ai && concern) out.set('TRIBAL_CHILD_WELFARE', { required: cp && f.americanIndian === 'yes' });
  if (ai && (concern || atRisk || lt)) out.set('TRIBAL_SERVICES', { required: false });
  if (mu && cse && f.asOf >= '2014-08-01') out.set('NOT_DELINQUENT', { required: false });
  const eligible = f.asOf >= '2016-07-01' ? youth : mu;
  if (eligible && f.asOf >= '2014-08-01' && (concern || atRisk)) {
    out.set('SAFE_HARBOR_ELIGIBLE', { required: false });
    out.set('REFER_REGIONAL_NAVIGATOR', { required: false });
  }
  if (adult25 && (concern || lt)) out.set('ADULT_VICTIM_SERVICES', { required: false });
  if (adult25 && concern && f.asOf >= '2019-02-01')
    out.set('SAFE_HARBOR_FOR_ALL_PROPOSAL', { required: false });
  if (lt) out.set('LABOR_TRAFFICKING_SERVICES', { required: false });
  if (concern || atRisk || lt) out.set('SAFETY_PLAN', { required: false });
  out.set('HOTLINE_INFO', { required: false });
  return out;
}

const BOUNDARY_DATES = [
  '2014-07-31',
  '2014-08-01',
  '2016-06-30',
  '2016-07-01',
  '2017-05-28',
  '2017-05-29',
  '2019-01-31',
  '2019-02-01',
  '2020-07-31',
  '2020-08-01',
  '2024-06-30',
  '2024-07-01',
];

const dateArb = fc.oneof(
  fc.constantFrom(...BOUNDARY_DATES),
  fc
    .date({
      min: new Date('2010-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
);
const triArb = fc.constantFrom(...TRI_STATE);
const factsArb: fc.Arbitrary<PathwayFacts> = fc.record({
  asOf: dateArb,
  age: fc.oneof(
    fc.constant(null),
    fc.constantFrom(0, 12, 17, 18, 24, 25, 120),
    fc.integer({ min: 0, max: 120 }),
  ),
  ageBand: fc.oneof(fc.constant(null), fc.constantFrom(...AGE_BANDS)),
  reporterRole: fc.constantFrom(...REPORTER_ROLES),
  exchangeForValue: triArb,
  thirdPartyProfit: triArb,
  recruitedOrAdvertised: triArb,
  americanIndian: triArb,
  allegedOffenderIsCaregiver: triArb,
  laborExploitation: triArb,
  foreignNational: triArb,
  inOutOfHomeCare: fc.boolean(),
  currentlyMissingFromCare: fc.boolean(),
  foundAfterMissingFromCare: fc.boolean(),
  immediateDanger: fc.boolean(),
  county: fc.constant(null),
  riskFactors: fc.subarray(RISK_CODES),
});

describe('classification', () => {
  it.each([
    ['yes', 'yes', 'indicated'],
    ['yes', 'unknown', 'possible'],
    ['unknown', 'yes', 'possible'],
    ['unknown', 'unknown', 'possible'],
    ['yes', 'no', 'not_indicated'],
    ['no', 'yes', 'not_indicated'],
    ['no', 'no', 'not_indicated'],
    ['unknown', 'no', 'not_indicated'],
    ['no', 'unknown', 'not_indicated'],
  ] as const)('exchange %s and third-party profit %s: sex trafficking %s', (exchange, profit, expected) => {
    expect(classify(facts({ exchangeForValue: exchange, thirdPartyProfit: profit })).sexTrafficking).toBe(
      expected,
    );
  });

  it.each([
    ['yes', 'indicated'],
    ['unknown', 'possible'],
    ['no', 'not_indicated'],
  ] as const)('exchange %s: commercial sexual exploitation %s; labor the same way', (v, expected) => {
    expect(classify(facts({ exchangeForValue: v })).commercialSexualExploitation).toBe(expected);
    expect(classify(facts({ laborExploitation: v })).laborTrafficking).toBe(expected);
  });

  it('minor from age first, then band, else null', () => {
    expect(classify(facts({ age: 17 })).minor).toBe(true);
    expect(classify(facts({ age: 18 })).minor).toBe(false);
    expect(classify(facts({ ageBand: 'under18' })).minor).toBe(true);
    expect(classify(facts({ ageBand: '18to24' })).minor).toBe(false);
    expect(classify(facts({ age: 19, ageBand: 'under18' })).minor).toBe(false);
    expect(classify(facts()).minor).toBeNull();
    expect(classify(facts({ riskFactors: ['poverty'] })).atRisk).toBe(true);
    expect(classify(facts()).atRisk).toBe(false);
  });
});

describe('each rule at its boundaries', () => {
  const concern = { exchangeForValue: 'yes', thirdPartyProfit: 'no' } as const;
  const trafficking = { exchangeForValue: 'yes', thirdPartyProfit: 'yes' } as const;

  it('CALL_911 only in immediate danger, deadline now', () => {
    expect(action({ immediateDanger: true }, 'CALL_911')).toMatchObject({
      required: false,
      deadlineHours: 0,
    });
    expect(codes({})).not.toContain('CALL_911');
  });

  it('REPORT_CHILD_PROTECTION: age 17 yes, 18 no; required for mandated roles only; 24 hours', () => {
    expect(action({ ...concern, age: 17 }, 'REPORT_CHILD_PROTECTION')).toMatchObject({
      required: true,
      deadlineHours: 24,
      binds: 'reporter',
    });
    expect(codes({ ...concern, age: 18 })).not.toContain('REPORT_CHILD_PROTECTION');
    expect(
      action({ ...concern, age: 17, reporterRole: 'family_or_friend' }, 'REPORT_CHILD_PROTECTION')?.required,
    ).toBe(false);
    expect(
      action({ ...concern, age: 17, reporterRole: 'other_professional' }, 'REPORT_CHILD_PROTECTION')
        ?.required,
    ).toBe(false);
    expect(codes({ ...concern, age: 17, reporterRole: 'child_protection' })).not.toContain(
      'REPORT_CHILD_PROTECTION',
    );
    expect(codes({ ...concern, age: 17, reporterRole: 'youth_self' })).not.toContain(
      'REPORT_CHILD_PROTECTION',
    );
    expect(codes({ age: 17 })).not.toContain('REPORT_CHILD_PROTECTION');
  });

  it('WRITTEN_REPORT_72H follows only a required report, counting business days', () => {
    expect(action({ ...concern, age: 15 }, 'WRITTEN_REPORT_72H')).toMatchObject({
      required: true,
      deadlineHours: 72,
      deadlineBusinessDays: true,
    });
    expect(codes({ ...concern, age: 15, reporterRole: 'community_member' })).not.toContain(
      'WRITTEN_REPORT_72H',
    );
  });

  it('child protection response: investigation from 2017-05-29; non-caregiver assessment from 2024-07-01', () => {
    const base = { ...trafficking, age: 16, allegedOffenderIsCaregiver: 'no' } as const;
    expect(codes({ ...base, asOf: '2017-05-28' })).not.toContain('CP_INVESTIGATION');
    expect(codes({ ...base, asOf: '2017-05-29' })).toContain('CP_INVESTIGATION');
    expect(codes({ ...base, asOf: '2024-06-30' })).toContain('CP_INVESTIGATION');
    expect(codes({ ...base, asOf: '2024-06-30' })).not.toContain('CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT');
    expect(codes({ ...base, asOf: '2024-07-01' })).not.toContain('CP_INVESTIGATION');
    expect(codes({ ...base, asOf: '2024-07-01' })).toContain('CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT');
    for (const caregiver of ['yes', 'unknown'] as const) {
      const after = codes({ ...base, allegedOffenderIsCaregiver: caregiver, asOf: '2024-07-01' });
      expect(after).toContain('CP_INVESTIGATION');
      expect(after).not.toContain('CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT');
    }
    expect(action({ ...base, asOf: '2025-01-01' }, 'CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT')?.required).toBe(
      false,
    );
    expect(
      action(
        { ...base, asOf: '2025-01-01', reporterRole: 'child_protection' },
        'CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT',
      )?.required,
    ).toBe(true);
    expect(codes({ ...base, asOf: '2025-01-01', reporterRole: 'youth_self' })).not.toContain(
      'CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT',
    );
  });

  it('missing from care: law enforcement and NCMEC within 24 hours, required of child protection', () => {
    const cp = run({ age: 16, currentlyMissingFromCare: true, reporterRole: 'child_protection' });
    for (const code of ['REPORT_MISSING_LAW_ENFORCEMENT', 'REPORT_MISSING_NCMEC'] as const)
      expect(cp.actions.find((a) => a.code === code)).toMatchObject({ required: true, deadlineHours: 24 });
    expect(action({ age: 16, currentlyMissingFromCare: true }, 'REPORT_MISSING_NCMEC')?.required).toBe(false);
    expect(codes({ age: 18, currentlyMissingFromCare: true })).not.toContain('REPORT_MISSING_NCMEC');
  });

  it('in care (or missing from it) with possible sex trafficking: report the risk to law enforcement (260C.212 subd. 13)', () => {
    expect(codes({ ...trafficking, age: 14, inOutOfHomeCare: true })).toContain(
      'REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT',
    );
    expect(codes({ ...trafficking, age: 14, currentlyMissingFromCare: true })).toContain(
      'REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT',
    );
    // Exploitation with no third party is reported under the reporting law, not this rule.
    expect(codes({ ...concern, age: 14, inOutOfHomeCare: true })).not.toContain(
      'REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT',
    );
    expect(codes({ ...trafficking, age: 14 })).not.toContain('REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT');
    expect(codes({ age: 14, inOutOfHomeCare: true, riskFactors: ['poverty'] })).not.toContain(
      'REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT',
    );
  });

  it('found after missing: the 24-hour meeting, and documenting in SSIS for child protection', () => {
    expect(action({ age: 15, foundAfterMissingFromCare: true }, 'RETURN_MEETING_24H')).toMatchObject({
      deadlineHours: 24,
    });
    const cp = { age: 15, foundAfterMissingFromCare: true, reporterRole: 'child_protection' } as const;
    expect(codes(cp)).not.toContain('DOCUMENT_SSIS_SEY_STY');
    // Only exploitation while missing from care: risk factors alone, or a concern without having been
    // missing, no longer call for it.
    expect(codes({ ...cp, riskFactors: ['homeless_or_runaway'] })).not.toContain('DOCUMENT_SSIS_SEY_STY');
    expect(action({ ...cp, ...concern }, 'DOCUMENT_SSIS_SEY_STY')).toMatchObject({
      required: true,
      deadlineHours: 0,
    });
    expect(codes({ ...concern, age: 15, reporterRole: 'child_protection' })).not.toContain(
      'DOCUMENT_SSIS_SEY_STY',
    );
    expect(codes({ ...concern, age: 15, reporterRole: 'education' })).not.toContain('DOCUMENT_SSIS_SEY_STY');
  });

  it('OTIP: a foreign national minor who may be trafficked; required of officials', () => {
    const base = { age: 16, foreignNational: 'yes', laborExploitation: 'yes' } as const;
    expect(action({ ...base, reporterRole: 'law_enforcement' }, 'OTIP_REQUEST_FOR_ASSISTANCE')).toMatchObject(
      {
        required: true,
        deadlineHours: 24,
        binds: 'official',
      },
    );
    expect(action(base, 'OTIP_REQUEST_FOR_ASSISTANCE')?.required).toBe(false);
    const ask = action(
      { ...base, foreignNational: 'unknown', reporterRole: 'law_enforcement' },
      'OTIP_REQUEST_FOR_ASSISTANCE',
    );
    expect(ask).toMatchObject({ required: false, deadlineHours: 24 });
    expect(ask?.title).toMatch(/^Ask OTIP/);
    expect(codes({ ...base, foreignNational: 'no' })).not.toContain('OTIP_REQUEST_FOR_ASSISTANCE');
    expect(codes({ ...concern, age: 16, foreignNational: 'yes' })).not.toContain(
      'OTIP_REQUEST_FOR_ASSISTANCE',
    );
    expect(action(base, 'OTIP_REQUEST_FOR_ASSISTANCE')?.contacts?.map((c) => c.id)).toEqual(['otip']);
  });

  it('NOT_DELINQUENT from 2014-08-01, minors only', () => {
    expect(codes({ ...concern, age: 16, asOf: '2014-07-31' })).not.toContain('NOT_DELINQUENT');
    expect(codes({ ...concern, age: 16, asOf: '2014-08-01' })).toContain('NOT_DELINQUENT');
    expect(codes({ ...concern, age: 18, asOf: '2020-01-01' })).not.toContain('NOT_DELINQUENT');
  });

  it('SAFE_HARBOR_ELIGIBLE: minors from 2014-08-01, ages 18–24 from 2016-07-01, never 25', () => {
    expect(codes({ ...concern, age: 16, asOf: '2014-07-31' })).not.toContain('SAFE_HARBOR_ELIGIBLE');
    expect(codes({ ...concern, age: 16, asOf: '2014-08-01' })).toContain('SAFE_HARBOR_ELIGIBLE');
    expect(codes({ ...concern, age: 20, asOf: '2016-06-30' })).not.toContain('SAFE_HARBOR_ELIGIBLE');
    expect(codes({ ...concern, age: 24, asOf: '2016-07-01' })).toContain('SAFE_HARBOR_ELIGIBLE');
    expect(codes({ ...concern, age: 25, asOf: '2016-07-01' })).not.toContain('SAFE_HARBOR_ELIGIBLE');
  });

  it('REFER_REGIONAL_NAVIGATOR for youth up to 24; ADULT_VICTIM_SERVICES from 25', () => {
    expect(codes({ ...concern, age: 24 })).toContain('REFER_REGIONAL_NAVIGATOR');
    expect(codes({ ...concern, age: 24 })).not.toContain('ADULT_VICTIM_SERVICES');
    expect(codes({ ...concern, age: 25 })).not.toContain('REFER_REGIONAL_NAVIGATOR');
    expect(codes({ ...concern, age: 25 })).toContain('ADULT_VICTIM_SERVICES');
    expect(codes({ ...concern, ageBand: '25plus' })).toContain('ADULT_VICTIM_SERVICES');
    expect(codes({ age: 20, riskFactors: ['survival_sex'] })).toContain('REFER_REGIONAL_NAVIGATOR');
    // Survival sex is itself commercial sexual exploitation, so an adult gets adult services.
    expect(codes({ age: 25, riskFactors: ['survival_sex'] })).toContain('ADULT_VICTIM_SERVICES');
    expect(codes({ age: 25, riskFactors: ['poverty'] })).not.toContain('ADULT_VICTIM_SERVICES');
  });

  it('LABOR_TRAFFICKING_SERVICES, SAFETY_PLAN and HOTLINE_INFO', () => {
    expect(codes({ laborExploitation: 'unknown', age: 40 })).toContain('LABOR_TRAFFICKING_SERVICES');
    expect(codes({ age: 40 })).not.toContain('LABOR_TRAFFICKING_SERVICES');
    expect(codes({ riskFactors: ['poverty'] })).toContain('SAFETY_PLAN');
    expect(codes({})).not.toContain('SAFETY_PLAN');
    expect(codes({})).toEqual(['HOTLINE_INFO']);
  });

  it('an unknown age counts as a minor for every duty, and a notice says so once', () => {
    const r = run({ ...concern });
    expect(r.classification.minor).toBeNull();
    const report = r.actions.find((a) => a.code === 'REPORT_CHILD_PROTECTION');
    expect(report?.required).toBe(true);
    expect(r.notices.filter((n) => n.text === UNKNOWN_AGE_NOTE)).toHaveLength(1);
    for (const a of r.actions) expect(a.explanation).not.toContain(UNKNOWN_AGE_NOTE);
    expect(run({ ...concern, age: 15 }).notices.map((n) => n.code)).not.toContain('unknown_age');
    expect(run({}).notices).toEqual([]);
  });

  it('speaks to the person asking', () => {
    const teacher = action({ ...concern, age: 15 }, 'REPORT_CHILD_PROTECTION');
    const parent = action(
      { ...concern, age: 15, reporterRole: 'family_or_friend' },
      'REPORT_CHILD_PROTECTION',
    );
    expect(teacher?.title).toMatch(/within 24 hours/);
    expect(parent?.title).not.toEqual(teacher?.title);
    const youth = action({ ...concern, age: 15, reporterRole: 'youth_self' }, 'NOT_DELINQUENT');
    expect(youth?.title).toBe('You cannot be charged as a delinquent for being sold or exploited');
    expect(`${youth?.title} ${youth?.explanation}`).not.toMatch(/arrest|not in trouble/i);
  });

  it('names the county navigator as a contact', () => {
    const geo = syntheticGeography();
    const fips = [...geo.counties.keys()][0]!;
    const answer = evaluatePathway(facts({ ...concern, age: 15, county: fips }), ruleset, geo);
    expect(answer.navigator?.results[0]?.county.fips).toBe(fips);
    const refer = answer.actions.find((a) => a.code === 'REFER_REGIONAL_NAVIGATOR');
    const navigator = refer?.contacts?.find((c) => c.id === 'navigator');
    expect(navigator?.name).toContain(answer.navigator?.results[0]?.navigator?.name ?? '(none)');
    expect(navigator?.verified).toBe(answer.navigator?.results[0]?.confirmed);
  });
});

describe('issue 12 corrections, each at its date boundaries', () => {
  const concernFacts = { exchangeForValue: 'yes', thirdPartyProfit: 'no' } as const;
  const basisOf = (over: Partial<PathwayFacts>, code: ActionCode) =>
    (action(over, code)?.basis ?? []).map((b) => b.citation).join(' | ');

  it('survival sex counts as commercial sexual exploitation whatever the exchange answer, and says so once', () => {
    for (const exchangeForValue of ['no', 'unknown'] as const) {
      const r = run({ age: 16, exchangeForValue, riskFactors: ['survival_sex'] });
      expect(r.classification.commercialSexualExploitation).toBe('indicated');
      expect(r.actions.map((a) => a.code)).toContain('REPORT_CHILD_PROTECTION');
      expect(r.notices.filter((n) => n.code === 'exchange_reconciled')).toHaveLength(1);
    }
    expect(run({ age: 16, exchangeForValue: 'yes', riskFactors: ['survival_sex'] }).notices).toEqual([]);
    // NOT_DELINQUENT for survival sex: not the day before Safe Harbor, from the day it starts.
    expect(codes({ age: 16, riskFactors: ['survival_sex'], asOf: '2014-07-31' })).not.toContain(
      'NOT_DELINQUENT',
    );
    expect(codes({ age: 16, riskFactors: ['survival_sex'], asOf: '2014-08-01' })).toContain('NOT_DELINQUENT');
  });

  it('a minor in a strip club is commercial sexual exploitation; an adult there only has a risk factor', () => {
    expect(classify(facts({ age: 16, riskFactors: ['strip_club_work'] }), ruleset.riskFactors)).toMatchObject(
      {
        commercialSexualExploitation: 'indicated',
      },
    );
    expect(classify(facts({ riskFactors: ['strip_club_work'] }), ruleset.riskFactors)).toMatchObject({
      commercialSexualExploitation: 'possible',
    });
    expect(classify(facts({ age: 18, riskFactors: ['strip_club_work'] }), ruleset.riskFactors)).toMatchObject(
      {
        commercialSexualExploitation: 'not_indicated',
      },
    );
    expect(codes({ age: 17, riskFactors: ['strip_club_work'] })).toContain('REPORT_CHILD_PROTECTION');
    expect(codes({ age: 18, riskFactors: ['strip_club_work'] })).not.toContain('REPORT_CHILD_PROTECTION');
  });

  it('recruiting, enticing or advertising for commercial sex is sex trafficking before any exchange', () => {
    const r = run({ age: 15, recruitedOrAdvertised: 'yes', reporterRole: 'child_protection' });
    expect(r.classification.sexTrafficking).toBe('indicated');
    expect(r.classification.commercialSexualExploitation).toBe('not_indicated');
    expect(r.notices.map((n) => n.code)).toContain('recruitment');
    expect(run({ age: 15, recruitedOrAdvertised: 'unknown' }).classification.sexTrafficking).toBe('possible');
    const base = { age: 15, recruitedOrAdvertised: 'yes', reporterRole: 'child_protection' } as const;
    expect(codes({ ...base, asOf: '2017-05-28' })).not.toContain('CP_INVESTIGATION');
    expect(codes({ ...base, asOf: '2017-05-29' })).toContain('CP_INVESTIGATION');
    expect(
      parsePathwayInput(
        { reporterRole: 'education', exchangeForValue: 'no', thirdPartyProfit: 'no' },
        ruleset,
      ),
    ).toMatchObject({ ok: true, facts: { recruitedOrAdvertised: 'no', americanIndian: 'no' } });
  });

  it('CP_INVESTIGATION no longer says "whatever the relationship" from 2024-07-01; the two rules agree', () => {
    const base = {
      exchangeForValue: 'yes',
      thirdPartyProfit: 'yes',
      age: 16,
      reporterRole: 'child_protection',
    } as const;
    const before = action(
      { ...base, allegedOffenderIsCaregiver: 'yes', asOf: '2024-06-30' },
      'CP_INVESTIGATION',
    );
    const from = action(
      { ...base, allegedOffenderIsCaregiver: 'yes', asOf: '2024-07-01' },
      'CP_INVESTIGATION',
    );
    expect(before?.explanation).toMatch(/whatever the alleged offender's relationship/);
    expect(
      `${from?.explanation} ${basisOf({ ...base, allegedOffenderIsCaregiver: 'yes', asOf: '2024-07-01' }, 'CP_INVESTIGATION')}`,
    ).not.toMatch(/whatever the|regardless of/i);
    expect(from?.explanation).toMatch(/non-caregiver sex trafficking assessment/);
    const assessment = action(
      { ...base, allegedOffenderIsCaregiver: 'no', asOf: '2024-07-01' },
      'CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT',
    );
    expect(assessment?.explanation).toMatch(/July 1, 2024/);
  });

  it('the reporting law is cited by date: 626.556 until 2020-07-31, chapter 260E from 2020-08-01', () => {
    const teacher = { exchangeForValue: 'yes', age: 15 } as const;
    expect(basisOf({ ...teacher, asOf: '2020-07-31' }, 'REPORT_CHILD_PROTECTION')).toMatch(/626\.556/);
    expect(basisOf({ ...teacher, asOf: '2020-07-31' }, 'REPORT_CHILD_PROTECTION')).not.toMatch(/260E\.0/);
    expect(basisOf({ ...teacher, asOf: '2020-08-01' }, 'REPORT_CHILD_PROTECTION')).toMatch(/260E\.06/);
    expect(basisOf({ ...teacher, asOf: '2020-08-01' }, 'REPORT_CHILD_PROTECTION')).not.toMatch(/626\.556/);
    expect(basisOf({ ...teacher, asOf: '2020-07-31' }, 'WRITTEN_REPORT_72H')).toMatch(/626\.556 subd\. 7/);
    expect(basisOf({ ...teacher, asOf: '2020-08-01' }, 'WRITTEN_REPORT_72H')).toMatch(/260E\.09/);
    const written = action({ ...teacher, asOf: '2020-08-01' }, 'WRITTEN_REPORT_72H');
    expect(written).toMatchObject({
      deadlineHours: 72,
      deadlineBusinessDays: true,
      deadlineFrom: 'oral_report',
    });
    expect(written?.explanation).toMatch(/unless the agency you told says no written report is needed/);
  });

  it('law enforcement tells child protection, and child protection tells law enforcement', () => {
    for (const asOf of ['2020-07-31', '2020-08-01']) {
      const police = action(
        { ...concernFacts, age: 15, reporterRole: 'law_enforcement', asOf },
        'REPORT_CHILD_PROTECTION',
      );
      expect(police?.title).toBe('Tell the local child protection agency within 24 hours');
      expect(police?.required).toBe(true);
      const cp = action(
        { ...concernFacts, age: 15, reporterRole: 'child_protection', asOf },
        'CROSS_REPORT_LAW_ENFORCEMENT',
      );
      expect(cp).toMatchObject({ required: true, binds: 'child_protection' });
      expect(
        basisOf(
          { ...concernFacts, age: 15, reporterRole: 'child_protection', asOf },
          'CROSS_REPORT_LAW_ENFORCEMENT',
        ),
      ).toMatch(asOf < '2020-08-01' ? /626\.556/ : /260E/);
    }
    expect(codes({ ...concernFacts, age: 15, reporterRole: 'law_enforcement' })).not.toContain(
      'CROSS_REPORT_LAW_ENFORCEMENT',
    );
    expect(codes({ ...concernFacts, age: 18, reporterRole: 'child_protection' })).not.toContain(
      'CROSS_REPORT_LAW_ENFORCEMENT',
    );
  });

  it('an American Indian young person (or unsure) is pointed to the tribe, never away from it', () => {
    const yes = run({ ...concernFacts, age: 15, americanIndian: 'yes' });
    const tribal = yes.actions.find((a) => a.code === 'TRIBAL_CHILD_WELFARE');
    expect(tribal?.explanation).toMatch(/tribe's social services can receive the report/);
    expect(tribal?.explanation).toMatch(
      /Indian Child Welfare Act and the Minnesota Indian Family Preservation Act/,
    );
    expect(tribal?.contacts?.map((c) => c.id)).toContain('tribal-partners');
    expect(yes.actions.map((a) => a.code)).toContain('TRIBAL_SERVICES');
    const unsure = action(
      { ...concernFacts, age: 15, americanIndian: 'unknown', reporterRole: 'child_protection' },
      'TRIBAL_CHILD_WELFARE',
    );
    expect(unsure).toMatchObject({ required: false, title: 'Ask whether the child is American Indian' });
    expect(
      action(
        { ...concernFacts, age: 15, americanIndian: 'yes', reporterRole: 'child_protection' },
        'TRIBAL_CHILD_WELFARE',
      )?.required,
    ).toBe(true);
    expect(codes({ ...concernFacts, age: 15 })).not.toContain('TRIBAL_CHILD_WELFARE');
    expect(codes({ ...concernFacts, age: 20, americanIndian: 'yes' })).not.toContain('TRIBAL_CHILD_WELFARE');
    expect(codes({ ...concernFacts, age: 20, americanIndian: 'yes' })).toContain('TRIBAL_SERVICES');
    for (const asOf of ['2014-07-31', '2014-08-01', '2024-06-30', '2024-07-01'])
      expect(codes({ ...concernFacts, age: 15, americanIndian: 'unknown', asOf })).toContain(
        'TRIBAL_CHILD_WELFARE',
      );
  });

  it('REFER_REGIONAL_NAVIGATOR starts 2014-08-01 (under 18) and reaches 24 from 2016-07-01', () => {
    expect(codes({ ...concernFacts, age: 16, asOf: '2014-07-31' })).not.toContain('REFER_REGIONAL_NAVIGATOR');
    expect(codes({ ...concernFacts, age: 16, asOf: '2014-08-01' })).toContain('REFER_REGIONAL_NAVIGATOR');
    expect(codes({ ...concernFacts, age: 20, asOf: '2016-06-30' })).not.toContain('REFER_REGIONAL_NAVIGATOR');
    expect(codes({ ...concernFacts, age: 20, asOf: '2016-07-01' })).toContain('REFER_REGIONAL_NAVIGATOR');
    const eligible = ruleset.rules.filter(
      (r) => r.code === 'SAFE_HARBOR_ELIGIBLE' && r.effectiveFrom === '2016-07-01',
    )[0];
    expect(eligible?.note).toMatch(/2017/);
    expect(eligible?.basis.map((b) => b.source).join(' ')).toMatch(/seed 003/);
  });

  it('OTIP when citizenship is unsure: "ask OTIP", not required; required when known foreign national', () => {
    const base = { age: 16, laborExploitation: 'yes', reporterRole: 'law_enforcement' } as const;
    expect(action({ ...base, foreignNational: 'unknown' }, 'OTIP_REQUEST_FOR_ASSISTANCE')?.required).toBe(
      false,
    );
    expect(action({ ...base, foreignNational: 'yes' }, 'OTIP_REQUEST_FOR_ASSISTANCE')?.required).toBe(true);
    expect(codes({ ...base, foreignNational: 'unknown', age: 18 })).not.toContain(
      'OTIP_REQUEST_FOR_ASSISTANCE',
    );
  });

  it('labor trafficking without sex: its own route and lines, no sexual-exploitation duties', () => {
    const r = evaluatePathway(facts({ age: 16, laborExploitation: 'yes' }), ruleset, syntheticGeography());
    const got = r.actions.map((a) => a.code);
    expect(got).toContain('LABOR_TRAFFICKING_SERVICES');
    expect(got).toContain('SAFETY_PLAN');
    expect(got).not.toContain('NOT_DELINQUENT');
    expect(got).not.toContain('REFER_REGIONAL_NAVIGATOR');
    const labor = r.actions.find((a) => a.code === 'LABOR_TRAFFICKING_SERVICES');
    expect(labor?.contacts?.map((c) => c.id)).toContain('labor-trafficking-services');
    // The lines come from the pack's lines file (the synthetic geography holds only two of them).
    expect(ruleset.rules.find((x) => x.code === 'LABOR_TRAFFICKING_SERVICES')?.contacts).toEqual([
      'national-human-trafficking-hotline',
      'labor-trafficking-services',
      'mn-crime-victim-support-line',
    ]);
    const hotline = r.actions.find((a) => a.code === 'HOTLINE_INFO');
    expect(hotline?.title).toBe('Lines for labor trafficking');
    expect(hotline?.contacts?.map((c) => c.id) ?? []).not.toContain('day-one');
    expect(ruleset.rules.find((x) => x.code === 'HOTLINE_INFO')?.variants?.[0]?.contacts).toEqual([
      'national-human-trafficking-hotline',
      'mn-crime-victim-support-line',
      'emergency-911',
    ]);
    expect(
      run({ ...concernFacts, laborExploitation: 'yes' }).actions.find((a) => a.code === 'HOTLINE_INFO')
        ?.title,
    ).toBe('Lines you can call or text');
  });

  it('adults 25 and over: victim services, and Safe Harbor for All only as a proposal from 2019-02-01', () => {
    expect(codes({ age: 30, laborExploitation: 'yes' })).toContain('ADULT_VICTIM_SERVICES');
    expect(codes({ ...concernFacts, age: 30, asOf: '2019-01-31' })).not.toContain(
      'SAFE_HARBOR_FOR_ALL_PROPOSAL',
    );
    const proposal = action({ ...concernFacts, age: 30, asOf: '2019-02-01' }, 'SAFE_HARBOR_FOR_ALL_PROPOSAL');
    expect(proposal?.title).toMatch(/^Proposed, not yet law/);
    expect(proposal?.explanation).toMatch(/not yet law/);
    expect(proposal?.required).toBe(false);
    expect(codes({ ...concernFacts, age: 24, asOf: '2019-02-01' })).not.toContain(
      'SAFE_HARBOR_FOR_ALL_PROPOSAL',
    );
  });
});

describe('properties', () => {
  it('agrees with the table of actions for every input', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const answer = evaluatePathway(f, ruleset);
        const expected = reference(f);
        expect(answer.actions.map((a) => a.code).sort()).toEqual([...expected.keys()].sort());
        for (const a of answer.actions) {
          const e = expected.get(a.code)!;
          expect(a.required, a.code).toBe(e.required);
          expect(a.deadlineHours, a.code).toBe(e.deadlineHours);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a minor with exploitation indicated, seen by a mandated reporter, always gets a required report within 24 hours', () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.constantFrom(...MANDATED_ROLES),
        fc.integer({ min: 0, max: 17 }),
        (f, role, age) => {
          const a = evaluatePathway(
            { ...f, age, reporterRole: role, exchangeForValue: 'yes' },
            ruleset,
          ).actions.find((x) => x.code === 'REPORT_CHILD_PROTECTION');
          expect(a).toBeDefined();
          expect(a?.required).toBe(true);
          expect(a?.deadlineHours).toBeLessThanOrEqual(24);
        },
      ),
    );
  });

  it('the young person asking never gets a report to make', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const got = evaluatePathway({ ...f, reporterRole: 'youth_self' }, ruleset).actions.map((a) => a.code);
        expect(got).not.toContain('REPORT_CHILD_PROTECTION');
        expect(got).not.toContain('WRITTEN_REPORT_72H');
      }),
    );
  });

  it('an adult never gets an action meant for minors', () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.oneof(
          fc.record({ age: fc.integer({ min: 18, max: 120 }), ageBand: fc.constant(null) }),
          fc.record({
            age: fc.constant(null),
            ageBand: fc.constantFrom('18to24' as const, '25plus' as const),
          }),
        ),
        (f, a) => {
          const got = evaluatePathway({ ...f, ...a }, ruleset).actions;
          expect(got.filter((x) => MINOR_ONLY.has(x.code))).toEqual([]);
        },
      ),
    );
  });

  it('each action appears at most once, always with a basis, and the hotline always', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const got = evaluatePathway(f, ruleset).actions;
        expect(new Set(got.map((a) => a.code)).size).toBe(got.length);
        expect(got.at(-1)?.code).toBe('HOTLINE_INFO');
        for (const a of got) expect(a.basis.length).toBeGreaterThan(0);
      }),
    );
  });

  it('parsing never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const out = parsePathwayInput(body, ruleset, new Date('2026-11-20T12:00:00Z'));
        if (!out.ok) expect(out.field.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            reporterRole: fc.oneof(fc.constantFrom(...REPORTER_ROLES), fc.string()),
            exchangeForValue: fc.oneof(triArb, fc.anything()),
            thirdPartyProfit: triArb,
            age: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.string()),
            riskFactors: fc.array(fc.oneof(fc.constantFrom(...RISK_CODES), fc.string())),
            asOf: fc.string(),
          },
          { requiredKeys: [] },
        ),
        (body) => {
          expect(() => parsePathwayInput(body, ruleset)).not.toThrow();
        },
      ),
    );
  });
});

describe('input', () => {
  const ok = { reporterRole: 'education', exchangeForValue: 'yes', thirdPartyProfit: 'unknown' };
  const now = new Date('2026-11-21T03:00:00Z'); // 20 November, 21:00 in Minnesota

  it('applies the defaults, and today is Minnesota’s date', () => {
    const out = parsePathwayInput(ok, ruleset, now);
    expect(out).toEqual({
      ok: true,
      facts: facts({ asOf: '2026-11-20', exchangeForValue: 'yes', thirdPartyProfit: 'unknown' }),
    });
  });

  it.each([
    [{ ...ok, teacher: true }, 'teacher'],
    [{ ...ok, reporterRole: 'teacher' }, 'reporterRole'],
    [{ ...ok, exchangeForValue: true }, 'exchangeForValue'],
    [{ ...ok, age: 17.5 }, 'age'],
    [{ ...ok, age: 121 }, 'age'],
    [{ ...ok, age: '17' }, 'age'],
    [{ ...ok, ageBand: 'teen' }, 'ageBand'],
    [{ ...ok, asOf: '2026-02-30' }, 'asOf'],
    [{ ...ok, asOf: '20 Nov 2026' }, 'asOf'],
    [{ ...ok, immediateDanger: 'yes' }, 'immediateDanger'],
    [{ ...ok, riskFactors: ['poverty', 'bad_code'] }, 'riskFactors[1]'],
    [{ ...ok, riskFactors: 'poverty' }, 'riskFactors'],
    [{ exchangeForValue: 'yes', thirdPartyProfit: 'no' }, 'reporterRole'],
    [{ reporterRole: 'education', thirdPartyProfit: 'no' }, 'exchangeForValue'],
    [[], 'body'],
    ['text', 'body'],
  ])('refuses %j naming %s', (body, field) => {
    const out = parsePathwayInput(body, ruleset, now);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.field).toBe(field);
      expect(out.detail.length).toBeGreaterThan(10);
    }
  });

  it('checks the county against the geography and names it by FIPS', () => {
    const geo = syntheticGeography();
    const [fips, county] = [...geo.counties.entries()][0]!;
    const good = parsePathwayInput({ ...ok, county: county.name }, ruleset, now, geo);
    expect(good.ok && good.facts.county).toBe(fips);
    const bad = parsePathwayInput({ ...ok, county: 'Atlantis' }, ruleset, now, geo);
    expect(bad).toMatchObject({ ok: false, field: 'county' });
  });
});

describe('the rules file', () => {
  const raw = () =>
    JSON.parse(JSON.stringify(ruleset)) as Record<string, unknown> & { rules: Record<string, unknown>[] };

  it('refuses two versions of a rule in effect at once', () => {
    const bad = raw();
    bad.rules.push({ ...bad.rules[0], effectiveFrom: '2020-01-01', effectiveTo: null });
    const out = RulesetSchema.safeParse(bad);
    expect(out.success).toBe(false);
    expect(JSON.stringify(out.error?.issues)).toContain('two versions of CALL_911');
  });

  it('refuses a missing action, an unknown fact and an unknown audience', () => {
    const missing = raw();
    missing.rules = missing.rules.filter((r) => r.code !== 'HOTLINE_INFO');
    expect(JSON.stringify(RulesetSchema.safeParse(missing).error?.issues)).toContain(
      'no rule for HOTLINE_INFO',
    );
    const fact = raw();
    fact.rules[0] = { ...fact.rules[0], when: { fact: 'isTeenager' } };
    expect(RulesetSchema.safeParse(fact).success).toBe(false);
    const audience = raw();
    audience.rules[0] = {
      ...audience.rules[0],
      text: { default: { title: 'x', explanation: 'y' }, parents: { title: 'x', explanation: 'y' } },
    };
    expect(RulesetSchema.safeParse(audience).success).toBe(false);
  });

  it('says where every rule comes from, in words people use', () => {
    for (const r of ruleset.rules) {
      expect(r.basis.length).toBeGreaterThan(0);
      for (const t of Object.values(r.text))
        expect(`${t.title} ${t.explanation}`).not.toMatch(/prostitut|patron/i);
    }
  });
});
