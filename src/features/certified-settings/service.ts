/**
 * Certified specialized residential settings (FFPSA): residential settings the state certifies for youth
 * who are, or are at risk of becoming, victims of sex trafficking or commercial sexual exploitation; each
 * belongs to a member organization (optionally one of its housing programs) and has a license number, a
 * certification number, certified and expiry dates and a status. Its organization keeps the list of its
 * direct-contact staff and the date each completed the commissioner-approved training (5 modules).
 *
 * Who may do what is the permission model's: `housing.certify` (state administrators, every setting)
 * records and changes the certification; `housing.manage` (organization administrators and provider
 * staff, their own organization) sees its settings and keeps its staff list. A setting of another
 * organization is answered like a missing one. Staff names and the notes are encrypted under the shared
 * data key; reading them is audited (`housing.setting.read`), and every change writes an audit record in
 * its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { recordActorAudit, recordReadAudit } from '../../platform/audit/audit.ts';
import { SHARED_SCOPE, decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { todayIn } from '../help/index.ts';
import * as q from './queries.ts';
import {
  DEFAULT_TRAINING_DAYS,
  daysBetween,
  shownStatus,
  trainingState,
  type RecordedStatus,
  type SettingStatus,
  type TrainingState,
} from './rules.ts';
import { CertificationInput, SettingInput, StaffMemberInput, type Certification } from './schema.ts';

export * from './rules.ts';

export interface SettingsContext {
  db: Database;
  keyring: Keyring;
  /** The pack's time zone: "today" for expiry and training. */
  timezone: string;
  /** Days after starting before missing training shows as overdue (`NWD_SETTING_TRAINING_DAYS`). */
  trainingDays: number;
  now?: () => Date;
}

export function settingsContext(deps: AppDeps): SettingsContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    timezone: deps.geography.get().timezone,
    trainingDays: deps.config.settingTrainingDays ?? DEFAULT_TRAINING_DAYS,
  };
}

const todayOf = (ctx: Pick<SettingsContext, 'now' | 'timezone'>) =>
  todayIn(ctx.timezone, ctx.now ? ctx.now() : new Date());
const nowOf = (ctx: Pick<SettingsContext, 'now'>) => (ctx.now ? ctx.now() : new Date());

const notesAt = (id: string) => ({
  scope: SHARED_SCOPE,
  table: 'certified_settings',
  recordId: id,
  field: 'notes_encrypted',
});
const nameAt = (id: string) => ({
  scope: SHARED_SCOPE,
  table: 'certified_setting_staff',
  recordId: id,
  field: 'name_encrypted',
});

/** A setting as its organization and the state see it in a list. */
export interface SettingView {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
  programId: string | null;
  programName: string | null;
  licenseNumber: string;
  certificationNumber: string;
  certifiedOn: string;
  expiresOn: string;
  daysToExpiry: number;
  recordedStatus: RecordedStatus;
  status: SettingStatus;
  staff: { total: number; trained: number; overdue: number };
}

export interface StaffMemberView {
  id: string;
  name: string;
  roleTitle: string;
  startedOn: string;
  trainedOn: string | null;
  training: TrainingState;
}

export interface SettingDetail {
  setting: SettingView;
  notes: string | null;
  staffMembers: StaffMemberView[];
  trainingDays: number;
}

type Dates = { started_on: string; trained_on: string | null };

function toView(
  row: q.SettingRow,
  staff: readonly Dates[],
  today: string,
  trainingDays: number,
): SettingView {
  const states = staff.map((p) =>
    trainingState({ startedOn: p.started_on, trainedOn: p.trained_on }, today, trainingDays),
  );
  return {
    id: row.id,
    name: row.name,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    programId: row.program_id,
    programName: row.program_name,
    licenseNumber: row.license_number,
    certificationNumber: row.certification_number,
    certifiedOn: row.certified_on,
    expiresOn: row.expires_on,
    daysToExpiry: daysBetween(today, row.expires_on),
    recordedStatus: row.status,
    status: shownStatus(row.status, row.expires_on, today),
    staff: {
      total: staff.length,
      trained: states.filter((s) => s === 'trained').length,
      overdue: states.filter((s) => s === 'overdue').length,
    },
  };
}

const VIEW_REFUSAL = { message: 'Only the setting’s own organization and state administrators see it.' };
const NOT_FOUND = 'There is no such certified setting.';
const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Whether the actor may see every setting (state administrators). */
export const seesEverySetting = (actor: Actor): boolean => can(actor, 'housing.certify', {});

/** The setting's row if the actor may see it; another organization's is answered as not found. */
async function visibleSetting(ctx: SettingsContext, actor: Actor, id: string): Promise<q.SettingRow> {
  if (!seesEverySetting(actor)) authorize(actor, 'housing.manage', undefined, VIEW_REFUSAL);
  const row = isId(id) ? (await q.settingRows(ctx.db, { id }))[0] : undefined;
  if (!row) throw new ServiceError('not_found', NOT_FOUND);
  if (!seesEverySetting(actor))
    authorize(
      actor,
      'housing.manage',
      { organizationId: row.organization_id },
      { ...VIEW_REFUSAL, hidden: true },
    );
  return row;
}

