/**
 * Registrations for an occurrence of an event: a person registers (on the public page, or a staff
 * member registers them), gets a place while there is one and a place on the waiting list after; a
 * cancellation gives the place to the first person in line at once. Every change of an event's places
 * runs under the event's row lock (`lockEvent`), so two people never get the last place and a freed
 * place goes to exactly one person.
 *
 * The person's name, email and organization are encrypted at rest (shared data key, bound to row and
 * column); the email has a blind index so one address registers once per occurrence. Each registration
 * has an unguessable token (32 random bytes): its SHA-256 finds the registration, and the token itself,
 * encrypted, goes into later emails. Emails go through the outbox with fixed headlines.
 *
 * Attendance (`recordAttendance`) is kept per registration: attended yes or no, by whom, when; a person who
 * came to an event of a course gets the training completion in the same transaction (docs/events.md,
 * "Attendance and training completions").
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import { recordActorAudit, recordAudit } from '../../platform/audit/audit.ts';
import { decryptField, encryptField, normaliseForIndex, SHARED_SCOPE } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import { enqueueEmail, siteOrigin } from '../../platform/mail/index.ts';
import * as q from './queries.ts';
import { isRuleDate, occurrenceFor, type Occurrence } from './rules.ts';
import { isDate, OccurrenceChangeInput, RegistrationInput } from './schema.ts';
import { managedEvent, nowOf, seriesOf, venueOf, type EventsContext } from './service.ts';
import {
  courseExists,
  organizationOfPerson,
  recordCompletion,
  withdrawEventCompletion,
} from '../training/index.ts';

const TABLE = 'event_registrations';
const EMAIL_INDEX = 'event-registration-email';
const at = (id: string, field: string) => ({ scope: SHARED_SCOPE, table: TABLE, recordId: id, field });

export const HEADLINES = {
  registered: 'You are registered',
  waitlisted: 'You are on the waiting list. We will email you if a place opens up.',
  promoted: 'A place opened up: you are now registered',
  cancelled: 'Your registration is cancelled',
  reminder: 'A reminder: your event is tomorrow',
  dateCancelled: 'The organizer cancelled this date of the event. We are sorry for the change.',
  dateChanged: 'The organizer changed the date, time or place of this event. Here are the new details.',
} as const;

type Origin = { ip: string | null; userAgent: string | null };
export type Channel = { channel: 'public' } | { channel: 'staff'; actor: Actor; origin: Origin };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The occurrence of `event` named `occurrenceDate`, with its change applied (null: not a date of it). */
export async function occurrenceOf(
  db: Parameters<typeof q.changesOf>[0],
  event: q.EventRow,
  occurrenceDate: string,
): Promise<Occurrence | null> {
  if (!isDate(occurrenceDate)) return null;
  const changes = (await q.changesOf(db, [event.id])).get(event.id) ?? [];
  return occurrenceFor(
    seriesOf(event),
    changes.find((c) => c.occurrenceDate === occurrenceDate),
    occurrenceDate,
  );
}

/** The link to a person's own registration page. */
export const registrationLink = (ctx: EventsContext, token: string) =>
  `${siteOrigin(ctx.site)}/events/registration/${token}`;

/** Queues the email about a registration (`headline` is one of HEADLINES). */
export async function emailAbout(
  trx: Transaction<DB>,
  ctx: EventsContext,
  r: Pick<q.RegistrationRow, 'id' | 'email_encrypted' | 'token_encrypted'>,
  event: q.EventRow,
  o: Occurrence,
  headline: string,
): Promise<void> {
  const to = await decryptField(ctx.keyring, at(r.id, 'email_encrypted'), r.email_encrypted, trx);
  const token = await decryptField(ctx.keyring, at(r.id, 'token_encrypted'), r.token_encrypted, trx);
  await enqueueEmail(
    trx,
    ctx.keyring,
    {
      to,
      template: 'event_registration',
      params: {
        link: registrationLink(ctx, token),
        headline,
        eventTitle: event.title,
        startsAt: o.startsAt,
        venue: venueOf(event, o, true),
      },
    },
    ctx.site,
  );
}

/** Whether the occurrence can still take registrations: scheduled, not cancelled, not started. */
function openProblem(ctx: EventsContext, event: q.EventRow, o: Occurrence | null): string | null {
  if (event.status !== 'scheduled') return 'This event is cancelled.';
  if (!o) return 'That date is not one of the event’s dates.';
  if (o.cancelled) return 'This date is cancelled.';
  if (o.startsAt.getTime() <= nowOf(ctx).getTime()) return 'This date has already started or passed.';
  return null;
}

