/**
 * Referral schemas: the referral as entered (the form and the API both go through `checkReferral`,
 * each error naming its field in plain words), the API's request bodies and its answers.
 */
import { z } from '@hono/zod-openapi';
import { InputError } from '../../platform/errors.ts';
import { CONSENT_CATEGORIES, OUTSIDE_STATUSES, REFERRAL_STATUSES } from '../cases/index.ts';
import { codesOf, type Vocabularies } from '../cases/index.ts';
import {
  LIST_VIEWS,
  MESSAGE_MAX,
  REFERRAL_LIST_LIMIT,
  type ReferralBox,
  type ReferralListView,
} from './rules.ts';
import { THREAD_MESSAGE_MAX } from './conversation.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const statusEnum = z.enum(REFERRAL_STATUSES);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters other than line breaks and tabs. */
const hasControl = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));

export interface ReferralInput {
  toOrganizationId: string;
  serviceType: string;
  shareIdentifying: boolean;
  message?: string | null;
  /** Send at once (default: keep as a draft). */
  send?: boolean;
}

export interface CheckedReferral {
  toOrganizationId: string;
  serviceType: string;
  shareIdentifying: boolean;
  message: string | null;
}

/** The referral as entered, checked field by field in the form's order. */
export function referralInputSchema(services: readonly string[]) {
  const organization = 'Choose the organization to refer to.';
  const service = 'Choose the kind of service from the list.';
  return z.object({
    toOrganizationId: z
      .string({ error: organization })
      .regex(UUID, { error: organization })
      .transform((id) => id.toLowerCase()),
    serviceType: z.string({ error: service }).refine((s) => services.includes(s), { error: service }),
    shareIdentifying: z.boolean({ error: 'Say whether to share identifying details.' }),
    message: z
      .string()
      .nullish()
      .transform((m) => (m ?? '').trim())
      .refine((m) => m.length <= MESSAGE_MAX, {
        error: `The message must be ${MESSAGE_MAX} characters or fewer.`,
      })
      .refine((m) => !hasControl(m), {
        error: 'Use letters, numbers, spaces and punctuation in the message.',
      })
      .transform((m) => m || null),
  });
}

