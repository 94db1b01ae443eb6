/**
 * Referral rules for the conversation and for outside referrals, pure: who reads and writes a
 * referral's thread (the same consent gate as identifying details), the reference shown in
 * notifications, and the hand-recorded statuses of a referral to a service outside the network.
 */
import type { OutsideStatus, ReferralStatus } from '../cases/index.ts';
import { FINAL_STATUSES, type Sharing, type Side } from './rules.ts';

// ---------------------------------------------------------------------------------------------------
// The thread: messages between the sending navigators and the receiving organization

/** The longest message (and note with an answer), in characters. */
export const THREAD_MESSAGE_MAX = 2000;

/** A short reference for a referral, safe to show in notifications: `R-` and the id's first 8 letters. */
export const referralRef = (id: string): string => `R-${id.slice(0, 8).toUpperCase()}`;

/** The notification about a new message: a fixed sentence and the reference, never the message. */
export const messageNotice = (id: string): string => `New message on referral ${referralRef(id)}`;

export type ThreadState =
  /** Everyone who sees the referral reads the thread; `mayPost` says whether the viewer can write. */
  | 'open'
  /** The receiver's consent has ended or was revoked: the receiving organization sees no messages. */
  | 'paused_consent'
  /** A draft: the thread starts when the referral is sent. */
  | 'not_sent'
  /** The referral has finished: the thread can be read, not written. */
  | 'finished';

/**
 * What the viewer may do with a referral's thread. The thread follows the same consent gate as the
 * referral's identifying details: while the consent that allowed them has ended (`consent_ended`), the
 * receiving organization reads none of it and nobody writes to it (the organization could not read the
 * answer); a de-identified referral's thread is open to both sides, and the form warns not to write
 * identifying details. The sending side always reads (state administrators too: they only read).
 *
 * @example
 * threadAccess({ status: 'sent', sharing: 'identifying', sides: ['receiver'], senderReads: false })
 * // { state: 'open', read: true, post: 'receiver' }
 */
export function threadAccess(input: {
  status: ReferralStatus;
  sharing: Sharing;
  sides: readonly Side[];
  senderReads: boolean;
}): { state: ThreadState; read: boolean; post: Side | null } {
  const { status, sharing, sides, senderReads } = input;
  const side: Side | null = sides.includes('sender')
    ? 'sender'
    : sides.includes('receiver')
      ? 'receiver'
      : null;
  if (status === 'draft') return { state: 'not_sent', read: senderReads, post: null };
  const read = senderReads || (sides.includes('receiver') && sharing !== 'consent_ended');
  if (sharing === 'consent_ended') return { state: 'paused_consent', read, post: null };
  if (FINAL_STATUSES.includes(status)) return { state: 'finished', read, post: null };
  return { state: 'open', read, post: side };
}

/** Why the viewer cannot write to the thread now (null when they can). */
export function postRefusal(state: ThreadState, post: Side | null): string | null {
  switch (state) {
    case 'not_sent':
      return 'Send the referral first: the conversation starts when the organization receives it.';
    case 'paused_consent':
      return 'Messages are paused: the young person’s consent that covered this organization has ended or was taken back. Record a new consent to continue.';
    case 'finished':
      return 'This referral has finished: its messages can be read but not added to.';
    case 'open':
      return post
        ? null
        : 'Only the navigators who sent this referral and the organization it was sent to can write here.';
  }
}

export interface ThreadMessage {
  id: string;
  at: Date;
  side: Side;
  kind: 'message' | 'accepted' | 'declined';
  body: string;
  author: string;
  authorUserId: string;
  organization: string | null;
}

export interface ReferralThread {
  state: ThreadState;
  /** Whether the viewer reads the messages (false: the list is empty because it is withheld). */
  read: boolean;
  /** The side the viewer writes as, or null when they cannot write now. */
  post: Side | null;
  refusal: string | null;
  messages: ThreadMessage[];
}

/** Who sent the referral, and how the receiving organization reaches them. */
export interface Referrer {
  name: string;
  email: string | null;
  organization: string | null;
  region: string;
}

// ---------------------------------------------------------------------------------------------------
// Outside referrals: to a directory service whose organization has no account here

/** What the navigator may record next, by hand, for an outside referral. */
export const OUTSIDE_TRANSITIONS: { readonly [F in OutsideStatus]: readonly OutsideStatus[] } = {
  sent: ['accepted', 'declined', 'withdrawn'],
  accepted: ['completed', 'withdrawn'],
  declined: [],
  completed: [],
  withdrawn: [],
};

export const OUTSIDE_STATUS_NAMES: Record<OutsideStatus, string> = {
  sent: 'Sent (recorded by hand)',
  accepted: 'Accepted',
  declined: 'Declined',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

export interface OutsideReferral {
  id: string;
  directoryServiceId: string;
  serviceName: string;
  organizationName: string | null;
  serviceType: string;
  serviceLabel: string;
  status: OutsideStatus;
  /** The statuses the viewer may record next (none for a reader). */
  next: OutsideStatus[];
  createdAt: Date;
  updatedAt: Date;
}

/** Whether an outside referral may move from `from` to `to`: a conflict message otherwise. */
export function outsideRefusal(from: OutsideStatus, to: OutsideStatus): string | null {
  if (OUTSIDE_TRANSITIONS[from].includes(to)) return null;
  return OUTSIDE_TRANSITIONS[from].length === 0
    ? `This referral is ${OUTSIDE_STATUS_NAMES[from].toLowerCase()}: it cannot change any more.`
    : `A referral that is ${OUTSIDE_STATUS_NAMES[from].toLowerCase()} cannot become ${OUTSIDE_STATUS_NAMES[to].toLowerCase()}.`;
}
