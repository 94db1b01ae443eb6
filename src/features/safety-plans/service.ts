/**
 * A young person's safety plan, made with their navigator: the warning signs they watch for, people
 * they can reach, places where they are safe, a code word, what they do when they are in danger, and
 * the lines they can call (chosen from the jurisdiction pack's lines, plus their own).
 *
 * Every save is a new version (never overwritten): the history of the plan stays with the case. The
 * content is one encrypted JSON document per version, under the case's key. Reading a plan (the tab,
 * an earlier version, the printable copy) is audited; saving writes the case's timeline and an audit
 * record, in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../platform/access.ts';
import type { Line } from '../help/rules.ts';
import { staffNames } from '../queue/service.ts';
import {
  CaseError,
  auditCase,
  caseScopeOf,
  findCase,
  nowOf,
  openCaseField,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type CaseRow,
  type RequestOrigin,
} from '../cases/core.ts';
import { caseLabel } from '../tasks/service.ts';

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

/**
 * Checks a plan against the schema and the pack's lines; the error names the field.
 *
 * @example
 * checkSafetyPlan({ ...EMPTY_PLAN, lines: ['day-one'] }, lines) // the plan
 * checkSafetyPlan({ ...EMPTY_PLAN, lines: ['nope'] }, lines) // throws CaseError 'invalid' on 'lines'
 */
export function checkSafetyPlan(raw: unknown, lines: readonly Pick<Line, 'id'>[]): SafetyPlanContent {
  const parsed = SafetyPlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CaseError('invalid', issue.message, fieldOf(issue.path));
  }
  if (parsed.data.lines.some((id) => !lines.some((l) => l.id === id)))
    throw new CaseError('invalid', 'Choose lines from the list.', 'lines');
  return parsed.data;
}

/** True when nothing has been written in the plan. */
export const isEmptyPlan = (p: SafetyPlanContent) =>
  !p.warningSigns.length &&
  !p.safePeople.length &&
  !p.safePlaces.length &&
  p.codeWord === null &&
  p.inDanger === null &&
  !p.lines.length &&
  !p.customLines.length;

const contentAddress = (planId: string) => ({
  table: 'safety_plans',
  recordId: planId,
  field: 'content_encrypted',
});

export interface SafetyPlanVersion {
  version: number;
  createdAt: Date;
  createdBy: { id: string; name: string };
}

export interface CaseSafetyPlan {
  case: CaseRow;
  label: string;
  /** Every version, newest first (no content). */
  versions: SafetyPlanVersion[];
  /** The version asked for (default the latest) with its content; null when there is no plan yet. */
  current: (SafetyPlanVersion & { content: SafetyPlanContent }) | null;
  latestVersion: number | null;
}

/**
 * The case's safety plan: the versions, and one of them (default the latest) decrypted. An audited read
 * (`safety_plan.read`, or `safety_plan.print` for the printable copy).
 *
 * @example
 * const plan = await readSafetyPlan(ctx, navigator, caseId, origin);
 * plan.current?.content.codeWord // 'bluebird'
 */
export async function readSafetyPlan(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
  options: { version?: number; purpose?: 'read' | 'print' } = {},
): Promise<CaseSafetyPlan> {
  if (!caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see cases.');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = await trx
      .selectFrom('safety_plans')
      .select(['id', 'version', 'created_at', 'created_by'])
      .where('case_id', '=', row.id)
      .orderBy('version', 'desc')
      .execute();
    const names = await staffNames(
      ctx,
      rows.map((r) => r.created_by),
      trx,
    );
    const versions = rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at,
      createdBy: { id: r.created_by, name: names.get(r.created_by) ?? 'a colleague' },
    }));
    const wanted = options.version ?? rows[0]?.version;
    const chosen = rows.find((r) => r.version === wanted);
    if (options.version !== undefined && !chosen)
      throw new CaseError('not_found', 'This case has no safety plan with that version number.');
    let current: CaseSafetyPlan['current'] = null;
    if (chosen) {
      const sealed = await trx
        .selectFrom('safety_plans')
        .select('content_encrypted')
        .where('id', '=', chosen.id)
        .executeTakeFirstOrThrow();
      const content = SafetyPlanSchema.parse(
        JSON.parse(await openCaseField(ctx.keyring, contentAddress(chosen.id), sealed.content_encrypted)),
      );
      current = { ...versions.find((v) => v.version === chosen.version)!, content };
    }
    const label = await caseLabel(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: options.purpose === 'print' ? 'safety_plan.print' : 'safety_plan.read',
      caseId: row.id,
      subjectType: 'safety_plan',
      subjectId: chosen?.id ?? row.id,
      details: { version: chosen?.version ?? null },
    });
    return { case: row, label, versions, current, latestVersion: rows[0]?.version ?? null };
  });
}

/**
 * Saves a new version of the case's safety plan (the earlier ones stay). A navigator of the case's
 * region may, while the case is open. Returns the new version number.
 *
 * @example
 * await saveSafetyPlan(ctx, navigator, caseId, { ...EMPTY_PLAN, codeWord: 'bluebird', lines: ['day-one'] }, lines, origin); // 1
 */
export async function saveSafetyPlan(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  raw: unknown,
  lines: readonly Pick<Line, 'id'>[],
  origin: RequestOrigin,
): Promise<number> {
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to change safety plans.');
  const content = checkSafetyPlan(raw, lines);
  if (isEmptyPlan(content))
    throw new CaseError('invalid', 'Write at least one part of the plan before saving it.', 'warningSigns');
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    // The case's row lock serialises saves, so two people saving at once get two versions.
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: its safety plan cannot change.');
    const last = await trx
      .selectFrom('safety_plans')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('case_id', '=', row.id)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const id = randomUUID();
    await trx
      .insertInto('safety_plans')
      .values({
        id,
        case_id: row.id,
        version,
        content_encrypted: await sealCaseField(
          ctx.keyring,
          row.id,
          contentAddress(id),
          JSON.stringify(content),
          trx,
        ),
        created_by: actor.userId,
        created_at: now,
      })
      .execute();
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'safety_plan.saved',
      detail: { plan: id, version },
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'safety_plan.save',
      caseId: row.id,
      subjectType: 'safety_plan',
      subjectId: id,
      details: { version },
    });
    return version;
  });
}
