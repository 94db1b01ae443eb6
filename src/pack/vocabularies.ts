/**
 * The answer lists a case uses (race and ethnicity, gender identity, how the young person came in,
 * types of exploitation, services delivered, housing at entry and exit, reasons, note categories, consent purposes): data in `data/<jurisdiction>/case-vocabularies.json`
 * with provenance, so an administrator can align them with the evaluator's data dictionary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const entry = z
  .object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), label: z.string().min(1).max(200) })
  .strict();
const list = z
  .array(entry)
  .min(1)
  .refine((l) => new Set(l.map((e) => e.code)).size === l.length, { message: 'codes repeat' });

export const VocabulariesSchema = z
  .object({
    source: z.string().min(1),
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    verified: z.boolean(),
    note: z.string().nullable().optional(),
    raceEthnicity: list,
    genderIdentity: list,
    sexualOrientation: list,
    services: list,
    /** How the young person came to the network: the intake forms' reporter roles (youth_self, …). */
    doors: list,
    /** The types of exploitation (multi-select; DOMAIN.md §2's definitions). */
    exploitationTypes: list,
    /** Housing at exit, and at entry (the same answers). */
    exitHousing: list,
    closeReasons: list,
    noteCategories: list,
    consentPurposes: list,
    declineReasons: list,
  })
  .strict();
export type Vocabularies = z.infer<typeof VocabulariesSchema>;
export type VocabularyName = Exclude<keyof Vocabularies, 'source' | 'retrieved' | 'verified' | 'note'>;

export function loadVocabularies(packDir: string): Vocabularies {
  const file = join(packDir, 'case-vocabularies.json');
  const parsed = VocabulariesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The codes of one list, for `z.enum`. */
export function codesOf(v: Vocabularies, name: VocabularyName): [string, ...string[]] {
  return v[name].map((e) => e.code) as [string, ...string[]];
}

/**
 * Codes the application itself writes, not chosen from a list: a note that keeps what a referral said
 * (written when a case is opened from it; nobody can pick it for a note of their own).
 */
export const SYSTEM_LABELS: Partial<Record<VocabularyName, Record<string, string>>> = {
  noteCategories: { intake: 'From the referral' },
};

/** The label of a code, or the code itself when the list no longer has it. */
export function labelOf(v: Vocabularies, name: VocabularyName, code: string): string {
  return v[name].find((e) => e.code === code)?.label ?? SYSTEM_LABELS[name]?.[code] ?? code;
}
