/**
 * The pathway engine: from what a person asking knows (the facts) to what is happening in Minnesota's
 * terms (classification) and what the law asks of whom, by when (actions). Pure: no I/O, no clock
 * except the `now` it is given. The rules are data (see ruleset.ts).
 */
import { z } from 'zod';
import { lookupNavigator } from '../help/index.ts';
import { findCounty, parseCountyInput, todayIn, type Geography, type Line } from '../help/index.ts';
import type { Audience, Condition, ConditionFact, Rule, Ruleset } from './ruleset.ts';
import {
  AGE_BANDS,
  MANDATED_ROLES,
  OFFICIAL_ROLES,
  REPORTER_ROLES,
  TRI_STATE,
  type Classification,
  type Contact,
  type Indication,
  type Notice,
  type PathwayAction,
  type PathwayAnswer,
  type PathwayFacts,
  type ReporterRole,
  type TriState,
} from './types.ts';

const DEFAULT_TIMEZONE = 'America/Chicago';

export const UNKNOWN_AGE_NOTE =
  "The young person's age is not known, so this is shown as if they are under 18: the law's protections for children may apply until you know otherwise.";

function realDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const tri = z.enum(TRI_STATE, { error: 'Answer "yes", "no" or "unknown".' });
const flag = z.boolean({ error: 'Answer true or false.' });

/** The body of `POST /api/v1/pathway`, for a ruleset's risk-factor codes. */
export function pathwayInputSchema(riskFactorCodes: readonly string[]) {
  return z
    .object({
      asOf: z
        .string({ error: 'Give the date as YYYY-MM-DD.' })
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the date as YYYY-MM-DD, for example 2026-11-21.')
        .refine(realDate, 'That date does not exist.')
        .optional(),
      age: z
        .number({ error: 'Give the age as a whole number of years, or null when it is not known.' })
        .int('Give the age as a whole number of years.')
        .min(0, 'An age cannot be negative.')
        .max(120, 'An age is at most 120.')
        .nullable()
        .optional(),
      ageBand: z.enum(AGE_BANDS, { error: `Use one of: ${AGE_BANDS.join(', ')}.` }).optional(),
      reporterRole: z.enum(REPORTER_ROLES, {
        error: `Say who is asking, one of: ${REPORTER_ROLES.join(', ')}.`,
      }),
      exchangeForValue: tri,
      thirdPartyProfit: tri,
      recruitedOrAdvertised: tri.default('no'),
      americanIndian: tri.default('no'),
      allegedOffenderIsCaregiver: tri.default('unknown'),
      laborExploitation: tri.default('no'),
      foreignNational: tri.default('no'),
      inOutOfHomeCare: flag.default(false),
      currentlyMissingFromCare: flag.default(false),
      foundAfterMissingFromCare: flag.default(false),
      immediateDanger: flag.default(false),
      county: z
        .string({ error: 'Give the county as a name or a five-digit FIPS code.' })
        .trim()
        .min(1, 'Give the county as a name or a five-digit FIPS code.')
        .max(100, 'A county name is at most 100 characters.')
        .optional(),
      riskFactors: z
        .array(
          z.enum(riskFactorCodes as [string, ...string[]], {
            error: `Unknown risk factor. Use the codes: ${riskFactorCodes.join(', ')}.`,
          }),
          { error: 'Give the risk factors as a list of codes.' },
        )
        .max(riskFactorCodes.length * 2, 'Too many risk factors.')
        .optional(),
    })
    .strict();
}

const schemas = new WeakMap<Ruleset, ReturnType<typeof pathwayInputSchema>>();
function schemaFor(ruleset: Ruleset) {
  let schema = schemas.get(ruleset);
  if (!schema) {
    schema = pathwayInputSchema(ruleset.riskFactors.map((f) => f.code));
    schemas.set(ruleset, schema);
  }
  return schema;
}

export type ParseOutcome =
  { ok: true; facts: PathwayFacts } | { ok: false; field: string; detail: string; suggestions?: string[] };

/**
 * Checks a request body and applies the defaults. With `geo`, the county is checked too and replaced
 * by its FIPS code.
 *
 * @example
 * parsePathwayInput({ reporterRole: 'education', exchangeForValue: 'yes', thirdPartyProfit: 'unknown' }, ruleset)
 * // { ok: true, facts: { asOf: <today>, age: null, allegedOffenderIsCaregiver: 'unknown', … } }
 * parsePathwayInput({ reporterRole: 'teacher' }, ruleset) // { ok: false, field: 'reporterRole', … }
 */
