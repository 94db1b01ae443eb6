/**
 * A referral as a conversation, in a real browser, from both sides: a navigator sends a referral with
 * identifying details (the young person's consent covers the shelter) and a first message; the
 * shelter's provider staff see who referred and how to reach them, and write back; the navigator finds
 * the news among their referral notifications (a fixed sentence and the reference, nothing personal),
 * reads the answer and replies; the shelter accepts with a note, which the navigator reads on the
 * thread; the navigator's follow-up task has closed itself. Every page is checked with axe (WCAG 2.2
 * AA tags), and no request leaves the site.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/features/consents/service.ts';
import { addCase, addConsent, addPerson } from '../src/features/referrals/testing.ts';
import type { TestApp } from '../test/app.ts';
import { addOrganization, type TestStaff } from '../test/staff.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';

describe.skipIf(!available)('a referral’s thread in a browser', () => {
  const world = new BrowserWorld(PASSWORD);
  const signIns = world.signIns;
  let t: TestApp;
  let navigator: TestStaff;
  let provider: TestStaff;
  let shelterOrg: string;
  let caseId: string;

  const signIn = (person: TestStaff): Promise<Page> => world.signIn(person);

  beforeAll(async () => {
    t = await world.open();
    const host = await addOrganization(t.deps.db, 'Synthetic Thread Navigator Host', 'navigator_host');
    shelterOrg = await addOrganization(t.deps.db, 'Synthetic Thread Shelter', 'shelter_housing');
    navigator = await addPerson(t.deps, 'navigator', host, ['west-metro'], { name: 'Synthetic Navigator' });
    provider = await addPerson(t.deps, 'provider_staff', shelterOrg, [], {
      name: 'Synthetic Shelter Worker',
    });
    await signIns.enable(t, navigator, provider);
    caseId = await addCase(t.deps, { person: { chosenName: 'Synthetic Wren' } });
    const today = t.deps.rules.calendar.local(new Date()).date;
    await addConsent(t.deps.db, {
      caseId,
      organizationId: shelterOrg,
      recordedBy: navigator.id,
      startsOn: today,
      expiresOn: addDays(today, 60),
    });
    await world.launch();
  }, 60_000);

  afterAll(() => world.close());

  it('carries a referral through a message thread from both sides', async () => {
    const problems: string[] = [];

    // The navigator refers, with a first message.
    const nav = await signIn(navigator);
    await nav.goto(`${world.url}/staff/cases/${caseId}/referrals`);
    await nav.selectOption('#toOrganizationId', shelterOrg);
    await nav.selectOption('#serviceType', 'emergency_shelter');
    await nav.check('input[name="shareIdentifying"][value="yes"]');
    await nav.fill('#message', 'Synthetic first ask: a bed from Friday, please.');
    await nav.click('button:has-text("Send the referral")');
    await nav.waitForURL(/done=sent$/);
    const referral = await t.deps.db
      .selectFrom('referrals')
      .select('id')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const ref = `R-${referral.id.slice(0, 8).toUpperCase()}`;

    // The shelter opens it: who referred, how to reach them, and the conversation box.
    const shelter = await signIn(provider);
    await shelter.goto(`${world.url}/staff/referrals`);
    await shelter.click('#inbox a');
    await shelter.waitForURL(/\/staff\/referrals\/[0-9a-f-]{36}$/);
    const opened = (await shelter.textContent('main')) ?? '';
    expect(opened).toContain('Who referred');
    expect(opened).toContain('Synthetic Navigator');
    expect(opened).toContain('Synthetic Wren');
    expect(await shelter.locator('a[href^="mailto:"]').count()).toBe(1);
    expect(opened).toContain('No messages yet.');
    problems.push(...(await axe(shelter)));

    // Sending an empty message: an error that links to the field.
    await shelter.click('button:has-text("Send the message")');
    await shelter.waitForSelector('.error, .usa-error-message');
    expect(await shelter.textContent('main')).toContain('Write a message.');
    problems.push(...(await axe(shelter)));

    await shelter.fill('#body', 'Synthetic shelter reply: we can hold a bed until Friday noon.');
    await shelter.click('button:has-text("Send the message")');
    await shelter.waitForURL(/done=message/);
    expect(await shelter.textContent('main')).toContain('we can hold a bed until Friday noon');
    problems.push(...(await axe(shelter)));

    // The navigator is told, with the reference only, and answers from the referral.
    await nav.goto(`${world.url}/staff/referrals`);
    const inbox = (await nav.textContent('main')) ?? '';
    expect(inbox).toContain(`New message on referral ${ref}`);
    expect(inbox).not.toContain('Friday noon');
    problems.push(...(await axe(nav)));
    await nav.click(`a:has-text("New message on referral ${ref}")`);
    await nav.waitForURL(new RegExp(`/staff/referrals/${referral.id}$`));
    expect(await nav.textContent('main')).toContain('we can hold a bed until Friday noon');
    expect(await nav.textContent('main')).not.toContain('Who referred');
    await nav.fill('#body', 'Synthetic navigator reply: thank you, Friday works.');
    await nav.click('button:has-text("Send the message")');
    await nav.waitForURL(/done=message/);
    problems.push(...(await axe(nav)));

    // The shelter reads the reply and accepts with a note.
    await shelter.goto(`${world.url}/staff/referrals/${referral.id}`);
    expect(await shelter.textContent('main')).toContain('thank you, Friday works.');
    await shelter.fill('#note-accepted', 'Synthetic note: ask for the evening staff at the side door.');
    await shelter.click('button:has-text("Accept")');
    await shelter.waitForURL(/done=accepted$/);
    problems.push(...(await axe(shelter)));

    // The navigator reads the whole conversation, the note last.
    await nav.goto(`${world.url}/staff/referrals/${referral.id}`);
    const items = await nav.locator('ol.thread > li').allTextContents();
    expect(items).toHaveLength(3);
    expect(items[0]).toContain('we can hold a bed until Friday noon');
    expect(items[1]).toContain('thank you, Friday works.');
    expect(items[2]).toContain('Note with the acceptance');
    expect(items[2]).toContain('ask for the evening staff at the side door');
    problems.push(...(await axe(nav)));

    expect(problems).toEqual([]);
    for (const iso of signIns.contexts) expect(iso.foreignRequests()).toEqual([]);
    const task = await t.deps.db
      .selectFrom('tasks')
      .select('completed_at')
      .where('source', '=', 'referral')
      .where('source_ref', '=', referral.id)
      .executeTakeFirstOrThrow();
    expect(task.completed_at).not.toBeNull();
    const stored = await t.deps.db
      .selectFrom('referral_messages')
      .select(['side', 'kind'])
      .where('referral_id', '=', referral.id)
      .orderBy('created_at')
      .execute();
    expect(stored).toEqual([
      { side: 'receiver', kind: 'message' },
      { side: 'sender', kind: 'message' },
      { side: 'receiver', kind: 'accepted' },
    ]);
  }, 180_000);
});
