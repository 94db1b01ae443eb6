/**
 * The instrument format, the checks an administrator's file goes through, and how answers become the
 * pathway's input: examples, and a property that any answers to the shipped checklist (or to a random
 * variation of it) give input the pathway accepts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticGeography } from '../../../test/geography-fixture.ts';
import { loadPackRules } from '../../pack/rules.ts';
import { parsePathwayInput } from '../pathway/index.ts';
import { AGE_BANDS, REPORTER_ROLES } from '../pathway/types.ts';
import { checkInstrument, describePath, REQUIRED_FACTS } from './check.ts';
import {
  answerFields,
  dangerNow,
  notSure,
  pathwayInput,
  plainAnswers,
  rawAnswersFrom,
  readAnswer,
  readGroups,
  type Answers,
  type AnswerValue,
} from './rules.ts';
import type { Instrument, Item } from './schema.ts';
import { loadShippedInstruments, shippedInstrumentsDir } from './service.ts';

const rules = loadPackRules(resolve('data/mn'));
const ruleset = rules.pathway;
const context = { riskFactorCodes: new Set(ruleset.riskFactors.map((f) => f.code)) };
const FILE = resolve('data/mn/instruments/safe-harbor-indicators.json');
const rawChecklist = (): Record<string, any> => JSON.parse(readFileSync(FILE, 'utf8'));
const checklist = loadShippedInstruments(shippedInstrumentsDir('mn'), context)[0]!;
const geo = syntheticGeography();
const items = (i: Instrument) => i.groups.flatMap((g) => g.items);
const item = (id: string): Item => items(checklist).find((i) => i.id === id)!;

function problemsOf(raw: unknown): string[] {
  const result = checkInstrument(raw, context);
  return result.ok ? [] : result.problems;
}

describe('the shipped Safe Harbor indicators checklist', () => {
  it('checks against the format and the pathway', () => {
    expect(problemsOf(rawChecklist())).toEqual([]);
    expect(checklist.id).toBe('safe-harbor-indicators');
    expect(checklist.name).toBe('Safe Harbor indicators checklist');
    expect(checklist.validated).toBe(false);
    expect(checklist.source).toMatch(/DOMAIN\.md\) §2/);
    expect(checklist.source).toMatch(/§3/);
  });

  it('asks everything the pathway uses, and offers every risk factor of DOMAIN.md §3', () => {
    const mapped = new Set<string>();
    const risks = new Set<string>();
    for (const i of items(checklist)) {
      const a = i.answer;
      const maps =
        a.type === 'single_choice' || a.type === 'multi_choice'
          ? a.options.map((o) => o.map)
          : a.type === 'yes_no_unknown' || a.type === 'boolean'
            ? Object.values(a.map ?? {})
            : [];
      for (const m of maps) {
        for (const f of Object.keys(m?.facts ?? {})) mapped.add(f);
        for (const r of m?.riskFactors ?? []) risks.add(r);
      }
      if (a.type === 'number' && a.fact) mapped.add(a.fact);
      if (a.type === 'county') mapped.add('county');
    }
    expect([...mapped].sort()).toEqual(
      [
        'age',
        'ageBand',
        'allegedOffenderIsCaregiver',
        'county',
        'currentlyMissingFromCare',
        'exchangeForValue',
        'foreignNational',
        'foundAfterMissingFromCare',
        'immediateDanger',
        'inOutOfHomeCare',
        'laborExploitation',
        'reporterRole',
        'thirdPartyProfit',
        'recruitedOrAdvertised',
        'americanIndian',
      ].sort(),
    );
    expect([...risks].sort()).toEqual([...context.riskFactorCodes].sort());
    // Every role but the young person themself (they are pointed to their rights instead).
    const roles = (item('reporter_role').answer as { options: { value: string }[] }).options.map(
      (o) => o.value,
    );
    expect(roles.sort()).toEqual(REPORTER_ROLES.filter((r) => r !== 'youth_self').sort());
  });

  it('uses the words DOMAIN.md §2 asks for and never the stigmatising ones', () => {
    const text = readFileSync(FILE, 'utf8');
    expect(text).not.toMatch(/prostitut/i);
    expect(text).not.toMatch(/\bpatrons?\b/i);
    expect(text).toMatch(/young person/);
    expect(text).not.toMatch(/\b(he|she|his|her)\b/i);
  });

  it('keeps every question short and every item with help text', () => {
    for (const i of items(checklist)) {
      expect(i.question.length, i.id).toBeLessThanOrEqual(130);
      expect(i.help, i.id).toBeTruthy();
    }
  });
});

describe('checking an instrument', () => {
  it('names the item, the answer and the fact when a mapping sets a value the pathway does not know', () => {
    const raw = rawChecklist();
    raw.groups[4].items[0].answer.map.yes.facts.exchangeForValue = 'maybe';
    const [problem] = problemsOf(raw);
    expect(problem).toMatch(/group "happening" › item "exchange" › map › yes › facts › exchangeForValue/);
    expect(problem).toMatch(/"yes"\|"no"\|"unknown"/);
  });

  it('refuses a fact the pathway does not have, listing the ones it does', () => {
    const raw = rawChecklist();
    raw.groups[1].items[0].answer.options[0].map.facts = { reporterRole: 'education', isVictim: true };
    const [problem] = problemsOf(raw);
    expect(problem).toMatch(/option "education" › map › facts: "isVictim" is not a pathway fact/);
    expect(problem).toMatch(/exchangeForValue/);
  });

  it('refuses an unknown risk-factor code', () => {
    const raw = rawChecklist();
    raw.groups[5].items[0].answer.options[0].map.riskFactors = ['runaway'];
    expect(problemsOf(raw)).toEqual([
      expect.stringMatching(
        /item "risk_factors" › option "homeless_or_runaway": risk factor "runaway" is not one the pathway knows/,
      ),
    ]);
  });

  it('requires a question that always tells the pathway who is asking, and the facts it cannot default', () => {
    expect(REQUIRED_FACTS).toEqual(
      expect.arrayContaining(['reporterRole', 'exchangeForValue', 'thirdPartyProfit']),
    );
    const raw = rawChecklist();
    raw.groups[1].items[0].required = false;
    delete raw.groups[4].items[1].answer.map.unknown;
    const problems = problemsOf(raw);
    expect(problems).toContainEqual(
      expect.stringMatching(/no required question tells the pathway who is asking/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/always sets "thirdPartyProfit"/));
  });

  it('refuses duplicate ids, unknown fields, wrong types and unreadable shapes, naming each', () => {
    const raw = rawChecklist();
    raw.groups[2].items[1].id = 'age';
    raw.groups[0].items[0].answer.type = 'slider';
    raw.extra = true;
    const problems = problemsOf(raw);
    expect(problems).toContainEqual('the instrument: unknown field "extra".');
    expect(problems).toContainEqual(
      expect.stringMatching(/item "danger_now" › answer › type: must be one of yes_no_unknown, boolean/),
    );
    const dup = rawChecklist();
    dup.groups[2].items[1].id = 'age';
    expect(problemsOf(dup)).toContainEqual(
      'group "young_person" › item "age": another item has the same id.',
    );
    expect(problemsOf(null)).toEqual([expect.stringMatching(/^the instrument: /)]);
    expect(problemsOf({ ...rawChecklist(), validated: 'no' })).toEqual([
      expect.stringMatching(/^validated: /),
    ]);
    expect(problemsOf({ ...rawChecklist(), groups: [] })[0]).toMatch(/^groups: /);
  });

  it('describes a path by the ids of the groups, items and options it goes through', () => {
    const raw = rawChecklist();
    expect(describePath(raw, ['groups', 1, 'items', 0, 'answer', 'options', 2, 'label'])).toBe(
      'group "you" › item "reporter_role" › option "mental_health" › label',
    );
    expect(describePath(raw, ['groups', 9, 'title'])).toBe('group 10 › title');
    expect(describePath(raw, [])).toBe('the instrument');
  });
});

/** Raw answers as a form would send them. */
function raw(values: Record<string, string | string[]>, zips: Record<string, string> = {}) {
  const form: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) form[`a.${k}`] = v;
  for (const [k, v] of Object.entries(zips)) form[`zip.${k}`] = v;
  return rawAnswersFrom(form);
}