export interface Registered {
  id: string;
  status: 'registered' | 'waitlisted';
  token: string;
}

/**
 * Registers a person for one occurrence: a place when there is one, else the waiting list. Public
 * registration works only for events with public registration; staff may register people for public
 * and staff-only events they manage.
 */
export async function register(
  ctx: EventsContext,
  eventId: string,
  occurrenceDate: string,
  input: unknown,
  by: Channel,
): Promise<Registered> {
  if (by.channel === 'staff') await managedEvent(ctx, by.actor, eventId);
  const parsed = RegistrationInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const v = parsed.data;
  const id = randomUUID();
  const token = randomBytes(32).toString('base64url');
  return ctx.db.transaction().execute(async (trx) => {
    const event = await q.lockEvent(trx, eventId);
    if (!event || (by.channel === 'public' && event.registration !== 'public'))
      throw new ServiceError('not_found', 'There is no such event, or it takes no registrations here.');
    if (event.registration === 'none') throw new InputError('This event takes no registrations.');
    const o = await occurrenceOf(trx, event, occurrenceDate);
    const problem = openProblem(ctx, event, o);
    if (problem || !o) throw new InputError(problem ?? 'That date is not one of the event’s dates.');
    const emailIndex = await ctx.keyring.blindIndex(EMAIL_INDEX, normaliseForIndex(v.email), trx);
    const taken = await trx
      .selectFrom('event_registrations')
      .select('id')
      .where('event_id', '=', eventId)
      .where('occurrence_date', '=', occurrenceDate)
      .where('email_index', '=', emailIndex)
      .where('status', '<>', 'cancelled')
      .executeTakeFirst();
    if (taken)
      throw new InputError(
        'This email address is already registered for this date. Use the link in the email we sent to see or cancel it.',
        'email',
      );
    const full =
      event.capacity !== null && (await q.registeredCount(trx, eventId, occurrenceDate)) >= event.capacity;
    const status = full ? 'waitlisted' : 'registered';
    const now = nowOf(ctx);
    const row = {
      id,
      event_id: eventId,
      occurrence_date: occurrenceDate,
      status,
      name_encrypted: await encryptField(ctx.keyring, at(id, 'name_encrypted'), v.name, trx),
      email_encrypted: await encryptField(ctx.keyring, at(id, 'email_encrypted'), v.email, trx),
      organization_encrypted: v.organization
        ? await encryptField(ctx.keyring, at(id, 'organization_encrypted'), v.organization, trx)
        : null,
      email_index: emailIndex,
      cancel_token_hash: hashOf(token),
      token_encrypted: await encryptField(ctx.keyring, at(id, 'token_encrypted'), token, trx),
      channel: by.channel,
      created_by: by.channel === 'staff' ? by.actor.userId : null,
      created_at: now,
      waitlisted_at: full ? now : null,
    } as const;
    await trx.insertInto('event_registrations').values(row).execute();
    await emailAbout(trx, ctx, row, event, o, HEADLINES[status]);
    const audit = {
      action: 'events.registration.create',
      subjectType: 'event_registration',
      subjectId: id,
      details: { event_id: eventId, occurrence_date: occurrenceDate, status, channel: by.channel },
    };
    if (by.channel === 'staff') await recordActorAudit(trx, by.actor, by.origin, audit);
    else await recordAudit(trx, { actorKind: 'anonymous', ...audit });
    return { id, status, token };
  });
}

/**
 * Gives free places of an occurrence to the people first in line, each told by email. Runs under the
 * event's row lock. Returns the registrations promoted.
 */
async function promote(
  trx: Transaction<DB>,
  ctx: EventsContext,
  event: q.EventRow,
  occurrenceDate: string,
): Promise<string[]> {
  const o = await occurrenceOf(trx, event, occurrenceDate);
  if (openProblem(ctx, event, o) || !o) return [];
  const promoted: string[] = [];
  for (;;) {
    if (event.capacity !== null && (await q.registeredCount(trx, event.id, occurrenceDate)) >= event.capacity)
      break;
    const next = await q.firstInLine(trx, event.id, occurrenceDate);
    if (!next) break;
    await trx
      .updateTable('event_registrations')
      .set({ status: 'registered', promoted_at: nowOf(ctx) })
      .where('id', '=', next.id)
      .execute();
    await emailAbout(trx, ctx, next, event, o, HEADLINES.promoted);
    await recordAudit(trx, {
      actorKind: 'system',
      action: 'events.registration.promote',
      subjectType: 'event_registration',
      subjectId: next.id,
      details: { event_id: event.id, occurrence_date: occurrenceDate },
    });
    promoted.push(next.id);
  }
  return promoted;
}

