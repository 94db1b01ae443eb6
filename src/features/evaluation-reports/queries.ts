/**
 * The evaluation's counts, read from de-identified tables only: the reporting facts (report_youth,
 * report_services, report_referrals), the navigator queue's clear columns (intake_items, intake_events),
 * shelter requests, housing placements and training completions. Never a personal field, never a
 * decryption; every query counts for many periods at once (a VALUES list of periods).
 *
 * Each query gives, per period, the totals of the measure's columns and, for a breakdown, the same per
 * group; and the sums and counts behind its figures (average age, medians).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Dimension, MeasureCode } from '../../pack/evaluation.ts';

export interface ReportScopeFilter {
  kind: 'statewide' | 'region' | 'organization';
  regions: readonly string[];
  organizationId: string | null;
}

export interface QueryInput {
  jurisdiction: string;
  timezone: string;
  periods: readonly { from: string; to: string }[];
  by: Dimension;
  scope: ReportScopeFilter;
  metroRegions: readonly string[];
}

/** One result row: the period's index, the group (null for the totals), counts and figure inputs. */
export interface CountRow {
  period: number;
  group: string | null;
  values: Record<string, number>;
}

const NOT_RECORDED = 'not_recorded';
const periodsCte = (periods: QueryInput['periods']) =>
  sql`periods (pid, p_from, p_to) as (values ${sql.join(
    periods.map((p, i) => sql`(${i}::int, ${p.from}::date, ${p.to}::date)`),
  )})`;

/**
 * The group of a young person's facts row (alias y) for a breakdown. For a multi-select one, `expr` is
 * the row's array of groups, to unnest.
 */
function youthGroup(by: Dimension, metro: readonly string[]): { expr: RawBuilder<unknown>; multi: boolean } {
  const orNot = (column: string) => sql`coalesce(${sql.ref(`y.${column}`)}, ${NOT_RECORDED})`;
  const multi = (column: string, extra?: RawBuilder<unknown>) => ({
    expr: sql`(case when cardinality(${sql.ref(`y.${column}`)}) = 0 then array[${NOT_RECORDED}]::text[] else ${sql.ref(`y.${column}`)}${extra ?? sql``} end)`,
    multi: true,
  });
  switch (by) {
    case 'age_band':
      return { expr: sql`y.age_band`, multi: false };
    case 'metro':
      return {
        expr: sql`case when y.region_id = any(${sql.val([...metro])}::text[]) then 'metro' else 'greater' end`,
        multi: false,
      };
    case 'region':
      return { expr: sql`y.region_id`, multi: false };
    case 'county':
      return { expr: orNot('county_fips'), multi: false };
    case 'tribal':
      return { expr: sql`case when y.tribal then 'yes' else ${NOT_RECORDED} end`, multi: false };
    case 'door':
    case 'entry_housing':
    case 'exit_housing':
    case 'close_reason':
      return { expr: orNot(by), multi: false };
    case 'gender':
      return multi('genders');
    case 'race':
      return multi(
        'races',
        sql` || case when cardinality(y.races) >= 2 then array['two_or_more']::text[] else '{}'::text[] end`,
      );
    case 'exploitation':
      return multi('exploitation');
    default:
      throw new Error(`The breakdown ${by} does not apply to young people's facts.`);
  }
}

/** A young person's group as one value per row (a multi-select one unnested). */
const youthGroupValue = (g: { expr: RawBuilder<unknown>; multi: boolean }) =>
  g.multi ? sql`unnest(${g.expr})` : g.expr;

/** `and <column> = any(the regions)` for a navigator host's report, else nothing. */
const inRegions = (scope: ReportScopeFilter, column: string): RawBuilder<unknown> =>
  scope.kind === 'region' ? sql`and ${sql.ref(column)} = any(${sql.val([...scope.regions])}::text[])` : sql``;

function youthScope(scope: ReportScopeFilter): RawBuilder<unknown> {
  if (scope.kind === 'region') return inRegions(scope, 'y.region_id');
  if (scope.kind === 'organization')
    return sql`and y.organizations @> array[${scope.organizationId}]::uuid[]`;
  return sql``;
}

const asRows = (rows: Record<string, unknown>[]): CountRow[] =>
  rows.map((r) => {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(r))
      if (k !== 'pid' && k !== 'grp') values[k] = v === null ? 0 : Number(v);
    return { period: Number(r.pid), group: r.grp === undefined ? null : (r.grp as string | null), values };
  });

/** The pieces of a statement that differ between the totals and the groups. */
interface Grouping {
  /** `, <the breakdown's expression> as grp`, or nothing for the totals. */
  select: RawBuilder<unknown>;
  /** `, grp`, or nothing for the totals. */
  by: RawBuilder<unknown>;
}

