import { randomUUID } from 'node:crypto';
/**
 * The case pages through the app: the dashboard, opening a case directly and from a queue item (forms,
 * CSRF, an error summary that links to the fields), the overview with its forms (navigators, notes,
 * services, closing with the survey, reopening), editing with a stale form refused, the duplicate
 * notice, and 404 — never 403 — for another region's case. Synthetic data only.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAll, pageWith } from '../../../test/coordination.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addCaseTeam, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { addItem } from '../queue/testing.ts';
import { caseContext } from './core.ts';
import { openCase, type CaseServiceContext } from './service.ts';

let t: TestApp;
let ctx: CaseServiceContext;
let navigator: TestStaff;
let colleague: TestStaff;
let southeast: TestStaff;
let admin: TestStaff;
let professional: TestStaff;
const origin = { ip: '192.0.2.20', userAgent: 'vitest' };

const { session, get, post } = staffRequests(() => t);

/** Opens a case through the form, as the navigator: the new case's id, from the way on to its overview. */
const openWithForm = async (fields: Record<string, string | string[]>) => {
  const res = await post(navigator, '/staff/cases', fields);
  expect(res.status).toBe(303);
  const id = /\/staff\/cases\/([0-9a-f-]{36})\?done=opened$/.exec(res.headers.get('location') ?? '')?.[1];
  expect(id).toBeDefined();
  return id!;
};

beforeAll(async () => {
  t = await testApp();
  ctx = caseContext(t.deps);
  ({ navigator, colleague, southeast, admin, professional } = await addCaseTeam(t.deps));
});
afterAll(async () => {
  await t.close();
});

describe('opening a case with the form', () => {
  it('shows a labelled form with fieldsets for the multi-selects and the consent line', async () => {
    const html = await pageWith(await get(navigator, '/staff/cases/new'), 200);
    for (const id of [
      'chosenName',
      'legalName',
      'dateOfBirth',
      'age',
      'pronouns',
      'languages',
      'codeWord',
      'countyFips',
    ])
      expect(html).toContain(`<label for="${id}" class="usa-label">`);
    expect(html).toMatch(/<fieldset id="raceEthnicity"[^>]*><legend class="usa-legend">Race and ethnicity/);
    expect(html).toMatch(/<fieldset id="genderIdentity"[^>]*><legend class="usa-legend">Gender identity/);
    expect(html).toMatch(/<fieldset id="exploitation"[^>]*><legend class="usa-legend">Type of exploitation/);
    expect(html).toContain('<label for="door" class="usa-label">How they came to us');
    expect(html).toContain(
      '<label for="entryHousing" class="usa-label">Where they were living when the case opened',
    );
    expect(html).toContain('<option value="youth_self">The young person themself</option>');
    expect(html).toMatch(
      /<input class="usa-checkbox__input" type="checkbox" id="raceEthnicity-american_indian_alaska_native" name="raceEthnicity" value="american_indian_alaska_native"\/><label class="usa-checkbox__label" for="raceEthnicity-american_indian_alaska_native">/,
    );
    expectAll(html, [
      'Consent is never a condition of service',
      `name="csrf" value="${(await session(navigator)).csrf}"`,
      'href="/staff/cases" aria-current="page">Cases</a>',
    ]);
  });

  it('answers problems with an error summary linking to each field, keeping what was typed', async () => {
    const res = await post(navigator, '/staff/cases', {
      chosenName: '',
      dateOfBirth: '2010-13-40',
      raceEthnicity: ['white', 'martian'],
      codeWord: 'Synthetic word',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expectAll(html, [
      'There is a problem',
      'href="#chosenName"',
      'href="#dateOfBirth"',
      'href="#raceEthnicity"',
      'value="Synthetic word"',
      'aria-invalid="true"',
    ]);
    expect(await t.deps.db.selectFrom('cases').select('id').execute()).toEqual([]);
  });

  it('opens the case, shows its overview and assigns the opener', async () => {
    const id = await openWithForm({
      chosenName: 'Synthetic Robin',
      pronouns: 'she/her',
      dateOfBirth: '2009-02-03',
      raceEthnicity: ['black_african_american', 'hispanic_latino'],
      genderIdentity: 'female',
      languages: 'English, Spanish',
      contactMethod: 'phone_call',
      contactValue: '555-0123',
      codeWord: 'Synthetic sparrow',
      countyFips: '27053',
    });
    const html = await (await get(navigator, `/staff/cases/${id}?done=opened`)).text();
    expect(html).toContain('The case is open. You are assigned to it.');
    expect(html).toContain(
      '<span class="usa-sr-only">Case of </span>Synthetic Robin<span class="nwd-pronouns"> (she/her)</span>',
    );
    expectAll(html, [
      '<span class="usa-tag nwd-tag-success">Open</span>',
      'Black or African American; Hispanic or Latino/a/e',
      'Synthetic sparrow',
      'Hennepin',
      'aria-current="page">Overview</a>',
      `href="/staff/cases/${id}/consents"`,
    ]);
    expect(html).toMatch(/You<\/strong>, since/);
    expect(html).toContain('Case opened');
    // Neither the page's <title> nor the log holds the name.
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).not.toContain('Robin');
    expect(t.logLines.join('\n')).not.toContain('Robin');
  });

  it('refuses other roles, and without the form’s token', async () => {
    expect((await get(professional, '/staff/cases')).status).toBe(403);
    expect((await get(admin, '/staff/cases/new')).status).toBe(403);
    expect((await post(admin, '/staff/cases', { chosenName: 'X' })).status).toBe(403);
    expect((await post(navigator, '/staff/cases', { chosenName: 'X' }, { csrf: 'forged' })).status).toBe(403);
    const anonymous = await t.app.request('/staff/cases');
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/staff/sign-in']);
  });

  it('answers a role without cases (an evaluator, a professional) 404 on a case page, as for no case at all', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Unseen' }, origin);
    const evaluator = await addStaff(t.deps, 'evaluator');
    // Apart from what every page has of its own (the nonce, the form token), the two pages are one.
    const body = (html: string) =>
      html.replace(/nonce="[^"]*"/g, '').replace(/<input type="hidden" name="csrf"[^>]*>/g, '');
    for (const who of [evaluator, professional]) {
      const real = await get(who, `/staff/cases/${id}`);
      const none = await get(who, `/staff/cases/${randomUUID()}`);
      expect([real.status, none.status]).toEqual([404, 404]);
      const [a, b] = [body(await real.text()), body(await none.text())];
      expect(a).toContain('There is no such case');
      expect(a).not.toContain('Synthetic Unseen');
      expect(a).toBe(b);
    }
    // The navigator of the case's region reads it.
    expect((await get(navigator, `/staff/cases/${id}`)).status).toBe(200);
  });
});

