/**
 * A young person's case: opening it (directly, or from a referral in the navigator queue), reading it
 * (an audited read of personal data), changing its details, assigning navigators of its region, notes,
 * services delivered, closing and reopening, and the timeline. Finding cases (the dashboards' lists,
 * search, and possible duplicates in other regions) is in search.ts; changes to an open case in
 * changes.ts; both are exported from here.
 *
 * Every use case starts with `authorize`, then reads its input (schema.ts). Every personal field lives
 * in `cases.personal_encrypted` (or a note's body) under the case's own data key, so destroying that key
 * erases them all. Every change takes the case's row lock, writes its timeline event(s) and records its
 * audit event last, in one transaction; every read of personal data is audited (reads go to the audit
 * log, not to the timeline). A case outside the actor's regions is answered like one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';

import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { openPayload, type IntakePayload } from '../intake/index.ts';
import { REFERRER_ROLE_LABELS } from '../intake/service.ts';
import { pathwayTasksForNewCase } from '../tasks/service.ts';

import type { AgeBand } from '../intake/index.ts';

import { openItem } from '../queue/service.ts';
import {
  CASE_NOT_FOUND,
  CaseError,
  auditCase,
  auditCaseRead,
  duplicateIndexFor,
  nowOf,
  openCaseField,
  openPersonal,
  sealCaseField,
  sealPersonal,
  type CasePersonal,
  type RequestOrigin,
} from './core.ts';
import * as q from './queries.ts';
import { writeSearchTerms } from './search.ts';
import {
  NOTES_SHOWN,
  REFERRAL_NOTE_CATEGORY,
  TIMELINE_PAGE_SIZE,
  UUID,
  caseNumberOf,
  detailsFromReferral,
  oneText,
  referralNoteText,
  withReferralDetails,
  type CaseDetailsInput,
  type CaseList,
  type CaseListFilters,
  type CaseSummary,
  type CaseListView,
  type PersonRef,
  type SurveyQuestion,
} from './rules.ts';
import {
  CaseInputError,
  checkCaseDetails,
  parseInput,
  timelineCursorSchema,
  type FieldProblem,
} from './schema.ts';
import type { CaseStatus, SurveyAnswer } from './tables.ts';

import {
  READ,
  WRITE,
  caseAgeBand,
  caseEvent,
  caseInScope,
  checkCounty,
  peopleOf,
  refusal,
  type CaseServiceContext,
} from './changes.ts';

export type { CaseList, CaseListFilters, CaseListView, CaseSummary, PersonRef };
export * from './changes.ts';
export * from './search.ts';

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
  /** The case number it was given, e.g. `WM-2026-0042`. */
  caseNumber: string;
  regionId: string;
  /** Other regions with a possible match ("request a consult"). */
  possibleDuplicateRegions: string[];
}

const doorCodes = (ctx: CaseServiceContext) => ctx.vocabularies.doors.map((d) => d.code);

const ALREADY_OPENED = 'A case has already been opened from this referral.';

/** The referral a case is opened from, locked: one the actor may open a case from, else the refusal. */
async function referralToOpen(trx: Transaction<DB>, actor: Actor, itemId: string): Promise<q.IntakeItemRow> {
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
  const item = await q.intakeItemForUpdate(trx, itemId);
  if (!item || !can(actor, 'intake.read', { regionId: item.region_id })) throw notFound();
  authorize(actor, 'cases.write', { regionId: item.region_id }, refusal('open a case for this referral'));
  if (await q.caseOpenedFrom(trx, item.id)) throw new CaseError('conflict', ALREADY_OPENED);
  if (item.status !== 'closed' && item.claimed_by !== null && item.claimed_by !== actor.userId)
    throw new CaseError(
      'conflict',
      'Someone else has claimed this referral: only they can open a case from it, or release it first.',
    );
  return item;
}

const roleName = (role: string) => REFERRER_ROLE_LABELS[role as keyof typeof REFERRER_ROLE_LABELS] ?? role;

