/**
 * The public side of events: the coming events (`/events`), one event, public registration, a person's
 * own registration page (from their email's link, cancel there), and the iCalendar feeds
 * (`/events.ics`, per region, per course, per event).
 *
 * Like every public page: no sign-in, no cookie, nothing to another site. Registration is held off abuse
 * as the intake forms are (intake's time token, honeypot and cross-site check) with its own rate limit
 * per address; what a person types is never logged.
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { frameFor, type AppDeps, type Feature } from '../../app-types.ts';
import { ServiceError } from '../../platform/errors.ts';
import type { MessageKey } from '../../platform/i18n/index.ts';
import { siteOrigin } from '../../platform/mail/index.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { hit } from '../../platform/rate-limit/index.ts';
import { fieldProblems, pickValues, type FieldProblem, type FormValues } from '../../web/forms.tsx';
import { renderPage } from '../../web/http.ts';
import { router } from '../../web/route.ts';
import {
  FORM_TOKEN_FIELD,
  HONEYPOT_FIELD,
  checkFormToken,
  clientAddress,
  firstUseOfToken,
  honeypotFilled,
  issueFormToken,
  postedFromAnotherSite,
} from '../intake/index.ts';
import { calendarFeed } from './ical.ts';
import * as q from './queries.ts';
import { cancelByToken, occurrenceOf, register, registrationByToken } from './registrations.ts';
import { REGISTRATION_FIELDS, RegistrationInput } from './schema.ts';
import { eventsContext, occurrencesOf, publicEvent, upcomingPublic, type EventsContext } from './service.ts';
import {
  EventMessagePage,
  EventPublicPage,
  EventsListPage,
  OwnRegistrationPage,
  RegisterPage,
  RegisteredPage,
} from './views/public.tsx';

/** Registrations sent per address. */
export const REGISTER_LIMIT = { bucket: 'events.register', limit: 10, windowSeconds: 60 * 60 } as const;

const page = (c: Context, element: JSX.Element, status: 200 | 400 | 404 | 429 = 200) =>
  renderPage(c, element, status);

const TIMING: Record<'too_fast' | 'expired', MessageKey> = {
  too_fast: 'events.timing.tooFast',
  expired: 'events.timing.expired',
};

function notFound(c: Context, deps: AppDeps) {
  return page(
    c,
    <EventMessagePage
      frame={frameFor(c, deps)}
      title="events.notFound.title"
      message="events.notFound.message"
    />,
    404,
  );
}

async function isFull(ctx: EventsContext, event: q.EventRow, occurrenceDate: string) {
  return (
    event.capacity !== null && (await q.registeredCount(ctx.db, event.id, occurrenceDate)) >= event.capacity
  );
}

/** The event and date a registration is for, when both are open; null for a 404. */
async function registrable(ctx: EventsContext, id: string, date: string) {
  const event = await publicEvent(ctx, id).catch(() => null);
  if (!event || event.registration !== 'public') return null;
  const occurrence = await occurrenceOf(ctx.db, event, date);
  if (!occurrence || occurrence.cancelled || occurrence.startsAt.getTime() <= Date.now()) return null;
  return { event, occurrence };
}

async function registerForm(
  c: Context,
  deps: AppDeps,
  values: FormValues = {},
  errors: FieldProblem[] = [],
  notice: MessageKey | null = null,
) {
  const ctx = eventsContext(deps);
  const found = await registrable(ctx, c.req.param('id') ?? '', c.req.query('date') ?? '');
  if (!found) return notFound(c, deps);
  const frame = frameFor(c, deps);
  return page(
    c,
    <RegisterPage
      frame={frame}
      event={found.event}
      occurrence={found.occurrence}
      full={await isFull(ctx, found.event, found.occurrence.occurrenceDate)}
      token={await issueFormToken(deps.keyring, 'event-registration')}
      values={values}
      errors={errors}
      notice={notice ? frame.t.text(notice) : null}
    />,
    errors.length || notice ? 400 : 200,
  );
}

function refused(c: Context, deps: AppDeps, reason: string) {
  deps.log.info({ form: 'event-registration', reason }, 'event registration refused');
  return page(
    c,
    <EventMessagePage
      frame={frameFor(c, deps)}
      title="events.refused.title"
      message="events.refused.message"
    />,
    400,
  );
}