export function parsePathwayInput(
  raw: unknown,
  ruleset: Ruleset,
  now: Date = new Date(),
  geo?: Geography,
): ParseOutcome {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      ok: false,
      field: 'body',
      detail: 'Send a JSON object with the facts, for example {"reporterRole": "education", …}.',
    };
  const parsed = schemaFor(ruleset).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys')
      return {
        ok: false,
        field: issue.keys[0] ?? 'body',
        detail: `"${issue.keys[0]}" is not a field the pathway knows. Remove it; the fields are listed in the API documentation.`,
      };
    const field = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p)))
      .join('');
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return {
      ok: false,
      field: field || 'body',
      detail: missing ? `"${field}" is required. ${issue.message}` : issue.message,
    };
  }
  const b = parsed.data;
  let county: string | null = b.county ?? null;
  if (county !== null && geo) {
    // Only the county is checked here; the navigator is looked up once, when the answer is made.
    const input = parseCountyInput(county);
    const known = input ? findCounty(geo, input) : null;
    if (known) county = known.fips;
    else {
      // The lookup's own refusal, with its wording and suggestions.
      const refused = lookupNavigator(geo, { county, asOf: b.asOf ?? todayIn(geo.timezone, now) });
      if (!refused.ok)
        return {
          ok: false,
          field: 'county',
          detail: refused.detail,
          ...(refused.suggestions ? { suggestions: refused.suggestions } : {}),
        };
    }
  }
  return {
    ok: true,
    facts: {
      asOf: b.asOf ?? todayIn(geo?.timezone ?? DEFAULT_TIMEZONE, now),
      age: b.age ?? null,
      ageBand: b.ageBand ?? null,
      reporterRole: b.reporterRole,
      exchangeForValue: b.exchangeForValue,
      thirdPartyProfit: b.thirdPartyProfit,
      recruitedOrAdvertised: b.recruitedOrAdvertised,
      americanIndian: b.americanIndian,
      allegedOffenderIsCaregiver: b.allegedOffenderIsCaregiver,
      laborExploitation: b.laborExploitation,
      foreignNational: b.foreignNational,
      inOutOfHomeCare: b.inOutOfHomeCare,
      currentlyMissingFromCare: b.currentlyMissingFromCare,
      foundAfterMissingFromCare: b.foundAfterMissingFromCare,
      immediateDanger: b.immediateDanger,
      county,
      riskFactors: [...new Set(b.riskFactors ?? [])],
    },
  };
}

const RANK: Record<TriState, number> = { no: 0, unknown: 1, yes: 2 };
const higher = (a: TriState, b: TriState): TriState => (RANK[b] > RANK[a] ? b : a);

function single(v: TriState): Indication {
  return v === 'yes' ? 'indicated' : v === 'unknown' ? 'possible' : 'not_indicated';
}

function both(a: TriState, b: TriState): Indication {
  if (a === 'yes' && b === 'yes') return 'indicated';
  if (
    (a === 'yes' && b === 'unknown') ||
    (a === 'unknown' && b === 'yes') ||
    (a === 'unknown' && b === 'unknown')
  )
    return 'possible';
  return 'not_indicated';
}

const INDICATION_RANK: Record<Indication, number> = { not_indicated: 0, possible: 1, indicated: 2 };
const stronger = (a: Indication, b: Indication): Indication =>
  INDICATION_RANK[b] > INDICATION_RANK[a] ? b : a;

function minorOf(facts: PathwayFacts): boolean | null {
  return facts.age !== null ? facts.age < 18 : facts.ageBand !== null ? facts.ageBand === 'under18' : null;
}

/**
 * Whether there was sexual activity in exchange for something of value, reconciling the exchange
 * question with risk factors that are themselves such an exchange: survival sex always, a strip club
 * for a minor ("possible" when the age is not known). Returns the reconciled answer and the risk
 * factors that raised it.
 */
export function reconciledExchange(
  facts: PathwayFacts,
  riskFactors: Ruleset['riskFactors'] = [],
): { exchange: TriState; raisedBy: string[] } {
  const minor = minorOf(facts);
  let exchange = facts.exchangeForValue;
  const raisedBy: string[] = [];
  for (const f of riskFactors) {
    if (!f.meansExchange || !facts.riskFactors.includes(f.code)) continue;
    const v: TriState =
      f.meansExchange === 'always' || minor === true ? 'yes' : minor === null ? 'unknown' : 'no';
    if (RANK[v] > RANK[facts.exchangeForValue]) raisedBy.push(f.code);
    exchange = higher(exchange, v);
  }
  return { exchange, raisedBy };
}

/**
 * What is happening, in Minnesota's terms. Commercial sexual exploitation: anything of value given for
 * sexual activity (the exchange question, or a risk factor that is such an exchange). Sex trafficking
 * (609.321 subd. 7a): someone else profits from it, or someone recruited, enticed or advertised the young
 * person for it, even before any exchange.
 */