/** Checks a referral as entered; an `InputError` names the first field at fault. */
export function checkReferral(input: ReferralInput, services: readonly string[]): CheckedReferral {
  const parsed = referralInputSchema(services).safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------
// The thread

/** A message on a referral's thread, or the note with an answer (`optional`: empty is none). */
export function messageSchema(field: 'body' | 'note', optional: boolean) {
  const what = field === 'body' ? 'message' : 'note';
  return z
    .string({ error: `Write the ${what} as text.` })
    .nullish()
    .transform((m) => (m ?? '').trim())
    .refine((m) => optional || m.length > 0, { error: `Write a ${what}.` })
    .refine((m) => m.length <= THREAD_MESSAGE_MAX, {
      error: `The ${what} must be ${THREAD_MESSAGE_MAX} characters or fewer.`,
    })
    .refine((m) => !hasControl(m), {
      error: `Use letters, numbers, spaces and punctuation in the ${what}.`,
    });
}

/** A message as entered; an `InputError` names the field. */
export function checkMessage(input: unknown, field: 'body'): string;
export function checkMessage(input: unknown, field: 'note'): string | null;
export function checkMessage(input: unknown, field: 'body' | 'note'): string | null {
  const parsed = z.object({ [field]: messageSchema(field, field === 'note') }).safeParse({ [field]: input });
  if (!parsed.success) throw InputError.from(parsed.error);
  const value = parsed.data[field] as string;
  return value === '' ? null : value;
}

/** An outside referral as entered: the directory service, the kind of service, an optional note. */
export function outsideInputSchema(services: readonly string[]) {
  const service = 'Choose the kind of service from the list.';
  const place = 'Choose the service from the directory list.';
  return z.object({
    directoryServiceId: z.string({ error: place }).trim().min(1, { error: place }).max(200, { error: place }),
    serviceType: z.string({ error: service }).refine((s) => services.includes(s), { error: service }),
    note: messageSchema('note', true).transform((m) => m || null),
  });
}

export const outsideStatusSchema = z.object({
  status: z.enum(OUTSIDE_STATUSES, { error: 'Choose what happened from the list.' }),
});

export const MessageBody = z
  .object({
    body: z.string().min(1).max(THREAD_MESSAGE_MAX).openapi({
      description:
        'Encrypted under the case’s key. Shown to the other side while the referral is open and, for a referral with identifying details, while consent covers the organization.',
    }),
  })
  .strict()
  .openapi('ReferralMessageInput');

// ---------------------------------------------------------------------------------------------------
// The API

export const referralBody = (v: Vocabularies) =>
  z
    .object({
      toOrganizationId: z.string().uuid(),
      serviceType: z.enum(codesOf(v, 'services')),
      shareIdentifying: z.boolean().openapi({
        description:
          'Share identifying details: needs an active consent naming this organization and covering identity (409 otherwise)',
      }),
      message: z.string().max(2000).nullable().optional().openapi({
        description:
          'Encrypted. A de-identified referral’s message is shown to the organization: write no name, contact or other identifying details in it.',
      }),
      send: z.boolean().optional().openapi({ description: 'Send at once (default: keep as a draft)' }),
    })
    .strict()
    .openapi('ReferralInput');

export const TransitionBody = z
  .object({
    to: statusEnum,
    reason: z.string().max(100).nullable().optional().openapi({
      description:
        'A code: declined (required, the pack’s decline reasons), completed (required outcome), closed (required), withdrawn (optional)',
    }),
    note: z.string().max(THREAD_MESSAGE_MAX).nullable().optional().openapi({
      description: 'With accepted or declined: an optional note, kept as a message on the referral’s thread',
    }),
  })
  .strict()
  .openapi('ReferralTransition');

export const InboxQuery = z.object({
  box: z.enum(['received', 'sent']).default('received'),
  view: z.enum(Object.keys(LIST_VIEWS) as [ReferralListView, ...ReferralListView[]]).default('open'),
  limit: z.coerce.number().int().min(1).max(REFERRAL_LIST_LIMIT).default(REFERRAL_LIST_LIMIT),
});

export const SummarySchema = z
  .object({
    id: z.string(),
    caseId: z.string().nullable().openapi({ description: 'Only for the sending region' }),
    status: statusEnum,
    statusReason: z.string().nullable(),
    serviceType: z.string(),
    serviceLabel: z.string(),
    toOrganization: z.object({ id: z.string(), name: z.string() }),
    fromRegion: z.object({ id: z.string(), name: z.string() }),
    ageBand: z.enum(['under18', '18to24', '25plus', 'unknown']),
    countyName: z.string().nullable(),
    shareIdentifying: z.boolean(),
    sentAt: z.string().nullable(),
    respondedAt: z.string().nullable(),
    remindAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ReferralSummary');

const SharingEnum = z.enum(['identifying', 'de_identified', 'consent_ended']);

export const ChangedSchema = SummarySchema.extend({ allowedTransitions: z.array(statusEnum) }).openapi(
  'ReferralChanged',
);

export const ViewSchema = SummarySchema.extend({
  viewer: z.object({ sender: z.boolean(), receiver: z.boolean(), senderReads: z.boolean() }),
  allowedTransitions: z.array(statusEnum),
  sharing: SharingEnum,
  consent: z
    .object({ id: z.string(), categories: z.array(z.enum(CONSENT_CATEGORIES)), expiresOn: isoDate })
    .nullable(),
  shared: z
    .object({
      identity: z
        .object({
          chosenName: z.string(),
          legalName: z.string().nullable(),
          dateOfBirth: z.string().nullable(),
          age: z.number().nullable(),
          pronouns: z.string().nullable(),
        })
        .optional(),
      contact: z
        .object({
          method: z.string().nullable(),
          value: z.string().nullable(),
          times: z.string().nullable(),
          codeWord: z.string().nullable(),
        })
        .optional(),
      demographics: z
        .object({
          genderIdentity: z.array(z.string()),
          raceEthnicity: z.array(z.string()),
          sexualOrientation: z.string().nullable(),
          languages: z.array(z.string()),
          tribalAffiliation: z.string().nullable(),
        })
        .optional(),
      services: z
        .array(z.object({ code: z.string(), label: z.string(), deliveredOn: z.string() }))
        .optional(),
    })
    .nullable()
    .openapi({ description: 'For the receiving organization: only the categories an active consent covers' }),
  message: z.string().nullable(),
  messageWithheld: z.boolean(),
  history: z.array(
    z.object({
      at: z.string(),
      from: statusEnum,
      to: statusEnum,
      reason: z.string().nullable(),
      reasonLabel: z.string().nullable(),
      by: z.string(),
      byUserId: z.string().nullable(),
      organization: z.string().nullable(),
    }),
  ),
  reference: z.string().openapi({ description: 'The short reference used in notifications, R-…' }),
  referrer: z
    .object({
      name: z.string(),
      email: z.string().nullable(),
      organization: z.string().nullable(),
      region: z.string(),
    })
    .nullable()
    .openapi({ description: 'Who sent the referral and how to reach them (null for a draft)' }),
  thread: z.object({
    state: z.enum(['open', 'paused_consent', 'not_sent', 'finished']),
    read: z.boolean().openapi({ description: 'False: the messages are withheld from the caller' }),
    post: z.enum(['sender', 'receiver']).nullable(),
    refusal: z.string().nullable(),
    messages: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        side: z.enum(['sender', 'receiver']),
        kind: z.enum(['message', 'accepted', 'declined']),
        body: z.string(),
        author: z.string(),
        authorUserId: z.string(),
        organization: z.string().nullable(),
      }),
    ),
  }),
}).openapi('Referral');

export const CaseReferralSchema = SummarySchema.extend({
  sharing: SharingEnum,
  allowedTransitions: z.array(statusEnum),
}).openapi('CaseReferral');

// ---------------------------------------------------------------------------------------------------
// The inbox's filters

/**
 * The inbox's filters from the query (empty: received, open), every error naming its field; `boxes`
 * are those the person may see.
 */
export function inboxFilters(
  boxes: readonly ReferralBox[],
  query: { box: string; view: string },
): { box: ReferralBox; view: ReferralListView; errors: { field: string; message: string }[] } {
  const views = Object.keys(LIST_VIEWS) as [ReferralListView, ...ReferralListView[]];
  const parsed = z
    .object({
      box: z
        .union([z.literal(''), z.enum(boxes as [ReferralBox, ...ReferralBox[]])], {
          error: 'Choose which referrals to show from the list.',
        })
        .transform((b) => b || boxes[0] || 'received'),
      view: z
        .union([z.literal(''), z.enum(views)], { error: 'Choose a status from the list.' })
        .transform((v) => v || 'open'),
    })
    .safeParse(query);
  if (parsed.success) return { ...parsed.data, errors: [] };
  const errors = parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message }));
  const valid = (field: string) => !errors.some((e) => e.field === field);
  return {
    box: valid('box') && query.box ? (query.box as ReferralBox) : (boxes[0] ?? 'received'),
    view: valid('view') && query.view ? (query.view as ReferralListView) : 'open',
    errors,
  };
}
