/**
 * Closed-loop referrals from a navigator's case to a provider organization: the use cases.
 *
 * The status machine, and which side takes each step, are in `rules.ts`. Every step records a
 * `referral_transitions` row (who, which organization, when, why), a case event and an audit event, in
 * the referral's row lock, and tells the other side (in the app and by email, never with personal data).
 *
 * What the receiver sees is decided at every read, never stored: a referral sent with
 * `shareIdentifying` shows identifying details only while an active consent of the young person covers
 * the receiving organization (`consents`), and only the categories that consent names. After the
 * consent ends or is revoked the receiver sees the de-identified view: service type, age band, county
 * and region. The message is encrypted; the receiver reads it while the consent is active, or when the
 * referral was sent de-identified (the form then warns not to write identifying details in it).
 *
 * Each use case starts with its access check (`authorize`), then reads its input, then works and
 * records the audit event in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction, Updateable } from 'kysely';
import type { AppDeps } from '../../app-types.ts';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/types.ts';
import { authorize, mayTake, type Action, type Actor } from '../../platform/access.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { markLinkRead, notifyStaff, type Recipient } from '../notifications/service.ts';
import { caseContext, checkActiveOrganization, coveringConsent, localToday } from '../consents/service.ts';
import { closeFollowUpTasks, createFollowUpTask } from '../tasks/service.ts';
import {
  CaseError,
  auditCase,
  caseList,
  findCase,
  nowOf,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type CaseListHeading,
  type RequestOrigin,
  type ReferralStatus,
  type ReferralsTable,
  labelOf,
} from '../cases/index.ts';
import * as q from './queries.ts';
import {
  DEFAULT_REFERRAL_TIMING,
  FINAL_STATUSES,
  IDENTIFYING_CATEGORIES,
  NO_CONSENT_MESSAGE,
  REFERRAL_LIST_LIMIT,
  allowedTransitions,
  decideTransition,
  stepNotice,
  type CaseReferral,
  type ReferralView,
  type SharedDetails,
  emailHeadline,
  followUpTitle,
  listScope,
  referralLink,
  sidesOf,
  summaryOf,
  type ReferralBox,
  type ReferralListView,
  type ReferralSummary,
  type ReferralTiming,
} from './rules.ts';
import { referralRef } from './conversation.ts';
import { checkMessage, checkReferral, type ReferralInput } from './schema.ts';
import {
  addMessage,
  historyOf,
  loadVisible,
  referrerOf,
  sharedDetails,
  sharingOf,
  threadOf,
} from './thread.ts';
import { outsideSummary } from './outside.ts';

export * from './rules.ts';
export { checkReferral, type CheckedReferral, type ReferralInput } from './schema.ts';
export { postMessage } from './thread.ts';

/** The referral services' context: the case context, the site for email links and the reminder timing. */
export function referralContext(deps: AppDeps): ReferralContext {
  // The service passes its whole configuration; a test app without it gets the defaults.
  const timing = (deps.config as Partial<Pick<Config, 'referrals'>>).referrals;
  return { ...caseContext(deps), site: deps.site, ...(timing ? { timing } : {}) };
}

/**
 * The action a use case over one referral is checked against: answering for the organization when the
 * role (and token) may, else the sending side's `sender` action.
 */
const sideAction = (actor: Actor, sender: Action): Action =>
  mayTake(actor, 'referrals.respond') ? 'referrals.respond' : sender;

export interface ReferralContext extends CaseContext {
  /** For links in emails. */
  site: SiteOrigin;
  timing?: ReferralTiming;
}

// ---------------------------------------------------------------------------------------------------
// Notifications (a fixed sentence, an organization's or region's name and a link: never personal data)

export const respondersOf = q.respondersOf;

/**
 * The organizations a referral may go to: active members, but a state agency only when the directory
 * lists a service it provides (a state agency oversees; it is not a place to send a young person).
 */
export const referralTargets = (ctx: Pick<CaseContext, 'db'>) => q.referralTargets(ctx.db);

const NOT_A_TARGET =
  'Choose an organization from the list: a state agency takes referrals only for a service it provides in the directory.';

