/**
 * The pathway's rules as data: each rule has a code, a condition over the facts, whom it binds, whether
 * it is required (for whom), a deadline, its legal basis and the dates it is in effect. A jurisdiction
 * ships them in `data/<jurisdiction>/pathway.json`; this module checks that file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ACTION_CODES, REPORTER_ROLES } from './types.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** Facts a condition can test, each true or false for a given input (see `derive` in engine.ts). */
export const CONDITION_FACTS = [
  'minorOrUnknown',
  'youth',
  'adult25',
  'concern',
  'atRisk',
  'immediateDanger',
  'inOutOfHomeCare',
  'currentlyMissingFromCare',
  'foundAfterMissingFromCare',
  'sexTraffickingIndicatedOrPossible',
  'laborTraffickingIndicatedOrPossible',
  'cseIndicatedOrPossible',
  'foreignNational',
  'foreignNationalUnknown',
  'caregiverNo',
  'americanIndian',
  'americanIndianOrUnknown',
] as const;
export type ConditionFact = (typeof CONDITION_FACTS)[number];

export type Condition =
  | { fact: ConditionFact }
  | { role: (typeof REPORTER_ROLES)[number][] }
  | { roleGroup: 'mandated' | 'official' }
  | { action: (typeof ACTION_CODES)[number]; required?: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ fact: z.enum(CONDITION_FACTS) }).strict(),
    z.object({ role: z.array(z.enum(REPORTER_ROLES)).min(1) }).strict(),
    z.object({ roleGroup: z.enum(['mandated', 'official']) }).strict(),
    z.object({ action: z.enum(ACTION_CODES), required: z.boolean().optional() }).strict(),
    z.object({ all: z.array(ConditionSchema) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
  ]),
);

/** Who reads a text: the words change for a young person, a family member or a professional. */
export const AUDIENCES = [
  'default',
  'youth',
  'community',
  'professional',
  'mandated',
  'official',
  'law_enforcement',
  'child_protection',
] as const;
export type Audience = (typeof AUDIENCES)[number];

const TextSchema = z
  .object({ title: z.string().min(1).max(200), explanation: z.string().min(1).max(2000) })
  .strict();

const TextsSchema = z
  .object({ default: TextSchema })
  .catchall(TextSchema)
  .refine((t) => Object.keys(t).every((k) => (AUDIENCES as readonly string[]).includes(k)), {
    message: `text keys must be among ${AUDIENCES.join(', ')}`,
  });

const RequiredSchema = z.union([z.boolean(), ConditionSchema]);

/**
 * A case of a rule that reads differently: the first variant whose condition holds replaces the rule's
 * texts, and, where given, whether it is required and its contacts (for example OTIP when citizenship is
 * not known: "ask OTIP", not "send the request").
 */
const VariantSchema = z
  .object({
    when: ConditionSchema,
    required: RequiredSchema.optional(),
    text: TextsSchema,
    contacts: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type Variant = z.infer<typeof VariantSchema>;

export const RuleSchema = z
  .object({
    code: z.enum(ACTION_CODES),
    effectiveFrom: isoDate.nullable(),
    effectiveTo: isoDate.nullable(),
    when: ConditionSchema,
    /** `true`, `false`, or a condition (usually on the reporter's role) that makes it required. */
    required: RequiredSchema,
    binds: z.enum(['reporter', 'child_protection', 'official', 'anyone']),
    deadlineHours: z.number().int().min(0).max(8760).optional(),
    /** The deadline counts only business days (weekends and holidays excluded). */
    deadlineBusinessDays: z.boolean().optional(),
    /** The deadline counts from the oral report the person made, not from when they learned of it. */
    deadlineFrom: z.literal('oral_report').optional(),
    /** The rule protects children: it applies to minors and, as a precaution, to an unknown age. */
    minorOnly: z.boolean(),
    text: TextsSchema,
    variants: z.array(VariantSchema).optional(),
    basis: z.array(z.object({ citation: z.string().min(1), source: z.string().min(1) }).strict()).min(1),
    /** `navigator`, a line id of the pack, or a contact id of this file. */
    contacts: z.array(z.string().min(1)),
    note: z.string().optional(),
  })
  .strict()
  .refine((r) => r.effectiveFrom === null || r.effectiveTo === null || r.effectiveFrom < r.effectiveTo, {
    message: 'effectiveFrom must be before effectiveTo',
  });
export type Rule = z.infer<typeof RuleSchema>;

const provenance = {
  source: z.string().min(1),
  retrieved: isoDate.optional(),
  verified: z.boolean(),
  note: z.string().nullable().optional(),
};

export const RulesetSchema = z
  .object({
    jurisdiction: z.string().regex(/^[a-z]{2,10}$/),
    version: z.string().min(1).max(50),
    ...provenance,
    retrieved: isoDate,
    riskFactors: z
      .array(
        z
          .object({
            code: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
            label: z.string().min(1),
            help: z.string().min(1),
            source: z.string().min(1),
            /**
             * The risk factor is itself sexual activity in exchange for something of value: `always`
             * (survival sex), or `minor` (a minor in a strip club). It then counts as commercial sexual
             * exploitation whatever the separate exchange question says.
             */
            meansExchange: z.enum(['always', 'minor']).optional(),
          })
          .strict(),
      )
      .min(1),
    contacts: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9-]+$/),
          name: z.string().min(1),
          phone: z
            .object({ dial: z.string().regex(/^\+?\d{3,15}$/), display: z.string().min(1) })
            .strict()
            .nullable(),
          /** A web address, or a page of this site (for example the directory's tribal partners). */
          url: z.union([z.url(), z.string().regex(/^\/[a-z0-9/?=&_-]*$/)]).nullable(),
          ...provenance,
        })
        .strict(),
    ),
    rules: z.array(RuleSchema).min(1),
  })
  .strict()
  .superRefine((set, ctx) => {
    const codes = new Set(set.riskFactors.map((f) => f.code));
    if (codes.size !== set.riskFactors.length)
      ctx.addIssue({ code: 'custom', message: 'risk factor codes repeat', path: ['riskFactors'] });
    // Versions of one rule must not overlap in time, or an action would appear twice.
    const byCode = new Map<string, Rule[]>();
    for (const r of set.rules) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
    for (const [code, versions] of byCode) {
      for (let i = 0; i < versions.length; i++)
        for (let j = i + 1; j < versions.length; j++) {
          const a = versions[i]!;
          const b = versions[j]!;
          const aEnd = a.effectiveTo ?? '9999-12-31';
          const bEnd = b.effectiveTo ?? '9999-12-31';
          const aStart = a.effectiveFrom ?? '0000-01-01';
          const bStart = b.effectiveFrom ?? '0000-01-01';
          if (aStart < bEnd && bStart < aEnd)
            ctx.addIssue({
              code: 'custom',
              message: `two versions of ${code} are in effect at the same time`,
              path: ['rules'],
            });
        }
    }
    for (const code of ACTION_CODES)
      if (!byCode.has(code))
        ctx.addIssue({ code: 'custom', message: `no rule for ${code}`, path: ['rules'] });
  });
export type Ruleset = z.infer<typeof RulesetSchema>;

/**
 * Reads `pathway.json` from a pack directory. Throws with the path of the first problem.
 *
 * @example
 * const ruleset = loadRuleset('data/mn');
 */
export function loadRuleset(packDir: string): Ruleset {
  const file = join(packDir, 'pathway.json');
  const parsed = RulesetSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}
