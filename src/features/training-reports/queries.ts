/**
 * The database side of the training reports: counts only. Completions are counted over the dates they
 * were completed on (`completed_on`, a Minnesota date), events over their occurrence dates. No access
 * checks here: the service decides who may see what.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Breakdown } from './rules.ts';

export interface CompletionCounts {
  quarter: string;
  /** The group (course code, organization type, region id or `none`); null for the quarter's total. */
  grp: string | null;
  label: string | null;
  completions: number;
  people: number;
}

const groupOf = (by: Breakdown) => {
  switch (by) {
    case 'course':
      return { grp: sql<string>`c.course_code`, label: sql<string>`k.title` };
    case 'organization_type':
      return { grp: sql<string>`o.type`, label: sql<string>`null::text` };
    case 'region':
      return { grp: sql<string>`coalesce(tr.region_id, 'none')`, label: sql<string>`rg.name` };
  }
};

/**
 * Completions recorded for dates in `[from, to]`, by quarter and group, with each quarter's total:
 * completions and distinct people (an account or a roster entry). By region, an organization in two
 * regions counts in both, and one in none counts under `none`.
 */
export async function completionCounts(
  db: Database,
  p: { from: string; to: string; by: Breakdown },
  organizationId: string | null,
): Promise<CompletionCounts[]> {
  const g = groupOf(p.by);
  const { rows } = await sql<CompletionCounts>`
    with base as (
      select to_char(c.completed_on, 'YYYY-"Q"Q') as quarter, ${g.grp} as grp, ${g.label} as label,
        c.id, coalesce(c.staff_user_id, c.roster_id) as person
      from training_completions c
      join member_organizations o on o.id = c.organization_id
      join training_courses k on k.code = c.course_code
      left join training_organization_regions tr on tr.organization_id = c.organization_id
      left join regions rg on rg.id = tr.region_id
      where c.completed_on >= ${p.from}::date and c.completed_on <= ${p.to}::date
        and (${organizationId}::uuid is null or c.organization_id = ${organizationId}::uuid)
    )
    select quarter, grp, max(label) as label, count(distinct id)::int as completions,
      count(distinct person)::int as people
    from base
    group by grouping sets ((quarter, grp), (quarter))
    order by quarter, grp nulls last`.execute(db);
  return rows;
}

export interface EventCounts {
  event_id: string;
  title: string;
  course_code: string;
  date: string;
  registered: number;
  attended: number;
  completions: number;
}

/**
 * Events with a course code, each date in `[from, to]` with a registration or a completion: places
 * held (registered), attended, and completions recorded from the event on that date.
 */
export async function eventCounts(
  db: Database,
  p: { from: string; to: string },
  organizationId: string | null,
): Promise<EventCounts[]> {
  const { rows } = await sql<EventCounts>`
    with dates as (
      select event_id, occurrence_date as d from event_registrations
      union
      select event_id, completed_on as d from training_completions where event_id is not null
    )
    select e.id as event_id, e.title, e.course_code, to_char(x.d, 'YYYY-MM-DD') as date,
      (select count(*) from event_registrations r
        where r.event_id = e.id and r.occurrence_date = x.d and r.status = 'registered')::int as registered,
      (select count(*) from event_registrations r
        where r.event_id = e.id and r.occurrence_date = x.d and r.status = 'registered' and r.attended)::int
        as attended,
      (select count(*) from training_completions c where c.event_id = e.id and c.completed_on = x.d)::int
        as completions
    from events e
    join dates x on x.event_id = e.id
    where e.course_code is not null and x.d >= ${p.from}::date and x.d <= ${p.to}::date
      and (${organizationId}::uuid is null or e.organizer_organization_id = ${organizationId}::uuid)
    order by x.d, e.title, e.id`.execute(db);
  return rows;
}

export interface SettingCounts {
  setting_id: string;
  setting: string;
  organization: string;
  staff: number;
  trained: number;
  overdue: number;
}

/**
 * Certified settings (not revoked) whose direct-contact staff are not all trained: staff, trained, and
 * overdue (no training date and started more than `trainingDays` days before `today`).
 */
export async function untrainedSettings(
  db: Database,
  today: string,
  trainingDays: number,
): Promise<SettingCounts[]> {
  const { rows } = await sql<SettingCounts>`
    select s.id as setting_id, s.name as setting, o.name as organization,
      count(st.id)::int as staff, count(st.trained_on)::int as trained,
      (count(*) filter (where st.trained_on is null
        and st.started_on < ${today}::date - ${trainingDays}::int))::int as overdue
    from certified_settings s
    join member_organizations o on o.id = s.organization_id
    join certified_setting_staff st on st.setting_id = s.id
    where s.status <> 'revoked'
    group by s.id, s.name, o.name
    having count(st.trained_on) < count(st.id)
    order by 6 desc, (count(st.id) - count(st.trained_on)) desc, s.name`.execute(db);
  return rows;
}
