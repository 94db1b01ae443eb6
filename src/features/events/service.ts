/**
 * The use cases of events: list, create and change events and series, change or cancel one
 * occurrence, and the occurrences to show. Each starts with `authorize` (`events.manage`: state
 * administrators and trainers anywhere, navigators for events in their regions; a statewide event, with
 * no region, only the first two) and audits its change in the same transaction.
 *
 * Changes of one date, registrations, the waiting list and attendance are in `registrations.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/log.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import * as q from './queries.ts';
import { addDays, expand, localDate, type Occurrence, type SeriesTimes } from './rules.ts';
import { EventInput } from './schema.ts';

export interface EventsContext {
  db: Database;
  keyring: Keyring;
  site: SiteOrigin;
  /** The pack's time zone: events are in it. */
  timezone: string;
  now?: () => Date;
  log?: Logger;
}

export function eventsContext(deps: AppDeps): EventsContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    site: deps.site,
    timezone: deps.geography.get().timezone,
    log: deps.log,
  };
}

export const nowOf = (ctx: Pick<EventsContext, 'now'>): Date => (ctx.now ? ctx.now() : new Date());
export const todayOf = (ctx: EventsContext): string => localDate(nowOf(ctx), ctx.timezone);

type Origin = { ip: string | null; userAgent: string | null };

export const seriesOf = (e: q.EventRow): SeriesTimes => ({
  startsOn: e.starts_on,
  startTime: e.start_time,
  endTime: e.end_time,
  rrule: e.rrule,
  timezone: e.timezone,
  placeName: e.place_name,
  placeAddress: e.place_address,
});

/** The target `events.manage` is checked against: the event's region (none for a statewide event). */
const targetOf = (e: Pick<q.EventRow, 'region_id'>) => ({ regionId: e.region_id });

const REFUSE_STATEWIDE =
  'Only state administrators and trainers change statewide events and events outside your regions.';

/** The event, when the actor may manage it (404 for an event that does not exist). */
export async function managedEvent(ctx: EventsContext, actor: Actor, id: string): Promise<q.EventRow> {
  authorize(actor, 'events.manage');
  const event = /^[0-9a-f-]{36}$/i.test(id) ? await q.eventById(ctx.db, id) : undefined;
  if (!event) throw new ServiceError('not_found', 'There is no such event.');
  authorize(actor, 'events.manage', targetOf(event), { message: REFUSE_STATEWIDE });
  return event;
}

/** The events the actor may manage. */
export async function listManagedEvents(ctx: EventsContext, actor: Actor): Promise<q.EventRow[]> {
  const scope = authorize(actor, 'events.manage');
  return q.eventsIn(ctx.db, scope.all ? null : scope.regions);
}

/** Regions the actor may put an event in (all for state administrators and trainers). */
export async function regionChoices(
  ctx: EventsContext,
  actor: Actor,
): Promise<{ id: string; name: string }[]> {
  const scope = authorize(actor, 'events.manage');
  const all = await q.regionsList(ctx.db);
  return scope.all ? all : all.filter((r) => scope.regions.includes(r.id));
}

function checked(input: unknown): EventInput {
  const parsed = EventInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  return parsed.data;
}

async function columns(ctx: EventsContext, actor: Actor, v: EventInput) {
  if (v.regionId && !(await q.regionsList(ctx.db)).some((r) => r.id === v.regionId))
    throw new InputError('Choose a region from the list.', 'regionId');
  authorize(
    actor,
    'events.manage',
    { regionId: v.regionId },
    {
      message: 'Choose one of your regions: navigators add events in their own regions.',
    },
  );
  const organizer =
    v.organizerName ?? (await q.organizationName(ctx.db, actor.organizationId))?.name ?? 'No Wrong Door';
  return {
    kind: v.kind,
    title: v.title,
    description: v.description,
    course_code: v.courseCode,
    place_kind: v.placeKind,
    place_name: v.placeKind === 'in_person' ? v.placeName : null,
    place_address: v.placeKind === 'in_person' ? v.placeAddress : null,
    online_url: v.placeKind === 'online' ? v.onlineUrl : null,
    region_id: v.regionId,
    capacity: v.capacity,
    registration: v.registration,
    organizer_name: organizer,
    starts_on: v.startsOn,
    start_time: v.startTime,
    end_time: v.endTime,
    rrule: v.rrule ? v.rrule.replace(/^RRULE:/i, '').toUpperCase() : null,
  };
}

/** Adds an event or a series. */
export async function createEvent(
  ctx: EventsContext,
  actor: Actor,
  input: unknown,
  origin: Origin,
): Promise<string> {
  authorize(actor, 'events.manage');
  const v = checked(input);
  const values = await columns(ctx, actor, v);
  const id = randomUUID();
  const at = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('events')
      .values({
        id,
        ...values,
        organizer_organization_id: v.organizerName ? null : actor.organizationId,
        timezone: ctx.timezone,
        created_by: actor.userId,
        created_at: at,
        updated_by: actor.userId,
        updated_at: at,
      })
      .execute();
    await recordActorAudit(trx, actor, origin, {
      action: 'events.create',
      subjectType: 'event',
      subjectId: id,
      details: {
        kind: v.kind,
        region_id: v.regionId,
        series: v.rrule !== null,
        registration: v.registration,
      },
    });
  });
  return id;
}

