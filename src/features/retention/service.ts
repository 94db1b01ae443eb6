/**
 * Retention and a person's rights over their data:
 * - closed cases are purged once `purge_after` has passed, by destroying the case's data key (and the
 *   key of the referral it came from): every encrypted field of the case becomes unreadable at once
 *   (crypto-shredding). The rows stay, with codes and dates only, so counts for evaluation still add
 *   up; an audit record says when and why;
 * - an administrator can find every case held about a person (by chosen name and date of birth,
 *   through the duplicate index, or by case id), export everything held in each, and erase a case on
 *   request (the same crypto-shredding, at once).
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import { ServiceError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { decryptField, type Keyring } from '../../platform/crypto/index.ts';
import type { Database } from '../../db/database.ts';
import { intakeScope, openPayload } from '../intake/index.ts';
import * as q from './queries.ts';
import {
  CASE_NOT_FOUND,
  auditCase,
  caseScope,
  duplicateIndexFor,
  nowOf,
  openPersonal,
  recordCaseEvent,
  type RequestOrigin,
} from '../cases/index.ts';

export interface RetentionContext {
  db: Database;
  keyring: Keyring;
  now?: () => Date;
}

const SYSTEM_ORIGIN = { ip: 'system', userAgent: null };
const ONLY_STATE_ADMIN = 'Only a state administrator can do this.';

/** Destroys the keys of a case (and of its intake item) and marks it purged, inside `trx`. */
async function shred(
  trx: Transaction<DB>,
  keyring: Keyring,
  row: { id: string; intake_item_id: string | null },
  at: Date,
  actorUserId: string | null,
): Promise<void> {
  await keyring.destroyDataKey(caseScope(row.id), trx);
  if (row.intake_item_id) await keyring.destroyDataKey(intakeScope(row.intake_item_id), trx);
  await q.markPurged(trx, row.id, at, actorUserId);
}

/**
 * Purges closed cases whose retention period has ended (at most `limit` per run; the job runs again).
 * Safe to repeat. Returns how many were purged.
 */
export async function purgeDueCases(ctx: RetentionContext, limit = 200): Promise<number> {
  const now = nowOf(ctx);
  const due = await q.casesDueForPurge(ctx.db, now, limit);
  let purged = 0;
  for (const id of due) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const row = await q.lockCase(trx, id);
      // Re-checked under the lock: a case reopened meanwhile is not purged.
      if (!row || row.purged_at || row.status !== 'closed' || !row.purge_after || row.purge_after > now)
        return false;
      await shred(trx, ctx.keyring, row, now, null);
      await recordCaseEvent(trx, {
        caseId: id,
        actorUserId: null,
        event: 'case.purged',
        detail: { reason: 'retention' },
        at: now,
      });
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'case.purge',
        subjectType: 'case',
        subjectId: id,
        ip: SYSTEM_ORIGIN.ip,
        details: { region: row.region_id, reason: 'retention' },
      });
      return true;
    });
    if (done) purged += 1;
  }
  return purged;
}

export interface PersonMatch {
  caseId: string;
  regionId: string;
  status: 'open' | 'closed';
  openedAt: Date;
  closedAt: Date | null;
  purged: boolean;
}

/**
 * The cases held about a person: by case id, or by chosen name and date of birth (exact, after
 * normalisation, through the duplicate index). Only for actors who may export.
 */
export async function findPersonCases(
  ctx: RetentionContext,
  actor: Actor,
  query: { caseId: string } | { chosenName: string; dateOfBirth: string },
): Promise<PersonMatch[]> {
  authorize(actor, 'cases.export', undefined, { message: ONLY_STATE_ADMIN });
  let by: { id: string } | { index: string };
  if ('caseId' in query) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(query.caseId)) return [];
    by = { id: query.caseId.toLowerCase() };
  } else {
    const index = await duplicateIndexFor(ctx.keyring, {
      chosenName: query.chosenName,
      dateOfBirth: query.dateOfBirth,
    });
    if (!index) return [];
    by = { index };
  }
  const rows = await q.findCases(ctx.db, by);
  return rows.map((r) => ({
    caseId: r.id,
    regionId: r.region_id,
    status: r.status,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    purged: r.purged_at !== null,
  }));
}

