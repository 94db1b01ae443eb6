/**
 * The database side of certified settings: settings with their organization, program and staff counts,
 * their direct-contact staff, the organizations and programs a state administrator chooses from, and the
 * reminder job's candidates. No access checks here: the service decides who may call what.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { CertifiedSettingsTable } from './tables.ts';

type Db = Database | Transaction<DB>;

/** Settings with their organization's and program's names; by name. */
export async function settingRows(db: Db, where: { id?: string; organizationId?: string }) {
  let q = db
    .selectFrom('certified_settings as s')
    .innerJoin('member_organizations as o', 'o.id', 's.organization_id')
    .leftJoin('housing_programs as p', 'p.id', 's.program_id')
    .select([
      's.id',
      's.organization_id',
      's.program_id',
      's.name',
      's.license_number',
      's.certification_number',
      's.certified_on',
      's.expires_on',
      's.status',
      'o.name as organization_name',
      'p.name as program_name',
    ]);
  if (where.id !== undefined) q = q.where('s.id', '=', where.id);
  if (where.organizationId !== undefined) q = q.where('s.organization_id', '=', where.organizationId);
  return q.orderBy('s.name').orderBy('s.id').execute();
}
export type SettingRow = Awaited<ReturnType<typeof settingRows>>[number];

/** The start and training dates of the staff of the settings (no names), for counts. */
export async function staffDates(db: Db, settingIds: readonly string[]) {
  if (settingIds.length === 0) return [];
  return db
    .selectFrom('certified_setting_staff')
    .select(['setting_id', 'started_on', 'trained_on'])
    .where('setting_id', 'in', settingIds)
    .execute();
}

/** The setting's direct-contact staff with their sealed names, earliest start first. */
export async function staffRows(db: Db, settingId: string) {
  return db
    .selectFrom('certified_setting_staff')
    .select(['id', 'setting_id', 'name_encrypted', 'role_title', 'started_on', 'trained_on'])
    .where('setting_id', '=', settingId)
    .orderBy('started_on')
    .orderBy('id')
    .execute();
}
export type StaffRow = Awaited<ReturnType<typeof staffRows>>[number];

/** The sealed notes of a setting. */
export async function sealedNotes(db: Db, id: string): Promise<Buffer | null> {
  const row = await db
    .selectFrom('certified_settings')
    .select('notes_encrypted')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.notes_encrypted ?? null;
}

/** An active member organization's name, or undefined. */
export async function activeOrganization(db: Db, id: string) {
  return db
    .selectFrom('member_organizations')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** The active organizations a setting may belong to, shelter and housing providers first. */
export async function organizationChoices(db: Db) {
  return db
    .selectFrom('member_organizations')
    .select(['id', 'name', 'type'])
    .where('disabled_at', 'is', null)
    .orderBy(sql`type = 'shelter_housing'`, 'desc')
    .orderBy('name')
    .execute();
}

/** Every housing program with its organization, by organization and name. */
export async function programChoices(db: Db) {
  return db
    .selectFrom('housing_programs as p')
    .innerJoin('member_organizations as o', 'o.id', 'p.organization_id')
    .select(['p.id', 'p.name', 'p.organization_id', 'o.name as organization_name'])
    .where('o.disabled_at', 'is', null)
    .orderBy('o.name')
    .orderBy('p.name')
    .execute();
}

/** The organization a housing program belongs to, or undefined. */
export async function programOrganization(db: Db, programId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('housing_programs')
    .select('organization_id')
    .where('id', '=', programId)
    .executeTakeFirst();
  return row?.organization_id;
}

export interface SettingColumns {
  name: string;
  program_id: string | null;
  license_number: string;
  certification_number: string;
  certified_on: string;
  expires_on: string;
  status: CertifiedSettingsTable['status'];
  notes_encrypted: Buffer | null;
}

export async function insertSetting(
  trx: Transaction<DB>,
  s: SettingColumns & { id: string; organization_id: string; created_by: string; at: Date },
): Promise<void> {
  const { at, ...columns } = s;
  await trx
    .insertInto('certified_settings')
    .values({ ...columns, updated_by: s.created_by, created_at: at, updated_at: at })
    .execute();
}

/** The setting's row locked for a change. */
export async function lockSetting(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('certified_settings')
    .select(['id', 'organization_id', 'name', 'expires_on', 'status', 'reminded_60_for', 'reminded_30_for'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateSetting(
  trx: Transaction<DB>,
  id: string,
  s: SettingColumns & { updated_by: string; at: Date },
): Promise<void> {
  const { at, ...columns } = s;
  await trx
    .updateTable('certified_settings')
    .set({ ...columns, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function insertStaff(
  trx: Transaction<DB>,
  p: {
    id: string;
    setting_id: string;
    name_encrypted: Buffer;
    role_title: string;
    started_on: string;
    trained_on: string | null;
    created_by: string;
    at: Date;
  },
): Promise<void> {
  const { at, ...columns } = p;
  await trx
    .insertInto('certified_setting_staff')
    .values({ ...columns, created_at: at, updated_at: at })
    .execute();
}

/** The staff member of the setting, locked for a change. */
export async function lockStaff(trx: Transaction<DB>, settingId: string, id: string) {
  return trx
    .selectFrom('certified_setting_staff')
    .select(['id', 'trained_on'])
    .where('id', '=', id)
    .where('setting_id', '=', settingId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateStaff(
  trx: Transaction<DB>,
  id: string,
  p: { name_encrypted: Buffer; role_title: string; started_on: string; trained_on: string | null; at: Date },
): Promise<void> {
  const { at, ...columns } = p;
  await trx
    .updateTable('certified_setting_staff')
    .set({ ...columns, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function deleteStaff(trx: Transaction<DB>, id: string): Promise<void> {
  await trx.deleteFrom('certified_setting_staff').where('id', '=', id).execute();
}

/**
 * Settings whose 60-day or 30-day reminder may be due on `today`: not revoked, expiring from today to
 * 60 days on, and a reminder not yet sent for the expiry date (the job decides, under the row lock).
 */
export async function reminderCandidates(db: Db, today: string, horizon: string): Promise<string[]> {
  const rows = await db
    .selectFrom('certified_settings')
    .select('id')
    .where('status', '<>', 'revoked')
    .where('expires_on', '>=', today)
    .where('expires_on', '<=', horizon)
    .where((eb) =>
      eb.or([eb('reminded_30_for', 'is', null), eb('reminded_30_for', '<>', eb.ref('expires_on'))]),
    )
    .orderBy('expires_on')
    .execute();
  return rows.map((r) => r.id);
}

/** Records that the reminder of `days` went out for the expiry date (the 30-day one covers the 60-day). */
export async function markReminded(
  trx: Transaction<DB>,
  id: string,
  days: 60 | 30,
  expiresOn: string,
): Promise<void> {
  await trx
    .updateTable('certified_settings')
    .set(
      days === 30
        ? { reminded_30_for: expiresOn, reminded_60_for: expiresOn }
        : { reminded_60_for: expiresOn },
    )
    .where('id', '=', id)
    .execute();
}
