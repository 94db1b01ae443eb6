/**
 * What a person or a caller sends to the queue, as zod schemas: the list's filters (the page's form and
 * the API's query) and an outcome. Each message names its field in plain words.
 */
import { z } from '@hono/zod-openapi';
import type { Urgency } from '../intake/index.ts';
import {
  NOTE_MAX,
  OUTCOMES,
  OUTCOME_STATUSES,
  QUEUE_LIMIT,
  QUEUE_VIEWS,
  QueueError,
  URGENCY_NAMES,
  isOutcomeCode,
  type OutcomeCode,
  type OutcomeStatus,
  type QueueView,
} from './rules.ts';

const VIEWS = Object.keys(QUEUE_VIEWS) as [QueueView, ...QueueView[]];
const URGENCIES = Object.keys(URGENCY_NAMES) as [Urgency, ...Urgency[]];

/** The API's list query. */
export const ListQuery = z.object({
  view: z.enum(VIEWS).default('open'),
  region: z.string().max(64).optional(),
  urgency: z.enum(URGENCIES).optional(),
  limit: z.coerce.number().int().min(1).max(QUEUE_LIMIT).default(QUEUE_LIMIT),
});

/** Empty means "no filter"; anything else must be one of the choices. */
const choice = <T extends string>(choices: readonly T[], message: string) =>
  z
    .string()
    .refine((s) => s === '' || (choices as readonly string[]).includes(s), message)
    .transform((s) => (s === '' ? undefined : (s as T)));

/** The page's filter form, given the regions the person may choose from. */
export const listFiltersForm = (regionIds: readonly string[]) =>
  z.object({
    view: choice(VIEWS, 'Choose which items to show from the list.'),
    region: choice(regionIds, 'Choose one of your regions from the list.'),
    urgency: choice(URGENCIES, 'Choose an urgency from the list.'),
  });

export type ListFilters = z.infer<ReturnType<typeof listFiltersForm>>;

/** An outcome as a person entered it. */
export interface OutcomeInput {
  status: string;
  outcome: string;
  note?: string | null;
}

/** Control characters other than line breaks and tabs. */
const hasControl = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));

/** An outcome: the status, an outcome code that goes with it, and an optional note (the first problem only). */
export const OutcomeSchema = z
  .object({ status: z.string(), outcome: z.string(), note: z.string().nullish() })
  .transform((input, ctx) => {
    const problem = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    if (!(OUTCOME_STATUSES as readonly string[]).includes(input.status))
      return problem('status', 'Choose what happened: contacted, could not reach, or closed.');
    const status = input.status as OutcomeStatus;
    if (!isOutcomeCode(input.outcome) || OUTCOMES[input.outcome].status !== status)
      return problem('outcome', 'Choose an outcome from the list for what happened.');
    const note = (input.note ?? '').trim();
    if (note.length > NOTE_MAX) return problem('note', `The note must be ${NOTE_MAX} characters or fewer.`);
    if (hasControl(note)) return problem('note', 'Use letters, numbers, spaces and punctuation in the note.');
    if (input.outcome === 'other' && !note) return problem('note', 'Say in the note what the outcome was.');
    return { status, outcome: input.outcome as OutcomeCode, note: note || null };
  });

export type CheckedOutcome = z.infer<typeof OutcomeSchema>;

/** Checks an outcome; an `invalid` QueueError naming the field otherwise. */
export function checkOutcome(input: OutcomeInput): CheckedOutcome {
  const parsed = OutcomeSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new QueueError('invalid', issue?.message ?? 'Check the outcome.', String(issue?.path[0] ?? 'status'));
}