/** Changes an event or a whole series (places already taken are kept). */
export async function updateEvent(
  ctx: EventsContext,
  actor: Actor,
  id: string,
  input: unknown,
  origin: Origin,
): Promise<void> {
  await managedEvent(ctx, actor, id);
  const v = checked(input);
  const values = await columns(ctx, actor, v);
  await ctx.db.transaction().execute(async (trx) => {
    const event = await q.lockEvent(trx, id);
    if (!event) throw new ServiceError('not_found', 'There is no such event.');
    await trx
      .updateTable('events')
      .set({
        ...values,
        sequence: event.sequence + 1,
        updated_by: actor.userId,
        updated_at: nowOf(ctx),
        ...(event.origin === 'pack' ? { edited_at: nowOf(ctx) } : {}),
      })
      .where('id', '=', id)
      .execute();
    await recordActorAudit(trx, actor, origin, {
      action: 'events.update',
      subjectType: 'event',
      subjectId: id,
      details: { region_id: v.regionId, series: v.rrule !== null, capacity: v.capacity },
    });
  });
}

/** Cancels or restores the whole event (every occurrence). */
export async function setEventStatus(
  ctx: EventsContext,
  actor: Actor,
  id: string,
  status: 'scheduled' | 'cancelled',
  origin: Origin,
): Promise<void> {
  await managedEvent(ctx, actor, id);
  await ctx.db.transaction().execute(async (trx) => {
    const event = await q.lockEvent(trx, id);
    if (!event) throw new ServiceError('not_found', 'There is no such event.');
    await trx
      .updateTable('events')
      .set({ status, sequence: event.sequence + 1, updated_by: actor.userId, updated_at: nowOf(ctx) })
      .where('id', '=', id)
      .execute();
    await recordActorAudit(trx, actor, origin, {
      action: status === 'cancelled' ? 'events.cancel' : 'events.restore',
      subjectType: 'event',
      subjectId: id,
      details: {},
    });
  });
}

/** How far ahead pages and feeds look. */
export const LOOK_AHEAD_DAYS = 366;

/** The occurrences of an event from `from` (default today) for `days`. */
export async function occurrencesOf(
  ctx: EventsContext,
  event: q.EventRow,
  from = todayOf(ctx),
  days = LOOK_AHEAD_DAYS,
): Promise<Occurrence[]> {
  const changes = (await q.changesOf(ctx.db, [event.id])).get(event.id) ?? [];
  return expand(seriesOf(event), changes, from, addDays(from, days));
}

export interface UpcomingOccurrence {
  event: q.EventRow;
  occurrence: Occurrence;
}

/** The public events' occurrences still to come, soonest first, cancelled ones left out. */
export async function upcomingPublic(ctx: EventsContext, days = 183): Promise<UpcomingOccurrence[]> {
  const events = await q.publicEvents(ctx.db);
  const changes = await q.changesOf(
    ctx.db,
    events.map((e) => e.id),
  );
  const today = todayOf(ctx);
  const now = nowOf(ctx).getTime();
  return events
    .flatMap((event) =>
      expand(seriesOf(event), changes.get(event.id) ?? [], today, addDays(today, days)).map((occurrence) => ({
        event,
        occurrence,
      })),
    )
    .filter((u) => !u.occurrence.cancelled && u.occurrence.endsAt.getTime() > now)
    .sort((a, b) => a.occurrence.startsAt.getTime() - b.occurrence.startsAt.getTime());
}

/** A publicly listed event (404 otherwise). */
export async function publicEvent(ctx: EventsContext, id: string): Promise<q.EventRow> {
  const event = /^[0-9a-f-]{36}$/i.test(id) ? await q.eventById(ctx.db, id) : undefined;
  if (!event || event.status !== 'scheduled' || event.registration === 'staff')
    throw new ServiceError('not_found', 'There is no such event.');
  return event;
}

/**
 * Where an event happens, in one line: the place's name and address, or "Online" (with the link to join
 * when `withLink`: in a registered person's email, or for an event without registration).
 */
export const venueOf = (
  event: q.EventRow,
  o?: Pick<Occurrence, 'placeName' | 'placeAddress'>,
  withLink = false,
): string =>
  event.place_kind === 'online'
    ? withLink && event.online_url
      ? `Online: ${event.online_url}`
      : 'Online'
    : [o?.placeName ?? event.place_name, o?.placeAddress ?? event.place_address].filter(Boolean).join(', ') ||
      'Place to be announced';