/**
 * The settings the actor may see, by name: every one for a state administrator, otherwise those of the
 * actor's organization. No personal data is read.
 */
export async function listSettings(ctx: SettingsContext, actor: Actor): Promise<SettingView[]> {
  const every = seesEverySetting(actor);
  if (!every) authorize(actor, 'housing.manage', { organizationId: actor.organizationId }, VIEW_REFUSAL);
  const rows = await q.settingRows(ctx.db, every ? {} : { organizationId: actor.organizationId });
  const dates = await q.staffDates(
    ctx.db,
    rows.map((r) => r.id),
  );
  const today = todayOf(ctx);
  return rows.map((r) =>
    toView(
      r,
      dates.filter((d) => d.setting_id === r.id),
      today,
      ctx.trainingDays,
    ),
  );
}

/**
 * One setting with its notes and its direct-contact staff (names decrypted). Reading the names or the
 * notes is audited (`housing.setting.read`).
 *
 * @example
 * const { setting, staffMembers } = await settingDetail(ctx, orgAdmin, id, origin);
 */
export async function settingDetail(
  ctx: SettingsContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
): Promise<SettingDetail> {
  const row = await visibleSetting(ctx, actor, id);
  const staff = await q.staffRows(ctx.db, row.id);
  const sealed = await q.sealedNotes(ctx.db, row.id);
  const today = todayOf(ctx);
  const staffMembers = await Promise.all(
    staff.map(async (p) => ({
      id: p.id,
      name: await decryptField(ctx.keyring, nameAt(p.id), p.name_encrypted),
      roleTitle: p.role_title,
      startedOn: p.started_on,
      trainedOn: p.trained_on,
      training: trainingState({ startedOn: p.started_on, trainedOn: p.trained_on }, today, ctx.trainingDays),
    })),
  );
  if (staff.length || sealed)
    await recordReadAudit(ctx.db, actor, origin, {
      action: 'housing.setting.read',
      subjectType: 'certified_setting',
      subjectId: row.id,
      details: { staff_members: staff.length, notes: sealed !== null },
    });
  return {
    setting: toView(row, staff, today, ctx.trainingDays),
    notes: sealed ? await decryptField(ctx.keyring, notesAt(row.id), sealed) : null,
    staffMembers,
    trainingDays: ctx.trainingDays,
  };
}

/** The organizations and housing programs a state administrator chooses from. */
export async function settingChoices(ctx: SettingsContext, actor: Actor) {
  authorize(actor, 'housing.certify', undefined, {
    message: 'Only state administrators record certifications.',
  });
  return {
    organizations: await q.organizationChoices(ctx.db),
    programs: await q.programChoices(ctx.db),
  };
}

/** The program, if given, must be one of the organization's. */
async function checkProgram(db: Database | Transaction<DB>, c: Certification, organizationId: string) {
  if (c.programId === null) return;
  if ((await q.programOrganization(db, c.programId)) !== organizationId)
    throw new InputError('Choose one of the organization’s own housing programs, or none.', 'programId');
}

async function columns(
  ctx: SettingsContext,
  trx: Transaction<DB>,
  id: string,
  c: Certification,
): Promise<q.SettingColumns> {
  return {
    name: c.name,
    program_id: c.programId,
    license_number: c.licenseNumber,
    certification_number: c.certificationNumber,
    certified_on: c.certifiedOn,
    expires_on: c.expiresOn,
    status: c.status,
    notes_encrypted: c.notes ? await encryptField(ctx.keyring, notesAt(id), c.notes, trx) : null,
  };
}

const certificationDetails = (c: Certification) => ({
  status: c.status,
  certified_on: c.certifiedOn,
  expires_on: c.expiresOn,
  program_linked: c.programId !== null,
});

/**
 * A new certified setting of an organization, recorded by a state administrator.
 *
 * @example
 * const id = await createSetting(ctx, stateAdmin, { organizationId, name: 'Synthetic House', licenseNumber: 'L-1', … }, origin);
 */
export async function createSetting(
  ctx: SettingsContext,
  actor: Actor,
  input: unknown,
  origin: RequestOrigin,
): Promise<string> {
  authorize(actor, 'housing.certify', undefined, {
    message: 'Only state administrators record certifications.',
  });
  const parsed = SettingInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const s = parsed.data;
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await q.activeOrganization(trx, s.organizationId)))
      throw new InputError('Choose the organization that runs the setting.', 'organizationId');
    await checkProgram(trx, s, s.organizationId);
    await q.insertSetting(trx, {
      ...(await columns(ctx, trx, id, s)),
      id,
      organization_id: s.organizationId,
      created_by: actor.userId,
      at: nowOf(ctx),
    });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.setting.create',
      subjectType: 'certified_setting',
      subjectId: id,
      details: { ...certificationDetails(s), setting_organization_id: s.organizationId },
    });
  });
  return id;
}

