/**
 * The evaluation's reports at scale, for `npm run bench`
 * (`BENCH_ONLY=evaluation-api,evaluation-dashboard,evaluation-biennial`): a data directory holding the
 * de-identified facts of `BENCH_EVALUATION_YOUTH` (100,000) synthetic young people over five state fiscal
 * years (test/evaluation-facts.ts, written straight into report_youth, report_services and
 * report_referrals), an evaluator signed in, and three scenarios: the API for young people served by
 * race in the last ended fiscal year (with its trend by quarter over five years), the dashboard page,
 * and the printable biennial report. The reports' service calls are then timed in process at one client
 * and every query they send is read with EXPLAIN ANALYZE.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { explainQuery, run, toolEnv, type QueryPlan } from './cases.ts';

export const EVALUATION_SCENARIO_NAMES = ['evaluation-api', 'evaluation-dashboard', 'evaluation-biennial'];

export const BENCH_EVALUATOR = {
  email: 'bench.evaluator@example.org',
  password: 'juniper harbor lantern slate',
  organization: 'Synthetic Bench State Agency',
};
const REFERRED_TO = 'Synthetic Bench Service Provider';

/** Five state fiscal years of facts; the reports ask for the last one, and its biennium. */
export const FACTS_FROM = '2021-07-01';
export const FACTS_TO = '2026-06-30';
export const FISCAL_YEAR = { from: '2025-07-01', to: '2026-06-30' };
export const BIENNIUM = { from: '2023-07-01', to: '2025-06-30' };

export interface EvaluationSeeded {
  dataDir: string;
  youth: number;
  seedSeconds: number;
  seedSummary: string;
  /** The evaluator's single-use invitation path (`/staff/invitation/…`). */
  invitationPath: string;
}

/** Opens the data directory's database in this process (PostgreSQL started for it, stopped by `release`). */
async function openDirectory(root: string, dataDir: string) {
  const saved = { ...process.env };
  Object.assign(process.env, toolEnv(root, dataDir));
  delete process.env.DATABASE_URL;
  const { loadConfig } = await import('../src/config.ts');
  const { openConfiguredDatabase } = await import('../src/server.ts');
  const { createLogger } = await import('../src/platform/log.ts');
  const config = loadConfig();
  process.env = saved;
  const log = createLogger('warn', process.stderr);
  const setup = await openConfiguredDatabase(config, log);
  return { config, log, setup };
}

/**
 * A fresh data directory (migrated, the Minnesota pack loaded) with an evaluator's invitation and the
 * facts of `youth` synthetic young people whose cases open between FACTS_FROM and FACTS_TO; every
 * referral goes to one service provider.
 */
