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

export function run(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
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

export function toolEnv(root: string, dataDir: string): NodeJS.ProcessEnv {
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
 * A fresh data directory holding `cases` synthetic cases (ten timeline events each, unless `seedArgs`
 * says otherwise, with any other `nwd seed-synthetic` options) and an invitation for a navigator of
 * West Metro.
 */
export async function seededDirectory(
  root: string,
  cases: number,
  seedArgs: string[] = [],
): Promise<SeededDirectory> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nwd-bench-cases-'));
  chmodSync(dataDir, 0o755);
  try {
    const env = toolEnv(root, dataDir);
    const started = performance.now();
    const summary = await run(
      root,
      ['seed-synthetic', '--cases', String(cases), '--seed', '20261122', ...seedArgs],
      env,
    );
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
  'Rows Removed by Filter'?: number;
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

/** The case page's service call timed in process, and the audit append's share of it. */
export interface CasePageTiming {
  rounds: number;
  casePageMedianMs: number;
  auditAppendMedianMs: number;
  /** auditAppendMedianMs ÷ casePageMedianMs. */
  auditShare: number;
  /** Statements each page sends to PostgreSQL (the session's aside). */
  statementsPerPage: Record<string, number>;
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

/** One captured SELECT read with EXPLAIN (ANALYZE, BUFFERS): its indexes, its full scans, its nodes. */
export async function explainQuery(pool: pg.Pool, page: string, query: CompiledQuery): Promise<QueryPlan> {
  const result = await pool.query<{ 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }>(
    `explain (analyze, buffers, format json) ${query.sql}`,
    query.parameters as unknown[],
  );
  const doc = result.rows[0]!['QUERY PLAN'][0]!;
  const nodes = walk(doc.Plan);
  return {
    page,
    query: query.sql.replace(/\s+/g, ' ').slice(0, 160),
    executionMs: Math.round(doc['Execution Time'] * 100) / 100,
    indexes: [
      ...new Set(
        nodes.filter((n) => n['Index Name']).map((n) => `${n['Index Name']} (${n['Relation Name'] ?? ''})`),
      ),
    ],
    fullScans: [
      ...new Set(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?')),
    ],
    nodes: nodes.map(
      (n) =>
        `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Actual Rows'] !== undefined ? ` (${n['Actual Rows']} rows${n['Rows Removed by Filter'] ? `, ${n['Rows Removed by Filter']} removed by its filter` : ''})` : ''}`,
    ),
  };
}

/**
 * Runs the dashboard and case page the way the service does (the same functions, against the seeded
 * database, with the service stopped), captures every SELECT they send, and reads each one's plan with
 * EXPLAIN (ANALYZE, BUFFERS); then times the case page against its audit append alone.
 */
export async function explainCaseQueries(
  root: string,
  dataDir: string,
  caseId: string,
  timingRounds = 200,
): Promise<{ plans: QueryPlan[]; timing: CasePageTiming }> {
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
  const { recordReadAudit } = await import('../src/platform/audit/audit.ts');
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
  const statements: Record<string, number> = {};
  let page = '';
  const db = new Kysely<never>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level !== 'query' || !page) return;
      statements[page] = (statements[page] ?? 0) + 1;
      if (/^\s*(with|select)\b/i.test(event.query.sql)) captured.push({ page, query: event.query });
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
    page = '';
    // The audit append's share of the case page's service call (reads, decryption, audit), timed
    // alternately so both see the same machine.
    const pageMs: number[] = [];
    const auditMs: number[] = [];
    for (let i = 0; i < timingRounds; i++) {
      let started = performance.now();
      await getCase(ctx as never, actor, caseId, origin);
      pageMs.push(performance.now() - started);
      started = performance.now();
      await recordReadAudit(db as never, actor, origin, {
        action: 'case.open',
        subjectType: 'case',
        subjectId: caseId,
        details: { case: caseId, region: actor.regions[0] ?? null, status: 'open' },
      });
      auditMs.push(performance.now() - started);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const timing: CasePageTiming = {
      rounds: timingRounds,
      casePageMedianMs: Math.round(median(pageMs) * 1000) / 1000,
      auditAppendMedianMs: Math.round(median(auditMs) * 1000) / 1000,
      auditShare: median(pageMs) ? Math.round((median(auditMs) / median(pageMs)) * 1000) / 1000 : 0,
      statementsPerPage: statements,
    };
    const plans: QueryPlan[] = [];
    for (const { page: p, query } of captured) plans.push(await explainQuery(pool, p, query));
    return { plans, timing };
  } finally {
    try {
      await db.destroy();
      await allClosed();
    } finally {
      await setup.release();
    }
  }
}

/** What `pg_stat_activity` showed while a scenario ran: waits, above all on locks. */
export interface ActivitySample {
  samples: number;
  everyMs: number;
  /** Backends of the service running a statement, on average per sample. */
  activeBackendsAverage: number;
  /** Samples × backends waiting on a lock of any kind. */
  lockWaits: number;
  /** Of those, waits on an advisory lock. */
  advisoryLockWaits: number;
  /** Of those, waits on a lock of an audit table (audit_events, audit_chain). */
  auditLockWaits: number;
  /** Every wait seen, `type:event` → backend-samples (client reads and CPU aside). */
  waitEvents: Record<string, number>;
}

/**
 * Samples the service's sessions in `pg_stat_activity` (and the locks they wait for in `pg_locks`)
 * every `everyMs` while the service runs on `dataDir`, until `stop()` is called.
 *
 * @example
 * const sampler = await sampleActivity(seeded.dataDir);
 * await runTheLoad();
 * const activity = await sampler.stop(); // { samples: 98, lockWaits: 0, … }
 */
export async function sampleActivity(
  dataDir: string,
  everyMs = 100,
): Promise<{ stop(): Promise<ActivitySample> }> {
  const { runningServerUrl } = await import('../src/db/embedded.ts');
  const url = runningServerUrl(dataDir);
  if (!url) throw new Error(`No PostgreSQL of a running service was found for ${dataDir}.`);
  const client = new pg.Client({ connectionString: url, application_name: 'nwd-bench-sampler' });
  client.on('error', () => undefined);
  await client.connect();
  const totals: ActivitySample = {
    samples: 0,
    everyMs,
    activeBackendsAverage: 0,
    lockWaits: 0,
    advisoryLockWaits: 0,
    auditLockWaits: 0,
    waitEvents: {},
  };
  let active = 0;
  let stopped = false;
  const once = async () => {
    const { rows } = await client.query<{
      wait_event_type: string | null;
      wait_event: string | null;
      locktype: string | null;
      relation: string | null;
    }>(
      `select a.wait_event_type, a.wait_event, l.locktype, l.relation::regclass::text as relation
         from pg_stat_activity a
         left join pg_locks l on l.pid = a.pid and not l.granted
        where a.datname = current_database() and a.pid <> pg_backend_pid()
          and a.application_name = 'nwd' and a.state = 'active'`,
    );
    totals.samples++;
    active += rows.length;
    for (const r of rows) {
      if (r.wait_event_type && r.wait_event_type !== 'Client' && r.wait_event_type !== 'Activity') {
        const key = `${r.wait_event_type}:${r.wait_event}`;
        totals.waitEvents[key] = (totals.waitEvents[key] ?? 0) + 1;
      }
      if (r.wait_event_type === 'Lock') {
        totals.lockWaits++;
        if (r.locktype === 'advisory') totals.advisoryLockWaits++;
        if (r.relation && /^audit_/.test(r.relation)) totals.auditLockWaits++;
      }
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      await once().catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => undefined);
      totals.activeBackendsAverage = totals.samples ? Math.round((active / totals.samples) * 100) / 100 : 0;
      return totals;
    },
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}

/** What a CPU profile of the service under the case-page load says of the audit append. */
export interface AuditProfileShare {
  /** Sampled CPU time from the first case-page request on, idle time aside. */
  serverMs: number;
  /** Of it, samples with the audit append (`insertAudit`) on the stack. */
  auditMs: number;
  share: number;
}

/**
 * Reads a `--cpu-prof` profile of the service taken under the case-page load: the share of its CPU
 * time (from the first sample inside the case page's route on, idle aside) spent with the audit append
 * on the stack. Work resumed after an `await` runs on a fresh stack, so the append's own share counts
 * building, checking and sending its INSERT, and not reading the answer: the figure is a close lower
 * bound, which the in-process timing beside it bounds from above.
 */
export function auditShareOfProfile(profile: {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}): AuditProfileShare {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const onStack = (id: number, names: Set<string>) => {
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x))
      if (names.has(byId.get(x)?.callFrame.functionName ?? '')) return true;
    return false;
  };
  const route = new Set(['overviewPage', 'getCase']);
  const audit = new Set(['insertAudit', 'recordReadAudit']);
  let started = false;
  let server = 0;
  let auditUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    if (!started && onStack(id, route)) started = true;
    if (!started || byId.get(id)?.callFrame.functionName === '(idle)') return;
    server += us;
    if (onStack(id, audit)) auditUs += us;
  });
  return {
    serverMs: Math.round(server / 1000),
    auditMs: Math.round(auditUs / 1000),
    share: server ? Math.round((auditUs / server) * 1000) / 1000 : 0,
  };
}
