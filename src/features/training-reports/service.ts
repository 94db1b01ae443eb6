/**
 * The training reports (`reports.aggregate`): counts, never a row about a person.
 *
 * - Completions by course, organization type or region, per quarter (calendar quarters of Minnesota
 *   dates): completions and distinct people.
 * - People trained per event: for events with a course code, each date's places held, attendance, and
 *   completions recorded from it.
 * - Certified settings whose direct-contact staff are not all trained: state administrators only.
 *
 * State administrators and evaluators see the state; the counts of people in the first two tables follow
 * the small-number rule (src/platform/small-numbers.ts): 1 to threshold − 1 hidden, and, where a quarter's
 * total is the sum of its rows, another row hidden so none follows by subtraction. An organization
 * administrator sees its own organization's completions and the events it organizes, as recorded (its own
 * staff), without suppression. The settings table counts staff of named settings (organizations, not
 * people), for the state's administrators only, and is not suppressed.
 */
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import { ORGANIZATION_TYPES, authorize, type Actor } from '../../platform/access.ts';
import type { BusinessCalendar } from '../../platform/calendar.ts';
import { AccessDenied, InputError } from '../../platform/errors.ts';
import {
  DEFAULT_SMALL_NUMBER_THRESHOLD,
  publish,
  suppressTable,
  type Published,
  type SumEquation,
} from '../../platform/small-numbers.ts';
import * as q from './queries.ts';
import { quarterDates, quarterOf, quarterLabel, toCsv, type Breakdown, type TableName } from './rules.ts';
import { ReportQuery } from './schema.ts';

export * from './rules.ts';

export interface TrainingReportsContext {
  db: Database;
  calendar: BusinessCalendar;
  /** `NWD_SMALL_NUMBER_THRESHOLD`, default 10. */
  threshold: number;
  /** `NWD_SETTING_TRAINING_DAYS`: days after which an untrained direct-contact staff member is overdue. */
  trainingDays: number;
  now?: () => Date;
}

export function trainingReportsContext(deps: AppDeps): TrainingReportsContext {
  return {
    db: deps.db,
    calendar: deps.rules.calendar,
    threshold: deps.config.smallNumberThreshold ?? DEFAULT_SMALL_NUMBER_THRESHOLD,
    trainingDays: deps.config.settingTrainingDays ?? 30,
  };
}

export type ReportScope = 'statewide' | 'organization';

/** What the person sees: the state, their organization's rows, or nothing (null). */
export function trainingReportScope(actor: Actor): ReportScope | null {
  try {
    authorize(actor, 'reports.aggregate', { aggregate: true });
  } catch {
    return null;
  }
  return actor.role === 'org_admin' ? 'organization' : 'statewide';
}

export interface TrainingReport {
  period: { from: string; to: string; timezone: string };
  by: Breakdown;
  scope: ReportScope;
  threshold: number;
  /** By quarter, each group with completions, then the quarter's total (group `total`). */
  completions: { quarter: string; group: string; label: string; completions: Published; people: Published }[];
  events: {
    eventId: string;
    title: string;
    courseCode: string;
    date: string;
    registered: Published;
    attended: Published;
    completions: Published;
  }[];
  /** For state administrators only; null for everyone else. */
  settings:
    | {
        settingId: string;
        setting: string;
        organization: string;
        staff: number;
        trained: number;
        overdue: number;
      }[]
    | null;
}

const nowOf = (ctx: TrainingReportsContext) => (ctx.now ? ctx.now() : new Date());

/** The period asked for, checked: from and to, else a quarter, else the current quarter. */
export function reportPeriod(
  ctx: TrainingReportsContext,
  raw: unknown,
): { from: string; to: string; by: Breakdown } {
  const parsed = ReportQuery.safeParse(raw ?? {});
  if (!parsed.success) throw InputError.from(parsed.error);
  const today = ctx.calendar.local(nowOf(ctx)).date;
  const quarter = quarterDates(parsed.data.quarter ?? quarterOf(parsed.data.from ?? parsed.data.to ?? today));
  const from = parsed.data.from ?? quarter.from;
  const to = parsed.data.to ?? quarter.to;
  const again = ReportQuery.safeParse({ from, to, by: parsed.data.by });
  if (!again.success) throw InputError.from(again.error);
  return { from, to, by: parsed.data.by };
}

function groupLabel(by: Breakdown, row: q.CompletionCounts): string {
  if (row.grp === null) return 'All';
  if (by === 'organization_type')
    return ORGANIZATION_TYPES[row.grp as keyof typeof ORGANIZATION_TYPES] ?? row.grp;
  if (by === 'region' && row.grp === 'none') return 'No region set';
  return row.label ?? row.grp;
}

