/**
 * A young person's case: opening it (directly, or from a referral in the navigator queue), reading it
 * (an audited read of personal data), changing its details, assigning navigators of its region, notes,
 * services delivered, closing and reopening, the timeline, the dashboards' lists, and the possible
 * duplicates in other regions (told by region name only).
 *
 * Every personal field lives in `cases.personal_encrypted` (or a note's body) under the case's own data
 * key, so destroying that key erases them all. Every change takes the case's row lock, writes its
 * timeline event(s) and records its audit event last, in one transaction; every read of personal data
 * is audited (reads go to the audit log, not to the timeline). A case outside the actor's regions is
 * answered like one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { actorKind, can, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { openPayload, type IntakePayload } from '../intake/payload.ts';
import { openItem, staffNames } from '../queue/service.ts';
import { addNotification } from '../notifications/service.ts';
import { ageBandOf } from '../intake/service.ts';
import type { AgeBand } from '../intake/tables.ts';
import {
  CASE_NOT_FOUND,
  CaseError,
  auditCase,
  caseScopeOf,
  duplicateIndexFor,
  findCase,
  nowOf,
  openCaseField,
  openPersonal,
  personalVocabularyProblem,
  recordCaseEvent,
  sealCaseField,
  sealPersonal,
  type CaseContext,
  type CasePersonal,
  type CaseRow,
  type RequestOrigin,
} from './core.ts';
import type { Vocabularies } from './vocabularies.ts';
import type { CaseStatus, SurveyAnswer } from './tables.ts';

// ---------------------------------------------------------------------------------------------------
// Settings and context

/** How long a closed case is kept by default before its data key is destroyed: 7 years. */
export const DEFAULT_CASE_RETENTION_DAYS = 2555;
export const NOTE_MAX = 8000;
export const CASE_PAGE_SIZE = 25;
/** Timeline entries shown at once. */
export const TIMELINE_PAGE_SIZE = 50;
/** Notes decrypted when a case is opened (newest first). */
export const NOTES_SHOWN = 100;

export interface CaseServiceContext extends CaseContext {
  /** Days a closed case is kept (`NWD_CASE_RETENTION_DAYS`); default {@link DEFAULT_CASE_RETENTION_DAYS}. */
  retentionDays?: number;
}

export const CONTACT_METHODS = [
  'phone_call',
  'text_message',
  'email',
  'in_person',
  'through_someone',
  'other',
] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_METHOD_NAMES: Record<ContactMethod, string> = {
  phone_call: 'Phone call',
  text_message: 'Text message',
  email: 'Email',
  in_person: 'In person',
  through_someone: 'Through someone they trust',
  other: 'Another way',
};

export const SURVEY_ANSWERS = ['yes', 'no', 'unsure', 'not_asked'] as const;
export const SURVEY_ANSWER_NAMES: Record<SurveyAnswer, string> = {
  yes: 'Yes',
  no: 'No',
  unsure: 'Not sure',
  not_asked: 'Not asked, or chose not to answer',
};
export const SURVEY_QUESTIONS = {
  feelsSafer: 'Do you feel safer than when we started working together?',
  moreHopeful: 'Do you feel more hopeful about your future?',
  knowsWhereHelp: 'Do you know where to get help if you need it?',
} as const;
export type SurveyQuestion = keyof typeof SURVEY_QUESTIONS;

export const CASE_STATUS_NAMES: Record<CaseStatus, string> = { open: 'Open', closed: 'Closed' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[a-z][a-z0-9_]{0,62}$/;
/** Control characters; `multiline` allows line breaks and tabs. */
const hasControl = (text: string, multiline = false) =>
  /\p{Cc}/u.test(multiline ? text.replace(/[\n\r\t]/g, '') : text);

// ---------------------------------------------------------------------------------------------------
// Errors

export interface FieldProblem {
  field: string;
  message: string;
}

/** Input that is not valid: every problem found, each naming its field (the first is the CaseError's). */
export class CaseInputError extends CaseError {
  constructor(readonly problems: FieldProblem[]) {
    super('invalid', problems[0]?.message ?? 'The input is not valid.', problems[0]?.field);
  }
}

const forbidden = (what = 'open or change cases') =>
  new CaseError('forbidden', `You do not have permission to ${what}. Regional navigators do.`);

// ---------------------------------------------------------------------------------------------------
// Checking details (pure)

/**
 * A case's details as a person or a client sends them. Field names are the form's (and the names in
 * error messages): the safe contact details are `contactMethod`, `contactValue`, `contactTimes` and
 * `codeWord`. In {@link openCase} from a referral, a field left `undefined` is filled from the referral.
 */
export interface CaseDetailsInput {
  chosenName?: string | null;
  legalName?: string | null;
  dateOfBirth?: string | null;
  age?: number | string | null;
  pronouns?: string | null;
  genderIdentity?: readonly string[] | string | null;
  raceEthnicity?: readonly string[] | string | null;
  sexualOrientation?: string | null;
  /** A list, or one text with the languages separated by commas. */
  languages?: readonly string[] | string | null;
  tribalAffiliation?: string | null;
  contactMethod?: string | null;
  contactValue?: string | null;
  contactTimes?: string | null;
  codeWord?: string | null;
  countyFips?: string | null;
}

export const DETAIL_FIELDS = [
  'chosenName',
  'legalName',
  'dateOfBirth',
  'age',
  'pronouns',
  'genderIdentity',
  'raceEthnicity',
  'sexualOrientation',
  'languages',
  'tribalAffiliation',
  'contactMethod',
  'contactValue',
  'contactTimes',
  'codeWord',
  'countyFips',
] as const satisfies readonly (keyof CaseDetailsInput)[];

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Whole years from `dateOfBirth` to `on` (both YYYY-MM-DD).
 *
 * @example
 * ageOn('2008-06-15', '2026-06-14') // 17
 * ageOn('2008-06-15', '2026-06-15') // 18
 */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The age band from a date of birth (on `on`) or an age. */
export function caseAgeBand(personal: Pick<CasePersonal, 'dateOfBirth' | 'age'>, on: string): AgeBand {
  if (personal.dateOfBirth) return ageBandOf(ageOn(personal.dateOfBirth, on));
  return ageBandOf(personal.age);
}

function oneText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return oneText(value[0]);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' ? null : t;
}

function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const raw = Array.isArray(value) ? value : [value];
  return [...new Set(raw.filter((v): v is string => typeof v === 'string').map((v) => v.trim()))].filter(
    (v) => v !== '',
  );
}

/**
 * Checks and normalises a case's details: every problem is reported with its field. `today` is the
 * jurisdiction's date (YYYY-MM-DD), for the date of birth.
 *
 * @example
 * checkCaseDetails({ chosenName: 'Sam', age: '16' }, vocabularies, '2026-11-24').personal.age // 16
 */