/**
 * What a case opened from a referral keeps of it, inside the opening's transaction: a first note
 * (category `intake`, sealed under the case's key) with what was observed, who referred and how to reach
 * them, and the screening's answers; and, when the screening handed on the pathway's facts, the
 * pathway's tasks, due from when the referral was received and given to the opener when they are a
 * navigator of the case's region (idempotent per action). Returns what the audit record names (ids and
 * codes, never the text).
 */
async function carryReferral(
  ctx: CaseServiceContext,
  trx: Transaction<DB>,
  actor: Actor,
  caseId: string,
  regionId: string,
  item: q.IntakeItemRow,
  payload: IntakePayload,
  now: Date,
): Promise<Record<string, unknown>> {
  const carried: Record<string, unknown> = {};
  const text = referralNoteText(payload, roleName);
  if (text !== null) {
    const noteId = randomUUID();
    await q.insertNote(trx, {
      id: noteId,
      case_id: caseId,
      category: REFERRAL_NOTE_CATEGORY,
      body_encrypted: await sealCaseField(
        ctx.keyring,
        caseId,
        { table: 'case_notes', recordId: noteId, field: 'body_encrypted' },
        text,
        trx,
      ),
      author_id: actor.userId,
      created_at: now,
    });
    await caseEvent(
      trx,
      actor,
      caseId,
      'note.added',
      { note: noteId, category: REFERRAL_NOTE_CATEGORY },
      now,
    );
    carried.referral_note = noteId;
  }
  if (payload.screening) {
    if (!ctx.pathway)
      throw new Error('Opening a case from a referral with screening needs the pathway’s rules.');
    const tasks = await pathwayTasksForNewCase(
      trx,
      { keyring: ctx.keyring, calendar: ctx.calendar, pathway: ctx.pathway },
      {
        caseId,
        regionId,
        facts: payload.screening.facts,
        from: item.created_at,
        assigneeUserId: actor.role === 'navigator' && actor.regions.includes(regionId) ? actor.userId : null,
        createdBy: actor.userId,
        now,
      },
    );
    if (tasks.created.length) {
      carried.pathway_tasks = tasks.created;
      carried.pathway_codes = tasks.codes;
    }
  }
  return carried;
}