export async function seededEvaluationDirectory(root: string, youth: number): Promise<EvaluationSeeded> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nwd-bench-evaluation-'));
  chmodSync(dataDir, 0o755);
  try {
    const started = performance.now();
    await run(root, ['import-pack', 'data/mn'], toolEnv(root, dataDir));
    const invited = await run(
      root,
      [
        'users',
        'add',
        '--email',
        BENCH_EVALUATOR.email,
        '--role',
        'evaluator',
        '--org',
        BENCH_EVALUATOR.organization,
        '--org-type',
        'state_agency',
      ],
      toolEnv(root, dataDir),
    );
    const invitationPath = /\/staff\/invitation\/[A-Za-z0-9_-]+/.exec(invited)?.[0];
    if (!invitationPath) throw new Error(`nwd users add printed no invitation link:\n${invited}`);
    const { syntheticYouth, insertFacts } = await import('../test/evaluation-facts.ts');
    const { setup } = await openDirectory(root, dataDir);
    const counts: Record<string, number> = {};
    try {
      const db = setup.handle.db;
      const org = await db
        .insertInto('member_organizations')
        .values({ name: REFERRED_TO, type: 'service_provider' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertFacts(db, syntheticYouth(20261207, youth, FACTS_FROM, FACTS_TO), org.id);
      for (const table of ['report_youth', 'report_services', 'report_referrals'] as const) {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        counts[table] = Number(row.n);
      }
    } finally {
      await setup.release();
    }
    const seedSeconds = (performance.now() - started) / 1000;
    const seedSummary = `${youth} young people: ${Object.entries(counts)
      .map(([k, n]) => `${k} ${n} rows`)
      .join(', ')}, cases opened ${FACTS_FROM} to ${FACTS_TO}`;
    return { dataDir, youth, seedSeconds, seedSummary, invitationPath };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

const API_PATH = `/api/v1/reports/youth_served?from=${FISCAL_YEAR.from}&to=${FISCAL_YEAR.to}&by=race`;
const DASHBOARD_PATH = `/staff/reports?measure=youth_served&period=${FISCAL_YEAR.from}_${FISCAL_YEAR.to}&by=race`;
const BIENNIAL_PATH = `/staff/reports/biennial?period=${BIENNIUM.from}_${BIENNIUM.to}`;

/** The three scenarios, signed in as the evaluator (session cookie); a report is heavy, so two connections (one a core). */
export function evaluationScenarios(cookie: string, youth: number) {
  const signedIn = { method: 'GET' as const, headers: { cookie }, status: 200 };
  const at = `${youth} young people's facts over five fiscal years`;
  return [
    {
      name: 'evaluation-api',
      description: `GET ${API_PATH} as an evaluator (session): young people served by race in fiscal year 2026, protected over its biennium, with the trend by quarter over five years, JSON (${at})`,
      connections: 2,
      paths: [API_PATH],
      request: signedIn,
    },
    {
      name: 'evaluation-dashboard',
      description: `GET ${DASHBOARD_PATH} as an evaluator: the reports dashboard with its chart, table and five-year trend (${at})`,
      connections: 2,
      paths: [DASHBOARD_PATH],
      request: signedIn,
    },
    {
      name: 'evaluation-biennial',
      description: `GET ${BIENNIAL_PATH} as an evaluator: the printable biennial report, 19 tables (${at})`,
      connections: 2,
      paths: [BIENNIAL_PATH],
      request: signedIn,
    },
  ];
}

export interface EvaluationPlans {
  date: string;
  youth: number;
  tables: Record<string, { rows: number; pages: number }>;
  /** Each report's service call in process at one client: median and slowest of `rounds`, statements. */
  timing: Record<string, { rounds: number; medianMs: number; maxMs: number; statements: number }>;
  /**
   * The report by race and by county (87 counties) without its trend, and its queries alone: the
   * difference is the JavaScript side (groups, small-number protection over the biennium, rows).
   */
  jsSide: Record<
    string,
    { groups: number; periods: number; reportMedianMs: number; queriesMedianMs: number }
  >;
  plans: QueryPlan[];
}

/**
 * Runs the reports the way the service does (the same functions, on the seeded database, with the
 * service stopped) at one client, times them, and reads every SELECT of the fiscal year's report by
 * race with EXPLAIN (ANALYZE, BUFFERS).
 */
export async function explainEvaluation(
  root: string,
  seeded: EvaluationSeeded,
  rounds = 5,
): Promise<EvaluationPlans> {
  const { config, log, setup } = await openDirectory(root, seeded.dataDir);
  const { guardPool } = await import('../src/db/database.ts');
  const { loadKeys } = await import('../src/platform/keys/index.ts');
  const { loadPackRules } = await import('../src/pack/rules.ts');
  const { emailIndex } = await import('../src/features/accounts/service.ts');
  const { loadGeography } = await import('../src/features/help/queries.ts');
  const { DEFAULT_SMALL_NUMBER_THRESHOLD } = await import('../src/platform/small-numbers.ts');
  const { measureReport } = await import('../src/features/evaluation-reports/service.ts');
  const { biennialReport } = await import('../src/features/evaluation-reports/bundles.ts');
  const { MEASURE_QUERIES } = await import('../src/features/evaluation-reports/queries.ts');
  const { FiscalCalendar } = await import('../src/features/evaluation-reports/periods.ts');
  const pool = new pg.Pool({ connectionString: setup.url, max: 4 });
  const allClosed = guardPool(pool, (error) =>
    log.warn({ err: { message: error.message } }, 'a connection of the query-plan pool was lost'),
  );
  const captured: CompiledQuery[] = [];
  let capturing = false;
  let statements = 0;
  const db = new Kysely<never>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level !== 'query') return;
      statements++;
      if (capturing && /^\s*(with|select)\b/i.test(event.query.sql)) captured.push(event.query);
    },
  });
  try {
    const { keyring } = await loadKeys(setup.handle.db, config, log);
    const rules = loadPackRules(config.packDir);
    const geography = await loadGeography(setup.handle.db);
    const user = await setup.handle.db
      .selectFrom('staff_users')
      .select(['id', 'organization_id', 'regions'])
      .where('email_index', '=', await emailIndex({ keyring }, BENCH_EVALUATOR.email))
      .executeTakeFirstOrThrow();
    const actor = {
      userId: user.id,
      role: 'evaluator' as const,
      organizationId: user.organization_id,
      regions: user.regions,
    };
    const ctx = {
      db: db as never,
      jurisdiction: async () => geography.jurisdiction,
      file: rules.evaluation,
      vocabularies: rules.vocabularies,
      names: async () => ({
        regions: new Map([...geography.regions.values()].map((r) => [r.id, r.name])),
        counties: new Map(
          [...geography.counties.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((c) => [c.fips, c.name]),
        ),
      }),
      timezone: rules.calendar.timezone,
      threshold: config.smallNumberThreshold ?? DEFAULT_SMALL_NUMBER_THRESHOLD,
      today: () => rules.calendar.local(new Date()).date,
    };
    const calls: Record<string, () => Promise<unknown>> = {
      'youth_served by race, fiscal year, with trend (API and dashboard)': () =>
        measureReport(ctx, actor, { measure: 'youth_served', by: 'race', ...FISCAL_YEAR }),
      'youth_served by county, fiscal year, with trend': () =>
        measureReport(ctx, actor, { measure: 'youth_served', by: 'county', ...FISCAL_YEAR }),
      'biennial report (19 tables)': () => biennialReport(ctx, actor, BIENNIUM),
    };
    const timing: EvaluationPlans['timing'] = {};
    for (const [name, call] of Object.entries(calls)) {
      await call();
      const ms: number[] = [];
      let perCall = 0;
      for (let i = 0; i < rounds; i++) {
        const before = statements;
        const started = performance.now();
        await call();
        ms.push(performance.now() - started);
        perCall = statements - before;
      }
      ms.sort((a, b) => a - b);
      timing[name] = {
        rounds,
        medianMs: Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10,
        maxMs: Math.round(ms.at(-1)! * 10) / 10,
        statements: perCall,
      };
    }

    // The JavaScript side (groups, small-number protection, rows) beside the queries alone, by race
    // and by county (87 counties): the report without its trend, less its queries run on their own.
    const cal = new FiscalCalendar(ctx.file.periods.fiscalYearStartMonth);
    const period = cal.periodOf(FISCAL_YEAR.from, FISCAL_YEAR.to)!;
    const b = cal.bienniumOf(period);
    const today = ctx.today();
    const lattice = [...b.quarters, ...b.years, b.biennium].filter((p) => p.to < today);
    const jsSide: EvaluationPlans['jsSide'] = {};
    for (const by of ['race', 'county'] as const) {
      const input = {
        jurisdiction: geography.jurisdiction,
        timezone: ctx.timezone,
        scope: { kind: 'statewide' as const, regions: [], organizationId: null },
        metroRegions: ctx.file.metro.regions,
        periods: lattice,
        by,
      };
      const report = () =>
        measureReport(ctx, actor, { measure: 'youth_served', by, ...FISCAL_YEAR, trend: false });
      const queries = () => MEASURE_QUERIES.youth_served(db as never, input);
      const r = await report();
      const reportMs: number[] = [];
      const queryMs: number[] = [];
      for (let i = 0; i < rounds; i++) {
        let started = performance.now();
        await report();
        reportMs.push(performance.now() - started);
        started = performance.now();
        await queries();
        queryMs.push(performance.now() - started);
      }
      const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      jsSide[by] = {
        groups: r.rows.length,
        periods: lattice.length,
        reportMedianMs: Math.round(med(reportMs) * 10) / 10,
        queriesMedianMs: Math.round(med(queryMs) * 10) / 10,
      };
    }

    capturing = true;
    await measureReport(ctx, actor, { measure: 'youth_served', by: 'race', ...FISCAL_YEAR });
    capturing = false;
    const plans: QueryPlan[] = [];
    for (const query of captured) plans.push(await explainQuery(pool, 'youth_served by race', query));

    const tables: EvaluationPlans['tables'] = {};
    for (const name of ['report_youth', 'report_services', 'report_referrals']) {
      const { rows } = await pool.query<{ n: string; pages: number }>(
        `select (select count(*) from ${name}) as n, (select relpages from pg_class where relname = $1) as pages`,
        [name],
      );
      tables[name] = { rows: Number(rows[0]!.n), pages: rows[0]!.pages };
    }
    return { date: new Date().toISOString(), youth: seeded.youth, tables, timing, jsSide, plans };
  } finally {
    try {
      await db.destroy();
      await allClosed();
    } finally {
      await setup.release();
    }
  }
}