export function checkCaseDetails(
  input: CaseDetailsInput,
  vocabularies: Vocabularies,
  today: string,
): { personal: CasePersonal; countyFips: string | null } {
  const problems: FieldProblem[] = [];
  const text = (field: keyof CaseDetailsInput, label: string, max: number): string | null => {
    const raw = input[field];
    if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
      problems.push({ field, message: `${label}: enter text.` });
      return null;
    }
    const t = oneText(raw);
    if (t === null) return null;
    if (t.length > max) {
      problems.push({ field, message: `${label} must be ${max} characters or fewer.` });
      return null;
    }
    if (hasControl(t)) {
      problems.push({ field, message: `${label}: use letters, numbers, spaces and punctuation only.` });
      return null;
    }
    return t;
  };
  const codes = (field: 'genderIdentity' | 'raceEthnicity', label: string, max: number): string[] => {
    const list = listOf(input[field]);
    const allowed = vocabularies[field];
    if (list.length > max || list.some((c) => !CODE.test(c) || !allowed.some((e) => e.code === c))) {
      problems.push({ field, message: `${label}: choose from the list.` });
      return [];
    }
    return list;
  };

  const chosenName = text('chosenName', 'The name they choose', 100);
  if (chosenName === null && !problems.some((p) => p.field === 'chosenName'))
    problems.push({
      field: 'chosenName',
      message: 'Enter the name the young person chooses to be called (a first name or initials is enough).',
    });
  const legalName = text('legalName', 'The legal name', 200);

  let dateOfBirth = text('dateOfBirth', 'The date of birth', 10);
  if (dateOfBirth !== null) {
    if (!isRealDate(dateOfBirth)) {
      problems.push({
        field: 'dateOfBirth',
        message: 'Enter the date of birth as year-month-day, for example 2008-04-30, or leave it empty.',
      });
      dateOfBirth = null;
    } else if (dateOfBirth > today) {
      problems.push({ field: 'dateOfBirth', message: 'The date of birth cannot be in the future.' });
      dateOfBirth = null;
    } else if (ageOn(dateOfBirth, today) > 120) {
      problems.push({ field: 'dateOfBirth', message: 'Check the year of the date of birth.' });
      dateOfBirth = null;
    }
  }

  let age: number | null = null;
  const ageText = oneText(input.age);
  if (ageText !== null) {
    if (!/^\d{1,3}$/.test(ageText) || Number(ageText) > 120)
      problems.push({ field: 'age', message: 'Enter the age in years as a whole number, for example 17.' });
    else age = Number(ageText);
  }
  // With a date of birth the age follows from it: only one is kept.
  if (dateOfBirth !== null) age = null;

  const pronouns = text('pronouns', 'Pronouns', 50);
  const genderIdentity = codes('genderIdentity', 'Gender identity', 10);
  const raceEthnicity = codes('raceEthnicity', 'Race and ethnicity', 20);
  let sexualOrientation = text('sexualOrientation', 'Sexual orientation', 63);
  if (
    sexualOrientation !== null &&
    !vocabularies.sexualOrientation.some((e) => e.code === sexualOrientation)
  ) {
    problems.push({ field: 'sexualOrientation', message: 'Sexual orientation: choose from the list.' });
    sexualOrientation = null;
  }

  let languages: string[] = [];
  const rawLanguages = input.languages;
  if (rawLanguages !== undefined && rawLanguages !== null) {
    const parts = (typeof rawLanguages === 'string' ? rawLanguages.split(/[,;\n]/) : listOf(rawLanguages))
      .map((l) => (typeof l === 'string' ? l.trim() : ''))
      .filter((l) => l !== '');
    const seen = new Set<string>();
    languages = parts.filter((l) => {
      const key = l.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (!Array.isArray(rawLanguages) && typeof rawLanguages !== 'string')
      problems.push({ field: 'languages', message: 'Languages: enter them separated by commas.' });
    else if (languages.length > 10)
      problems.push({ field: 'languages', message: 'List at most 10 languages.' });
    else if (languages.some((l) => l.length > 50 || hasControl(l)))
      problems.push({
        field: 'languages',
        message: 'Each language must be 50 characters or fewer, separated by commas.',
      });
  }

  const tribalAffiliation = text('tribalAffiliation', 'Tribal affiliation', 200);
  let method = text('contactMethod', 'How to contact them', 30) as ContactMethod | null;
  if (method !== null && !(CONTACT_METHODS as readonly string[]).includes(method)) {
    problems.push({ field: 'contactMethod', message: 'How to contact them: choose from the list.' });
    method = null;
  }
  const value = text('contactValue', 'The contact details', 200);
  const times = text('contactTimes', 'Safe times to contact', 200);
  const codeWord = text('codeWord', 'The code word', 100);

  let countyFips = text('countyFips', 'County', 5);
  if (countyFips !== null && !/^\d{5}$/.test(countyFips)) {
    problems.push({ field: 'countyFips', message: 'County: choose from the list.' });
    countyFips = null;
  }

  if (problems.length) throw new CaseInputError(problems);
  const personal: CasePersonal = {
    chosenName: chosenName!,
    legalName,
    dateOfBirth,
    age,
    pronouns,
    genderIdentity,
    raceEthnicity,
    sexualOrientation,
    languages,
    tribalAffiliation,
    safeContact: { method, value, times, codeWord },
  };
  const vocabularyField = personalVocabularyProblem(personal, vocabularies);
  if (vocabularyField)
    throw new CaseInputError([{ field: vocabularyField, message: 'Choose from the list.' }]);
  return { personal, countyFips };
}

/** The form's values of stored details (the inverse of {@link checkCaseDetails}). */
export function detailsInputOf(personal: CasePersonal, countyFips: string | null): CaseDetailsInput {
  return {
    chosenName: personal.chosenName,
    legalName: personal.legalName,
    dateOfBirth: personal.dateOfBirth,
    age: personal.age,
    pronouns: personal.pronouns,
    genderIdentity: personal.genderIdentity,
    raceEthnicity: personal.raceEthnicity,
    sexualOrientation: personal.sexualOrientation,
    languages: personal.languages,
    tribalAffiliation: personal.tribalAffiliation,
    contactMethod: personal.safeContact.method,
    contactValue: personal.safeContact.value,
    contactTimes: personal.safeContact.times,
    codeWord: personal.safeContact.codeWord,
    countyFips,
  };
}

/**
 * What a referral already says about the young person, as case details (its name, contact details,
 * code word, language, age and county).
 */
export function detailsFromReferral(
  payload: IntakePayload,
  item: { age: number | null; countyFips: string | null },
): CaseDetailsInput {
  const y = payload.youth;
  return {
    chosenName: y.name,
    age: item.age,
    languages: y.language ? [y.language] : [],
    contactMethod: y.contactMethod === 'through_referrer' ? 'through_someone' : y.contactMethod,
    contactValue: y.contactValue,
    contactTimes: y.safeTimes,
    codeWord: y.codeWord,
    countyFips: item.countyFips,
  };
}

/** Names of the details that differ (for the timeline: which fields, never their values). */
export function changedFields(before: CaseDetailsInput, after: CaseDetailsInput): string[] {
  const norm = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...(v as unknown[])].sort() : (v ?? null));
  return DETAIL_FIELDS.filter((f) => norm(before[f]) !== norm(after[f]));
}

