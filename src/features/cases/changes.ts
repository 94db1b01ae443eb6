/**
 * Changes to a case: its details, assigning navigators, notes, services delivered, closing and
 * reopening — each one transaction that starts with `authorize`, locks the case, reads the input, does
 * the work, and records the timeline event and the audit record — and the helpers the use cases share.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { authorize, type Actor } from '../../platform/access.ts';

import { ageBandOf } from '../intake/service.ts';
import type { Ruleset } from '../pathway/index.ts';
import type { AgeBand } from '../intake/index.ts';
import { addNotification } from '../notifications/service.ts';
import { namesOf, staffNames } from '../queue/service.ts';
import type { findCase } from './core.ts';
import {
  CASE_NOT_FOUND,
  CaseError,
  auditCase,
  caseById,
  duplicateIndexFor,
  nowOf,
  openPersonal,
  recordCaseEvent,
  sealCaseField,
  sealPersonal,
  type CaseContext,
  type CasePersonal,
  type CaseRow,
  type RequestOrigin,
} from './core.ts';
import * as q from './queries.ts';
import { writeSearchTerms } from './search.ts';
import {
  DEFAULT_CASE_RETENTION_DAYS,
  UUID,
  ageOf,
  changedFields,
  detailsInputOf,
  person,
  versionOf,
  type CaseDetailsInput,
  type PersonRef,
} from './rules.ts';
import {
  CaseInputError,
  checkCaseDetails,
  closeSchema,
  noteSchema,
  parseInput,
  serviceSchema,
} from './schema.ts';

export interface CaseServiceContext extends CaseContext {
  /** Days a closed case is kept (`NWD_CASE_RETENTION_DAYS`); default {@link DEFAULT_CASE_RETENTION_DAYS}. */
  retentionDays?: number;
  /**
   * The pathway's rules: a case opened from a referral with screening facts gets the pathway's tasks
   * (opening such a case without them is refused as a fault of the setup).
   */
  pathway?: Ruleset;
}

export const refusal = (what: string) => ({
  message: `You do not have permission to ${what}. Regional navigators do.`,
});
export const READ = refusal('see cases');
export const WRITE = refusal('open or change cases');

/** The age band from a date of birth (on `on`) or an age. */
export const caseAgeBand = (personal: Pick<CasePersonal, 'dateOfBirth' | 'age'>, on: string): AgeBand =>
  ageBandOf(ageOf(personal, on));

/**
 * The case when the actor may take `action` in its region (they passed `authorize` for the action);
 * otherwise `not_found`, the same answer as for a case that does not exist. A purged case is gone.
 */
export async function caseInScope(
  ...[db, actor, caseId, action, options]: Parameters<typeof findCase>
): Promise<CaseRow> {
  const row = await caseById(db, caseId, options);
  if (!row) throw new CaseError('not_found', CASE_NOT_FOUND);
  authorize(actor, action, { regionId: row.region_id }, { hidden: true, message: CASE_NOT_FOUND });
  return row;
}

/** One line of the case's timeline, by the actor, now. */
export const caseEvent = (
  trx: Transaction<DB>,
  actor: Actor,
  caseId: string,
  event: string,
  detail: Record<string, unknown>,
  at?: Date,
) => recordCaseEvent(trx, { caseId, actorUserId: actor.userId, event, detail, ...(at ? { at } : {}) });

/**
 * Names of the people behind ids read with their sealed display names (a join), as references: no
 * query, each name decrypted once.
 */
export async function peopleOf(
  ctx: Pick<CaseServiceContext, 'keyring'>,
  pairs: readonly (readonly [string | null, Buffer | null])[],
) {
  const rows = new Map<string, { id: string; display_name_encrypted: Buffer | null }>();
  for (const [id, sealed] of pairs)
    if (id !== null && !rows.has(id)) rows.set(id, { id, display_name_encrypted: sealed });
  const names = await namesOf(ctx, [...rows.values()]);
  return (id: string | null) => person(names, id);
}

/** Names of the people behind the ids, as references. */
export async function people(ctx: CaseServiceContext, ids: (string | null)[], trx?: Transaction<DB>) {
  const names = await staffNames(ctx, ids, trx);
  return (id: string | null) => person(names, id);
}

export async function checkCounty(trx: Transaction<DB>, countyFips: string | null): Promise<void> {
  if (countyFips !== null && !(await q.countyExists(trx, countyFips)))
    throw new CaseInputError([{ field: 'countyFips', message: 'County: choose from the list.' }]);
}

// ---------------------------------------------------------------------------------------------------
// Changes

