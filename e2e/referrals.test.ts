/**
 * Consents and referrals in a real browser: a navigator records a young person's written consent for a
 * shelter, prints the form, and sends a referral with identifying details; the shelter's provider staff
 * find it in their inbox, see only what the consent covers, and accept it — every page checked with axe
 * (WCAG 2.2 AA tags), and no request leaves the site.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCase, addPerson } from '../src/features/referrals/testing.ts';
import type { TestApp } from '../test/app.ts';
import { addOrganization, type TestStaff } from '../test/staff.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();

/** Ticks a box or a radio button by clicking its label (the design system draws the control over it). */
async function tick(page: Page, selector: string): Promise<void> {
  const id = await page.locator(selector).getAttribute('id');
  if (id && (await page.locator(`label[for="${id}"]`).count())) await page.click(`label[for="${id}"]`);
  else await page.check(selector);
  expect(await page.isChecked(selector)).toBe(true);
}
const PASSWORD = 'harbor lantern quarry meadow';

describe.skipIf(!available)('consents and referrals in a browser', () => {
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
    const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
    shelterOrg = await addOrganization(t.deps.db, 'Synthetic Shelter', 'shelter_housing');
    navigator = await addPerson(t.deps, 'navigator', host, ['west-metro'], { name: 'Synthetic Navigator' });
    provider = await addPerson(t.deps, 'provider_staff', shelterOrg, [], {
      name: 'Synthetic Shelter Worker',
    });
    await signIns.enable(t, navigator, provider);
    caseId = await addCase(t.deps, {
      person: {
        chosenName: 'Synthetic Wren',
        safeContact: { method: 'text_message', value: '555-0188', times: 'evenings', codeWord: 'sunflower' },
        languages: ['Somali'],
      },
    });
    await world.launch();
  }, 60_000);

  afterAll(() => world.close());

  it('records consent, prints the form and refers with identifying details; the shelter sees only what the consent covers and accepts', async () => {
    const problems: string[] = [];
    const nav = await signIn(navigator);
    await nav.goto(`${world.url}/staff/cases/${caseId}/consents`);
    expect(await nav.textContent('#condition-of-service')).toContain(
      'Consent is never a condition of service',
    );
    problems.push(...(await axe(nav)));

    // Recording without choosing anything: an error summary linking to the field.
    await nav.click('button:has-text("Record the consent")');
    await nav.waitForSelector('.usa-alert--error');
    expect(await nav.getAttribute('.usa-alert--error a', 'href')).toBe('#organizationId');
    problems.push(...(await axe(nav)));

    const shelterName = (await nav.locator(`#organizationId option[value="${shelterOrg}"]`).textContent())!;
    await nav.selectOption('#organizationId', shelterOrg);
    await nav.selectOption('#purpose', 'housing_placement');
    await tick(nav, 'input[name="categories"][value="identity"]');
    await tick(nav, 'input[name="categories"][value="contact"]');
    await tick(nav, 'input[name="method"][value="written"]');
    await nav.click('button:has-text("Record the consent")');
    await nav.waitForURL(/done=recorded$/);
    expect(await nav.textContent('[role="status"]')).toContain('Consent recorded.');
    problems.push(...(await axe(nav)));

    await nav.click('text=Print the consent form');
    await nav.waitForURL(/\/print$/);
    const form = (await nav.textContent('main')) ?? '';
    expect(form).toContain('Saying no will not change the help you get.');
    expect(form).toContain(shelterName.trim());
    problems.push(...(await axe(nav)));

    await nav.goto(`${world.url}/staff/cases/${caseId}/referrals`);
    await nav.selectOption('#toOrganizationId', shelterOrg);
    await nav.selectOption('#serviceType', 'emergency_shelter');
    await tick(nav, 'input[name="shareIdentifying"][value="yes"]');
    await nav.fill('#message', 'A bed from Friday, please. Text first.');
    await nav.click('button:has-text("Send the referral")');
    await nav.waitForURL(/done=sent$/);
    expect(await nav.textContent('#referrals')).toContain('Identifying, with consent');
    problems.push(...(await axe(nav)));

    const shelter = await signIn(provider);
    await shelter.click('nav >> text=Referrals');
    await shelter.waitForURL(/\/staff\/referrals$/);
    const inbox = (await shelter.textContent('main')) ?? '';
    expect(inbox).toContain('A new referral is waiting for your organization’s answer');
    expect(inbox).not.toContain('Synthetic Wren');
    problems.push(...(await axe(shelter)));

    await shelter.click('#inbox a');
    await shelter.waitForURL(/\/staff\/referrals\/[0-9a-f-]{36}$/);
    const seen = (await shelter.textContent('main')) ?? '';
    expect(seen).toContain('Synthetic Wren');
    expect(seen).toContain('555-0188');
    expect(seen).toContain('A bed from Friday, please.');
    expect(seen).not.toContain('Somali');
    problems.push(...(await axe(shelter)));

    await shelter.click('button:has-text("Accept")');
    await shelter.waitForURL(/done=accepted$/);
    expect(await shelter.textContent('[role="status"]')).toContain('Accepted.');
    problems.push(...(await axe(shelter)));

    expect(problems).toEqual([]);
    for (const iso of signIns.contexts) expect(iso.foreignRequests()).toEqual([]);
    const row = await t.deps.db
      .selectFrom('referrals')
      .select(['status', 'share_identifying'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'accepted', share_identifying: true });
  }, 120_000);
});