// ---------------------------------------------------------------------------------------------------
// Duplicates

/** Names of the other regions holding a case with the same duplicate index (never ids or counts). */
async function duplicateRegions(
  db: Database | Transaction<DB>,
  row: Pick<CaseRow, 'id' | 'region_id' | 'duplicate_index'>,
): Promise<string[]> {
  if (!row.duplicate_index) return [];
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.id', 'c.region_id')
    .select('r.name')
    .distinct()
    .where('c.duplicate_index', '=', row.duplicate_index)
    .where('c.purged_at', 'is', null)
    .where('c.id', '<>', row.id)
    .where('c.region_id', '<>', row.region_id)
    .orderBy('r.name')
    .execute();
  return rows.map((r) => r.name);
}

/**
 * "A possible match exists in region X": the names of other regions that hold a case with the same
 * normalised chosen name and date of birth. Nothing else about those cases is told. Audited
 * (`case.duplicates`).
 *
 * @example
 * await possibleDuplicates(ctx, navigator, caseId, origin) // ['Southeast']
 */
export async function possibleDuplicates(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<string[]> {
  if (!caseScopeOf(actor, 'cases.read')) throw forbidden('see cases');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const regions = await duplicateRegions(trx, row);
    await auditCase(trx, actor, origin, {
      action: 'case.duplicates',
      caseId: row.id,
      details: { region: row.region_id, possible_matches_in_regions: regions.length },
    });
    return regions;
  });
}

// ---------------------------------------------------------------------------------------------------
// Opening a case

export interface OpenCaseInput extends CaseDetailsInput {
  /** The region the case belongs to: one of the actor's (may be left out when they have one). */
  regionId?: string | null;
  /** The referral or self-referral (intake item) the case is opened from. */
  intakeItemId?: string | null;
}

export interface OpenedCase {
  id: string;
  regionId: string;
  /** Other regions with a possible match ("request a consult"). */
  possibleDuplicateRegions: string[];
}

async function lockIntakeItem(trx: Transaction<DB>, actor: Actor, itemId: string) {
  const notFound = () =>
    new CaseInputError([
      { field: 'intakeItemId', message: 'There is no such referral, or it is not in your regions.' },
    ]);
  if (actor.tokenScopes && !actor.tokenScopes.includes('intake.read'))
    throw new CaseError(
      'forbidden',
      'Opening a case from a referral needs a token with the intake.read scope too.',
    );
  if (!UUID.test(itemId)) throw notFound();
  const item = await trx
    .selectFrom('intake_items')
    .select(['id', 'region_id', 'county_fips', 'age', 'status', 'claimed_by', 'payload_encrypted'])
    .where('id', '=', itemId.toLowerCase())
    .forUpdate()
    .executeTakeFirst();
  if (!item || !can(actor, 'intake.read', { regionId: item.region_id })) throw notFound();
  return item;
}

/**
 * Opens a case in one transaction: the case row with its personal fields sealed under its own key, the
 * duplicate index, the opener assigned (a navigator of the region), the `case.opened` event and the
 * audit record. From a referral (`intakeItemId`): details left out are taken from the referral, the case
 * is linked to it, and the referral is closed in the queue as "connected to services" (unless it already
 * was), with a `case_opened` event in its history. A referral claimed by someone else is refused.
 *
 * @example
 * const opened = await openCase(ctx, navigator, { chosenName: 'Sam', age: 16, regionId: 'west-metro' }, origin);
 */
