/**
 * The database side of the housing reports: counts only, never a row about a request or a young person.
 * Each query aggregates in the database over a period of request creation times `[from, to)`. No access
 * checks here: the service decides who may see what.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Breakdown } from './rules.ts';

export interface RequestCounts {
  /** The group (region id, age band, gender, YYYY-MM); null for the total over every group. */
  grp: string | null;
  sent: number;
  answered: number;
  placed: number;
  unmet: number;
  closed_other: number;
  open: number;
  /** Requests at least one program said yes to (the median's basis). */
  with_offer: number;
  median_seconds: number | null;
}

const groupOf = (by: Breakdown, timezone: string) => {
  switch (by) {
    case 'region':
      return sql<string>`r.region_id`;
    case 'age':
      return sql<string>`r.age_band`;
    case 'gender':
      return sql<string>`r.gender`;
    case 'month':
      return sql<string>`to_char(r.created_at at time zone ${timezone}, 'YYYY-MM')`;
  }
};

/**
 * Shelter requests created in the period, by group and in total: sent, answered (a program answered,
 * yes or no), placed, unmet (closed: no bed found), closed for another reason, still open; and the
 * median time from sending to the first "we can take them".
 */
export async function requestCounts(
  db: Database,
  period: { from: Date; to: Date },
  by: Breakdown,
  timezone: string,
): Promise<RequestCounts[]> {
  const grp = groupOf(by, timezone);
  const { rows } = await sql<RequestCounts>`
    with base as (
      select ${grp} as grp, r.status, r.close_reason, r.created_at, o.answered, o.first_yes
      from shelter_requests r
      cross join lateral (
        select bool_or(x.answered_at is not null) as answered,
          min(x.answered_at) filter (where x.answered_at is not null and x.status <> 'declined') as first_yes
        from shelter_offers x where x.request_id = r.id
      ) o
      where r.created_at >= ${period.from} and r.created_at < ${period.to}
    )
    select grp,
      count(*)::int as sent,
      count(*) filter (where answered)::int as answered,
      count(*) filter (where status = 'placed')::int as placed,
      count(*) filter (where close_reason = 'no_bed_found')::int as unmet,
      count(*) filter (where status = 'withdrawn' and close_reason <> 'no_bed_found')::int as closed_other,
      count(*) filter (where status = 'open')::int as open,
      count(first_yes)::int as with_offer,
      percentile_cont(0.5) within group (order by extract(epoch from first_yes - created_at))::float8
        as median_seconds
    from base
    group by grouping sets ((grp), ())
  `.execute(db);
  return rows.map((r) => ({ ...r, grp: r.grp ?? null }));
}

export interface ProgramCounts {
  program_id: string;
  program_name: string;
  organization_name: string;
  sent: number;
  answered: number;
  yes: number;
  median_seconds: number | null;
}

/**
 * Each program's answers to the requests created in the period: requests it received, answered, said
 * yes to, and the median time from the request to its answer. Every program of the organization when
 * one is given (with zeros), otherwise every program that received a request.
 */
export async function programCounts(
  db: Database,
  period: { from: Date; to: Date },
  organizationId: string | null,
): Promise<ProgramCounts[]> {
  const { rows } = await sql<ProgramCounts>`
    select p.id as program_id, p.name as program_name, m.name as organization_name,
      count(o.id)::int as sent,
      count(o.answered_at)::int as answered,
      count(o.id) filter (where o.answered_at is not null and o.status <> 'declined')::int as yes,
      percentile_cont(0.5) within group (order by extract(epoch from o.answered_at - o.created_at))::float8
        as median_seconds
    from housing_programs p
    join member_organizations m on m.id = p.organization_id
    left join (
      select x.id, x.program_id, x.status, x.answered_at, r.created_at
      from shelter_offers x join shelter_requests r on r.id = x.request_id
      where r.created_at >= ${period.from} and r.created_at < ${period.to}
    ) o on o.program_id = p.id
    where ${organizationId === null ? sql`true` : sql`p.organization_id = ${organizationId}`}
    group by p.id, p.name, m.name
    having ${organizationId === null ? sql`count(o.id) > 0` : sql`true`}
    order by m.name, p.name, p.id
  `.execute(db);
  return rows;
}

export interface NightCounts {
  at: Date;
  beds_available: number;
  programs_counted: number;
  programs_unknown: number;
}

/**
 * Beds available at each instant (one per night): for every program, its latest availability update
 * at or before the instant; fresh (no older than `staleHours`) ones add their beds, and a program with
 * no update yet or a stale one counts as unknown. A program created after the instant, with no update
 * before it, is left out.
 */
export async function nightCounts(
  db: Database,
  instants: readonly Date[],
  staleHours: number,
  organizationId: string | null,
): Promise<NightCounts[]> {
  if (!instants.length) return [];
  const { rows } = await sql<NightCounts>`
    select n.at,
      coalesce(sum(u.beds_available) filter (where u.fresh), 0)::int as beds_available,
      count(*) filter (where u.fresh)::int as programs_counted,
      count(*) filter (where u.fresh is not true)::int as programs_unknown
    from unnest(${sql.val(instants.map((d) => d.toISOString()))}::timestamptz[]) as n(at)
    join housing_programs p on true
    left join lateral (
      select a.beds_available, a.created_at > n.at - make_interval(secs => ${staleHours * 3600}) as fresh
      from housing_availability_updates a
      where a.program_id = p.id and a.created_at <= n.at
      order by a.created_at desc limit 1
    ) u on true
    where (p.created_at <= n.at or u.beds_available is not null)
      and ${organizationId === null ? sql`true` : sql`p.organization_id = ${organizationId}`}
    group by n.at
    order by n.at
  `.execute(db);
  return rows;
}
