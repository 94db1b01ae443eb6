/**
 * The events a jurisdiction pack ships (`data/<jurisdiction>/events.json`), each with its source, so a
 * fresh start already lists them (Minnesota: the LSS StreetWorks training series). Imported inside the
 * pack's transaction (src/pack/import.ts): a pack event is added or refreshed; one an administrator
 * changed since (`edited_at`) is kept; one the pack no longer lists is removed unless it was changed or
 * has registrations. The file is optional.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.ts';
import { PackError } from '../../pack/load.ts';
import { provenance } from '../../pack/schema.ts';
import { ruleProblem } from './rules.ts';

const packEvent = provenance
  .extend({
    id: z.guid(),
    quote: z.string().optional(),
    kind: z.enum(['training', 'community']),
    title: z.string().min(1).max(200),
    description: z.string().max(4000),
    courseCode: z.string().min(1).max(40).nullable(),
    placeKind: z.enum(['in_person', 'online']),
    placeName: z.string().max(200).nullable(),
    placeAddress: z.string().max(300).nullable(),
    onlineUrl: z.string().url().nullable(),
    regionId: z.string().nullable(),
    capacity: z.number().int().min(1).max(10000).nullable(),
    registration: z.enum(['public', 'staff', 'none']),
    organizerName: z.string().min(1).max(200),
    startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    endTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    rrule: z.string().nullable(),
  })
  .superRefine((e, ctx) => {
    if (e.endTime <= e.startTime)
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'ends before it starts' });
    const problem = e.rrule ? ruleProblem(e.rrule) : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['rrule'], message: problem });
  });

export const PackEventsFile = provenance.extend({ events: z.array(packEvent) });
export type PackEvent = z.infer<typeof packEvent>;

/** Reads and checks `events.json` of a pack folder; an empty list when the pack has none. */
export function loadPackEvents(dir: string): PackEvent[] {
  const path = join(dir, 'events.json');
  if (!existsSync(path)) return [];
  const parsed = PackEventsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PackError('events.json does not match the pack format:', [
      `events.json at /${issue?.path.join('/')}: ${issue?.message}`,
    ]);
  }
  return parsed.data.events;
}

/** Imports the pack's events in the pack's transaction. Returns how many it wrote. */
export async function importPackEvents(trx: Transaction<DB>, dir: string, timezone: string): Promise<number> {
  const events = loadPackEvents(dir);
  const ids = events.map((e) => e.id);
  let stale = trx
    .deleteFrom('events')
    .where('origin', '=', 'pack')
    .where('edited_at', 'is', null)
    .where('id', 'not in', trx.selectFrom('event_registrations').select('event_id'));
  if (ids.length) stale = stale.where('id', 'not in', ids);
  await stale.execute();
  let written = 0;
  for (const e of events) {
    const existing = await trx
      .selectFrom('events')
      .select(['edited_at', 'sequence'])
      .where('id', '=', e.id)
      .executeTakeFirst();
    if (existing?.edited_at) continue;
    const values = {
      kind: e.kind,
      title: e.title,
      description: e.description,
      course_code: e.courseCode,
      place_kind: e.placeKind,
      place_name: e.placeName,
      place_address: e.placeAddress,
      online_url: e.onlineUrl,
      region_id: e.regionId,
      capacity: e.capacity,
      registration: e.registration,
      organizer_name: e.organizerName,
      timezone,
      starts_on: e.startsOn,
      start_time: e.startTime,
      end_time: e.endTime,
      rrule: e.rrule,
      origin: 'pack' as const,
      source: e.source,
      retrieved: e.retrieved,
      verified: e.verified,
      note: e.note ?? null,
      updated_at: new Date(),
    };
    await trx
      .insertInto('events')
      .values({ id: e.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, sequence: (existing?.sequence ?? 0) + 1 }))
      .execute();
    written++;
  }
  return written;
}