describe('opening a case from a queue item', () => {
  it('offers it on the item, fills the form from the referral, and links the two', async () => {
    const itemId = await addItem(t.deps, { age: 16 });
    const item = await (await get(navigator, `/staff/queue/${itemId}`)).text();
    expect(item).toContain(`href="/staff/cases/new?from=${itemId}"`);
    const form = await (await get(navigator, `/staff/cases/new?from=${itemId}`)).text();
    expectAll(form, ['value="Synthetic Youth"', 'value="bluebird"', `name="intakeItemId" value="${itemId}"`]);
    expect(form).toMatch(/<option value="text_message" selected/);
    const id = await openWithForm({
      intakeItemId: itemId,
      chosenName: 'Synthetic Youth',
      age: '16',
      codeWord: 'bluebird',
      countyFips: '27053',
    });
    const after = await (await get(navigator, `/staff/queue/${itemId}`)).text();
    expect(after).toContain(
      `href="/staff/cases/${id}" class="usa-button">Go to the case opened from this referral`,
    );
    expect(after).toContain('Case opened');
    expect(after).toContain('Closed');
    const again = await get(colleague, `/staff/cases/new?from=${itemId}`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(`href="/staff/cases/${id}"`);
    // Another region's referral is not found.
    const elsewhere = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109' });
    expect((await get(navigator, `/staff/cases/new?from=${elsewhere}`)).status).toBe(404);
    expect((await post(navigator, '/staff/cases', { intakeItemId: elsewhere, chosenName: 'X' })).status).toBe(
      404,
    );
  });
});

describe('a case’s overview', () => {
  it('is not found for another region’s navigator, by page or by form, and lists nothing of it', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Private' }, origin);
    const res = await get(southeast, `/staff/cases/${id}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('Synthetic Private');
    expect((await get(southeast, `/staff/cases/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    for (const [path, fields] of [
      ['notes', { category: 'contact', body: 'x' }],
      ['services', { serviceCode: 'basic_needs' }],
      ['close', { reason: 'other', exitHousing: 'unknown' }],
      ['assign', { userId: southeast.id }],
    ] as const)
      expect((await post(southeast, `/staff/cases/${id}/${path}`, fields)).status).toBe(404);
    expect((await get(southeast, `/staff/cases/${id}/edit`)).status).toBe(404);
    const list = await (await get(southeast, '/staff/cases?view=open')).text();
    expect(list).not.toContain(id);
    // A state administrator reads it, without the forms.
    const adminView = await (await get(admin, `/staff/cases/${id}`)).text();
    expect(adminView).toContain('Synthetic Private');
    expect(adminView).not.toContain(`action="/staff/cases/${id}/notes"`);
    expect((await post(admin, `/staff/cases/${id}/notes`, { category: 'contact', body: 'x' })).status).toBe(
      403,
    );
  });

  it('assigns navigators, adds notes and services, closes with the survey and reopens, all through forms', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Forms' }, origin);
    const page = await (await get(navigator, `/staff/cases/${id}`)).text();
    expect(page).toContain(`<option value="${colleague.id}">Synthetic Colleague</option>`);
    expect(page).not.toContain(southeast.id);

    let res = await post(navigator, `/staff/cases/${id}/assign`, { userId: colleague.id });
    expect([res.status, res.headers.get('location')]).toEqual([303, `/staff/cases/${id}?done=assigned`]);
    res = await post(navigator, `/staff/cases/${id}/assign`, { userId: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('href="#userId"');

    res = await post(navigator, `/staff/cases/${id}/notes`, { category: '', body: 'Synthetic kept text' });
    expect(res.status).toBe(400);
    const invalid = await res.text();
    expect(invalid).toContain('href="#category"');
    expect(invalid).toContain('Synthetic kept text</textarea>');
    res = await post(navigator, `/staff/cases/${id}/notes`, {
      category: 'safety',
      body: 'Synthetic note one.\n\nSecond paragraph.',
    });
    expect(res.status).toBe(303);
    res = await post(navigator, `/staff/cases/${id}/services`, {
      serviceCode: 'housing_search',
      deliveredOn: '2026-01-15',
    });
    expect(res.status).toBe(303);
    res = await post(navigator, `/staff/cases/${id}/unassign`, { userId: navigator.id });
    expect(res.status).toBe(303);

    const html = await (await get(colleague, `/staff/cases/${id}`)).text();
    expectAll(html, [
      '<p>Synthetic note one.</p><p>Second paragraph.</p>',
      'Jan 15, 2026',
      'Help finding housing',
      'Note added: Safety',
      'Navigator assignment ended: Synthetic Navigator',
      'Navigator assigned: Synthetic Colleague',
    ]);

    const closeForm = await (await get(colleague, `/staff/cases/${id}/close`)).text();
    expect(closeForm).toContain('Do you feel safer than when we started working together?');
    expect(closeForm).toMatch(/<fieldset id="feelsSafer"[^>]*><legend class="usa-legend">/);
    expect(closeForm).toContain('Consent is never a condition of service'.toLowerCase());
    res = await post(colleague, `/staff/cases/${id}/close`, { feelsSafer: 'yes' });
    expect(res.status).toBe(400);
    const closeErrors = await res.text();
    expect(closeErrors).toContain('href="#reason"');
    expect(closeErrors).toContain('href="#exitHousing"');
    expect(closeErrors).toMatch(/name="feelsSafer" value="yes" checked/);
    res = await post(colleague, `/staff/cases/${id}/close`, {
      reason: 'goals_met',
      exitHousing: 'transitional_supportive',
      feelsSafer: 'yes',
      moreHopeful: 'yes',
      knowsWhereHelp: 'unsure',
    });
    expect([res.status, res.headers.get('location')]).toEqual([303, `/staff/cases/${id}?done=closed`]);
    const closed = await (await get(colleague, `/staff/cases/${id}?done=closed`)).text();
    expectAll(closed, [
      'The case is closed.',
      'Goals met',
      'will be erased after',
      `action="/staff/cases/${id}/reopen"`,
    ]);
    expect(closed).not.toContain(`action="/staff/cases/${id}/notes"`);
    expect((await post(colleague, `/staff/cases/${id}/notes`, { category: 'other', body: 'x' })).status).toBe(
      409,
    );
    res = await post(colleague, `/staff/cases/${id}/reopen`);
    expect(res.status).toBe(303);
    expect(await (await get(colleague, `/staff/cases/${id}?done=reopened`)).text()).toContain(
      'The case is open again.',
    );
    const row = await t.deps.db
      .selectFrom('cases')
      .select(['status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
  });

  it('edits the details, refusing a form someone else’s change made stale', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Edit', age: 15 }, origin);
    const form = await (await get(navigator, `/staff/cases/${id}/edit`)).text();
    expect(form).toContain('value="Synthetic Edit"');
    const version = /name="version" value="([^"]+)"/.exec(form)?.[1] ?? '';
    expect(version).not.toBe('');
    await new Promise((r) => setTimeout(r, 5));
    let res = await post(colleague, `/staff/cases/${id}/notes`, { category: 'contact', body: 'Synthetic' });
    expect(res.status).toBe(303);
    res = await post(navigator, `/staff/cases/${id}/details`, { chosenName: 'Synthetic Renamed', version });
    expect(res.status).toBe(409);
    const stale = await res.text();
    expect(stale).toContain('Someone changed this case after you opened the form');
    expect(stale).toContain('value="Synthetic Edit"');
    const fresh = /name="version" value="([^"]+)"/.exec(stale)?.[1] ?? '';
    res = await post(navigator, `/staff/cases/${id}/details`, {
      chosenName: 'Synthetic Renamed',
      age: '16',
      version: fresh,
    });
    expect([res.status, res.headers.get('location')]).toEqual([303, `/staff/cases/${id}?done=details`]);
    const html = await (await get(navigator, `/staff/cases/${id}`)).text();
    expect(html).toContain('Synthetic Renamed');
    expect(html).toContain('Details changed: name, age');
    // The evaluation's questions: round trip through the form, a wrong code named on its field.
    const edit = await (await get(navigator, `/staff/cases/${id}/edit`)).text();
    const current = /name="version" value="([^"]+)"/.exec(edit)?.[1] ?? '';
    res = await post(navigator, `/staff/cases/${id}/details`, {
      chosenName: 'Synthetic Renamed',
      age: '16',
      door: 'child_protection',
      exploitation: ['sex_trafficking', 'at_risk'],
      entryHousing: 'foster_care',
      version: current,
    });
    expect(res.status).toBe(303);
    const page = await (await get(navigator, `/staff/cases/${id}`)).text();
    expectAll(page, [
      'How they came to us',
      'Child protection',
      'Type of exploitation',
      'Sex trafficking; At risk (no exploitation known)',
      'Where they were living when the case opened',
      'Foster care or another placement',
      'how they came to us, type of exploitation, housing when the case opened',
    ]);
    const again = await (await get(navigator, `/staff/cases/${id}/edit`)).text();
    expect(again).toMatch(/<option value="child_protection" selected/);
    expect(again).toMatch(/<option value="foster_care" selected/);
    expect(again).toMatch(
      /id="exploitation-sex_trafficking" name="exploitation" value="sex_trafficking" checked/,
    );
    expect(again).not.toMatch(
      /id="exploitation-labor_trafficking" name="exploitation" value="labor_trafficking" checked/,
    );
    res = await post(navigator, `/staff/cases/${id}/details`, {
      chosenName: 'Synthetic Renamed',
      door: 'chimney',
      exploitation: ['piracy'],
      entryHousing: 'castle',
    });
    expect(res.status).toBe(400);
    expectAll(await res.text(), ['href="#door"', 'href="#exploitation"', 'href="#entryHousing"']);
    res = await post(navigator, `/staff/cases/${id}/details`, { chosenName: '', version: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('href="#chosenName"');
  });

  it('tells of a possible match in another region, and nothing more', async () => {
    await openCase(
      ctx,
      southeast.actor,
      { chosenName: 'Synthetic Twin', dateOfBirth: '2008-08-08', codeWord: 'Synthetic secret' },
      origin,
    );
    const { id } = await openCase(
      ctx,
      navigator.actor,
      { chosenName: 'synthetic twin', dateOfBirth: '2008-08-08' },
      origin,
    );
    const html = await (await get(navigator, `/staff/cases/${id}`)).text();
    expect(html).toContain('A possible match exists in Southeast — request a consult');
    expect(html).not.toContain('Synthetic secret');
    expect(html).not.toContain('Synthetic Southeast');
  });

  it('pages a long timeline', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Long' }, origin);
    for (let i = 0; i < 50; i++)
      await post(navigator, `/staff/cases/${id}/services`, { serviceCode: 'transportation' });
    const html = await (await get(navigator, `/staff/cases/${id}`)).text();
    const older = /href="(\/staff\/cases\/[^"?]+\?before=\d+)#timeline-h"/.exec(html)?.[1];
    expect(older).toBeDefined();
    const second = await (await get(navigator, older!)).text();
    expect(second).toContain('Case opened');
    expect(second).toContain('Newest entries');
    expect((await get(navigator, `/staff/cases/${id}?before=nonsense`)).status).toBe(404);
  });
});

