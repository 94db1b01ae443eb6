/**
 * Referral rules, pure: the status machine, the reasons a step takes, who sees a referral and on which
 * side, what each side sees, and the fixed sentences of notifications (never personal data).
 *
 * The status machine (`TRANSITIONS`): `draft → sent → accepted | declined (reason) |
 * no_response`, `accepted → in_service | closed (reason)`, `in_service → completed (outcome) | closed
 * (reason)`, and `withdrawn` by the sender from any status before the end. Each step belongs to one side:
 * - the **sender**: navigators with `cases.write` in the case's region (send, withdraw, no answer);
 * - the **receiver**: people with `referrals.respond` in the receiving organization (accept, decline,
 *   start the service, complete, close).
 * A step the machine does not have is a conflict (409); a step of the other side is refused (403).
 */
import { POLICY, ROLES, can, regionScope, type Actor, type Role } from '../../platform/access.ts';
import type { AgeBand } from '../intake/index.ts';
import type { CasePersonal } from '../cases/index.ts';
import { REFERRAL_STATUSES, type ConsentCategory, type ReferralStatus } from '../cases/index.ts';
import type { ReferralThread, Referrer } from './conversation.ts';
import type { Vocabularies } from '../cases/index.ts';

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

/**
 * A referral's status in words, with its reason when it has one.
 *
 * @example
 * statusText({ status: 'sent', statusReason: null }, reasons) // the status's name alone
 */
