/**
 * Closed-loop referrals from a navigator's case to a provider organisation.
 *
 * The status machine (pure, `TRANSITIONS`): `draft → sent → accepted | declined (reason) | no_response`,
 * `accepted → in_service | closed (reason)`, `in_service → completed (outcome) | closed (reason)`, and
 * `withdrawn` by the sender from any status before the end. Each step belongs to one side:
 * - the **sender**: navigators with `cases.write` in the case's region (send, withdraw, no answer);
 * - the **receiver**: people with `referrals.respond` in the receiving organisation (accept, decline,
 *   start the service, complete, close).
 * A step the machine does not have is a conflict (409); a step of the other side is refused (403).
 * Every step records a `referral_transitions` row (who, which organisation, when, why), a case event and
 * an audit event, in the referral's row lock, and tells the other side (in the app and by email, never
 * with personal data).
 *
 * What the receiver sees is decided at every read, never stored: a referral sent with
 * `shareIdentifying` shows identifying details only while an active consent of the young person covers
 * the receiving organisation (`consents.ts`), and only the categories that consent names. After the
 * consent ends or is revoked the receiver sees the de-identified view: service type, age band, county
 * and region. The message is encrypted; the receiver reads it while the consent is active, or when the
 * referral was sent de-identified (the form then warns not to write identifying details in it).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../db/types.ts';
import { POLICY, ROLES, can, type Actor, type Role } from '../../platform/access.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { staffNames } from '../queue/service.ts';
import { activeStaffQuery, markLinkRead, notifyStaff, type Recipient } from '../notifications/service.ts';
import type { AgeBand } from '../intake/tables.ts';
import {
  checkActiveOrganization,
  consentCovers,
  findCoveringConsent,
  localToday,
} from '../consents/service.ts';
import { createFollowUpTask } from '../tasks/service.ts';
import {
  CaseError,
  auditCase,
  caseScopeOf,
  findCase,
  nowOf,
  openPersonal,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type CasePersonal,
  type RequestOrigin,
} from '../cases/core.ts';
import {
  REFERRAL_STATUSES,
  type ConsentCategory,
  type ReferralStatus,
  type ReferralsTable,
} from '../cases/tables.ts';
import { labelOf } from '../cases/vocabularies.ts';

// ---------------------------------------------------------------------------------------------------
// The status machine (pure)

export type Side = 'sender' | 'receiver';

/** For each status, the statuses it may move to and the side that may move it. */
export const TRANSITIONS: {
  readonly [F in ReferralStatus]: Readonly<Partial<Record<ReferralStatus, Side>>>;
} = {
  draft: { sent: 'sender', withdrawn: 'sender' },
  sent: { accepted: 'receiver', declined: 'receiver', no_response: 'sender', withdrawn: 'sender' },
  accepted: { in_service: 'receiver', closed: 'receiver', withdrawn: 'sender' },
  in_service: { completed: 'receiver', closed: 'receiver', withdrawn: 'sender' },
  declined: {},
  no_response: {},
  completed: {},
  closed: {},
  withdrawn: {},
};

/** Statuses with no way out. */
export const FINAL_STATUSES: readonly ReferralStatus[] = REFERRAL_STATUSES.filter(
  (s) => Object.keys(TRANSITIONS[s]).length === 0,
);

export const isReferralStatus = (value: unknown): value is ReferralStatus =>
  typeof value === 'string' && (REFERRAL_STATUSES as readonly string[]).includes(value);