/** Cancels a registration under the event's lock and promotes from the waiting list. */
async function cancel(
  ctx: EventsContext,
  find: (trx: Transaction<DB>) => Promise<q.RegistrationRow | undefined>,
  audit: (trx: Transaction<DB>, r: q.RegistrationRow) => Promise<unknown>,
): Promise<{ cancelled: boolean; promoted: string[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const first = await find(trx);
    if (!first) throw new ServiceError('not_found', 'There is no such registration.');
    const event = await q.lockEvent(trx, first.event_id);
    const r = await q.registrationById(trx, first.id);
    if (!event || !r) throw new ServiceError('not_found', 'There is no such registration.');
    if (r.status === 'cancelled') return { cancelled: false, promoted: [] };
    await trx
      .updateTable('event_registrations')
      .set({ status: 'cancelled', cancelled_at: nowOf(ctx) })
      .where('id', '=', r.id)
      .execute();
    const o = await occurrenceOf(trx, event, r.occurrence_date);
    if (o) await emailAbout(trx, ctx, r, event, o, HEADLINES.cancelled);
    await audit(trx, r);
    const promoted = r.status === 'registered' ? await promote(trx, ctx, event, r.occurrence_date) : [];
    return { cancelled: true, promoted };
  });
}

/** The person's own cancellation, by the token in their link. */
export function cancelByToken(ctx: EventsContext, token: string) {
  return cancel(
    ctx,
    (trx) => q.registrationByTokenHash(trx, hashOf(token)),
    (trx, r) =>
      recordAudit(trx, {
        actorKind: 'anonymous',
        action: 'events.registration.cancel',
        subjectType: 'event_registration',
        subjectId: r.id,
        details: { event_id: r.event_id, occurrence_date: r.occurrence_date, by: 'registrant' },
      }),
  );
}

/** A staff member cancels a registration of an event they manage. */
export async function cancelRegistration(
  ctx: EventsContext,
  actor: Actor,
  registrationId: string,
  origin: Origin,
) {
  const r = /^[0-9a-f-]{36}$/i.test(registrationId)
    ? await q.registrationById(ctx.db, registrationId)
    : undefined;
  if (!r) throw new ServiceError('not_found', 'There is no such registration.');
  await managedEvent(ctx, actor, r.event_id);
  return cancel(
    ctx,
    (trx) => q.registrationById(trx, registrationId),
    (trx, row) =>
      recordActorAudit(trx, actor, origin, {
        action: 'events.registration.cancel',
        subjectType: 'event_registration',
        subjectId: row.id,
        details: { event_id: row.event_id, occurrence_date: row.occurrence_date, by: 'staff' },
      }),
  );
}

export interface OwnRegistration {
  event: q.EventRow;
  occurrence: Occurrence | null;
  status: q.RegistrationRow['status'];
}

/** What a person's link shows: the event, the date and the registration's status (nothing personal). */
export async function registrationByToken(ctx: EventsContext, token: string): Promise<OwnRegistration> {
  const r = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await q.registrationByTokenHash(ctx.db, hashOf(token))
    : undefined;
  const event = r ? await q.eventById(ctx.db, r.event_id) : undefined;
  if (!r || !event) throw new ServiceError('not_found', 'There is no such registration.');
  return { event, occurrence: await occurrenceOf(ctx.db, event, r.occurrence_date), status: r.status };
}

export interface RosterEntry {
  id: string;
  name: string;
  organization: string | null;
  status: q.RegistrationRow['status'];
  attended: boolean | null;
  channel: 'public' | 'staff';
}

