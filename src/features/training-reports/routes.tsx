/**
 * The staff pages of the training reports (`reports.aggregate`): `/staff/training/reports` (the quarter or
 * period and breakdown picker and the tables) and `/staff/training/reports/download?table=` (one table as
 * CSV, with the same suppression). Thin: the report comes from the service; the page is in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import { messagePage, serviceError, staffView, type FieldError, type Guarded } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { DownloadQuery } from './schema.ts';
import {
  quarterOf,
  trainingReport,
  trainingReportCsv,
  trainingReportsContext,
  type TrainingReport,
} from './service.ts';
import { ReportPage, type ReportValues } from './views/report-page.tsx';

const REFUSAL =
  'Training reports are for state administrators, evaluators and organization administrators. If you need them, ask your administrator.';

function valuesOf(c: Context): ReportValues {
  const one = (name: string) => c.req.query(name)?.trim() ?? '';
  return { quarter: one('quarter'), from: one('from'), to: one('to'), by: one('by') };
}

/** The values as the report's query (empty fields left out, so the defaults apply). */
const queryOf = (v: ReportValues) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== ''));

async function reportOr(
  deps: AppDeps,
  g: Guarded,
  values: ReportValues,
): Promise<TrainingReport | FieldError> {
  try {
    return await trainingReport(trainingReportsContext(deps), g.actor, queryOf(values));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code !== 'invalid') throw error;
    return { field: (error.field ?? 'from').split('.')[0]!, message: error.message };
  }
}

const searchOf = (r: TrainingReport) =>
  new URLSearchParams({ from: r.period.from, to: r.period.to, by: r.by }).toString();

/** The picker as shown: the dates asked for, or else the quarter (so choosing another quarter works). */
const shownValues = (asked: ReportValues, r: TrainingReport): ReportValues =>
  asked.from || asked.to
    ? { quarter: '', from: r.period.from, to: r.period.to, by: r.by }
    : { quarter: quarterOf(r.period.from), from: '', to: '', by: r.by };

async function reportPage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const values = valuesOf(c);
  const report = await reportOr(deps, g, values);
  const ok = 'period' in report;
  return renderPage(
    c,
    <ReportPage
      {...staffView(deps, g)}
      values={ok ? shownValues(values, report) : values}
      errors={ok ? [] : [report]}
      report={ok ? report : null}
      search={ok ? searchOf(report) : ''}
    />,
    ok ? 200 : 400,
  );
}

async function download(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const table = DownloadQuery.safeParse({ table: c.req.query('table') ?? '' });
  const report = await reportOr(deps, g, valuesOf(c));
  if (!table.success || !('period' in report))
    return messagePage(
      c,
      g.frame,
      400,
      'This download is not available',
      table.success && !('period' in report)
        ? report.message
        : 'Choose a table to download from the report page.',
      { href: '/staff/training/reports', text: 'Go to the training reports' },
    );
  const body = trainingReportCsv(report, table.data.table);
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="training-${table.data.table}-${report.period.from}-to-${report.period.to}.csv"`,
  });
}

export const trainingReportPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('reports.aggregate');
  r.staff('get', '/staff/training/reports', read, (c, g) => reportPage(c, deps, g), { refusal: REFUSAL });
  r.staff('get', '/staff/training/reports/download', read, (c, g) => download(c, deps, g), {
    refusal: REFUSAL,
  });
};
