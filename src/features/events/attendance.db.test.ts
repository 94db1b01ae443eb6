/**
 * Attendance and training completions: a person who came to an event of a course in the catalogue gets
 * the completion, in the same transaction, for the organization they belong to — the one whose name they
 * gave, later the one whose roster lists them, or their staff account's — on the day the date happened,
 * and taken back when they are marked as not having come after all; nobody found, or a course not in the catalogue, records attendance only and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../../../test/staff.ts';
import { todayIn } from '../help/index.ts';
import { recordAttendance, register } from './registrations.ts';
import { addDays } from './rules.ts';
import { createEvent, eventsContext, type EventsContext } from './service.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };
let t: TestApp;
let ctx: EventsContext;
let trainer: TestStaff;
let county: string;
let countyName: string;
let today: string;

const EVENT = {
  title: 'Synthetic X205 session',
  kind: 'training',
  description: 'A synthetic training.',
  courseCode: 'X205',
  startTime: '09:00',
  endTime: '12:00',
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

const newEvent = (fields: Partial<typeof EVENT> = {}) =>
  createEvent(ctx, trainer.actor, { ...EVENT, startsOn: addDays(today, 3), ...fields }, ORIGIN);

/** Registers the person publicly and marks them as having come; answers what happened about the course. */
async function came(eventId: string, person: { name: string; email: string; organization: string }) {
  const r = await register(ctx, eventId, addDays(today, 3), person, { channel: 'public' });
  lastRegistration = r.id;
  return (await recordAttendance(ctx, trainer.actor, r.id, true, ORIGIN)).completion;
}
let lastRegistration = '';

const completions = (organizationId: string) =>
  t.deps.db
    .selectFrom('training_completions')
    .select(['course_code', 'completed_on', 'source', 'event_id', 'roster_id', 'staff_user_id'])
    .where('organization_id', '=', organizationId)
    .execute();

beforeAll(async () => {
  t = await testApp();
  ctx = eventsContext(t.deps);
  today = todayIn(ctx.timezone);
  trainer = await addStaff(t.deps, 'trainer');
  county = await addOrganization(t.deps.db, 'Synthetic County Child Protection', 'child_protection');
  countyName = (
    await t.deps.db
      .selectFrom('member_organizations')
      .select('name')
      .where('id', '=', county)
      .executeTakeFirstOrThrow()
  ).name;
});
afterAll(async () => {
  await t.close();
});

describe('attendance at an event of a course', () => {
  it('records the completion for the organization the person named, then finds them on its roster', async () => {
    const first = await newEvent();
    const name = { name: 'Synthetic Robin Lake', email: 'robin.lake@example.org' };
    // As a person types it: other letter case, spaces around.
    expect(await came(first, { ...name, organization: `  ${countyName.toUpperCase()} ` })).toBe('recorded');
    const rows = await completions(county);
    expect(rows).toEqual([
      expect.objectContaining({
        course_code: 'X205',
        completed_on: addDays(today, 3),
        source: 'event',
        event_id: first,
        staff_user_id: null,
      }),
    ]);
    // A mis-tap put right: marked as not having come, the completion is taken back; came after all, again.
    const registration = lastRegistration;
    expect((await recordAttendance(ctx, trainer.actor, registration, false, ORIGIN)).completion).toBe(
      'withdrawn',
    );
    expect(await completions(county)).toEqual([]);
    expect((await recordAttendance(ctx, trainer.actor, registration, false, ORIGIN)).completion).toBe(null);
    expect((await recordAttendance(ctx, trainer.actor, registration, true, ORIGIN)).completion).toBe(
      'recorded',
    );
    // The roster entry the completion made finds them again, whatever organization they type next time:
    // the same person, course and day is not written twice.
    const second = await newEvent({ title: 'Synthetic X205 repeat' });
    expect(await came(second, { ...name, organization: 'Somewhere else' })).toBe('already');
    expect(await completions(county)).toHaveLength(1);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'events.attendance.record')
      .execute();
    expect(audit.map((a) => (a.details as { completion?: string }).completion)).toEqual(
      expect.arrayContaining(['recorded']),
    );
  });

  it('finds a staff account’s organization by email', async () => {
    const worker = await addStaff(t.deps, 'child_protection', [], { organizationId: county });
    const id = await newEvent({ title: 'Synthetic X205 for staff' });
    expect(await came(id, { name: 'Synthetic Worker', email: worker.email, organization: '' })).toBe(
      'recorded',
    );
    expect((await completions(county)).some((c) => c.staff_user_id === worker.id)).toBe(true);
  });

  it('records attendance only, and says why, when nobody or no course is found', async () => {
    const id = await newEvent({ title: 'Synthetic X205 for strangers' });
    const before = (await completions(county)).length;
    expect(
      await came(id, {
        name: 'Synthetic Stranger',
        email: 'stranger@example.org',
        organization: 'Nobody Inc',
      }),
    ).toBe('no_organization');
    const other = await newEvent({ title: 'Synthetic unknown course', courseCode: 'ZZ999' });
    expect(
      await came(other, {
        name: 'Synthetic Robin Lake',
        email: 'robin.lake@example.org',
        organization: countyName,
      }),
    ).toBe('no_course');
    const none = await newEvent({ title: 'Synthetic community event', courseCode: '' });
    expect(await came(none, { name: 'Synthetic Guest', email: 'guest@example.org', organization: '' })).toBe(
      null,
    );
    expect((await completions(county)).length).toBe(before);
  });
});
