/**
 * Housing programs through the service: who may describe and update which program, validation that names
 * the field, the confidential address (encrypted, read only by its organization, audited), availability
 * kept as history, stale marking, the bed board's filters and order, and the stale reminder (once per
 * stale period, to the program's organization only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../../test/refusal.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, type TestStaff } from '../../../test/staff.ts';
import { remindStalePrograms } from './jobs.ts';
import {
  bedBoard,
  createProgram,
  housingContext,
  organizationPrograms,
  programDetail,
  updateAvailability,
  updateProgramDetails,
  type HousingContext,
} from './service.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };
const HOUR = 3_600_000;

let t: TestApp;
let ctx: HousingContext;
let provider: TestStaff;
let orgAdmin: TestStaff;
let otherProvider: TestStaff;
let navigator: TestStaff;
let stateAdmin: TestStaff;
let professional: TestStaff;
let orgId: string;

const at = (ms: number) => ({ ...ctx, now: () => new Date(ms) });

const PROGRAM = {
  name: 'Synthetic Harbor House',
  type: 'emergency_shelter',
  minAge: 12,
  maxAge: 17,
  genders: ['female', 'transgender', 'nonbinary'],
  serves: ['lgbtq_affirming'],
  languages: ['English', 'Somali'],
  regionIds: ['west-metro'],
  countyFips: [],
  address: '100 Synthetic Street',
  bedsTotal: 6,
};

const auditActions = async (subjectId: string) =>
  (
    await t.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', subjectId)
      .orderBy('seq')
      .execute()
  ).map((r) => r.action);

beforeAll(async () => {
  t = await testApp();
  ctx = housingContext(t.deps);
  orgId = await addOrganization(t.deps.db, 'Synthetic Shelter', 'shelter_housing');
  const otherOrg = await addOrganization(t.deps.db, 'Synthetic Other Shelter', 'shelter_housing');
  provider = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgId });
  orgAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: orgId });
  otherProvider = await addStaff(t.deps, 'provider_staff', [], { organizationId: otherOrg });
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  stateAdmin = await addStaff(t.deps, 'state_admin');
  professional = await addStaff(t.deps, 'professional');
});
afterAll(async () => {
  await t.close();
});

describe('describing a program', () => {
  it('creates a program of the actor’s organization with its address encrypted, audited', async () => {
    const id = await createProgram(ctx, provider.actor, PROGRAM, ORIGIN);
    const row = await t.deps.db
      .selectFrom('housing_programs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ organization_id: orgId, beds_total: 6, beds_available: null, min_age: 12 });
    expect(row.address_encrypted).not.toBeNull();
    expect(Buffer.from(row.address_encrypted!).toString('utf8')).not.toContain('Synthetic Street');
    expect(await auditActions(id)).toEqual(['housing.program.create']);
    const detail = await programDetail(ctx, orgAdmin.actor, id, ORIGIN);
    expect(detail.address).toBe('100 Synthetic Street');
    expect(await auditActions(id)).toEqual(['housing.program.create', 'housing.program.read']);
  });

  it('refuses input with a message that names the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ minAge: 18, maxAge: 16 }, 'maxAge', /cannot be below the youngest/],
      [{ maxAge: 30 }, 'maxAge', /up to 24/],
      [{ genders: [] }, 'genders', /at least one gender/],
      [{ type: 'hotel' }, 'type', /type of program/],
      [{ regionIds: ['atlantis'] }, 'regionIds', /regions from the list/],
      [{ regionIds: [], countyFips: [] }, 'regionIds', /at least one region or county/],
      [{ countyFips: ['99999'] }, 'countyFips', /counties from the list/],
      [{ name: '   ' }, 'name', /name/],
      [{ bedsTotal: -1 }, 'bedsTotal', /below 0/],
    ];
    for (const [change, field, message] of cases) {
      const error = await refusal(createProgram(ctx, provider.actor, { ...PROGRAM, ...change }, ORIGIN));
      expect([error.code, error.field]).toEqual(['invalid', field]);
      expect(error.message).toMatch(message);
    }
  });

  it('lets only provider staff and organization administrators describe programs, of their own organization', async () => {
    for (const who of [navigator, stateAdmin, professional])
      expect((await refusal(createProgram(ctx, who.actor, PROGRAM, ORIGIN))).code).toBe('forbidden');
    const id = await createProgram(ctx, provider.actor, { ...PROGRAM, name: 'Synthetic Own' }, ORIGIN);
    const hidden = await refusal(updateProgramDetails(ctx, otherProvider.actor, id, PROGRAM, ORIGIN));
    expect(hidden.code).toBe('not_found');
    expect((await refusal(programDetail(ctx, otherProvider.actor, id, ORIGIN))).code).toBe('not_found');
    expect((await organizationPrograms(ctx, otherProvider.actor)).map((p) => p.id)).not.toContain(id);
  });

  it('keeps beds available within a smaller number of beds in all', async () => {
    const id = await createProgram(ctx, provider.actor, { ...PROGRAM, name: 'Synthetic Shrinking' }, ORIGIN);
    await updateAvailability(ctx, provider.actor, id, { available: 5 }, 'page', ORIGIN);
    await updateProgramDetails(ctx, orgAdmin.actor, id, { ...PROGRAM, bedsTotal: 3 }, ORIGIN);
    const [p] = (await organizationPrograms(ctx, provider.actor)).filter((x) => x.id === id);
    expect([p!.bedsAvailable, p!.bedsTotal]).toEqual([3, 3]);
  });
});

describe('updating availability', () => {
  let id: string;
  beforeAll(async () => {
    id = await createProgram(ctx, provider.actor, { ...PROGRAM, name: 'Synthetic Updates' }, ORIGIN);
  });

  it('records each update with its time and keeps the history', async () => {
    const t0 = Date.now() - 5 * HOUR;
    await updateAvailability(at(t0), provider.actor, id, { available: 2 }, 'page', ORIGIN);
    const beds = await updateAvailability(
      at(t0 + HOUR),
      orgAdmin.actor,
      id,
      { available: 1, total: 8 },
      'api',
      ORIGIN,
    );
    expect(beds).toMatchObject({ available: 1, total: 8, updatedAt: new Date(t0 + HOUR) });
    const { history, program } = await programDetail(ctx, provider.actor, id, ORIGIN);
    expect(history.map((h) => [h.beds_available, h.beds_total, h.via, h.updated_by])).toEqual([
      [1, 8, 'api', orgAdmin.id],
      [2, 6, 'page', provider.id],
    ]);
    expect(program).toMatchObject({
      bedsAvailable: 1,
      bedsTotal: 8,
      stale: false,
      freshness: 'updated 4 hours ago',
    });
    expect(await auditActions(id)).toContain('housing.availability.update');
  });

  it('refuses more beds available than beds in all, and another organization’s program', async () => {
    const over = await refusal(updateAvailability(ctx, provider.actor, id, { available: 9 }, 'page', ORIGIN));
    expect([over.code, over.field]).toEqual(['invalid', 'available']);
    expect(over.message).toMatch(/more beds available than the 8 beds/);
    const both = await refusal(
      updateAvailability(ctx, provider.actor, id, { available: 3, total: 2 }, 'api', ORIGIN),
    );
    expect(both.field).toBe('available');
    const none = await refusal(updateAvailability(ctx, provider.actor, id, {}, 'api', ORIGIN));
    expect(none.message).toMatch(/how many beds are available now/);
    expect(
      (await refusal(updateAvailability(ctx, otherProvider.actor, id, { available: 1 }, 'api', ORIGIN))).code,
    ).toBe('not_found');
    expect(
      (await refusal(updateAvailability(ctx, navigator.actor, id, { available: 1 }, 'api', ORIGIN))).code,
    ).toBe('forbidden');
  });

  it('updates a program with types of bed type by type, its counts their sums', async () => {
    const typed = await createProgram(
      ctx,
      provider.actor,
      {
        ...PROGRAM,
        name: 'Synthetic Typed',
        bedsTotal: 0,
        bedTypes: [
          { name: 'Single', total: 4 },
          { name: 'Parenting room', total: 2 },
        ],
      },
      ORIGIN,
    );
    const plain = await refusal(
      updateAvailability(ctx, provider.actor, typed, { available: 1 }, 'api', ORIGIN),
    );
    expect([plain.field, plain.message]).toEqual([
      'bedTypes',
      expect.stringMatching(/Single, Parenting room/),
    ]);
    const wrong = await refusal(
      updateAvailability(
        ctx,
        provider.actor,
        typed,
        { bedTypes: [{ name: 'Bunk', total: 4, available: 1 }] },
        'api',
        ORIGIN,
      ),
    );
    expect(wrong.field).toBe('bedTypes');
    const beds = await updateAvailability(
      ctx,
      provider.actor,
      typed,
      {
        bedTypes: [
          { name: 'parenting room', total: 2, available: 1 },
          { name: 'Single', total: 4, available: 3 },
        ],
      },
      'api',
      ORIGIN,
    );
    expect(beds).toMatchObject({ available: 4, total: 6 });
    expect(beds.bedTypes).toEqual([
      { name: 'Parenting room', total: 2, available: 1 },
      { name: 'Single', total: 4, available: 3 },
    ]);
  });

  it('marks availability stale after the configured hours', async () => {
    const program = async (c: HousingContext) =>
      (await organizationPrograms(c, provider.actor)).find((p) => p.id === id)!;
    const updated = (await program(ctx)).updatedAt!.getTime();
    expect((await program(at(updated + 23 * HOUR))).stale).toBe(false);
    const late = await program(at(updated + 25 * HOUR));
    expect([late.stale, late.freshness]).toEqual([true, 'updated 25 hours ago']);
    expect((await program({ ...at(updated + 25 * HOUR), staleHours: 48 })).stale).toBe(false);
  });
});

describe('the bed board', () => {
  let board: HousingContext;
  const names = async (filter: Parameters<typeof bedBoard>[2], c = board) =>
    (await bedBoard(c, navigator.actor, filter)).map((p) => p.name);

  beforeAll(async () => {
    // A database of its own programs: a fresh test app.
    const now = Date.now();
    board = at(now);
    const add = async (
      name: string,
      change: Record<string, unknown>,
      available: number | null,
      hoursAgo = 1,
    ) => {
      const id = await createProgram(board, provider.actor, { ...PROGRAM, name, ...change }, ORIGIN);
      if (available !== null)
        await updateAvailability(at(now - hoursAgo * HOUR), provider.actor, id, { available }, 'api', ORIGIN);
    };
    await add('Board Full', {}, 0);
    await add('Board Stale Two', {}, 2, 30);
    await add('Board Fresh One', {}, 1);
    await add('Board Fresh Three', { type: 'transitional', minAge: 16, maxAge: 24 }, 3, 2);
    await add('Board Never', {}, null);
    await add('Board Boys Southeast', { genders: ['male'], regionIds: ['southeast'], serves: [] }, 4);
    await add(
      'Board Hennepin Parenting',
      { regionIds: [], countyFips: ['27053'], serves: ['pregnant_parenting'] },
      1,
      3,
    );
  });

  const ours = (list: string[]) => list.filter((n) => n.startsWith('Board '));

  it('puts fresh beds available first, then stale ones, then full programs, then programs never updated', async () => {
    expect(ours(await names({}))).toEqual([
      'Board Boys Southeast',
      'Board Fresh Three',
      'Board Fresh One',
      'Board Hennepin Parenting',
      'Board Stale Two',
      'Board Full',
      'Board Never',
    ]);
  });

  it('filters by age, gender, needs, county or region, type and how soon', async () => {
    expect(ours(await names({ age: 20 }))).toEqual(['Board Fresh Three']);
    expect(ours(await names({ gender: 'male' }))).toEqual(['Board Boys Southeast']);
    expect(ours(await names({ needs: ['pregnant_parenting'] }))).toEqual(['Board Hennepin Parenting']);
    expect(ours(await names({ regionId: 'southeast' }))).toEqual(['Board Boys Southeast']);
    // Hennepin is in West Metro: programs serving the region, and the one serving the county itself.
    expect(
      ours(await names({ county: { fips: '27053', regionId: 'west-metro' }, gender: 'female' })),
    ).toEqual([
      'Board Fresh Three',
      'Board Fresh One',
      'Board Hennepin Parenting',
      'Board Stale Two',
      'Board Full',
      'Board Never',
    ]);
    expect(ours(await names({ types: ['transitional'] }))).toEqual(['Board Fresh Three']);
    expect(ours(await names({ when: 'tonight', gender: 'female' }))).toEqual([
      'Board Fresh Three',
      'Board Fresh One',
      'Board Hennepin Parenting',
      'Board Stale Two',
    ]);
    expect(ours(await names({ language: 'somali', age: 12 }))).toContain('Board Fresh One');
    expect(ours(await names({ language: 'Hmong' }))).toEqual([]);
  });

  it('is for navigators and state administrators only, and never carries an address', async () => {
    const seen = await bedBoard(board, stateAdmin.actor, {});
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain('Synthetic Street');
    for (const who of [provider, orgAdmin, professional])
      expect((await refusal(bedBoard(board, who.actor, {}))).code).toBe('forbidden');
  });
});

describe('the stale reminder', () => {
  it('tells the program’s organization once per stale period, by email and in the app', async () => {
    const app = await testApp();
    try {
      const c = housingContext(app.deps);
      const org = await addOrganization(app.deps.db, 'Synthetic Reminded', 'shelter_housing');
      const staff = await addStaff(app.deps, 'provider_staff', [], { organizationId: org });
      const admin = await addStaff(app.deps, 'org_admin', [], { organizationId: org });
      await addStaff(app.deps, 'provider_staff', [], { organizationId: org, disabled: true });
      const outsider = await addStaff(app.deps, 'provider_staff', [], {
        organizationId: await addOrganization(app.deps.db, 'Synthetic Elsewhere', 'shelter_housing'),
      });
      const t0 = Date.now() - 100 * HOUR;
      const id = await createProgram({ ...c, now: () => new Date(t0) }, staff.actor, PROGRAM, ORIGIN);
      await updateAvailability(
        { ...c, now: () => new Date(t0) },
        staff.actor,
        id,
        { available: 1 },
        'page',
        ORIGIN,
      );
      const deps = { keyring: app.deps.keyring, site: app.deps.site, staleHours: 24 };
      const run = (hours: number) => remindStalePrograms(app.deps.db, deps, new Date(t0 + hours * HOUR));
      const emails = async () =>
        Number(
          (
            await app.deps.db
              .selectFrom('email_outbox')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const notified = async (userId: string) =>
        app.deps.db
          .selectFrom('staff_notifications')
          .select(['kind', 'text', 'link'])
          .where('user_id', '=', userId)
          .execute();

      expect(await run(23)).toEqual({ reminded: 0, notifications: 0 });
      expect(await run(25)).toEqual({ reminded: 1, notifications: 2 });
      expect(await emails()).toBe(2);
      expect(await notified(staff.id)).toEqual([
        {
          kind: 'housing_stale',
          text: 'Beds available for Synthetic Harbor House have not been updated in 24 hours',
          link: `/staff/housing/programs/${id}`,
        },
      ]);
      expect((await notified(admin.id)).length).toBe(1);
      expect(await notified(outsider.id)).toEqual([]);
      // Again within the same stale period: nobody is told twice.
      expect(await run(26)).toEqual({ reminded: 0, notifications: 0 });
      expect(await run(48)).toEqual({ reminded: 0, notifications: 0 });
      // Still not updated a stale period later: told again.
      expect(await run(49.5)).toEqual({ reminded: 1, notifications: 2 });
      expect(await emails()).toBe(4);
      // Updated, then stale again: told when it goes stale, not before.
      await updateAvailability(
        { ...c, now: () => new Date(t0 + 50 * HOUR) },
        staff.actor,
        id,
        { available: 0 },
        'page',
        ORIGIN,
      );
      expect(await run(73)).toEqual({ reminded: 0, notifications: 0 });
      expect(await run(74.5)).toEqual({ reminded: 1, notifications: 2 });
      const audit = await app.deps.db
        .selectFrom('audit_events')
        .select(['action', 'actor_kind'])
        .where('subject_id', '=', id)
        .where('action', '=', 'housing.stale_reminder')
        .execute();
      expect(audit).toHaveLength(3);
      expect(audit[0]!.actor_kind).toBe('system');
    } finally {
      await app.close();
    }
  });

  it('reminds a program never updated once it is older than the stale period', async () => {
    const app = await testApp();
    try {
      const org = await addOrganization(app.deps.db, 'Synthetic Never', 'shelter_housing');
      const staff = await addStaff(app.deps, 'provider_staff', [], { organizationId: org });
      const t0 = Date.now() - 50 * HOUR;
      await createProgram(
        { ...housingContext(app.deps), now: () => new Date(t0) },
        staff.actor,
        PROGRAM,
        ORIGIN,
      );
      const deps = { keyring: app.deps.keyring, site: app.deps.site, staleHours: 24 };
      expect((await remindStalePrograms(app.deps.db, deps, new Date(t0 + 10 * HOUR))).reminded).toBe(0);
      expect((await remindStalePrograms(app.deps.db, deps, new Date(t0 + 25 * HOUR))).reminded).toBe(1);
    } finally {
      await app.close();
    }
  });
});
