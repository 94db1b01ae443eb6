/**
 * What every part of case coordination shares: the case's data key scope and field encryption, the
 * personal fields of a case, the timeline, finding a case the actor may see (an invisible case is
 * answered like a missing one), and refusals a person can act on.
 */
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { can, regionScope, type Action, type Actor, type RegionScope } from '../../platform/access.ts';
import { recordActorAudit, recordReadAudit } from '../../platform/audit/audit.ts';
import {
  blindIndex,
  decryptField,
  encryptField,
  indexInput,
  normaliseForIndex,
  type Keyring,
} from '../../platform/crypto/index.ts';
import type { AnyKysely } from '../../platform/crypto/tables.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import type { Vocabularies } from '../../pack/vocabularies.ts';
import type { CasesTable } from './tables.ts';
import type { Selectable } from 'kysely';
import { ServiceError } from '../../platform/errors.ts';
import { caseRow } from './queries.ts';
import { UUID } from './rules.ts';

export type CaseRow = Selectable<CasesTable>;

/** The data key scope of a case: destroying it erases every personal field of the case. */
export const caseScope = (caseId: string) => `case:${caseId}`;

/**
 * Encrypts one field of a record that belongs to a case, under the case's key (an empty field, null,
 * stays null).
 *
 * @example
 * const body = await sealCaseField(keyring, caseId, { table: 'case_notes', recordId: noteId, field: 'body_encrypted' }, text, trx);
 */
export function sealCaseField(
  keyring: Keyring,
  caseId: string,
  address: { table: string; recordId: string; field: string },
  plaintext: string,
  trx?: AnyKysely,
): Promise<Buffer>;
export function sealCaseField(
  keyring: Keyring,
  caseId: string,
  address: { table: string; recordId: string; field: string },
  plaintext: string | null,
  trx?: AnyKysely,
): Promise<Buffer | null>;
export async function sealCaseField(
  keyring: Keyring,
  caseId: string,
  address: { table: string; recordId: string; field: string },
  plaintext: string | null,
  trx?: AnyKysely,
): Promise<Buffer | null> {
  if (plaintext === null) return null;
  return encryptField(keyring, { scope: caseScope(caseId), ...address }, plaintext, trx);
}

/** Decrypts a field sealed by {@link sealCaseField}. Throws DataKeyDestroyedError after a purge. */
export function openCaseField(
  keyring: Keyring,
  address: { table: string; recordId: string; field: string },
  sealed: Uint8Array,
): Promise<string> {
  return decryptField(keyring, address, sealed);
}

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const code = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

/** The personal fields of a case, stored as one encrypted JSON document (`cases.personal_encrypted`). */
export const CasePersonalSchema = z
  .object({
    /** The name the young person chooses to be called. */
    chosenName: text(100),
    legalName: text(200).nullable(),
    dateOfBirth: isoDate.nullable(),
    /** Age in years when the date of birth is not known. */
    age: z.number().int().min(0).max(120).nullable(),
    pronouns: text(50).nullable(),
    genderIdentity: z.array(code).max(10),
    raceEthnicity: z.array(code).max(20),
    sexualOrientation: code.nullable(),
    languages: z.array(text(50)).max(10),
    tribalAffiliation: text(200).nullable(),
    safeContact: z
      .object({
        method: z
          .enum(['phone_call', 'text_message', 'email', 'in_person', 'through_someone', 'other'])
          .nullable(),
        value: text(200).nullable(),
        times: text(200).nullable(),
        codeWord: text(100).nullable(),
      })
      .strict(),
    /**
     * How the young person came to the network (the pack's `doors`). Cases stored before it was asked
     * load with null, as do the two fields below with their defaults.
     */
    door: code.nullable().default(null),
    /** The types of exploitation (the pack's `exploitationTypes`, multi-select). */
    exploitation: z.array(code).max(10).default([]),
    /** Where they were living when the case opened (the pack's `exitHousing` answers). */
    entryHousing: code.nullable().default(null),
  })
  .strict();
