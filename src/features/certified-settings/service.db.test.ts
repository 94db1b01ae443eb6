/**
 * Certified settings through the service: only state administrators record and change a certification;
 * the setting's organization sees its settings and keeps its staff list (names encrypted, reads audited),
 * another organization's setting is answered as not found and a navigator is refused; expired follows
 * from the date and untrained staff become overdue; validation names the field with no partial write;
 * the expiry reminder goes 60 and 30 days before, each once per expiry date, to the organization's
 * administrators and the state administrators only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../../test/refusal.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, auditActions, type TestStaff } from '../../../test/staff.ts';
import { remindExpiringSettings } from './jobs.ts';
import {
  addStaffMember,
  createSetting,
  listSettings,
  removeStaffMember,
  settingDetail,
  settingsContext,
  updateCertification,
  updateStaffMember,
  type SettingsContext,
} from './service.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };
/** Noon UTC: the same calendar day in Minnesota. */
const noon = (date: string) => new Date(`${date}T12:00:00Z`);

let t: TestApp;
let ctx: SettingsContext;
let orgId: string;
let otherOrgId: string;
let provider: TestStaff;
let orgAdmin: TestStaff;
let otherProvider: TestStaff;
let otherAdmin: TestStaff;
let navigator: TestStaff;
let stateAdmin: TestStaff;

const on = (date: string): SettingsContext => ({ ...ctx, now: () => noon(date) });

const SETTING = {
  name: 'Synthetic Certified House',
  licenseNumber: 'SYN-L-1001',
  certificationNumber: 'SYN-C-2001',
  certifiedOn: '2026-04-01',
  expiresOn: '2027-03-31',
  status: 'certified',
  notes: 'Synthetic note: site visit planned.',
};

const count = async (table: 'certified_settings' | 'certified_setting_staff') =>
  Number(
    (
      await t.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await testApp();
  ctx = settingsContext(t.deps);
  orgId = await addOrganization(t.deps.db, 'Synthetic Settings Shelter', 'shelter_housing');
  otherOrgId = await addOrganization(t.deps.db, 'Synthetic Settings Other', 'shelter_housing');
  provider = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgId });
  orgAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: orgId });
  otherProvider = await addStaff(t.deps, 'provider_staff', [], { organizationId: otherOrgId });
  otherAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: otherOrgId });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  stateAdmin = await addStaff(t.deps, 'state_admin');
});
afterAll(async () => {
  await t.close();
});

describe('recording a certification', () => {
  it('lets a state administrator add a setting, notes encrypted, audited', async () => {
    const id = await createSetting(ctx, stateAdmin.actor, { ...SETTING, organizationId: orgId }, ORIGIN);
    const row = await t.deps.db
      .selectFrom('certified_settings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organization_id: orgId,
      license_number: 'SYN-L-1001',
      expires_on: '2027-03-31',
      status: 'certified',
    });
    expect(Buffer.from(row.notes_encrypted!).toString('utf8')).not.toContain('site visit');
    expect(await auditActions(t.deps.db, id)).toEqual(['housing.setting.create']);
  });

  it('refuses everyone else, and a navigator outright', async () => {
    for (const who of [provider, orgAdmin, navigator]) {
      const error = await refusal(
        createSetting(ctx, who.actor, { ...SETTING, organizationId: orgId }, ORIGIN),
      );
      expect(error.code).toBe('forbidden');
    }
  });

  it('refuses input with a message that names the field, writing nothing', async () => {
    const before = await count('certified_settings');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ organizationId: 'nope' }, 'organizationId', /organization/],
      [{ organizationId: '00000000-0000-4000-8000-000000000000' }, 'organizationId', /organization/],
      [{ name: '  ' }, 'name', /name/],
      [{ licenseNumber: '' }, 'licenseNumber', /license number/],
      [{ certificationNumber: 'x'.repeat(61) }, 'certificationNumber', /60 characters/],
      [{ certifiedOn: '2027-02-30' }, 'certifiedOn', /real date/],
      [{ expiresOn: '2026-03-01' }, 'expiresOn', /after the date it was certified/],
      [{ status: 'expired' }, 'status', /status/],
      [{ programId: '00000000-0000-4000-8000-000000000000' }, 'programId', /housing programs/],
    ];
    for (const [change, field, message] of cases) {
      const error = await refusal(
        createSetting(ctx, stateAdmin.actor, { ...SETTING, organizationId: orgId, ...change }, ORIGIN),
      );
      expect([error.code, error.field], JSON.stringify(change)).toEqual(['invalid', field]);
      expect(error.message).toMatch(message);
    }
    expect(await count('certified_settings')).toBe(before);
  });

  it('lets only a state administrator change the certification; a new expiry date is audited', async () => {
    const id = await createSetting(ctx, stateAdmin.actor, { ...SETTING, organizationId: orgId }, ORIGIN);
    for (const who of [provider, orgAdmin, navigator])
      expect(
        (await refusal(updateCertification(ctx, who.actor, id, { ...SETTING, status: 'revoked' }, ORIGIN)))
          .code,
      ).toBe('forbidden');
    await updateCertification(
      ctx,
      stateAdmin.actor,
      id,
      { ...SETTING, status: 'renewal_pending', expiresOn: '2028-03-31', notes: '' },
      ORIGIN,
    );
    const detail = await settingDetail(on('2027-01-15'), orgAdmin.actor, id, ORIGIN);
    expect(detail.setting).toMatchObject({ status: 'renewal_pending', expiresOn: '2028-03-31' });
    expect(detail.notes).toBeNull();
    expect(await auditActions(t.deps.db, id)).toEqual(['housing.setting.create', 'housing.setting.update']);
    const error = await refusal(
      updateCertification(ctx, stateAdmin.actor, id, { ...SETTING, expiresOn: 'soon' }, ORIGIN),
    );
    expect([error.code, error.field]).toEqual(['invalid', 'expiresOn']);
  });
});

