import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { seedSynthetic, type SyntheticSummary } from '../synthetic/service.ts';
import { AGE_BANDS } from './rules.ts';

let t: TestApp;
let summary: SyntheticSummary;
const now = new Date('2026-11-20T18:00:00Z');

beforeAll(async () => {
  t = await testApp();
  summary = await seedSynthetic(
    {
      db: t.deps.db,
      keyring: t.deps.keyring,
      geography: t.deps.geography.get(),
      vocabularies: t.deps.rules.vocabularies,
    },
    { cases: 300, events: 600, seed: 11, now, housingPrograms: 40, shelterRequests: 600 },
  );
});
afterAll(async () => {
  await t.close();
});

const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(t.deps.db)).rows[0]!;

describe('synthetic shelter requests', () => {
  it('writes the requests asked for, all closed in the past, placed or withdrawn with a reason', async () => {
    expect(summary.housingPrograms).toBe(40);
    expect(summary.shelter.requests).toBe(600);
    const r = await one(sql<{
      n: number;
      open: number;
      placed: number;
      unmet: number;
      elsewhere: number;
      future: number;
      inverted: number;
      placedWithReason: number;
    }>`
      select count(*)::int as n,
             count(*) filter (where status = 'open')::int as open,
             count(*) filter (where status = 'placed')::int as placed,
             count(*) filter (where close_reason = 'no_bed_found')::int as unmet,
             count(*) filter (where close_reason in ('found_elsewhere', 'no_longer_needed'))::int as elsewhere,
             count(*) filter (where closed_at > ${now} or created_at > ${now})::int as future,
             count(*) filter (where closed_at < created_at)::int as inverted,
             count(*) filter (where status = 'placed' and (close_reason is not null or confirmed_offer_id is null))::int
               as "placedWithReason"
        from shelter_requests`);
    expect(r.n).toBe(600);
    expect(r).toMatchObject({ open: 0, future: 0, inverted: 0, placedWithReason: 0 });
    expect(r.unmet).toBe(summary.shelter.unmet);
    // Plausible shares: most are placed, some are unmet, some found a bed another way.
    expect(r.placed).toBeGreaterThan(r.n * 0.3);
    expect(r.unmet).toBeGreaterThan(r.n * 0.03);
    expect(r.unmet).toBeLessThan(r.n * 0.6);
    expect(r.elsewhere).toBeGreaterThan(0);
  });

  it('asks only programs that fit the request, by the bed board’s rules and the age band', async () => {
    const rows = await sql<{
      age_band: string;
      gender: string;
      needs: string[];
      region_id: string;
      county_fips: string;
      case_age: string;
      min_age: number;
      max_age: number;
      genders: string[];
      serves: string[];
      region_ids: string[];
      p_counties: string[];
    }>`
      select r.age_band, r.gender, r.needs, r.region_id, r.county_fips, c.age_band as case_age,
             p.min_age, p.max_age, p.genders, p.serves, p.region_ids, p.county_fips as p_counties
        from shelter_offers o join shelter_requests r on r.id = o.request_id
        join housing_programs p on p.id = o.program_id join cases c on c.id = r.case_id`.execute(t.deps.db);
    expect(rows.rows.length).toBe(summary.shelter.offers);
    expect(rows.rows.length).toBeGreaterThan(600);
    for (const x of rows.rows) {
      const band = AGE_BANDS[x.age_band as keyof typeof AGE_BANDS];
      expect(band.min <= x.max_age && band.max >= x.min_age).toBe(true);
      expect(x.genders).toContain(x.gender);
      for (const need of x.needs) expect(x.serves).toContain(need);
      expect(x.region_ids.includes(x.region_id) || x.p_counties.includes(x.county_fips)).toBe(true);
      // The band comes from the case's own (under 18, or 18 to 24): never an age or a birth date.
      expect(band.max < 18).toBe(x.case_age === 'under18');
    }
  });

  it('answers mostly within minutes, with reasons, some holds running out, and escalates the slow ones', async () => {
    const a = await one(sql<{
      medianMinutes: number;
      declinedNoReason: number;
      reasons: number;
      expired: number;
      holding: number;
      waiting: number;
      badEscalation: number;
      answeredAfterClose: number;
    }>`
      with first as (
        select r.id, r.created_at, r.escalated_at, min(o.answered_at) as first_at, count(o.id) as asked
          from shelter_requests r left join shelter_offers o on o.request_id = r.id group by r.id)
      select (select percentile_cont(0.5) within group (order by extract(epoch from first_at - created_at) / 60)
                from first where first_at is not null)::float as "medianMinutes",
             (select count(*) from shelter_offers where status = 'declined' and decline_reason is null)::int
               as "declinedNoReason",
             (select count(distinct decline_reason) from shelter_offers)::int as reasons,
             (select count(*) from shelter_offers where status = 'expired')::int as expired,
             (select count(*) from shelter_offers where status = 'holding')::int as holding,
             (select count(*) from shelter_offers where status = 'waiting')::int as waiting,
             (select count(*) from first where (escalated_at is not null) <>
                (asked = 0 or first_at is null or first_at > created_at + interval '30 minutes'))::int
               as "badEscalation",
             (select count(*) from shelter_offers o join shelter_requests r on r.id = o.request_id
               where o.answered_at > r.closed_at)::int as "answeredAfterClose"`);
    expect(a.medianMinutes).toBeGreaterThan(1);
    expect(a.medianMinutes).toBeLessThan(15);
    expect(a).toMatchObject({
      declinedNoReason: 0,
      holding: 0,
      waiting: 0,
      badEscalation: 0,
      answeredAfterClose: 0,
    });
    expect(a.reasons).toBeGreaterThanOrEqual(4);
    expect(a.expired).toBeGreaterThan(0);
  });

  it('places each placed request in its confirmed program; ended placements say why and where to', async () => {
    const p = await one(sql<{
      placements: number;
      placed: number;
      mismatched: number;
      ended: number;
      badEnd: number;
      doubleOpen: number;
      events: number;
    }>`
      select (select count(*) from housing_placements)::int as placements,
             (select count(*) from shelter_requests where status = 'placed')::int as placed,
             (select count(*) from shelter_requests r join shelter_offers o on o.id = r.confirmed_offer_id
                left join housing_placements pl on pl.request_id = r.id
               where o.status <> 'confirmed' or pl.program_id is distinct from o.program_id)::int as mismatched,
             (select count(*) from housing_placements where ended_at is not null)::int as ended,
             (select count(*) from housing_placements where ended_at is not null and
                (ended_at < started_at or ended_at > ${now} or went_to is null or end_reason is null))::int as "badEnd",
             (select count(*) from (select case_id from housing_placements where ended_at is null
                group by case_id having count(*) > 1) d)::int as "doubleOpen",
             (select count(*) from case_events where event like 'placement.%' or event = 'shelter_request.sent')::int
               as events`);
    expect(p.placements).toBe(summary.shelter.placements);
    expect(p.placements).toBe(p.placed);
    expect(p).toMatchObject({ mismatched: 0, badEnd: 0, doubleOpen: 0 });
    expect(p.ended).toBeGreaterThan(p.placements / 3);
    expect(p.ended).toBeLessThan(p.placements);
    expect(p.events).toBe(summary.shelter.requests + p.placements + p.ended);
    const wentTo = await sql<{ went_to: string }>`
      select distinct went_to from housing_placements where went_to is not null`.execute(t.deps.db);
    const codes = t.deps.rules.vocabularies.exitHousing.map((x) => x.code);
    for (const w of wentTo.rows) expect(codes).toContain(w.went_to);
  });
});
