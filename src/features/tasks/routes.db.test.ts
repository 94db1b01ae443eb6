/**
 * Task pages and API through the app: a navigator's due view and the region view, a case's tasks tab,
 * adding by hand and from pathway duties with forms (errors that name the field), marking done and
 * reopening, another region's case answered 404, roles without cases refused, `GET /api/v1/tasks` with
 * a bearer token (and its OpenAPI description), and the navigation link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { expectAll, pageWith } from '../../../test/coordination.ts';
import { createApiToken } from '../accounts/service.ts';
import { coordinationContext, createTask, localDateTimeValue } from './service.ts';
import { ORIGIN, addCase } from './testing.ts';

let t: TestApp;
let nav: TestStaff;
let colleague: TestStaff;
let southeastNav: TestStaff;
let admin: TestStaff;
let professional: TestStaff;
let caseId: string;
let southeastCase: string;

const { get, post } = staffRequests(() => t);

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000);

beforeAll(async () => {
  t = await testApp();
  nav = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
  colleague = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Colleague' });
  southeastNav = await addStaff(t.deps, 'navigator', ['southeast']);
  admin = await addStaff(t.deps, 'state_admin');
  professional = await addStaff(t.deps, 'professional');
  caseId = await addCase(t.deps);
  southeastCase = await addCase(t.deps, { regionId: 'southeast', countyFips: '27109' });
  const ctx = coordinationContext(t.deps);
  const past = { ...ctx, now: () => inHours(-48) };
  await createTask(
    past,
    nav.actor,
    { caseId, title: 'Synthetic overdue call', dueAt: inHours(-2), assigneeUserId: nav.id },
    ORIGIN,
  );
  await createTask(
    ctx,
    nav.actor,
    { caseId, title: 'Synthetic upcoming visit', dueAt: inHours(72), assigneeUserId: nav.id },
    ORIGIN,
  );
  await createTask(
    ctx,
    nav.actor,
    { caseId, title: 'Synthetic colleague task', dueAt: inHours(72), assigneeUserId: colleague.id },
    ORIGIN,
  );
  await createTask(
    ctx,
    southeastNav.actor,
    { caseId: southeastCase, title: 'Synthetic southeast task', dueAt: inHours(5) },
    ORIGIN,
  );
});
afterAll(async () => {
  await t.close();
});

describe('/staff/tasks', () => {
  it('shows a navigator their tasks in due order, with overdue first, and the navigation link', async () => {
    const page = await pageWith(await get(nav, '/staff/tasks'), 200, [
      '<a href="/staff/tasks" aria-current="page">Tasks</a>',
      '<a href="/staff/transfers">Transfers</a>',
    ]);
    const overdue = page.indexOf('id="overdue"');
    expect(overdue).toBeGreaterThan(0);
    expect(page.indexOf('Synthetic overdue call')).toBeGreaterThan(overdue);
    expect(page.indexOf('Synthetic upcoming visit')).toBeGreaterThan(page.indexOf('id="upcoming"'));
    expect(page).toContain('Overdue by 2 hours');
    expect(page).not.toContain('Synthetic colleague task');
    expect(page).not.toContain('Synthetic southeast task');
  });

  it('shows the region’s open tasks in the region view, never another region’s', async () => {
    const page = await (await get(nav, '/staff/tasks?view=region')).text();
    expect(page).toContain('Synthetic colleague task');
    expect(page).not.toContain('Synthetic southeast task');
    const all = await (await get(admin, '/staff/tasks')).text();
    expect(all).toContain('Synthetic southeast task');
    expect(all).not.toContain('Add a task without a case');
    expect((await get(nav, '/staff/tasks?view=bogus')).status).toBe(400);
  });

  it('refuses roles without cases and sends the anonymous to sign in', async () => {
    expect((await get(professional, '/staff/tasks')).status).toBe(403);
    const anon = await get(null, '/staff/tasks');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/staff/sign-in');
    expect(await (await get(professional, '/staff')).text()).not.toContain('href="/staff/tasks"');
  });

  it('adds a task without a case, naming the field at fault', async () => {
    const bad = await post(nav, '/staff/tasks', [
      ['region', 'west-metro'],
      ['title', ''],
      ['due', '2030-01-01T10:00'],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<a href="#title">Say what needs doing.</a>');
    const badDue = await post(nav, '/staff/tasks', [
      ['region', 'west-metro'],
      ['title', 'Synthetic kit restock'],
      ['due', 'tomorrow'],
    ]);
    await pageWith(badDue, 400, ['href="#due"', 'value="Synthetic kit restock"']);
    const ok = await post(nav, '/staff/tasks', [
      ['region', 'west-metro'],
      ['title', 'Synthetic kit restock'],
      ['due', localDateTimeValue(t.deps.rules.calendar, inHours(30))],
      ['assignee', colleague.id],
    ]);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/staff/tasks?done=added');
    expect(await (await get(colleague, '/staff/tasks')).text()).toContain('Synthetic kit restock');
    expect((await post(admin, '/staff/tasks', [['title', 'x']])).status).toBe(403);
  });
});

describe('/staff/cases/:id/tasks', () => {
  it('shows the case’s tasks with the tabs, and answers another region’s case 404', async () => {
    await pageWith(await get(nav, `/staff/cases/${caseId}/tasks`), 200, [
      'Synthetic Sky',
      `href="/staff/cases/${caseId}/safety-plan"`,
      'aria-current="page">Tasks</a>',
      'Synthetic colleague task',
      'Meet the youth within 24 hours of being found (within 24 hours)',
    ]);
    expect((await get(nav, `/staff/cases/${southeastCase}/tasks`)).status).toBe(404);
    expect((await get(nav, '/staff/cases/not-a-case/tasks')).status).toBe(404);
    const adminPage = await (await get(admin, `/staff/cases/${caseId}/tasks`)).text();
    expect(adminPage).toContain('Synthetic overdue call');
    expect(adminPage).not.toContain('Add a task');
  });

  it('adds a task by hand and from pathway duties, once per duty', async () => {
    const added = await post(nav, `/staff/cases/${caseId}/tasks`, [
      ['title', 'Synthetic school meeting'],
      ['due', localDateTimeValue(t.deps.rules.calendar, inHours(50))],
    ]);
    expect(added.status).toBe(303);
    const none = await post(nav, `/staff/cases/${caseId}/tasks/pathway`, []);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('href="#codes"');
    const future = await post(nav, `/staff/cases/${caseId}/tasks/pathway`, [
      ['codes', 'RETURN_MEETING_24H'],
      ['from', '2099-01-01T10:00'],
    ]);
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('href="#from"');
    const pathway = await post(nav, `/staff/cases/${caseId}/tasks/pathway`, [
      ['codes', 'RETURN_MEETING_24H'],
      ['codes', 'WRITTEN_REPORT_72H'],
      ['assignee', nav.id],
    ]);
    expect(pathway.status).toBe(303);
    expect(pathway.headers.get('location')).toBe(`/staff/cases/${caseId}/tasks?done=pathway`);
    const page = await (await get(nav, `/staff/cases/${caseId}/tasks?done=pathway`)).text();
    expectAll(page, [
      'Tasks added from the pathway’s duties.',
      'Synthetic school meeting',
      '— already a task',
    ]);
    const again = await post(nav, `/staff/cases/${caseId}/tasks/pathway`, [['codes', 'RETURN_MEETING_24H']]);
    expect(again.headers.get('location')).toBe(`/staff/cases/${caseId}/tasks?done=none`);
    expect((await post(nav, `/staff/cases/${southeastCase}/tasks`, [['title', 'x']])).status).toBe(404);
    expect((await post(admin, `/staff/cases/${caseId}/tasks`, [['title', 'x']])).status).toBe(403);
  });

  it('marks a task done and reopens it, returning to the page it came from', async () => {
    const task = await t.deps.db
      .selectFrom('tasks')
      .select('id')
      .where('case_id', '=', caseId)
      .where('assignee_user_id', '=', colleague.id)
      .executeTakeFirstOrThrow();
    const back = `/staff/cases/${caseId}/tasks`;
    const done = await post(nav, `/staff/tasks/${task.id}/complete`, [['back', back]]);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${back}?done=completed`);
    expect((await post(nav, `/staff/tasks/${task.id}/complete`, [['back', back]])).status).toBe(409);
    const reopened = await post(nav, `/staff/tasks/${task.id}/reopen`, [
      ['back', 'https://elsewhere.example/'],
    ]);
    expect(reopened.headers.get('location')).toBe('/staff/tasks?done=reopened');
    expect((await post(southeastNav, `/staff/tasks/${task.id}/complete`)).status).toBe(404);
  });
});

describe('GET /api/v1/tasks', () => {
  it('lists with a bearer token, by due and scope, audited; refuses without cases.read', async () => {
    const { token } = await createApiToken(
      { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
      'system',
      { userId: nav.id, scopes: ['cases.read'], expiresInDays: 1 },
      ORIGIN,
    );
    const call = (query: string, bearer = token) =>
      t.app.request(`/api/v1/tasks${query}`, { headers: { Authorization: `Bearer ${bearer}` } });
    const res = await call('?due=overdue');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tasks: { title: string; state: string; caseId: string }[] };
    expect(body.tasks.map((x) => x.title)).toEqual(['Synthetic overdue call']);
    expect(body.tasks[0]).toMatchObject({ state: 'overdue', caseId });
    const region = (await (await call('?due=all&scope=region')).json()) as { tasks: { title: string }[] };
    expect(region.tasks.map((x) => x.title)).toContain('Synthetic colleague task');
    expect(region.tasks.map((x) => x.title)).not.toContain('Synthetic southeast task');
    const bad = await call('?due=later');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(((await bad.json()) as { field: string }).field).toBe('due');
    const wrongRegion = await call('?region=southeast');
    expect(wrongRegion.status).toBe(400);
    expect(((await wrongRegion.json()) as { field: string }).field).toBe('region');
    expect((await t.app.request('/api/v1/tasks')).status).toBe(401);

    const { token: narrow } = await createApiToken(
      { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
      'system',
      { userId: nav.id, scopes: ['intake.read'], expiresInDays: 1 },
      ORIGIN,
    );
    expect((await call('', narrow)).status).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string; schema: { enum?: string[] } }[] } }>;
    };
    const params = doc.paths['/api/v1/tasks']?.get?.parameters ?? [];
    expect(params.find((p) => p.name === 'due')?.schema.enum).toEqual([
      'overdue',
      'today',
      'upcoming',
      'all',
    ]);
    expect(params.find((p) => p.name === 'scope')?.schema.enum).toEqual(['mine', 'region']);
  });
});