/**
 * Runs a statement for the totals (group null) and, for a breakdown, again per group: `build` puts the
 * grouping's `select` after `pid` in its select list and its `by` after `pid` in its group by.
 * `groups` gives each breakdown's expression.
 */
async function totalsAndGroups(
  db: Database,
  input: QueryInput,
  groups: Partial<Record<Dimension, RawBuilder<unknown>>>,
  build: (g: Grouping) => RawBuilder<Record<string, unknown>>,
): Promise<CountRow[]> {
  const totals = asRows((await build({ select: sql``, by: sql`` }).execute(db)).rows);
  if (input.by === 'none') return totals;
  const expression = groups[input.by];
  if (!expression) throw new Error(`No breakdown ${input.by} for this measure.`);
  const grouped = asRows(
    (await build({ select: sql`, ${expression} as grp`, by: sql`, grp` }).execute(db)).rows,
  );
  return [...totals.map((r) => ({ ...r, group: null })), ...grouped];
}

/**
 * Young people served: active in the period, once per person, with the details of their earliest case
 * open in it — for a new young person, their first case, so that new young people add up over time.
 *
 * One statement gives the totals and, for each breakdown asked (several at once for the biennial report
 * and the data-quality view), the groups. Each case is read once with its
 * person's first day and number of cases in scope, and only the columns counted: most young people have
 * one case, which is their earliest in any period it is active in, so only the others are sorted to find
 * their earliest case in each period.
 */
export async function youthServedBy(
  db: Database,
  input: Omit<QueryInput, 'by'>,
  dims: readonly Dimension[],
): Promise<Map<Dimension, CountRow[]>> {
  const groups = dims
    .filter((d) => d !== 'none')
    .map((d) => ({ dim: d, ...youthGroup(d, input.metroRegions) }));
  const inScope = sql`(true ${youthScope(input.scope)})`;
  const activeIn = sql`c.opened_on <= p.p_to and (c.closed_on is null or c.closed_on >= p.p_from)`;
  const figures = sql`
    count(*) filter (where is_new) as new,
    count(*) filter (where not is_new) as continuing,
    count(*) as served,
    coalesce(sum(age_at_entry) filter (where is_new), 0) as age_sum,
    count(age_at_entry) filter (where is_new) as age_known`;
  const column = (i: number) => sql.ref(`g${i}`);
  const carried = groups.length ? sql`, ${sql.join(groups.map((_, i) => column(i)))}` : sql``;
  const carriedFrom = (alias: string) =>
    groups.length ? sql`, ${sql.join(groups.map((_, i) => sql.ref(`${alias}.g${i}`)))}` : sql``;
  const statement = sql<Record<string, unknown>>`
    with ${periodsCte(input.periods)},
    cases as (
      select y.subject, y.person, y.opened_on, y.closed_on, y.age_at_entry
        ${groups.length ? sql`, ${sql.join(groups.map((g, i) => sql`${g.expr} as ${column(i)}`))}` : sql``},
        ${inScope} as in_scope,
        min(y.opened_on) over person as first_on,
        count(*) filter (where ${inScope}) over person as in_scope_of_person
      from report_youth y
      where y.jurisdiction = ${input.jurisdiction}
      window person as (partition by y.person)
    ),
    active as materialized (
      select p.pid, (c.first_on >= p.p_from) as is_new, c.age_at_entry ${carriedFrom('c')}
      from periods p join cases c on ${activeIn}
      where c.in_scope and c.in_scope_of_person = 1
      union all
      select pid, is_new, age_at_entry ${carried} from (
        select distinct on (p.pid, c.person) p.pid, (c.first_on >= p.p_from) as is_new, c.age_at_entry
          ${carriedFrom('c')}
        from periods p join cases c on ${activeIn}
        where c.in_scope and c.in_scope_of_person > 1
        order by p.pid, c.person, c.opened_on, c.subject
      ) earliest
    )
    select pid, null::text as dim, null::text as grp, ${figures} from active group by pid
    ${sql.join(
      groups.map(
        (g, i) => sql`union all
    select pid, ${g.dim}::text as dim, grp, ${figures}
    from (select pid, is_new, age_at_entry, ${g.multi ? sql`unnest(${column(i)})` : column(i)} as grp from active) a
    group by pid, grp`,
      ),
      sql` `,
    )}`;
  // The statement sorts and keeps a few hundred thousand narrow rows: with the default work_mem (4 MB)
  // they go to disk, so it runs with more, for itself only (`set local`, in its own transaction).
  const result = db.isTransaction
    ? await statement.execute(db)
    : await db.transaction().execute(async (trx) => {
        await sql`set local work_mem = '64MB'`.execute(trx);
        return statement.execute(trx);
      });
  const rows = result.rows.map((r) => {
    const { dim, grp, ...rest } = r;
    const row = asRows([rest])[0]!;
    return { dim: dim as Dimension | null, row: { ...row, group: dim === null ? null : (grp as string) } };
  });
  const totals = rows.filter((r) => r.dim === null).map((r) => r.row);
  return new Map(
    dims.map((d) => [d, [...totals, ...rows.filter((r) => r.dim === d).map((r) => r.row)]] as const),
  );
}