/** Completions by quarter and group, the small-number rule applied per quarter for the state. */
function completionsTable(
  rows: q.CompletionCounts[],
  by: Breakdown,
  threshold: number,
  statewide: boolean,
): TrainingReport['completions'] {
  const out: TrainingReport['completions'] = [];
  for (const quarter of [...new Set(rows.map((r) => r.quarter))]) {
    const of = rows.filter((r) => r.quarter === quarter);
    const groups = of.filter((r) => r.grp !== null);
    const total = of.find((r) => r.grp === null)!;
    const facts = [...groups, total];
    const grid = facts.map((f) => [f.completions, f.people]);
    // A completion falls in one course and one organization type: the quarter's completions are the sum
    // of its rows. By region an organization may be in two regions, and a person may take two courses,
    // so no other column is a sum.
    const sums: SumEquation[] =
      by === 'region' ? [] : [{ total: [groups.length, 0], parts: groups.map((_, i) => [i, 0] as const) }];
    const hidden = statewide ? suppressTable(grid, sums, threshold) : grid.map((row) => row.map(() => false));
    facts.forEach((f, i) =>
      out.push({
        quarter,
        group: f.grp ?? 'total',
        label: groupLabel(by, f),
        completions: publish(f.completions, hidden[i]![0]!),
        people: publish(f.people, hidden[i]![1]!),
      }),
    );
  }
  return out;
}

/**
 * The training report of a period: for the state, or for the person's organization.
 *
 * @example
 * await trainingReport(ctx, evaluator, { quarter: '2026-Q4', by: 'course' });
 */
export async function trainingReport(
  ctx: TrainingReportsContext,
  actor: Actor,
  raw: unknown,
): Promise<TrainingReport> {
  authorize(actor, 'reports.aggregate', { aggregate: true }, { message: 'Your role does not see reports.' });
  const scope = trainingReportScope(actor)!;
  const p = reportPeriod(ctx, raw);
  const statewide = scope === 'statewide';
  const organizationId = statewide ? null : actor.organizationId;
  const threshold = ctx.threshold;

  const completions = completionsTable(
    await q.completionCounts(ctx.db, p, organizationId),
    p.by,
    threshold,
    statewide,
  );
  const events = (await q.eventCounts(ctx.db, p, organizationId)).map((e) => {
    const grid = [e.registered, e.attended, e.completions];
    const hidden = statewide ? suppressTable([grid], [], threshold)[0]! : grid.map(() => false);
    const [registered, attended, done] = grid.map((n, i) => publish(n, hidden[i]!)) as [
      Published,
      Published,
      Published,
    ];
    return {
      eventId: e.event_id,
      title: e.title,
      courseCode: e.course_code,
      date: e.date,
      registered,
      attended,
      completions: done,
    };
  });
  const today = ctx.calendar.local(nowOf(ctx)).date;
  const settings =
    actor.role === 'state_admin'
      ? (await q.untrainedSettings(ctx.db, today, ctx.trainingDays)).map((s) => ({
          settingId: s.setting_id,
          setting: s.setting,
          organization: s.organization,
          staff: s.staff,
          trained: s.trained,
          overdue: s.overdue,
        }))
      : null;
  return {
    period: { from: p.from, to: p.to, timezone: ctx.calendar.timezone },
    by: p.by,
    scope,
    threshold,
    completions,
    events,
    settings,
  };
}

/** One table of the report as CSV, under the same suppression as the page. */
export function trainingReportCsv(report: TrainingReport, table: TableName): string {
  if (table === 'completions')
    return toCsv(
      [
        { name: 'quarter', published: false },
        { name: 'quarter_name', published: false },
        { name: report.by, published: false },
        { name: `${report.by}_name`, published: false },
        { name: 'completions', published: true },
        { name: 'people', published: true },
      ],
      report.completions.map((r) => [
        r.quarter,
        quarterLabel(r.quarter),
        r.group,
        r.label,
        r.completions,
        r.people,
      ]),
    );
  if (table === 'events')
    return toCsv(
      [
        { name: 'event', published: false },
        { name: 'course', published: false },
        { name: 'date', published: false },
        { name: 'registered', published: true },
        { name: 'attended', published: true },
        { name: 'completions', published: true },
      ],
      report.events.map((e) => [e.title, e.courseCode, e.date, e.registered, e.attended, e.completions]),
    );
  const settings = report.settings;
  if (!settings) throw new AccessDenied('Only state administrators see the certified settings table.');
  return toCsv(
    [
      { name: 'setting', published: false },
      { name: 'organization', published: false },
      { name: 'direct_contact_staff', published: false },
      { name: 'trained', published: false },
      { name: 'overdue', published: false },
    ],
    settings.map((s) => [s.setting, s.organization, s.staff, s.trained, s.overdue]),
  );
}
