/**
 * Training through the app: the staff menu link; an organization administrator adds a person to the
 * roster, records a completion, prints its certificate; the CSV import page reports bad rows by line and
 * writes nothing, then imports a good file; a trainer records only the courses they teach; a state
 * administrator edits a course and sees the statewide view; the public check shows initials, course and
 * date, sets no cookie and names no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { setTrainer } from './catalogue.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };

let t: TestApp;
let orgId: string;
let orgAdmin: TestStaff;
let trainer: TestStaff;
let stateAdmin: TestStaff;
let provider: TestStaff;

const { get, post } = staffRequests(() => t);

const completionCount = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('training_completions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('organization_id', '=', orgId)
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await testApp();
  orgId = await addOrganization(t.deps.db, 'Synthetic Route Training County', 'child_protection');
  orgAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: orgId });
  trainer = await addStaff(t.deps, 'trainer');
  stateAdmin = await addStaff(t.deps, 'state_admin');
  provider = await addStaff(t.deps, 'provider_staff');
  await setTrainer(t.deps.db, stateAdmin.actor, 'X100', { userId: trainer.id }, true, ORIGIN);
});
afterAll(async () => {
  await t.close();
});

describe('the organization’s training', () => {
  it('shows the menu link to the roles with a training permission only', async () => {
    expect(await (await get(orgAdmin, '/staff')).text()).toContain('href="/staff/training"');
    expect(await (await get(provider, '/staff')).text()).not.toContain('href="/staff/training"');
    expect((await get(provider, '/staff/training')).status).toBe(403);
    const mine = await get(provider, '/staff/training/mine');
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('Your trainings');
  });

  it('an administrator adds a person, records a completion and prints the certificate', async () => {
    const added = await post(orgAdmin, `/staff/training/organizations/${orgId}/roster`, {
      name: 'Synthetic Route Worker',
      email: 'route.worker@example.org',
      role: 'child_protection',
      title: 'Case manager',
      startedOn: '2026-01-05',
    });
    expect(added.status).toBe(303);
    const bad = await post(orgAdmin, `/staff/training/organizations/${orgId}/roster`, {
      name: '',
      role: 'child_protection',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter the person’s name.');
    const roster = await t.deps.db
      .selectFrom('training_roster')
      .select('id')
      .where('organization_id', '=', orgId)
      .executeTakeFirstOrThrow();
    const page = await (await get(orgAdmin, `/staff/training/organizations/${orgId}`)).text();
    expect(page).toContain('Synthetic Route Worker');
    expect(page).toContain('Overdue');
    const recorded = await post(orgAdmin, `/staff/training/organizations/${orgId}/completions`, {
      person: `roster:${roster.id}`,
      courseCode: 'X205',
      completedOn: '2026-02-01',
    });
    expect(recorded.status).toBe(303);
    const after = await (await get(orgAdmin, `/staff/training/organizations/${orgId}`)).text();
    expect(after).toContain('Complete');
    const completion = await t.deps.db
      .selectFrom('training_completions')
      .select(['id', 'certificate_code'])
      .where('roster_id', '=', roster.id)
      .executeTakeFirstOrThrow();
    const cert = await (
      await get(orgAdmin, `/staff/training/completions/${completion.id}/certificate`)
    ).text();
    expect(cert).toContain('Synthetic Route Worker');
    expect(cert).toContain(completion.certificate_code);
  });

  it('the CSV import reports each bad row and writes nothing, then imports a good file', async () => {
    const before = await completionCount();
    const bad = await post(orgAdmin, `/staff/training/organizations/${orgId}/import`, {
      csv: 'email,course code,completed on\nroute.worker@example.org,X100,2026-03-01\nroute.worker@example.org,ZZZ,2026-03-01\nnobody@example.org,X100,yesterday\n',
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('Nothing was imported');
    expect(text).toContain('There is no course ZZZ in the catalogue.');
    expect(text).toMatch(/<th scope="row">4<\/th>/);
    expect(await completionCount()).toBe(before);
    const good = await post(orgAdmin, `/staff/training/organizations/${orgId}/import`, {
      csv: 'email,course code,completed on\nroute.worker@example.org,X100,2026-03-01\n',
    });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('1 completions recorded');
    expect(await completionCount()).toBe(before + 1);
  });

  it('a trainer records only the courses they teach, and may not import', async () => {
    const roster = await t.deps.db
      .selectFrom('training_roster')
      .select('id')
      .where('organization_id', '=', orgId)
      .executeTakeFirstOrThrow();
    const page = await (await get(trainer, `/staff/training/organizations/${orgId}`)).text();
    expect(page).toContain('X100: ');
    expect(page).not.toContain('value="X205"');
    const refused = await post(trainer, `/staff/training/organizations/${orgId}/completions`, {
      person: `roster:${roster.id}`,
      courseCode: 'X205',
      completedOn: '2026-04-01',
    });
    expect(refused.status).toBe(403);
    const ok = await post(trainer, `/staff/training/organizations/${orgId}/completions`, {
      person: `roster:${roster.id}`,
      courseCode: 'X100',
      completedOn: '2026-04-01',
    });
    expect(ok.status).toBe(303);
    expect((await get(trainer, `/staff/training/organizations/${orgId}/import`)).status).toBe(404);
  });
});

describe('the catalogue and the statewide view', () => {
  it('a state administrator changes a course; the form names a wrong field', async () => {
    const wrong = await post(stateAdmin, '/staff/training/courses/X100', {
      title: 'Synthetic title',
      provider: 'Minnesota Child Welfare Training Academy',
      renewal: 'every_n_years',
      renewalYears: '',
      source: 'Synthetic check',
      verified: 'no',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('href="#renewalYears"');
    const page = await (await get(stateAdmin, '/staff/training/state')).text();
    expect(page).toContain('Synthetic Route Training County');
    expect((await get(orgAdmin, '/staff/training/state')).headers.get('location')).toBe(
      `/staff/training/organizations/${orgId}`,
    );
  });
});

describe('the public certificate check', () => {
  it('shows initials, course and date, sets no cookie and names no one', async () => {
    const row = await t.deps.db
      .selectFrom('training_completions')
      .select('certificate_code')
      .where('organization_id', '=', orgId)
      .where('course_code', '=', 'X205')
      .executeTakeFirstOrThrow();
    const res = await t.app.request(`/certificates/${row.certificate_code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('S. R. W.');
    expect(html).toContain('X205');
    expect(html).toContain('February 1, 2026');
    expect(html).not.toContain('Synthetic Route');
    const byQuery = await t.app.request(`/certificates?code=${row.certificate_code.toLowerCase()}`);
    expect(await byQuery.text()).toContain('S. R. W.');
    const unknown = await t.app.request('/certificates/NWD-AAAAA-AAAAA');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No certificate has this code.');
  });

  it('answers in Spanish, Somali and Hmong, with the date in the language and the form in the language', async () => {
    const { certificate_code: code } = await t.deps.db
      .selectFrom('training_completions')
      .select('certificate_code')
      .where('organization_id', '=', orgId)
      .where('course_code', '=', 'X205')
      .executeTakeFirstOrThrow();
    const expected = {
      es: ['Este certificado está registrado', '1 de febrero de 2026'],
      so: ['Shahaadadani diiwaanka way ku jirtaa', '2026'],
      hmn: ['Daim ntawv pov thawj no muaj nyob hauv cov ntaub ntawv', '1 Lub Ob Hlis 2026'],
    } as const;
    for (const [lang, [found, date]] of Object.entries(expected)) {
      const res = await t.app.request(`/${lang}/certificates/${code}`);
      expect(res.status, lang).toBe(200);
      const html = await res.text();
      expect(html, lang).toContain(`<html lang="${lang}"`);
      expect(html, lang).toContain(found);
      expect(html, lang).toContain(date);
      expect(html, lang).toContain('S. R. W.');
      expect(html, lang).toContain(`action="/${lang}/certificates"`);
      const empty = await (await t.app.request(`/${lang}/certificates`)).text();
      expect(empty, lang).toContain(`action="/${lang}/certificates"`);
    }
    const unknown = await t.app.request('/hmn/certificates/NWD-AAAAA-AAAAA');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Tsis muaj daim ntawv pov thawj twg muaj tus lej no.');
  });
});
