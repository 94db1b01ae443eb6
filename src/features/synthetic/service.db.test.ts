import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { runNwd } from '../../../test/cli.ts';
import { openPersonal } from '../cases/core.ts';
import { random, seedSynthetic } from './service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe('synthetic cases', () => {
  it('writes the cases and events asked for, encrypted like real ones, each in a region that holds its county', async () => {
    const now = new Date('2026-11-20T18:00:00Z');
    const summary = await seedSynthetic(
      {
        db: t.deps.db,
        keyring: t.deps.keyring,
        geography: t.deps.geography.get(),
        vocabularies: t.deps.rules.vocabularies,
        calendar: t.deps.rules.calendar,
      },
      { cases: 250, events: 2500, seed: 7, now },
    );
    expect(summary.cases).toBe(250);
    expect(summary.events).toBe(2500);
    const counts = await sql<{ cases: number; events: number; open: number }>`
      select (select count(*)::int from cases) as cases, (select count(*)::int from case_events
               where event not like 'placement.%' and event <> 'shelter_request.sent') as events,
             (select count(*)::int from cases where status = 'open') as open`.execute(t.deps.db);
    expect(counts.rows[0]).toMatchObject({ cases: 250, events: 2500 });
    expect(counts.rows[0]!.open).toBeGreaterThan(100);
    expect(counts.rows[0]!.open).toBeLessThan(250);

    const rows = await t.deps.db.selectFrom('cases').selectAll().limit(40).execute();
    const geo = t.deps.geography.get();
    for (const row of rows) {
      const personal = await openPersonal(t.deps.keyring, row);
      // The stored bytes never hold the name or code word in clear.
      expect(row.personal_encrypted.includes(Buffer.from(personal.chosenName))).toBe(false);
      expect(personal.dateOfBirth === null).toBe(row.duplicate_index === null);
      const membership = geo.membershipsByCounty.get(row.county_fips!)?.find((m) => m.effectiveTo === null);
      expect(membership?.regionId).toBe(row.region_id);
    }
    // Every case has a case number, consecutive per region and year, and the search terms of its name.
    const numbering = await sql<{ gaps: number; unnamed: number }>`
      select (select count(*)::int from (
                select number_region_id, number_year, max(number_seq) - count(*) as gap
                from cases group by number_region_id, number_year) g where gap <> 0) as gaps,
             (select count(*)::int from cases c where not exists (
                select 1 from case_search_terms t where t.case_id = c.id and t.kind = 'chosen_name')) as unnamed`.execute(
      t.deps.db,
    );
    expect(numbering.rows[0]).toEqual({ gaps: 0, unnamed: 0 });

    // Some tasks are overdue, and every event belongs to a case opened before it.
    const overdue = await t.deps.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('due_at', '<', now)
      .where('completed_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(overdue.n)).toBeGreaterThan(0);
    const early = await sql<{ n: number }>`
      select count(*)::int as n from case_events e join cases c on c.id = e.case_id where e.at < c.opened_at`.execute(
      t.deps.db,
    );
    expect(early.rows[0]!.n).toBe(0);
    // Housing: two programs a region, each with its history; its latest update is the program's count.
    expect(summary.availabilityUpdates).toBeGreaterThan(summary.housingPrograms * 5);
    const housing = await sql<{
      programs: number;
      regions: number;
      mismatched: number;
      stale: number;
      clear: number;
    }>`
      select count(*)::int as programs, count(distinct p.region_ids[1])::int as regions,
        count(*) filter (where p.beds_available <> (select u.beds_available from housing_availability_updates u
          where u.program_id = p.id order by u.created_at desc limit 1))::int as mismatched,
        count(*) filter (where p.availability_updated_at < ${new Date(now.getTime() - 24 * 3_600_000)})::int as stale,
        count(*) filter (where position(convert_to('Synthetic Street', 'UTF8') in p.address_encrypted) > 0)::int as clear
      from housing_programs p`.execute(t.deps.db);
    expect(housing.rows[0]).toMatchObject({ programs: summary.housingPrograms, mismatched: 0, clear: 0 });
    expect(housing.rows[0]!.stale).toBeGreaterThan(0);
    expect(housing.rows[0]!.regions).toBeGreaterThanOrEqual(5);
    expect(housing.rows[0]!.programs).toBe(2 * housing.rows[0]!.regions);

    // The evaluation's facts are written for every case, with a spread of doors, exploitation and housing.
    const facts = await sql<{
      youth: number;
      waiting: number;
      doors: number;
      self: number;
      exploitation: number;
      trafficking: number;
      housing: number;
    }>`
      select (select count(*)::int from report_youth) as youth,
        (select count(*)::int from report_stale) as waiting,
        (select count(distinct door)::int from report_youth) as doors,
        (select count(*)::int from report_youth where door = 'youth_self') as self,
        (select count(distinct e)::int from report_youth, unnest(exploitation) e) as exploitation,
        (select count(*)::int from report_youth where 'sex_trafficking' = any(exploitation)) as trafficking,
        (select count(distinct entry_housing)::int from report_youth) as housing`.execute(t.deps.db);
    expect(facts.rows[0]).toMatchObject({ youth: 250, waiting: 0, exploitation: 4 });
    expect(facts.rows[0]!.doors).toBeGreaterThanOrEqual(10);
    expect(facts.rows[0]!.self).toBeGreaterThan(10);
    expect(facts.rows[0]!.self).toBeLessThan(80);
    expect(facts.rows[0]!.trafficking).toBeGreaterThan(20);
    expect(facts.rows[0]!.housing).toBeGreaterThanOrEqual(8);
    const referralFacts = await sql<{ n: number }>`
      select count(*)::int as n from report_referrals`.execute(t.deps.db);
    expect(referralFacts.rows[0]!.n).toBe(
      Number(
        (
          await sql<{ n: number }>`select count(*)::int as n from referrals where status <> 'draft'`.execute(
            t.deps.db,
          )
        ).rows[0]!.n,
      ),
    );
  });

  it('draws the same sequence for the same seed', () => {
    const a = random(42);
    const b = random(42);
    const c = random(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
  });

  it('is refused in production and without --cases', async () => {
    const prod = await runNwd(['seed-synthetic', '--cases', '5'], {
      NODE_ENV: 'production',
      DATABASE_URL: t.database.url,
      NWD_PUBLIC_URL: 'https://nwd.example.org',
    });
    expect(prod.code).not.toBe(0);
    expect(prod.stderr).toMatch(/refused when NODE_ENV=production/);
    const missing = await runNwd(['seed-synthetic'], { DATABASE_URL: t.database.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --cases/);
  });
});
