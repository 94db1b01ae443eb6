/**
 * Answering a shelter request and confirming an offer, and ending a placement. An offer holds one of the
 * program's beds (taken off its beds available under the program's row lock) until `held_until`; a
 * decline gives a reason. Confirmation locks the request (two confirmations of one request: the second
 * is told it already has a bed), keeps the offer's bed — or, when its hold ran out, takes a bed again only
 * if one is free (two confirmations for the last bed: exactly one wins) — releases and thanks the other
 * programs, starts the placement on the case's timeline, and then makes the referral through the
 * referrals feature, sharing identifying details only under an active consent. A navigator closes a
 * request that found no bed (or no longer needs one); the job closes the open requests of a closed case.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { ServiceError } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { auditCase, findCase, recordCaseEvent } from '../cases/index.ts';
import { holdBed, releaseBed } from '../housing/index.ts';
import { activeStaffQuery, notifyStaff } from '../notifications/service.ts';
import { createReferral } from '../referrals/service.ts';
import * as q from './queries.ts';
import { TEXT, holdUntil, requestLink, INBOX_LINK, type CloseReason } from './rules.ts';
import { AnswerInput, CloseRequestInput, ConfirmInput } from './schema.ts';
import { parseInput, providerPeople, type ShelterContext } from './service.ts';

const nowOf = (ctx: { now?: () => Date }) => (ctx.now ? ctx.now() : new Date());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_REQUEST = 'There is no such shelter request, or it is not yours to see.';

/**
 * A program's answer to a request: `offer` holds a bed for the request's hold time (refused when the
 * program has no bed free), `decline` gives a reason. Only the program's own organization answers, once,
 * while the request is open. The navigator who sent it is told.
 */
export async function answerRequest(
  ctx: ShelterContext,
  actor: Actor,
  requestId: string,
  raw: unknown,
  origin: RequestOrigin,
): Promise<{ status: 'holding' | 'declined'; heldUntil: Date | null }> {
  authorize(actor, 'housing.manage', undefined, {
    message: 'Provider staff answer shelter requests for their organization.',
  });
  const input = parseInput(AnswerInput, raw);
  const now = nowOf(ctx);
  return ctx.housing.db.transaction().execute(async (trx) => {
    const request = UUID.test(requestId)
      ? await q.requestRow(trx, requestId, { forUpdate: true })
      : undefined;
    const offer = request ? await q.lockOfferFor(trx, request.id, input.programId) : undefined;
    if (!request || !offer || !can(actor, 'housing.manage', { organizationId: offer.organization_id }))
      throw new ServiceError('not_found', NO_REQUEST);
    if (request.status !== 'open')
      throw new ServiceError(
        'conflict',
        'This request is closed: the young person has a bed, or it was withdrawn.',
      );
    if (offer.status !== 'waiting')
      throw new ServiceError('conflict', 'Your program has already answered this request.');
    let heldUntil: Date | null = null;
    if (input.answer === 'offer') {
      if (!(await holdBed(trx, offer.program_id)))
        throw new ServiceError(
          'conflict',
          'This program has no bed free now, so it cannot hold one. Update its beds available, or answer that you cannot take them.',
          'answer',
        );
      heldUntil = holdUntil(now, request.hold_minutes);
      await q.setOffer(trx, offer.id, {
        status: 'holding',
        held_until: heldUntil,
        answered_by: actor.userId,
        answered_at: now,
      });
    } else {
      await q.setOffer(trx, offer.id, {
        status: 'declined',
        decline_reason: input.reason,
        answered_by: actor.userId,
        answered_at: now,
      });
    }
    const navigator = await activeStaffQuery(trx).where('u.id', '=', request.created_by).execute();
    await notifyStaff(trx, { keyring: ctx.housing.keyring, site: ctx.site }, navigator, {
      kind: 'shelter_answer',
      text: input.answer === 'offer' ? TEXT.offer : TEXT.declined,
      link: requestLink(request.id),
      at: now,
    });
    await recordActorAudit(trx, actor, origin, {
      action: input.answer === 'offer' ? 'shelter_request.offer' : 'shelter_request.decline',
      subjectType: 'shelter_offer',
      subjectId: offer.id,
      details: {
        request: request.id,
        program: offer.program_id,
        ...(input.answer === 'decline' ? { reason: input.reason } : { held_until: heldUntil!.toISOString() }),
      },
    });
    return { status: input.answer === 'offer' ? 'holding' : 'declined', heldUntil };
  });
}