export const STATUS_NAMES: Record<ReferralStatus, string> = {
  draft: 'Draft, not sent',
  sent: 'Sent, waiting for an answer',
  accepted: 'Accepted',
  declined: 'Declined',
  no_response: 'No answer',
  in_service: 'In service',
  completed: 'Completed',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

/** What each step is called on a button. */
export const ACTION_NAMES: Record<ReferralStatus, string> = {
  draft: 'Save as a draft',
  sent: 'Send the referral',
  accepted: 'Accept',
  declined: 'Decline',
  no_response: 'Mark as no answer',
  in_service: 'Service has started',
  completed: 'Mark as completed',
  closed: 'Close',
  withdrawn: 'Withdraw the referral',
};

/** How a provider says a service ended well (required to complete). */
export const REFERRAL_OUTCOMES = {
  service_provided: 'The service was provided',
  goals_met: 'The young person met their goals',
  partly_met: 'Some goals were met',
  moved_to_other_service: 'The young person moved on to another service',
  other: 'Other',
} as const;

/** Why a provider closed a referral before completing it (required to close). */
export const CLOSE_REASONS = {
  youth_did_not_start: 'The young person did not take up the service',
  youth_chose_to_stop: 'The young person chose to stop',
  lost_contact: 'Lost contact',
  not_safe_to_continue: 'Not safe to continue',
  no_longer_eligible: 'No longer eligible',
  other: 'Other',
} as const;

/** Why the sender withdrew a referral (optional). */
export const WITHDRAW_REASONS = {
  youth_changed_mind: 'The young person changed their mind',
  found_other_service: 'Another service fits better',
  consent_revoked: 'The young person took back their consent',
  sent_in_error: 'Sent by mistake',
  other: 'Other',
} as const;

/** The reason codes a step takes, whether one is required, and their labels. */
export function reasonsFor(
  to: ReferralStatus,
  declineReasons: readonly { code: string; label: string }[],
): { required: boolean; options: { code: string; label: string }[] } | null {
  const list = (o: Record<string, string>) => Object.entries(o).map(([code, label]) => ({ code, label }));
  switch (to) {
    case 'declined':
      return { required: true, options: [...declineReasons] };
    case 'completed':
      return { required: true, options: list(REFERRAL_OUTCOMES) };
    case 'closed':
      return { required: true, options: list(CLOSE_REASONS) };
    case 'withdrawn':
      return { required: false, options: list(WITHDRAW_REASONS) };
    default:
      return null;
  }
}

/** The label of a reason code given for a status. */
export function reasonLabel(
  to: ReferralStatus,
  code: string | null,
  declineReasons: readonly { code: string; label: string }[],
): string | null {
  if (code === null) return null;
  return reasonsFor(to, declineReasons)?.options.find((o) => o.code === code)?.label ?? code;
}

export type TransitionDecision =
  | { ok: true; to: ReferralStatus; reason: string | null }
  | { ok: false; code: 'conflict' | 'forbidden' | 'invalid'; message: string; field?: string };

/**
 * Whether `sides` may move a referral from `from` to `to` with `reason`: the pure rule behind every
 * transition. Unknown target: invalid; a step the machine does not have: conflict (409); the other
 * side's step: forbidden; a missing or unknown reason code: invalid (field `reason`).
 *
 * @example
 * decideTransition('sent', 'accepted', ['receiver'], null, declineCodes) // { ok: true, to: 'accepted', reason: null }
 * decideTransition('completed', 'sent', ['sender'], null, declineCodes).code // 'conflict'
 */
export function decideTransition(
  from: ReferralStatus,
  to: unknown,
  sides: readonly Side[],
  reason: string | null | undefined,
  declineReasons: readonly { code: string; label: string }[],
): TransitionDecision {
  if (!isReferralStatus(to))
    return { ok: false, code: 'invalid', message: 'Choose what to do with the referral.', field: 'to' };
  const side = TRANSITIONS[from][to];
  if (!side)
    return {
      ok: false,
      code: 'conflict',
      message: FINAL_STATUSES.includes(from)
        ? `This referral is ${STATUS_NAMES[from].toLowerCase()}: it cannot change any more.`
        : `A referral that is ${STATUS_NAMES[from].toLowerCase()} cannot become ${STATUS_NAMES[to].toLowerCase()}.`,
    };
  if (!sides.includes(side))
    return {
      ok: false,
      code: 'forbidden',
      message:
        side === 'sender'
          ? 'Only a navigator of the region that sent this referral can do that.'
          : 'Only the organisation the referral was sent to can do that.',
    };
  const reasons = reasonsFor(to, declineReasons);
  const given = typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : null;
  if (!reasons) {
    if (given !== null)
      return { ok: false, code: 'invalid', message: 'This step takes no reason.', field: 'reason' };
    return { ok: true, to, reason: null };
  }
  if (given === null) {
    if (reasons.required)
      return {
        ok: false,
        code: 'invalid',
        message: to === 'completed' ? 'Choose the outcome.' : 'Choose a reason from the list.',
        field: 'reason',
      };
    return { ok: true, to, reason: null };
  }
  if (!reasons.options.some((o) => o.code === given))
    return { ok: false, code: 'invalid', message: 'Choose a reason from the list.', field: 'reason' };
  return { ok: true, to, reason: given };
}

/** The steps `sides` may take from `from`. */
export function allowedTransitions(from: ReferralStatus, sides: readonly Side[]): ReferralStatus[] {
  return (Object.entries(TRANSITIONS[from]) as [ReferralStatus, Side][])
    .filter(([, side]) => sides.includes(side))
    .map(([to]) => to);
}

// ---------------------------------------------------------------------------------------------------
// Context

export interface ReferralTiming {
  /** Business days a sent referral waits for an answer before its organisation is reminded (default 2). */
  remindAfterBusinessDays: number;
  /** Further business days before the sending region is told it still has no answer (default 2). */
  escalateAfterBusinessDays: number;
}

export const DEFAULT_REFERRAL_TIMING: Readonly<ReferralTiming> = {
  remindAfterBusinessDays: 2,
  escalateAfterBusinessDays: 2,
};

export interface ReferralContext extends CaseContext {
  /** For links in emails. */
  site: SiteOrigin;
  timing?: ReferralTiming;
}

export const REFERRAL_NOT_FOUND = 'There is no such referral, or you cannot see it.';
export const MESSAGE_MAX = 2000;

/** What an identifying referral must be covered for, at least. */
export const IDENTIFYING_CATEGORIES: readonly ConsentCategory[] = ['identity'];

/** The categories a referral can show the receiver today (others are kept for when they are built). */
export const SHARED_CATEGORIES: readonly ConsentCategory[] = [
  'identity',
  'contact',
  'demographics',
  'services',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters other than line breaks and tabs. */
const hasControl = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));

