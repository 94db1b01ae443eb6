/**
 * A navigator's day, end to end in a real browser: a referral waits in the queue; the navigator opens a
 * case from it, records the young person's written consent for a shelter, sends the shelter a referral
 * with identifying details; the shelter's staff accept it from their inbox; the navigator marks the
 * follow-up task done and prints the young person's safety plan. Every page is checked with axe (WCAG
 * 2.2 AA tags) on a phone-sized screen, and no request leaves the site.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson } from '../src/features/referrals/testing.ts';
import { addItem } from '../src/features/queue/testing.ts';
import type { TestApp } from '../test/app.ts';
import { addOrganization, type TestStaff } from '../test/staff.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'willow harbor lantern quartz';

describe.skipIf(!available)("a navigator's day", () => {
  const world = new BrowserWorld(PASSWORD);
  const signIns = world.signIns;
  let t: TestApp;
  let navigator: TestStaff;
  let provider: TestStaff;
  let shelterOrg: string;
  let itemId: string;

  const signIn = (person: TestStaff): Promise<Page> => world.signIn(person);

  beforeAll(async () => {
    t = await world.open();
    const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
    shelterOrg = await addOrganization(t.deps.db, 'Synthetic Shelter', 'shelter_housing');
    navigator = await addPerson(t.deps, 'navigator', host, ['west-metro'], { name: 'Synthetic Navigator' });
    provider = await addPerson(t.deps, 'provider_staff', shelterOrg, [], {
      name: 'Synthetic Shelter Worker',
    });
    await signIns.enable(t, navigator, provider);
    itemId = await addItem(t.deps, { age: 16 });
    await world.launch();
  }, 60_000);

  afterAll(() => world.close());

  it('queue item → case → consent → referral → the provider accepts → task done → safety plan printed', async () => {
    const problems: string[] = [];
    const nav = await signIn(navigator);

    // The referral waiting in the queue.
    await nav.click('nav >> text=Referral queue');
    await nav.waitForURL(/\/staff\/queue/);
    problems.push(...(await axe(nav)));
    await nav.goto(`${world.url}/staff/queue/${itemId}`);
    problems.push(...(await axe(nav)));

    // A case from it, its form filled from the referral.
    await nav.click('text=Open a case for this young person');
    await nav.waitForURL(/\/staff\/cases\/new\?from=/);
    expect(await nav.inputValue('#chosenName')).toBe('Synthetic Youth');
    problems.push(...(await axe(nav)));
    await nav.click('button:has-text("Open the case")');
    await nav.waitForURL(/\/staff\/cases\/[0-9a-f-]{36}\?done=opened$/);
    const caseId = /\/staff\/cases\/([0-9a-f-]{36})/.exec(nav.url())![1]!;
    problems.push(...(await axe(nav)));

    // Written consent for the shelter, covering who they are and how to reach them.
    await nav.click('nav.nwd-case-tabs >> text=Consents');
    await nav.waitForURL(/\/consents$/);
    expect(await nav.textContent('#condition-of-service')).toContain(
      'Consent is never a condition of service',
    );
    await nav.selectOption('#organizationId', shelterOrg);
    await nav.selectOption('#purpose', 'housing_placement');
    await nav.click('label[for="categories-identity"]');
    await nav.click('label[for="categories-contact"]');
    await nav.click('label[for="method-written"]');
    await nav.click('button:has-text("Record the consent")');
    await nav.waitForURL(/done=recorded$/);
    problems.push(...(await axe(nav)));

    // The referral, with identifying details under that consent.
    await nav.click('nav.nwd-case-tabs >> text=Referrals');
    await nav.waitForURL(/\/referrals$/);
    await nav.selectOption('#toOrganizationId', shelterOrg);
    await nav.selectOption('#serviceType', 'emergency_shelter');
    await nav.check('input[name="shareIdentifying"][value="yes"]');
    await nav.fill('#message', 'A bed tonight if you can. Text first, use the code word.');
    await nav.click('button:has-text("Send the referral")');
    await nav.waitForURL(/done=sent$/);
    problems.push(...(await axe(nav)));

    // The shelter answers from its inbox and sees what the consent covers.
    const shelter = await signIn(provider);
    await shelter.click('nav >> text=Referrals');
    await shelter.waitForURL(/\/staff\/referrals$/);
    await shelter.click('#inbox a');
    await shelter.waitForURL(/\/staff\/referrals\/[0-9a-f-]{36}$/);
    expect(await shelter.textContent('main')).toContain('Synthetic Youth');
    problems.push(...(await axe(shelter)));
    await shelter.click('button:has-text("Accept")');
    await shelter.waitForURL(/done=accepted$/);
    problems.push(...(await axe(shelter)));

    // Back to the case: the follow-up task from sending the referral closed itself with the answer.
    await nav.goto(`${world.url}/staff/cases/${caseId}/tasks`);
    expect(await nav.textContent('#done-tasks')).toContain('answered the referral');
    expect(await nav.locator('#open-tasks').filter({ hasText: 'answered the referral' }).count()).toBe(0);
    problems.push(...(await axe(nav)));

    // The safety plan, saved and printed for the young person.
    await nav.click('nav.nwd-case-tabs >> text=Safety plan');
    await nav.waitForURL(/\/safety-plan$/);
    await nav.fill('#warningSigns', 'Synthetic: a stranger offers a place to stay');
    await nav.fill('#safePeople-0-name', 'Synthetic Cousin Lee');
    await nav.fill('#safePeople-0-contact', '612-555-0177');
    await nav.fill('#codeWord', 'sunflower');
    await nav.click('label[for="line-day-one"]');
    await nav.click('button:has-text("Save a new version")');
    await nav.waitForURL(/done=saved$/);
    problems.push(...(await axe(nav)));
    await nav.click('a:has-text("Printable copy for the young person")');
    await nav.waitForURL(/\/safety-plan\/print$/);
    expect(await nav.textContent('h1')).toBe('My safety plan');
    const printed = (await nav.textContent('body')) ?? '';
    expect(printed).toContain('Synthetic Cousin Lee');
    expect(printed).not.toContain(caseId);
    problems.push(...(await axe(nav)));

    expect(problems).toEqual([]);
    for (const iso of signIns.contexts) expect(iso.foreignRequests()).toEqual([]);

    // What the day left in the database.
    const db = t.deps.db;
    const item = await db
      .selectFrom('intake_items')
      .select('status')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(item.status).toBe('closed');
    const referral = await db
      .selectFrom('referrals')
      .select(['status', 'share_identifying'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(referral).toEqual({ status: 'accepted', share_identifying: true });
    const tasks = await db
      .selectFrom('tasks')
      .select(['completed_at'])
      .where('case_id', '=', caseId)
      .execute();
    expect(tasks.some((x) => x.completed_at !== null)).toBe(true);
    const plans = await db
      .selectFrom('safety_plans')
      .select('version')
      .where('case_id', '=', caseId)
      .execute();
    expect(plans.map((p) => p.version)).toEqual([1]);
  }, 180_000);
});