/** Releases offers: a held bed goes back to its program's count; answers the offers. */
async function release<O extends { id: string; status: string; program_id: string }>(
  trx: Transaction<DB>,
  offers: O[],
): Promise<O[]> {
  for (const offer of offers) {
    if (offer.status === 'holding') await releaseBed(trx, offer.program_id);
    await q.setOffer(trx, offer.id, { status: 'released' });
  }
  return offers;
}

export interface Confirmed {
  placementId: string;
  referralId: string | null;
  /** Whether the referral shares who the young person is (only under an active consent). */
  sharedIdentifying: boolean;
  /** Why no referral was made, when none was. */
  referralProblem: string | null;
}

/**
 * The navigator confirms one offer of the request. An offer whose hold ran out is confirmed only if the
 * program has a bed free again; otherwise a conflict says so. The other programs are released (a held
 * bed goes back) and thanked; the placement starts. Then the referral to the program's organization is
 * made (`createReferral`): with identifying details when asked and an active consent covers them,
 * otherwise without.
 */
export async function confirmOffer(
  ctx: ShelterContext,
  actor: Actor,
  requestId: string,
  raw: unknown,
  origin: RequestOrigin,
): Promise<Confirmed> {
  authorize(actor, 'cases.write', undefined, { message: 'Only navigators confirm an offer of a bed.' });
  const input = parseInput(ConfirmInput, raw);
  const now = nowOf(ctx);
  const done = await ctx.housing.db.transaction().execute(async (trx) => {
    const request = UUID.test(requestId)
      ? await q.requestRow(trx, requestId, { forUpdate: true })
      : undefined;
    if (!request) throw new ServiceError('not_found', NO_REQUEST);
    const row = await findCase(trx, actor, request.case_id, 'cases.write', { forUpdate: true });
    if (request.status === 'placed')
      throw new ServiceError('conflict', 'This request already has a confirmed bed: see the case’s housing.');
    if (request.status !== 'open') throw new ServiceError('conflict', 'This request was withdrawn.');
    const offer = await q.lockOffer(trx, input.offerId);
    if (!offer || offer.request_id !== request.id)
      throw new ServiceError('not_found', 'There is no such offer on this request.', 'offerId');
    if (offer.status === 'waiting' || offer.status === 'declined' || offer.status === 'released')
      throw new ServiceError('conflict', 'This program has not offered a bed for this request.', 'offerId');
    const held = offer.status === 'holding' && offer.held_until !== null && offer.held_until > now;
    if (!held) {
      // The hold ran out: its bed goes back (if the job has not given it back yet), and a bed is taken
      // again only if one is free now.
      if (offer.status === 'holding') await releaseBed(trx, offer.program_id);
      if (!(await holdBed(trx, offer.program_id)))
        throw new ServiceError(
          'conflict',
          `The hold on this bed ended at ${ctx.referrals.calendar.formatDateTime(offer.held_until ?? now)} and the program has no bed free now. Choose another offer, or send a new request.`,
          'offerId',
        );
    }
    await q.setOffer(trx, offer.id, { status: 'confirmed' });
    const others = await release(trx, await q.lockOpenOffers(trx, request.id, offer.id));
    await q.setRequest(trx, request.id, { status: 'placed', confirmed_offer_id: offer.id, closed_at: now });
    const placementId = randomUUID();
    await q.insertPlacement(trx, {
      id: placementId,
      case_id: row.id,
      program_id: offer.program_id,
      request_id: request.id,
      started_at: now,
      created_by: actor.userId,
    });
    const people = (orgs: string[]) => providerPeople(trx, orgs);
    const deps = { keyring: ctx.housing.keyring, site: ctx.site };
    await notifyStaff(trx, deps, await people([offer.organization_id]), {
      kind: 'shelter_confirmed',
      text: TEXT.confirmed,
      link: '/staff/referrals',
      at: now,
    });
    const thanked = [...new Set(others.map((o) => o.organization_id))].filter(
      (o) => o !== offer.organization_id,
    );
    await notifyStaff(trx, deps, await people(thanked), {
      kind: 'shelter_released',
      text: TEXT.released,
      link: INBOX_LINK,
      at: now,
    });
    const detail = {
      request: request.id,
      offer: offer.id,
      program: offer.program_id,
      placement: placementId,
    };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'placement.started',
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'shelter_request.confirm',
      caseId: row.id,
      subjectType: 'shelter_request',
      subjectId: request.id,
      details: { ...detail, released: others.length, hold_renewed: !held },
    });
    return {
      caseId: row.id,
      organizationId: offer.organization_id,
      placementId,
      programId: offer.program_id,
    };
  });
  const programType = await ctx.housing.db
    .selectFrom('housing_programs')
    .select('program_type')
    .where('id', '=', done.programId)
    .executeTakeFirstOrThrow();
  const referral = {
    toOrganizationId: done.organizationId,
    serviceType:
      programType.program_type === 'emergency_shelter'
        ? 'emergency_shelter'
        : 'transitional_supportive_housing',
    message: null,
    send: true,
  };
  let shared = input.shareIdentifying === true;
  let referralId: string | null = null;
  let problem: string | null = null;
  for (const share of shared ? [true, false] : [false]) {
    try {
      referralId = (
        await createReferral(
          ctx.referrals,
          actor,
          done.caseId,
          { ...referral, shareIdentifying: share },
          origin,
        )
      ).id;
      shared = share;
      break;
    } catch (thrown) {
      if (!(thrown instanceof ServiceError)) throw thrown;
      problem = thrown.message;
      shared = false;
    }
  }
  if (referralId !== null) {
    problem = null;
    await ctx.housing.db.transaction().execute(async (trx) => {
      await q.setRequest(trx, requestId, { referral_id: referralId! });
    });
  }
  return { placementId: done.placementId, referralId, sharedIdentifying: shared, referralProblem: problem };
}

