/**
 * The staff workspace in a real browser, page by page for each role, at a desktop width (1280 px) and a
 * phone width (375 px): the page never scrolls sideways (a wide table scrolls inside its own box), no
 * text sits outside the screen, and axe finds nothing (WCAG 2.2 AA). With NWD_SCREENSHOTS=<folder>
 * it also saves a screenshot of each page at each width there (docs/screenshots holds the committed ones).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem } from '../src/features/queue/testing.ts';
import { seedSynthetic } from '../src/features/synthetic/service.ts';
import { createProgram, housingContext, updateAvailability } from '../src/features/housing/service.ts';
import { listen, testApp, type TestApp } from '../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../test/staff.ts';
import { axe, browserAvailable, isolatedContext, launchBrowser } from './browser.ts';
import { addSessionCookie } from './staff-session.ts';

const available = browserAvailable();
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 375, height: 812 },
] as const;
const SHOTS = process.env.NWD_SCREENSHOTS;

/** What is wrong with the page's layout at this width: sideways scrolling, or text outside the screen. */
async function layoutProblems(page: Page, label: string): Promise<string[]> {
  return page.evaluate((label) => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width)
      problems.push(
        `${label}: the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`,
      );
    // Text outside the screen: an element with text of its own whose box ends past the right edge, and
    // that no scrolling box of its own (a table's container) holds.
    const scrollsInside = (el: Element): boolean => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && p !== document.documentElement)
          return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (!own) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.usa-sr-only, .usa-skipnav')) continue;
      if ((box.right > width + 1 || box.left < -1) && !scrollsInside(el))
        problems.push(
          `${label}: text outside the screen: <${el.tagName.toLowerCase()}> "${el.textContent!.trim().slice(0, 40)}"`,
        );
    }
    return problems;
  }, label);
}

