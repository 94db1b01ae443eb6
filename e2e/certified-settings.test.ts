/**
 * Certified settings in a real browser: a state administrator adds a setting from the form (after a
 * mistake the error summary names the field); the setting's organization adds a direct-contact staff
 * member, who shows as overdue, then records their training — every page checked with axe (WCAG 2.2 AA
 * tags), and no request leaves the site.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../test/staff.ts';
import { todayIn } from '../src/features/help/index.ts';
import { addDays } from '../src/features/certified-settings/rules.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';

describe.skipIf(!available)('certified settings in a browser', () => {
  const world = new BrowserWorld(PASSWORD);
  const signIns = world.signIns;
  let t: TestApp;
  let stateAdmin: TestStaff;
  let provider: TestStaff;
  let today: string;

  const signIn = (person: TestStaff): Promise<Page> => world.signIn(person);

  beforeAll(async () => {
    t = await world.open();
    today = todayIn(t.deps.geography.get().timezone);
    const org = await addOrganization(t.deps.db, 'Synthetic Certified Shelter', 'shelter_housing');
    stateAdmin = await addStaff(t.deps, 'state_admin', [], { name: 'Synthetic State Admin' });
    provider = await addStaff(t.deps, 'provider_staff', [], {
      organizationId: org,
      name: 'Synthetic Shelter Worker',
    });
    await signIns.enable(t, stateAdmin, provider);
    await world.launch();
  }, 60_000);

  afterAll(() => world.close());

  it('the state adds a setting; its organization lists a staff member and records their training', async () => {
    const problems: string[] = [];
    const state = await signIn(stateAdmin);
    await state.goto(`${world.url}/staff/housing/settings`);
    problems.push(...(await axe(state)));
    await state.click('a:has-text("Add a setting")');
    await state.waitForURL(/\/staff\/housing\/settings\/new$/);
    problems.push(...(await axe(state)));
    const organization = await state
      .locator('#organizationId option', { hasText: 'Synthetic Certified Shelter' })
      .getAttribute('value');
    await state.selectOption('#organizationId', organization!);
    await state.fill('#name', 'Synthetic Certified House');
    await state.fill('#licenseNumber', 'SYN-L-5001');
    await state.fill('#certificationNumber', 'SYN-C-6001');
    await state.fill('#certifiedOn', addDays(today, -300));
    await state.fill('#expiresOn', addDays(today, -400));
    await state.click('button:has-text("Add the setting")');
    expect(await state.textContent('.usa-alert--error')).toContain(
      'The expiry date must come after the date it was certified.',
    );
    problems.push(...(await axe(state)));
    await state.fill('#expiresOn', addDays(today, 50));
    await state.click('button:has-text("Add the setting")');
    await state.waitForURL(/\/staff\/housing\/settings\/[0-9a-f-]{36}\?done=added$/);
    const settingUrl = state.url().split('?')[0]!;
    expect(await state.textContent('main')).toContain('in 50 days');
    problems.push(...(await axe(state)));

    const shelter = await signIn(provider);
    await shelter.goto(`${world.url}/staff/housing/settings`);
    expect(await shelter.textContent('main')).toContain('0 of 0 trained');
    problems.push(...(await axe(shelter)));
    await shelter.goto(settingUrl);
    await shelter.fill('#staffName', 'Synthetic Youth Worker');
    await shelter.fill('#roleTitle', 'Youth worker');
    await shelter.fill('#startedOn', addDays(today, -45));
    await shelter.click('button:has-text("Add to the list")');
    await shelter.waitForURL(/done=staff-added/);
    expect(await shelter.textContent('section[aria-labelledby="staff"]')).toContain('Overdue');
    problems.push(...(await axe(shelter)));
    await shelter.click('a:has-text("Change or record training")');
    await shelter.waitForURL(/\/staff\/[0-9a-f-]{36}$/);
    problems.push(...(await axe(shelter)));
    await shelter.fill('#trainedOn', today);
    await shelter.click('button:has-text("Save")');
    await shelter.waitForURL(/done=staff-changed/);
    const staffSection = (await shelter.textContent('section[aria-labelledby="staff"]')) ?? '';
    expect(staffSection).toContain('1 of 1 trained');
    expect(staffSection).not.toContain('Overdue');
    problems.push(...(await axe(shelter)));

    expect(problems).toEqual([]);
    for (const iso of signIns.contexts) expect(iso.foreignRequests()).toEqual([]);
  }, 120_000);
});