/** Young people served for one breakdown (see `youthServedBy`). */
async function youthServed(db: Database, input: QueryInput): Promise<CountRow[]> {
  return (await youthServedBy(db, input, [input.by])).get(input.by)!;
}

/** Services delivered in the period, per service: times delivered and young people who received it. */
function services(db: Database, input: QueryInput) {
  return totalsAndGroups(
    db,
    input,
    { service: sql`s.service_code` },
    (g) => sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)}
      select p.pid ${g.select},
        count(distinct y.person) as youth, count(*) as delivered
      from periods p join report_services s on s.delivered_on between p.p_from and p.p_to
      join report_youth y on y.subject = s.subject
      where y.jurisdiction = ${input.jurisdiction} ${youthScope(input.scope)}
      group by p.pid ${g.by}`,
  );
}

/** Cases closed in the period, with the young people's answers (cases add up over time; people would not). */
function exits(db: Database, input: QueryInput) {
  const groups =
    input.by === 'none' ? {} : { [input.by]: youthGroupValue(youthGroup(input.by, input.metroRegions)) };
  const answers = (column: string, name: string) => sql`
    count(*) filter (where ${sql.ref(column)} = 'yes') as ${sql.ref(`${name}_yes`)},
    count(*) filter (where ${sql.ref(column)} in ('no', 'unsure')) as ${sql.ref(`${name}_no`)},
    count(*) filter (where ${sql.ref(column)} is null or ${sql.ref(column)} = 'not_asked') as ${sql.ref(`${name}_not_asked`)}`;
  return totalsAndGroups(db, input, groups, (g) => {
    return sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)},
      closed as (
        select p.pid, y.subject
        from periods p join report_youth y on y.closed_on between p.p_from and p.p_to
        where y.jurisdiction = ${input.jurisdiction} ${youthScope(input.scope)}
      ),
      counted as (
        select c.pid ${g.select}, y.survey_feels_safer, y.survey_more_hopeful, y.survey_knows_where_help
        from closed c join report_youth y on y.subject = c.subject
      )
      select pid ${g.by}, count(*) as closed,
        ${answers('survey_feels_safer', 'safer')},
        ${answers('survey_more_hopeful', 'hopeful')},
        ${answers('survey_knows_where_help', 'knows_help')}
      from counted group by pid ${g.by}`;
  });
}

/** Referrals sent in the period; an organization sees the referrals sent to it. */
function referrals(db: Database, input: QueryInput) {
  const group: Partial<Record<Dimension, RawBuilder<unknown>>> = {
    service: sql`r.service_type`,
    decline_reason: sql`case when r.status = 'declined' then coalesce(r.decline_reason, 'other') else 'not_declined' end`,
    region: sql`y.region_id`,
    age_band: sql`y.age_band`,
  };
  const scope =
    input.scope.kind === 'organization'
      ? sql`and r.to_organization_id = ${input.scope.organizationId}`
      : youthScope(input.scope);
  return totalsAndGroups(
    db,
    input,
    group,
    (g) => sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)}
      select p.pid ${g.select},
        count(*) as sent,
        count(*) filter (where r.accepted) as accepted,
        count(*) filter (where not r.accepted and r.status = 'declined') as declined,
        count(*) filter (where not r.accepted and r.status <> 'declined') as other,
        count(*) filter (where r.completed) as completed,
        count(r.days_to_answer) filter (where r.accepted) as accepted_timed,
        percentile_cont(0.5) within group (order by r.days_to_answer) filter (where r.accepted)
          as median_days_to_accept
      from periods p join report_referrals r on r.sent_on between p.p_from and p.p_to
      join report_youth y on y.subject = r.subject
      where y.jurisdiction = ${input.jurisdiction} ${scope}
      group by p.pid ${g.by}`,
  );
}

/** Professional referrals and young people's requests to the navigators, and the first contact. */
function firstContact(db: Database, input: QueryInput) {
  const group: Partial<Record<Dimension, RawBuilder<unknown>>> = {
    region: sql`coalesce(i.region_id, ${NOT_RECORDED})`,
    intake_kind: sql`i.kind`,
    age_band: sql`i.age_band`,
    urgency: sql`i.urgency`,
  };
  const scope = inRegions(input.scope, 'i.region_id');
  return totalsAndGroups(
    db,
    input,
    group,
    (g) => sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)},
      items as (
        select p.pid, i.*, (
          select min(e.at) from intake_events e where e.item_id = i.id and e.event = 'contacted'
        ) as contacted_at
        from periods p join intake_items i
          on (i.created_at at time zone ${input.timezone})::date between p.p_from and p.p_to
        where i.jurisdiction = ${input.jurisdiction}
          and i.kind in ('professional_referral', 'self_referral') ${scope}
      )
      select pid ${g.select},
        count(*) as received,
        count(contacted_at) as contacted,
        count(*) - count(contacted_at) as not_contacted,
        percentile_cont(0.5) within group (
          order by extract(epoch from contacted_at - created_at) / 3600.0
        ) as median_hours_to_contact
      from items i group by pid ${g.by}`,
  );
}

