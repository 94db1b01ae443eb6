/**
 * A safety plan's content, one definition for the staff form, the service and storage: each message
 * names what is wrong in plain words, and `fieldOf` names the form field.
 */
import { z } from 'zod';

/** Control characters other than line breaks and tabs. */
const plain = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `Write ${what}, or leave the row empty.`)
    .max(max, `Keep ${what} to ${max} characters or fewer.`)
    .refine((v) => !/\p{Cc}/u.test(v.replace(/[\n\r\t]/g, '')), 'Use letters, numbers and punctuation.');

export const SAFETY_PLAN_LIMITS = {
  warningSigns: 15,
  safePeople: 8,
  safePlaces: 8,
  customLines: 5,
} as const;

/** A phone number to dial: digits, with an optional leading +, spaces, dashes, dots and brackets. */
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{3,30}$/, 'Write a phone number with digits, for example 612-555-0100.')
  .refine((v) => v.replace(/\D/g, '').length >= 3, 'Write a phone number with at least 3 digits.');

export const SafetyPlanSchema = z
  .object({
    /** Signs that things are getting unsafe, in the young person's words. */
    warningSigns: z.array(plain(300, 'a warning sign')).max(SAFETY_PLAN_LIMITS.warningSigns),
    /** People they can reach, and how (a phone number, where to find them). */
    safePeople: z
      .array(z.object({ name: plain(100, 'the name'), contact: plain(200, 'how to reach them') }).strict())
      .max(SAFETY_PLAN_LIMITS.safePeople),
    safePlaces: z.array(plain(300, 'a safe place')).max(SAFETY_PLAN_LIMITS.safePlaces),
    /** A word that tells a trusted person "I need help" without saying it. */
    codeWord: plain(100, 'the code word').nullable(),
    /** What they will do when they are in danger. */
    inDanger: plain(2000, 'what to do in danger').nullable(),
    /** Line ids of the jurisdiction pack (`lines.json`). */
    lines: z
      .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
      .max(20)
      .refine((l) => new Set(l).size === l.length, 'A line is chosen twice.'),
    /** Other numbers: a counsellor, a shelter. */
    customLines: z
      .array(z.object({ name: plain(100, 'who it is'), phone }).strict())
      .max(SAFETY_PLAN_LIMITS.customLines),
  })
  .strict();
export type SafetyPlanContent = z.infer<typeof SafetyPlanSchema>;

export const EMPTY_PLAN: SafetyPlanContent = {
  warningSigns: [],
  safePeople: [],
  safePlaces: [],
  codeWord: null,
  inDanger: null,
  lines: [],
  customLines: [],
};

/** The form field (element id) of a zod issue's path: `safePeople.1.contact` → `safePeople-1-contact`. */
export const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('-') || 'warningSigns';

/** The plan's schema with the pack's lines as the choices of `lines`. */
export const safetyPlanSchema = (lines: readonly { id: string }[]) =>
  SafetyPlanSchema.superRefine((plan, ctx) => {
    if (plan.lines.some((id) => !lines.some((l) => l.id === id)))
      ctx.addIssue({ code: 'custom', message: 'Choose lines from the list.', path: ['lines'] });
  });

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/**
 * A stored plan of any shape this service ever wrote, in today's shape: plans are kept for good, so a
 * plan saved before a field was renamed or added must still open. Earlier shapes: a safe person's
 * `howToReach` (now `contact`), no `customLines`, no `codeWord`/`inDanger`. Empty rows are dropped;
 * what is still not a plan after that is a fault in storage and throws.
 */
export function readStoredPlan(stored: unknown): SafetyPlanContent {
  const raw = record(stored);
  const upgraded = {
    warningSigns: list(raw.warningSigns).filter((s) => text(s) !== null),
    safePeople: list(raw.safePeople)
      .map(record)
      .map((p) => ({ name: text(p.name), contact: text(p.contact) ?? text(p.howToReach) }))
      .filter((p) => p.name !== null || p.contact !== null)
      .map((p) => ({ name: p.name ?? 'Someone safe', contact: p.contact ?? 'Not written down' })),
    safePlaces: list(raw.safePlaces).filter((s) => text(s) !== null),
    codeWord: text(raw.codeWord),
    inDanger: text(raw.inDanger),
    lines: [...new Set(list(raw.lines).filter((l): l is string => typeof l === 'string'))],
    customLines: list(raw.customLines)
      .map(record)
      .filter((l) => text(l.name) !== null || text(l.phone) !== null),
  };
  return SafetyPlanSchema.parse(upgraded);
}