async function registerSend(c: Context, deps: AppDeps) {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const form: FormValues = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') form[k] = v;
  if (postedFromAnotherSite(c)) return refused(c, deps, 'cross_site');
  const limited = await hit(deps.db, { ...REGISTER_LIMIT, key: clientAddress(c) });
  if (!limited.allowed) {
    c.header('Retry-After', String(Math.max(1, limited.retryAfterSeconds)));
    return page(
      c,
      <EventMessagePage
        frame={frameFor(c, deps)}
        title="events.slowDown.title"
        message="events.slowDown.message"
      />,
      429,
    );
  }
  if (honeypotFilled(form[HONEYPOT_FIELD])) return refused(c, deps, 'honeypot');
  const token = await checkFormToken(deps.keyring, 'event-registration', form[FORM_TOKEN_FIELD] ?? '');
  if (token === 'invalid') return refused(c, deps, 'token');
  const values = pickValues(form, REGISTRATION_FIELDS, 300);
  if (token !== 'ok') return registerForm(c, deps, values, [], TIMING[token]);
  const parsed = RegistrationInput.safeParse(values);
  if (!parsed.success) return registerForm(c, deps, values, fieldProblems(parsed.error, REGISTRATION_FIELDS));
  const ctx = eventsContext(deps);
  const found = await registrable(ctx, c.req.param('id') ?? '', c.req.query('date') ?? '');
  if (!found) return notFound(c, deps);
  if (!(await firstUseOfToken(deps.db, form[FORM_TOKEN_FIELD] ?? '')))
    return page(
      c,
      <EventMessagePage
        frame={frameFor(c, deps)}
        title="events.alreadySent.title"
        message="events.alreadySent.message"
      />,
    );
  try {
    const done = await register(ctx, found.event.id, found.occurrence.occurrenceDate, values, {
      channel: 'public',
    });
    return page(c, <RegisteredPage frame={frameFor(c, deps)} event={found.event} status={done.status} />);
  } catch (thrown) {
    if (!(thrown instanceof ServiceError) || thrown.code !== 'invalid') throw thrown;
    return registerForm(c, deps, values, [{ field: thrown.field ?? 'name', message: thrown.message }]);
  }
}

async function ownRegistration(c: Context, deps: AppDeps, justCancelled = false) {
  const token = c.req.param('token') ?? '';
  try {
    const own = await registrationByToken(eventsContext(deps), token);
    return page(
      c,
      <OwnRegistrationPage frame={frameFor(c, deps)} {...own} token={token} justCancelled={justCancelled} />,
    );
  } catch {
    return notFound(c, deps);
  }
}

function ics(c: Context, body: string, file: string) {
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `inline; filename="${file}"`);
  return c.body(body);
}

async function feed(c: Context, deps: AppDeps, events: q.EventRow[], name: string, file: string) {
  const changes = await q.changesOf(
    deps.db,
    events.map((e) => e.id),
  );
  const text = calendarFeed(
    events.map((event) => ({ event, changes: changes.get(event.id) ?? [] })),
    { name, origin: siteOrigin(deps.site), timezone: deps.geography.get().timezone },
  );
  return ics(c, text, file);
}

export const eventsPublicPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = () => eventsContext(deps);

  r.open('get', '/events', PUBLIC, async (c) =>
    page(c, <EventsListPage frame={frameFor(c, deps)} items={(await upcomingPublic(ctx())).slice(0, 40)} />),
  );
  r.open('get', '/events.ics', PUBLIC, async (c) =>
    feed(c, deps, await q.publicEvents(deps.db), 'Safe Harbor trainings and events', 'events.ics'),
  );
  r.open('get', '/events/region/:id/calendar.ics', PUBLIC, async (c) => {
    const id = c.req.param('id');
    const region = (await q.regionsList(deps.db)).find((x) => x.id === id);
    if (!region) return notFound(c, deps);
    return feed(
      c,
      deps,
      await q.publicEvents(deps.db, { regionId: region.id }),
      `Events: ${region.name}`,
      `events-${region.id}.ics`,
    );
  });
  r.open('get', '/events/course/:code/calendar.ics', PUBLIC, async (c) => {
    const code = c.req.param('code') ?? '';
    if (!/^[A-Za-z0-9 ._-]{1,40}$/.test(code)) return notFound(c, deps);
    const events = await q.publicEvents(deps.db, { courseCode: code });
    return feed(c, deps, events, `Course ${code}`, 'course.ics');
  });
  r.open('get', '/events/registration/:token', PUBLIC, (c) => ownRegistration(c, deps));
  r.open('post', '/events/registration/:token', PUBLIC, bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    if (postedFromAnotherSite(c)) return refused(c, deps, 'cross_site');
    try {
      await cancelByToken(ctx(), c.req.param('token') ?? '');
    } catch {
      return notFound(c, deps);
    }
    return ownRegistration(c, deps, true);
  });
  r.open('get', '/events/:id', PUBLIC, async (c) => {
    const event = await publicEvent(ctx(), c.req.param('id') ?? '').catch(() => null);
    if (!event) return notFound(c, deps);
    const counts = await q.countsOf(deps.db, event.id);
    const now = Date.now();
    const dates = (await occurrencesOf(ctx(), event, undefined, 183))
      .filter((o) => !o.cancelled && o.endsAt.getTime() > now)
      .slice(0, 12)
      .map((occurrence) => ({
        occurrence,
        full:
          event.capacity !== null &&
          (counts.get(occurrence.occurrenceDate)?.registered ?? 0) >= event.capacity,
      }));
    const region = event.region_id
      ? ((await q.regionsList(deps.db)).find((x) => x.id === event.region_id)?.name ?? event.region_id)
      : null;
    return page(c, <EventPublicPage frame={frameFor(c, deps)} event={event} dates={dates} region={region} />);
  });
  r.open('get', '/events/:id/calendar.ics', PUBLIC, async (c) => {
    const event = await publicEvent(ctx(), c.req.param('id') ?? '').catch(() => null);
    if (!event) return notFound(c, deps);
    return feed(c, deps, [event], event.title, 'event.ics');
  });
  r.open('get', '/events/:id/register', PUBLIC, (c) => registerForm(c, deps));
  r.open('post', '/events/:id/register', PUBLIC, bodyLimit({ maxSize: 16 * 1024 }), (c) =>
    registerSend(c, deps),
  );
};
