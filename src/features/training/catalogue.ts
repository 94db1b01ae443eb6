/**
 * The training catalogue and its rules: courses (with their provenance, renewal and equivalents), the
 * requirements of who must complete what, and which trainers teach which course. The pack's
 * `training.json` seeds them (`importTrainingPack`, a step of `nwd import-pack`); state administrators
 * and trainers edit them in the product (`training.manage`), every change audited, and a later pack
 * import keeps an edited row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { authorize, mayTake, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { decryptField, type Keyring } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import * as q from './queries.ts';
import type { CourseRule, RequirementRule } from './rules.ts';
import { CourseInput, RequirementInput, TrainerInput, TrainingFile } from './schema.ts';

const MANAGE = { message: 'State administrators and trainers keep the training catalogue.' };
const NO_COURSE = 'There is no such course.';

/** Whether the actor sees the catalogue at all (anyone with a training permission). */
export const seesCatalogue = (actor: Actor): boolean =>
  mayTake(actor, 'training.manage') ||
  mayTake(actor, 'training.record') ||
  mayTake(actor, 'training.compliance');

export const toCourseRule = (c: q.CourseRow): CourseRule => ({
  code: c.code,
  renewal: c.renewal,
  renewalYears: c.renewal_years,
  equivalents: c.equivalents,
});

export const toRequirementRule = (r: q.RequirementRow): RequirementRule => ({
  courseCodes: r.course_codes,
  roles: r.roles,
  organizationTypes: r.organization_types,
  withinDays: r.within_days,
});

export interface Catalogue {
  courses: q.CourseRow[];
  requirements: q.RequirementRow[];
  rules: Map<string, CourseRule>;
}

/** The catalogue as the compliance rules read it (no access check: callers check). */
export async function loadCatalogue(db: Database | Transaction<DB>): Promise<Catalogue> {
  const courses = await q.courseRows(db);
  const requirements = await q.requirementRows(db);
  return { courses, requirements, rules: new Map(courses.map((c) => [c.code, toCourseRule(c)])) };
}

export async function catalogue(db: Database, actor: Actor): Promise<Catalogue> {
  if (!seesCatalogue(actor)) authorize(actor, 'training.manage', undefined, MANAGE);
  return loadCatalogue(db);
}

async function checkCodes(
  db: Database | Transaction<DB>,
  codes: readonly string[],
  field: string,
  self?: string,
) {
  const known = new Set((await q.courseRows(db)).map((c) => c.code));
  if (self) known.add(self);
  const missing = codes.filter((c) => !known.has(c));
  if (missing.length)
    throw new InputError(`There is no course ${missing.join(', ')} in the catalogue.`, field);
}

/**
 * Adds a course (`code` null) or changes one: `training.manage`, audited (`training.course.create` /
 * `training.course.update`). An edited course is kept by later pack imports.
 *
 * @example
 * await saveCourse(db, trainer, null, { code: 'T1', title: 'Synthetic course', provider: 'Synthetic provider', … }, origin);
 */
export async function saveCourse(
  db: Database,
  actor: Actor,
  code: string | null,
  input: unknown,
  origin: RequestOrigin,
  now = new Date(),
): Promise<string> {
  authorize(actor, 'training.manage', undefined, MANAGE);
  const parsed = CourseInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const c = parsed.data;
  return db.transaction().execute(async (trx) => {
    const before = await q.lockCourse(trx, code ?? c.code);
    if (code !== null && !before) throw new ServiceError('not_found', NO_COURSE);
    if (code === null && before)
      throw new InputError('A course with this code is already in the catalogue.', 'code');
    if (c.equivalents.some((set) => set.includes(c.code)))
      throw new InputError('A course cannot be its own equivalent.', 'equivalents');
    await checkCodes(trx, c.equivalents.flat(), 'equivalents');
    await q.saveCourse(trx, {
      code: code ?? c.code,
      title: c.title,
      provider: c.provider,
      format: c.format,
      length_text: c.length,
      modules: c.modules,
      required_by: c.requiredBy,
      renewal: c.renewal,
      renewal_years: c.renewalYears,
      equivalents: JSON.stringify(c.equivalents),
      source: c.source,
      retrieved: now.toISOString().slice(0, 10),
      verified: c.verified,
      note: c.note,
      origin: before?.origin ?? 'staff',
      edited_at: now,
      edited_by: actor.userId,
    });
    await recordActorAudit(trx, actor, origin, {
      action: code === null ? 'training.course.create' : 'training.course.update',
      subjectType: 'training_course',
      subjectId: code ?? c.code,
      details: {
        renewal: c.renewal,
        verified: c.verified,
        equivalents: c.equivalents.map((s) => s.join('+')).join(' ') || null,
        verified_before: before?.verified ?? null,
      },
    });
    return code ?? c.code;
  });
}

/** Adds or changes a requirement (`training.manage`), audited; retiring one stops its compliance counts. */
export async function saveRequirement(
  db: Database,
  actor: Actor,
  id: string | null,
  input: unknown,
  origin: RequestOrigin,
  now = new Date(),
): Promise<string> {
  authorize(actor, 'training.manage', undefined, MANAGE);
  const parsed = RequirementInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const r = parsed.data;
  const key = id ?? r.id;
  return db.transaction().execute(async (trx) => {
    const before = await q.lockRequirement(trx, key);
    if (id !== null && !before) throw new ServiceError('not_found', 'There is no such requirement.');
    if (id === null && before)
      throw new InputError('A requirement with this name is already recorded.', 'id');
    await checkCodes(trx, r.courseCodes, 'courseCodes');
    await q.saveRequirement(trx, {
      id: key,
      title: r.title,
      course_codes: r.courseCodes,
      roles: r.roles,
      organization_types: r.organizationTypes,
      within_days: r.withinDays,
      source: r.source,
      retrieved: now.toISOString().slice(0, 10),
      verified: r.verified,
      note: r.note,
      origin: before?.origin ?? 'staff',
      retired_at: r.retired ? (before?.retired_at ?? now) : null,
      edited_at: now,
      edited_by: actor.userId,
    });
    await recordActorAudit(trx, actor, origin, {
      action: id === null ? 'training.requirement.create' : 'training.requirement.update',
      subjectType: 'training_requirement',
      subjectId: key,
      details: {
        courses: r.courseCodes.join(' '),
        within_days: r.withinDays,
        retired: r.retired,
        verified: r.verified,
      },
    });
    return key;
  });
}