export async function openCase(
  ctx: CaseServiceContext,
  actor: Actor,
  input: OpenCaseInput,
  origin: RequestOrigin,
): Promise<OpenedCase> {
  const scope = caseScopeOf(actor, 'cases.write');
  if (!scope) throw forbidden();
  if (!scope.all && scope.regions.length === 0)
    throw new CaseError(
      'forbidden',
      'You have no regions yet, so you cannot open a case. Ask your organisation’s administrator to assign yours.',
    );
  const now = nowOf(ctx);
  const today = ctx.calendar.local(now).date;
  const id = randomUUID();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      let details: CaseDetailsInput = input;
      let regionId = oneText(input.regionId);
      let item: Awaited<ReturnType<typeof lockIntakeItem>> | null = null;
      const itemId = oneText(input.intakeItemId);
      if (itemId !== null) {
        item = await lockIntakeItem(trx, actor, itemId);
        if (!item.region_id || !can(actor, 'cases.write', { regionId: item.region_id }))
          throw forbidden('open a case for this referral');
        const linked = await trx
          .selectFrom('cases')
          .select('id')
          .where('intake_item_id', '=', item.id)
          .executeTakeFirst();
        if (linked) throw new CaseError('conflict', 'A case has already been opened from this referral.');
        if (item.status !== 'closed' && item.claimed_by !== null && item.claimed_by !== actor.userId)
          throw new CaseError(
            'conflict',
            'Someone else has claimed this referral: only they can open a case from it, or release it first.',
          );
        if (regionId !== null && regionId !== item.region_id)
          throw new CaseInputError([
            { field: 'regionId', message: 'A case opened from a referral belongs to the referral’s region.' },
          ]);
        regionId = item.region_id;
        const prefill = detailsFromReferral(await openPayload(ctx.keyring, item.id, item.payload_encrypted), {
          age: item.age,
          countyFips: item.county_fips,
        });
        details = { ...prefill };
        for (const field of DETAIL_FIELDS)
          if (input[field] !== undefined) (details as Record<string, unknown>)[field] = input[field];
      }
      const problems: FieldProblem[] = [];
      if (regionId === null && !scope.all && scope.regions.length === 1) regionId = scope.regions[0]!;
      if (regionId === null)
        problems.push({ field: 'regionId', message: 'Choose the region the case belongs to.' });
      else if (!can(actor, 'cases.write', { regionId }))
        problems.push({ field: 'regionId', message: 'Choose one of your regions.' });
      let checked: ReturnType<typeof checkCaseDetails> | null = null;
      try {
        checked = checkCaseDetails(details, ctx.vocabularies, today);
      } catch (error) {
        if (!(error instanceof CaseInputError)) throw error;
        problems.push(...error.problems);
      }
      if (problems.length || !checked || regionId === null) throw new CaseInputError(problems);
      const region = await trx
        .selectFrom('regions')
        .select(['id', 'jurisdiction'])
        .where('id', '=', regionId)
        .executeTakeFirst();
      if (!region) throw new CaseInputError([{ field: 'regionId', message: 'Choose one of your regions.' }]);
      await checkCounty(trx, checked.countyFips);

      const { personal, countyFips } = checked;
      const duplicateIndex = await duplicateIndexFor(ctx.keyring, personal, trx);
      await trx
        .insertInto('cases')
        .values({
          id,
          jurisdiction: region.jurisdiction,
          region_id: region.id,
          county_fips: countyFips,
          age_band: caseAgeBand(personal, today),
          intake_item_id: item?.id ?? null,
          duplicate_index: duplicateIndex,
          personal_encrypted: await sealPersonal(ctx.keyring, id, personal, trx),
          opened_by: actor.userId,
          opened_at: now,
          updated_at: now,
        })
        .execute();
      await recordCaseEvent(trx, {
        caseId: id,
        actorUserId: actor.userId,
        event: 'case.opened',
        detail: { region: region.id, ...(item ? { intake_item: item.id } : {}) },
        at: now,
      });
      const assignSelf = actor.role === 'navigator' && actor.regions.includes(region.id);
      if (assignSelf) {
        await trx
          .insertInto('case_assignments')
          .values({ case_id: id, user_id: actor.userId, assigned_by: actor.userId, assigned_at: now })
          .execute();
        await recordCaseEvent(trx, {
          caseId: id,
          actorUserId: actor.userId,
          event: 'navigator.assigned',
          detail: { user: actor.userId },
          at: now,
        });
      }
      if (item) await markReferralCaseOpened(trx, actor, item, id, now);
      const duplicates = await duplicateRegions(trx, {
        id,
        region_id: region.id,
        duplicate_index: duplicateIndex,
      });
      await auditCase(trx, actor, origin, {
        action: 'case.create',
        caseId: id,
        details: {
          region: region.id,
          ...(item ? { intake_item: item.id } : {}),
          possible_matches_in_regions: duplicates.length,
        },
      });
      if (item)
        await recordAudit(trx, {
          actorKind: actorKind(actor),
          actorUserId: actor.userId,
          action: 'intake.case_opened',
          subjectType: 'intake_item',
          subjectId: item.id,
          organizationId: actor.organizationId,
          ip: origin.ip,
          userAgent: origin.userAgent,
          details: { region: item.region_id, case: id, closed: item.status !== 'closed' },
        });
      return { id, regionId: region.id, possibleDuplicateRegions: duplicates };
    });
  } catch (error) {
    // Two people opening a case from one referral at once: the second meets the unique link.
    if ((error as { code?: string }).code === '23505')
      throw new CaseError('conflict', 'A case has already been opened from this referral.');
    throw error;
  }
}

async function checkCounty(trx: Transaction<DB>, countyFips: string | null): Promise<void> {
  if (countyFips === null) return;
  const county = await trx
    .selectFrom('counties')
    .select('fips')
    .where('fips', '=', countyFips)
    .executeTakeFirst();
  if (!county) throw new CaseInputError([{ field: 'countyFips', message: 'County: choose from the list.' }]);
}

/** The referral a case was opened from: closed as "connected to services" unless already closed. */
async function markReferralCaseOpened(
  trx: Transaction<DB>,
  actor: Actor,
  item: { id: string; status: string; claimed_by: string | null },
  caseId: string,
  now: Date,
): Promise<void> {
  if (item.status !== 'closed') {
    await trx
      .updateTable('intake_items')
      .set({
        status: 'closed',
        claimed_by: item.claimed_by ?? actor.userId,
        claimed_at: item.claimed_by ? undefined : now,
        outcome: 'connected_to_services',
        closed_at: now,
        updated_at: now,
      })
      .where('id', '=', item.id)
      .execute();
  }
  await trx
    .insertInto('intake_events')
    .values({
      item_id: item.id,
      at: now,
      actor_user_id: actor.userId,
      event: 'case_opened',
      detail: JSON.stringify({ case: caseId, ...(item.status !== 'closed' ? { status: 'closed' } : {}) }),
    })
    .execute();
}

export interface ReferralDraft {
  itemId: string;
  regionId: string | null;
  regionName: string | null;
  /** The details the referral gives, for the new case form. */
  values: CaseDetailsInput;
  /** The case already opened from it, when there is one the actor may see. */
  existingCaseId: string | null;
  /** True when a case exists that the actor may not see (it moved to another region). */
  existingElsewhere: boolean;
  /** Someone else claimed the referral: only they can open a case from it. */
  claimedByOther: boolean;
}

/**
 * The new-case form's values from a referral: opens the referral through the queue (an audited read,
 * `intake.open`) and maps what it says about the young person.
 */