export function classify(facts: PathwayFacts, riskFactors: Ruleset['riskFactors'] = []): Classification {
  const { exchange } = reconciledExchange(facts, riskFactors);
  return {
    sexTrafficking: stronger(
      both(exchange, facts.thirdPartyProfit),
      single(facts.recruitedOrAdvertised ?? 'no'),
    ),
    commercialSexualExploitation: single(exchange),
    laborTrafficking: single(facts.laborExploitation),
    atRisk: facts.riskFactors.length > 0,
    minor: minorOf(facts),
  };
}

const flagged = (i: Indication) => i !== 'not_indicated';

/** The true-or-false facts the rules' conditions test. */
export function deriveFacts(facts: PathwayFacts, c: Classification): Record<ConditionFact, boolean> {
  const youth = facts.age !== null ? facts.age <= 24 : facts.ageBand !== '25plus';
  const adult25 = facts.age !== null ? facts.age >= 25 : facts.ageBand === '25plus';
  return {
    minorOrUnknown: c.minor !== false,
    youth,
    adult25,
    concern: flagged(c.commercialSexualExploitation) || flagged(c.sexTrafficking),
    atRisk: c.atRisk,
    immediateDanger: facts.immediateDanger,
    inOutOfHomeCare: facts.inOutOfHomeCare,
    currentlyMissingFromCare: facts.currentlyMissingFromCare,
    foundAfterMissingFromCare: facts.foundAfterMissingFromCare,
    sexTraffickingIndicatedOrPossible: flagged(c.sexTrafficking),
    laborTraffickingIndicatedOrPossible: flagged(c.laborTrafficking),
    cseIndicatedOrPossible: flagged(c.commercialSexualExploitation),
    foreignNational: facts.foreignNational === 'yes',
    foreignNationalUnknown: facts.foreignNational === 'unknown',
    caregiverNo: facts.allegedOffenderIsCaregiver === 'no',
    americanIndian: (facts.americanIndian ?? 'no') === 'yes',
    americanIndianOrUnknown: (facts.americanIndian ?? 'no') !== 'no',
  };
}

interface Evaluation {
  role: ReporterRole;
  derived: Record<ConditionFact, boolean>;
  actions: Map<string, { required: boolean }>;
}

function holds(cond: Condition, e: Evaluation): boolean {
  if ('fact' in cond) return e.derived[cond.fact];
  if ('role' in cond) return cond.role.includes(e.role);
  if ('roleGroup' in cond)
    return (cond.roleGroup === 'mandated' ? MANDATED_ROLES : OFFICIAL_ROLES).includes(e.role);
  if ('action' in cond) {
    const found = e.actions.get(cond.action);
    return found !== undefined && (cond.required === undefined || found.required === cond.required);
  }
  if ('all' in cond) return cond.all.every((c) => holds(c, e));
  if ('any' in cond) return cond.any.some((c) => holds(c, e));
  return !holds(cond.not, e);
}

/** The texts a role reads, most specific first. */
export function audiencesFor(role: ReporterRole): Audience[] {
  if (role === 'youth_self') return ['youth', 'default'];
  if (role === 'family_or_friend' || role === 'community_member') return ['community', 'default'];
  const list: Audience[] = [];
  if (role === 'child_protection') list.push('child_protection');
  if (role === 'law_enforcement') list.push('law_enforcement');
  if (OFFICIAL_ROLES.includes(role)) list.push('official');
  if (MANDATED_ROLES.includes(role)) list.push('mandated');
  list.push('professional', 'default');
  return list;
}

/** True when the rule is in effect on `date` (effectiveFrom ≤ date < effectiveTo). */
export function inEffectOn(rule: Pick<Rule, 'effectiveFrom' | 'effectiveTo'>, date: string): boolean {
  return (
    (rule.effectiveFrom === null || rule.effectiveFrom <= date) &&
    (rule.effectiveTo === null || date < rule.effectiveTo)
  );
}

function lineContact(line: Line): Contact {
  return {
    id: line.id,
    name: line.name,
    ...(line.call ? { phone: { dial: line.call.dial, display: line.call.display } } : {}),
    ...(line.text ? { text: { dial: line.text.dial, display: line.text.display } } : {}),
    ...(line.url ? { url: line.url } : {}),
    verified: line.verified,
  };
}

/**
 * The classification and the actions that apply, in the rules file's order. Contacts are resolved
 * against the geography's lines and navigator when it is given.
 *
 * @example
 * evaluatePathway(facts, ruleset).actions.map((a) => a.code) // ['REPORT_CHILD_PROTECTION', 'WRITTEN_REPORT_72H', …, 'HOTLINE_INFO']
 */
