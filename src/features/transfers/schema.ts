/**
 * The input of transfers, for the staff forms and the service: the request (the receiving region and
 * the reason) and the decline's reason code. Each message names its field in plain words.
 */
import { z } from 'zod';
import { DECLINE_REASONS, type DeclineReason } from './rules.ts';

export const REASON_MAX = 1000;

/** Control characters other than line breaks and tabs. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** Why the case should move, as the requester wrote it. */
export const TransferReasonSchema = z
  .string()
  .trim()
  .min(1, 'Say why the case should move.')
  .max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters or fewer.`)
  .refine((r) => !CONTROL.test(r), 'Use letters, numbers, spaces and punctuation in the reason.');

/** Why a receiving region declines: a code from the list. */
export const DeclineReasonSchema = z
  .string()
  .trim()
  .refine(
    (v): v is DeclineReason => Object.hasOwn(DECLINE_REASONS, v),
    'Choose why you decline, from the list.',
  )
  .transform((v) => v as DeclineReason);
