/**
 * A referral's thread and what each side sees: the helpers the referral use cases share (`service.ts`),
 * and the use case that posts a message.
 *
 * - `loadVisible`: the referral, if the actor may see it at all (404 otherwise, like a missing one);
 * - `sharingOf`: what the receiving organization may see today (decided at every read, never stored),
 *   and `sharedDetails` those details themselves; `historyOf`: the referral's steps, with who took them;
 * - `threadOf`: the messages, decrypted only for a viewer who may read them (`threadAccess` in
 *   `rules.ts`: the sending side always; the receiving organization unless the consent that allowed
 *   identifying details has ended or was revoked);
 * - `addMessage`: one message, encrypted under the case's data key, with a notification to the other
 *   side that holds no personal data ("New message on referral R-…");
 * - `postMessage`: the use case, audited (`referral.message`).
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { authorize, mayTake, type Actor } from '../../platform/access.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { staffNames } from '../queue/service.ts';
import { notifyStaff } from '../notifications/service.ts';
import { coveringConsent, localToday } from '../consents/service.ts';
import {
  CaseError,
  auditCase,
  nowOf,
  recordCaseEvent,
  sealCaseField,
  labelOf,
  openPersonal,
  type CaseContext,
  type ConsentCategory,
  type RequestOrigin,
} from '../cases/index.ts';
import * as q from './queries.ts';
import {
  IDENTIFYING_CATEGORIES,
  REFERRAL_NOT_FOUND,
  SHARED_CATEGORIES,
  historyEntry,
  sharedFrom,
  type ReferralHistoryEntry,
  type SharedDetails,
  emailHeadline,
  referralLink,
  sidesOf,
  type LoadedReferral,
  type Sharing,
  type Side,
} from './rules.ts';
import {
  messageNotice,
  postRefusal,
  threadAccess,
  type ReferralThread,
  type Referrer,
  type ThreadMessage,
} from './conversation.ts';
import { checkMessage } from './schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The referral, if the actor may see it (404 otherwise), with the sides they are on. */
export async function loadVisible(
  trx: Transaction<DB>,
  actor: Actor,
  id: string,
  lock: boolean,
): Promise<{ referral: LoadedReferral; senderReads: boolean; sides: Side[] }> {
  if (!UUID.test(id)) throw new CaseError('not_found', REFERRAL_NOT_FOUND);
  const referral = await q.loadReferral(trx, id.toLowerCase(), lock);
  if (!referral || referral.case_purged_at !== null) throw new CaseError('not_found', REFERRAL_NOT_FOUND);
  const { visible, senderReads, sides } = sidesOf(actor, referral);
  if (!visible) throw new CaseError('not_found', REFERRAL_NOT_FOUND);
  return { referral, senderReads, sides };
}

/** What the receiving organization may see today: decided at every read. */
export async function sharingOf(
  trx: Transaction<DB>,
  r: Pick<LoadedReferral, 'case_id' | 'to_organization_id' | 'share_identifying' | 'consent_id'>,
  today: string,
): Promise<{ sharing: Sharing; consent: Awaited<ReturnType<typeof coveringConsent>> }> {
  if (!r.share_identifying) return { sharing: 'de_identified', consent: null };
  const consent = await coveringConsent(
    trx,
    r.case_id,
    r.to_organization_id,
    IDENTIFYING_CATEGORIES,
    today,
    r.consent_id,
  );
  return consent ? { sharing: 'identifying', consent } : { sharing: 'consent_ended', consent: null };
}

/** The young person's details an active consent lets the receiving organization see (its categories). */
export async function sharedDetails(
  ctx: CaseContext,
  trx: Transaction<DB>,
  caseRow: { id: string; personal_encrypted: Buffer },
  categories: readonly ConsentCategory[],
): Promise<SharedDetails> {
  if (!categories.some((c) => SHARED_CATEGORIES.includes(c))) return {};
  const out: SharedDetails = sharedFrom(await openPersonal(ctx.keyring, caseRow), categories);
  if (categories.includes('services')) {
    const rows = await q.servicesDelivered(trx, caseRow.id);
    out.services = rows.map((r) => ({
      code: r.service_code,
      label: labelOf(ctx.vocabularies, 'services', r.service_code),
      deliveredOn: r.delivered_on,
    }));
  }
  return out;
}

/** A referral's steps, with who took them. */
export async function historyOf(
  ctx: CaseContext,
  trx: Transaction<DB>,
  referralId: string,
): Promise<ReferralHistoryEntry[]> {
  const rows = await q.historyRows(trx, referralId);
  const names = await staffNames(
    ctx,
    rows.map((r) => r.actor_user_id),
    trx,
  );
  return rows.map((r) => historyEntry(r, names, ctx.vocabularies.declineReasons));
}

/** The thread as the viewer may see it: messages decrypted only when they may read them. */
export async function threadOf(
  ctx: Pick<CaseContext, 'db' | 'keyring'>,
  trx: Transaction<DB>,
  referral: Pick<LoadedReferral, 'id' | 'status'>,
  view: { sharing: Sharing; sides: readonly Side[]; senderReads: boolean },
): Promise<ReferralThread> {
  const access = threadAccess({ status: referral.status, ...view });
  const refusal = postRefusal(access.state, access.post);
  if (!access.read) return { ...access, refusal, messages: [] };
  const rows = await q.messageRows(trx, referral.id);
  const names = await staffNames(
    ctx,
    rows.map((r) => r.author_user_id),
    trx,
  );
  const messages: ThreadMessage[] = [];
  for (const r of rows)
    messages.push({
      id: r.id,
      at: r.created_at,
      side: r.side,
      kind: r.kind,
      body: await decryptField(
        ctx.keyring,
        { table: 'referral_messages', recordId: r.id, field: 'body_encrypted' },
        r.body_encrypted,
        trx,
      ),
      author: names.get(r.author_user_id) ?? 'a colleague',
      authorUserId: r.author_user_id,
      organization: r.org_name ?? null,
    });
  return { ...access, refusal, messages };
}

