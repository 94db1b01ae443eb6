/**
 * The input of tasks, one definition for the staff forms, the service and the API: a task's title and
 * due time, the pathway form's start time and duties, and the API's list query. Each message names its
 * field in plain words.
 */
import { z } from '@hono/zod-openapi';
import {
  DUE_VIEWS,
  MAX_AHEAD_MS,
  TASK_LIST_LIMIT,
  TASK_SCOPES,
  TASK_TITLE_MAX,
  type TaskableAction,
} from './rules.ts';

/** Control characters other than line breaks and tabs. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** A task's title as a person typed it: spaces collapsed. */
export const TaskTitleSchema = z
  .string()
  .transform((raw) => raw.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'Say what needs doing.')
      .max(TASK_TITLE_MAX, `Keep the task to ${TASK_TITLE_MAX} characters or fewer.`)
      .refine((t) => !CONTROL.test(t), 'Use letters, numbers, spaces and punctuation in the task.'),
  );

/** A due time: a real instant, in the future, within two years of `now`. */
export const dueSchema = (now: Date) =>
  z
    .date({ error: 'Enter when it is due, as a date and a time.' })
    .refine((d) => !Number.isNaN(d.getTime()), 'Enter when it is due, as a date and a time.')
    .refine((d) => d.getTime() > now.getTime(), 'Choose a due time in the future.')
    .refine(
      (d) => d.getTime() - now.getTime() <= MAX_AHEAD_MS,
      'Choose a due time within the next two years.',
    );

/** A task added by hand: its title and due time (the form's field names). */
export const taskFieldsSchema = (now: Date) => z.object({ title: TaskTitleSchema, due: dueSchema(now) });
export type TaskFields = z.infer<ReturnType<typeof taskFieldsSchema>>;

/** When the pathway's deadlines count from: a readable time, not in the future. */
export const pathwayFromSchema = (now: Date) =>
  z
    .date()
    .refine(
      (d) => !Number.isNaN(d.getTime()),
      'Enter the time the deadlines count from as a date and a time.',
    )
    .refine(
      (d) => d.getTime() <= now.getTime(),
      'The time the deadlines count from cannot be in the future.',
    );

/** The duties chosen on the pathway form: at least one, each from the list. */
export const pathwayCodesSchema = (available: readonly TaskableAction[]) =>
  z
    .array(z.string())
    .transform((codes) => [...new Set(codes)])
    .pipe(
      z
        .array(z.string())
        .min(1, 'Choose at least one duty to add as a task.')
        .refine(
          (codes) => codes.every((c) => available.some((a) => a.code === c)),
          'Choose duties from the list.',
        ),
    );

/** The API's list query. */
export const TaskListQuery = z.object({
  due: z
    .enum(DUE_VIEWS)
    .default('all')
    .openapi({ description: 'Which open tasks: by due time in Minnesota time' }),
  scope: z.enum(TASK_SCOPES).default('mine').openapi({
    description: 'mine: assigned to the caller; region: every open task of the caller’s regions',
  }),
  region: z.string().max(64).optional().openapi({ description: 'One of the caller’s regions' }),
  limit: z.coerce.number().int().min(1).max(TASK_LIST_LIMIT).default(TASK_LIST_LIMIT),
});

/** A task as the API gives it. */
export const TaskSchema = z
  .object({
    id: z.string().uuid(),
    caseId: z.string().uuid().nullable(),
    regionId: z.string(),
    regionName: z.string(),
    title: z.string().openapi({ description: 'Decrypted: may hold personal data' }),
    source: z.enum(['pathway', 'referral', 'manual', 'intake', 'transfer']),
    sourceRef: z
      .string()
      .nullable()
      .openapi({ description: 'The pathway action code, referral id or transfer id' }),
    dueAt: z.string().openapi({ format: 'date-time' }),
    state: z.enum(['overdue', 'today', 'upcoming', 'done']),
    assignee: z.object({ userId: z.string(), name: z.string() }).nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    link: z.string().openapi({ description: 'The staff page of the task' }),
  })
  .openapi('Task');
