/**
 * Checks an instrument before it is used or stored: its shape (schema.ts), then what a shape cannot
 * say. Every problem is a sentence naming where it is ("group "happening" › item "exchange" › …"), so
 * an administrator loading a file can fix it.
 */
import type { z } from 'zod';
import { pathwayInputSchema } from '../pathway/index.ts';
import {
  ANSWER_TYPES,
  InstrumentSchema,
  MAPPABLE_FACTS,
  type Instrument,
  type Item,
  type Mapping,
  type MappableFact,
} from './schema.ts';

/** What the instrument is checked against: the pathway's risk-factor codes. */
export interface InstrumentContext {
  riskFactorCodes: ReadonlySet<string>;
}

export type InstrumentCheck = { ok: true; instrument: Instrument } | { ok: false; problems: string[] };

/** Most answers one screening can hand on (`ScreeningHandoffSchema` allows 200). */
export const MAX_ITEMS = 200;
/** Largest instrument file accepted, in bytes. */
export const MAX_INSTRUMENT_BYTES = 512 * 1024;
const MAX_PROBLEMS = 20;

/** Facts the pathway cannot do without (no default): every screening must set them. */
export const REQUIRED_FACTS: readonly MappableFact[] = (() => {
  const shape = pathwayInputSchema(['x']).shape as Record<
    string,
    { safeParse(v: unknown): { success: boolean } }
  >;
  return MAPPABLE_FACTS.filter((f) => shape[f] !== undefined && !shape[f].safeParse(undefined).success);
})();
/** The oldest age the pathway accepts. */
const MAX_AGE = 120;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A zod path in the instrument's own words: group and item ids, option values. */
export function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    const child: unknown = isRecord(node) ? node[String(key)] : undefined;
    if (
      (key === 'groups' || key === 'items' || key === 'options' || key === 'ranges') &&
      typeof next === 'number'
    ) {
      const element: unknown = Array.isArray(child) ? child[next] : undefined;
      const label =
        key === 'groups' ? 'group' : key === 'items' ? 'item' : key === 'options' ? 'option' : 'range';
      const name = isRecord(element)
        ? typeof element.id === 'string'
          ? element.id
          : typeof element.value === 'string'
            ? element.value
            : null
        : null;
      parts.push(name ? `${label} "${name}"` : `${label} ${next + 1}`);
      node = element;
      i++;
      continue;
    }
    if (key !== 'answer') parts.push(String(key));
    node = Array.isArray(node) && typeof key === 'number' ? node[key] : child;
  }
  return parts.length ? parts.join(' › ') : 'the instrument';
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const where = describePath(raw, issue.path);
  if (issue.code === 'unrecognized_keys') {
    if (issue.path[issue.path.length - 1] === 'facts')
      return `${where}: ${issue.keys.map((k) => `"${k}"`).join(', ')} is not a pathway fact an answer can set. Use one of: ${MAPPABLE_FACTS.join(', ')}.`;
    return `${where}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
  }
  const last = issue.path[issue.path.length - 1];
  if (
    issue.code === 'invalid_union' &&
    (last === 'answer' || (last === 'type' && issue.path.includes('answer')))
  )
    return `${describePath(raw, issue.path.slice(0, issue.path.lastIndexOf('answer')))} › answer › type: must be one of ${ANSWER_TYPES.join(', ')}.`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${where}: is missing.`;
  return `${where}: ${issue.message}.`;
}

/** Every mapping an item holds, with where it is. */
function mappingsOf(item: Item): { where: string; map: Mapping }[] {
  const a = item.answer;
  switch (a.type) {
    case 'yes_no_unknown':
    case 'boolean':
      return Object.entries(a.map ?? {}).map(([k, map]) => ({ where: `answer "${k}"`, map: map as Mapping }));
    case 'single_choice':
    case 'multi_choice':
      return a.options.flatMap((o) => (o.map ? [{ where: `option "${o.value}"`, map: o.map }] : []));
    case 'number':
      return (a.ranges ?? []).map((r, i) => ({ where: `range ${i + 1}`, map: r.map }));
    case 'county':
      return [];
  }
}