const BASE_ANSWERS = {
  danger_now: 'no',
  reporter_role: 'education',
  in_care: 'no',
  missing_now: 'no',
  found_after_missing: 'no',
  foreign_national: 'no',
  exchange: 'yes',
  third_party: 'unknown',
  caregiver: 'no',
  labor: 'no',
};

describe('reading answers', () => {
  it('accepts the answers an item offers and refuses anything else with a plain message', () => {
    expect(readAnswer(item('exchange'), raw({ exchange: 'yes' }), geo)).toEqual({ kind: 'ok', value: 'yes' });
    expect(readAnswer(item('exchange'), raw({ exchange: 'definitely' }), geo)).toEqual({
      kind: 'error',
      message: 'Choose one of the answers.',
      problem: { key: 'identify.error.chooseOne' },
    });
    expect(readAnswer(item('exchange'), raw({ exchange: ['yes', 'no'] }), geo).kind).toBe('error');
    expect(readAnswer(item('exchange'), raw({}), geo)).toMatchObject({
      kind: 'error',
      message: 'Choose an answer.',
    });
    expect(readAnswer(item('age_band'), raw({}), geo)).toEqual({ kind: 'empty' });
    expect(
      readAnswer(item('risk_factors'), raw({ risk_factors: ['poverty', 'young_age', 'poverty'] }), geo),
    ).toEqual({
      kind: 'ok',
      value: ['poverty', 'young_age'],
    });
    expect(readAnswer(item('risk_factors'), raw({ risk_factors: ['poverty', 'drop table'] }), geo).kind).toBe(
      'error',
    );
  });

  it('reads ages as whole numbers in range', () => {
    expect(readAnswer(item('age'), raw({ age: ' 15 ' }), geo)).toEqual({ kind: 'ok', value: 15 });
    for (const bad of ['-1', '15.5', '100', 'fifteen', '1e2'])
      expect(readAnswer(item('age'), raw({ age: bad }), geo), bad).toEqual({
        kind: 'error',
        message: 'Enter a whole number from 0 to 99 (years).',
        problem: { key: 'identify.error.rangeUnit', values: { min: 0, max: 99, unit: 'years' } },
      });
  });

  it('finds the county from the list or from a ZIP code, and asks when a ZIP code is in two counties', () => {
    const county = item('county');
    expect(readAnswer(county, raw({ county: '27003' }), geo)).toEqual({ kind: 'ok', value: '27003' });
    expect(readAnswer(county, raw({}, { county: '55001' }), geo)).toEqual({ kind: 'ok', value: '27001' });
    expect(readAnswer(county, raw({ county: '27005' }, { county: '55001' }), geo)).toEqual({
      kind: 'ok',
      value: '27005',
    });
    expect(readAnswer(county, raw({}, { county: '55002' }), geo)).toMatchObject({
      kind: 'error',
      message:
        'The ZIP code 55002 is in more than one county (Alpha, St. Beta). Choose the county from the list.',
    });
    expect(readAnswer(county, raw({}, { county: '99999' }), geo).kind).toBe('error');
    expect(readAnswer(county, raw({}, { county: '5500' }), geo).kind).toBe('error');
    expect(readAnswer(county, raw({ county: '27999' }), geo).kind).toBe('error');
    expect(readAnswer(county, raw({}), geo)).toEqual({ kind: 'empty' });
  });
});

