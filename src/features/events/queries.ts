/**
 * The SQL of events (Kysely): events and their one-off changes, registrations, and the row lock that
 * serialises every change of an event's places (registering, cancelling, promoting from the waiting
 * list), so two people never take the last place.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { OccurrenceChange } from './rules.ts';
import type { EventOccurrenceChangesTable, EventRegistrationsTable, EventsTable } from './tables.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type EventRow = Selectable<EventsTable>;
export type RegistrationRow = Selectable<EventRegistrationsTable>;

export const eventById = (db: Db, id: string) =>
  db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();

/** The event's row, locked until the transaction ends: every change of its places takes it first. */
export const lockEvent = (trx: Transaction<DB>, id: string) =>
  trx.selectFrom('events').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** Events in the given regions (null: all), newest first date last. */
export function eventsIn(db: Db, regions: readonly string[] | null) {
  let q = db.selectFrom('events').selectAll().orderBy('starts_on', 'desc').orderBy('title');
  if (regions) q = regions.length ? q.where('region_id', 'in', regions) : q.where('id', 'is', null);
  return q.execute();
}

/** Scheduled events listed publicly (registration public or none), optionally by region or course. */
export function publicEvents(db: Db, filter: { regionId?: string; courseCode?: string } = {}) {
  let q = db
    .selectFrom('events')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('registration', 'in', ['public', 'none']);
  if (filter.regionId) q = q.where('region_id', '=', filter.regionId);
  if (filter.courseCode) q = q.where('course_code', '=', filter.courseCode);
  return q.orderBy('starts_on').orderBy('id').execute();
}

export async function changesOf(
  db: Db,
  eventIds: readonly string[],
): Promise<Map<string, OccurrenceChange[]>> {
  const out = new Map<string, OccurrenceChange[]>();
  if (!eventIds.length) return out;
  const rows = await db
    .selectFrom('event_occurrence_changes')
    .selectAll()
    .where('event_id', 'in', eventIds)
    .orderBy('occurrence_date')
    .execute();
  for (const r of rows) {
    const list = out.get(r.event_id) ?? [];
    list.push(changeOf(r));
    out.set(r.event_id, list);
  }
  return out;
}

const changeOf = (r: Selectable<EventOccurrenceChangesTable>): OccurrenceChange => ({
  occurrenceDate: r.occurrence_date,
  cancelled: r.cancelled,
  movedTo: r.moved_to,
  startTime: r.start_time,
  endTime: r.end_time,
  placeName: r.place_name,
  placeAddress: r.place_address,
});

export async function saveChange(
  trx: Transaction<DB>,
  eventId: string,
  change: OccurrenceChange,
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    cancelled: change.cancelled,
    moved_to: change.movedTo,
    start_time: change.startTime,
    end_time: change.endTime,
    place_name: change.placeName,
    place_address: change.placeAddress,
    updated_by: by,
    updated_at: at,
  };
  await trx
    .insertInto('event_occurrence_changes')
    .values({ event_id: eventId, occurrence_date: change.occurrenceDate, ...values })
    .onConflict((oc) => oc.columns(['event_id', 'occurrence_date']).doUpdateSet(values))
    .execute();
}

/** Places taken and waiting, per occurrence date of an event. */
export async function countsOf(
  db: Db,
  eventId: string,
): Promise<Map<string, { registered: number; waitlisted: number }>> {
  const rows = await db
    .selectFrom('event_registrations')
    .select(['occurrence_date', 'status'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '<>', 'cancelled')
    .groupBy(['occurrence_date', 'status'])
    .execute();
  const out = new Map<string, { registered: number; waitlisted: number }>();
  for (const r of rows) {
    const c = out.get(r.occurrence_date) ?? { registered: 0, waitlisted: 0 };
    if (r.status === 'registered') c.registered = Number(r.n);
    if (r.status === 'waitlisted') c.waitlisted = Number(r.n);
    out.set(r.occurrence_date, c);
  }
  return out;
}

export async function registeredCount(trx: Db, eventId: string, occurrenceDate: string): Promise<number> {
  const row = await trx
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('event_id', '=', eventId)
    .where('occurrence_date', '=', occurrenceDate)
    .where('status', '=', 'registered')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The first person in line on the waiting list of an occurrence. */
export const firstInLine = (trx: Db, eventId: string, occurrenceDate: string) =>
  trx
    .selectFrom('event_registrations')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('occurrence_date', '=', occurrenceDate)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlisted_at')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();

export const registrationsOf = (db: Db, eventId: string, occurrenceDate: string) =>
  db
    .selectFrom('event_registrations')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('occurrence_date', '=', occurrenceDate)
    .orderBy('status')
    .orderBy('waitlisted_at')
    .orderBy('created_at')
    .execute();

export const registrationById = (db: Db, id: string) =>
  db.selectFrom('event_registrations').selectAll().where('id', '=', id).executeTakeFirst();

export const registrationByTokenHash = (db: Db, hash: string) =>
  db.selectFrom('event_registrations').selectAll().where('cancel_token_hash', '=', hash).executeTakeFirst();

export const regionsList = (db: Db) =>
  db.selectFrom('regions').select(['id', 'name']).orderBy('name').execute();

export const organizationName = (db: Db, id: string) =>
  db.selectFrom('member_organizations').select('name').where('id', '=', id).executeTakeFirst();