/** The people registered and waiting for one occurrence, for the attendance page (read audited). */
export async function roster(
  ctx: EventsContext,
  actor: Actor,
  eventId: string,
  occurrenceDate: string,
  origin: Origin,
): Promise<{ event: q.EventRow; occurrence: Occurrence; entries: RosterEntry[] }> {
  const event = await managedEvent(ctx, actor, eventId);
  const occurrence = await occurrenceOf(ctx.db, event, occurrenceDate);
  if (!occurrence) throw new ServiceError('not_found', 'That date is not one of the event’s dates.');
  const rows = await q.registrationsOf(ctx.db, eventId, occurrenceDate);
  const entries = await Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      name: await decryptField(ctx.keyring, at(r.id, 'name_encrypted'), r.name_encrypted),
      organization: r.organization_encrypted
        ? await decryptField(ctx.keyring, at(r.id, 'organization_encrypted'), r.organization_encrypted)
        : null,
      status: r.status,
      attended: r.attended,
      channel: r.channel,
    })),
  );
  await ctx.db.transaction().execute((trx) =>
    recordActorAudit(trx, actor, origin, {
      action: 'events.registrations.read',
      subjectType: 'event',
      subjectId: eventId,
      details: { occurrence_date: occurrenceDate, count: rows.length },
    }),
  );
  return { event, occurrence, entries };
}

/** What recording a person as attended did about a training completion. */
export type CompletionOutcome =
  | 'recorded' // a completion of the event's course for the person, in their organization
  | 'withdrawn' // marked as not having come: the completion this event made is taken back
  | 'already' // the person already had it for that day
  | 'no_organization' // no organization of the network could be found for the person
  | 'no_course' // the event names no course of the training catalogue
  | null; // not attended, or an event without a course

/**
 * Records whether a registered person came. Only for people with a place; may be changed later. When
 * they came to an event of a course in the training catalogue, the completion is recorded in the same
 * transaction (`recordCompletion`, source `event`, on the date the occurrence happened) for the
 * organization they belong to (`organizationOfPerson`: their account's, the one whose roster lists
 * them, or the one whose name they gave). Marking them as not having come after all takes back the
 * completion this event recorded for them.
 */
export async function recordAttendance(
  ctx: EventsContext,
  actor: Actor,
  registrationId: string,
  attended: boolean,
  origin: Origin,
): Promise<{ registration: q.RegistrationRow; completion: CompletionOutcome }> {
  authorize(actor, 'events.manage');
  const r = /^[0-9a-f-]{36}$/i.test(registrationId)
    ? await q.registrationById(ctx.db, registrationId)
    : undefined;
  if (!r) throw new ServiceError('not_found', 'There is no such registration.');
  const event = await managedEvent(ctx, actor, r.event_id);
  if (r.status !== 'registered')
    throw new ServiceError('conflict', 'Only people with a place can be marked as attended.');
  const completion = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('event_registrations')
      .set({ attended, attendance_by: actor.userId, attendance_at: nowOf(ctx) })
      .where('id', '=', r.id)
      .execute();
    const outcome = !event.course_code
      ? null
      : attended
        ? await completeCourse(ctx, trx, actor, event, r)
        : r.attended
          ? await withdrawCourse(ctx, trx, event, r)
          : null;
    await recordActorAudit(trx, actor, origin, {
      action: 'events.attendance.record',
      subjectType: 'event_registration',
      subjectId: r.id,
      details: { event_id: r.event_id, occurrence_date: r.occurrence_date, attended, completion: outcome },
    });
    return outcome;
  });
  return { registration: r, completion };
}

/** Takes back the completion the event recorded for a person now marked as not having come. */
async function withdrawCourse(
  ctx: EventsContext,
  trx: Transaction<DB>,
  event: q.EventRow,
  r: q.RegistrationRow,
): Promise<CompletionOutcome> {
  const email = await decryptField(ctx.keyring, at(r.id, 'email_encrypted'), r.email_encrypted, trx);
  return (await withdrawEventCompletion(trx, ctx.keyring, { email, eventId: event.id })) > 0
    ? 'withdrawn'
    : null;
}

/** The training completion of a person who came to an event of a course (inside the transaction). */
async function completeCourse(
  ctx: EventsContext,
  trx: Transaction<DB>,
  actor: Actor,
  event: q.EventRow,
  r: q.RegistrationRow,
): Promise<CompletionOutcome> {
  const courseCode = event.course_code!;
  if (!(await courseExists(trx, courseCode))) return 'no_course';
  const email = await decryptField(ctx.keyring, at(r.id, 'email_encrypted'), r.email_encrypted, trx);
  const organizationName = r.organization_encrypted
    ? await decryptField(ctx.keyring, at(r.id, 'organization_encrypted'), r.organization_encrypted, trx)
    : null;
  const organizationId = await organizationOfPerson(trx, ctx.keyring, { email, organizationName });
  if (!organizationId) return 'no_organization';
  const occurrence = await occurrenceOf(trx, event, r.occurrence_date);
  const done = await recordCompletion(trx, ctx.keyring, {
    organizationId,
    email,
    name: await decryptField(ctx.keyring, at(r.id, 'name_encrypted'), r.name_encrypted, trx),
    courseCode,
    completedOn: occurrence?.date ?? r.occurrence_date,
    source: 'event',
    eventId: event.id,
    recordedBy: actor.userId,
  });
  return done.completionId ? 'recorded' : 'already';
}