export type CasePersonal = z.output<typeof CasePersonalSchema>;
/** Personal fields as they may be written: the fields added later may be left out. */
export type CasePersonalInput = z.input<typeof CasePersonalSchema>;

/** Checks vocabulary codes of personal fields against the pack's lists; returns the field at fault. */
export function personalVocabularyProblem(p: CasePersonal, v: Vocabularies): string | null {
  const has = (list: { code: string }[], code: string) => list.some((e) => e.code === code);
  if (p.genderIdentity.some((c) => !has(v.genderIdentity, c))) return 'genderIdentity';
  if (p.raceEthnicity.some((c) => !has(v.raceEthnicity, c))) return 'raceEthnicity';
  if (p.sexualOrientation !== null && !has(v.sexualOrientation, p.sexualOrientation))
    return 'sexualOrientation';
  if (p.door !== null && !has(v.doors, p.door)) return 'door';
  if (p.exploitation.some((c) => !has(v.exploitationTypes, c))) return 'exploitation';
  if (p.entryHousing !== null && !has(v.exitHousing, p.entryHousing)) return 'entryHousing';
  return null;
}

export async function openPersonal(
  keyring: Keyring,
  row: Pick<CaseRow, 'id' | 'personal_encrypted'>,
): Promise<CasePersonal> {
  const plain = await openCaseField(
    keyring,
    { table: 'cases', recordId: row.id, field: 'personal_encrypted' },
    row.personal_encrypted,
  );
  return CasePersonalSchema.parse(JSON.parse(plain));
}

export function sealPersonal(
  keyring: Keyring,
  caseId: string,
  personal: CasePersonalInput,
  trx?: AnyKysely,
): Promise<Buffer> {
  return sealCaseField(
    keyring,
    caseId,
    { table: 'cases', recordId: caseId, field: 'personal_encrypted' },
    JSON.stringify(CasePersonalSchema.parse(personal)),
    trx,
  );
}

/** The blind-index purpose for finding the same young person in another region. */
export const DUPLICATE_INDEX_PURPOSE = 'case-duplicate';

/**
 * The duplicate index of a case: a keyed hash of the normalised chosen name and the date of birth, or
 * null without a date of birth (a name alone matches too many people). Equal for the same person in
 * any region; reveals nothing by itself.
 *
 * @example
 * await duplicateIndexFor(keyring, { chosenName: ' Rowan  ', dateOfBirth: '2009-04-01' }) === await duplicateIndexFor(keyring, { chosenName: 'rowan', dateOfBirth: '2009-04-01' }) // true
 */
export async function duplicateIndexFor(
  keyring: Keyring,
  personal: Pick<CasePersonal, 'chosenName' | 'dateOfBirth'>,
  trx?: AnyKysely,
): Promise<string | null> {
  if (!personal.dateOfBirth) return null;
  const key = await keyring.indexKeyFor(DUPLICATE_INDEX_PURPOSE, trx);
  return blindIndex(key, indexInput(normaliseForIndex(personal.chosenName), personal.dateOfBirth));
}

/** A refusal a person can act on: 404, 403, 409 or 400 (with the field at fault). */
export class CaseError extends ServiceError {}

export const CASE_NOT_FOUND = 'There is no such case, or it is not in your regions.';

export interface CaseContext {
  db: Database;
  keyring: Keyring;
  calendar: BusinessCalendar;
  vocabularies: Vocabularies;
  /** The clock: tests pass a fixed one. */
  now?: () => Date;
}

/** The case context of the app: its database, keyring, business calendar and answer lists. */
export function caseContext(deps: AppDeps): CaseContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    calendar: deps.rules.calendar,
    vocabularies: deps.rules.vocabularies,
  };
}

/** Where a request came from, for the audit log. */
export type { RequestOrigin };

export const nowOf = (ctx: { now?: () => Date }) => (ctx.now ? ctx.now() : new Date());

/** Regions in which the actor may take `action` on cases: all, some (maybe none), or null for none at all. */
export const caseScopeOf = (actor: Actor, action: Action): RegionScope | null => regionScope(actor, action);

