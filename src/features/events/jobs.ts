/**
 * The reminder the day before, run hourly as a recurring job: everyone with a place at an occurrence
 * that happens tomorrow (in the pack's time zone) gets one email, with their own link. Each
 * registration is handled in its own transaction under its row lock (`reminded_at` marks it), so a
 * repeated or concurrent run sends nobody two reminders. Nothing for a cancelled event or date.
 */
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { eachInTransaction, type RecurringJob } from '../../platform/jobs/index.ts';
import * as q from './queries.ts';
import { emailAbout, HEADLINES, occurrenceOf } from './registrations.ts';
import { addDays, localDate } from './rules.ts';
import type { EventsContext } from './service.ts';

export interface ReminderReport {
  reminded: number;
}

/**
 * Sends the reminders due at `now`.
 *
 * @example
 * await remindTomorrow({ db, keyring, site, timezone: 'America/Chicago' }, new Date()); // { reminded: 2 }
 */
export async function remindTomorrow(ctx: EventsContext, now: Date): Promise<ReminderReport> {
  const tomorrow = addDays(localDate(now, ctx.timezone), 1);
  // Candidates: the rule date within a year either side (a change may move an occurrence).
  const candidates = await ctx.db
    .selectFrom('event_registrations as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.id', 'r.event_id', 'r.occurrence_date'])
    .where('r.status', '=', 'registered')
    .where('r.reminded_at', 'is', null)
    .where('e.status', '=', 'scheduled')
    .where('r.occurrence_date', '>=', addDays(tomorrow, -366))
    .where('r.occurrence_date', '<=', addDays(tomorrow, 366))
    .orderBy('r.id')
    .execute();
  const events = new Map<string, q.EventRow>();
  const due: string[] = [];
  for (const c of candidates) {
    const event = events.get(c.event_id) ?? (await q.eventById(ctx.db, c.event_id));
    if (!event) continue;
    events.set(event.id, event);
    const o = await occurrenceOf(ctx.db, event, c.occurrence_date);
    if (o && !o.cancelled && o.date === tomorrow) due.push(c.id);
  }
  const report: ReminderReport = { reminded: 0 };
  await eachInTransaction(
    ctx.db,
    due,
    async (trx, id) => {
      const r = await trx
        .selectFrom('event_registrations')
        .selectAll()
        .where('id', '=', id)
        .where('status', '=', 'registered')
        .where('reminded_at', 'is', null)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      const event = r ? events.get(r.event_id) : undefined;
      const o = r && event ? await occurrenceOf(trx, event, r.occurrence_date) : null;
      if (!r || !event || !o) return;
      await emailAbout(trx, ctx, r, event, o, HEADLINES.reminder);
      await trx
        .updateTable('event_registrations')
        .set({ reminded_at: sql`now()` })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'events.registration.remind',
        subjectType: 'event_registration',
        subjectId: id,
        details: { event_id: r.event_id, occurrence_date: r.occurrence_date },
      });
      report.reminded++;
    },
    { log: ctx.log, idKey: 'event_registration', message: 'could not send an event reminder; will retry' },
  );
  return report;
}

export const EVENT_REMINDERS_JOB = 'event-reminders';

/** The recurring job that runs `remindTomorrow` every hour. */
export function eventRemindersJob(ctx: EventsContext, clock: () => Date = () => new Date()): RecurringJob {
  return { name: EVENT_REMINDERS_JOB, cron: '41 * * * *', run: () => remindTomorrow(ctx, clock()) };
}
