/**
 * Answers to an instrument, without I/O: reading them from a form, checking each against its item,
 * carrying them to the next page in hidden fields, turning them into the pathway's input, and saying
 * them back in plain words.
 *
 * How several answers combine into one fact (documented in docs/screening.md):
 * - yes / no / unknown facts: any "yes" wins, then any "unknown", then "no";
 * - true / false facts: true when any answer sets true;
 * - a role or an age band: the first item, in the instrument's order, that sets it;
 * - risk factors: every code any answer adds, once;
 * - an exact age replaces the age band (the band is worked out from the age).
 */
import { PRIMARY_COUNTY_SHARE } from '../help/index.ts';
import type { AgeBandInput } from '../pathway/index.ts';
import {
  BOOLEAN_FACTS,
  TRI_STATE_FACTS,
  type FactsMapping,
  type Group,
  type Instrument,
  type Item,
  type Mapping,
} from './schema.ts';

/** A checked answer: a choice's value, several values, a number, or a county's FIPS code. */
export type AnswerValue = string | string[] | number;
/** Checked answers by item id. Unanswered items are absent. */
export type Answers = Map<string, AnswerValue>;

/** What the rules need to know about places: county names, and which counties a ZIP code touches. */
export interface Places {
  counties: ReadonlyMap<string, { name: string }>;
  zips: ReadonlyMap<string, { counties: { fips: string; share: number }[] }>;
}

/** Raw values from a form: `a.<item id>` (repeated for check boxes) and `zip.<item id>`. */
export interface RawAnswers {
  values: Map<string, string[]>;
  zips: Map<string, string>;
}

export const ANSWER_FIELD = 'a.';
export const ZIP_FIELD = 'zip.';

export const YES_NO_UNKNOWN_LABELS = { yes: 'Yes', no: 'No', unknown: 'Not sure' } as const;
export const YES_NO_LABELS = { yes: 'Yes', no: 'No' } as const;

/** Reads `a.*` and `zip.*` fields of a parsed form body; anything else is ignored. */
export function rawAnswersFrom(form: Record<string, unknown>): RawAnswers {
  const values = new Map<string, string[]>();
  const zips = new Map<string, string>();
  for (const [name, value] of Object.entries(form)) {
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (name.startsWith(ANSWER_FIELD)) values.set(name.slice(ANSWER_FIELD.length), list);
    else if (name.startsWith(ZIP_FIELD) && list[0] !== undefined)
      zips.set(name.slice(ZIP_FIELD.length), list[0]);
  }
  return { values, zips };
}

/** What is wrong with an answer, as a catalogue message (`identify.error.…`) and its values. */
export interface Problem {
  key: ProblemKey;
  values?: Record<string, string | number>;
}
export type ProblemKey =
  | 'identify.error.chooseOne'
  | 'identify.error.chooseFromList'
  | 'identify.error.range'
  | 'identify.error.rangeUnit'
  | 'identify.error.oneCounty'
  | 'identify.error.countyFromList'
  | 'identify.error.zipFormat'
  | 'identify.error.zipUnknown'
  | 'identify.error.zipMany'
  | 'identify.error.atLeastOne'
  | 'identify.error.countyOrZip'
  | 'identify.error.chooseAnswer';

export type ReadAnswer =
  | { kind: 'empty' }
  | { kind: 'ok'; value: AnswerValue }
  | { kind: 'error'; message: string; problem: Problem };

/** An error result: the English message (kept for logs and tests) and its catalogue key. */
function wrong(message: string, key: ProblemKey, values?: Problem['values']): ReadAnswer {
  return { kind: 'error', message, problem: values ? { key, values } : { key } };
}

function choices(item: Item): string[] {
  const a = item.answer;
  switch (a.type) {
    case 'yes_no_unknown':
      return Object.keys(YES_NO_UNKNOWN_LABELS);
    case 'boolean':
      return Object.keys(YES_NO_LABELS);
    case 'single_choice':
    case 'multi_choice':
      return a.options.map((o) => o.value);
    default:
      return [];
  }
}

/** Finds the county for a ZIP code: the one county it is in, or the one holding nearly all of it. */
function countyForZip(
  places: Places,
  zip: string,
): { fips: string } | { problem: string; key: ProblemKey; values: Record<string, string> } {
  const entry = places.zips.get(zip);
  if (!entry || entry.counties.length === 0)
    return {
      problem: `We could not find the ZIP code ${zip}. Check it, or choose the county from the list.`,
      key: 'identify.error.zipUnknown',
      values: { zip },
    };
  const [first] = entry.counties;
  if (first && (entry.counties.length === 1 || first.share >= PRIMARY_COUNTY_SHARE))
    return { fips: first.fips };
  const names = entry.counties.map((c) => places.counties.get(c.fips)?.name ?? c.fips);
  return {
    problem: `The ZIP code ${zip} is in more than one county (${names.join(', ')}). Choose the county from the list.`,
    key: 'identify.error.zipMany',
    values: { zip, counties: names.join(', ') },
  };
}