/**
 * Closes an open request without confirming a bed, and releases every program still asked: waiting
 * offers end, held beds go back to their programs' counts, and those programs are thanked. The navigator
 * of the case (`cases.write`) gives the reason (`no_bed_found` is the unmet need the reports count); the
 * job closes the open requests of a closed case with `case_closed` (`closeOpenRequest`).
 */
export async function closeRequest(
  ctx: ShelterContext,
  actor: Actor,
  requestId: string,
  raw: unknown,
  origin: RequestOrigin,
): Promise<{ caseId: string; released: number }> {
  authorize(actor, 'cases.write', undefined, { message: 'Only navigators close a shelter request.' });
  const input = parseInput(CloseRequestInput, raw);
  const now = nowOf(ctx);
  return ctx.housing.db.transaction().execute(async (trx) => {
    const request = UUID.test(requestId)
      ? await q.requestRow(trx, requestId, { forUpdate: true })
      : undefined;
    if (!request) throw new ServiceError('not_found', NO_REQUEST);
    const row = await findCase(trx, actor, request.case_id, 'cases.write', { forUpdate: true });
    if (request.status !== 'open')
      throw new ServiceError(
        'conflict',
        request.status === 'placed'
          ? 'This request already has a confirmed bed: end the placement on the case’s housing instead.'
          : 'This request is already closed.',
      );
    const released = await closeOpenRequest(ctx, trx, request.id, input.reason, now);
    const detail = { request: request.id, reason: input.reason, released };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'shelter_request.closed',
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'shelter_request.close',
      caseId: row.id,
      subjectType: 'shelter_request',
      subjectId: request.id,
      details: detail,
    });
    return { caseId: row.id, released };
  });
}

/**
 * Inside the caller's transaction, with the request locked and open: releases its waiting and holding
 * offers, thanks their organizations, and closes it with `reason`. Answers how many offers were released.
 */
export async function closeOpenRequest(
  ctx: { housing: { keyring: ShelterContext['housing']['keyring'] }; site: ShelterContext['site'] },
  trx: Transaction<DB>,
  requestId: string,
  reason: CloseReason,
  now: Date,
): Promise<number> {
  const released = await release(trx, await q.lockWaitingOffers(trx, requestId));
  await q.setRequest(trx, requestId, { status: 'withdrawn', close_reason: reason, closed_at: now });
  const people = await providerPeople(trx, [...new Set(released.map((o) => o.organization_id))]);
  await notifyStaff(trx, { keyring: ctx.housing.keyring, site: ctx.site }, people, {
    kind: 'shelter_closed',
    text: TEXT.closed,
    link: INBOX_LINK,
    at: now,
  });
  return released.length;
}
