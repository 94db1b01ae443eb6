/**
 * Events through the app and the service: the pack's StreetWorks series on a fresh start, the feeds
 * (parsed by ical.js) with a cancelled date left out, who may manage which event (trainer any,
 * navigator own regions, others refused), public registration (no cookie, encrypted, confirmation by
 * email, held off abuse and rate limited), the waiting list and its promotion on a cancellation (and
 * the race for the last place), the cancellation token, attendance and the reminder the day before.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import { ServiceError } from '../../platform/errors.ts';
import { issueFormToken } from '../intake/index.ts';
import { todayIn } from '../help/index.ts';
import { remindTomorrow } from './jobs.ts';
import { REGISTER_LIMIT } from './public-routes.tsx';
import { cancelByToken, cancelRegistration, register } from './registrations.ts';
import { addDays } from './rules.ts';
import { createEvent, eventsContext, updateEvent, type EventsContext } from './service.ts';
import { importPack } from '../../pack/import.ts';
import { resolve } from 'node:path';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };
const STREETWORKS = '5e6c1f0a-2b7d-5c43-9f1e-7a0d3b8c2e41';

let t: TestApp;
let ctx: EventsContext;
let trainer: TestStaff;
let navigator: TestStaff;
let provider: TestStaff;
let today: string;

const { get, post } = staffRequests(() => t);

const EVENT = {
  title: 'Synthetic outreach training',
  kind: 'training',
  description: 'A synthetic training.',
  courseCode: '',
  startTime: '11:00',
  endTime: '12:30',
  rrule: '',
  placeKind: 'in_person',
  placeName: 'Synthetic Hall',
  placeAddress: '1 Example Street, St Paul',
  onlineUrl: '',
  regionId: '',
  capacity: '',
  registration: 'public',
  organizerName: '',
};

async function refusal(p: Promise<unknown>): Promise<ServiceError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

const person = (n: number) => ({
  name: `Synthetic Person ${n}`,
  email: `synthetic.${n}@example.org`,
  organization: 'Synthetic Org',
});

async function newEvent(fields: Partial<typeof EVENT> & { startsOn?: string } = {}): Promise<string> {
  return createEvent(ctx, trainer.actor, { ...EVENT, startsOn: addDays(today, 10), ...fields }, ORIGIN);
}

const statuses = async (eventId: string) =>
  (
    await t.deps.db
      .selectFrom('event_registrations')
      .select(['id', 'status'])
      .where('event_id', '=', eventId)
      .orderBy('created_at')
      .execute()
  ).map((r) => r.status);

const emails = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('email_outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('template', '=', 'event_registration')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A public registration as a browser sends it: a form token shown seconds ago, the honeypot empty. */
async function publicRegister(path: string, fields: Record<string, string>) {
  const token = await issueFormToken(t.deps.keyring, 'event-registration', new Date(Date.now() - 10_000));
  return t.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form_token: token, website: '', ...fields }).toString(),
  });
}

beforeAll(async () => {
  t = await testApp();
  ctx = eventsContext(t.deps);
  today = todayIn(ctx.timezone);
  trainer = await addStaff(t.deps, 'trainer');
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  provider = await addStaff(t.deps, 'provider_staff');
});
afterAll(async () => {
  await t.close();
});