/**
 * Opens a case in one transaction: the case row with its personal fields sealed under its own key, the
 * duplicate index, the opener assigned (a navigator of the region), the `case.opened` event and the
 * audit record. From a referral (`intakeItemId`): details left out are taken from the referral, the case
 * is linked to it, and the referral is closed in the queue as "connected to services" (unless it already
 * was), with a `case_opened` event in its history; what the referral said beyond the young person's
 * details becomes the case's first note and its screening's facts the pathway's tasks
 * (`carryReferral`). A referral claimed by someone else is refused.
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
  const scope = authorize(actor, 'cases.write', undefined, WRITE);
  if (!scope.all && scope.regions.length === 0)
    throw new CaseError(
      'forbidden',
      'You have no regions yet, so you cannot open a case. Ask your organization’s administrator to assign yours.',
    );
  const now = nowOf(ctx);
  const today = ctx.calendar.local(now).date;
  const id = randomUUID();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      let details: CaseDetailsInput = input;
      let regionId = oneText(input.regionId);
      const itemId = oneText(input.intakeItemId);
      const item = itemId !== null ? await referralToOpen(trx, actor, itemId) : null;
      let payload: IntakePayload | null = null;
      if (item) {
        if (regionId !== null && regionId !== item.region_id)
          throw new CaseInputError([
            { field: 'regionId', message: 'A case opened from a referral belongs to the referral’s region.' },
          ]);
        regionId = item.region_id;
        payload = await openPayload(ctx.keyring, item.id, item.payload_encrypted);
        details = withReferralDetails(
          detailsFromReferral(
            payload,
            { age: item.age, countyFips: item.county_fips, kind: item.kind },
            doorCodes(ctx),
          ),
          input,
        );
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
      const region = await q.regionById(trx, regionId);
      if (!region) throw new CaseInputError([{ field: 'regionId', message: 'Choose one of your regions.' }]);
      await checkCounty(trx, checked.countyFips);

      const { personal, countyFips } = checked;
      const duplicateIndex = await duplicateIndexFor(ctx.keyring, personal, trx);
      const number = await q.insertCase(trx, {
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
      });
      await writeSearchTerms(trx, ctx.keyring, id, personal);
      const fromItem = item ? { intake_item: item.id } : {};
      await caseEvent(trx, actor, id, 'case.opened', { region: region.id, ...fromItem }, now);
      if (actor.role === 'navigator' && actor.regions.includes(region.id)) {
        await q.insertAssignment(trx, {
          caseId: id,
          userId: actor.userId,
          assignedBy: actor.userId,
          at: now,
        });
        await caseEvent(trx, actor, id, 'navigator.assigned', { user: actor.userId }, now);
      }
      const carried =
        item && payload ? await carryReferral(ctx, trx, actor, id, region.id, item, payload, now) : {};
      if (item) await q.markReferralCaseOpened(trx, actor.userId, item, id, now);
      const duplicates = await q.duplicateRegions(trx, {
        id,
        region_id: region.id,
        duplicate_index: duplicateIndex,
      });
      await auditCase(trx, actor, origin, {
        action: 'case.create',
        caseId: id,
        details: {
          region: region.id,
          ...fromItem,
          ...carried,
          possible_matches_in_regions: duplicates.length,
        },
      });
      if (item)
        await recordActorAudit(trx, actor, origin, {
          action: 'intake.case_opened',
          subjectType: 'intake_item',
          subjectId: item.id,
          details: { region: item.region_id, case: id, closed: item.status !== 'closed' },
        });
      return {
        id,
        caseNumber: caseNumberOf(number),
        regionId: region.id,
        possibleDuplicateRegions: duplicates,
      };
    });
  } catch (error) {
    // Two people opening a case from one referral at once: the second meets the unique link.
    if ((error as { code?: string }).code === '23505') throw new CaseError('conflict', ALREADY_OPENED);
    throw error;
  }
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
  authorize(actor, 'cases.write', undefined, WRITE);
  const item = await openItem({ db: ctx.db, keyring: ctx.keyring, now: ctx.now }, actor, itemId, origin);
  const linked = await q.caseOpenedFrom(ctx.db, item.id, { livingOnly: true });
  const visible = linked && can(actor, 'cases.read', { regionId: linked.region_id });
  return {
    itemId: item.id,
    regionId: item.regionId,
    regionName: item.regionName,
    values: detailsFromReferral(
      item.payload,
      { age: item.age, countyFips: item.countyFips, kind: item.kind },
      doorCodes(ctx),
    ),
    existingCaseId: visible ? linked.id : null,
    existingElsewhere: Boolean(linked && !visible),
    claimedByOther:
      item.status !== 'closed' && item.claimedBy !== null && item.claimedBy.userId !== actor.userId,
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading a case

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
  /** The case number, e.g. `WM-2026-0042`. */
  caseNumber: string;
  status: CaseStatus;
  regionId: string;
  regionName: string;
  countyFips: string | null;
  countyName: string | null;
  ageBand: AgeBand;
  intakeItemId: string | null;
  /** Whether the actor may open that referral in the queue (it still exists, in one of their regions). */
  intakeItemVisible: boolean;
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

