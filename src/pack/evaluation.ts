/**
 * The evaluation's measures, as data of the jurisdiction pack: `data/<jurisdiction>/evaluation.json`
 * says for each measure its definition, numerator, denominator, source fields, columns (and which
 * columns are sums of others), figures computed from them, the breakdowns it offers and who may see it;
 * and the fiscal year and the metro regions the reports use. This file reads and checks it, and names
 * the breakdowns (dimensions) the product knows how to count (src/features/evaluation-reports).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const code = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

/** The breakdowns of a measure: how a count is divided into groups. */
export const DIMENSIONS = {
  none: { label: 'No breakdown (totals)', kind: 'exclusive' },
  age_band: { label: 'Age', kind: 'exclusive' },
  gender: { label: 'Gender identity', kind: 'multi' },
  race: { label: 'Race and ethnicity', kind: 'multi' },
  metro: { label: 'Metro or Greater Minnesota', kind: 'exclusive' },
  region: { label: 'Region', kind: 'exclusive' },
  county: { label: 'County', kind: 'exclusive' },
  tribal: { label: 'Tribal affiliation', kind: 'exclusive' },
  door: { label: 'How they came to the network', kind: 'exclusive' },
  exploitation: { label: 'Type of exploitation', kind: 'multi' },
  entry_housing: { label: 'Housing when the case opened', kind: 'exclusive' },
  exit_housing: { label: 'Housing when the case closed', kind: 'exclusive' },
  close_reason: { label: 'Why the case closed', kind: 'exclusive' },
  service: { label: 'Service', kind: 'multi' },
  decline_reason: { label: 'Reason for declining', kind: 'exclusive' },
  intake_kind: { label: 'Kind of referral or request', kind: 'exclusive' },
  urgency: { label: 'Urgency', kind: 'exclusive' },
  shelter_age: { label: 'Age', kind: 'exclusive' },
  shelter_gender: { label: 'Gender', kind: 'exclusive' },
  program_type: { label: 'Type of housing program', kind: 'exclusive' },
  course: { label: 'Course', kind: 'exclusive' },
  organization_type: { label: 'Type of organization', kind: 'exclusive' },
} as const satisfies Record<string, { label: string; kind: 'exclusive' | 'multi' }>;
export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_CODES = Object.keys(DIMENSIONS) as [Dimension, ...Dimension[]];

/**
 * Who a report is about: the whole state (state administrators and evaluators), a navigator host's
 * regions, or an organization's own clients, programs and people.
 */
export const SCOPES = ['statewide', 'region', 'organization'] as const;
export type ScopeKind = (typeof SCOPES)[number];

export const MEASURE_CODES = [
  'youth_served',
  'services',
  'exits',
  'referrals',
  'first_contact',
  'shelter_requests',
  'placements',
  'trainings',
] as const;
export type MeasureCode = (typeof MEASURE_CODES)[number];

const Column = z
  .object({
    code,
    label: z.string().min(1).max(120),
    /** Whether the column adds up over time: a fiscal year's count is the sum of its quarters'. */
    overTime: z.boolean(),
  })
  .strict();

const Figure = z
  .object({
    code,
    label: z.string().min(1).max(120),
    /** The count it rests on: hidden when that count is under the threshold. */
    basis: code,
  })
  .strict();

const Measure = z
  .object({
    code: z.enum(MEASURE_CODES),
    title: z.string().min(1).max(200),
    definition: z.string().min(1),
    numerator: z.string().min(1),
    denominator: z.string().min(1),
    unit: z.string().min(1).max(60),
    sourceFields: z.array(z.string().regex(/^[a-z_]+\.[a-z_]+$/)).min(1),
    columns: z.array(Column).min(1),
    /** Sums between columns of one row: [total, part, part, …]. */
    sums: z.array(z.array(code).min(3)),
    figures: z.array(Figure),
    breakdowns: z.array(z.enum(DIMENSION_CODES)).min(1),
    scopes: z.array(z.enum(SCOPES)).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const columns = new Set(m.columns.map((c) => c.code));
    if (columns.size !== m.columns.length)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'column codes repeat' });
    for (const sum of m.sums)
      for (const c of sum)
        if (!columns.has(c)) ctx.addIssue({ code: 'custom', path: ['sums'], message: `no column ${c}` });
  });
export type Measure = z.infer<typeof Measure>;

const Provenance = {
  source: z.string().min(1),
  verified: z.boolean(),
  note: z.string().nullable().optional(),
};

export const EvaluationFile = z
  .object({
    ...Provenance,
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    periods: z.object({ fiscalYearStartMonth: z.number().int().min(1).max(12), ...Provenance }).strict(),
    metro: z.object({ regions: z.array(z.string().min(1)).min(1), ...Provenance }).strict(),
    measures: z.array(Measure).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const codes = f.measures.map((m) => m.code);
    for (const c of MEASURE_CODES)
      if (!codes.includes(c))
        ctx.addIssue({ code: 'custom', path: ['measures'], message: `${c} is missing` });
    if (new Set(codes).size !== codes.length)
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'measure codes repeat' });
  });
export type EvaluationFile = z.infer<typeof EvaluationFile>;

/** Reads and checks `evaluation.json` of a pack; an error names the file and the field. */
export function loadEvaluationFile(packDir: string): EvaluationFile {
  const file = join(packDir, 'evaluation.json');
  const parsed = EvaluationFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The measure with a code (the file has every code: loading checks it). */
export const measureOf = (file: EvaluationFile, code: MeasureCode): Measure =>
  file.measures.find((m) => m.code === code)!;
