/**
 * The evaluation's staff pages (`reports.aggregate`):
 * - `/staff/reports` — the dashboard: measure, period and breakdown pickers, chart, table, trend;
 * - `/staff/reports/download?format=csv|xlsx` — the table shown, with the same suppression;
 * - `/staff/reports/biennial` — every table of the biennial report on one printable page;
 * - `/staff/reports/quality` — what the records lack, per detail.
 * Thin: the reports come from the service; the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { DIMENSION_CODES, MEASURE_CODES, type Dimension, type MeasureCode } from '../../pack/evaluation.ts';
import { InputError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { toXlsx } from '../../platform/xlsx.ts';
import { renderPage } from '../../web/http.ts';
import { messagePage, serviceError, staffView, type Guarded } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { biennialReport, qualityReport } from './bundles.ts';
import { DownloadQuery, fileName, reportCsv, reportTable } from './schema.ts';
import {
  evaluationContext,
  evaluationScope,
  measureReport,
  periodChoices,
  type EvaluationContext,
  type MeasureReport,
} from './service.ts';
import { BiennialPage } from './views/biennial.tsx';
import { Dashboard, periodValue, type DashboardValues } from './views/dashboard.tsx';
import { QualityPage } from './views/quality.tsx';

const REFUSAL =
  'Evaluation reports are for state administrators, evaluators and organization administrators. If you need them, ask your administrator.';

/** The picker's values: `period` ("from_to") or `from` and `to`, the measure and the breakdown. */
function valuesOf(c: Context): DashboardValues & { from: string; to: string } {
  const one = (name: string) => c.req.query(name)?.trim().slice(0, 100) ?? '';
  const period = one('period');
  const parts = period.split('_');
  // A period that is not "from_to" is no period on the list: refused, never read as the default.
  const [pf, pt] = parts.length === 2 && parts[0] && parts[1] ? parts : [period, period];
  const from = period ? pf! : one('from');
  const to = period ? pt! : one('to');
  return {
    measure: one('measure') || 'youth_served',
    period: from && to ? `${from}_${to}` : '',
    by: one('by') || 'none',
    from,
    to,
  };
}

type Attempt<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

async function attempt<T>(run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code !== 'invalid') throw error;
    const field = (error.field ?? 'period').split('.')[0]!;
    return {
      ok: false,
      field: field === 'from' || field === 'to' ? 'period' : field,
      message: error.message,
    };
  }
}

function reportOf(ctx: EvaluationContext, g: Guarded, v: ReturnType<typeof valuesOf>, trend = true) {
  return attempt(async () => {
    if (!(MEASURE_CODES as readonly string[]).includes(v.measure))
      throw new InputError('Choose a measure from the list.', 'measure');
    if (!(DIMENSION_CODES as readonly string[]).includes(v.by))
      throw new InputError('Choose a breakdown from the list.', 'by');
    return measureReport(ctx, g.actor, {
      measure: v.measure as MeasureCode,
      by: v.by as Dimension,
      from: v.from || undefined,
      to: v.to || undefined,
      trend,
    });
  });
}

const searchOf = (r: { measure: { code: string }; period: { from: string; to: string }; by: string }) =>
  new URLSearchParams({ measure: r.measure.code, period: periodValue(r.period), by: r.by }).toString();

async function dashboard(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const ctx = evaluationContext(deps);
  const scope = (await evaluationScope(ctx, g.actor))!;
  const values = valuesOf(c);
  const report = await reportOf(ctx, g, values);
  const r: MeasureReport | null = report.ok ? report.value : null;
  return renderPage(
    c,
    <Dashboard
      {...staffView(deps, g)}
      file={ctx.file}
      scope={scope}
      choices={await periodChoices(ctx)}
      values={r ? { measure: r.measure.code, period: periodValue(r.period), by: r.by } : values}
      errors={report.ok ? [] : [{ field: report.field, message: report.message }]}
      report={r}
      search={
        r ? searchOf(r) : new URLSearchParams({ measure: values.measure, period: values.period }).toString()
      }
    />,
    report.ok ? 200 : 400,
  );
}

async function download(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const format = DownloadQuery.safeParse({ format: c.req.query('format') ?? '' });
  const report = await reportOf(evaluationContext(deps), g, valuesOf(c), false);
  if (!format.success || format.data.format === 'json' || !report.ok)
    return messagePage(
      c,
      g.frame,
      400,
      'This download is not available',
      report.ok ? 'Choose CSV or Excel (XLSX) from the report page.' : report.message,
      { href: '/staff/reports', text: 'Go to the evaluation reports' },
    );
  const r = report.value;
  if (format.data.format === 'csv')
    return c.body(reportCsv(r), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName(r, 'csv')}"`,
    });
  const table = reportTable(r);
  const body = toXlsx([{ name: r.measure.title, ...table }]);
  return c.body(new Uint8Array(body), 200, {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': `attachment; filename="${fileName(r, 'xlsx')}"`,
  });
}

async function periodPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  kind: 'biennial' | 'quality',
): Promise<Response> {
  const ctx = evaluationContext(deps);
  const scope = (await evaluationScope(ctx, g.actor))!;
  const v = valuesOf(c);
  const choices = await periodChoices(ctx);
  const q = { from: v.from || undefined, to: v.to || undefined };
  if (kind === 'biennial') {
    const tables = await attempt(() => biennialReport(ctx, g.actor, q));
    return renderPage(
      c,
      <BiennialPage
        {...staffView(deps, g)}
        scope={scope}
        choices={choices}
        period={v.period}
        errors={tables.ok ? [] : [{ field: 'period', message: tables.message }]}
        tables={tables.ok ? tables.value : []}
        generated={ctx.today()}
      />,
      tables.ok ? 200 : 400,
    );
  }
  const quality = await attempt(() => qualityReport(ctx, g.actor, q));
  return renderPage(
    c,
    <QualityPage
      {...staffView(deps, g)}
      scope={scope}
      choices={choices}
      period={v.period}
      errors={quality.ok ? [] : [{ field: 'period', message: quality.message }]}
      quality={quality.ok ? quality.value : null}
    />,
    quality.ok ? 200 : 400,
  );
}

export const evaluationPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('reports.aggregate');
  const opts = { refusal: REFUSAL };
  r.staff('get', '/staff/reports', read, (c, g) => dashboard(c, deps, g), opts);
  r.staff('get', '/staff/reports/download', read, (c, g) => download(c, deps, g), opts);
  r.staff('get', '/staff/reports/biennial', read, (c, g) => periodPage(c, deps, g, 'biennial'), opts);
  r.staff('get', '/staff/reports/quality', read, (c, g) => periodPage(c, deps, g, 'quality'), opts);
};
