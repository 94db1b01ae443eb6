/**
 * The shape of shelter requests, answers and placements at the edge (pages and API), with messages that
 * name the field. A request has no free text: nothing in it may identify the young person.
 */
import { z } from '@hono/zod-openapi';
import { GENDER_CODES, NEED_CODES } from '../housing/index.ts';
import {
  AGE_BAND_CODES,
  CHOSEN_CLOSE_REASON_CODES,
  DECLINE_REASON_CODES,
  END_REASON_CODES,
  URGENCY_CODES,
} from './rules.ts';

export const RequestInput = z
  .object({
    ageBand: z.enum(AGE_BAND_CODES, { error: 'Choose an age band.' }),
    gender: z.enum(GENDER_CODES, { error: 'Choose a gender.' }),
    needs: z
      .array(z.enum(NEED_CODES, { error: 'Choose needs from the list.' }))
      .max(3)
      .default([]),
    county: z
      .string({ error: 'Choose a Minnesota county.' })
      .regex(/^27\d{3}$/, 'Choose a Minnesota county.'),
    urgency: z.enum(URGENCY_CODES, { error: 'Choose tonight or this week.' }),
    holdMinutes: z.coerce
      .number({ error: 'Give the minutes to hold a bed.' })
      .int('Give a whole number of minutes.')
      .min(15, 'Hold a bed at least 15 minutes.')
      .max(1440, 'Hold a bed at most 1440 minutes (a day).')
      .optional(),
  })
  .strict();
export type RequestInput = z.input<typeof RequestInput>;

export const AnswerInput = z.discriminatedUnion('answer', [
  z.object({ answer: z.literal('offer'), programId: z.string().uuid('Choose a program.') }).strict(),
  z
    .object({
      answer: z.literal('decline'),
      programId: z.string().uuid('Choose a program.'),
      reason: z.enum(DECLINE_REASON_CODES, { error: 'Choose why you cannot take them.' }),
    })
    .strict(),
]);
export type AnswerInput = z.infer<typeof AnswerInput>;

export const ConfirmInput = z
  .object({
    offerId: z.string().uuid('Choose an offer.'),
    shareIdentifying: z.boolean().default(false),
  })
  .strict();
export type ConfirmInput = z.input<typeof ConfirmInput>;

export const EndPlacementInput = z
  .object({
    reason: z.enum(END_REASON_CODES, { error: 'Choose why the stay ended.' }),
    wentTo: z.string({ error: 'Choose where they went.' }).min(1, 'Choose where they went.'),
  })
  .strict();
export type EndPlacementInput = z.infer<typeof EndPlacementInput>;

export const CloseRequestInput = z
  .object({
    reason: z.enum(CHOSEN_CLOSE_REASON_CODES, { error: 'Choose why the request is closing.' }),
  })
  .strict();
export type CloseRequestInput = z.infer<typeof CloseRequestInput>;

/** A stay recorded by hand (one that did not come from a shelter request): the program and the day it began. */
export const PlacementInput = z
  .object({
    programId: z.string({ error: 'Choose a program.' }).uuid('Choose a program.'),
    startedOn: z
      .string({ error: 'Give the day the stay began.' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the day the stay began as a date, for example 2026-03-14.'),
  })
  .strict();
export type PlacementInput = z.infer<typeof PlacementInput>;