describe('seeing settings', () => {
  let id: string;
  beforeAll(async () => {
    id = await createSetting(
      ctx,
      stateAdmin.actor,
      { ...SETTING, name: 'Synthetic Seen House', organizationId: orgId },
      ORIGIN,
    );
  });

  it('shows the organization its own settings, the state every one, expired after the date', async () => {
    const other = await createSetting(
      ctx,
      stateAdmin.actor,
      { ...SETTING, name: 'Synthetic Elsewhere', organizationId: otherOrgId },
      ORIGIN,
    );
    const mine = await listSettings(on('2027-04-01'), provider.actor);
    expect(mine.map((s) => s.id)).toContain(id);
    expect(mine.map((s) => s.id)).not.toContain(other);
    expect(mine.find((s) => s.id === id)).toMatchObject({ status: 'expired', daysToExpiry: -1 });
    const all = await listSettings(on('2027-03-01'), stateAdmin.actor);
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([id, other]));
    expect(all.find((s) => s.id === id)).toMatchObject({ status: 'certified', daysToExpiry: 30 });
  });

  it('answers another organization’s setting as not found, and refuses a navigator', async () => {
    expect((await refusal(settingDetail(ctx, otherProvider.actor, id, ORIGIN))).code).toBe('not_found');
    expect((await refusal(settingDetail(ctx, otherAdmin.actor, id, ORIGIN))).code).toBe('not_found');
    expect((await refusal(settingDetail(ctx, navigator.actor, id, ORIGIN))).code).toBe('forbidden');
    expect((await refusal(listSettings(ctx, navigator.actor))).code).toBe('forbidden');
    expect((await refusal(settingDetail(ctx, provider.actor, 'not-an-id', ORIGIN))).code).toBe('not_found');
  });
});