describe('the pack', () => {
  it('ships the StreetWorks series as a public event with its source', async () => {
    const e = await t.deps.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', STREETWORKS)
      .executeTakeFirstOrThrow();
    expect(e).toMatchObject({
      origin: 'pack',
      registration: 'public',
      rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE',
      starts_on: '2026-01-21',
      start_time: '11:00',
      end_time: '12:30',
      place_address: '1605 Eustis Street, St Paul',
      timezone: 'America/Chicago',
      verified: true,
      capacity: null,
    });
    expect(e.source).toMatch(/StreetWorks/);
    const res = await t.app.request('/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('StreetWorks Safe Harbor training');
  });
});

describe('a new import of the pack', () => {
  it('keeps a shipped event an administrator changed, and refreshes one nobody changed', async () => {
    const copy = await newEvent({ title: 'Synthetic event not in the pack' });
    await t.deps.db.updateTable('events').set({ origin: 'pack' }).where('id', '=', copy).execute();
    await updateEvent(
      ctx,
      trainer.actor,
      STREETWORKS,
      {
        ...EVENT,
        title: 'StreetWorks training (room changed)',
        startsOn: '2026-01-21',
        rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE',
      },
      ORIGIN,
    );
    await importPack(t.deps.db, resolve('data/mn'), { force: true });
    const kept = await t.deps.db
      .selectFrom('events')
      .select(['title', 'edited_at'])
      .where('id', '=', STREETWORKS)
      .executeTakeFirstOrThrow();
    expect(kept.title).toBe('StreetWorks training (room changed)');
    expect(kept.edited_at).toBeInstanceOf(Date);
    // A pack event the pack no longer lists, unchanged and without registrations, is removed.
    expect(
      await t.deps.db.selectFrom('events').select('id').where('id', '=', copy).executeTakeFirst(),
    ).toBeUndefined();
    await t.deps.db
      .updateTable('events')
      .set({ title: 'StreetWorks Safe Harbor training', edited_at: null })
      .where('id', '=', STREETWORKS)
      .execute();
  });
});

describe('the feeds', () => {
  it('expand the series in ical.js, leave out a cancelled date and serve one feed per region and course', async () => {
    const cancelled = await post(trainer, `/staff/events/${STREETWORKS}/occurrences/cancel`, {
      occurrenceDate: '2027-03-17',
    });
    expect(cancelled.status).toBe(303);
    const res = await t.app.request('/events.ics');
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('set-cookie')).toBeNull();
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const master = calendar
      .getAllSubcomponents('vevent')
      .find((v) => v.getFirstPropertyValue('uid') === `event-${STREETWORKS}@no-wrong-door`);
    expect(master).toBeDefined();
    const it = new ICAL.Event(master).iterator();
    const starts: string[] = [];
    for (let next = it.next(); next && next.toJSDate() < new Date('2028-01-01T00:00:00Z'); next = it.next())
      if (next.toJSDate() >= new Date('2027-01-01T00:00:00Z')) starts.push(next.toJSDate().toISOString());
    expect(starts).toEqual([
      '2027-01-20T17:00:00.000Z',
      '2027-05-19T16:00:00.000Z',
      '2027-07-21T16:00:00.000Z',
      '2027-09-15T16:00:00.000Z',
      '2027-11-17T17:00:00.000Z',
    ]);
    const region = await newEvent({
      regionId: 'west-metro',
      courseCode: 'SYN-101',
      title: 'Synthetic west metro event',
    });
    const regional = await (await t.app.request('/events/region/west-metro/calendar.ics')).text();
    expect(regional).toContain(`event-${region}@no-wrong-door`);
    expect(regional).not.toContain(STREETWORKS);
    expect(await (await t.app.request('/events/course/SYN-101/calendar.ics')).text()).toContain(region);
    expect(await (await t.app.request(`/events/${region}/calendar.ics`)).text()).toContain('BEGIN:VTIMEZONE');
    expect((await t.app.request('/events/region/nowhere/calendar.ics')).status).toBe(404);
  });
});

