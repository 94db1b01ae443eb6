/**
 * The bed board at scale, for `npm run bench` (`BENCH_ONLY=bed-board-api,bed-board-page`): a data
 * directory seeded with `nwd seed-synthetic --housing-programs 300 --shelter-requests 50000` (past
 * requests with their answers and placements), a West Metro navigator signed in, the bed board's API and
 * page under load with a typical filter, and the bed board's queries read with EXPLAIN ANALYZE.
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import {
  BENCH_NAVIGATOR,
  explainQuery,
  seededDirectory,
  toolEnv,
  type QueryPlan,
  type SeededDirectory,
} from './cases.ts';

export const HOUSING_SCENARIO_NAMES = ['bed-board-api', 'bed-board-page'];

/** What the bed board is measured at: housing programs, past shelter requests, and the cases they are of. */
export interface HousingScale {
  programs: number;
  requests: number;
  cases: number;
}

/**
 * A navigator in Hennepin County looking for a bed tonight for a 16-year-old girl: the bed board's
 * typical question (age, gender, county, how soon).
 */
export const BED_BOARD_FILTER = 'age=16&gender=female&county=27053&when=tonight';

/** A fresh data directory at `scale`, with the bench navigator's invitation. Two timeline events a case. */
export function seededHousingDirectory(root: string, scale: HousingScale): Promise<SeededDirectory> {
  return seededDirectory(root, scale.cases, [
    '--events',
    String(scale.cases * 2),
    '--housing-programs',
    String(scale.programs),
    '--shelter-requests',
    String(scale.requests),
  ]);
}

/** The two scenarios, signed in as the navigator (session cookie). */
export function housingScenarios(cookie: string, scale: HousingScale) {
  const signedIn = { method: 'GET' as const, headers: { cookie }, status: 200 };
  const at = `${scale.programs} housing programs, ${scale.requests} past shelter requests`;
  return [
    {
      name: 'bed-board-api',
      description: `GET /api/v1/housing/availability?${BED_BOARD_FILTER} as a West Metro navigator (session): the programs that fit, beds free first, JSON (${at})`,
      paths: [`/api/v1/housing/availability?${BED_BOARD_FILTER}`],
      request: signedIn,
    },
    {
      name: 'bed-board-page',
      description: `GET /staff/housing/beds?${BED_BOARD_FILTER} as a West Metro navigator: the bed board page with its filter (${at})`,
      paths: [`/staff/housing/beds?${BED_BOARD_FILTER}`],
      request: signedIn,
    },
  ];
}

const HOUSING_TABLES = [
  'housing_programs',
  'housing_availability_updates',
  'shelter_requests',
  'shelter_offers',
  'housing_placements',
  'member_organizations',
];

export interface HousingPlans {
  date: string;
  scale: HousingScale;
  /** Rows and 8 KB pages of the housing tables, as seeded. */
  tables: Record<string, { rows: number; pages: number }>;
  /** The bed board's service call in process at one connection, median of `rounds`. */
  timing: { rounds: number; bedBoardMedianMs: number; programsShown: number; statements: number };
  plans: QueryPlan[];
}

/**
 * Runs the bed board the way the service does (the same function, on the seeded database, with the
 * service stopped), captures every SELECT it sends, reads each one's plan with EXPLAIN (ANALYZE,
 * BUFFERS), and times it.
 */
export async function explainBedBoard(
  root: string,
  seeded: SeededDirectory,
  scale: HousingScale,
  rounds = 200,
): Promise<HousingPlans> {
  const saved = { ...process.env };
  Object.assign(process.env, toolEnv(root, seeded.dataDir));
  delete process.env.DATABASE_URL;
  const { loadConfig } = await import('../src/config.ts');
  const { openConfiguredDatabase } = await import('../src/server.ts');
  const { guardPool } = await import('../src/db/database.ts');
  const { loadKeys } = await import('../src/platform/keys/index.ts');
  const { createLogger } = await import('../src/platform/log.ts');
  const { emailIndex } = await import('../src/features/accounts/service.ts');
  const { loadGeography } = await import('../src/features/help/queries.ts');
  const { bedBoard, boardFilter } = await import('../src/features/housing/service.ts');
  const { BoardQuery } = await import('../src/features/housing/schema.ts');
  const config = loadConfig();
  process.env = saved;
  const log = createLogger('warn', process.stderr);
  const setup = await openConfiguredDatabase(config, log);
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
      if (event.level !== 'query' || !capturing) return;
      statements++;
      if (/^\s*(with|select)\b/i.test(event.query.sql)) captured.push(event.query);
    },
  });
  try {
    const { keyring } = await loadKeys(setup.handle.db, config, log);
    const geography = await loadGeography(setup.handle.db);
    const user = await setup.handle.db
      .selectFrom('staff_users')
      .select(['id', 'organization_id', 'regions'])
      .where('email_index', '=', await emailIndex({ keyring }, BENCH_NAVIGATOR.email))
      .executeTakeFirstOrThrow();
    const actor = {
      userId: user.id,
      role: 'navigator' as const,
      organizationId: user.organization_id,
      regions: user.regions,
    };
    const ctx = {
      db: db as never,
      keyring,
      geography: () => geography,
      staleHours: config.housingStaleHours,
    };
    const filter = boardFilter(
      ctx,
      BoardQuery.parse(Object.fromEntries(new URLSearchParams(BED_BOARD_FILTER))),
    );
    capturing = true;
    const shown = await bedBoard(ctx, actor, filter);
    capturing = false;
    const perCall = statements;
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await bedBoard(ctx, actor, filter);
      ms.push(performance.now() - started);
    }
    const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? 0;
    const tables: HousingPlans['tables'] = {};
    for (const name of HOUSING_TABLES) {
      const { rows } = await pool.query<{ n: string; pages: number }>(
        `select (select count(*) from ${name}) as n, (select relpages from pg_class where relname = $1) as pages`,
        [name],
      );
      tables[name] = { rows: Number(rows[0]!.n), pages: rows[0]!.pages };
    }
    const plans: QueryPlan[] = [];
    for (const query of captured) plans.push(await explainQuery(pool, 'bed board', query));
    return {
      date: new Date().toISOString(),
      scale,
      tables,
      timing: {
        rounds,
        bedBoardMedianMs: Math.round(median * 1000) / 1000,
        programsShown: shown.length,
        statements: perCall,
      },
      plans,
    };
  } finally {
    try {
      await db.destroy();
      await allClosed();
    } finally {
      await setup.release();
    }
  }
}