/** Decrypts a field of a case's record, or says why it cannot be read. */
async function readField(
  keyring: Keyring,
  table: string,
  recordId: string,
  field: string,
  sealed: Uint8Array | null,
): Promise<string | null> {
  if (!sealed) return null;
  return decryptField(keyring, { table, recordId, field }, sealed);
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/**
 * Everything held about the young person in one case, decrypted, as one JSON document: details,
 * assignments, consents, referrals with their history and their conversation, referrals to services
 * outside the network with their notes, transfers, tasks, safety plans (every version),
 * notes, services delivered, the timeline, and the referral or self-referral it started from.
 * Audited (`case.export`, a sensitive action: the caller checks re-authentication).
 */
export async function exportCase(
  ctx: RetentionContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<Record<string, unknown>> {
  authorize(actor, 'cases.export', undefined, { message: ONLY_STATE_ADMIN });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await q.caseRow(trx, caseId);
    if (!row) throw new ServiceError('not_found', CASE_NOT_FOUND);
    if (row.purged_at)
      throw new ServiceError(
        'conflict',
        'This case was purged: its personal data no longer exists and cannot be exported.',
      );
    const k = ctx.keyring;
    const records = await q.caseRecords(trx, caseId);
    let intake: Record<string, unknown> | null = null;
    if (row.intake_item_id) {
      const item = await q.intakeItem(trx, row.intake_item_id);
      if (item)
        intake = {
          id: item.id,
          kind: item.kind,
          receivedAt: item.created_at,
          status: item.status,
          outcome: item.outcome,
          details: await openPayload(k, item.id, item.payload_encrypted),
        };
    }
    const document = {
      exportedAt: nowOf(ctx).toISOString(),
      case: {
        id: row.id,
        region: row.region_id,
        county: row.county_fips,
        status: row.status,
        ageBand: row.age_band,
        openedAt: row.opened_at,
        closedAt: row.closed_at,
        closeReason: row.close_reason,
        exitHousing: row.exit_housing,
        survey: {
          feelsSafer: row.survey_feels_safer,
          moreHopeful: row.survey_more_hopeful,
          knowsWhereToGetHelp: row.survey_knows_where_help,
        },
        details: await openPersonal(k, row),
      },
      assignments: records.assignments.map((a) => ({
        userId: a.user_id,
        assignedAt: a.assigned_at,
        endedAt: a.ended_at,
      })),
      consents: await Promise.all(
        records.consents.map(async (c) => ({
          id: c.id,
          organizationId: c.organization_id,
          purpose: c.purpose,
          categories: c.categories,
          method: c.method,
          witness: await readField(k, 'consents', c.id, 'witness_encrypted', c.witness_encrypted),
          startsOn: c.starts_on,
          expiresOn: c.expires_on,
          recordedAt: c.recorded_at,
          revokedAt: c.revoked_at,
        })),
      ),
      referrals: await Promise.all(
        records.referrals.map(async (r) => ({
          id: r.id,
          toOrganizationId: r.to_organization_id,
          serviceType: r.service_type,
          shareIdentifying: r.share_identifying,
          consentId: r.consent_id,
          status: r.status,
          statusReason: r.status_reason,
          message: await readField(k, 'referrals', r.id, 'message_encrypted', r.message_encrypted),
          sentAt: r.sent_at,
          history: records.transitions
            .filter((x) => x.referral_id === r.id)
            .map((x) => ({ from: x.from_status, to: x.to_status, reason: x.reason, at: x.at })),
          messages: await Promise.all(
            records.messages
              .filter((m) => m.referral_id === r.id)
              .map(async (m) => ({
                id: m.id,
                side: m.side,
                kind: m.kind,
                authorUserId: m.author_user_id,
                authorOrganizationId: m.author_organization_id,
                createdAt: m.created_at,
                text: await readField(k, 'referral_messages', m.id, 'body_encrypted', m.body_encrypted),
              })),
          ),
        })),
      ),
      outsideReferrals: await Promise.all(
        records.outside.map(async (o) => ({
          id: o.id,
          fromRegion: o.from_region_id,
          directoryServiceId: o.directory_service_id,
          serviceName: o.service_name,
          organizationName: o.organization_name,
          serviceType: o.service_type,
          status: o.status,
          note: await readField(k, 'outside_referrals', o.id, 'note_encrypted', o.note_encrypted),
          createdAt: o.created_at,
          updatedAt: o.updated_at,
        })),
      ),
      transfers: await Promise.all(
        records.transfers.map(async (x) => ({
          id: x.id,
          fromRegion: x.from_region_id,
          toRegion: x.to_region_id,
          status: x.status,
          reason: await readField(k, 'case_transfers', x.id, 'reason_encrypted', x.reason_encrypted),
          declineReason: x.decline_reason,
          requestedAt: x.requested_at,
          decidedAt: x.decided_at,
        })),
      ),
      tasks: await Promise.all(
        records.tasks.map(async (x) => ({
          id: x.id,
          title: await readField(k, 'tasks', x.id, 'title_encrypted', x.title_encrypted),
          source: x.source,
          dueAt: x.due_at,
          completedAt: x.completed_at,
        })),
      ),
      safetyPlans: await Promise.all(
        records.plans.map(async (p) => ({
          version: p.version,
          createdAt: p.created_at,
          plan: parse(await readField(k, 'safety_plans', p.id, 'content_encrypted', p.content_encrypted)),
        })),
      ),
      notes: await Promise.all(
        records.notes.map(async (n) => ({
          category: n.category,
          createdAt: n.created_at,
          text: await readField(k, 'case_notes', n.id, 'body_encrypted', n.body_encrypted),
        })),
      ),
      servicesDelivered: records.services.map((s) => ({
        service: s.service_code,
        deliveredOn: s.delivered_on,
      })),
      timeline: records.events.map((e) => ({ at: e.at, event: e.event, detail: e.detail })),
      startedFrom: intake,
    };
    await recordCaseEvent(trx, { caseId, actorUserId: actor.userId, event: 'case.exported' });
    await auditCase(trx, actor, origin, {
      action: 'case.export',
      caseId,
      details: { region: row.region_id },
    });
    return document;
  });
}