/** The mappings an item gives for each possible single answer, when every answer is one choice. */
function everyAnswerSets(item: Item, fact: MappableFact): boolean {
  const a = item.answer;
  if (a.type === 'single_choice') return a.options.every((o) => o.map?.facts?.[fact] !== undefined);
  if (a.type === 'boolean')
    return ['yes', 'no'].every((k) => a.map?.[k as 'yes']?.facts?.[fact] !== undefined);
  if (a.type === 'yes_no_unknown')
    return ['yes', 'no', 'unknown'].every((k) => a.map?.[k as 'yes']?.facts?.[fact] !== undefined);
  return false;
}

/**
 * Checks raw instrument data (parsed JSON) against the format and the pathway.
 *
 * @example
 * checkInstrument(JSON.parse(text), { riskFactorCodes: new Set(ruleset.riskFactors.map((r) => r.code)) })
 * // { ok: false, problems: ['group "happening" › item "exchange" › map › yes › facts › exchangeForValue: Invalid option: …'] }
 */
export function checkInstrument(raw: unknown, ctx: InstrumentContext): InstrumentCheck {
  const parsed = InstrumentSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, MAX_PROBLEMS).map((i) => describeIssue(raw, i)),
    };
  const instrument = parsed.data;
  const problems: string[] = [];
  const groupIds = new Set<string>();
  const itemIds = new Set<string>();
  let items = 0;
  let ageItems = 0;
  let countyItems = 0;
  for (const group of instrument.groups) {
    if (groupIds.has(group.id)) problems.push(`group "${group.id}": another group has the same id.`);
    groupIds.add(group.id);
    for (const item of group.items) {
      items++;
      const where = `group "${group.id}" › item "${item.id}"`;
      if (itemIds.has(item.id)) problems.push(`${where}: another item has the same id.`);
      itemIds.add(item.id);
      const a = item.answer;
      if (a.type === 'single_choice' || a.type === 'multi_choice') {
        const values = new Set<string>();
        for (const o of a.options) {
          if (values.has(o.value))
            problems.push(`${where} › option "${o.value}": another option has the same value.`);
          values.add(o.value);
        }
      }
      if (a.type === 'number' && a.fact === 'age') {
        ageItems++;
        if (a.max > MAX_AGE) problems.push(`${where}: an age item's max must be ${MAX_AGE} or less.`);
      }
      if (a.type === 'county') countyItems++;
      if (a.type === 'number')
        for (const [i, r] of (a.ranges ?? []).entries())
          if (r.min !== undefined && r.max !== undefined && r.min > r.max)
            problems.push(`${where} › range ${i + 1}: min must not be greater than max.`);
      for (const { where: at, map } of mappingsOf(item))
        for (const code of map.riskFactors ?? [])
          if (!ctx.riskFactorCodes.has(code))
            problems.push(
              `${where} › ${at}: risk factor "${code}" is not one the pathway knows. Use one of: ${[...ctx.riskFactorCodes].join(', ')}.`,
            );
    }
  }
  if (items > MAX_ITEMS)
    problems.push(`the instrument has ${items} items; at most ${MAX_ITEMS} are allowed.`);
  if (ageItems > 1) problems.push('more than one number item sets "age": keep one.');
  if (countyItems > 1) problems.push('more than one item asks for the county: keep one.');
  const all = instrument.groups.flatMap((g) => g.items);
  for (const fact of REQUIRED_FACTS)
    if (!all.some((item) => item.required && everyAnswerSets(item, fact)))
      problems.push(
        fact === 'reporterRole'
          ? 'no required question tells the pathway who is asking: add a required single-choice item whose every option sets facts.reporterRole.'
          : `no required question always sets "${fact}", which the pathway needs: add a required item whose every answer sets facts.${fact}.`,
      );
  return problems.length
    ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) }
    : { ok: true, instrument };
}