function changeInput(input: unknown) {
  const parsed = OccurrenceChangeInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  return parsed.data;
}

function cancelInput(input: unknown) {
  const occurrenceDate = String((input as { occurrenceDate?: unknown } | null)?.occurrenceDate ?? '');
  if (!isDate(occurrenceDate)) throw new InputError('Choose the date to cancel.', 'occurrenceDate');
  return {
    occurrenceDate,
    movedTo: null,
    startTime: null,
    endTime: null,
    placeName: null,
    placeAddress: null,
  };
}

/**
 * Changes one occurrence (another date, times or place) or cancels it (`cancel`), keeping the rest of
 * the series. The occurrence is named by the date the rule gives it.
 */
export async function changeOccurrence(
  ctx: EventsContext,
  actor: Actor,
  id: string,
  input: unknown,
  cancel: boolean,
  origin: Origin,
): Promise<void> {
  const event = await managedEvent(ctx, actor, id);
  const c = cancel ? cancelInput(input) : changeInput(input);
  if (!isRuleDate(seriesOf(event), c.occurrenceDate))
    throw new InputError('That date is not one of the event’s dates.', 'occurrenceDate');
  const startTime = c.startTime ?? event.start_time;
  const endTime = c.endTime ?? event.end_time;
  if (!cancel && endTime <= startTime)
    throw new InputError('The end time must be after the start time, on the same day.', 'endTime');
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockEvent(trx, id);
    if (!locked) throw new ServiceError('not_found', 'There is no such event.');
    const previous = (await q.changesOf(trx, [id]))
      .get(id)
      ?.find((x) => x.occurrenceDate === c.occurrenceDate);
    await q.saveChange(
      trx,
      id,
      cancel
        ? {
            occurrenceDate: c.occurrenceDate,
            cancelled: true,
            movedTo: previous?.movedTo ?? null,
            startTime: previous?.startTime ?? null,
            endTime: previous?.endTime ?? null,
            placeName: previous?.placeName ?? null,
            placeAddress: previous?.placeAddress ?? null,
          }
        : { ...c, occurrenceDate: c.occurrenceDate, cancelled: false },
      actor.userId,
      nowOf(ctx),
    );
    await trx
      .updateTable('events')
      .set({ sequence: locked.sequence + 1, updated_at: nowOf(ctx), updated_by: actor.userId })
      .where('id', '=', id)
      .execute();
    // Everyone registered or waiting for the date is told, with their own link.
    const changed = await occurrenceOf(trx, locked, c.occurrenceDate);
    const people = await trx
      .selectFrom('event_registrations')
      .selectAll()
      .where('event_id', '=', id)
      .where('occurrence_date', '=', c.occurrenceDate)
      .where('status', '<>', 'cancelled')
      .execute();
    if (changed)
      for (const r of people)
        await emailAbout(
          trx,
          ctx,
          r,
          locked,
          changed,
          cancel ? HEADLINES.dateCancelled : HEADLINES.dateChanged,
        );
    await recordActorAudit(trx, actor, origin, {
      action: cancel ? 'events.occurrence.cancel' : 'events.occurrence.change',
      subjectType: 'event',
      subjectId: id,
      details: {
        occurrence_date: c.occurrenceDate,
        moved_to: cancel ? null : c.movedTo,
        told: people.length,
      },
    });
  });
}

/**
 * Gives places freed by a larger capacity (or any free place) to the people first in line, on every
 * date of the event, each told by email. Run after the event is changed.
 */
export async function fillPlaces(ctx: EventsContext, eventId: string): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const event = await q.lockEvent(trx, eventId);
    if (!event) return [];
    const dates = await trx
      .selectFrom('event_registrations')
      .select('occurrence_date')
      .distinct()
      .where('event_id', '=', eventId)
      .where('status', '=', 'waitlisted')
      .execute();
    const promoted: string[] = [];
    for (const d of dates) promoted.push(...(await promote(trx, ctx, event, d.occurrence_date)));
    return promoted;
  });
}