/**
 * Checks one item's raw answer. A required item left empty is an error; so is a value the item does not
 * offer (a changed hidden field), a number out of range, or a ZIP code that is not clear.
 */
export function readAnswer(item: Item, raw: RawAnswers, places: Places): ReadAnswer {
  const given = (raw.values.get(item.id) ?? []).map((v) => v.trim()).filter((v) => v !== '');
  const a = item.answer;
  const result = ((): ReadAnswer => {
    switch (a.type) {
      case 'yes_no_unknown':
      case 'boolean':
      case 'single_choice': {
        if (given.length === 0) return { kind: 'empty' };
        const [value] = given;
        if (given.length > 1 || value === undefined || !choices(item).includes(value))
          return wrong('Choose one of the answers.', 'identify.error.chooseOne');
        return { kind: 'ok', value };
      }
      case 'multi_choice': {
        if (given.length === 0) return { kind: 'empty' };
        const allowed = choices(item);
        if (given.some((v) => !allowed.includes(v)) || given.length > allowed.length * 2)
          return wrong('Choose from the list.', 'identify.error.chooseFromList');
        // In the item's own order, once each.
        return { kind: 'ok', value: allowed.filter((v) => given.includes(v)) };
      }
      case 'number': {
        if (given.length === 0) return { kind: 'empty' };
        const [value] = given;
        const range = () =>
          wrong(
            `Enter a whole number from ${a.min} to ${a.max}${a.unit ? ` (${a.unit})` : ''}.`,
            a.unit ? 'identify.error.rangeUnit' : 'identify.error.range',
            a.unit ? { min: a.min, max: a.max, unit: a.unit } : { min: a.min, max: a.max },
          );
        if (given.length > 1 || value === undefined || !/^\d{1,7}$/.test(value)) return range();
        const n = Number(value);
        if (n < a.min || n > a.max) return range();
        return { kind: 'ok', value: n };
      }
      case 'county': {
        const zip = (raw.zips.get(item.id) ?? '').trim();
        if (given.length > 1) return wrong('Choose one county.', 'identify.error.oneCounty');
        const [fips] = given;
        if (fips !== undefined) {
          if (!places.counties.has(fips))
            return wrong('Choose a county from the list.', 'identify.error.countyFromList');
          return { kind: 'ok', value: fips };
        }
        if (zip === '') return { kind: 'empty' };
        if (!/^\d{5}$/.test(zip))
          return wrong(
            'Enter a five-digit ZIP code, such as 55401, or choose the county.',
            'identify.error.zipFormat',
          );
        const found = countyForZip(places, zip);
        return 'fips' in found
          ? { kind: 'ok', value: found.fips }
          : wrong(found.problem, found.key, found.values);
      }
    }
  })();
  if (result.kind === 'empty' && item.required) {
    if (a.type === 'multi_choice') return wrong('Choose at least one.', 'identify.error.atLeastOne');
    if (a.type === 'number')
      return wrong(`Enter a whole number from ${a.min} to ${a.max}.`, 'identify.error.range', {
        min: a.min,
        max: a.max,
      });
    if (a.type === 'county')
      return wrong('Choose a county or enter a ZIP code.', 'identify.error.countyOrZip');
    return wrong('Choose an answer.', 'identify.error.chooseAnswer');
  }
  return result;
}

export interface GroupReading {
  answers: Answers;
  /** Item id → what is wrong, in the group's order. */
  errors: Map<string, string>;
  /** Item id → what is wrong, as a catalogue message. */
  problems: Map<string, Problem>;
}

/** Reads every item of the groups given. */
export function readGroups(groups: readonly Group[], raw: RawAnswers, places: Places): GroupReading {
  const answers: Answers = new Map();
  const errors = new Map<string, string>();
  const problems = new Map<string, Problem>();
  for (const group of groups)
    for (const item of group.items) {
      const r = readAnswer(item, raw, places);
      if (r.kind === 'ok') answers.set(item.id, r.value);
      else if (r.kind === 'error') {
        errors.set(item.id, r.message);
        problems.set(item.id, r.problem);
      }
    }
  return { answers, errors, problems };
}

/** The fields that carry answers to the next page: `[name, value]` pairs, in the instrument's order. */
export function answerFields(instrument: Instrument, answers: Answers, except?: Group): [string, string][] {
  const fields: [string, string][] = [];
  for (const group of instrument.groups) {
    if (group === except) continue;
    for (const item of group.items) {
      const value = answers.get(item.id);
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value])
        fields.push([`${ANSWER_FIELD}${item.id}`, String(v)]);
    }
  }
  return fields;
}