/**
 * Changes a setting's certification (numbers, dates, status, program, notes): state administrators only.
 * A new expiry date starts the 60- and 30-day reminders again.
 */
export async function updateCertification(
  ctx: SettingsContext,
  actor: Actor,
  id: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<void> {
  authorize(actor, 'housing.certify', undefined, {
    message: 'Only state administrators change a certification.',
  });
  const row = await visibleSetting(ctx, actor, id);
  const parsed = CertificationInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const c = parsed.data;
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockSetting(trx, row.id);
    if (!locked) throw new ServiceError('not_found', NOT_FOUND);
    await checkProgram(trx, c, locked.organization_id);
    await q.updateSetting(trx, row.id, {
      ...(await columns(ctx, trx, row.id, c)),
      updated_by: actor.userId,
      at: nowOf(ctx),
    });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.setting.update',
      subjectType: 'certified_setting',
      subjectId: row.id,
      details: {
        ...certificationDetails(c),
        status_before: locked.status,
        expires_on_before: locked.expires_on,
      },
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Direct-contact staff

const STAFF_REFUSAL = { message: 'Only the setting’s own organization keeps its staff list.' };

/** The setting, if the actor's organization runs it (state administrators see it but do not keep it). */
async function keptSetting(ctx: SettingsContext, actor: Actor, id: string): Promise<q.SettingRow> {
  authorize(actor, 'housing.manage', undefined, STAFF_REFUSAL);
  const row = isId(id) ? (await q.settingRows(ctx.db, { id }))[0] : undefined;
  if (!row) throw new ServiceError('not_found', NOT_FOUND);
  authorize(
    actor,
    'housing.manage',
    { organizationId: row.organization_id },
    { ...STAFF_REFUSAL, hidden: true },
  );
  return row;
}

function parseStaff(ctx: SettingsContext, input: unknown) {
  const parsed = StaffMemberInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const p = parsed.data;
  if (p.trainedOn !== null && p.trainedOn > todayOf(ctx))
    throw new InputError('The training date cannot be in the future.', 'trainedOn');
  return p;
}

/**
 * Adds a direct-contact staff member to a setting of the actor's organization.
 *
 * @example
 * await addStaffMember(ctx, orgAdmin, settingId, { name: 'Synthetic Person', roleTitle: 'Youth worker', startedOn: '2026-11-02' }, origin);
 */
export async function addStaffMember(
  ctx: SettingsContext,
  actor: Actor,
  settingId: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<string> {
  const row = await keptSetting(ctx, actor, settingId);
  const p = parseStaff(ctx, input);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await q.insertStaff(trx, {
      id,
      setting_id: row.id,
      name_encrypted: await encryptField(ctx.keyring, nameAt(id), p.name, trx),
      role_title: p.roleTitle,
      started_on: p.startedOn,
      trained_on: p.trainedOn,
      created_by: actor.userId,
      at: nowOf(ctx),
    });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.setting.staff.add',
      subjectType: 'certified_setting',
      subjectId: row.id,
      details: { staff_member_id: id, trained: p.trainedOn !== null },
    });
  });
  return id;
}

/** Changes a staff member of a setting of the actor's organization (name, role, start, training date). */
export async function updateStaffMember(
  ctx: SettingsContext,
  actor: Actor,
  settingId: string,
  staffId: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<void> {
  const row = await keptSetting(ctx, actor, settingId);
  const p = parseStaff(ctx, input);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = isId(staffId) ? await q.lockStaff(trx, row.id, staffId) : undefined;
    if (!locked) throw new ServiceError('not_found', 'There is no such person on this setting’s staff list.');
    await q.updateStaff(trx, locked.id, {
      name_encrypted: await encryptField(ctx.keyring, nameAt(locked.id), p.name, trx),
      role_title: p.roleTitle,
      started_on: p.startedOn,
      trained_on: p.trainedOn,
      at: nowOf(ctx),
    });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.setting.staff.update',
      subjectType: 'certified_setting',
      subjectId: row.id,
      details: {
        staff_member_id: locked.id,
        trained: p.trainedOn !== null,
        training_recorded: locked.trained_on === null && p.trainedOn !== null,
      },
    });
  });
}

/** Removes a staff member from a setting of the actor's organization's list. */
export async function removeStaffMember(
  ctx: SettingsContext,
  actor: Actor,
  settingId: string,
  staffId: string,
  origin: RequestOrigin,
): Promise<void> {
  const row = await keptSetting(ctx, actor, settingId);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = isId(staffId) ? await q.lockStaff(trx, row.id, staffId) : undefined;
    if (!locked) throw new ServiceError('not_found', 'There is no such person on this setting’s staff list.');
    await q.deleteStaff(trx, locked.id);
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.setting.staff.remove',
      subjectType: 'certified_setting',
      subjectId: row.id,
      details: { staff_member_id: locked.id },
    });
  });
}