/** Roles that can answer referrals for their organisation. */
export const RESPONDER_ROLES: readonly Role[] = ROLES.filter((r) => POLICY['referrals.respond'][r]);

// ---------------------------------------------------------------------------------------------------
// Notifications (a fixed sentence, an organisation's or region's name and a link: never personal data)

/** Active people of the organisation who can answer its referrals (optionally only some roles). */
export async function respondersOf(
  trx: Transaction<DB>,
  organizationId: string,
  roles: readonly Role[] = RESPONDER_ROLES,
): Promise<Recipient[]> {
  return activeStaffQuery(trx)
    .where('u.organization_id', '=', organizationId)
    .where('u.role', 'in', [...roles])
    .orderBy('u.id')
    .execute();
}

/**
 * The email's headline: the notification's sentence when it is one short line that cannot be mistaken
 * for contact details or a date (an organisation's name could hold digits), else a fixed sentence.
 */
export function emailHeadline(text: string): string {
  const risky =
    text.length > 120 ||
    /\p{Cc}|@/u.test(text) ||
    /\d(?:[\s().-]*\d){6,}/.test(text) ||
    /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/.test(text);
  return risky ? 'A referral has news for you' : text;
}

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

export const referralLink = (id: string) => `/staff/referrals/${id}`;

// ---------------------------------------------------------------------------------------------------
// Loading and seeing

interface LoadedReferral {
  id: string;
  case_id: string;
  from_region_id: string;
  to_organization_id: string;
  service_type: string;
  share_identifying: boolean;
  consent_id: string | null;
  message_encrypted: Buffer | null;
  status: ReferralStatus;
  status_reason: string | null;
  sent_at: Date | null;
  responded_at: Date | null;
  remind_at: Date | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  case_region_id: string;
  case_status: 'open' | 'closed';
  case_purged_at: Date | null;
  county_fips: string | null;
  age_band: AgeBand;
  organization_name: string;
  from_region_name: string;
  county_name: string | null;
}

