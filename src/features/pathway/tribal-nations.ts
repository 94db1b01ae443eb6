/**
 * The tribal nations of a jurisdiction (`data/<jurisdiction>/tribal-nations.json`): names, and the
 * contact of each nation's social services only where a public source gives it. The pathway names them
 * where an American Indian young person's tribe can receive a report or must be notified.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const Contact = z
  .object({
    phone: z
      .object({ dial: z.string().regex(/^\+?\d{3,15}$/), display: z.string().min(1) })
      .strict()
      .nullable(),
    url: z.url().nullable(),
    source: z.string().min(1),
  })
  .strict();

export const TribalNationsSchema = z
  .object({
    source: z.string().min(1),
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    verified: z.boolean(),
    note: z.string().nullable().optional(),
    nations: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]+$/),
            name: z.string().min(1).max(200),
            /** Null until a public source gives it; never guessed. */
            socialServices: Contact.nullable(),
            contactsVerified: z.boolean(),
          })
          .strict(),
      )
      .refine((list) => new Set(list.map((n) => n.id)).size === list.length, 'nation ids repeat'),
  })
  .strict();
export type TribalNations = z.infer<typeof TribalNationsSchema>;

/**
 * Reads `tribal-nations.json` from a pack directory; a pack without one has no nations listed.
 *
 * @example
 * loadTribalNations('data/mn').nations.length // 11
 */
export function loadTribalNations(packDir: string): TribalNations {
  const file = join(packDir, 'tribal-nations.json');
  if (!existsSync(file)) return { source: 'none', retrieved: '1970-01-01', verified: false, nations: [] };
  const parsed = TribalNationsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}