/** Who sent the referral (the last person who sent it, else who wrote it) and how to reach them. */
export async function referrerOf(
  ctx: Pick<CaseContext, 'keyring'>,
  trx: Transaction<DB>,
  referral: Pick<LoadedReferral, 'id' | 'created_by' | 'from_region_name'>,
): Promise<Referrer | null> {
  const sent = (await q.senderIds(trx, referral.id)).filter((u): u is string => u !== null);
  const row = await q.referrerRow(trx, sent.at(-1) ?? referral.created_by);
  if (!row) return null;
  const open = (field: string, sealed: Buffer) =>
    decryptField(ctx.keyring, { table: 'staff_users', recordId: row.id, field }, sealed, trx);
  return {
    name: row.display_name_encrypted ? await open('display_name', row.display_name_encrypted) : 'A navigator',
    email: await open('email', row.email_encrypted),
    organization: row.org_name,
    region: referral.from_region_name,
  };
}

/**
 * Writes one message on the referral (inside the caller's transaction, which holds the referral's row
 * lock), encrypted under the case's key, and tells the other side: the receiving organization's
 * responders, or the sending navigators (who sent it, or wrote on its thread). Returns the message's id.
 */
export async function addMessage(
  ctx: Pick<CaseContext, 'keyring'> & { site: SiteOrigin },
  trx: Transaction<DB>,
  actor: Actor,
  referral: Pick<LoadedReferral, 'id' | 'case_id' | 'to_organization_id' | 'created_by' | 'case_region_id'>,
  message: { side: Side; kind: 'message' | 'accepted' | 'declined'; body: string; at: Date },
): Promise<string> {
  const id = randomUUID();
  await q.insertMessage(trx, {
    id,
    referral_id: referral.id,
    author_user_id: actor.userId,
    author_organization_id: actor.organizationId,
    side: message.side,
    kind: message.kind,
    body_encrypted: await sealCaseField(
      ctx.keyring,
      referral.case_id,
      { table: 'referral_messages', recordId: id, field: 'body_encrypted' },
      message.body,
      trx,
    ),
    created_at: message.at,
  });
  if (message.kind === 'message') {
    const people =
      message.side === 'sender'
        ? await q.respondersOf(trx, referral.to_organization_id)
        : await q.sendingNavigators(
            trx,
            [
              referral.created_by,
              ...(await q.senderIds(trx, referral.id)),
              ...(await q.senderAuthors(trx, referral.id)),
            ].filter((u): u is string => u !== null),
            referral.case_region_id,
          );
    const text = messageNotice(referral.id);
    await notifyStaff(
      trx,
      ctx,
      people.filter((p) => p.id !== actor.userId),
      { kind: 'referral_message', text, link: referralLink(referral.id), at: message.at },
      emailHeadline(text),
    );
  }
  return id;
}

/**
 * Posts a message on a referral's thread: the sending region's navigators and the receiving
 * organization's responders, while the referral is sent and not finished and (for a referral with
 * identifying details) the consent still covers the organization. Checked in the referral's row lock;
 * recorded on the case's timeline (`referral.message`, without the text) and audited.
 *
 * @example
 * await postMessage(ctx, providerStaff, referralId, { body: 'We have a bed from Monday.' }, origin);
 */
export async function postMessage(
  ctx: CaseContext & { site: SiteOrigin },
  actor: Actor,
  id: string,
  input: { body: unknown },
  origin: RequestOrigin,
): Promise<{ id: string; referralId: string }> {
  authorize(actor, mayTake(actor, 'referrals.respond') ? 'referrals.respond' : 'cases.write', undefined, {
    message: 'You do not have permission to write on referrals.',
  });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const { referral, senderReads, sides } = await loadVisible(trx, actor, id, true);
    const { sharing } = await sharingOf(trx, referral, localToday(ctx));
    const access = threadAccess({ status: referral.status, sharing, sides, senderReads });
    const refusal = postRefusal(access.state, access.post);
    if (!access.post)
      throw new CaseError(access.state === 'open' ? 'forbidden' : 'conflict', refusal ?? 'Not now.');
    const body = checkMessage(input.body, 'body');
    const messageId = await addMessage(ctx, trx, actor, referral, {
      side: access.post,
      kind: 'message',
      body,
      at: now,
    });
    const detail = { referral: referral.id, message: messageId, side: access.post, sharing };
    await recordCaseEvent(trx, {
      caseId: referral.case_id,
      actorUserId: actor.userId,
      event: 'referral.message',
      detail,
      at: now,
    });
    await auditCase(trx, actor, origin, {
      action: 'referral.message',
      caseId: referral.case_id,
      subjectType: 'referral',
      subjectId: referral.id,
      details: detail,
    });
    return { id: messageId, referralId: referral.id };
  });
}
