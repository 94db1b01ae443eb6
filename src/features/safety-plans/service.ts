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
import { authorize, type Actor } from '../../platform/access.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import type { Line } from '../help/index.ts';
import { staffNames } from '../queue/service.ts';
import {
  auditCase,
  findCase,
  nowOf,
  openCaseField,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type CaseRow,
  type RequestOrigin,
} from '../cases/index.ts';
import { caseLabel } from '../tasks/service.ts';
import * as q from './queries.ts';
import { isEmptyPlan } from './rules.ts';
import { fieldOf, readStoredPlan, safetyPlanSchema, type SafetyPlanContent } from './schema.ts';

export * from './schema.ts';
export { isEmptyPlan } from './rules.ts';

/**
 * Checks a plan against the schema and the pack's lines; the error names the field.
 *
 * @example
 * checkSafetyPlan({ ...EMPTY_PLAN, lines: ['day-one'] }, lines) // the plan
 * checkSafetyPlan({ ...EMPTY_PLAN, lines: ['nope'] }, lines) // throws InputError on 'lines'
 */
export function checkSafetyPlan(raw: unknown, lines: readonly Pick<Line, 'id'>[]): SafetyPlanContent {
  const parsed = safetyPlanSchema(lines).safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InputError(issue.message, fieldOf(issue.path));
}

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
  authorize(actor, 'cases.read', undefined, { message: 'You do not have permission to see cases.' });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = await q.planVersions(trx, row.id);
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
      throw new ServiceError('not_found', 'This case has no safety plan with that version number.');
    let current: CaseSafetyPlan['current'] = null;
    if (chosen) {
      const sealed = await q.sealedContent(trx, chosen.id);
      const content = readStoredPlan(
        JSON.parse(await openCaseField(ctx.keyring, contentAddress(chosen.id), sealed)),
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
  authorize(actor, 'cases.write', undefined, {
    message: 'You do not have permission to change safety plans.',
  });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    // The case's row lock serialises saves, so two people saving at once get two versions.
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const content = checkSafetyPlan(raw, lines);
    if (isEmptyPlan(content))
      throw new InputError('Write at least one part of the plan before saving it.', 'warningSigns');
    if (row.status !== 'open')
      throw new ServiceError('conflict', 'This case is closed: its safety plan cannot change.');
    const version = await q.nextVersion(trx, row.id);
    const id = randomUUID();
    await q.insertPlan(trx, {
      id,
      caseId: row.id,
      version,
      content: await sealCaseField(ctx.keyring, row.id, contentAddress(id), JSON.stringify(content), trx),
      by: actor.userId,
      at: now,
    });
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