/**
 * One in-app notification and one email per person (deduplicated), inside the caller's transaction;
 * the email's headline is `emailHeadline`'s.
 */
export const notifyPeople = (
  trx: Transaction<DB>,
  deps: { keyring: CaseContext['keyring']; site: SiteOrigin },
  people: readonly Recipient[],
  message: { kind: string; text: string; link: string; at: Date },
): Promise<number> => notifyStaff(trx, deps, people, message, emailHeadline(message.text));

// ---------------------------------------------------------------------------------------------------
// Loading and seeing

/**
 * Opens a referral for the sending region's navigators or the receiving organization. The receiver
 * sees identifying details only while an active consent covers them, re-checked now. Audited
 * (`referral.read`) with the side and what was shown; the reader's notifications about it are marked read.
 *
 * @example
 * const view = await openReferral(ctx, providerStaff, id, origin); // view.shared.identity only with consent
 */
export async function openReferral(
  ctx: ReferralContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
): Promise<ReferralView> {
  authorize(actor, sideAction(actor, 'cases.read'), undefined, {
    message: 'You do not have permission to see referrals.',
  });
  const now = nowOf(ctx);
  const today = localToday(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const { referral, senderReads, sides } = await loadVisible(trx, actor, id, false);
    const receiver = sides.includes('receiver');
    const { sharing, consent } = await sharingOf(trx, referral, today);
    let shared: SharedDetails | null = null;
    if (receiver && sharing === 'identifying' && consent) {
      const caseRow = await q.casePersonalRow(trx, referral.case_id);
      shared = await sharedDetails(ctx, trx, caseRow, consent.categories);
    }
    const messageVisible = senderReads || sharing !== 'consent_ended';
    const message =
      messageVisible && referral.message_encrypted
        ? await decryptField(
            ctx.keyring,
            { table: 'referrals', recordId: referral.id, field: 'message_encrypted' },
            referral.message_encrypted,
            trx,
          )
        : null;
    const history = await historyOf(ctx, trx, referral.id);
    const thread = await threadOf(ctx, trx, referral, { sharing, sides, senderReads });
    const referrer = referral.status === 'draft' ? null : await referrerOf(ctx, trx, referral);
    await markLinkRead(trx, referralLink(referral.id), now, actor.userId);
    await auditCase(trx, actor, origin, {
      action: 'referral.read',
      caseId: referral.case_id,
      subjectType: 'referral',
      subjectId: referral.id,
      details: {
        side: senderReads ? 'sender' : 'receiver',
        sharing,
        categories: shared ? (consent?.categories ?? []) : [],
        consent: shared ? (consent?.id ?? null) : null,
        message_shown: message !== null,
        thread_shown: thread.read ? thread.messages.length : 0,
      },
    });
    return {
      ...summaryOf(ctx, referral, senderReads),
      viewer: { sender: sides.includes('sender'), receiver, senderReads },
      allowedTransitions: allowedTransitions(referral.status, sides),
      sharing,
      consent,
      shared,
      message,
      messageWithheld: !messageVisible && referral.message_encrypted !== null,
      history,
      reference: referralRef(referral.id),
      referrer,
      thread,
    };
  });
}

/**
 * Referrals received by the actor's organization (`received`, never drafts) or sent from the cases of
 * their regions (`sent`), without personal data: service, organization, region, county, age band,
 * status and times. Not audited; opening one is.
 */
export async function listReferrals(
  ctx: CaseContext,
  actor: Actor,
  filters: { box: ReferralBox; view?: ReferralListView; limit?: number },
): Promise<ReferralSummary[]> {
  const view = filters.view ?? 'open';
  const where = listScope(actor, filters.box);
  if (!where) return [];
  const limit = Math.min(Math.max(filters.limit ?? REFERRAL_LIST_LIMIT, 1), REFERRAL_LIST_LIMIT);
  const rows = await q.referralList(ctx.db, where, view, FINAL_STATUSES, limit);
  return rows.map((r) => summaryOf(ctx, r, filters.box === 'sent'));
}

/**
 * How many referrals `listReferrals` shows in this box and view, for the staff home page (`waiting`:
 * sent and not yet answered). The same scope; no personal data, not audited.
 */
