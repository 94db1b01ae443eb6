/**
 * Case coordination at scale, for `npm run bench`: a data directory with synthetic cases
 * (`nwd seed-synthetic`), a navigator invited into it (`nwd users add`), and the query plans of the
 * navigator's dashboard and case page read with EXPLAIN ANALYZE — which indexes they use, and where a
 * table is read in full.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';

export const BENCH_NAVIGATOR = {
  email: 'bench.navigator@example.org',
  password: 'harbor lantern meadow quartz',
  region: 'west-metro',
  organization: 'Synthetic Bench Navigator Host',
};

function run(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/nwd.js', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('exit', (code) =>
      code === 0 ? done(out) : fail(new Error(`nwd ${args.join(' ')} exited with ${code}:\n${out}\n${err}`)),
    );
  });
}

function toolEnv(root: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NWD_DATA_DIR: dataDir,
    NWD_PACK: resolve(root, 'data/mn'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  delete env.DATABASE_URL;
  return env;
}

export interface SeededDirectory {
  dataDir: string;
  cases: number;
  seedSeconds: number;
  seedSummary: string;
  /** The navigator's single-use invitation path (`/staff/invitation/…`). */
  invitationPath: string;
}

/**
 * A fresh data directory holding `cases` synthetic cases (ten timeline events each) and an invitation
 * for a navigator of West Metro.
 */
export async function seededDirectory(root: string, cases: number): Promise<SeededDirectory> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nwd-bench-cases-'));
  chmodSync(dataDir, 0o755);
  try {
    const env = toolEnv(root, dataDir);
    const started = performance.now();
    const summary = await run(root, ['seed-synthetic', '--cases', String(cases), '--seed', '20261122'], env);
    const seedSeconds = (performance.now() - started) / 1000;
    const invited = await run(
      root,
      [
        'users',
        'add',
        '--email',
        BENCH_NAVIGATOR.email,
        '--role',
        'navigator',
        '--org',
        BENCH_NAVIGATOR.organization,
        '--org-type',
        'navigator_host',
        '--region',
        BENCH_NAVIGATOR.region,
      ],
      env,
    );
    const invitationPath = /\/staff\/invitation\/[A-Za-z0-9_-]+/.exec(invited)?.[0];
    if (!invitationPath) throw new Error(`nwd users add printed no invitation link:\n${invited}`);
    return { dataDir, cases, seedSeconds, seedSummary: summary.trim(), invitationPath };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

export interface QueryPlan {
  page: string;
  query: string;
  executionMs: number;
  indexes: string[];
  fullScans: string[];
  nodes: string[];
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

/**
 * Runs the dashboard and case page the way the service does (the same functions, against the seeded
 * database, with the service stopped), captures every SELECT they send, and reads each one's plan with
 * EXPLAIN (ANALYZE, BUFFERS).
 */
export async function explainCaseQueries(
  root: string,
  dataDir: string,
  caseId: string,
): Promise<QueryPlan[]> {
  const env = toolEnv(root, dataDir);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  delete process.env.DATABASE_URL;
  const { loadConfig } = await import('../src/config.ts');
  const { openConfiguredDatabase } = await import('../src/server.ts');
  const { guardPool } = await import('../src/db/database.ts');
  const { loadKeys } = await import('../src/platform/keys/index.ts');
  const { createLogger } = await import('../src/platform/log.ts');
  const { loadPackRules } = await import('../src/pack/rules.ts');
  const { emailIndex } = await import('../src/features/accounts/service.ts');
  const { listCases, getCase } = await import('../src/features/cases/service.ts');
  const config = loadConfig();
  process.env = saved;
  const log = createLogger('warn', process.stderr);
  const setup = await openConfiguredDatabase(config, log);
  // A pool of its own, to capture the queries. PostgreSQL is stopped last (`setup.release`), after both
  // pools are ended and their connections closed; a connection error meanwhile is logged, not thrown.
  const pool = new pg.Pool({ connectionString: setup.url, max: 4 });
  const allClosed = guardPool(pool, (error) =>
    log.warn(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'a connection of the query-plan pool was lost',
    ),
  );
  const captured: { page: string; query: CompiledQuery }[] = [];
  let page = '';
  const db = new Kysely<never>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' && /^\s*(with|select)\b/i.test(event.query.sql))
        captured.push({ page, query: event.query });
    },
  });
  try {
    const { keyring } = await loadKeys(setup.handle.db, config, log);
    const rules = loadPackRules(config.packDir);
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
      calendar: rules.calendar,
      vocabularies: rules.vocabularies,
      retentionDays: config.caseRetentionDays,
    };
    const origin = { ip: '127.0.0.1', userAgent: 'bench' };
    page = 'dashboard (open cases of the region)';
    await listCases(ctx as never, actor, { view: 'open' }, origin);
    page = 'case page';
    await getCase(ctx as never, actor, caseId, origin);
    const plans: QueryPlan[] = [];
    for (const { page: p, query } of captured) {
      const result = await pool.query<{ 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }>(
        `explain (analyze, buffers, format json) ${query.sql}`,
        query.parameters as unknown[],
      );
      const doc = result.rows[0]!['QUERY PLAN'][0]!;
      const nodes = walk(doc.Plan);
      plans.push({
        page: p,
        query: query.sql.replace(/\s+/g, ' ').slice(0, 160),
        executionMs: Math.round(doc['Execution Time'] * 100) / 100,
        indexes: [
          ...new Set(
            nodes
              .filter((n) => n['Index Name'])
              .map((n) => `${n['Index Name']} (${n['Relation Name'] ?? ''})`),
          ),
        ],
        fullScans: [
          ...new Set(
            nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?'),
          ),
        ],
        nodes: nodes.map(
          (n) =>
            `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`,
        ),
      });
    }
    return plans;
  } finally {
    try {
      await db.destroy();
      await allClosed();
    } finally {
      await setup.release();
    }
  }
}
