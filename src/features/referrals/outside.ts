/**
 * Outside referrals: a referral to a directory service whose organization has no account in the
 * product. Nobody answers it here, so the navigator records what happened by hand (sent, accepted,
 * declined, completed, or withdrawn); it is counted with the case's other referrals, so every referral in
 * the network is. It has no inbox, no thread and no notifications. The service's and organization's
 * names are public directory facts, copied when it is recorded; the optional note is encrypted under
 * the case's key. Each use case checks access first (`cases.write` / `cases.read` in the case's
 * region), then its input; each change is on the case's timeline and audited.
 */
import { randomUUID } from 'node:crypto';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { InputError } from '../../platform/errors.ts';
import {
  CaseError,
  auditCase,
  findCase,
  nowOf,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type OutsideStatus,
  type RequestOrigin,
} from '../cases/index.ts';
import * as q from './queries.ts';
import { listScope, serviceLabel, type ReferralBox } from './rules.ts';
import { OUTSIDE_TRANSITIONS, outsideRefusal, type OutsideReferral } from './conversation.ts';
import { outsideInputSchema, outsideStatusSchema } from './schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'There is no such referral, or you cannot see it.';

/** Directory services an outside referral can go to (their organization has no account here). */
export const outsideServices = (ctx: Pick<CaseContext, 'db'>) => q.outsideServices(ctx.db);

/**
 * A case's outside referrals (`cases.read` in its region), newest first, with what the actor may
 * record next. Read with the case's Referrals tab, which audits the list.
 */
export async function listOutsideReferrals(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
): Promise<OutsideReferral[]> {
  authorize(actor, 'cases.read', undefined, { message: 'You do not have permission to see cases.' });
  const row = await findCase(ctx.db, actor, caseId, 'cases.read');
  const writes = row.status === 'open' && can(actor, 'cases.write', { regionId: row.region_id });
  return (await q.caseOutsideReferrals(ctx.db, row.id)).map((r) => ({
    id: r.id,
    directoryServiceId: r.directory_service_id,
    serviceName: r.service_name,
    organizationName: r.organization_name,
    serviceType: r.service_type,
    serviceLabel: serviceLabel(ctx.vocabularies, r.service_type),
    status: r.status,
    next: writes ? [...OUTSIDE_TRANSITIONS[r.status]] : [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/**
 * Records a referral to a directory service outside the network, from an open case. A service whose
 * organization has an account here is refused (refer to it in the product instead). Audited
 * (`outside_referral.record`).
 *
 * @example
 * await recordOutsideReferral(ctx, navigator, caseId, { directoryServiceId, serviceType: 'legal_services' }, origin);
 */
export async function recordOutsideReferral(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  input: { directoryServiceId: unknown; serviceType: unknown; note?: unknown },
  origin: RequestOrigin,
): Promise<{ id: string }> {
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to change cases.' });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const parsed = outsideInputSchema(ctx.vocabularies.services.map((s) => s.code)).safeParse(input);
    if (!parsed.success) throw InputError.from(parsed.error);
    const checked = parsed.data;
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: reopen it before making a referral.');
    const [service] = await q.outsideServices(trx, checked.directoryServiceId);
    if (!service)
      throw new CaseError(
        'invalid',
        'Choose the service from the directory list: that organization is in the network, so refer to it directly.',
        'directoryServiceId',
      );
    const id = randomUUID();
    await q.insertOutside(trx, {
      id,
      case_id: row.id,
      from_region_id: row.region_id,
      directory_service_id: service.id,
      service_name: service.name,
      organization_name: service.organization_name,
      service_type: checked.serviceType,
      status: 'sent',
      note_encrypted: await sealCaseField(
        ctx.keyring,
        row.id,
        { table: 'outside_referrals', recordId: id, field: 'note_encrypted' },
        checked.note,
        trx,
      ),
      created_by: actor.userId,
      created_at: now,
      updated_by: actor.userId,
      updated_at: now,
    });
    const detail = {
      outside_referral: id,
      directory_service: service.id,
      service_type: checked.serviceType,
      with_note: checked.note !== null,
    };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'outside_referral.recorded',
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'outside_referral.record',
      caseId: row.id,
      subjectType: 'outside_referral',
      subjectId: id,
      details: detail,
    });
    return { id };
  });
}

/**
 * Records, by hand, what happened to an outside referral: accepted, declined or withdrawn once sent,
 * completed or withdrawn once accepted. Navigators of the case's region; audited
 * (`outside_referral.update`).
 */
export async function updateOutsideReferral(
  ctx: CaseContext,
  actor: Actor,
  id: string,
  input: { status: unknown },
  origin: RequestOrigin,
): Promise<{ caseId: string; status: OutsideStatus }> {
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to change cases.' });
  if (!UUID.test(id)) throw new CaseError('not_found', NOT_FOUND);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await q.lockOutside(trx, id.toLowerCase());
    if (!row || row.purged_at !== null || !can(actor, 'cases.write', { regionId: row.case_region_id }))
      throw new CaseError('not_found', NOT_FOUND);
    const parsed = outsideStatusSchema.safeParse(input);
    if (!parsed.success) throw InputError.from(parsed.error);
    const to = parsed.data.status;
    if (row.case_status !== 'open')
      throw new CaseError('conflict', 'This case is closed: reopen it to change its referrals.');
    const refusal = outsideRefusal(row.status, to);
    if (refusal) throw new CaseError('conflict', refusal, 'status');
    await q.setOutsideStatus(trx, row.id, { status: to, updated_by: actor.userId, updated_at: now });
    const detail = { outside_referral: row.id, from: row.status, to };
    await recordCaseEvent(trx, {
      caseId: row.case_id,
      actorUserId: actor.userId,
      event: `outside_referral.${to}`,
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'outside_referral.update',
      caseId: row.case_id,
      subjectType: 'outside_referral',
      subjectId: row.id,
      details: detail,
    });
    return { caseId: row.case_id, status: to };
  });
}

/** Outside referrals counted with the sent box, so every referral in the network is. */
export async function outsideSummary(
  ctx: CaseContext,
  actor: Actor,
  box: ReferralBox,
): Promise<{ open: number; total: number } | null> {
  const where = box === 'sent' ? listScope(actor, 'sent') : null;
  if (!where || !('regions' in where)) return null;
  const counts = await q.outsideCounts(ctx.db, where.regions);
  return {
    open: counts
      .filter((c) => c.status === 'sent' || c.status === 'accepted')
      .reduce((a, c) => a + c.count, 0),
    total: counts.reduce((a, c) => a + c.count, 0),
  };
}