export async function countReferrals(
  ctx: Pick<CaseContext, 'db'>,
  actor: Actor,
  filters: { box: ReferralBox; view: ReferralListView },
): Promise<number> {
  const where = listScope(actor, filters.box);
  if (!where) return 0;
  return q.referralCount(ctx.db, where, filters.view, FINAL_STATUSES);
}

/**
 * The referrals inbox of someone who answers referrals for their organization: the boxes they may
 * open, the list `filtersOf` chooses (none while a filter is wrong), their unread referral
 * notifications and their organization's name. No personal data; not audited.
 */
export async function referralInbox<
  F extends { box: ReferralBox; view: ReferralListView; errors: unknown[] },
>(
  ctx: CaseContext,
  actor: Actor,
  filtersOf: (boxes: ReferralBox[]) => F,
): Promise<
  F & {
    boxes: ReferralBox[];
    items: ReferralSummary[];
    unread: { text: string; link: string | null; created_at: Date }[];
    organizationName: string | null;
    /** Reads without answering: a state administrator overseeing the network. */
    oversight: boolean;
    /** With the sent box: the regions' outside referrals, open and in all (null otherwise). */
    outside: { open: number; total: number } | null;
  }
> {
  // Those who answer for their organization; and state administrators, who oversee the network and
  // only read (every region's referrals, no received box).
  const responds = mayTake(actor, 'referrals.respond');
  if (responds) authorize(actor, 'referrals.respond', { organizationId: actor.organizationId });
  else authorize(actor, 'cases.read', undefined, { message: 'You do not have permission to see referrals.' });
  const boxes: ReferralBox[] = [
    ...(responds ? (['received'] as const) : []),
    ...(listScope(actor, 'sent') ? (['sent'] as const) : []),
  ];
  const filters = filtersOf(boxes);
  const items = filters.errors.length
    ? []
    : await listReferrals(ctx, actor, { box: filters.box, view: filters.view });
  return {
    ...filters,
    boxes,
    items,
    unread: await q.unreadReferralNotifications(ctx.db, actor.userId),
    organizationName: await q.organizationName(ctx.db, actor.organizationId),
    oversight: !responds,
    outside: await outsideSummary(ctx, actor, filters.box),
  };
}

/**
 * The referrals of one case (`cases.read`), newest first, with what each shares today and the steps
 * the actor may take; the young person's chosen name for the heading. Audited (`referral.list`).
 */