export function statusText(
  r: { status: ReferralStatus; statusReason: string | null },
  declineReasons: readonly { code: string; label: string }[],
): string {
  const reason = reasonLabel(r.status, r.statusReason, declineReasons);
  return reason ? `${STATUS_NAMES[r.status]}: ${reason}` : STATUS_NAMES[r.status];
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
          : 'Only the organization the referral was sent to can do that.',
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
// Timing and constants

export interface ReferralTiming {
  /** Business days a sent referral waits for an answer before its organization is reminded (default 2). */
  remindAfterBusinessDays: number;
  /** Further business days before the sending region is told it still has no answer (default 2). */
  escalateAfterBusinessDays: number;
}

export const DEFAULT_REFERRAL_TIMING: Readonly<ReferralTiming> = {
  remindAfterBusinessDays: 2,
  escalateAfterBusinessDays: 2,
};

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

/** Roles that can answer referrals for their organization. */
export const RESPONDER_ROLES: readonly Role[] = ROLES.filter((r) => POLICY['referrals.respond'][r]);

/**
 * The email's headline: the notification's sentence when it is one short line that cannot be mistaken
 * for contact details or a date (an organization's name could hold digits), else a fixed sentence.
 */
export function emailHeadline(text: string): string {
  const risky =
    text.length > 120 ||
    /\p{Cc}|@/u.test(text) ||
    /\d(?:[\s().-]*\d){6,}/.test(text) ||
    /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/.test(text);
  return risky ? 'A referral has news for you' : text;
}

export const referralLink = (id: string) => `/staff/referrals/${id}`;

/** A referral as read, with its case, organization, region and county. */
export interface LoadedReferral {
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

/** Which sides the actor is on, and whether they may see the referral at all. */
export function sidesOf(
  actor: Actor,
  referral: { case_region_id: string; to_organization_id: string; status: ReferralStatus },
): { visible: boolean; senderReads: boolean; sides: Side[] } {
  const senderReads = can(actor, 'cases.read', { regionId: referral.case_region_id });
  const sides: Side[] = [];
  if (can(actor, 'cases.write', { regionId: referral.case_region_id })) sides.push('sender');
  // A draft is the sender's alone: the receiving organization does not know it exists.
  if (
    referral.status !== 'draft' &&
    can(actor, 'referrals.respond', { organizationId: referral.to_organization_id })
  )
    sides.push('receiver');
  return { visible: senderReads || sides.includes('receiver'), senderReads, sides };
}

export type Sharing = 'identifying' | 'de_identified' | 'consent_ended';

export const SHARING_NAMES: Record<Sharing, string> = {
  identifying: 'Identifying details, as the young person’s consent allows',
  de_identified: 'De-identified: no name or contact details',
  consent_ended: 'De-identified now: the consent that allowed identifying details has ended or was revoked',
};

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

/** The label of a service code (the code itself when the pack no longer has it). */
export const serviceLabel = (v: Vocabularies, code: string): string =>
  v.services.find((e) => e.code === code)?.label ?? code;

export function summaryOf(
  ctx: { vocabularies: Vocabularies },
  r: LoadedReferral,
  showCase: boolean,
): ReferralSummary {
  return {
    id: r.id,
    caseId: showCase ? r.case_id : null,
    status: r.status,
    statusReason: r.status_reason,
    serviceType: r.service_type,
    serviceLabel: serviceLabel(ctx.vocabularies, r.service_type),
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

export const NO_CONSENT_MESSAGE =
  'No active consent from the young person lets this organization see identifying details. Record their consent first (it must name this organization and include who they are), or send the referral without identifying details.';

/** The sender's follow-up task (encrypted with the case; at most 200 characters). */
export function followUpTitle(organizationName: string, serviceLabel: string): string {
  const title = `Check that ${organizationName} answered the referral (${serviceLabel}); if not, follow up or mark it as no answer`;
  return title.length <= 200 ? title : `Check that ${organizationName.slice(0, 120)} answered the referral`;
}

export const STEP_TEXT: Partial<Record<ReferralStatus, (org: string) => string>> = {
  accepted: (org) => `${org} accepted a referral`,
  declined: (org) => `${org} declined a referral`,
  in_service: (org) => `${org} started the service for a referral`,
  completed: (org) => `${org} completed a referral`,
  closed: (org) => `${org} closed a referral`,
};

// ---------------------------------------------------------------------------------------------------
// What the receiver and the sender see

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

/** The young person's details a consent's categories let the receiver see (services aside). */
export function sharedFrom(p: CasePersonal, categories: readonly ConsentCategory[]): SharedDetails {
  const out: SharedDetails = {};
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
  /** The short reference shown in notifications (`R-…`). */
  reference: string;
  /** Who sent it and how to reach them (null for a draft). */
  referrer: Referrer | null;
  thread: ReferralThread;
}

export interface CaseReferral extends ReferralSummary {
  sharing: Sharing;
  allowedTransitions: ReferralStatus[];
}

/**
 * Who is told of a step, and what: the receiving organization's responders of a sent or withdrawn
 * referral, the sending navigators of the receiver's answers; nobody otherwise.
 */
export function stepNotice(
  from: ReferralStatus,
  to: ReferralStatus,
  referral: { organization_name: string; from_region_name: string },
): { audience: 'responders' | 'senders'; kind: string; text: string } | null {
  if (to === 'sent')
    return {
      audience: 'responders',
      kind: 'referral_new',
      text: 'A new referral is waiting for your organization’s answer',
    };
  if (to === 'withdrawn')
    return from === 'draft'
      ? null
      : {
          audience: 'responders',
          kind: 'referral_update',
          text: `A referral to your organization was withdrawn by ${referral.from_region_name}`,
        };
  const text = STEP_TEXT[to]?.(referral.organization_name);
  return text ? { audience: 'senders', kind: 'referral_update', text } : null;
}

/**
 * Which referrals a box shows the person: those received by their organization (if they answer for
 * it), those sent from their regions (all regions: `regions` null), or none (null).
 */
export function listScope(
  actor: Actor,
  box: ReferralBox,
): { receivedBy: string } | { regions: string[] | null } | null {
  if (box === 'received')
    return can(actor, 'referrals.respond', { organizationId: actor.organizationId })
      ? { receivedBy: actor.organizationId }
      : null;
  const scope = regionScope(actor, 'cases.read');
  if (!scope || (!scope.all && scope.regions.length === 0)) return null;
  return { regions: scope.all ? null : scope.regions };
}

/** One line of a referral's history, with the names of the people who acted. */
export function historyEntry(
  r: {
    at: Date;
    from_status: ReferralStatus;
    to_status: ReferralStatus;
    reason: string | null;
    actor_user_id: string | null;
    org_name: string | null;
  },
  names: ReadonlyMap<string, string>,
  declineReasons: readonly { code: string; label: string }[],
): ReferralHistoryEntry {
  return {
    at: r.at,
    from: r.from_status,
    to: r.to_status,
    reason: r.reason,
    reasonLabel: reasonLabel(r.to_status, r.reason, declineReasons),
    by: r.actor_user_id ? (names.get(r.actor_user_id) ?? 'a colleague') : 'the system',
    byUserId: r.actor_user_id,
    organization: r.org_name ?? null,
  };
}
