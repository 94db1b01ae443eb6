/**
 * Required trainings through the service: the pack's catalogue and 260E.36 rule are loaded; a trainer
 * records only the courses they teach; an organization administrator only for their own organization; a
 * navigator sees the organizations of their regions read-only; compliance counts X203 + X204 as X205;
 * `recordCompletion` finds a person by email or adds them to the roster; the CSV import writes 5,000
 * rows in one go, and with a bad row reports each bad row and writes nothing; catalogue edits are
 * audited; the public check shows initials only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, auditActions, type TestStaff } from '../../../test/staff.ts';
import { ServiceError } from '../../platform/errors.ts';
import { saveCourse, setTrainer } from './catalogue.ts';
import { importCompletions } from './csv-import.ts';
import { remindTrainings } from './jobs.ts';
import {
  addRosterEntry,
  organizationTraining,
  regionCompliance,
  setOrganizationRegions,
  statewideCompliance,
  trainingContext,
  type TrainingContext,
} from './service.ts';
import { recordCompletion, recordCompletionFor, verifyCertificate } from './completions.ts';

const ORIGIN = { ip: '127.0.0.1', userAgent: 'vitest' };

let t: TestApp;
let ctx: TrainingContext;
let countyId: string;
let otherId: string;
let regionId: string;
let orgAdmin: TestStaff;
let otherAdmin: TestStaff;
let trainer: TestStaff;
let navigator: TestStaff;
let farNavigator: TestStaff;
let stateAdmin: TestStaff;
let rosterId: string;

async function refusal(p: Promise<unknown>): Promise<ServiceError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

const completions = async (orgId: string) =>
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
  ctx = { ...trainingContext(t.deps), now: () => new Date('2026-12-01T18:00:00Z') };
  countyId = await addOrganization(t.deps.db, 'Synthetic Training County', 'child_protection');
  otherId = await addOrganization(t.deps.db, 'Synthetic Training Other County', 'child_protection');
  const regions = await t.deps.db.selectFrom('regions').select('id').orderBy('id').execute();
  regionId = regions[0]!.id;
  orgAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: countyId });
  otherAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: otherId });
  trainer = await addStaff(t.deps, 'trainer');
  navigator = await addStaff(t.deps, 'navigator', [regionId]);
  farNavigator = await addStaff(t.deps, 'navigator', [regions[1]!.id]);
  stateAdmin = await addStaff(t.deps, 'state_admin');
  await setOrganizationRegions(ctx, stateAdmin.actor, countyId, { regionIds: [regionId] }, ORIGIN);
  rosterId = await addRosterEntry(
    ctx,
    orgAdmin.actor,
    countyId,
    {
      name: 'Synthetic Worker One',
      email: 'worker.one@example.org',
      role: 'child_protection',
      title: 'Investigator',
      startedOn: '2026-10-01',
    },
    ORIGIN,
  );
});

afterAll(async () => {
  await t?.close();
});

describe('the catalogue from the pack', () => {
  it('holds the 260E.36 courses, X203 + X204 as X205, and the rule with its source', async () => {
    const x205 = await t.deps.db
      .selectFrom('training_courses')
      .selectAll()
      .where('code', '=', 'X205')
      .executeTakeFirstOrThrow();
    expect(x205.equivalents).toEqual([['X203', 'X204']]);
    expect(x205.renewal).toBeNull();
    expect(x205.verified).toBe(false);
    const rule = await t.deps.db
      .selectFrom('training_requirements')
      .selectAll()
      .where('id', '=', 'mn-260e36-child-protection')
      .executeTakeFirstOrThrow();
    expect(rule.course_codes).toEqual(['X205', 'X100']);
    expect(rule.organization_types).toEqual(['child_protection']);
    expect(rule.source).toContain('260E.36');
  });

  it('a trainer edits a course, audited; an organization administrator may not', async () => {
    await saveCourse(
      t.deps.db,
      trainer.actor,
      null,
      {
        code: 'syn-1',
        title: 'Synthetic course',
        provider: 'Synthetic provider',
        format: 'online',
        length: '',
        modules: '',
        requiredBy: '',
        renewal: 'yearly',
        renewalYears: '',
        equivalents: '',
        source: 'Synthetic test',
        verified: 'no',
        note: '',
      },
      ORIGIN,
    );
    expect(await auditActions(t.deps.db, 'SYN-1')).toEqual(['training.course.create']);
    expect((await refusal(saveCourse(t.deps.db, orgAdmin.actor, 'SYN-1', {}, ORIGIN))).code).toBe(
      'forbidden',
    );
    const bad = await refusal(
      saveCourse(
        t.deps.db,
        trainer.actor,
        'SYN-1',
        {
          code: 'SYN-1',
          title: 'Synthetic course',
          provider: 'P',
          format: '',
          length: '',
          modules: '',
          requiredBy: '',
          renewal: 'every_n_years',
          renewalYears: '',
          equivalents: '',
          source: 'S',
          verified: 'no',
          note: '',
        },
        ORIGIN,
      ),
    );
    expect(bad.field).toBe('renewalYears');
  });
});

describe('a later pack import', () => {
  it('keeps a course an administrator edited, and reloads the others', async () => {
    const { importTrainingPack } = await import('./catalogue.ts');
    const { resolve } = await import('node:path');
    const x100 = await t.deps.db
      .selectFrom('training_courses')
      .selectAll()
      .where('code', '=', 'X100')
      .executeTakeFirstOrThrow();
    await saveCourse(
      t.deps.db,
      stateAdmin.actor,
      'X100',
      {
        code: 'X100',
        title: 'Synthetic checked title',
        provider: x100.provider,
        format: 'online',
        length: '',
        modules: '',
        requiredBy: x100.required_by ?? '',
        renewal: '',
        renewalYears: '',
        equivalents: '',
        source: 'Synthetic check with the provider',
        verified: 'yes',
        note: '',
      },
      ORIGIN,
    );
    await t.deps.db
      .updateTable('training_courses')
      .set({ title: 'Synthetic drift' })
      .where('code', '=', 'X204')
      .execute();
    const result = await t.deps.db
      .transaction()
      .execute((trx) => importTrainingPack(trx, resolve('data/mn')));
    expect(result.kept).toEqual(['course:X100']);
    const rows = await t.deps.db
      .selectFrom('training_courses')
      .select(['code', 'title', 'verified', 'format'])
      .where('code', 'in', ['X100', 'X204'])
      .orderBy('code')
      .execute();
    expect(rows[0]).toEqual({
      code: 'X100',
      title: 'Synthetic checked title',
      verified: true,
      format: 'online',
    });
    expect(rows[1]!.title).not.toBe('Synthetic drift');
  });
});

describe('who records what', () => {
  it('a trainer records only the courses they teach', async () => {
    const input = { person: `roster:${rosterId}`, courseCode: 'X203', completedOn: '2026-11-02' };
    expect((await refusal(recordCompletionFor(ctx, trainer.actor, countyId, input, ORIGIN))).code).toBe(
      'forbidden',
    );
    await setTrainer(t.deps.db, stateAdmin.actor, 'X203', { userId: trainer.id }, true, ORIGIN);
    const id = await recordCompletionFor(ctx, trainer.actor, countyId, input, ORIGIN);
    const row = await t.deps.db
      .selectFrom('training_completions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'trainer', course_code: 'X203', initials: 'S. W. O.' });
  });

  it('an organization administrator records for their own organization only', async () => {
    const input = { person: `roster:${rosterId}`, courseCode: 'X204', completedOn: '2026-11-20' };
    expect((await refusal(recordCompletionFor(ctx, otherAdmin.actor, countyId, input, ORIGIN))).code).toBe(
      'not_found',
    );
    await recordCompletionFor(ctx, orgAdmin.actor, countyId, input, ORIGIN);
    expect(
      (
        await refusal(
          addRosterEntry(
            ctx,
            otherAdmin.actor,
            countyId,
            { name: 'X', email: '', role: 'professional', title: '', startedOn: '' },
            ORIGIN,
          ),
        )
      ).code,
    ).toBe('not_found');
  });

  it('X203 then X204 make the worker complete; the page shows names and audits the read', async () => {
    const page = await organizationTraining(ctx, orgAdmin.actor, countyId, ORIGIN);
    const worker = page.people.find((p) => p.id === rosterId)!;
    expect(worker.name).toBe('Synthetic Worker One');
    expect(worker.states).toEqual([
      { requirementId: 'mn-260e36-child-protection', state: 'complete', dueOn: null },
    ]);
    // The administrator has no training: started 2026-12-01, 90 days by default.
    const admin = page.people.find((p) => p.id === orgAdmin.id)!;
    expect(admin.states[0]?.state).toBe('never_started');
    expect(await auditActions(t.deps.db, countyId)).toContain('training.people.read');
  });

  it('a navigator sees the organizations of their regions, not others, and records nothing', async () => {
    const region = await regionCompliance(ctx, navigator.actor, regionId);
    expect(region.organizations.map((o) => o.id)).toEqual([countyId]);
    expect(region.counts.complete).toBe(1);
    const page = await organizationTraining(ctx, navigator.actor, countyId, ORIGIN);
    expect(page.showsStates).toBe(true);
    expect(page.recordable).toEqual([]);
    expect(page.keepsRoster).toBe(false);
    expect((await refusal(organizationTraining(ctx, farNavigator.actor, countyId, ORIGIN))).code).toBe(
      'not_found',
    );
    expect((await refusal(regionCompliance(ctx, farNavigator.actor, regionId))).code).toBe('not_found');
    const input = { person: `roster:${rosterId}`, courseCode: 'X205', completedOn: '2026-11-20' };
    expect((await refusal(recordCompletionFor(ctx, navigator.actor, countyId, input, ORIGIN))).code).toBe(
      'forbidden',
    );
    expect((await refusal(statewideCompliance(ctx, navigator.actor))).code).toBe('forbidden');
  });

  it('the statewide view lists every organization, furthest behind first', async () => {
    const state = await statewideCompliance(ctx, stateAdmin.actor);
    expect(state.organizations.some((o) => o.id === countyId)).toBe(true);
    const behind = state.organizations.map((o) => o.behind);
    expect([...behind].sort((a, b) => b - a)).toEqual(behind);
  });
});

describe('recordCompletion (event attendance)', () => {
  it('matches a roster entry by email, else adds one; a second call writes nothing more', async () => {
    const first = await t.deps.db.transaction().execute((trx) =>
      recordCompletion(trx, t.deps.keyring, {
        organizationId: countyId,
        email: 'WORKER.ONE@example.org',
        name: 'Synthetic Worker One',
        courseCode: 'x100',
        completedOn: '2026-11-25',
        source: 'event',
      }),
    );
    expect(first).toMatchObject({ personId: rosterId, rosterAdded: false });
    expect(first.completionId).not.toBeNull();
    const fresh = await t.deps.db.transaction().execute((trx) =>
      recordCompletion(trx, t.deps.keyring, {
        organizationId: countyId,
        email: 'new.person@example.org',
        name: 'Synthetic New Person',
        courseCode: 'X205',
        completedOn: '2026-11-25',
        source: 'event',
      }),
    );
    expect(fresh.rosterAdded).toBe(true);
    const again = await t.deps.db.transaction().execute((trx) =>
      recordCompletion(trx, t.deps.keyring, {
        organizationId: countyId,
        email: 'new.person@example.org',
        name: 'Synthetic New Person',
        courseCode: 'X205',
        completedOn: '2026-11-25',
        source: 'event',
      }),
    );
    expect(again).toMatchObject({ personId: fresh.personId, rosterAdded: false, completionId: null });
  });
});

describe('CSV import', () => {
  it('reports every bad row with its line and writes nothing', async () => {
    const before = await completions(otherId);
    const csv = [
      'email,course_code,completed_on,name',
      'a.one@example.org,X205,2026-11-01,Synthetic A One',
      'not-an-email,X205,2026-11-01,Synthetic B',
      'c.three@example.org,NOPE,2026-11-01,Synthetic C',
      'd.four@example.org,X100,2026-13-01,Synthetic D',
      'e.five@example.org,X100,2026-11-01,',
      'f.six@example.org,X100,2027-11-01,Synthetic F',
    ].join('\n');
    const out = await importCompletions(ctx, otherAdmin.actor, otherId, csv, ORIGIN);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7]);
    expect(out.problems[1]!.message).toContain('NOPE');
    expect(await completions(otherId)).toBe(before);
    const roster = await t.deps.db
      .selectFrom('training_roster')
      .select('id')
      .where('organization_id', '=', otherId)
      .execute();
    expect(roster).toEqual([]);
  });

  it('a trainer and another organization may not import', async () => {
    expect(
      (await refusal(importCompletions(ctx, trainer.actor, otherId, 'email,course,date\n', ORIGIN))).code,
    ).toBe('not_found');
    expect(
      (await refusal(importCompletions(ctx, orgAdmin.actor, otherId, 'email,course,date\n', ORIGIN))).code,
    ).toBe('not_found');
  });

  it('imports 5,000 rows in one transaction, adding people to the roster and certificates to each', async () => {
    const lines = ['Email,Course Code,Completed On,Name'];
    for (let i = 0; i < 5000; i++) {
      const person = i % 2500;
      lines.push(
        `person${person}@example.org,${i < 2500 ? 'X203' : 'X204'},2026-10-${String((i % 28) + 1).padStart(2, '0')},Synthetic Person ${person}`,
      );
    }
    const out = await importCompletions(ctx, otherAdmin.actor, otherId, `${lines.join('\r\n')}\r\n`, ORIGIN);
    expect(out).toEqual({ ok: true, rows: 5000, recorded: 5000, already: 0, rosterAdded: 2500 });
    expect(await completions(otherId)).toBe(5000);
    const codes = await t.deps.db
      .selectFrom('training_completions')
      .select(['certificate_code', 'initials', 'source'])
      .where('organization_id', '=', otherId)
      .execute();
    expect(new Set(codes.map((c) => c.certificate_code)).size).toBe(5000);
    expect(codes.every((c) => c.source === 'import' && c.initials === 'S. P.')).toBe(true);
    // X203 + X204 for everyone: the whole organization is complete.
    const state = await statewideCompliance(ctx, stateAdmin.actor);
    const other = state.organizations.find((o) => o.id === otherId)!;
    expect(other.counts.complete).toBe(2500);
    // The same file again records nothing twice.
    const again = await importCompletions(ctx, otherAdmin.actor, otherId, lines.join('\n'), ORIGIN);
    expect(again).toEqual({ ok: true, rows: 5000, recorded: 0, already: 5000, rosterAdded: 0 });
  }, 120_000);
});

describe('the public certificate check', () => {
  it('gives initials, course and date only', async () => {
    const row = await t.deps.db
      .selectFrom('training_completions')
      .select('certificate_code')
      .where('roster_id', '=', rosterId)
      .executeTakeFirstOrThrow();
    const shown = await verifyCertificate(t.deps.db, row.certificate_code.toLowerCase());
    expect(shown).toMatchObject({ initials: 'S. W. O.' });
    expect(JSON.stringify(shown)).not.toContain('Synthetic');
    expect(await verifyCertificate(t.deps.db, 'NWD-AAAAA-AAAAA')).toBeNull();
  });
});

describe('reminders', () => {
  it('tell a person and their administrators once per due state, not on every run', async () => {
    const orgId = await addOrganization(t.deps.db, 'Synthetic Reminder County', 'child_protection');
    const admin = await addStaff(t.deps, 'org_admin', [], { organizationId: orgId });
    const worker = await addStaff(t.deps, 'child_protection', [], { organizationId: orgId });
    const deps = { keyring: t.deps.keyring, site: t.deps.site, timezone: 'America/Chicago', dueDays: 90 };
    const outbox = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('staff_notifications')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('user_id', 'in', [admin.id, worker.id])
            .executeTakeFirstOrThrow()
        ).n,
      );
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('training_reminders')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('person_id', 'in', [admin.id, worker.id])
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Both accounts start today: due in 90 days, nothing to say yet.
    const now = new Date();
    await remindTrainings(t.deps.db, deps, now);
    expect(await count()).toBe(0);
    // 70 days later both are due within 30 days: each is told (in the app and by email), and the
    // administrator once more for the organization.
    const before = await outbox();
    const due = new Date(now.getTime() + 70 * 86_400_000);
    await remindTrainings(t.deps.db, deps, due);
    expect(await count()).toBe(2);
    expect((await outbox()) - before).toBe(3);
    await remindTrainings(t.deps.db, deps, new Date(due.getTime() + 86_400_000));
    expect((await outbox()) - before).toBe(3);
    // Overdue is a new state: told again, once.
    const overdue = new Date(now.getTime() + 100 * 86_400_000);
    await remindTrainings(t.deps.db, deps, overdue);
    await remindTrainings(t.deps.db, deps, overdue);
    expect(await count()).toBe(4);
    expect((await outbox()) - before).toBe(6);
  });
});

describe('nwd training import-completions', () => {
  it('imports a file as a named administrator, and lists bad rows without writing', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { trainingCommand } = await import('./cli.ts');
    const dir = mkdtempSync(join(tmpdir(), 'nwd-training-'));
    const good = join(dir, 'good.csv');
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      good,
      'email,course code,completed on,name\ncli.person@example.org,X205,2026-11-03,Synthetic Cli Person\n',
    );
    writeFileSync(bad, 'email,course code,completed on\ncli.person@example.org,X205,03/11/2026\n');
    const args = (file: string) => [
      'import-completions',
      '--org',
      countyId,
      '--file',
      file,
      '--as',
      orgAdmin.email,
    ];
    const before = await completions(countyId);
    const refused = await trainingCommand(ctx, args(bad));
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain('Nothing was imported');
    expect(refused.text).toContain('line 2: The date is not a date like 2026-03-31.');
    expect(await completions(countyId)).toBe(before);
    expect((await trainingCommand(ctx, args(good))).text).toBe(
      'Imported 1 rows: 1 completions recorded, 0 already on record, 1 people added to the roster.',
    );
    expect(await completions(countyId)).toBe(before + 1);
    await expect(trainingCommand(ctx, ['import-completions', '--org', 'x'])).rejects.toThrow(
      /Give --org, --file and --as/,
    );
    await expect(trainingCommand(ctx, [...args(good).slice(0, 5), '--as', otherAdmin.email])).rejects.toThrow(
      /administrators import its completions/,
    );
  });
});

describe('requirements', () => {
  it('a trainer adds a rule by organization type and days after the start; it binds, is audited, and can be retired', async () => {
    const { saveRequirement } = await import('./catalogue.ts');
    const clinic = await addOrganization(t.deps.db, 'Synthetic Rule Clinic', 'health_care');
    const clinicAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: clinic });
    const rule = {
      id: 'synthetic-clinic-rule',
      title: 'Synthetic clinic training',
      courseCodes: 'x100',
      roles: [],
      organizationTypes: ['health_care'],
      withinDays: '30',
      source: 'Synthetic test rule',
      verified: 'no',
      note: '',
    };
    const wrong = await refusal(
      saveRequirement(t.deps.db, trainer.actor, null, { ...rule, courseCodes: 'X999' }, ORIGIN),
    );
    expect(wrong).toMatchObject({ code: 'invalid', field: 'courseCodes' });
    expect((await refusal(saveRequirement(t.deps.db, clinicAdmin.actor, null, rule, ORIGIN))).code).toBe(
      'forbidden',
    );
    await saveRequirement(t.deps.db, trainer.actor, null, rule, ORIGIN);
    expect(await auditActions(t.deps.db, 'synthetic-clinic-rule')).toEqual(['training.requirement.create']);
    // The administrator's account starts today: due in 30 days.
    const live = { ...ctx, now: () => new Date() };
    const page = await organizationTraining(live, clinicAdmin.actor, clinic, ORIGIN);
    expect(page.people[0]!.states.map((s) => [s.requirementId, s.state])).toEqual([
      ['synthetic-clinic-rule', 'due'],
    ]);
    await saveRequirement(
      t.deps.db,
      stateAdmin.actor,
      'synthetic-clinic-rule',
      { ...rule, retired: 'yes' },
      ORIGIN,
    );
    const after = await organizationTraining(live, clinicAdmin.actor, clinic, ORIGIN);
    expect(after.people[0]!.states).toEqual([]);
  });
});