export async function listCaseReferrals(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<CaseListHeading & { referrals: CaseReferral[] }> {
  authorize(actor, 'cases.read', undefined, { message: 'You do not have permission to see cases.' });
  const today = localToday(ctx);
  const { items, ...heading } = await caseList(ctx, actor, caseId, origin, 'referral', async (trx, row) => {
    const rows = await q.caseReferrals(trx, row.id);
    const referrals: CaseReferral[] = [];
    for (const r of rows) {
      const { sharing } = await sharingOf(trx, r, today);
      referrals.push({
        ...summaryOf(ctx, r, true),
        sharing,
        allowedTransitions: allowedTransitions(r.status, sidesOf(actor, r).sides),
      });
    }
    return referrals;
  });
  return { ...heading, referrals: items };
}

// ---------------------------------------------------------------------------------------------------
// Changes

/**
 * Moves a referral one step, under its row lock: checks the machine and the actor's side, re-checks
 * consent when an identifying referral is sent, records the transition, a case event and the audit
 * event `referral.transition`, and tells the other side.
 *
 * @example
 * await transitionReferral(ctx, providerStaff, id, { to: 'declined', reason: 'no_capacity' }, origin);
 */
export async function transitionReferral(
  ctx: ReferralContext,
  actor: Actor,
  id: string,
  input: { to: unknown; reason?: string | null; note?: unknown },
  origin: RequestOrigin,
): Promise<ReferralSummary & { allowedTransitions: ReferralStatus[] }> {
  authorize(actor, sideAction(actor, 'cases.write'), undefined, {
    message: 'You do not have permission to answer referrals.',
  });
  return ctx.db.transaction().execute(async (trx) => {
    const { result, audit } = await applyTransition(ctx, trx, actor, id, input);
    await auditCase(trx, actor, origin, audit);
    return result;
  });
}

async function applyTransition(
  ctx: ReferralContext,
  trx: Transaction<DB>,
  actor: Actor,
  id: string,
  input: { to: unknown; reason?: string | null; note?: unknown },
): Promise<{ result: ReferralSummary & { allowedTransitions: ReferralStatus[] }; audit: AuditEntry }> {
  const now = nowOf(ctx);
  const { referral, senderReads, sides } = await loadVisible(trx, actor, id, true);
  const decision = decideTransition(
    referral.status,
    input.to,
    sides,
    input.reason ?? null,
    ctx.vocabularies.declineReasons,
  );
  if (!decision.ok) throw new CaseError(decision.code, decision.message, decision.field);
  const to = decision.to;
  const note = checkMessage(input.note, 'note');
  if (note !== null && to !== 'accepted' && to !== 'declined')
    throw new CaseError('invalid', 'A note can be given only when accepting or declining.', 'note');
  const set: Updateable<ReferralsTable> = { status: to, status_reason: decision.reason, updated_at: now };
  let consentId = referral.consent_id;
  if (to === 'sent') {
    if (referral.case_status !== 'open')
      throw new CaseError('conflict', 'This case is closed: a referral cannot be sent from it.');
    if (referral.share_identifying) {
      consentId = await requireConsent(ctx, trx, referral.case_id, referral.to_organization_id, consentId);
      set.consent_id = consentId;
    }
    const timing = ctx.timing ?? DEFAULT_REFERRAL_TIMING;
    set.sent_at = now;
    set.remind_at = ctx.calendar.addBusinessDays(now, timing.remindAfterBusinessDays);
  }
  if ((to === 'accepted' || to === 'declined') && referral.responded_at === null) set.responded_at = now;
  await q.updateReferral(trx, referral.id, set);
  await q.insertTransition(trx, {
    referral_id: referral.id,
    from_status: referral.status,
    to_status: to,
    reason: decision.reason,
    actor_user_id: actor.userId,
    actor_organization_id: actor.organizationId,
    at: now,
  });
  if (note !== null && (to === 'accepted' || to === 'declined'))
    await addMessage(ctx, trx, actor, referral, { side: 'receiver', kind: to, body: note, at: now });
  // The sender's follow-up is done once the referral is answered (or withdrawn, or marked unanswered).
  const closedTasks =
    referral.status === 'sent' && to !== 'sent'
      ? await closeFollowUpTasks(trx, {
          caseId: referral.case_id,
          referralId: referral.id,
          byUserId: actor.userId,
          at: now,
          because: to,
        })
      : [];
  const detail = {
    referral: referral.id,
    from: referral.status,
    to,
    reason: decision.reason,
    with_note: note !== null,
    closed_tasks: closedTasks.length,
    organization: referral.to_organization_id,
    share_identifying: referral.share_identifying,
    consent: referral.share_identifying ? consentId : null,
  };
  await recordCaseEvent(trx, {
    caseId: referral.case_id,
    actorUserId: actor.userId,
    event: `referral.${to}`,
    detail,
    at: now,
  });

  // Tell the other side.
  const notice = stepNotice(referral.status, to, referral);
  if (notice) {
    const people =
      notice.audience === 'responders'
        ? await q.respondersOf(trx, referral.to_organization_id)
        : await q.sendingNavigators(
            trx,
            [referral.created_by, ...(await q.senderIds(trx, referral.id))].filter(
              (u): u is string => u !== null && u !== actor.userId,
            ),
            referral.case_region_id,
          );
    const link = referralLink(referral.id);
    await notifyPeople(trx, ctx, people, { kind: notice.kind, text: notice.text, link, at: now });
  }
  if (to === 'sent') {
    // The sender's follow-up, due when the region would be told there is still no answer.
    const timing = ctx.timing ?? DEFAULT_REFERRAL_TIMING;
    await createFollowUpTask(trx, ctx, {
      caseId: referral.case_id,
      regionId: referral.case_region_id,
      referralId: referral.id,
      title: followUpTitle(
        referral.organization_name,
        labelOf(ctx.vocabularies, 'services', referral.service_type),
      ),
      dueAt: ctx.calendar.addBusinessDays(set.remind_at as Date, timing.escalateAfterBusinessDays),
      assigneeUserId: actor.userId,
      createdBy: actor.userId,
    });
  }
  const updated = (await q.loadReferral(trx, referral.id))!;
  return {
    result: {
      ...summaryOf(ctx, updated, senderReads),
      allowedTransitions: allowedTransitions(updated.status, sidesOf(actor, updated).sides),
    },
    audit: {
      action: 'referral.transition',
      caseId: referral.case_id,
      subjectType: 'referral',
      subjectId: referral.id,
      details: detail,
    },
  };
}

type AuditEntry = Parameters<typeof auditCase>[3];

/**
 * The consent that lets the organization see identifying details today (`prefer` first when it still
 * does), or a conflict on `shareIdentifying`.
 */
async function requireConsent(
  ctx: CaseContext,
  trx: Transaction<DB>,
  caseId: string,
  organizationId: string,
  prefer: string | null,
): Promise<string> {
  const today = localToday(ctx);
  const covering = await coveringConsent(trx, caseId, organizationId, IDENTIFYING_CATEGORIES, today, prefer);
  if (!covering) throw new CaseError('conflict', NO_CONSENT_MESSAGE, 'shareIdentifying');
  return covering.id;
}

/**
 * Creates a referral from an open case (`cases.write` in its region) as a draft, or sends it at once
 * with `send: true`. `shareIdentifying: true` needs an active consent of the young person naming the
 * receiving organization and covering who they are; without one it is a conflict on `shareIdentifying`
 * (409), and nothing is written. The message is encrypted under the case's key. Audited
 * (`referral.create`, then `referral.transition` when sent).
 *
 * @example
 * const r = await createReferral(ctx, navigator, caseId, { toOrganizationId, serviceType: 'emergency_shelter', shareIdentifying: false, message: null, send: true }, origin);
 */
export async function createReferral(
  ctx: ReferralContext,
  actor: Actor,
  caseId: string,
  input: ReferralInput,
  origin: RequestOrigin,
): Promise<ReferralSummary & { allowedTransitions: ReferralStatus[] }> {
  authorize(actor, 'cases.write', undefined, { message: 'You do not have permission to change cases.' });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const checked = checkReferral(
      input,
      ctx.vocabularies.services.map((s) => s.code),
    );
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: reopen it before making a referral.');
    await checkActiveOrganization(trx, checked.toOrganizationId, 'toOrganizationId');
    if ((await q.referralTargets(trx, checked.toOrganizationId)).length === 0)
      throw new CaseError('invalid', NOT_A_TARGET, 'toOrganizationId');
    const consentId = checked.shareIdentifying
      ? await requireConsent(ctx, trx, row.id, checked.toOrganizationId, null)
      : null;
    const id = randomUUID();
    await q.insertReferral(trx, {
      id,
      case_id: row.id,
      from_region_id: row.region_id,
      to_organization_id: checked.toOrganizationId,
      service_type: checked.serviceType,
      share_identifying: checked.shareIdentifying,
      consent_id: consentId,
      message_encrypted: await sealCaseField(
        ctx.keyring,
        row.id,
        { table: 'referrals', recordId: id, field: 'message_encrypted' },
        checked.message,
        trx,
      ),
      status: 'draft',
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    const detail = {
      referral: id,
      organization: checked.toOrganizationId,
      service_type: checked.serviceType,
      share_identifying: checked.shareIdentifying,
      consent: consentId,
      with_message: checked.message !== null,
    };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'referral.created',
      detail,
      at: now,
    });
    const created: AuditEntry = {
      action: 'referral.create',
      caseId: row.id,
      subjectType: 'referral',
      subjectId: id,
      details: detail,
    };
    if (input.send) {
      const { result, audit } = await applyTransition(ctx, trx, actor, id, { to: 'sent' });
      await auditCase(trx, actor, origin, created);
      await auditCase(trx, actor, origin, audit);
      return result;
    }
    const stored = (await q.loadReferral(trx, id))!;
    await auditCase(trx, actor, origin, created);
    return {
      ...summaryOf(ctx, stored, true),
      allowedTransitions: allowedTransitions('draft', sidesOf(actor, stored).sides),
    };
  });
}