/**
 * The case when the actor may take `action` on it (by its region), else a `not_found` CaseError — the
 * same answer as for a case that does not exist. A purged case is gone. With `trx`, the row is locked
 * for update.
 */
export async function findCase(
  db: Database | Transaction<DB>,
  actor: Actor,
  caseId: string,
  action: Action,
  options: { forUpdate?: boolean } = {},
): Promise<CaseRow> {
  const row = await caseById(db, caseId, options);
  if (!row || !can(actor, action, { regionId: row.region_id }))
    throw new CaseError('not_found', CASE_NOT_FOUND);
  return row;
}

/** A case that is not purged, by id (with `forUpdate`, its row locked); none for an id that is not a UUID. */
export const caseById = async (
  db: Database | Transaction<DB>,
  caseId: string,
  options: { forUpdate?: boolean } = {},
): Promise<CaseRow | undefined> => (UUID.test(caseId) ? caseRow(db, caseId, options) : undefined);

/** The heading of a list on a case's page: the young person's chosen name, and what the actor may do. */
export interface CaseListHeading {
  caseId: string;
  chosenName: string;
  caseOpen: boolean;
  mayWrite: boolean;
}

/**
 * A list on a case's page (its consents, its referrals), in one transaction: the case the actor may
 * read, the list `load` reads of it, the heading, and the audit record `<kind>.list` with the list's
 * length.
 *
 * @example
 * const { items, ...heading } = await caseList(ctx, actor, caseId, origin, 'consent', (trx, row) => …);
 */
export async function caseList<T>(
  ctx: Pick<CaseContext, 'db' | 'keyring'>,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
  kind: 'consent' | 'referral',
  load: (trx: Transaction<DB>, row: CaseRow) => Promise<T[]>,
): Promise<CaseListHeading & { items: T[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const items = await load(trx, row);
    const personal = await openPersonal(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: `${kind}.list`,
      caseId: row.id,
      details: { [`${kind}s`]: items.length },
    });
    return {
      caseId: row.id,
      chosenName: personal.chosenName,
      caseOpen: row.status === 'open',
      mayWrite: can(actor, 'cases.write', { regionId: row.region_id }),
      items,
    };
  });
}

/**
 * One line of the case's timeline. `detail` holds codes and ids only, never personal data.
 */
export async function recordCaseEvent(
  trx: Transaction<DB>,
  entry: {
    caseId: string;
    actorUserId: string | null;
    event: string;
    detail?: Record<string, unknown>;
    at?: Date;
  },
): Promise<void> {
  await trx
    .insertInto('case_events')
    .values({
      case_id: entry.caseId,
      actor_user_id: entry.actorUserId,
      event: entry.event,
      detail: JSON.stringify(entry.detail ?? {}),
      ...(entry.at ? { at: entry.at } : {}),
    })
    .execute();
}

/**
 * The audit record of a read or change of a case (last in the transaction, as the audit module asks).
 */
/** The audit record of reading a case (or a part of it): one statement, no transaction (see recordReadAudit). */
export async function auditCaseRead(
  db: Database,
  actor: Actor,
  origin: RequestOrigin,
  entry: { action: string; caseId: string; details?: Record<string, unknown> },
): Promise<void> {
  await recordReadAudit(db, actor, origin, {
    action: entry.action,
    subjectType: 'case',
    subjectId: entry.caseId,
    details: { case: entry.caseId, ...(entry.details ?? {}) },
  });
}

export async function auditCase(
  trx: Transaction<DB>,
  actor: Actor,
  origin: RequestOrigin,
  entry: {
    action: string;
    caseId: string;
    subjectType?: string;
    subjectId?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await recordActorAudit(trx, actor, origin, {
    action: entry.action,
    subjectType: entry.subjectType ?? 'case',
    subjectId: entry.subjectId ?? entry.caseId,
    details: { case: entry.caseId, ...(entry.details ?? {}) },
  });
}
