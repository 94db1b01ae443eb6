/**
 * Certified settings through the app: the list (status, expiry, days to expiry, staff trained of total)
 * and the navigation link for the roles that see it; a state administrator adds a setting and changes its
 * certification from the forms (errors that name the field); the organization adds, changes (records the
 * training of) and removes a staff member; another organization's setting is answered 404, a navigator
 * 403; `GET /api/v1/housing/settings` and `/{id}` and their OpenAPI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { pageWith } from '../../../test/coordination.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { todayIn } from '../help/index.ts';
import { addDays } from './rules.ts';
import { addStaffMember, createSetting, settingsContext } from './service.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };

let t: TestApp;
let orgId: string;
let provider: TestStaff;
let orgAdmin: TestStaff;
let otherProvider: TestStaff;
let navigator: TestStaff;
let stateAdmin: TestStaff;
let settingId: string;
let today: string;

const { get, post, api } = staffRequests(() => t);

const SETTING = {
  name: 'Synthetic Route Setting',
  licenseNumber: 'SYN-L-3001',
  certificationNumber: 'SYN-C-4001',
  certifiedOn: '2026-01-15',
  status: 'certified',
};

beforeAll(async () => {
  t = await testApp();
  const ctx = settingsContext(t.deps);
  today = todayIn(ctx.timezone);
  orgId = await addOrganization(t.deps.db, 'Synthetic Route Settings Shelter', 'shelter_housing');
  const otherOrg = await addOrganization(t.deps.db, 'Synthetic Route Settings Other', 'shelter_housing');
  provider = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgId });
  orgAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: orgId });
  otherProvider = await addStaff(t.deps, 'provider_staff', [], { organizationId: otherOrg });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  stateAdmin = await addStaff(t.deps, 'state_admin');
  settingId = await createSetting(
    ctx,
    stateAdmin.actor,
    { ...SETTING, organizationId: orgId, expiresOn: addDays(today, 45) },
    ORIGIN,
  );
  await addStaffMember(
    ctx,
    provider.actor,
    settingId,
    { name: 'Synthetic Route Worker', roleTitle: 'Youth worker', startedOn: addDays(today, -90) },
    ORIGIN,
  );
  await addStaffMember(
    ctx,
    provider.actor,
    settingId,
    {
      name: 'Synthetic Trained Worker',
      roleTitle: 'Night staff',
      startedOn: addDays(today, -200),
      trainedOn: addDays(today, -180),
    },
    ORIGIN,
  );
});
afterAll(async () => {
  await t.close();
});

describe('the list of settings', () => {
  it('shows the organization its settings with status, days to expiry and staff trained, and the link', async () => {
    await pageWith(await get(provider, '/staff/housing/settings'), 200, [
      '<a href="/staff/housing/settings" aria-current="page">Certified settings</a>',
      'Synthetic Route Setting',
      'Certified',
      'in 45 days',
      'Renew soon',
      '1 of 2 trained',
      '1 overdue',
    ]);
    const page = await pageWith(await get(orgAdmin, '/staff/housing/settings'), 200);
    expect(page).not.toContain('Add a setting');
    const other = await pageWith(await get(otherProvider, '/staff/housing/settings'), 200);
    expect(other).not.toContain(settingId);
    expect(other).toContain('Your organization has no certified settings recorded here.');
  });

  it('shows the state every setting with the organization, and the way to add one', async () => {
    await pageWith(await get(stateAdmin, '/staff/housing/settings'), 200, [
      'href="/staff/housing/settings"',
      'Synthetic Route Setting',
      'Synthetic Route Settings Shelter',
      'Add a setting',
    ]);
  });

  it('refuses a navigator, with no link in the menu', async () => {
    expect((await get(navigator, '/staff/housing/settings')).status).toBe(403);
    expect(await pageWith(await get(navigator, '/staff'), 200)).not.toContain('/staff/housing/settings');
    const anonymous = await get(null, '/staff/housing/settings');
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/staff/sign-in']);
  });
});

describe('a setting’s page', () => {
  it('shows the organization its certification and staff, with forms for the staff only', async () => {
    const page = await pageWith(await get(provider, `/staff/housing/settings/${settingId}`), 200, [
      'SYN-L-3001',
      'SYN-C-4001',
      'Synthetic Route Worker',
      'Overdue',
      'Synthetic Trained Worker',
      'Add a person',
    ]);
    expect(page).not.toContain('Change the certification');
  });

  it('answers another organization 404 and a navigator 403, on the page and its forms', async () => {
    expect((await get(otherProvider, `/staff/housing/settings/${settingId}`)).status).toBe(404);
    const added = await post(otherProvider, `/staff/housing/settings/${settingId}/staff`, {
      staffName: 'Synthetic Intruder',
      roleTitle: 'None',
      startedOn: today,
    });
    expect(added.status).toBe(404);
    expect((await get(navigator, `/staff/housing/settings/${settingId}`)).status).toBe(403);
    expect(
      (await post(provider, `/staff/housing/settings/${settingId}/certification`, { ...SETTING })).status,
    ).toBe(403);
    expect((await post(stateAdmin, `/staff/housing/settings/${settingId}/staff`, {})).status).toBe(403);
  });

  it('lets the organization add a person, naming the field at fault, then record their training', async () => {
    const wrong = await post(provider, `/staff/housing/settings/${settingId}/staff`, {
      staffName: '',
      roleTitle: 'Youth worker',
      startedOn: today,
    });
    await pageWith(wrong, 400, ['There is a problem', 'href="#staffName"', 'Enter the person’s name.']);
    const ok = await post(provider, `/staff/housing/settings/${settingId}/staff`, {
      staffName: 'Synthetic New Worker',
      roleTitle: 'Youth worker',
      startedOn: today,
      trainedOn: '',
    });
    expect([ok.status, ok.headers.get('location')]).toEqual([
      303,
      `/staff/housing/settings/${settingId}?done=staff-added#staff`,
    ]);
    const page = await pageWith(
      await get(provider, `/staff/housing/settings/${settingId}?done=staff-added`),
      200,
      ['Person added to the staff list.', 'Synthetic New Worker', '1 of 3 trained'],
    );
    const staffId = new RegExp(
      `/staff/housing/settings/${settingId}/staff/([0-9a-f-]{36})"[^>]*>Change or record training<span class="usa-sr-only"> for Synthetic New Worker`,
    ).exec(page)?.[1];
    expect(staffId).toBeDefined();
    const path = `/staff/housing/settings/${settingId}/staff/${staffId}`;
    await pageWith(await get(provider, path), 200, ['value="Synthetic New Worker"', 'Remove from the list']);
    expect((await get(otherProvider, path)).status).toBe(404);
    const future = await post(provider, path, {
      staffName: 'Synthetic New Worker',
      roleTitle: 'Youth worker',
      startedOn: today,
      trainedOn: addDays(today, 2),
    });
    await pageWith(future, 400, ['href="#trainedOn"', 'cannot be in the future']);
    const trained = await post(orgAdmin, path, {
      staffName: 'Synthetic New Worker',
      roleTitle: 'Youth worker',
      startedOn: today,
      trainedOn: today,
    });
    expect(trained.status).toBe(303);
    await pageWith(await get(provider, `/staff/housing/settings/${settingId}`), 200, ['2 of 3 trained']);
    const removed = await post(provider, `${path}/remove`, {});
    expect(removed.status).toBe(303);
    await pageWith(await get(provider, `/staff/housing/settings/${settingId}`), 200, ['1 of 2 trained']);
    expect((await get(provider, path)).status).toBe(404);
  });
});

describe('the state’s forms', () => {
  it('adds a setting, naming the field at fault', async () => {
    await pageWith(await get(stateAdmin, '/staff/housing/settings/new'), 200, [
      'Add a certified setting',
      'Synthetic Route Settings Shelter',
    ]);
    expect((await get(provider, '/staff/housing/settings/new')).status).toBe(403);
    const fields = {
      ...SETTING,
      name: 'Synthetic Form Setting',
      organizationId: orgId,
      programId: '',
      expiresOn: '2026-01-01',
      notes: '',
    };
    const wrong = await post(stateAdmin, '/staff/housing/settings', fields);
    await pageWith(wrong, 400, ['href="#expiresOn"', 'must come after the date it was certified']);
    const ok = await post(stateAdmin, '/staff/housing/settings', { ...fields, expiresOn: '2027-01-15' });
    expect(ok.status).toBe(303);
    const id = /settings\/([0-9a-f-]{36})\?done=added/.exec(ok.headers.get('location') ?? '')?.[1];
    expect(id).toBeDefined();
    await pageWith(await get(stateAdmin, `/staff/housing/settings/${id}?done=added`), 200, [
      'Setting added.',
      'Change the certification',
      'No direct-contact staff are listed yet.',
    ]);
    expect(
      (await post(provider, '/staff/housing/settings', { ...fields, expiresOn: '2027-01-15' })).status,
    ).toBe(403);
    // The audit log says it in words.
    await pageWith(await get(stateAdmin, '/staff/admin/audit'), 200, ['Added a certified setting']);
  });

  it('changes the certification; the organization sees the new status', async () => {
    const path = `/staff/housing/settings/${settingId}/certification`;
    const fields = {
      ...SETTING,
      expiresOn: addDays(today, 400),
      status: 'suspended',
      programId: '',
      notes: 'Synthetic',
    };
    const wrong = await post(stateAdmin, path, { ...fields, licenseNumber: '' });
    await pageWith(wrong, 400, ['href="#licenseNumber"', 'Enter the license number.']);
    const ok = await post(stateAdmin, path, fields);
    expect([ok.status, ok.headers.get('location')]).toEqual([
      303,
      `/staff/housing/settings/${settingId}?done=certification`,
    ]);
    await pageWith(await get(provider, `/staff/housing/settings/${settingId}`), 200, [
      'Suspended',
      'in 400 days',
    ]);
  });
});

describe('the API', () => {
  it('lists and gives one setting, 404 for another organization, 403 for a navigator', async () => {
    const list = await api(provider, 'GET', '/api/v1/housing/settings');
    expect(list.status).toBe(200);
    const settings = (list.json as { settings: { id: string; staff: { total: number } }[] }).settings;
    expect(settings.map((s) => s.id)).toContain(settingId);
    const one = await api(orgAdmin, 'GET', `/api/v1/housing/settings/${settingId}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      id: settingId,
      licenseNumber: 'SYN-L-3001',
      trainingDays: 30,
      staffMembers: expect.arrayContaining([
        expect.objectContaining({ name: 'Synthetic Route Worker', training: 'overdue', trainedOn: null }),
      ]),
    });
    expect((await api(stateAdmin, 'GET', `/api/v1/housing/settings/${settingId}`)).status).toBe(200);
    const hidden = await api(otherProvider, 'GET', `/api/v1/housing/settings/${settingId}`);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('Synthetic Route Worker');
    expect((await api(navigator, 'GET', '/api/v1/housing/settings')).status).toBe(403);
    expect((await api(null, 'GET', '/api/v1/housing/settings')).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths['/api/v1/housing/settings']?.get).toBeDefined();
    expect(doc.paths['/api/v1/housing/settings/{id}']?.get).toBeDefined();
  });
});
