/**
 * The shelter requests' recurring job, every minute: a hold that ran out gives its bed back to the
 * program's beds available (the offer shows "Hold ended"; the navigator may still confirm it while a bed
 * is free), and an open request that no program has answered within `escalateMinutes` is escalated once
 * to the region's other navigators and the state administrators; an open request whose case was closed
 * is closed (`case_closed`), its held beds released and its programs thanked. Each row is handled in its own
 * transaction under its row lock, so a repeated or concurrent run does nothing twice.
 */
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { eachInTransaction, type RecurringJob } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/log.ts';
import { releaseBed } from '../housing/index.ts';
import * as q from './queries.ts';
import { dueToEscalate } from './rules.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { closeOpenRequest } from './offers.ts';
import { escalate } from './service.ts';

export interface ShelterJobDeps {
  keyring: Keyring;
  site: SiteOrigin;
  /** A request nobody answered escalates after this many minutes. */
  escalateMinutes: number;
  log?: Logger;
}

export interface ShelterJobReport {
  expired: number;
  escalated: number;
  /** Open requests closed because their case was closed. */
  closed: number;
}

/**
 * Ends the holds that ran out and escalates the requests nobody answered, at `now`.
 *
 * @example
 * await runShelterJob(db, ctx, new Date()); // { expired: 1, escalated: 0 }
 */
export async function runShelterJob(db: Database, ctx: ShelterJobDeps, now: Date): Promise<ShelterJobReport> {
  const report: ShelterJobReport = { expired: 0, escalated: 0, closed: 0 };
  await eachInTransaction(
    db,
    await q.expiredHolds(db, now),
    async (trx, id) => {
      const offer = await q.lockOffer(trx, id);
      if (!offer || offer.status !== 'holding' || offer.held_until === null || offer.held_until > now) return;
      await releaseBed(trx, offer.program_id);
      await q.setOffer(trx, offer.id, { status: 'expired' });
      report.expired++;
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'shelter_request.hold_expired',
        subjectType: 'shelter_offer',
        subjectId: offer.id,
        organizationId: offer.organization_id,
        details: { request: offer.request_id, program: offer.program_id },
      });
    },
    { log: ctx.log, idKey: 'shelter_offer', message: 'could not end a held bed; will retry' },
  );
  const before = new Date(now.getTime() - ctx.escalateMinutes * 60_000);
  await eachInTransaction(
    db,
    await q.unansweredRequests(db, before),
    async (trx, id) => {
      const request = await q.requestRow(trx, id, { forUpdate: true });
      if (!request || request.status !== 'open' || request.escalated_at !== null) return;
      if (!dueToEscalate(request.created_at, now, ctx.escalateMinutes) || (await q.answered(trx, id))) return;
      const told = await escalate(trx, ctx, request, now);
      report.escalated++;
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'shelter_request.escalate',
        subjectType: 'shelter_request',
        subjectId: request.id,
        details: { region: request.region_id, recipients: told },
      });
    },
    { log: ctx.log, idKey: 'shelter_request', message: 'could not escalate a shelter request; will retry' },
  );
  await eachInTransaction(
    db,
    await q.requestsOfClosedCases(db),
    async (trx, id) => {
      const request = await q.requestRow(trx, id, { forUpdate: true });
      if (!request || request.status !== 'open') return;
      const released = await closeOpenRequest({ housing: ctx, site: ctx.site }, trx, id, 'case_closed', now);
      report.closed++;
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'shelter_request.close',
        subjectType: 'shelter_request',
        subjectId: request.id,
        details: { reason: 'case_closed', released },
      });
    },
    {
      log: ctx.log,
      idKey: 'shelter_request',
      message: 'could not close a closed case’s request; will retry',
    },
  );
  return report;
}

export const SHELTER_REQUESTS_JOB = 'shelter-requests';

/** The recurring job that runs `runShelterJob` every minute. */
export function shelterRequestsJob(
  db: Database,
  ctx: ShelterJobDeps,
  clock: () => Date = () => new Date(),
): RecurringJob {
  return {
    name: SHELTER_REQUESTS_JOB,
    cron: '* * * * *',
    run: () => runShelterJob(db, ctx, clock()),
  };
}