/** Shelter requests sent in the period and how they ended. */
function shelterRequests(db: Database, input: QueryInput) {
  const group: Partial<Record<Dimension, RawBuilder<unknown>>> = {
    region: sql`s.region_id`,
    shelter_age: sql`s.age_band`,
    shelter_gender: sql`s.gender`,
  };
  const scope = inRegions(input.scope, 's.region_id');
  return totalsAndGroups(
    db,
    input,
    group,
    (g) => sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)}
      select p.pid ${g.select},
        count(*) as sent,
        count(*) filter (where s.status = 'placed') as placed,
        count(*) filter (where s.status = 'withdrawn' and s.close_reason = 'no_bed_found') as unmet,
        count(*) filter (where s.status = 'withdrawn' and s.close_reason <> 'no_bed_found') as closed_other,
        count(*) filter (where s.status = 'open') as open
      from periods p join shelter_requests s
        on (s.created_at at time zone ${input.timezone})::date between p.p_from and p.p_to
      join cases c on c.id = s.case_id
      where c.jurisdiction = ${input.jurisdiction} ${scope}
      group by p.pid ${g.by}`,
  );
}

/** Stays in housing programs begun in the period, and the young people placed. */
function placements(db: Database, input: QueryInput) {
  const group: Partial<Record<Dimension, RawBuilder<unknown>>> = {
    program_type: sql`prog.program_type`,
    region: sql`c.region_id`,
  };
  const scope =
    input.scope.kind === 'region'
      ? inRegions(input.scope, 'c.region_id')
      : input.scope.kind === 'organization'
        ? sql`and prog.organization_id = ${input.scope.organizationId}`
        : sql``;
  return totalsAndGroups(
    db,
    input,
    group,
    (g) => sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)}
      select p.pid ${g.select},
        count(*) as stays,
        count(distinct coalesce(c.duplicate_index, c.id::text)) as youth
      from periods p join housing_placements hp
        on (hp.started_at at time zone ${input.timezone})::date between p.p_from and p.p_to
      join housing_programs prog on prog.id = hp.program_id
      join cases c on c.id = hp.case_id
      where c.jurisdiction = ${input.jurisdiction} ${scope}
      group by p.pid ${g.by}`,
  );
}

/** Training completions in the period, and the people who completed them. */
function trainings(db: Database, input: QueryInput) {
  const group: Partial<Record<Dimension, RawBuilder<unknown>>> = {
    course: sql`t.course_code`,
    organization_type: sql`o.type`,
  };
  const scope =
    input.scope.kind === 'organization' ? sql`and t.organization_id = ${input.scope.organizationId}` : sql``;
  return totalsAndGroups(
    db,
    input,
    group,
    (g) => sql<Record<string, unknown>>`
      with ${periodsCte(input.periods)}
      select p.pid ${g.select},
        count(*) as completions,
        count(distinct coalesce(t.staff_user_id, t.roster_id)) as people
      from periods p join training_completions t on t.completed_on between p.p_from and p.p_to
      join member_organizations o on o.id = t.organization_id
      where true ${scope}
      group by p.pid ${g.by}`,
  );
}

export const MEASURE_QUERIES: Record<MeasureCode, (db: Database, input: QueryInput) => Promise<CountRow[]>> =
  {
    youth_served: youthServed,
    services,
    exits,
    referrals,
    first_contact: firstContact,
    shelter_requests: shelterRequests,
    placements,
    trainings,
  };

/** The regions a navigator host's organization hosts (through the pack's navigator organizations). */
export async function hostedRegions(db: Database, memberOrganizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('regions')
    .innerJoin('organizations', 'organizations.id', 'regions.navigator_organization_id')
    .select('regions.id')
    .where('organizations.member_organization_id', '=', memberOrganizationId)
    .orderBy('regions.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The first day any fact is known (the oldest period someone may ask for). */
export async function firstFactDay(db: Database, jurisdiction: string): Promise<string | null> {
  const row = await db
    .selectFrom('report_youth')
    .select((eb) => eb.fn.min('opened_on').as('first'))
    .where('jurisdiction', '=', jurisdiction)
    .executeTakeFirst();
  return (row?.first as string | null | undefined) ?? null;
}