/** The mappings that apply to an item's answer. */
export function mappingsFor(item: Item, value: AnswerValue): Mapping[] {
  const a = item.answer;
  switch (a.type) {
    case 'yes_no_unknown':
    case 'boolean': {
      const map = (a.map as Partial<Record<string, Mapping>> | undefined)?.[String(value)];
      return map ? [map] : [];
    }
    case 'single_choice':
    case 'multi_choice': {
      const values = Array.isArray(value) ? value : [String(value)];
      return a.options.filter((o) => values.includes(o.value) && o.map).map((o) => o.map as Mapping);
    }
    case 'number':
      return typeof value === 'number'
        ? (a.ranges ?? [])
            .filter((r) => (r.min === undefined || value >= r.min) && (r.max === undefined || value <= r.max))
            .map((r) => r.map)
        : [];
    case 'county':
      return [];
  }
}

const TRI_RANK = { no: 0, unknown: 1, yes: 2 } as const;

export function ageBandOf(age: number): AgeBandInput {
  return age < 18 ? 'under18' : age <= 24 ? '18to24' : '25plus';
}

/**
 * The pathway's input (the JSON body `POST /api/v1/pathway` takes) from checked answers: only the facts
 * the answers set, so the pathway's own defaults apply to the rest.
 *
 * @example
 * pathwayInput(checklist, new Map([['reporter_role', 'education'], ['exchange', 'yes']]), '2026-11-24')
 * // { asOf: '2026-11-24', reporterRole: 'education', exchangeForValue: 'yes', riskFactors: [] }
 */
export function pathwayInput(
  instrument: Instrument,
  answers: Answers,
  asOf: string,
): Record<string, unknown> {
  const facts: FactsMapping = {};
  const riskFactors: string[] = [];
  let age: number | undefined;
  let county: string | undefined;
  for (const group of instrument.groups)
    for (const item of group.items) {
      const value = answers.get(item.id);
      if (value === undefined) continue;
      if (item.answer.type === 'number' && item.answer.fact === 'age' && typeof value === 'number')
        age = value;
      if (item.answer.type === 'county' && typeof value === 'string') county = value;
      for (const map of mappingsFor(item, value)) {
        for (const code of map.riskFactors ?? []) if (!riskFactors.includes(code)) riskFactors.push(code);
        const set = map.facts ?? {};
        for (const f of TRI_STATE_FACTS) {
          const v = set[f];
          if (v !== undefined && (facts[f] === undefined || TRI_RANK[v] > TRI_RANK[facts[f]])) facts[f] = v;
        }
        for (const f of BOOLEAN_FACTS) {
          const v = set[f];
          if (v !== undefined) facts[f] = (facts[f] ?? false) || v;
        }
        if (set.reporterRole !== undefined && facts.reporterRole === undefined)
          facts.reporterRole = set.reporterRole;
        if (set.ageBand !== undefined && facts.ageBand === undefined) facts.ageBand = set.ageBand;
      }
    }
  if (age !== undefined) facts.ageBand = ageBandOf(age);
  return {
    asOf,
    ...(age !== undefined ? { age } : {}),
    ...facts,
    ...(county !== undefined ? { county } : {}),
    riskFactors,
  };
}

/** An answer in the words the page showed. */
export function answerText(item: Item, value: AnswerValue, places: Places): string {
  const a = item.answer;
  switch (a.type) {
    case 'yes_no_unknown':
      return YES_NO_UNKNOWN_LABELS[value as keyof typeof YES_NO_UNKNOWN_LABELS] ?? String(value);
    case 'boolean':
      return YES_NO_LABELS[value as keyof typeof YES_NO_LABELS] ?? String(value);
    case 'single_choice':
    case 'multi_choice': {
      const values = Array.isArray(value) ? value : [String(value)];
      return a.options
        .filter((o) => values.includes(o.value))
        .map((o) => o.label)
        .join('; ');
    }
    case 'number':
      return `${value}${a.unit ? ` ${a.unit}` : ''}`;
    case 'county': {
      const name = places.counties.get(String(value))?.name;
      return name ? `${name} County` : String(value);
    }
  }
}

export interface PlainAnswer {
  itemId: string;
  question: string;
  answer: string;
}

/** Every answer given, question and answer as shown, in the instrument's order. */
export function plainAnswers(instrument: Instrument, answers: Answers, places: Places): PlainAnswer[] {
  return instrument.groups.flatMap((g) =>
    g.items.flatMap((item) => {
      const value = answers.get(item.id);
      return value === undefined
        ? []
        : [{ itemId: item.id, question: item.question, answer: answerText(item, value, places) }];
    }),
  );
}

/** Questions answered "Not sure": things to find out, if it is safe to. */
export function notSure(instrument: Instrument, answers: Answers): Item[] {
  return instrument.groups.flatMap((g) =>
    g.items.filter((item) => item.answer.type === 'yes_no_unknown' && answers.get(item.id) === 'unknown'),
  );
}

/** True when an answer given so far says the young person is in danger right now. */
export function dangerNow(instrument: Instrument, answers: Answers): boolean {
  return instrument.groups.some((g) =>
    g.items.some((item) => {
      const value = answers.get(item.id);
      return value !== undefined && mappingsFor(item, value).some((m) => m.facts?.immediateDanger === true);
    }),
  );
}