describe('direct-contact staff', () => {
  let id: string;
  beforeAll(async () => {
    id = await createSetting(
      ctx,
      stateAdmin.actor,
      { ...SETTING, name: 'Synthetic Staffed House', organizationId: orgId },
      ORIGIN,
    );
  });

  it('lets the organization keep its list, names encrypted, training overdue after the days', async () => {
    const first = await addStaffMember(
      on('2027-01-15'),
      provider.actor,
      id,
      { name: 'Synthetic Worker One', roleTitle: 'Youth worker', startedOn: '2026-12-01' },
      ORIGIN,
    );
    await addStaffMember(
      on('2027-01-15'),
      orgAdmin.actor,
      id,
      {
        name: 'Synthetic Worker Two',
        roleTitle: 'Night staff',
        startedOn: '2026-11-01',
        trainedOn: '2026-11-20',
      },
      ORIGIN,
    );
    await addStaffMember(
      on('2027-01-15'),
      provider.actor,
      id,
      { name: 'Synthetic Worker Three', roleTitle: 'Case manager', startedOn: '2027-01-10', trainedOn: '' },
      ORIGIN,
    );
    const sealed = await t.deps.db
      .selectFrom('certified_setting_staff')
      .select('name_encrypted')
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(sealed.name_encrypted).toString('utf8')).not.toContain('Synthetic Worker');

    const detail = await settingDetail(on('2027-01-15'), orgAdmin.actor, id, ORIGIN);
    expect(detail.setting.staff).toEqual({ total: 3, trained: 1, overdue: 1 });
    expect(detail.staffMembers.map((m) => [m.name, m.training])).toEqual([
      ['Synthetic Worker Two', 'trained'],
      ['Synthetic Worker One', 'overdue'],
      ['Synthetic Worker Three', 'not_yet'],
    ]);
    // With a longer allowance the same person is not overdue yet.
    const longer = await settingDetail({ ...on('2027-01-15'), trainingDays: 60 }, orgAdmin.actor, id, ORIGIN);
    expect(longer.setting.staff.overdue).toBe(0);
    // The state sees the list too.
    expect((await settingDetail(ctx, stateAdmin.actor, id, ORIGIN)).staffMembers).toHaveLength(3);

    await updateStaffMember(
      on('2027-01-15'),
      provider.actor,
      id,
      first,
      {
        name: 'Synthetic Worker One',
        roleTitle: 'Youth worker',
        startedOn: '2026-12-01',
        trainedOn: '2027-01-14',
      },
      ORIGIN,
    );
    expect((await settingDetail(on('2027-01-15'), orgAdmin.actor, id, ORIGIN)).setting.staff).toEqual({
      total: 3,
      trained: 2,
      overdue: 0,
    });
    await removeStaffMember(ctx, orgAdmin.actor, id, first, ORIGIN);
    expect((await settingDetail(ctx, orgAdmin.actor, id, ORIGIN)).setting.staff.total).toBe(2);
    const actions = await auditActions(t.deps.db, id);
    expect(actions.filter((a) => a.startsWith('housing.setting.staff'))).toEqual([
      'housing.setting.staff.add',
      'housing.setting.staff.add',
      'housing.setting.staff.add',
      'housing.setting.staff.update',
      'housing.setting.staff.remove',
    ]);
    expect(actions).toContain('housing.setting.read');
  });

  it('refuses staff changes from the state, another organization and a navigator', async () => {
    const person = { name: 'Synthetic Worker', roleTitle: 'Youth worker', startedOn: '2027-01-01' };
    expect((await refusal(addStaffMember(ctx, stateAdmin.actor, id, person, ORIGIN))).code).toBe('forbidden');
    expect((await refusal(addStaffMember(ctx, navigator.actor, id, person, ORIGIN))).code).toBe('forbidden');
    expect((await refusal(addStaffMember(ctx, otherProvider.actor, id, person, ORIGIN))).code).toBe(
      'not_found',
    );
    const mine = await addStaffMember(ctx, provider.actor, id, person, ORIGIN);
    expect((await refusal(removeStaffMember(ctx, otherAdmin.actor, id, mine, ORIGIN))).code).toBe(
      'not_found',
    );
    expect((await refusal(removeStaffMember(ctx, provider.actor, id, 'nope', ORIGIN))).code).toBe(
      'not_found',
    );
  });

  it('refuses staff input with a message that names the field, writing nothing', async () => {
    const before = await count('certified_setting_staff');
    const person = { name: 'Synthetic Worker', roleTitle: 'Youth worker', startedOn: '2027-01-01' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: '' }, 'name', /name/],
      [{ roleTitle: ' ' }, 'roleTitle', /role or title/],
      [{ startedOn: '' }, 'startedOn', /started/],
      [{ startedOn: '2027-04-31' }, 'startedOn', /real date/],
      [{ trainedOn: '2027-01-20' }, 'trainedOn', /future/],
    ];
    for (const [change, field, message] of cases) {
      const error = await refusal(
        addStaffMember(on('2027-01-15'), provider.actor, id, { ...person, ...change }, ORIGIN),
      );
      expect([error.code, error.field], JSON.stringify(change)).toEqual(['invalid', field]);
      expect(error.message).toMatch(message);
    }
    expect(await count('certified_setting_staff')).toBe(before);
  });
});

