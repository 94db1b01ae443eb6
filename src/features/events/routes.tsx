/**
 * The staff pages of events (`/staff/events`, permission `events.manage`: state administrators and
 * trainers for every event, navigators for events in their regions): the list, adding and changing an
 * event or a series, changing or cancelling one date, cancelling the whole event, and the attendance
 * page of one date (registrations, the waiting list, attendance, registering a person). Thin: every read
 * and change goes through `service.ts` and `registrations.ts`; the pages are in `views/staff.tsx`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import type { FieldProblem, FormValues } from '../../web/forms.tsx';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  fieldProblem,
  formText,
  formValues,
  readForm,
  roleRefusal,
  staffView,
  type Form,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import * as q from './queries.ts';
import {
  cancelRegistration,
  changeOccurrence,
  fillPlaces,
  recordAttendance,
  register,
  roster,
} from './registrations.ts';
import { EVENT_FIELDS, OCCURRENCE_FIELDS, REGISTRATION_FIELDS, isDate } from './schema.ts';
import {
  createEvent,
  eventsContext,
  listManagedEvents,
  managedEvent,
  occurrencesOf,
  regionChoices,
  setEventStatus,
  updateEvent,
} from './service.ts';
import {
  AttendancePage,
  DONE_MESSAGES,
  EMPTY_EVENT,
  EventForm,
  EventPage,
  EventsPage,
  eventValues,
} from './views/staff.tsx';

const pick = (form: Form, fields: readonly string[]): FormValues => formValues(form, fields);
const problem = (thrown: unknown, fields: readonly string[]) =>
  fieldProblem(thrown, fields, { conflicts: true });

const idOf = (c: Context) => c.req.param('id') ?? '';
const dateOf = (c: Context) => c.req.query('date') ?? '';

async function formPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  id: string | null,
  values: FormValues,
  errors: FieldProblem[] = [],
) {
  const ctx = eventsContext(deps);
  const regions = await regionChoices(ctx, g.actor);
  const statewide = g.actor.role !== 'navigator';
  return renderPage(
    c,
    <EventForm
      {...staffView(deps, g)}
      action={id ? `/staff/events/${id}/edit` : '/staff/events/new'}
      heading={id ? 'Change the event' : 'Add an event'}
      values={values}
      errors={errors}
      regions={regions}
      statewide={statewide}
    />,
    errors.length ? 400 : 200,
  );
}

async function eventPage(c: Context, deps: AppDeps, g: Guarded, errors: FieldProblem[] = []) {
  const ctx = eventsContext(deps);
  const event = await managedEvent(ctx, g.actor, idOf(c));
  const counts = await q.countsOf(deps.db, event.id);
  const occurrences = (await occurrencesOf(ctx, event, undefined, 183)).slice(0, 12).map((occurrence) => ({
    occurrence,
    registered: counts.get(occurrence.occurrenceDate)?.registered ?? 0,
    waitlisted: counts.get(occurrence.occurrenceDate)?.waitlisted ?? 0,
  }));
  const regions = await q.regionsList(deps.db);
  const region = event.region_id
    ? (regions.find((r) => r.id === event.region_id)?.name ?? event.region_id)
    : 'Statewide';
  return renderPage(
    c,
    <EventPage
      {...staffView(deps, g)}
      event={event}
      region={region}
      occurrences={occurrences}
      errors={errors}
      done={errors.length ? null : doneNote(c, DONE_MESSAGES)}
    />,
    errors.length ? 400 : 200,
  );
}

async function attendancePage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  values: FormValues = {},
  errors: FieldProblem[] = [],
) {
  const { event, occurrence, entries } = await roster(
    eventsContext(deps),
    g.actor,
    idOf(c),
    dateOf(c),
    requestOrigin(c),
  );
  return renderPage(
    c,
    <AttendancePage
      {...staffView(deps, g)}
      event={event}
      occurrence={occurrence}
      entries={entries}
      values={values}
      errors={errors}
      done={errors.length ? null : doneNote(c, DONE_MESSAGES)}
    />,
    errors.length ? 400 : 200,
  );
}

const attendanceLink = (c: Context, done: string) =>
  `/staff/events/${idOf(c)}/attendance?date=${isDate(dateOf(c)) ? dateOf(c) : ''}&done=${done}`;

export const eventsPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const manage = staffAction('events.manage');
  const who = roleRefusal('State administrators, trainers and navigators manage events.');
  const ctx = () => eventsContext(deps);

  r.staff(
    'get',
    '/staff/events',
    manage,
    async (c, g) => {
      const events = await listManagedEvents(ctx(), g.actor);
      const regions = new Map((await q.regionsList(deps.db)).map((x) => [x.id, x.name]));
      return renderPage(
        c,
        <EventsPage
          {...staffView(deps, g)}
          events={events}
          regions={regions}
          done={doneNote(c, DONE_MESSAGES)}
        />,
      );
    },
    who,
  );
  r.staff('get', '/staff/events/new', manage, (c, g) => formPage(c, deps, g, null, EMPTY_EVENT), who);
  r.staff(
    'post',
    '/staff/events/new',
    manage,
    async (c, g) => {
      const values = pick(await readForm(c), EVENT_FIELDS);
      try {
        const id = await createEvent(ctx(), g.actor, values, requestOrigin(c));
        return c.redirect(`/staff/events/${id}?done=added`, 303);
      } catch (thrown) {
        return formPage(c, deps, g, null, values, [problem(thrown, EVENT_FIELDS)]);
      }
    },
    who,
  );
  r.staff('get', '/staff/events/:id', manage, (c, g) => eventPage(c, deps, g), who);
  r.staff(
    'get',
    '/staff/events/:id/edit',
    manage,
    async (c, g) => formPage(c, deps, g, idOf(c), eventValues(await managedEvent(ctx(), g.actor, idOf(c)))),
    who,
  );
  r.staff(
    'post',
    '/staff/events/:id/edit',
    manage,
    async (c, g) => {
      const values = pick(await readForm(c), EVENT_FIELDS);
      try {
        await updateEvent(ctx(), g.actor, idOf(c), values, requestOrigin(c));
        // More places: the people first in line get them at once.
        await fillPlaces(ctx(), idOf(c));
        return c.redirect(`/staff/events/${idOf(c)}?done=saved`, 303);
      } catch (thrown) {
        return formPage(c, deps, g, idOf(c), values, [problem(thrown, EVENT_FIELDS)]);
      }
    },
    who,
  );
  r.staff(
    'post',
    '/staff/events/:id/status',
    manage,
    async (c, g) => {
      const status = formText(await readForm(c), 'status') === 'scheduled' ? 'scheduled' : 'cancelled';
      await setEventStatus(ctx(), g.actor, idOf(c), status, requestOrigin(c));
      return c.redirect(
        `/staff/events/${idOf(c)}?done=${status === 'cancelled' ? 'event-cancelled' : 'event-restored'}`,
        303,
      );
    },
    who,
  );
  for (const kind of ['cancel', 'change'] as const) {
    r.staff(
      'post',
      `/staff/events/:id/occurrences/${kind}`,
      manage,
      async (c, g) => {
        const form = await readForm(c);
        const date = formText(form, 'occurrenceDate');
        const values: FormValues = { occurrenceDate: date };
        for (const f of OCCURRENCE_FIELDS.slice(1)) values[f] = formText(form, `${f}-${date}`);
        try {
          await changeOccurrence(ctx(), g.actor, idOf(c), values, kind === 'cancel', requestOrigin(c));
        } catch (thrown) {
          const p = problem(thrown, OCCURRENCE_FIELDS);
          return eventPage(c, deps, g, [{ field: `${p.field}-${date}`, message: `${date}: ${p.message}` }]);
        }
        return c.redirect(
          `/staff/events/${idOf(c)}?done=date-${kind === 'cancel' ? 'cancelled' : 'changed'}`,
          303,
        );
      },
      who,
    );
  }
  r.staff('get', '/staff/events/:id/attendance', manage, (c, g) => attendancePage(c, deps, g), who);
  r.staff(
    'post',
    '/staff/events/:id/attendance',
    manage,
    async (c, g) => {
      const form = await readForm(c);
      let done = 'attended';
      try {
        const { completion } = await recordAttendance(
          ctx(),
          g.actor,
          formText(form, 'registrationId'),
          formText(form, 'attended') === 'yes',
          requestOrigin(c),
        );
        if (completion) done = `attended-${completion}`;
      } catch (thrown) {
        return attendancePage(c, deps, g, {}, [problem(thrown, ['name'])]);
      }
      return c.redirect(attendanceLink(c, done), 303);
    },
    who,
  );
  r.staff(
    'post',
    '/staff/events/:id/registrations',
    manage,
    async (c, g) => {
      const values = pick(await readForm(c), REGISTRATION_FIELDS);
      try {
        const done = await register(ctx(), idOf(c), dateOf(c), values, {
          channel: 'staff',
          actor: g.actor,
          origin: requestOrigin(c),
        });
        return c.redirect(attendanceLink(c, done.status), 303);
      } catch (thrown) {
        return attendancePage(c, deps, g, values, [problem(thrown, REGISTRATION_FIELDS)]);
      }
    },
    who,
  );
  r.staff(
    'post',
    '/staff/events/:id/registrations/cancel',
    manage,
    async (c, g) => {
      const form = await readForm(c);
      await cancelRegistration(ctx(), g.actor, formText(form, 'registrationId'), requestOrigin(c));
      return c.redirect(attendanceLink(c, 'registration-cancelled'), 303);
    },
    who,
  );
};