interface Change<I, T> {
  /** A closed case refuses changes unless this is set. */
  allowClosed?: boolean;
  /** Reads the input, once the actor is known to hold the case (so a 404 comes before a 400). */
  input: () => I;
  work: (
    trx: Transaction<DB>,
    row: CaseRow,
    now: Date,
    input: I,
  ) => Promise<{ result: T; action: string; details: Record<string, unknown> }>;
}

/**
 * One change to a case, in one transaction: the access check, the row locked, the input read, the
 * change, `updated_at`, and the audit record last.
 */
async function changeCase<I, T>(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
  change: Change<I, T>,
): Promise<T> {
  authorize(actor, 'cases.write', undefined, WRITE);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await caseInScope(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const input = change.input();
    if (row.status === 'closed' && !change.allowClosed)
      throw new CaseError('conflict', 'This case is closed. Reopen it to make changes.');
    const done = await change.work(trx, row, now, input);
    await q.updateCase(trx, row.id, { updated_at: now });
    await auditCase(trx, actor, origin, {
      action: done.action,
      caseId: row.id,
      details: { region: row.region_id, ...done.details },
    });
    return done.result;
  });
}

const noInput = () => undefined;

/**
 * Replaces a case's details (all of them, as the edit form sends them). With `version`, refuses the
 * change when someone changed the case since it was read. The duplicate index and age band follow.
 */
export function updateCaseDetails(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: CaseDetailsInput & { version?: string | null },
  origin: RequestOrigin,
): Promise<{ changed: string[]; possibleDuplicateRegions: string[] }> {
  const today = ctx.calendar.local(nowOf(ctx)).date;
  return changeCase(ctx, actor, caseId, origin, {
    input: () => checkCaseDetails(input, ctx.vocabularies, today),
    work: async (trx, row, _now, { personal, countyFips }) => {
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
        await q.updateCase(trx, row.id, {
          personal_encrypted: await sealPersonal(ctx.keyring, row.id, personal, trx),
          county_fips: countyFips,
          age_band: caseAgeBand(personal, ctx.calendar.local(row.opened_at).date),
          duplicate_index: duplicateIndex,
        });
        await writeSearchTerms(trx, ctx.keyring, row.id, personal);
        await caseEvent(trx, actor, row.id, 'case.details_updated', { fields: changed });
      }
      const duplicates = await q.duplicateRegions(trx, { ...row, duplicate_index: duplicateIndex });
      return {
        result: { changed, possibleDuplicateRegions: duplicates },
        action: 'case.update',
        details: { fields: changed, possible_matches_in_regions: duplicates.length },
      };
    },
  });
}