describe('who manages events', () => {
  it('lets a trainer manage any event, a navigator only events in their regions, and refuses others', async () => {
    expect((await get(trainer, `/staff/events/${STREETWORKS}`)).status).toBe(200);
    expect((await get(navigator, `/staff/events/${STREETWORKS}`)).status).toBe(403);
    expect((await get(provider, '/staff/events')).status).toBe(403);
    const own = await createEvent(
      ctx,
      navigator.actor,
      { ...EVENT, startsOn: addDays(today, 5), regionId: 'west-metro' },
      ORIGIN,
    );
    expect((await get(navigator, `/staff/events/${own}`)).status).toBe(200);
    expect(
      (
        await refusal(
          createEvent(ctx, navigator.actor, { ...EVENT, startsOn: today, regionId: 'east-metro' }, ORIGIN),
        )
      ).code,
    ).toBe('forbidden');
    expect(
      (await refusal(createEvent(ctx, navigator.actor, { ...EVENT, startsOn: today }, ORIGIN))).code,
    ).toBe('forbidden');
    expect(
      (await refusal(createEvent(ctx, provider.actor, { ...EVENT, startsOn: today }, ORIGIN))).code,
    ).toBe('forbidden');
    const list = await (await get(navigator, '/staff/events')).text();
    expect(list).toContain(own);
    expect(list).not.toContain(STREETWORKS);
  });

  it('adds an event from the form, naming the field at fault', async () => {
    const bad = await post(trainer, '/staff/events/new', {
      ...EVENT,
      startsOn: addDays(today, 3),
      endTime: '10:00',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The end time must be after the start time');
    const good = await post(trainer, '/staff/events/new', {
      ...EVENT,
      startsOn: addDays(today, 3),
      rrule: 'FREQ=WEEKLY',
    });
    expect(good.status).toBe(303);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'events.create')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });
});

describe('public registration', () => {
  it('registers with the minimum, sets no cookie, encrypts, and emails a confirmation with a cancel link', async () => {
    const id = await newEvent({ capacity: '1' });
    const date = addDays(today, 10);
    const form = await t.app.request(`/events/${id}/register?date=${date}`);
    expect(form.status).toBe(200);
    expect(form.headers.get('set-cookie')).toBeNull();
    const before = await emails();
    const res = await publicRegister(`/events/${id}/register?date=${date}`, person(1));
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('You are registered');
    expect(await emails()).toBe(before + 1);
    const row = await t.deps.db
      .selectFrom('event_registrations')
      .selectAll()
      .where('event_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.name_encrypted.toString('latin1')).not.toContain('Synthetic Person 1');
    expect(row.email_encrypted.toString('latin1')).not.toContain('synthetic.1@example.org');
    // The second person is wait-listed; the same email again is refused with a message on the field.
    const second = await publicRegister(`/events/${id}/register?date=${date}`, person(2));
    expect(await second.text()).toContain('You are on the waiting list');
    const again = await publicRegister(`/events/${id}/register?date=${date}`, person(1));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already registered');
    expect(await statuses(id)).toEqual(['registered', 'waitlisted']);
  });

  it('sends the link to join an online event in the email only', async () => {
    const id = await newEvent({
      placeKind: 'online',
      placeName: '',
      placeAddress: '',
      onlineUrl: 'https://meet.example.org/synthetic',
    });
    const date = addDays(today, 10);
    const page = await (await t.app.request(`/events/${id}`)).text();
    expect(page).not.toContain('meet.example.org');
    await register(ctx, id, date, person(90), { channel: 'public' });
    const mail = await t.deps.db
      .selectFrom('email_outbox')
      .select(['id', 'body_text'])
      .where('template', '=', 'event_registration')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const body = await decryptField(
      t.deps.keyring,
      { table: 'email_outbox', recordId: mail.id, field: 'body_text' },
      mail.body_text!,
    );
    expect(body).toContain('Where: Online: https://meet.example.org/synthetic');
    expect(body).toMatch(/\/events\/registration\/[A-Za-z0-9_-]{43}\n/);
  });

  it('refuses the honeypot, a missing token and a date that is not the event’s', async () => {
    const id = await newEvent();
    const date = addDays(today, 10);
    const honeypot = await publicRegister(`/events/${id}/register?date=${date}`, {
      ...person(3),
      website: 'http://spam',
    });
    expect(honeypot.status).toBe(400);
    const noToken = await t.app.request(`/events/${id}/register?date=${date}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(person(3)).toString(),
    });
    expect(noToken.status).toBe(400);
    expect((await publicRegister(`/events/${id}/register?date=${addDays(date, 1)}`, person(3))).status).toBe(
      404,
    );
    expect(await statuses(id)).toEqual([]);
  });

  it('is rate limited per address', async () => {
    const id = await newEvent();
    const date = addDays(today, 10);
    let last = 0;
    for (let i = 0; i <= REGISTER_LIMIT.limit; i++)
      last = (await publicRegister(`/events/${id}/register?date=${date}`, person(100 + i))).status;
    expect(last).toBe(429);
  });
});

describe('the waiting list', () => {
  it('promotes the first in line when a person cancels with their link, and the link works once', async () => {
    const id = await newEvent({ capacity: '1' });
    const date = addDays(today, 10);
    const a = await register(ctx, id, date, person(10), { channel: 'public' });
    const b = await register(ctx, id, date, person(11), { channel: 'public' });
    const c = await register(ctx, id, date, person(12), { channel: 'public' });
    expect([a.status, b.status, c.status]).toEqual(['registered', 'waitlisted', 'waitlisted']);
    const page = await t.app.request(`/events/registration/${a.token}`);
    expect(await page.text()).toContain('You are registered.');
    const cancelled = await t.app.request(`/events/registration/${a.token}`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.headers.get('set-cookie')).toBeNull();
    expect(await statuses(id)).toEqual(['cancelled', 'registered', 'waitlisted']);
    expect(await cancelByToken(ctx, a.token)).toEqual({ cancelled: false, promoted: [] });
    expect((await t.app.request('/events/registration/not-a-token')).status).toBe(404);
    expect((await t.app.request(`/events/registration/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('gives the last place to exactly one of many people registering at once', async () => {
    const id = await newEvent({ capacity: '2' });
    const date = addDays(today, 10);
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => register(ctx, id, date, person(20 + n), { channel: 'public' })),
    );
    expect(results.filter((r) => r.status === 'registered')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'waitlisted')).toHaveLength(4);
  });

  it('gives a freed place to the first in line, not to someone registering at the same moment', async () => {
    const id = await newEvent({ capacity: '1' });
    const date = addDays(today, 10);
    const holder = await register(ctx, id, date, person(30), { channel: 'public' });
    const first = await register(ctx, id, date, person(31), { channel: 'public' });
    const [, late] = await Promise.all([
      cancelByToken(ctx, holder.token),
      register(ctx, id, date, person(32), { channel: 'public' }),
    ]);
    expect(late.status).toBe('waitlisted');
    const row = await t.deps.db
      .selectFrom('event_registrations')
      .select('status')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('registered');
    expect((await statuses(id)).filter((s) => s === 'registered')).toHaveLength(1);
  });

  it('gives new places to the people in line when the event gets more places', async () => {
    const id = await newEvent({ capacity: '1' });
    const date = addDays(today, 10);
    await register(ctx, id, date, person(70), { channel: 'public' });
    await register(ctx, id, date, person(71), { channel: 'public' });
    await register(ctx, id, date, person(72), { channel: 'public' });
    const changed = await post(trainer, `/staff/events/${id}/edit`, {
      ...EVENT,
      startsOn: date,
      capacity: '2',
    });
    expect(changed.status).toBe(303);
    expect(await statuses(id)).toEqual(['registered', 'registered', 'waitlisted']);
  });

  it('tells everyone registered or waiting when their date is cancelled, and takes no more registrations', async () => {
    const id = await newEvent({ capacity: '1', rrule: 'FREQ=WEEKLY' });
    const date = addDays(today, 10);
    await register(ctx, id, date, person(80), { channel: 'public' });
    await register(ctx, id, date, person(81), { channel: 'public' });
    const before = await emails();
    expect(
      (await post(trainer, `/staff/events/${id}/occurrences/cancel`, { occurrenceDate: date })).status,
    ).toBe(303);
    expect(await emails()).toBe(before + 2);
    expect((await refusal(register(ctx, id, date, person(82), { channel: 'public' }))).message).toBe(
      'This date is cancelled.',
    );
    // The next week still takes registrations; a date that is not the rule's is refused.
    expect((await register(ctx, id, addDays(date, 7), person(82), { channel: 'public' })).status).toBe(
      'registered',
    );
    const wrong = await post(trainer, `/staff/events/${id}/occurrences/cancel`, {
      occurrenceDate: addDays(date, 1),
    });
    expect(wrong.status).toBe(400);
  });

  it('lets staff cancel a registration of an event they manage only', async () => {
    const id = await newEvent({ capacity: '1', regionId: 'east-metro' });
    const r = await register(ctx, id, addDays(today, 10), person(40), { channel: 'public' });
    expect((await refusal(cancelRegistration(ctx, navigator.actor, r.id, ORIGIN))).code).toBe('forbidden');
    expect((await cancelRegistration(ctx, trainer.actor, r.id, ORIGIN)).cancelled).toBe(true);
  });
});

describe('attendance and reminders', () => {
  it('records attendance from the phone page, with who took it and when', async () => {
    const id = await newEvent({ registration: 'staff' });
    const date = addDays(today, 10);
    const added = await post(trainer, `/staff/events/${id}/registrations?date=${date}`, person(50));
    expect(added.status).toBe(303);
    const page = await get(trainer, `/staff/events/${id}/attendance?date=${date}`);
    const html = await page.text();
    expect(html).toContain('Synthetic Person 50');
    const regId = /name="registrationId" value="([0-9a-f-]{36})"/.exec(html)?.[1] ?? '';
    const marked = await post(trainer, `/staff/events/${id}/attendance?date=${date}`, {
      registrationId: regId,
      attended: 'yes',
    });
    expect(marked.status).toBe(303);
    const row = await t.deps.db
      .selectFrom('event_registrations')
      .selectAll()
      .where('id', '=', regId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attended: true, attendance_by: trainer.id });
    expect(row.attendance_at).toBeInstanceOf(Date);
    // A staff-only event is not public.
    expect((await t.app.request(`/events/${id}`)).status).toBe(404);
    expect((await t.app.request(`/events/${id}/register?date=${date}`)).status).toBe(404);
  });

  it('reminds everyone with a place the day before, once', async () => {
    const tomorrow = addDays(today, 1);
    const id = await newEvent({ startsOn: tomorrow, startTime: '23:00', endTime: '23:30' });
    await register(ctx, id, tomorrow, person(60), { channel: 'public' });
    await register(ctx, id, tomorrow, person(61), { channel: 'public' });
    const now = new Date();
    const first = await remindTomorrow(ctx, now);
    expect(first.reminded).toBeGreaterThanOrEqual(2);
    expect((await remindTomorrow(ctx, now)).reminded).toBe(0);
  });
});