// ---------------------------------------------------------------------------------------------------
// Trainers

export interface TrainerChoice {
  id: string;
  name: string;
}

async function named(
  keyring: Keyring,
  rows: { id: string; display_name_encrypted: Buffer | null; email_encrypted: Buffer }[],
) {
  return Promise.all(
    rows.map(async (u) => ({
      id: u.id,
      name: await decryptField(
        keyring,
        { table: 'staff_users', recordId: u.id, field: u.display_name_encrypted ? 'display_name' : 'email' },
        u.display_name_encrypted ?? u.email_encrypted,
      ),
    })),
  );
}

/** A course with the trainers who teach it, and (for `training.manage`) the trainers to choose from. */
export async function courseDetail(db: Database, keyring: Keyring, actor: Actor, code: string) {
  if (!seesCatalogue(actor)) authorize(actor, 'training.manage', undefined, MANAGE);
  const course = await q.courseRow(db, code);
  if (!course) throw new ServiceError('not_found', NO_COURSE);
  const manages = mayTake(actor, 'training.manage');
  return {
    course,
    trainers: manages ? await named(keyring, await q.trainersOf(db, code)) : [],
    choices: manages ? await named(keyring, await q.activeTrainers(db)) : [],
  };
}

/** Says a trainer teaches (or no longer teaches) a course: `training.manage`, audited. */
export async function setTrainer(
  db: Database,
  actor: Actor,
  code: string,
  input: unknown,
  teaches: boolean,
  origin: RequestOrigin,
): Promise<void> {
  authorize(actor, 'training.manage', undefined, MANAGE);
  const parsed = TrainerInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const { userId } = parsed.data;
  await db.transaction().execute(async (trx) => {
    if (!(await q.lockCourse(trx, code))) throw new ServiceError('not_found', NO_COURSE);
    const trainer = (await q.activeTrainers(trx)).find((t) => t.id === userId);
    if (teaches && !trainer) throw new InputError('Choose a person with the trainer role.', 'userId');
    const changed = teaches
      ? await q.assignTrainer(trx, code, userId, actor.userId)
      : await q.unassignTrainer(trx, code, userId);
    if (changed)
      await recordActorAudit(trx, actor, origin, {
        action: teaches ? 'training.trainer.assign' : 'training.trainer.unassign',
        subjectType: 'training_course',
        subjectId: code,
        details: { trainer_user_id: userId },
      });
  });
}

// ---------------------------------------------------------------------------------------------------
// The pack

/** What `importTrainingPack` did. */
export interface TrainingPackResult {
  courses: number;
  requirements: number;
  kept: string[];
}

/**
 * Loads `training.json` from the pack folder into the catalogue, inside the pack import's transaction.
 * A pack without the file is left alone; a course or rule an administrator edited is kept.
 *
 * @example
 * await importTrainingPack(trx, 'data/mn'); // { courses: 5, requirements: 1, kept: [] }
 */
export async function importTrainingPack(trx: Transaction<DB>, dir: string): Promise<TrainingPackResult> {
  const path = join(dir, 'training.json');
  if (!existsSync(path)) return { courses: 0, requirements: 0, kept: [] };
  const parsed = TrainingFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`training.json at /${issue.path.join('/')}: ${issue.message}`);
  }
  const file = parsed.data;
  const codes = new Set(file.courses.map((c) => c.code));
  for (const ref of [
    ...file.courses.flatMap((c) => c.equivalents.flat()),
    ...file.requirements.flatMap((r) => r.courseCodes),
  ])
    if (!codes.has(ref)) throw new Error(`training.json names course ${ref}, which it does not list.`);
  const edited = await q.editedIds(trx);
  const kept: string[] = [];
  for (const c of file.courses) {
    if (edited.courses.has(c.code)) {
      kept.push(`course:${c.code}`);
      continue;
    }
    await q.saveCourse(trx, {
      code: c.code,
      title: c.title,
      provider: c.provider,
      format: c.format,
      length_text: c.length,
      modules: c.modules,
      required_by: c.requiredBy,
      renewal: c.renewal,
      renewal_years: c.renewalYears,
      equivalents: JSON.stringify(c.equivalents),
      source: c.source,
      retrieved: c.retrieved,
      verified: c.verified,
      note: c.note ?? null,
      origin: 'pack',
    });
  }
  for (const r of file.requirements) {
    if (edited.requirements.has(r.id)) {
      kept.push(`requirement:${r.id}`);
      continue;
    }
    await q.saveRequirement(trx, {
      id: r.id,
      title: r.title,
      course_codes: r.courseCodes,
      roles: r.roles,
      organization_types: r.organizationTypes,
      within_days: r.withinDays,
      source: r.source,
      retrieved: r.retrieved,
      verified: r.verified,
      note: r.note ?? null,
      origin: 'pack',
    });
  }
  return { courses: file.courses.length, requirements: file.requirements.length, kept };
}