describe('from answers to the pathway', () => {
  it('maps each answer onto the facts and risk factors, and leaves the rest to the pathway defaults', () => {
    const { answers, errors } = readGroups(
      checklist.groups,
      raw({
        ...BASE_ANSWERS,
        age: '15',
        age_band: '18to24',
        county: '27003',
        risk_factors: ['survival_sex', 'poverty'],
      }),
      geo,
    );
    expect(errors).toEqual(new Map());
    expect(pathwayInput(checklist, answers, '2026-11-24')).toEqual({
      asOf: '2026-11-24',
      age: 15,
      // The exact age wins over the band.
      ageBand: 'under18',
      immediateDanger: false,
      reporterRole: 'education',
      inOutOfHomeCare: false,
      currentlyMissingFromCare: false,
      foundAfterMissingFromCare: false,
      foreignNational: 'no',
      exchangeForValue: 'yes',
      thirdPartyProfit: 'unknown',
      allegedOffenderIsCaregiver: 'no',
      laborExploitation: 'no',
      county: '27003',
      riskFactors: ['poverty', 'survival_sex'],
    });
    const parsed = parsePathwayInput(
      pathwayInput(checklist, answers, '2026-11-24'),
      ruleset,
      new Date(),
      geo,
    );
    expect(parsed.ok).toBe(true);
  });

  it('combines several answers to one fact: yes over not sure over no; true over false; first role', () => {
    const twice: Instrument = structuredClone(checklist);
    twice.groups[4]!.items.push({
      ...structuredClone(item('exchange')),
      id: 'exchange_again',
    });
    const answers: Answers = new Map<string, AnswerValue>([
      ['reporter_role', 'clergy'],
      ['exchange', 'no'],
      ['exchange_again', 'unknown'],
      ['third_party', 'no'],
    ]);
    expect(pathwayInput(twice, answers, '2026-11-24')).toMatchObject({ exchangeForValue: 'unknown' });
    answers.set('exchange', 'yes');
    expect(pathwayInput(twice, answers, '2026-11-24')).toMatchObject({ exchangeForValue: 'yes' });
  });

  it('says the answers back in plain words, lists what was not known, and notices danger', () => {
    const { answers } = readGroups(
      checklist.groups,
      raw({ ...BASE_ANSWERS, danger_now: 'yes', county: '27001', risk_factors: ['lgbtq_identity'] }),
      geo,
    );
    const plain = plainAnswers(checklist, answers, geo);
    expect(plain).toContainEqual({
      itemId: 'reporter_role',
      question: 'What is your role?',
      answer: 'School or education (teacher, counselor, coach, other school staff)',
    });
    expect(plain).toContainEqual(expect.objectContaining({ itemId: 'county', answer: 'Alpha County' }));
    expect(plain).toContainEqual(expect.objectContaining({ itemId: 'third_party', answer: 'Not sure' }));
    expect(notSure(checklist, answers).map((i) => i.id)).toEqual(['third_party']);
    expect(dangerNow(checklist, answers)).toBe(true);
    answers.set('danger_now', 'no');
    expect(dangerNow(checklist, answers)).toBe(false);
  });

  it('carries every answer but the current page in hidden fields, check boxes once per value', () => {
    const { answers } = readGroups(
      checklist.groups,
      raw({ ...BASE_ANSWERS, risk_factors: ['poverty', 'young_age'] }),
      geo,
    );
    const fields = answerFields(checklist, answers, checklist.groups[1]);
    expect(fields).not.toContainEqual(['a.reporter_role', 'education']);
    expect(fields).toContainEqual(['a.danger_now', 'no']);
    expect(fields.filter(([n]) => n === 'a.risk_factors')).toEqual([
      ['a.risk_factors', 'poverty'],
      ['a.risk_factors', 'young_age'],
    ]);
    // Read back, they give the same answers.
    const form: Record<string, string[]> = {};
    for (const [n, v] of answerFields(checklist, answers)) (form[n] ??= []).push(v);
    expect(readGroups(checklist.groups, rawAnswersFrom(form), geo).answers).toEqual(answers);
  });
});

