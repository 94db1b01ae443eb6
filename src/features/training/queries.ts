/**
 * The database side of required trainings: the catalogue, the rules, trainer assignments, the people an
 * organization lists, completions and certificates, and the reminders already sent. No access checks
 * here: the service decides who may call what.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { TrainingCompletionsTable, TrainingCoursesTable, TrainingRequirementsTable } from './tables.ts';

type Db = Database | Transaction<DB>;

export const courseRows = (db: Db) => db.selectFrom('training_courses').selectAll().orderBy('code').execute();
export type CourseRow = Awaited<ReturnType<typeof courseRows>>[number];

export const courseRow = (db: Db, code: string) =>
  db.selectFrom('training_courses').selectAll().where('code', '=', code).executeTakeFirst();

export const lockCourse = (trx: Transaction<DB>, code: string) =>
  trx.selectFrom('training_courses').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();

export async function saveCourse(db: Db, row: Insertable<TrainingCoursesTable>): Promise<void> {
  const { code: _code, ...rest } = row;
  await db
    .insertInto('training_courses')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet(rest))
    .execute();
}

export const requirementRows = (db: Db) =>
  db.selectFrom('training_requirements').selectAll().orderBy('title').orderBy('id').execute();
export type RequirementRow = Awaited<ReturnType<typeof requirementRows>>[number];

export const lockRequirement = (trx: Transaction<DB>, id: string) =>
  trx.selectFrom('training_requirements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function saveRequirement(db: Db, row: Insertable<TrainingRequirementsTable>): Promise<void> {
  const { id: _id, ...rest } = row;
  await db
    .insertInto('training_requirements')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(rest))
    .execute();
}

/** Which courses and pack rows an administrator has edited (a pack import keeps those). */
export async function editedIds(db: Db): Promise<{ courses: Set<string>; requirements: Set<string> }> {
  const courses = await db
    .selectFrom('training_courses')
    .select('code')
    .where('edited_at', 'is not', null)
    .execute();
  const reqs = await db
    .selectFrom('training_requirements')
    .select('id')
    .where('edited_at', 'is not', null)
    .execute();
  return { courses: new Set(courses.map((c) => c.code)), requirements: new Set(reqs.map((r) => r.id)) };
}

// ---------------------------------------------------------------------------------------------------
// Trainers

export const trainersOf = (db: Db, code: string) =>
  db
    .selectFrom('training_course_trainers as t')
    .innerJoin('staff_users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.display_name_encrypted', 'u.email_encrypted'])
    .where('t.course_code', '=', code)
    .orderBy('t.created_at')
    .execute();

export const activeTrainers = (db: Db) =>
  db
    .selectFrom('staff_users')
    .select(['id', 'display_name_encrypted', 'email_encrypted'])
    .where('role', '=', 'trainer')
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();