export function evaluatePathway(facts: PathwayFacts, ruleset: Ruleset, geo?: Geography): PathwayAnswer {
  const classification = classify(facts, ruleset.riskFactors);
  const e: Evaluation = {
    role: facts.reporterRole,
    derived: deriveFacts(facts, classification),
    actions: new Map(),
  };
  const audiences = audiencesFor(facts.reporterRole);
  const navigator =
    geo && facts.county ? lookupNavigator(geo, { county: facts.county, asOf: facts.asOf }) : null;
  const lookup = navigator?.ok ? navigator.lookup : undefined;
  const actions: PathwayAction[] = [];
  let minorOnlyShown = false;
  for (const rule of ruleset.rules) {
    if (!inEffectOn(rule, facts.asOf) || e.actions.has(rule.code) || !holds(rule.when, e)) continue;
    const variant = rule.variants?.find((v) => holds(v.when, e));
    const requiredWhen = variant?.required ?? rule.required;
    const required = typeof requiredWhen === 'boolean' ? requiredWhen : holds(requiredWhen, e);
    e.actions.set(rule.code, { required });
    if (rule.minorOnly) minorOnlyShown = true;
    const texts = variant?.text ?? rule.text;
    const text = audiences.map((a) => texts[a]).find((t) => t !== undefined) ?? texts.default;
    const contacts = (variant?.contacts ?? rule.contacts).flatMap((id) =>
      resolveContact(id, ruleset, geo, lookup),
    );
    actions.push({
      code: rule.code,
      required,
      ...(rule.deadlineHours !== undefined ? { deadlineHours: rule.deadlineHours } : {}),
      ...(rule.deadlineBusinessDays ? { deadlineBusinessDays: true } : {}),
      ...(rule.deadlineFrom ? { deadlineFrom: rule.deadlineFrom } : {}),
      binds: rule.binds,
      title: text.title,
      explanation: text.explanation,
      basis: rule.basis.map((b) => ({ citation: b.citation, source: b.source })),
      ...(contacts.length ? { contacts } : {}),
    });
  }
  return {
    classification,
    notices: noticesFor(facts, ruleset, classification, minorOnlyShown),
    actions,
    ...(lookup ? { navigator: lookup } : {}),
    rulesVersion: ruleset.version,
  };
}

/** How the answers were read, said once: an unknown age, an exchange the answers imply, recruitment. */
export function noticesFor(
  facts: PathwayFacts,
  ruleset: Ruleset,
  c: Classification,
  minorOnlyShown: boolean,
): Notice[] {
  const notices: Notice[] = [];
  if (c.minor === null && minorOnlyShown) notices.push({ code: 'unknown_age', text: UNKNOWN_AGE_NOTE });
  const { raisedBy } = reconciledExchange(facts, ruleset.riskFactors);
  if (raisedBy.length) {
    const labels = raisedBy.map((code) => ruleset.riskFactors.find((f) => f.code === code)?.label ?? code);
    notices.push({
      code: 'exchange_reconciled',
      text: `You answered ${facts.exchangeForValue === 'no' ? '"No"' : '"Not sure"'} about an exchange of something sexual for something of value, but you also chose: ${labels.join('; ')}. That is itself sexual activity in exchange for something of value, so it is treated here as commercial sexual exploitation.`,
    });
  }
  const recruited = facts.recruitedOrAdvertised ?? 'no';
  if (
    recruited !== 'no' &&
    both(reconciledExchange(facts, ruleset.riskFactors).exchange, facts.thirdPartyProfit) === 'not_indicated'
  )
    notices.push({
      code: 'recruitment',
      text: 'Recruiting, enticing or advertising someone for commercial sex is sex trafficking in Minnesota even before anything has been exchanged (Minn. Stat. 609.321 subd. 7a).',
    });
  return notices;
}

function resolveContact(
  id: string,
  ruleset: Ruleset,
  geo: Geography | undefined,
  lookup: PathwayAnswer['navigator'],
): Contact[] {
  if (id === 'navigator') {
    const result = lookup?.results[0];
    if (!result?.navigator) return [];
    const org = result.navigator;
    const phone = org.phones[0];
    return [
      {
        id: 'navigator',
        name: `${org.name}${result.region ? ` (${result.region.name} regional navigator)` : ''}`,
        ...(phone ? { phone: { dial: phone.dial, display: phone.display } } : {}),
        ...(org.website ? { url: org.website } : {}),
        ...(result.contactFirst === 'statewide'
          ? {
              note: `Not confirmed yet: call ${result.statewide.name} first, who can connect you with the navigator.`,
            }
          : {}),
        verified: result.confirmed,
      },
    ];
  }
  const own = ruleset.contacts.find((c) => c.id === id);
  if (own)
    return [
      {
        id: own.id,
        name: own.name,
        ...(own.phone ? { phone: own.phone } : {}),
        ...(own.url ? { url: own.url } : {}),
        ...(own.note ? { note: own.note } : {}),
        verified: own.verified,
      },
    ];
  const line = geo?.lines.find((l) => l.id === id);
  return line ? [lineContact(line)] : [];
}