export async function referralDraft(
  ctx: CaseServiceContext,
  actor: Actor,
  itemId: string,
  origin: RequestOrigin,
): Promise<ReferralDraft> {
  const item = await openItem({ db: ctx.db, keyring: ctx.keyring, now: ctx.now }, actor, itemId, origin);
  const linked = await ctx.db
    .selectFrom('cases')
    .select(['id', 'region_id'])
    .where('intake_item_id', '=', item.id)
    .where('purged_at', 'is', null)
    .executeTakeFirst();
  const visible = linked && can(actor, 'cases.read', { regionId: linked.region_id });
  return {
    itemId: item.id,
    regionId: item.regionId,
    regionName: item.regionName,
    values: detailsFromReferral(item.payload, { age: item.age, countyFips: item.countyFips }),
    existingCaseId: visible ? linked.id : null,
    existingElsewhere: Boolean(linked && !visible),
    claimedByOther:
      item.status !== 'closed' && item.claimedBy !== null && item.claimedBy.userId !== actor.userId,
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading a case

export interface PersonRef {
  userId: string;
  name: string;
}

export interface CaseNote {
  id: string;
  category: string;
  body: string;
  author: PersonRef;
  createdAt: Date;
}

export interface ServiceDelivered {
  id: string;
  serviceCode: string;
  deliveredOn: string;
  recordedBy: PersonRef;
  createdAt: Date;
}

export interface TimelineEntry {
  id: string;
  at: Date;
  event: string;
  /** Null for the system (a background job). */
  actor: PersonRef | null;
  detail: Record<string, unknown>;
}

export interface CaseDetail {
  id: string;
  status: CaseStatus;
  regionId: string;
  regionName: string;
  countyFips: string | null;
  countyName: string | null;
  ageBand: AgeBand;
  intakeItemId: string | null;
  openedAt: Date;
  openedBy: PersonRef | null;
  updatedAt: Date;
  closedAt: Date | null;
  closedBy: PersonRef | null;
  closeReason: string | null;
  exitHousing: string | null;
  survey: Record<SurveyQuestion, SurveyAnswer | null>;
  purgeAfter: Date | null;
  personal: CasePersonal;
  assigned: (PersonRef & { assignedAt: Date })[];
  notes: CaseNote[];
  /** All notes of the case (`notes` holds the newest {@link NOTES_SHOWN}). */
  notesTotal: number;
  services: ServiceDelivered[];
  timeline: TimelineEntry[];
  /** The cursor of the next (older) timeline page, or null. */
  timelineNext: string | null;
  possibleDuplicateRegions: string[];
}

const person = (names: Map<string, string>, id: string | null): PersonRef | null =>
  id ? { userId: id, name: names.get(id) ?? 'a colleague' } : null;

async function timelinePage(
  trx: Transaction<DB> | Database,
  caseId: string,
  before: string | null,
  limit: number,
) {
  let q = trx
    .selectFrom('case_events')
    .select(['id', 'at', 'event', 'actor_user_id', 'detail'])
    .where('case_id', '=', caseId);
  // The cursor row's own (at, id): entries written with the same time still page exactly.
  if (before !== null)
    q = q.where(
      sql<boolean>`(at, id) < (select k.at, k.id from case_events k where k.id = ${before} and k.case_id = ${caseId})`,
    );
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  return { rows: page, next: more ? String(page[page.length - 1]!.id) : null };
}

const cursorOf = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined || value === '') return null;
  if (!/^\d{1,18}$/.test(value))
    throw new CaseInputError([{ field: 'before', message: 'That page of the timeline does not exist.' }]);
  return value;
};

/**
 * Opens a case: its decrypted details, assigned navigators, notes (newest first), services delivered,
 * the latest timeline entries and the other regions with a possible match. Audited (`case.open`) in
 * the same transaction as the read.
 *
 * @example
 * const c = await getCase(ctx, navigator, caseId, origin);
 */
export async function getCase(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
  options: { timelineBefore?: string | null } = {},
): Promise<CaseDetail> {
  if (!caseScopeOf(actor, 'cases.read')) throw forbidden('see cases');
  const before = cursorOf(options.timelineBefore);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const [names, personal, assigned, notes, notesTotal, services, timeline, duplicates] = await Promise.all([
      trx
        .selectFrom('regions as r')
        .leftJoin('counties as c', (j) => j.on('c.fips', '=', row.county_fips))
        .select(['r.name as region', 'c.name as county'])
        .where('r.id', '=', row.region_id)
        .executeTakeFirst(),
      openPersonal(ctx.keyring, row),
      trx
        .selectFrom('case_assignments')
        .select(['user_id', 'assigned_at'])
        .where('case_id', '=', row.id)
        .where('ended_at', 'is', null)
        .orderBy('assigned_at')
        .execute(),
      trx
        .selectFrom('case_notes')
        .select(['id', 'category', 'body_encrypted', 'author_id', 'created_at'])
        .where('case_id', '=', row.id)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(NOTES_SHOWN)
        .execute(),
      trx
        .selectFrom('case_notes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('case_id', '=', row.id)
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom('services_delivered')
        .select(['id', 'service_code', 'delivered_on', 'recorded_by', 'created_at'])
        .where('case_id', '=', row.id)
        .orderBy('delivered_on', 'desc')
        .orderBy('created_at', 'desc')
        .execute(),
      timelinePage(trx, row.id, before, TIMELINE_PAGE_SIZE),
      duplicateRegions(trx, row),
    ]);
    const staff = await staffNames(
      ctx,
      [
        row.opened_by,
        row.closed_by,
        ...assigned.map((a) => a.user_id),
        ...notes.map((n) => n.author_id),
        ...services.map((s) => s.recorded_by),
        ...timeline.rows.map((e) => e.actor_user_id),
      ],
      trx,
    );
    const noteBodies = await Promise.all(
      notes.map((n) =>
        openCaseField(
          ctx.keyring,
          { table: 'case_notes', recordId: n.id, field: 'body_encrypted' },
          n.body_encrypted,
        ),
      ),
    );
    await auditCase(trx, actor, origin, {
      action: 'case.open',
      caseId: row.id,
      details: { region: row.region_id, status: row.status },
    });
    return {
      id: row.id,
      status: row.status,
      regionId: row.region_id,
      regionName: names?.region ?? row.region_id,
      countyFips: row.county_fips,
      countyName: names?.county ?? null,
      ageBand: row.age_band,
      intakeItemId: row.intake_item_id,
      openedAt: row.opened_at,
      openedBy: person(staff, row.opened_by),
      updatedAt: row.updated_at,
      closedAt: row.closed_at,
      closedBy: person(staff, row.closed_by),
      closeReason: row.close_reason,
      exitHousing: row.exit_housing,
      survey: {
        feelsSafer: row.survey_feels_safer,
        moreHopeful: row.survey_more_hopeful,
        knowsWhereHelp: row.survey_knows_where_help,
      },
      purgeAfter: row.purge_after,
      personal,
      assigned: assigned.map((a) => ({ ...person(staff, a.user_id)!, assignedAt: a.assigned_at })),
      notes: notes.map((n, i) => ({
        id: n.id,
        category: n.category,
        body: noteBodies[i]!,
        author: person(staff, n.author_id)!,
        createdAt: n.created_at,
      })),
      notesTotal: Number(notesTotal.n),
      services: services.map((s) => ({
        id: s.id,
        serviceCode: s.service_code,
        deliveredOn: s.delivered_on,
        recordedBy: person(staff, s.recorded_by)!,
        createdAt: s.created_at,
      })),
      timeline: timeline.rows.map((e) => ({
        id: String(e.id),
        at: e.at,
        event: e.event,
        actor: person(staff, e.actor_user_id),
        detail: e.detail,
      })),
      timelineNext: timeline.next,
      possibleDuplicateRegions: duplicates,
    };
  });
}

/**
 * A page of the case's timeline, newest first (`before`: the cursor of the previous page). The timeline
 * holds codes and ids, never personal data, so reading it is not audited.
 */