describe('the dashboard', () => {
  it('lists my open cases by default, my region’s on request, and every region for a state administrator', async () => {
    const mine = await openCase(ctx, colleague.actor, { chosenName: 'Synthetic Mine' }, origin);
    const theirs = await openCase(ctx, southeast.actor, { chosenName: 'Synthetic Theirs' }, origin);
    const html = await (await get(colleague, '/staff/cases')).text();
    expect(html).toContain(`href="/staff/cases/${mine.id}">Synthetic Mine</a>`);
    expect(html).not.toContain(theirs.id);
    expect(html).toContain('aria-current="page">My open cases</a>');
    expect(html).toContain('href="/staff/cases/new"');
    const region = await (await get(colleague, '/staff/cases?view=open')).text();
    expect(region).toContain('Synthetic Robin');
    expect(region).not.toContain('Synthetic Theirs');
    const all = await (await get(admin, '/staff/cases')).text();
    expect(all).toContain('Synthetic Theirs');
    expect(all).toContain('Synthetic Mine');
    expect(all).not.toContain('href="/staff/cases/new"');
    expect((await get(colleague, '/staff/cases?view=everything')).status).toBe(400);
    expect((await get(colleague, '/staff/cases?view=open&region=southeast')).status).toBe(400);
    expect((await get(colleague, '/staff/cases?after=zzz')).status).toBe(400);
  });

  it('pages through a region’s cases with a next-page link', async () => {
    const person = await addStaff(t.deps, 'navigator', ['northwest'], { name: 'Synthetic Pager' });
    for (let i = 0; i < 27; i++)
      await openCase(
        { ...ctx, now: () => new Date(Date.UTC(2026, 0, 1, 0, i)) },
        person.actor,
        { chosenName: `Synthetic P${String(i).padStart(2, '0')}` },
        origin,
      );
    const first = await (await get(person, '/staff/cases?view=open')).text();
    expect(first).toContain('27 cases, newest first (showing 25)');
    expect(first).toContain('Synthetic P26');
    expect(first).not.toContain('Synthetic P01');
    expect(first).not.toContain('Previous page');
    const next = /href="(\/staff\/cases\?view=open&amp;after=[A-Za-z0-9_-]+)">Next page/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await get(person, next!.replace(/&amp;/g, '&'))).text();
    expect(second).toContain('Synthetic P01');
    expect(second).toContain('Synthetic P00');
    expect(second).not.toContain('Synthetic P26');
    expect(second).not.toContain('Next page');
    // And back: the first page again, from the second page's previous-page link.
    const previous = /href="(\/staff\/cases\?view=open&amp;before=[A-Za-z0-9_-]+)">Previous page/.exec(
      second,
    )?.[1];
    expect(previous).toBeDefined();
    const back = await (await get(person, previous!.replace(/&amp;/g, '&'))).text();
    expect(back).toContain('Synthetic P26');
    expect(back).toContain('Synthetic P02');
    expect(back).not.toContain('Synthetic P01');
    expect(back).not.toContain('Previous page');
  });
});