type EventRow = Awaited<ReturnType<typeof q.timelinePage>>['rows'][number];
const timelineEntry =
  (who: (id: string | null) => PersonRef | null) =>
  (e: EventRow): TimelineEntry => ({
    id: String(e.id),
    at: e.at,
    event: e.event,
    actor: who(e.actor_user_id),
    detail: e.detail,
  });

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
  authorize(actor, 'cases.read', undefined, READ);
  // The page's reads run side by side on the pool (read committed gives each statement its own snapshot
  // inside a transaction as well); the audit entry is written in its own short transaction before
  // anything is returned, so a page is never shown without its entry.
  const found = UUID.test(caseId) ? await q.casePageRow(ctx.db, caseId) : undefined;
  if (!found) throw new CaseError('not_found', CASE_NOT_FOUND);
  authorize(actor, 'cases.read', { regionId: found.region_id }, { hidden: true, message: CASE_NOT_FOUND });
  const {
    region_name: regionName,
    county_name: countyName,
    notes_total: notesCount,
    item_region: itemRegionId,
    item_found: itemFound,
    duplicate_regions: duplicates,
    opened_by_name: openedByName,
    closed_by_name: closedByName,
    ...row
  } = found;
  const { before } = parseInput(timelineCursorSchema, { before: options.timelineBefore });
  const [personal, assigned, notes, services, timeline] = await Promise.all([
    openPersonal(ctx.keyring, row),
    q.activeAssignments(ctx.db, [row.id]),
    q.latestNotes(ctx.db, row.id, NOTES_SHOWN),
    q.servicesOf(ctx.db, row.id),
    q.timelinePage(ctx.db, row.id, before, TIMELINE_PAGE_SIZE),
  ]);
  const names = { region: regionName, county: countyName };
  const notesTotal = Number(notesCount);
  const itemRegion = row.intake_item_id && itemFound ? itemRegionId : undefined;
  const [who, noteBodies] = await Promise.all([
    peopleOf(ctx, [
      [row.opened_by, openedByName],
      [row.closed_by, closedByName],
      ...assigned.map((a) => [a.user_id, a.display_name_encrypted] as const),
      ...notes.map((n) => [n.author_id, n.author_name] as const),
      ...services.map((s) => [s.recorded_by, s.recorded_by_name] as const),
      ...timeline.rows.map((e) => [e.actor_user_id, e.actor_name] as const),
    ]),
    Promise.all(
      notes.map((n) =>
        openCaseField(
          ctx.keyring,
          { table: 'case_notes', recordId: n.id, field: 'body_encrypted' },
          n.body_encrypted,
        ),
      ),
    ),
  ]);
  await auditCaseRead(ctx.db, actor, origin, {
    action: 'case.open',
    caseId: row.id,
    details: { region: row.region_id, status: row.status },
  });
  return {
    id: row.id,
    caseNumber: caseNumberOf(row),
    status: row.status,
    regionId: row.region_id,
    regionName: names?.region ?? row.region_id,
    countyFips: row.county_fips,
    countyName: names?.county ?? null,
    ageBand: row.age_band,
    intakeItemId: row.intake_item_id,
    intakeItemVisible:
      itemRegion !== undefined && can(actor, 'intake.read', { regionId: itemRegion ?? undefined }),
    openedAt: row.opened_at,
    openedBy: who(row.opened_by),
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    closedBy: who(row.closed_by),
    closeReason: row.close_reason,
    exitHousing: row.exit_housing,
    survey: {
      feelsSafer: row.survey_feels_safer,
      moreHopeful: row.survey_more_hopeful,
      knowsWhereHelp: row.survey_knows_where_help,
    },
    purgeAfter: row.purge_after,
    personal,
    assigned: assigned.map((a) => ({ ...who(a.user_id)!, assignedAt: a.assigned_at })),
    notes: notes.map((n, i) => ({
      id: n.id,
      category: n.category,
      body: noteBodies[i]!,
      author: who(n.author_id)!,
      createdAt: n.created_at,
    })),
    notesTotal,
    services: services.map((s) => ({
      id: s.id,
      serviceCode: s.service_code,
      deliveredOn: s.delivered_on,
      recordedBy: who(s.recorded_by)!,
      createdAt: s.created_at,
    })),
    timeline: timeline.rows.map(timelineEntry(who)),
    timelineNext: timeline.next,
    possibleDuplicateRegions: duplicates,
  };
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
  authorize(actor, 'cases.read', undefined, READ);
  const row = await caseInScope(ctx.db, actor, caseId, 'cases.read');
  const { before } = parseInput(timelineCursorSchema, { before: options.before });
  const limit = Math.min(Math.max(options.limit ?? TIMELINE_PAGE_SIZE, 1), 200);
  const page = await q.timelinePage(ctx.db, row.id, before, limit);
  const who = await peopleOf(
    ctx,
    page.rows.map((e) => [e.actor_user_id, e.actor_name] as const),
  );
  return { entries: page.rows.map(timelineEntry(who)), next: page.next };
}

export { CASE_NOT_FOUND };
