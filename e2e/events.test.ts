/**
 * Events in a real browser: a trainer adds a training with one place; a person registers on the
 * public page (no cookie); the training is full, so a second person joins the waiting list; the first
 * cancels with the link from their email and the second gets the place; the trainer takes attendance on
 * a phone, and the completion of the training's course shows in the person's organization's training
 * compliance. Every page is checked with axe (WCAG 2.2 AA tags), and no request leaves the site. The form's
 * minimum age is shortened so the browser need not wait three seconds a form.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureFormTokenTiming, DEFAULT_FORM_TOKEN_TIMING } from '../src/features/intake/anti-abuse.ts';
import { REGISTER_LIMIT } from '../src/features/events/public-routes.tsx';
import { addDays } from '../src/features/events/rules.ts';
import { todayIn } from '../src/features/help/index.ts';
import { decryptField } from '../src/platform/crypto/index.ts';
import { reset } from '../src/platform/rate-limit/index.ts';
import type { TestApp } from '../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../test/staff.ts';
import { PHONE, axe, browserAvailable, isolatedContext, type IsolatedContext } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';
const MIN_FORM_AGE_MS = 200;
const settle = (page: Page) => page.waitForTimeout(MIN_FORM_AGE_MS + 100);

describe.skipIf(!available)('events in a browser', () => {
  const world = new BrowserWorld(PASSWORD);
  const signIns = world.signIns;
  let t: TestApp;
  const publics: IsolatedContext[] = [];
  let trainer: TestStaff;
  let countyAdmin: TestStaff;
  let county: string;
  let countyName: string;
  let date: string;

  beforeAll(async () => {
    configureFormTokenTiming({ minAgeMs: MIN_FORM_AGE_MS });
    t = await world.open();
    date = addDays(todayIn(t.deps.geography.get().timezone), 7);
    trainer = await addStaff(t.deps, 'trainer', [], { name: 'Synthetic Trainer' });
    county = await addOrganization(t.deps.db, 'Synthetic County Child Protection', 'child_protection');
    countyName = (
      await t.deps.db
        .selectFrom('member_organizations')
        .select('name')
        .where('id', '=', county)
        .executeTakeFirstOrThrow()
    ).name;
    countyAdmin = await addStaff(t.deps, 'org_admin', [], {
      name: 'Synthetic County Administrator',
      organizationId: county,
    });
    await signIns.enable(t, trainer, countyAdmin);
    await reset(t.deps.db, REGISTER_LIMIT.bucket, '127.0.0.1');
    await world.launch();
  }, 60_000);

  afterAll(async () => {
    configureFormTokenTiming(DEFAULT_FORM_TOKEN_TIMING);
    await world.close();
  });

  /** A person on the public site, on a phone, registering for the event. */
  async function registerPublicly(
    eventUrl: string,
    n: number,
    link: string,
    organization = 'Synthetic Youth Org',
  ): Promise<Page> {
    const iso = await isolatedContext(world.browser, world.url, { viewport: PHONE });
    publics.push(iso);
    const page = await iso.context.newPage();
    await page.goto(eventUrl);
    await page.click(`a:has-text("${link}")`);
    await page.waitForURL(/\/register\?date=/);
    await page.fill('#name', `Synthetic Person ${n}`);
    await page.fill('#email', `synthetic.${n}@example.org`);
    await page.fill('#organization', organization);
    await settle(page);
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1');
    expect(await iso.context.cookies()).toEqual([]);
    return page;
  }

  it('a trainer adds a training; it fills; the waiting list moves up on a cancellation; attendance is taken', async () => {
    const problems: string[] = [];
    const staff = await world.signIn(trainer);
    await staff.goto(`${world.url}/staff/events`);
    problems.push(...(await axe(staff)));
    await staff.click('a:has-text("Add an event")');
    await staff.waitForURL(/\/staff\/events\/new$/);
    problems.push(...(await axe(staff)));
    await staff.fill('#title', 'Synthetic outreach training');
    await staff.fill('#courseCode', 'X205');
    await staff.fill('#startsOn', date);
    await staff.fill('#startTime', '13:00');
    await staff.fill('#endTime', '12:00');
    await staff.fill('#placeName', 'Synthetic Hall');
    await staff.fill('#placeAddress', '1 Example Street, St Paul');
    await staff.fill('#capacity', '1');
    await staff.click('button:has-text("Save event")');
    expect(await staff.textContent('main')).toContain('The end time must be after the start time');
    problems.push(...(await axe(staff)));
    await staff.fill('#endTime', '14:30');
    await staff.click('button:has-text("Save event")');
    await staff.waitForURL(/\/staff\/events\/[0-9a-f-]{36}\?done=added$/);
    const eventId = /events\/([0-9a-f-]{36})/.exec(staff.url())![1]!;
    problems.push(...(await axe(staff)));

    // The first person registers on the public page; the event is then full.
    const first = await registerPublicly(`${world.url}/events/${eventId}`, 1, 'Register');
    expect(await first.textContent('h1')).toBe('You are registered');
    problems.push(...(await axe(first)));
    const second = await registerPublicly(
      `${world.url}/events/${eventId}`,
      2,
      'Join the waiting list',
      countyName,
    );
    expect(await second.textContent('h1')).toBe('You are on the waiting list');
    problems.push(...(await axe(second)));

    // The first person cancels with the link from their email.
    const row = await t.deps.db
      .selectFrom('event_registrations')
      .select(['id', 'token_encrypted'])
      .where('event_id', '=', eventId)
      .where('status', '=', 'registered')
      .executeTakeFirstOrThrow();
    const token = await decryptField(
      t.deps.keyring,
      { table: 'event_registrations', recordId: row.id, field: 'token_encrypted' },
      row.token_encrypted,
    );
    await first.goto(`${world.url}/events/registration/${token}`);
    problems.push(...(await axe(first)));
    await first.click('button:has-text("Cancel my registration")');
    await first.waitForSelector('text=Your registration is cancelled');
    problems.push(...(await axe(first)));

    // The trainer, on a phone-sized page, sees the second person with the place and marks them.
    await staff.setViewportSize(PHONE);
    await staff.goto(`${world.url}/staff/events/${eventId}/attendance?date=${date}`);
    const list = (await staff.textContent('main')) ?? '';
    expect(list).toContain('Synthetic Person 2');
    expect(list).toContain('Has a place');
    expect(list).not.toContain('Synthetic Person 1');
    problems.push(...(await axe(staff)));
    await staff.click('button:has-text("Came")');
    await staff.waitForURL(/done=attended-recorded/);
    expect(await staff.textContent('main')).toContain('· Came');
    expect(await staff.textContent('main')).toContain(
      'the training completion recorded for their organization',
    );
    problems.push(...(await axe(staff)));
    const attended = await t.deps.db
      .selectFrom('event_registrations')
      .select(['attended', 'attendance_by'])
      .where('event_id', '=', eventId)
      .where('status', '=', 'registered')
      .executeTakeFirstOrThrow();
    expect(attended).toEqual({ attended: true, attendance_by: trainer.id });

    // The completion shows in the person's organization's compliance view.
    const admin = await world.signIn(countyAdmin);
    await admin.goto(`${world.url}/staff/training/organizations/${county}`);
    const personRow = (await admin.textContent('tr:has-text("Synthetic Person 2")')) ?? '';
    expect(personRow).toContain('Complete');
    expect(personRow).toContain('X205');
    problems.push(...(await axe(admin)));

    expect(problems).toEqual([]);
    for (const iso of [...signIns.contexts, ...publics]) expect(iso.foreignRequests()).toEqual([]);
  }, 120_000);
});