/** Active navigators of a region (for the assignment form), by name. */
export async function regionNavigators(
  ctx: Pick<CaseServiceContext, 'db' | 'keyring'>,
  regionId: string,
): Promise<PersonRef[]> {
  const rows = await q.navigatorRows(ctx.db, regionId);
  const names = await namesOf(ctx, rows);
  return rows.map((r) => person(names, r.id)!).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A change to who is assigned to a case, for one staff account: no form input, the work in the
 * case's transaction.
 */
const assignment =
  (
    work: (
      trx: Transaction<DB>,
      row: CaseRow,
      now: Date,
      userId: string,
      actor: Actor,
    ) => Promise<{ result: undefined; action: string; details: Record<string, unknown> }>,
  ) =>
  async (
    ctx: CaseServiceContext,
    actor: Actor,
    caseId: string,
    userId: string,
    origin: RequestOrigin,
  ): Promise<void> => {
    await changeCase(ctx, actor, caseId, origin, {
      input: noInput,
      work: (trx, row, now) => work(trx, row, now, userId, actor),
    });
  };

/**
 * Assigns a navigator of the case's region (an active account) to the case; they get an in-app
 * notification (no personal data: a fixed sentence and a link).
 */
export const assignNavigator = assignment(async (trx, row, now, userId, actor) => {
  const wrong = () =>
    new CaseInputError([
      { field: 'userId', message: 'Choose a navigator of this case’s region from the list.' },
    ]);
  if (!UUID.test(userId)) throw wrong();
  const user = await q.staffUser(trx, userId);
  if (!user || user.role !== 'navigator' || user.disabled_at || !user.regions.includes(row.region_id))
    throw wrong();
  if (await q.isAssigned(trx, row.id, user.id))
    throw new CaseError('conflict', 'That navigator is already assigned to this case.');
  await q.insertAssignment(trx, { caseId: row.id, userId: user.id, assignedBy: actor.userId, at: now });
  await caseEvent(trx, actor, row.id, 'navigator.assigned', { user: user.id }, now);
  if (user.id !== actor.userId) {
    const region = await q.regionById(trx, row.region_id);
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

/** Ends a navigator's assignment to the case. */
export const unassignNavigator = assignment(async (trx, row, now, userId, actor) => {
  const user = userId.toLowerCase();
  if (!UUID.test(userId) || !(await q.endAssignment(trx, row.id, user, now)))
    throw new CaseError('conflict', 'That person is not assigned to this case.');
  await caseEvent(trx, actor, row.id, 'navigator.unassigned', { user }, now);
  return { result: undefined, action: 'case.unassign', details: { user } };
});

/** Adds a note (a category from the pack's list; the body is encrypted under the case's key). */
export function addNote(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: { category?: string | null; body?: string | null },
  origin: RequestOrigin,
): Promise<string> {
  return changeCase(ctx, actor, caseId, origin, {
    input: () => parseInput(noteSchema(ctx.vocabularies), input),
    work: async (trx, row, now, { category, body }) => {
      const noteId = randomUUID();
      const address = { table: 'case_notes', recordId: noteId, field: 'body_encrypted' };
      await q.insertNote(trx, {
        id: noteId,
        case_id: row.id,
        category,
        body_encrypted: await sealCaseField(ctx.keyring, row.id, address, body, trx),
        author_id: actor.userId,
        created_at: now,
      });
      await caseEvent(trx, actor, row.id, 'note.added', { note: noteId, category }, now);
      return { result: noteId, action: 'case.note.add', details: { note: noteId, category } };
    },
  });
}

/** Records a service delivered (a code from the pack's services list, on a date not in the future). */
export function recordService(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: { serviceCode?: string | null; deliveredOn?: string | null },
  origin: RequestOrigin,
): Promise<string> {
  const today = ctx.calendar.local(nowOf(ctx)).date;
  return changeCase(ctx, actor, caseId, origin, {
    input: () => parseInput(serviceSchema(ctx.vocabularies, today), input),
    work: async (trx, row, now, { serviceCode: code, deliveredOn: on }) => {
      const serviceId = randomUUID();
      await q.insertService(trx, {
        id: serviceId,
        case_id: row.id,
        service_code: code,
        delivered_on: on,
        recorded_by: actor.userId,
        created_at: now,
      });
      const detail = { service: serviceId, code, delivered_on: on };
      await caseEvent(trx, actor, row.id, 'service.recorded', detail, now);
      return { result: serviceId, action: 'case.service.add', details: { service: serviceId, code } };
    },
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
export function closeCase(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  input: CloseCaseInput,
  origin: RequestOrigin,
): Promise<{ purgeAfter: Date }> {
  const days = ctx.retentionDays ?? DEFAULT_CASE_RETENTION_DAYS;
  return changeCase(ctx, actor, caseId, origin, {
    input: () => parseInput(closeSchema(ctx.vocabularies), input),
    work: async (trx, row, now, { reason, exitHousing: housing, ...survey }) => {
      const purgeAfter = new Date(now.getTime() + days * 86_400_000);
      await q.updateCase(trx, row.id, {
        status: 'closed',
        closed_at: now,
        closed_by: actor.userId,
        close_reason: reason,
        exit_housing: housing,
        survey_feels_safer: survey.feelsSafer,
        survey_more_hopeful: survey.moreHopeful,
        survey_knows_where_help: survey.knowsWhereHelp,
        purge_after: purgeAfter,
      });
      const answered = Object.values(survey).some((a) => a !== 'not_asked');
      const detail = { reason, exit_housing: housing, survey_answered: answered };
      await caseEvent(trx, actor, row.id, 'case.closed', detail, now);
      return {
        result: { purgeAfter },
        action: 'case.close',
        details: { reason, exit_housing: housing, retention_days: days },
      };
    },
  });
}

/** Reopens a closed case (one not yet purged): the closing details and the purge date are cleared. */
export async function reopenCase(
  ctx: CaseServiceContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<void> {
  await changeCase(ctx, actor, caseId, origin, {
    allowClosed: true,
    input: noInput,
    work: async (trx, row, now) => {
      if (row.status !== 'closed') throw new CaseError('conflict', 'This case is already open.');
      await q.updateCase(trx, row.id, {
        status: 'open',
        closed_at: null,
        closed_by: null,
        close_reason: null,
        exit_housing: null,
        survey_feels_safer: null,
        survey_more_hopeful: null,
        survey_knows_where_help: null,
        purge_after: null,
      });
      const detail = { previous_reason: row.close_reason };
      await caseEvent(trx, actor, row.id, 'case.reopened', detail, now);
      return { result: undefined, action: 'case.reopen', details: detail };
    },
  });
}