/** Any answer an item accepts (or none, when it is optional). */
function answerFor(i: Item): fc.Arbitrary<AnswerValue | undefined> {
  const a = i.answer;
  const value: fc.Arbitrary<AnswerValue> = (() => {
    switch (a.type) {
      case 'yes_no_unknown':
        return fc.constantFrom('yes', 'no', 'unknown');
      case 'boolean':
        return fc.constantFrom('yes', 'no');
      case 'single_choice':
        return fc.constantFrom(...a.options.map((o) => o.value));
      case 'multi_choice':
        return fc.subarray(
          a.options.map((o) => o.value),
          { minLength: 1 },
        );
      case 'number':
        return fc.integer({ min: a.min, max: a.max });
      case 'county':
        return fc.constantFrom(...geo.counties.keys());
    }
  })();
  return i.required ? value : fc.option(value, { nil: undefined });
}

function answersFor(instrument: Instrument): fc.Arbitrary<Answers> {
  return fc
    .tuple(...items(instrument).map((i) => answerFor(i).map((v) => [i.id, v] as const)))
    .map((pairs) => new Map(pairs.filter((p): p is [string, AnswerValue] => p[1] !== undefined)));
}

/** The checklist with its mappings shuffled: other facts, values and risk factors on the same questions. */
const variation: fc.Arbitrary<Instrument> = fc
  .record({
    seed: fc.array(
      fc.record({
        role: fc.constantFrom(...REPORTER_ROLES),
        band: fc.constantFrom(...AGE_BANDS),
        tri: fc.constantFrom('yes', 'no', 'unknown'),
        flag: fc.boolean(),
        risk: fc.subarray([...context.riskFactorCodes]),
      }),
      { minLength: 30, maxLength: 30 },
    ),
  })
  .map(({ seed }) => {
    const v: Instrument = structuredClone(checklist);
    let n = 0;
    for (const i of items(v)) {
      const s = seed[n++ % seed.length]!;
      const a = i.answer;
      if (a.type === 'multi_choice') for (const o of a.options) o.map = { riskFactors: s.risk };
      if (a.type === 'single_choice' && i.id === 'age_band')
        for (const o of a.options) o.map = { facts: { ageBand: s.band }, riskFactors: s.risk.slice(0, 2) };
      if (a.type === 'boolean')
        a.map = { yes: { facts: { immediateDanger: s.flag, inOutOfHomeCare: !s.flag } }, no: {} };
    }
    return v;
  });

describe('property: every set of answers gives input the pathway accepts', () => {
  it('for the shipped checklist', () => {
    fc.assert(
      fc.property(
        answersFor(checklist),
        fc.date({ min: new Date('2015-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
        (answers, at) => {
          const asOf = at.toISOString().slice(0, 10);
          const outcome = parsePathwayInput(pathwayInput(checklist, answers, asOf), ruleset, at, geo);
          expect(outcome).toMatchObject({ ok: true });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('for variations of its mappings that still check', () => {
    fc.assert(
      fc.property(
        variation.chain((v) => fc.tuple(fc.constant(v), answersFor(v))),
        ([instrument, answers]) => {
          expect(problemsOf(instrument)).toEqual([]);
          const outcome = parsePathwayInput(
            pathwayInput(instrument, answers, '2026-11-24'),
            ruleset,
            new Date(),
            geo,
          );
          expect(outcome).toMatchObject({ ok: true });
        },
      ),
      { numRuns: 200 },
    );
  });
});