describe.skipIf(!available)('the staff workspace at 1280 px and 375 px', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  const people: Record<string, TestStaff> = {};

  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    t.deps.site = { origin: server.url, development: true };
    await seedSynthetic(
      {
        db: t.deps.db,
        keyring: t.deps.keyring,
        geography: t.deps.geography.get(),
        vocabularies: t.deps.rules.vocabularies,
      },
      { cases: 60, seed: 11 },
    );
    people.navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
    people.stateAdmin = await addStaff(t.deps, 'state_admin', [], { name: 'Synthetic State Administrator' });
    people.orgAdmin = await addStaff(t.deps, 'org_admin', [], {
      name: 'Synthetic Organization Administrator',
    });
    const provider = await addOrganization(t.deps.db, 'Synthetic Youth Services', 'service_provider');
    people.provider = await addStaff(t.deps, 'provider_staff', [], {
      name: 'Synthetic Provider Staff',
      organizationId: provider,
    });
    people.professional = await addStaff(t.deps, 'professional', [], { name: 'Synthetic Professional' });
    people.childProtection = await addStaff(t.deps, 'child_protection', [], { name: 'Synthetic Caseworker' });
    await addItem(t.deps, { age: 16 });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const tour = async (who: string, paths: string[]): Promise<string[]> => {
    const problems: string[] = [];
    for (const size of WIDTHS) {
      const iso = await isolatedContext(browser, server.url, { viewport: size });
      if (who !== 'visitor') await addSessionCookie(iso.context, t, server.url, people[who]!);
      const page = await iso.context.newPage();
      for (const path of paths) {
        const response = await page.goto(`${server.url}${path}`);
        const label = `${who} ${path} at ${size.width} px`;
        if (!response?.ok() && !path.includes('not-a-page'))
          problems.push(`${label}: answered ${response?.status()}`);
        problems.push(...(await layoutProblems(page, label)), ...(await axe(page)));
        if (SHOTS) {
          mkdirSync(SHOTS, { recursive: true });
          const name = `${who}${path.replace(/\//g, '-').replace(/[^\w-]/g, '')}-${size.width}.png`;
          await page.screenshot({ path: join(SHOTS, name), fullPage: true });
        }
      }
      await iso.context.close();
    }
    return problems;
  };

  it('the sign-in pages, for someone not signed in', async () => {
    expect(await tour('visitor', ['/staff/sign-in', '/staff/forgot'])).toEqual([]);
  }, 180_000);

  it('a navigator’s pages', async () => {
    const caseId = (
      await t.deps.db
        .selectFrom('cases')
        .select('id')
        .where('region_id', '=', 'west-metro')
        .executeTakeFirstOrThrow()
    ).id;
    // A case with a safety plan written by the synthetic seed (a plan of any stored shape must open).
    const planned = (
      await t.deps.db
        .selectFrom('cases')
        .innerJoin('safety_plans', 'safety_plans.case_id', 'cases.id')
        .select('cases.id')
        .where('cases.region_id', '=', 'west-metro')
        .where('cases.status', '=', 'open')
        .executeTakeFirstOrThrow()
    ).id;
    const itemId = (
      await t.deps.db
        .selectFrom('intake_items')
        .select('id')
        .where('region_id', '=', 'west-metro')
        .executeTakeFirstOrThrow()
    ).id;
    const referral = await t.deps.db
      .selectFrom('referrals as f')
      .innerJoin('cases as c', 'c.id', 'f.case_id')
      .select('f.id')
      .where('c.region_id', '=', 'west-metro')
      .where('f.status', '<>', 'draft')
      .executeTakeFirst();
    const request = await t.deps.db
      .selectFrom('shelter_requests')
      .select('id')
      .where('region_id', '=', 'west-metro')
      .executeTakeFirst();
    expect(
      await tour('navigator', [
        '/staff',
        '/staff/queue',
        `/staff/queue/${itemId}`,
        '/staff/cases',
        `/staff/cases/${caseId}`,
        `/staff/cases/${planned}/consents`,
        `/staff/cases/${planned}/tasks`,
        `/staff/cases/${planned}/safety-plan`,
        `/staff/cases/${planned}/transfer`,
        `/staff/cases/${planned}/edit`,
        `/staff/cases/${planned}/close`,
        `/staff/cases/${planned}/housing`,
        ...(request ? [`/staff/shelter-requests/${request.id}`] : []),
        '/staff/cases/new',
        '/staff/tasks',
        '/staff/referrals',
        ...(referral ? [`/staff/referrals/${referral.id}`] : []),
        '/staff/transfers',
        '/staff/sessions',
      ]),
    ).toEqual([]);
  }, 420_000);

  it('a state administrator’s pages', async () => {
    const person = people.navigator!.id;
    expect(
      await tour('stateAdmin', [
        '/staff',
        '/staff/admin/people',
        '/staff/admin/people/invite',
        `/staff/admin/people/${person}`,
        '/staff/admin/organizations',
        '/staff/admin/audit',
        '/staff/admin/instruments',
        '/staff/admin/instruments/safe-harbor-indicators/2026.12.1',
        '/staff/admin/person-requests',
        '/staff/data',
        '/staff/data-health',
        '/staff/housing/settings',
        '/staff/housing/settings/new',
        '/staff/housing/reports',
        '/staff/training',
        '/staff/training/reports',
        '/staff/reports',
        '/staff/reports?measure=youth_served&by=race',
        '/staff/reports/biennial',
        '/staff/reports/quality',
        '/staff/events',
        '/staff/not-a-page',
      ]),
    ).toEqual([]);
  }, 240_000);

  it('an organization administrator’s pages', async () => {
    expect(
      await tour('orgAdmin', [
        '/staff',
        '/staff/admin/people',
        '/staff/admin/people/invite',
        '/staff/admin/audit',
        '/staff/data',
      ]),
    ).toEqual([]);
  }, 240_000);

  it('provider staff’s pages', async () => {
    expect(await tour('provider', ['/staff', '/staff/referrals', '/staff/sessions'])).toEqual([]);
  }, 180_000);

  it('the housing pages: the bed board, a provider’s programs and their forms', async () => {
    const origin = { ip: '127.0.0.1', userAgent: 'e2e' };
    const ctx = housingContext(t.deps);
    const program = await createProgram(
      ctx,
      people.provider!.actor,
      {
        name: 'Synthetic Lakeside Shelter',
        type: 'emergency_shelter',
        minAge: 12,
        maxAge: 17,
        genders: ['female', 'transgender', 'nonbinary'],
        serves: ['lgbtq_affirming'],
        languages: ['English', 'Somali'],
        regionIds: ['west-metro'],
        address: '1 Synthetic Street',
        bedsTotal: 8,
      },
      origin,
    );
    await updateAvailability(ctx, people.provider!.actor, program, { available: 3 }, 'page', origin);
    expect([
      ...(await tour('navigator', [
        '/staff/housing/beds',
        '/staff/housing/beds?age=15&gender=female&when=tonight',
      ])),
      ...(await tour('provider', [
        '/staff/shelter-requests',
        '/staff/housing/settings',
        '/staff/housing/programs',
        `/staff/housing/programs/${program}`,
        '/staff/housing/programs/new',
        `/staff/housing/programs/${program}/edit`,
      ])),
    ]).toEqual([]);
  }, 240_000);

  it('the pages of roles without casework', async () => {
    expect([
      ...(await tour('professional', ['/staff', '/staff/sessions'])),
      ...(await tour('childProtection', ['/staff', '/staff/sessions'])),
    ]).toEqual([]);
  }, 180_000);
});