function referralQuery(trx: Kysely<DB>) {
  return trx
    .selectFrom('referrals as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('member_organizations as o', 'o.id', 'f.to_organization_id')
    .innerJoin('regions as r', 'r.id', 'f.from_region_id')
    .leftJoin('counties as co', 'co.fips', 'c.county_fips')
    .selectAll('f')
    .select([
      'c.region_id as case_region_id',
      'c.status as case_status',
      'c.purged_at as case_purged_at',
      'c.county_fips',
      'c.age_band',
      'o.name as organization_name',
      'r.name as from_region_name',
      'co.name as county_name',
    ]);
}

/** Which sides the actor is on, and whether they may see the referral at all. */
export function sidesOf(
  actor: Actor,
  referral: { case_region_id: string; to_organization_id: string; status: ReferralStatus },
): { visible: boolean; senderReads: boolean; sides: Side[] } {
  const senderReads = can(actor, 'cases.read', { regionId: referral.case_region_id });
  const sides: Side[] = [];
  if (can(actor, 'cases.write', { regionId: referral.case_region_id })) sides.push('sender');
  // A draft is the sender's alone: the receiving organisation does not know it exists.
  if (
    referral.status !== 'draft' &&
    can(actor, 'referrals.respond', { organizationId: referral.to_organization_id })
  )
    sides.push('receiver');
  return { visible: senderReads || sides.includes('receiver'), senderReads, sides };
}

async function loadVisible(
  trx: Transaction<DB>,
  actor: Actor,
  id: string,
  lock: boolean,
): Promise<{ referral: LoadedReferral; senderReads: boolean; sides: Side[] }> {
  if (!UUID.test(id)) throw new CaseError('not_found', REFERRAL_NOT_FOUND);
  let q = referralQuery(trx).where('f.id', '=', id.toLowerCase());
  if (lock) q = q.forUpdate('f');
  const referral = (await q.executeTakeFirst()) as LoadedReferral | undefined;
  if (!referral || referral.case_purged_at !== null) throw new CaseError('not_found', REFERRAL_NOT_FOUND);
  const { visible, senderReads, sides } = sidesOf(actor, referral);
  if (!visible) throw new CaseError('not_found', REFERRAL_NOT_FOUND);
  return { referral, senderReads, sides };
}

export type Sharing = 'identifying' | 'de_identified' | 'consent_ended';

export const SHARING_NAMES: Record<Sharing, string> = {
  identifying: 'Identifying details, as the young person’s consent allows',
  de_identified: 'De-identified: no name or contact details',
  consent_ended: 'De-identified now: the consent that allowed identifying details has ended or was revoked',
};

/** What the receiving organisation may see today: decided at every read. */
async function sharingOf(
  trx: Transaction<DB>,
  referral: Pick<LoadedReferral, 'case_id' | 'to_organization_id' | 'share_identifying' | 'consent_id'>,
  today: string,
): Promise<{
  sharing: Sharing;
  consent: { id: string; categories: ConsentCategory[]; expiresOn: string } | null;
}> {
  if (!referral.share_identifying) return { sharing: 'de_identified', consent: null };
  const covering = await findCoveringConsent(
    trx,
    referral.case_id,
    referral.to_organization_id,
    IDENTIFYING_CATEGORIES,
    today,
    referral.consent_id,
  );
  if (!covering || !consentCovers(covering, referral.to_organization_id, IDENTIFYING_CATEGORIES, today))
    return { sharing: 'consent_ended', consent: null };
  return {
    sharing: 'identifying',
    consent: { id: covering.id, categories: covering.categories, expiresOn: covering.expires_on },
  };
}

/** The parts of the case a consent's categories let the receiver see. */
export interface SharedDetails {
  identity?: {
    chosenName: string;
    legalName: string | null;
    dateOfBirth: string | null;
    age: number | null;
    pronouns: string | null;
  };
  contact?: CasePersonal['safeContact'];
  demographics?: {
    genderIdentity: string[];
    raceEthnicity: string[];
    sexualOrientation: string | null;
    languages: string[];
    tribalAffiliation: string | null;
  };
  services?: { code: string; label: string; deliveredOn: string }[];
}

async function sharedDetails(
  ctx: CaseContext,
  trx: Transaction<DB>,
  caseRow: { id: string; personal_encrypted: Buffer },
  categories: readonly ConsentCategory[],
): Promise<SharedDetails> {
  const out: SharedDetails = {};
  if (!categories.some((c) => SHARED_CATEGORIES.includes(c))) return out;
  const p = await openPersonal(ctx.keyring, caseRow);
  if (categories.includes('identity'))
    out.identity = {
      chosenName: p.chosenName,
      legalName: p.legalName,
      dateOfBirth: p.dateOfBirth,
      age: p.age,
      pronouns: p.pronouns,
    };
  if (categories.includes('contact')) out.contact = p.safeContact;
  if (categories.includes('demographics'))
    out.demographics = {
      genderIdentity: p.genderIdentity,
      raceEthnicity: p.raceEthnicity,
      sexualOrientation: p.sexualOrientation,
      languages: p.languages,
      tribalAffiliation: p.tribalAffiliation,
    };
  if (categories.includes('services')) {
    const rows = await trx
      .selectFrom('services_delivered')
      .select(['service_code', 'delivered_on'])
      .where('case_id', '=', caseRow.id)
      .orderBy('delivered_on', 'desc')
      .limit(100)
      .execute();
    out.services = rows.map((r) => ({
      code: r.service_code,
      label: labelOf(ctx.vocabularies, 'services', r.service_code),
      deliveredOn: r.delivered_on,
    }));
  }
  return out;
}

export interface ReferralHistoryEntry {
  at: Date;
  from: ReferralStatus;
  to: ReferralStatus;
  reason: string | null;
  reasonLabel: string | null;
  by: string;
  byUserId: string | null;
  organization: string | null;
}

export interface ReferralSummary {
  id: string;
  /** Only for the sending side. */
  caseId: string | null;
  status: ReferralStatus;
  statusReason: string | null;
  serviceType: string;
  serviceLabel: string;
  toOrganization: { id: string; name: string };
  fromRegion: { id: string; name: string };
  ageBand: AgeBand;
  countyName: string | null;
  shareIdentifying: boolean;
  sentAt: Date | null;
  respondedAt: Date | null;
  remindAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReferralView extends ReferralSummary {
  viewer: { sender: boolean; receiver: boolean; senderReads: boolean };
  allowedTransitions: ReferralStatus[];
  sharing: Sharing;
  /** The consent that allows identifying details today (while `sharing` is `identifying`). */
  consent: { id: string; categories: ConsentCategory[]; expiresOn: string } | null;
  /** For the receiver: only what the consent allows; null otherwise. */
  shared: SharedDetails | null;
  /** Shown to the sender; to the receiver unless the consent that covered it has ended. */
  message: string | null;
  messageWithheld: boolean;
  history: ReferralHistoryEntry[];
}

function summaryOf(
  ctx: Pick<CaseContext, 'vocabularies'>,
  r: LoadedReferral,
  showCase: boolean,
): ReferralSummary {
  return {
    id: r.id,
    caseId: showCase ? r.case_id : null,
    status: r.status,
    statusReason: r.status_reason,
    serviceType: r.service_type,
    serviceLabel: labelOf(ctx.vocabularies, 'services', r.service_type),
    toOrganization: { id: r.to_organization_id, name: r.organization_name },
    fromRegion: { id: r.from_region_id, name: r.from_region_name },
    ageBand: r.age_band,
    countyName: r.county_name,
    shareIdentifying: r.share_identifying,
    sentAt: r.sent_at,
    respondedAt: r.responded_at,
    remindAt: r.remind_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function historyOf(
  ctx: CaseContext,
  trx: Transaction<DB>,
  referralId: string,
): Promise<ReferralHistoryEntry[]> {
  const rows = await trx
    .selectFrom('referral_transitions as t')
    .leftJoin('member_organizations as o', 'o.id', 't.actor_organization_id')
    .select(['t.at', 't.from_status', 't.to_status', 't.reason', 't.actor_user_id', 'o.name as org_name'])
    .where('t.referral_id', '=', referralId)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute();
  const names = await staffNames(
    ctx,
    rows.map((r) => r.actor_user_id),
    trx,
  );
  return rows.map((r) => ({
    at: r.at,
    from: r.from_status,
    to: r.to_status,
    reason: r.reason,
    reasonLabel: reasonLabel(r.to_status, r.reason, ctx.vocabularies.declineReasons),
    by: r.actor_user_id ? (names.get(r.actor_user_id) ?? 'a colleague') : 'the system',
    byUserId: r.actor_user_id,
    organization: r.org_name ?? null,
  }));
}

/**
 * Opens a referral for the sending region's navigators or the receiving organisation. The receiver
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
  if (!POLICY['referrals.respond'][actor.role] && !caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see referrals.');
  const now = nowOf(ctx);
  const today = localToday(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const { referral, senderReads, sides } = await loadVisible(trx, actor, id, false);
    const receiver = sides.includes('receiver');
    const { sharing, consent } = await sharingOf(trx, referral, today);
    let shared: SharedDetails | null = null;
    if (receiver && sharing === 'identifying' && consent) {
      const caseRow = await trx
        .selectFrom('cases')
        .select(['id', 'personal_encrypted'])
        .where('id', '=', referral.case_id)
        .executeTakeFirstOrThrow();
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
    };
  });
}

export type ReferralBox = 'received' | 'sent';
export type ReferralListView = 'open' | 'waiting' | 'drafts' | 'finished' | 'all';

export const LIST_VIEWS: Record<ReferralListView, string> = {
  open: 'Open (not finished)',
  waiting: 'Waiting for an answer',
  drafts: 'Drafts (not sent)',
  finished: 'Finished',
  all: 'All',
};

export const REFERRAL_LIST_LIMIT = 200;

/**
 * Referrals received by the actor's organisation (`received`, never drafts) or sent from the cases of
 * their regions (`sent`), without personal data: service, organisation, region, county, age band,
 * status and times. Not audited; opening one is.
 */
export async function listReferrals(
  ctx: CaseContext,
  actor: Actor,
  filters: { box: ReferralBox; view?: ReferralListView; limit?: number },
): Promise<ReferralSummary[]> {
  const view = filters.view ?? 'open';
  let q = referralQuery(ctx.db).where('c.purged_at', 'is', null);
  if (filters.box === 'received') {
    if (!can(actor, 'referrals.respond', { organizationId: actor.organizationId })) return [];
    q = q.where('f.to_organization_id', '=', actor.organizationId).where('f.status', '<>', 'draft');
  } else {
    const scope = caseScopeOf(actor, 'cases.read');
    if (!scope || (!scope.all && scope.regions.length === 0)) return [];
    if (!scope.all) q = q.where('c.region_id', 'in', scope.regions);
  }
  const finished = [...FINAL_STATUSES];
  switch (view) {
    case 'open':
      q = q.where('f.status', 'not in', finished);
      break;
    case 'waiting':
      q = q.where('f.status', '=', 'sent');
      break;
    case 'drafts':
      q = q.where('f.status', '=', 'draft');
      break;
    case 'finished':
      q = q.where('f.status', 'in', finished);
      break;
    case 'all':
      break;
  }
  const rows = (await q
    .orderBy(sql`f.sent_at is null`, 'desc')
    .orderBy('f.sent_at', view === 'finished' || view === 'all' ? 'desc' : 'asc')
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id')
    .limit(Math.min(Math.max(filters.limit ?? REFERRAL_LIST_LIMIT, 1), REFERRAL_LIST_LIMIT))
    .execute()) as LoadedReferral[];
  return rows.map((r) => summaryOf(ctx, r, filters.box === 'sent'));
}

export interface CaseReferral extends ReferralSummary {
  sharing: Sharing;
  allowedTransitions: ReferralStatus[];
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
): Promise<{ caseId: string; chosenName: string; caseOpen: boolean; referrals: CaseReferral[] }> {
  if (!caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see cases.');
  const today = localToday(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = (await referralQuery(trx)
      .where('f.case_id', '=', row.id)
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id')
      .execute()) as LoadedReferral[];
    const referrals: CaseReferral[] = [];
    for (const r of rows) {
      const { sharing } = await sharingOf(trx, r, today);
      referrals.push({
        ...summaryOf(ctx, r, true),
        sharing,
        allowedTransitions: allowedTransitions(r.status, sidesOf(actor, r).sides),
      });
    }
    const personal = await openPersonal(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'referral.list',
      caseId: row.id,
      details: { referrals: rows.length },
    });
    return { caseId: row.id, chosenName: personal.chosenName, caseOpen: row.status === 'open', referrals };
  });
}

// ---------------------------------------------------------------------------------------------------
// Changes

export interface ReferralInput {
  toOrganizationId: string;
  serviceType: string;
  shareIdentifying: boolean;
  message?: string | null;
  /** Send at once (default: keep as a draft). */
  send?: boolean;
}

/** Checks a referral as entered; the error names the field. */
export function checkReferral(
  input: ReferralInput,
  services: readonly string[],
): { toOrganizationId: string; serviceType: string; shareIdentifying: boolean; message: string | null } {
  if (!UUID.test(input.toOrganizationId ?? ''))
    throw new CaseError('invalid', 'Choose the organisation to refer to.', 'toOrganizationId');
  if (!services.includes(input.serviceType))
    throw new CaseError('invalid', 'Choose the kind of service from the list.', 'serviceType');
  if (typeof input.shareIdentifying !== 'boolean')
    throw new CaseError('invalid', 'Say whether to share identifying details.', 'shareIdentifying');
  const message = (input.message ?? '').trim();
  if (message.length > MESSAGE_MAX)
    throw new CaseError('invalid', `The message must be ${MESSAGE_MAX} characters or fewer.`, 'message');
  if (hasControl(message))
    throw new CaseError('invalid', 'Use letters, numbers, spaces and punctuation in the message.', 'message');
  return {
    toOrganizationId: input.toOrganizationId.toLowerCase(),
    serviceType: input.serviceType,
    shareIdentifying: input.shareIdentifying,
    message: message || null,
  };
}

export const NO_CONSENT_MESSAGE =
  'No active consent from the young person lets this organisation see identifying details. Record their consent first (it must name this organisation and include who they are), or send the referral without identifying details.';

/** The sender's follow-up task (encrypted with the case; at most 200 characters). */
export function followUpTitle(organizationName: string, serviceLabel: string): string {
  const title = `Check that ${organizationName} answered the referral (${serviceLabel}); if not, follow up or mark it as no answer`;
  return title.length <= 200 ? title : `Check that ${organizationName.slice(0, 120)} answered the referral`;
}

const STEP_TEXT: Partial<Record<ReferralStatus, (org: string) => string>> = {
  accepted: (org) => `${org} accepted a referral`,
  declined: (org) => `${org} declined a referral`,
  in_service: (org) => `${org} started the service for a referral`,
  completed: (org) => `${org} completed a referral`,
  closed: (org) => `${org} closed a referral`,
};

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
  input: { to: unknown; reason?: string | null },
  origin: RequestOrigin,
): Promise<ReferralSummary & { allowedTransitions: ReferralStatus[] }> {
  if (!POLICY['referrals.respond'][actor.role] && !caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to answer referrals.');
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
  input: { to: unknown; reason?: string | null },
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
  const set: Updateable<ReferralsTable> = { status: to, status_reason: decision.reason, updated_at: now };
  let consentId = referral.consent_id;
  if (to === 'sent') {
    if (referral.case_status !== 'open')
      throw new CaseError('conflict', 'This case is closed: a referral cannot be sent from it.');
    if (referral.share_identifying) {
      const covering = await findCoveringConsent(
        trx,
        referral.case_id,
        referral.to_organization_id,
        IDENTIFYING_CATEGORIES,
        localToday(ctx),
        referral.consent_id,
      );
      if (!covering) throw new CaseError('conflict', NO_CONSENT_MESSAGE, 'shareIdentifying');
      consentId = covering.id;
      set.consent_id = covering.id;
    }
    const timing = ctx.timing ?? DEFAULT_REFERRAL_TIMING;
    set.sent_at = now;
    set.remind_at = ctx.calendar.addBusinessDays(now, timing.remindAfterBusinessDays);
  }
  if ((to === 'accepted' || to === 'declined') && referral.responded_at === null) set.responded_at = now;
  await trx.updateTable('referrals').set(set).where('id', '=', referral.id).execute();
  await trx
    .insertInto('referral_transitions')
    .values({
      referral_id: referral.id,
      from_status: referral.status,
      to_status: to,
      reason: decision.reason,
      actor_user_id: actor.userId,
      actor_organization_id: actor.organizationId,
      at: now,
    })
    .execute();
  const detail = {
    referral: referral.id,
    from: referral.status,
    to,
    reason: decision.reason,
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
  const link = referralLink(referral.id);
  if (to === 'sent') {
    await notifyPeople(trx, ctx, await respondersOf(trx, referral.to_organization_id), {
      kind: 'referral_new',
      text: 'A new referral is waiting for your organisation’s answer',
      link,
      at: now,
    });
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
  } else if (to === 'withdrawn' && referral.status !== 'draft') {
    await notifyPeople(trx, ctx, await respondersOf(trx, referral.to_organization_id), {
      kind: 'referral_update',
      text: `A referral to your organisation was withdrawn by ${referral.from_region_name}`,
      link,
      at: now,
    });
  } else {
    const text = STEP_TEXT[to]?.(referral.organization_name);
    if (text) {
      const senders = await trx
        .selectFrom('referral_transitions')
        .select('actor_user_id')
        .where('referral_id', '=', referral.id)
        .where('to_status', '=', 'sent')
        .execute();
      const wanted = [referral.created_by, ...senders.map((s) => s.actor_user_id)].filter(
        (u): u is string => u !== null && u !== actor.userId,
      );
      const people = wanted.length
        ? await activeStaffQuery(trx)
            .where('u.id', 'in', wanted)
            .where('u.role', '=', 'navigator')
            .where((eb) => eb(eb.val(referral.case_region_id), '=', eb.fn.any('u.regions')))
            .execute()
        : [];
      await notifyPeople(trx, ctx, people, { kind: 'referral_update', text, link, at: now });
    }
  }
  const updated = (await referralQuery(trx)
    .where('f.id', '=', referral.id)
    .executeTakeFirstOrThrow()) as LoadedReferral;
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
 * Creates a referral from an open case (`cases.write` in its region) as a draft, or sends it at once
 * with `send: true`. `shareIdentifying: true` needs an active consent of the young person naming the
 * receiving organisation and covering who they are; without one it is a conflict on `shareIdentifying`
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
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to change cases.');
  const checked = checkReferral(
    input,
    ctx.vocabularies.services.map((s) => s.code),
  );
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: reopen it before making a referral.');
    await checkActiveOrganization(trx, checked.toOrganizationId, 'toOrganizationId');
    let consentId: string | null = null;
    if (checked.shareIdentifying) {
      const covering = await findCoveringConsent(
        trx,
        row.id,
        checked.toOrganizationId,
        IDENTIFYING_CATEGORIES,
        localToday(ctx),
      );
      if (!covering) throw new CaseError('conflict', NO_CONSENT_MESSAGE, 'shareIdentifying');
      consentId = covering.id;
    }
    const id = randomUUID();
    await trx
      .insertInto('referrals')
      .values({
        id,
        case_id: row.id,
        from_region_id: row.region_id,
        to_organization_id: checked.toOrganizationId,
        service_type: checked.serviceType,
        share_identifying: checked.shareIdentifying,
        consent_id: consentId,
        message_encrypted: checked.message
          ? await sealCaseField(
              ctx.keyring,
              row.id,
              { table: 'referrals', recordId: id, field: 'message_encrypted' },
              checked.message,
              trx,
            )
          : null,
        status: 'draft',
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
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
    const stored = (await referralQuery(trx)
      .where('f.id', '=', id)
      .executeTakeFirstOrThrow()) as LoadedReferral;
    await auditCase(trx, actor, origin, created);
    return {
      ...summaryOf(ctx, stored, true),
      allowedTransitions: allowedTransitions('draft', sidesOf(actor, stored).sides),
    };
  });
}