describe('the expiry reminder', () => {
  it('tells the organization’s administrators and the state 60 and 30 days before, once each per expiry date', async () => {
    const app = await testApp();
    try {
      const c = settingsContext(app.deps);
      const org = await addOrganization(app.deps.db, 'Synthetic Reminder Shelter', 'shelter_housing');
      const admin = await addStaff(app.deps, 'org_admin', [], { organizationId: org });
      const staff = await addStaff(app.deps, 'provider_staff', [], { organizationId: org });
      const outsider = await addStaff(app.deps, 'org_admin', [], {
        organizationId: await addOrganization(app.deps.db, 'Synthetic Reminder Other', 'shelter_housing'),
      });
      const state = await addStaff(app.deps, 'state_admin');
      const id = await createSetting(c, state.actor, { ...SETTING, organizationId: org }, ORIGIN);
      const deps = { keyring: app.deps.keyring, site: app.deps.site, timezone: c.timezone };
      const run = (date: string) => remindExpiringSettings(app.deps.db, deps, noon(date));
      const notified = (userId: string) =>
        app.deps.db
          .selectFrom('staff_notifications')
          .select(['kind', 'text', 'link'])
          .where('user_id', '=', userId)
          .orderBy('created_at')
          .execute();
      const emails = async () =>
        Number(
          (
            await app.deps.db
              .selectFrom('email_outbox')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );

      expect(await run('2027-01-29')).toEqual({ reminded: 0, notifications: 0 }); // 61 days before
      expect(await run('2027-01-30')).toEqual({ reminded: 1, notifications: 2 }); // 60 days before
      expect(await emails()).toBe(2);
      expect(await notified(admin.id)).toEqual([
        {
          kind: 'setting_expiry',
          text: 'The certification of Synthetic Certified House expires on March 31, 2027, in 60 days. Plan its renewal.',
          link: `/staff/housing/settings/${id}`,
        },
      ]);
      expect(await run('2027-01-30')).toEqual({ reminded: 0, notifications: 0 });
      expect(await run('2027-02-15')).toEqual({ reminded: 0, notifications: 0 });
      expect(await run('2027-03-01')).toEqual({ reminded: 1, notifications: 2 }); // 30 days before
      expect(await run('2027-03-20')).toEqual({ reminded: 0, notifications: 0 });
      expect((await notified(state.id)).map((n) => n.text)).toEqual([
        expect.stringContaining('in 60 days'),
        expect.stringContaining('in 30 days'),
      ]);
      expect(await notified(staff.id)).toEqual([]);
      expect(await notified(outsider.id)).toEqual([]);
      expect(await emails()).toBe(4);

      // Renewed with a new expiry date: the reminders start again.
      await updateCertification(c, state.actor, id, { ...SETTING, expiresOn: '2028-03-31' }, ORIGIN);
      // Two runs at once (two instances): one of them tells, the other finds it done.
      const both = await Promise.all([run('2028-01-31'), run('2028-01-31')]);
      expect(both.map((r) => r.reminded).sort()).toEqual([0, 1]);
      expect(await run('2028-03-01')).toEqual({ reminded: 1, notifications: 2 });
      expect(await run('2028-03-02')).toEqual({ reminded: 0, notifications: 0 });
      // Revoked: no reminder.
      const revoked = await createSetting(
        c,
        state.actor,
        { ...SETTING, status: 'revoked', expiresOn: '2028-04-30', organizationId: org },
        ORIGIN,
      );
      expect(await run('2028-04-01')).toEqual({ reminded: 0, notifications: 0 });
      expect(await auditActions(app.deps.db, id)).toEqual([
        'housing.setting.create',
        'housing.setting.expiry_reminder',
        'housing.setting.expiry_reminder',
        'housing.setting.update',
        'housing.setting.expiry_reminder',
        'housing.setting.expiry_reminder',
      ]);
      expect(await auditActions(app.deps.db, revoked)).toEqual(['housing.setting.create']);
    } finally {
      await app.close();
    }
  });
});