export async function teaches(db: Db, userId: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('training_course_trainers')
    .select('course_code')
    .where('user_id', '=', userId)
    .where('course_code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export const coursesTaught = async (db: Db, userId: string) =>
  (
    await db
      .selectFrom('training_course_trainers')
      .select('course_code')
      .where('user_id', '=', userId)
      .execute()
  ).map((r) => r.course_code);

export async function assignTrainer(db: Db, code: string, userId: string, by: string): Promise<boolean> {
  const r = await db
    .insertInto('training_course_trainers')
    .values({ course_code: code, user_id: userId, assigned_by: by })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function unassignTrainer(db: Db, code: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('training_course_trainers')
    .where('course_code', '=', code)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------------
// Organizations and regions

export const organizationRows = (db: Db, where: { id?: string; ids?: readonly string[] } = {}) => {
  let q = db
    .selectFrom('member_organizations as o')
    .select([
      'o.id',
      'o.name',
      'o.type',
      sql<
        string[]
      >`coalesce((select array_agg(r.region_id order by r.region_id) from training_organization_regions r where r.organization_id = o.id), '{}')`.as(
        'region_ids',
      ),
    ])
    .where('o.disabled_at', 'is', null);
  if (where.id !== undefined) q = q.where('o.id', '=', where.id);
  if (where.ids !== undefined)
    q = q.where('o.id', 'in', where.ids.length ? where.ids : ['00000000-0000-0000-0000-000000000000']);
  return q.orderBy('o.name').execute();
};
export type OrganizationRow = Awaited<ReturnType<typeof organizationRows>>[number];

export const organizationsInRegion = async (db: Db, regionId: string) =>
  (
    await db
      .selectFrom('training_organization_regions')
      .select('organization_id')
      .where('region_id', '=', regionId)
      .execute()
  ).map((r) => r.organization_id);

export async function setOrganizationRegions(
  trx: Transaction<DB>,
  organizationId: string,
  regionIds: readonly string[],
) {
  await trx
    .deleteFrom('training_organization_regions')
    .where('organization_id', '=', organizationId)
    .execute();
  if (regionIds.length)
    await trx
      .insertInto('training_organization_regions')
      .values(regionIds.map((region_id) => ({ organization_id: organizationId, region_id })))
      .execute();
}

export const regionRows = (db: Db) =>
  db.selectFrom('regions').select(['id', 'name']).orderBy('name').execute();

// ---------------------------------------------------------------------------------------------------
// People and completions

/** Active staff accounts of the organizations (no names: for counts). */
export const staffPeople = (db: Db, organizationIds: readonly string[]) =>
  organizationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('staff_users')
        .select(['id', 'organization_id', 'role', 'created_at', 'display_name_encrypted', 'email_encrypted'])
        .where('organization_id', 'in', organizationIds)
        .where('disabled_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
export type StaffPersonRow = Awaited<ReturnType<typeof staffPeople>>[number];

/** Roster entries of the organizations still listed. */
export const rosterPeople = (db: Db, organizationIds: readonly string[]) =>
  organizationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('training_roster')
        .select([
          'id',
          'organization_id',
          'role',
          'title',
          'started_on',
          'created_at',
          'name_encrypted',
          'email_encrypted',
          'email_index',
          'initials',
        ])
        .where('organization_id', 'in', organizationIds)
        .where('removed_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
export type RosterRow = Awaited<ReturnType<typeof rosterPeople>>[number];

export const rosterEntry = (db: Db, organizationId: string, id: string) =>
  db
    .selectFrom('training_roster')
    .select(['id', 'organization_id', 'initials', 'name_encrypted'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();

export const staffPerson = (db: Db, organizationId: string, id: string) =>
  db
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'display_name_encrypted'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();

/** Staff accounts by their email's blind index (any organization: the caller checks). */
export const staffByEmailIndex = (db: Db, indexes: readonly string[]) =>
  indexes.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('staff_users')
        .select(['id', 'organization_id', 'email_index', 'display_name_encrypted'])
        .where('email_index', 'in', indexes)
        .where('disabled_at', 'is', null)
        .execute();

export const rosterByEmailIndex = (db: Db, organizationId: string, indexes: readonly string[]) =>
  indexes.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('training_roster')
        .select(['id', 'email_index', 'initials'])
        .where('organization_id', '=', organizationId)
        .where('email_index', 'in', indexes)
        .where('removed_at', 'is', null)
        .execute();

/** The organizations whose roster lists a person by their email's blind index. */
export const rosterOrganizationsByEmailIndex = async (db: Db, index: string): Promise<string[]> =>
  (
    await db
      .selectFrom('training_roster')
      .select('organization_id')
      .distinct()
      .where('email_index', '=', index)
      .where('removed_at', 'is', null)
      .execute()
  ).map((r) => r.organization_id);

/** The roster entries (any organization) of a person by their email's blind index. */
export const rosterIdsByEmailIndex = async (db: Db, index: string): Promise<string[]> =>
  (
    await db
      .selectFrom('training_roster')
      .select('id')
      .where('email_index', '=', index)
      .where('removed_at', 'is', null)
      .execute()
  ).map((r) => r.id);

/** Deletes the completions an event's attendance recorded for these people; answers how many. */
export async function deleteEventCompletions(
  trx: Transaction<DB>,
  eventId: string,
  people: { staffIds: readonly string[]; rosterIds: readonly string[] },
): Promise<number> {
  if (people.staffIds.length === 0 && people.rosterIds.length === 0) return 0;
  const done = await trx
    .deleteFrom('training_completions')
    .where('event_id', '=', eventId)
    .where('source', '=', 'event')
    .where((eb) =>
      eb.or([
        ...(people.staffIds.length ? [eb('staff_user_id', 'in', people.staffIds)] : []),
        ...(people.rosterIds.length ? [eb('roster_id', 'in', people.rosterIds)] : []),
      ]),
    )
    .executeTakeFirst();
  return Number(done.numDeletedRows);
}

/** Active organizations of the network with this name, letter case and spaces at either end aside. */
export const activeOrganizationsNamed = async (db: Db, name: string): Promise<string[]> =>
  (
    await db
      .selectFrom('member_organizations')
      .select('id')
      .where(sql<boolean>`lower(trim(name)) = ${name}`)
      .where('disabled_at', 'is', null)
      .execute()
  ).map((r) => r.id);

export async function removeRosterEntry(trx: Transaction<DB>, organizationId: string, id: string, at: Date) {
  const r = await trx
    .updateTable('training_roster')
    .set({ removed_at: at, updated_at: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const completionRows = (db: Db, organizationIds: readonly string[]) =>
  organizationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('training_completions')
        .select([
          'id',
          'organization_id',
          'staff_user_id',
          'roster_id',
          'course_code',
          'completed_on',
          'source',
          'certificate_code',
        ])
        .where('organization_id', 'in', organizationIds)
        .orderBy('completed_on')
        .orderBy('id')
        .execute();
export type CompletionRow = Awaited<ReturnType<typeof completionRows>>[number];

/** Inserts completions; one already recorded (same person, course and day) is left as it is. */
export async function insertCompletions(
  trx: Transaction<DB>,
  rows: readonly Insertable<TrainingCompletionsTable>[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const r = await trx
      .insertInto('training_completions')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.expression(sql`coalesce(staff_user_id, roster_id), course_code, completed_on`).doNothing(),
      )
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** A completion with its course's title and organization's name. */
export const completionDetail = (db: Db, where: { id?: string; code?: string }) => {
  let q = db
    .selectFrom('training_completions as c')
    .innerJoin('training_courses as k', 'k.code', 'c.course_code')
    .innerJoin('member_organizations as o', 'o.id', 'c.organization_id')
    .select([
      'c.id',
      'c.organization_id',
      'c.staff_user_id',
      'c.roster_id',
      'c.course_code',
      'c.completed_on',
      'c.source',
      'c.certificate_code',
      'c.initials',
      'k.title as course_title',
      'k.provider',
      'o.name as organization_name',
    ]);
  if (where.id !== undefined) q = q.where('c.id', '=', where.id);
  if (where.code !== undefined) q = q.where('c.certificate_code', '=', where.code);
  return q.executeTakeFirst();
};

// ---------------------------------------------------------------------------------------------------
// Reminders

/** Records a reminder; false when it was already sent (once per person, rule, state and due day). */
export async function claimReminder(
  trx: Transaction<DB>,
  r: { personId: string; requirementId: string; state: 'due' | 'overdue'; dueOn: string; at: Date },
): Promise<boolean> {
  const res = await trx
    .insertInto('training_reminders')
    .values({
      person_id: r.personId,
      requirement_id: r.requirementId,
      state: r.state,
      due_on: r.dueOn,
      sent_at: r.at,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const organizationAdmins = (db: Db, organizationId: string) =>
  db
    .selectFrom('staff_users')
    .select(['id', 'email_encrypted'])
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'org_admin')
    .where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null)
    .orderBy('id')
    .execute();