describe('random form input', () => {
  it('is never answered with a 500, on any form', async () => {
    const { id } = await openCase(ctx, navigator.actor, { chosenName: 'Synthetic Random' }, origin);
    const value = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', 'white', 'female', 'queer', '27053', '2008-02-29', 'goals_met', 'contact', 'yes'),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
    );
    const fields = fc.dictionary(
      fc.constantFrom(
        'chosenName',
        'dateOfBirth',
        'age',
        'raceEthnicity',
        'genderIdentity',
        'sexualOrientation',
        'languages',
        'contactMethod',
        'countyFips',
        'regionId',
        'intakeItemId',
        'category',
        'body',
        'serviceCode',
        'deliveredOn',
        'userId',
        'reason',
        'exitHousing',
        'feelsSafer',
        'version',
      ),
      value,
    );
    const paths = [
      '/staff/cases',
      ...['details', 'notes', 'services', 'assign', 'unassign', 'close'].map(
        (p) => `/staff/cases/${id}/${p}`,
      ),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fields, async (path, form) => {
        const res = await post(navigator, path, form as Record<string, string | string[]>);
        expect(res.status, `${path} ${JSON.stringify(form)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    for (const query of [
      '?view=%00',
      '?after=%E0%A4%A',
      `?region=${'x'.repeat(3000)}`,
      '?before=99999999999999999999',
    ])
      expect((await get(navigator, `/staff/cases${query}`)).status).toBeLessThan(500);
    expect((await get(navigator, `/staff/cases/${id}?before=99999999999999999`)).status).toBeLessThan(500);
  }, 60_000);
});