export async function listTimeline(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  options: { before?: string | null; limit?: number } = {},
): Promise<{ entries: TimelineEntry[]; next: string | null }> {
  if (!caseScopeOf(actor, 'cases.read')) throw forbidden('see cases');
  const row = await findCase(ctx.db, actor, caseId, 'cases.read');
  const limit = Math.min(Math.max(options.limit ?? TIMELINE_PAGE_SIZE, 1), 200);
  const page = await timelinePage(ctx.db, row.id, cursorOf(options.before), limit);
  const staff = await staffNames(
    ctx,
    page.rows.map((e) => e.actor_user_id),
  );
  return {
    entries: page.rows.map((e) => ({
      id: String(e.id),
      at: e.at,
      event: e.event,
      actor: person(staff, e.actor_user_id),
      detail: e.detail,
    })),
    next: page.next,
  };
}

// ---------------------------------------------------------------------------------------------------
// Changes

/**
 * One change to a case, in one transaction: the row locked, the change, `updated_at`, and the audit
 * record last. A closed case refuses changes unless `allowClosed`.
 */
async function changeCase<T>(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
  options: { allowClosed?: boolean },
  work: (
    trx: Transaction<DB>,
    row: CaseRow,
    now: Date,
  ) => Promise<{ result: T; action: string; details: Record<string, unknown> }>,
): Promise<T> {
  if (!caseScopeOf(actor, 'cases.write')) throw forbidden();
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status === 'closed' && !options.allowClosed)
      throw new CaseError('conflict', 'This case is closed. Reopen it to make changes.');
    const done = await work(trx, row, now);
    await trx.updateTable('cases').set({ updated_at: now }).where('id', '=', row.id).execute();
    await auditCase(trx, actor, origin, {
      action: done.action,
      caseId: row.id,
      details: { region: row.region_id, ...done.details },
    });
    return done.result;
  });
}

/** A version stamp of a case, for forms that must not overwrite a change made meanwhile. */
export const versionOf = (updatedAt: Date) => updatedAt.toISOString();

/**
 * Replaces a case's details (all of them, as the edit form sends them). With `version`, refuses the
 * change when someone changed the case since it was read. The duplicate index and age band follow.
 */
export async function updateCaseDetails(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: CaseDetailsInput & { version?: string | null },
  origin: RequestOrigin,
): Promise<{ changed: string[]; possibleDuplicateRegions: string[] }> {
  if (!caseScopeOf(actor, 'cases.write')) throw forbidden();
  const today = ctx.calendar.local(nowOf(ctx)).date;
  const { personal, countyFips } = checkCaseDetails(input, ctx.vocabularies, today);
  return changeCase(ctx, actor, caseId, origin, {}, async (trx, row) => {
    if (input.version && input.version !== versionOf(row.updated_at))
      throw new CaseError(
        'conflict',
        'Someone changed this case after you opened the form. Check the details below and save again.',
      );
    await checkCounty(trx, countyFips);
    const before = await openPersonal(ctx.keyring, row);
    const changed = changedFields(
      detailsInputOf(before, row.county_fips),
      detailsInputOf(personal, countyFips),
    );
    const duplicateIndex = await duplicateIndexFor(ctx.keyring, personal, trx);
    if (changed.length) {
      await trx
        .updateTable('cases')
        .set({
          personal_encrypted: await sealPersonal(ctx.keyring, row.id, personal, trx),
          county_fips: countyFips,
          age_band: caseAgeBand(personal, ctx.calendar.local(row.opened_at).date),
          duplicate_index: duplicateIndex,
        })
        .where('id', '=', row.id)
        .execute();
      await recordCaseEvent(trx, {
        caseId: row.id,
        actorUserId: actor.userId,
        event: 'case.details_updated',
        detail: { fields: changed },
      });
    }
    const duplicates = await duplicateRegions(trx, { ...row, duplicate_index: duplicateIndex });
    return {
      result: { changed, possibleDuplicateRegions: duplicates },
      action: 'case.update',
      details: { fields: changed, possible_matches_in_regions: duplicates.length },
    };
  });
}

/** Active navigators of a region (for the assignment form), by name. */
export async function regionNavigators(
  ctx: Pick<CaseServiceContext, 'db' | 'keyring'>,
  regionId: string,
): Promise<PersonRef[]> {
  const rows = await ctx.db
    .selectFrom('staff_users')
    .select('id')
    .where('role', '=', 'navigator')
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`${regionId} = any(regions)`)
    .execute();
  const names = await staffNames(
    ctx,
    rows.map((r) => r.id),
  );
  return rows
    .map((r) => ({ userId: r.id, name: names.get(r.id) ?? 'a colleague' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Assigns a navigator of the case's region (an active account) to the case; they get an in-app
 * notification (no personal data: a fixed sentence and a link).
 */
export async function assignNavigator(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  userId: string,
  origin: RequestOrigin,
): Promise<void> {
  await changeCase(ctx, actor, caseId, origin, {}, async (trx, row, now) => {
    const wrong = () =>
      new CaseInputError([
        { field: 'userId', message: 'Choose a navigator of this case’s region from the list.' },
      ]);
    if (!UUID.test(userId)) throw wrong();
    const user = await trx
      .selectFrom('staff_users')
      .select(['id', 'role', 'regions', 'disabled_at'])
      .where('id', '=', userId.toLowerCase())
      .executeTakeFirst();
    if (!user || user.role !== 'navigator' || user.disabled_at || !user.regions.includes(row.region_id))
      throw wrong();
    const active = await trx
      .selectFrom('case_assignments')
      .select('user_id')
      .where('case_id', '=', row.id)
      .where('user_id', '=', user.id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (active) throw new CaseError('conflict', 'That navigator is already assigned to this case.');
    await trx
      .insertInto('case_assignments')
      .values({ case_id: row.id, user_id: user.id, assigned_by: actor.userId, assigned_at: now })
      .execute();
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'navigator.assigned',
      detail: { user: user.id },
      at: now,
    });
    if (user.id !== actor.userId) {
      const region = await trx
        .selectFrom('regions')
        .select('name')
        .where('id', '=', row.region_id)
        .executeTakeFirst();
      await addNotification(trx, {
        userId: user.id,
        kind: 'case_assigned',
        text: `A case in ${region?.name ?? 'your region'} was assigned to you`,
        link: `/staff/cases/${row.id}`,
        at: now,
      });
    }
    return { result: undefined, action: 'case.assign', details: { user: user.id } };
  });
}

/** Ends a navigator's assignment to the case. */
export async function unassignNavigator(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  userId: string,
  origin: RequestOrigin,
): Promise<void> {
  await changeCase(ctx, actor, caseId, origin, {}, async (trx, row, now) => {
    const notAssigned = () => new CaseError('conflict', 'That person is not assigned to this case.');
    if (!UUID.test(userId)) throw notAssigned();
    const ended = await trx
      .updateTable('case_assignments')
      .set({ ended_at: now })
      .where('case_id', '=', row.id)
      .where('user_id', '=', userId.toLowerCase())
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(ended.numUpdatedRows) === 0) throw notAssigned();
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'navigator.unassigned',
      detail: { user: userId.toLowerCase() },
      at: now,
    });
    return { result: undefined, action: 'case.unassign', details: { user: userId.toLowerCase() } };
  });
}

