/**
 * Training in a real browser: an organization administrator adds a person to the roster (after a
 * mistake the error summary names the field), records their X205 completion, opens the printable
 * certificate, tries a CSV file with a bad row (nothing imported, the row named), and anyone checks the
 * certificate's code on the public page, which shows initials only — every page checked with axe (WCAG
 * 2.2 AA tags), and no request leaves the site.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../test/staff.ts';
import { axe, browserAvailable } from './browser.ts';
import { BrowserWorld } from './staff-session.ts';

const available = browserAvailable();
const PASSWORD = 'harbor lantern quarry meadow';

describe.skipIf(!available)('training in a browser', () => {
  const world = new BrowserWorld(PASSWORD);
  const signIns = world.signIns;
  let t: TestApp;
  let orgAdmin: TestStaff;
  let orgId: string;

  const signIn = (person: TestStaff): Promise<Page> => world.signIn(person);

  beforeAll(async () => {
    t = await world.open();
    orgId = await addOrganization(t.deps.db, 'Synthetic Browser County', 'child_protection');
    orgAdmin = await addStaff(t.deps, 'org_admin', [], {
      organizationId: orgId,
      name: 'Synthetic County Admin',
    });
    await signIns.enable(t, orgAdmin);
    await world.launch();
  }, 60_000);

  afterAll(() => world.close());

  it('an administrator lists a person, records a completion and prints it; the public check shows initials', async () => {
    const problems: string[] = [];
    const admin = await signIn(orgAdmin);
    await admin.goto(`${world.url}/staff/training`);
    problems.push(...(await axe(admin)));
    await admin.click('a:has-text("Your organization’s people and their trainings")');
    await admin.waitForURL(/\/staff\/training\/organizations\/[0-9a-f-]{36}$/);
    problems.push(...(await axe(admin)));
    await admin.fill('#email', 'browser.worker@example.org');
    await admin.click('button:has-text("Add the person")');
    expect(await admin.textContent('.usa-alert--error')).toContain('Enter the person’s name.');
    problems.push(...(await axe(admin)));
    await admin.fill('#name', 'Synthetic Browser Worker');
    await admin.selectOption('#role', 'child_protection');
    await admin.fill('#startedOn', '2026-01-05');
    await admin.click('button:has-text("Add the person")');
    await admin.waitForURL(/done=roster/);
    expect(await admin.textContent('main')).toContain('Synthetic Browser Worker');
    const person = await admin
      .locator('#person option', { hasText: 'Synthetic Browser Worker' })
      .getAttribute('value');
    await admin.selectOption('#person', person!);
    await admin.selectOption('#courseCode', 'X205');
    await admin.fill('#completedOn', '2026-02-02');
    await admin.click('button:has-text("Record the completion")');
    await admin.waitForURL(/done=completion/);
    problems.push(...(await axe(admin)));
    await admin.click('a:has-text("X205, February 2, 2026")');
    await admin.waitForURL(/\/certificate$/);
    problems.push(...(await axe(admin)));
    const code = (await admin.textContent('main code'))!.trim();
    expect(code).toMatch(/^NWD-/);

    await admin.goto(`${world.url}/staff/training/organizations/${orgId}/import`);
    await admin.fill('#csv', 'email,course code,completed on\nbrowser.worker@example.org,NOPE,2026-02-02\n');
    await admin.click('button:has-text("Import")');
    expect(await admin.textContent('main')).toContain('Nothing was imported');
    expect(await admin.textContent('main')).toContain('There is no course NOPE in the catalogue.');
    problems.push(...(await axe(admin)));

    const visiting = await world.browser.newContext();
    const visitor = await visiting.newPage();
    await visitor.goto(`${world.url}/certificates`);
    await visitor.fill('#code', code);
    await visitor.click('button:has-text("Check")');
    const main = (await visitor.textContent('main')) ?? '';
    expect(main).toContain('S. B. W.');
    expect(main).not.toContain('Synthetic Browser');
    expect(await visiting.cookies()).toEqual([]);
    problems.push(...(await axe(visitor)));
    await visiting.close();

    expect(problems).toEqual([]);
    for (const iso of signIns.contexts) expect(iso.foreignRequests()).toEqual([]);
  }, 120_000);
});