/**
 * Erases a case on the person's request: its data key (and its intake item's) is destroyed at once,
 * an open case is closed, and the audit log records who did it and why (a reason code, not words).
 */
export async function eraseCase(
  ctx: RetentionContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<void> {
  authorize(actor, 'cases.erase', undefined, { message: ONLY_STATE_ADMIN });
  const now = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await q.lockCase(trx, caseId);
    if (!row) throw new ServiceError('not_found', CASE_NOT_FOUND);
    if (row.purged_at) throw new ServiceError('conflict', 'This case was already erased or purged.');
    if (row.status === 'open') await q.closeOnRequest(trx, caseId, actor.userId, now);
    await shred(trx, ctx.keyring, row, now, actor.userId);
    await recordCaseEvent(trx, {
      caseId,
      actorUserId: actor.userId,
      event: 'case.erased',
      detail: { reason: 'request' },
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'case.erase',
      caseId,
      details: { region: row.region_id, reason: 'request' },
    });
  });
}

export const RETENTION_JOB = 'cases-retention';

/** The retention job: once an hour, purge closed cases whose retention period has ended. */
export function retentionJob(
  ctx: RetentionContext,
  clock: () => Date = () => new Date(),
): { name: string; cron: string; run(): Promise<number> } {
  return { name: RETENTION_JOB, cron: '23 * * * *', run: () => purgeDueCases({ ...ctx, now: clock }) };
}