/** Adds a note (a category from the pack's list; the body is encrypted under the case's key). */
export async function addNote(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: { category?: string | null; body?: string | null },
  origin: RequestOrigin,
): Promise<string> {
  const problems: FieldProblem[] = [];
  const category = oneText(input.category);
  if (category === null || !ctx.vocabularies.noteCategories.some((e) => e.code === category))
    problems.push({ field: 'category', message: 'Choose what the note is about.' });
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (body === '') problems.push({ field: 'body', message: 'Write the note.' });
  else if (body.length > NOTE_MAX)
    problems.push({ field: 'body', message: `The note must be ${NOTE_MAX} characters or fewer.` });
  else if (hasControl(body, true))
    problems.push({ field: 'body', message: 'Use letters, numbers, spaces and punctuation in the note.' });
  if (problems.length) throw new CaseInputError(problems);
  const noteId = randomUUID();
  return changeCase(ctx, actor, caseId, origin, {}, async (trx, row, now) => {
    await trx
      .insertInto('case_notes')
      .values({
        id: noteId,
        case_id: row.id,
        category: category!,
        body_encrypted: await sealCaseField(
          ctx.keyring,
          row.id,
          { table: 'case_notes', recordId: noteId, field: 'body_encrypted' },
          body,
          trx,
        ),
        author_id: actor.userId,
        created_at: now,
      })
      .execute();
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'note.added',
      detail: { note: noteId, category },
      at: now,
    });
    return { result: noteId, action: 'case.note.add', details: { note: noteId, category } };
  });
}

/** Records a service delivered (a code from the pack's services list, on a date not in the future). */
export async function recordService(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: { serviceCode?: string | null; deliveredOn?: string | null },
  origin: RequestOrigin,
): Promise<string> {
  const today = ctx.calendar.local(nowOf(ctx)).date;
  const problems: FieldProblem[] = [];
  const code = oneText(input.serviceCode);
  if (code === null || !ctx.vocabularies.services.some((e) => e.code === code))
    problems.push({ field: 'serviceCode', message: 'Choose the service from the list.' });
  const on = oneText(input.deliveredOn) ?? today;
  if (!isRealDate(on))
    problems.push({
      field: 'deliveredOn',
      message: 'Enter the date as year-month-day, for example 2026-11-24.',
    });
  else if (on > today) problems.push({ field: 'deliveredOn', message: 'The date cannot be in the future.' });
  else if (ageOn(on, today) > 100)
    problems.push({ field: 'deliveredOn', message: 'Check the year of the date.' });
  if (problems.length) throw new CaseInputError(problems);
  const serviceId = randomUUID();
  return changeCase(ctx, actor, caseId, origin, {}, async (trx, row, now) => {
    await trx
      .insertInto('services_delivered')
      .values({
        id: serviceId,
        case_id: row.id,
        service_code: code!,
        delivered_on: on,
        recorded_by: actor.userId,
        created_at: now,
      })
      .execute();
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'service.recorded',
      detail: { service: serviceId, code, delivered_on: on },
      at: now,
    });
    return { result: serviceId, action: 'case.service.add', details: { service: serviceId, code } };
  });
}

export interface CloseCaseInput {
  reason?: string | null;
  exitHousing?: string | null;
  feelsSafer?: string | null;
  moreHopeful?: string | null;
  knowsWhereHelp?: string | null;
}

/**
 * Closes a case: the reason, the housing situation at exit, and the young person's own answers to the
 * short optional survey (each yes / no / not sure / not asked). Sets `purge_after` to the closing time
 * plus the retention period, after which the retention job destroys the case's data key.
 */
export async function closeCase(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: CloseCaseInput,
  origin: RequestOrigin,
): Promise<{ purgeAfter: Date }> {
  const problems: FieldProblem[] = [];
  const reason = oneText(input.reason);
  if (reason === null || !ctx.vocabularies.closeReasons.some((e) => e.code === reason))
    problems.push({ field: 'reason', message: 'Choose why the case is closing.' });
  const housing = oneText(input.exitHousing);
  if (housing === null || !ctx.vocabularies.exitHousing.some((e) => e.code === housing))
    problems.push({
      field: 'exitHousing',
      message: 'Choose where the young person is living now (or “Not known”).',
    });
  const survey = {} as Record<SurveyQuestion, SurveyAnswer>;
  for (const q of Object.keys(SURVEY_QUESTIONS) as SurveyQuestion[]) {
    const answer = oneText(input[q]) ?? 'not_asked';
    if (!(SURVEY_ANSWERS as readonly string[]).includes(answer))
      problems.push({ field: q, message: 'Choose one of the answers, or “Not asked”.' });
    survey[q] = answer as SurveyAnswer;
  }
  if (problems.length) throw new CaseInputError(problems);
  const days = ctx.retentionDays ?? DEFAULT_CASE_RETENTION_DAYS;
  return changeCase(ctx, actor, caseId, origin, {}, async (trx, row, now) => {
    const purgeAfter = new Date(now.getTime() + days * 86_400_000);
    await trx
      .updateTable('cases')
      .set({
        status: 'closed',
        closed_at: now,
        closed_by: actor.userId,
        close_reason: reason,
        exit_housing: housing,
        survey_feels_safer: survey.feelsSafer,
        survey_more_hopeful: survey.moreHopeful,
        survey_knows_where_help: survey.knowsWhereHelp,
        purge_after: purgeAfter,
      })
      .where('id', '=', row.id)
      .execute();
    const answered = Object.values(survey).some((a) => a !== 'not_asked');
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'case.closed',
      detail: { reason, exit_housing: housing, survey_answered: answered },
      at: now,
    });
    return {
      result: { purgeAfter },
      action: 'case.close',
      details: { reason, exit_housing: housing, retention_days: days },
    };
  });
}

