/**
 * A shelter request in a real browser: a navigator asks every fitting shelter for a bed from the case's
 * Housing tab; two shelters answer on their requests page (one can take them, one cannot, with a
 * reason); the navigator confirms the offer; the placement shows on the case and the program's beds
 * available drop by one — every page checked with axe (WCAG 2.2 AA tags), and no request leaves the site.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCase, addPerson } from '../src/features/referrals/testing.ts';
import type { TestApp } from '../test/app.ts';
import { addOrganization, type TestStaff } from '../test/staff.ts';
import { addProgram as addProgramTo, bedsOf as bedsIn } from '../test/shelter.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';

/** Ticks a radio button or a box by clicking its label (the design system draws the control over it). */
async function tick(page: Page, selector: string): Promise<void> {
  const id = await page.locator(selector).getAttribute('id');
  if (id && (await page.locator(`label[for="${id}"]`).count())) await page.click(`label[for="${id}"]`);
  else await page.check(selector);
  expect(await page.isChecked(selector)).toBe(true);
}

describe.skipIf(!available)('a shelter request in a browser', () => {
  const world = new BrowserWorld(PASSWORD);
  const signIns = world.signIns;
  let t: TestApp;
  let navigator: TestStaff;
  let providerA: TestStaff;
  let providerB: TestStaff;
  let programA: string;
  let caseId: string;

  const signIn = (person: TestStaff): Promise<Page> => world.signIn(person);

  const addProgram = (organizationId: string, name: string, available: number) =>
    addProgramTo(t.deps.db, organizationId, { name, available });
  const bedsOf = (id: string) => bedsIn(t.deps.db, id);

  beforeAll(async () => {
    t = await world.open();
    const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
    const orgA = await addOrganization(t.deps.db, 'Synthetic Harbor Shelter', 'shelter_housing');
    const orgB = await addOrganization(t.deps.db, 'Synthetic Lantern Shelter', 'shelter_housing');
    navigator = await addPerson(t.deps, 'navigator', host, ['west-metro'], { name: 'Synthetic Navigator' });
    providerA = await addPerson(t.deps, 'provider_staff', orgA, [], { name: 'Synthetic Harbor Worker' });
    providerB = await addPerson(t.deps, 'provider_staff', orgB, [], { name: 'Synthetic Lantern Worker' });
    await signIns.enable(t, navigator, providerA, providerB);
    programA = await addProgram(orgA, 'Synthetic Harbor House', 3);
    await addProgram(orgB, 'Synthetic Lantern House', 1);
    caseId = await addCase(t.deps, { person: { chosenName: 'Synthetic Wren' } });
    await world.launch();
  }, 60_000);

  afterAll(() => world.close());

  it('broadcasts, gets one yes and one no with a reason, confirms; the placement shows and a bed is taken', async () => {
    const problems: string[] = [];
    const before = await bedsOf(programA);
    const nav = await signIn(navigator);
    await nav.goto(`${world.url}/staff/cases/${caseId}`);
    await nav.click('nav.nwd-case-tabs >> text=Housing');
    await nav.waitForURL(/\/housing$/);
    problems.push(...(await axe(nav)));
    await tick(nav, 'input[name="ageBand"][value="16-17"]');
    await tick(nav, 'input[name="gender"][value="female"]');
    await tick(nav, 'input[name="urgency"][value="tonight"]');
    await nav.click('button:has-text("Send the request")');
    await nav.waitForURL(/\/staff\/shelter-requests\/[0-9a-f-]{36}\?done=sent$/);
    const requestUrl = nav.url().split('?')[0]!;
    const asked = (await nav.textContent('main')) ?? '';
    expect(asked).toContain('Synthetic Harbor House');
    expect(asked).toContain('Synthetic Lantern House');
    problems.push(...(await axe(nav)));

    const harbor = await signIn(providerA);
    await harbor.goto(`${world.url}/staff/shelter-requests`);
    const harborInbox = (await harbor.textContent('main')) ?? '';
    expect(harborInbox).toContain('16 or 17');
    expect(harborInbox).not.toContain('Synthetic Wren');
    problems.push(...(await axe(harbor)));
    await harbor.click('button:has-text("We can take them")');
    await harbor.waitForURL(/done=answered$/);
    expect(await harbor.textContent('main')).toContain('Can take them: bed held');
    expect(await bedsOf(programA)).toBe(before! - 1);

    const lantern = await signIn(providerB);
    await lantern.goto(`${world.url}/staff/shelter-requests`);
    await lantern.selectOption('select[id^="reason-"]', 'full');
    await lantern.click('button:has-text("We cannot take them")');
    await lantern.waitForURL(/done=answered$/);
    expect(await lantern.textContent('main')).toContain('No bed free');
    problems.push(...(await axe(lantern)));

    await nav.goto(requestUrl);
    const answers = (await nav.textContent('main')) ?? '';
    expect(answers).toContain('Can take them: bed held');
    expect(answers).toContain('Cannot take them');
    problems.push(...(await axe(nav)));
    await nav.click('button:has-text("Confirm this bed")');
    await nav.waitForURL(/\/housing\?done=confirmed$/);
    expect(await nav.textContent('[role="status"]')).toContain('Bed confirmed');
    expect(await nav.textContent('section[aria-labelledby="placements"]')).toContain(
      'Synthetic Harbor House',
    );
    expect(await nav.textContent('section[aria-labelledby="placements"]')).toContain('Staying now');
    problems.push(...(await axe(nav)));

    expect(await bedsOf(programA)).toBe(before! - 1);
    expect(problems).toEqual([]);
    for (const iso of signIns.contexts) expect(iso.foreignRequests()).toEqual([]);
    const referral = await t.deps.db
      .selectFrom('referrals')
      .select(['status', 'share_identifying'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(referral).toEqual({ status: 'sent', share_identifying: false });
  }, 120_000);
});
