/**
 * A young person's stays in housing programs: one recorded by hand (a stay that did not come from a
 * shelter request — the young person was already there, or the bed was found by phone) and the end of a
 * stay (when, why, where they went). Both by the case's navigators (`cases.write` in its region), on the
 * case's timeline and audited in the same transaction. Recording a stay does not change the program's
 * beds available: its staff keep that count.
 */
import { randomUUID } from 'node:crypto';
import { authorize, type Actor } from '../../platform/access.ts';
import { ServiceError } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { auditCase, findCase, recordCaseEvent } from '../cases/index.ts';
import * as q from './queries.ts';
import { EndPlacementInput, PlacementInput } from './schema.ts';
import { parseInput, type ShelterContext } from './service.ts';

const nowOf = (ctx: { now?: () => Date }) => (ctx.now ? ctx.now() : new Date());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far back a stay recorded by hand may begin. */
const OLDEST_START_DAYS = 5 * 366;

/**
 * Records a stay at a program, begun on `startedOn` (a day in Minnesota, not in the future): today's
 * begins now, an earlier day's at the start of that day.
 */
export async function recordPlacement(
  ctx: ShelterContext,
  actor: Actor,
  caseId: string,
  raw: unknown,
  origin: RequestOrigin,
): Promise<{ placementId: string }> {
  authorize(actor, 'cases.write', undefined, { message: 'Only the case’s navigators record a stay.' });
  const input = parseInput(PlacementInput, raw);
  const calendar = ctx.referrals.calendar;
  const now = nowOf(ctx);
  const today = calendar.local(now).date;
  const startedAt = input.startedOn === today ? now : calendar.instant(input.startedOn);
  if (Number.isNaN(startedAt.getTime()) || calendar.local(startedAt).date !== input.startedOn)
    throw new ServiceError('invalid', 'Give a day that exists, for example 2026-03-14.', 'startedOn');
  if (input.startedOn > today)
    throw new ServiceError('invalid', 'Give a day that has come: today or earlier.', 'startedOn');
  if (now.getTime() - startedAt.getTime() > OLDEST_START_DAYS * 86_400_000)
    throw new ServiceError('invalid', 'Give a day within the last five years.', 'startedOn');
  return ctx.housing.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new ServiceError('conflict', 'This case is closed: reopen it before recording a stay.');
    const program = await q.programForPlacement(trx, input.programId);
    if (!program || program.disabled_at !== null)
      throw new ServiceError('invalid', 'Choose a program from the list.', 'programId');
    const placementId = randomUUID();
    await q.insertPlacement(trx, {
      id: placementId,
      case_id: row.id,
      program_id: program.id,
      started_at: startedAt,
      created_by: actor.userId,
    });
    const detail = { placement: placementId, program: program.id, recorded: 'by_hand' };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'placement.started',
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'placement.create',
      caseId: row.id,
      subjectType: 'housing_placement',
      subjectId: placementId,
      details: detail,
    });
    return { placementId };
  });
}

/**
 * Ends a placement (`cases.write` in the case's region): when, why and where the young person went (the
 * exit-housing answer list). On the case's timeline and audited. An ended placement stays ended.
 */
export async function endPlacement(
  ctx: ShelterContext,
  actor: Actor,
  placementId: string,
  raw: unknown,
  origin: RequestOrigin,
): Promise<{ caseId: string }> {
  authorize(actor, 'cases.write', undefined, { message: 'Only the case’s navigators end a placement.' });
  const input = parseInput(EndPlacementInput, raw);
  if (!ctx.referrals.vocabularies.exitHousing.some((v) => v.code === input.wentTo))
    throw new ServiceError('invalid', 'Choose where they went from the list.', 'wentTo');
  const now = nowOf(ctx);
  return ctx.housing.db.transaction().execute(async (trx) => {
    const placement = UUID.test(placementId) ? await q.lockPlacement(trx, placementId) : undefined;
    if (!placement) throw new ServiceError('not_found', 'There is no such placement.');
    const row = await findCase(trx, actor, placement.case_id, 'cases.write', { forUpdate: true });
    if (placement.ended_at !== null) throw new ServiceError('conflict', 'This placement has already ended.');
    await q.endPlacement(trx, placement.id, {
      ended_at: now,
      end_reason: input.reason,
      went_to: input.wentTo,
      ended_by: actor.userId,
    });
    const detail = {
      placement: placement.id,
      program: placement.program_id,
      reason: input.reason,
      went_to: input.wentTo,
    };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'placement.ended',
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'placement.end',
      caseId: row.id,
      subjectType: 'housing_placement',
      subjectId: placement.id,
      details: detail,
    });
    return { caseId: row.id };
  });
}