/** Reopens a closed case (one not yet purged): the closing details and the purge date are cleared. */
export async function reopenCase(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<void> {
  await changeCase(ctx, actor, caseId, origin, { allowClosed: true }, async (trx, row, now) => {
    if (row.status !== 'closed') throw new CaseError('conflict', 'This case is already open.');
    await trx
      .updateTable('cases')
      .set({
        status: 'open',
        closed_at: null,
        closed_by: null,
        close_reason: null,
        exit_housing: null,
        survey_feels_safer: null,
        survey_more_hopeful: null,
        survey_knows_where_help: null,
        purge_after: null,
      })
      .where('id', '=', row.id)
      .execute();
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'case.reopened',
      detail: { previous_reason: row.close_reason },
      at: now,
    });
    return { result: undefined, action: 'case.reopen', details: { previous_reason: row.close_reason } };
  });
}

// ---------------------------------------------------------------------------------------------------
// The dashboards' lists

export const CASE_LIST_VIEWS = {
  mine: 'My open cases',
  open: 'Open cases',
  closed: 'Closed cases',
} as const;
export type CaseListView = keyof typeof CASE_LIST_VIEWS;

export interface CaseListFilters {
  view?: CaseListView;
  /** One region (of the actor's). */
  region?: string | null;
  /** The cursor: the id of the last case of the previous page. */
  after?: string | null;
  limit?: number;
}

export interface CaseSummary {
  id: string;
  /** Decrypted for the page's rows only; null when it cannot be read. */
  chosenName: string | null;
  status: CaseStatus;
  regionId: string;
  regionName: string;
  countyName: string | null;
  ageBand: AgeBand;
  openedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  assigned: PersonRef[];
}

export interface CaseList {
  cases: CaseSummary[];
  /** How many cases the view holds in all. */
  total: number;
  /** The cursor of the next page, or null. */
  next: string | null;
}

/**
 * A page of cases for the dashboard, newest first: the actor's own open cases (`mine`), the open cases
 * of their regions (`open`; every region for a state administrator) or the closed ones (`closed`,
 * most recently closed first). Keyset pagination on (opened_at, id) or (closed_at, id), each served by
 * an index; only the page's rows are decrypted (the chosen name), and the read is audited
 * (`case.list`, with the ids shown).
 *
 * @example
 * const page = await listCases(ctx, navigator, { view: 'mine' }, origin);
 */
export async function listCases(
  ctx: CaseServiceContext,
  actor: Actor,
  filters: CaseListFilters,
  origin: RequestOrigin,
): Promise<CaseList> {
  const scope = caseScopeOf(actor, 'cases.read');
  if (!scope) throw forbidden('see cases');
  const view = filters.view ?? 'mine';
  if (!Object.hasOwn(CASE_LIST_VIEWS, view))
    throw new CaseInputError([{ field: 'view', message: 'Choose which cases to show from the list.' }]);
  const region = oneText(filters.region);
  if (region !== null && !can(actor, 'cases.read', { regionId: region }))
    throw new CaseInputError([{ field: 'region', message: 'Choose one of your regions from the list.' }]);
  const after = oneText(filters.after);
  if (after !== null && !UUID.test(after))
    throw new CaseInputError([{ field: 'after', message: 'That page of cases does not exist.' }]);
  const limit = Math.min(Math.max(filters.limit ?? CASE_PAGE_SIZE, 1), 100);
  const regions = region !== null ? [region] : scope.all ? null : scope.regions;
  if (regions !== null && regions.length === 0) return { cases: [], total: 0, next: null };

  const base = () => {
    let q =
      view === 'mine'
        ? ctx.db
            .selectFrom('case_assignments as a')
            .innerJoin('cases as c', 'c.id', 'a.case_id')
            .where('a.user_id', '=', actor.userId)
            .where('a.ended_at', 'is', null)
            .where('c.status', '=', 'open')
        : ctx.db.selectFrom('cases as c').where('c.status', '=', view === 'closed' ? 'closed' : 'open');
    q = q.where('c.purged_at', 'is', null);
    if (regions !== null) q = q.where('c.region_id', 'in', regions);
    return q;
  };
  const key = view === 'closed' ? sql.ref('c.closed_at') : sql.ref('c.opened_at');
  const keyColumn = view === 'closed' ? sql.ref('k.closed_at') : sql.ref('k.opened_at');
  let page = base()
    .leftJoin('regions as r', 'r.id', 'c.region_id')
    .leftJoin('counties as co', 'co.fips', 'c.county_fips')
    .select([
      'c.id',
      'c.personal_encrypted',
      'c.status',
      'c.region_id',
      'r.name as region_name',
      'co.name as county_name',
      'c.age_band',
      'c.opened_at',
      'c.updated_at',
      'c.closed_at',
    ]);
  if (after !== null) {
    // The cursor row's own key, so that timestamps compare exactly (microseconds included). The first
    // condition lets the index range scan start at the cursor.
    const cursor = sql`(select ${keyColumn} from cases k where k.id = ${after})`;
    page = page
      .where(sql<boolean>`${key} <= ${cursor}`)
      .where(sql<boolean>`(${key}, c.id) < (${cursor}, ${after}::uuid)`);
  }
  const [rows, count] = await Promise.all([
    page
      .orderBy(key, 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit + 1)
      .execute(),
    base()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const shown = rows.slice(0, limit);
  const ids = shown.map((r) => r.id);
  return ctx.db.transaction().execute(async (trx) => {
    const assignments = ids.length
      ? await trx
          .selectFrom('case_assignments')
          .select(['case_id', 'user_id'])
          .where('case_id', 'in', ids)
          .where('ended_at', 'is', null)
          .orderBy('assigned_at')
          .execute()
      : [];
    const names = await staffNames(
      ctx,
      assignments.map((a) => a.user_id),
      trx,
    );
    const cases = await Promise.all(
      shown.map(async (r): Promise<CaseSummary> => {
        let chosenName: string | null = null;
        try {
          chosenName = (await openPersonal(ctx.keyring, r)).chosenName;
        } catch {
          // An erased or unreadable case still lists, without its name.
        }
        return {
          id: r.id,
          chosenName,
          status: r.status,
          regionId: r.region_id,
          regionName: r.region_name ?? r.region_id,
          countyName: r.county_name ?? null,
          ageBand: r.age_band,
          openedAt: r.opened_at,
          updatedAt: r.updated_at,
          closedAt: r.closed_at,
          assigned: assignments.filter((a) => a.case_id === r.id).map((a) => person(names, a.user_id)!),
        };
      }),
    );
    if (cases.length)
      await recordAudit(trx, {
        actorKind: actorKind(actor),
        actorUserId: actor.userId,
        action: 'case.list',
        subjectType: 'case',
        organizationId: actor.organizationId,
        ip: origin.ip,
        userAgent: origin.userAgent,
        details: { view, ...(region ? { region } : {}), cases: ids },
      });
    return { cases, total: Number(count.n), next: rows.length > limit ? shown[shown.length - 1]!.id : null };
  });
}

export { CASE_NOT_FOUND };
