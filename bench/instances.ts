/**
 * Two instances on one database: the navigator page and API through a round-robin proxy.
 *
 * Two `node bin/nwd.js start` processes share one PostgreSQL. The bundled PostgreSQL belongs to the
 * process that started it (it holds the data directory's lock), so the first instance starts it as
 * usual and the second attaches to it as any instance attaches to a shared server: with `DATABASE_URL`
 * (the first's server, read from the data directory as `nwd` commands run beside a service do) and the
 * same master key file. With `databaseUrl` both use that server instead (e.g. a managed PostgreSQL).
 * The proxy (bench/round-robin-proxy.ts) runs in this process beside the load generator and sends
 * each request to the next instance in turn. For comparison the same load also runs through the proxy
 * to the first instance alone, so the two figures differ only in the number of instances.
 *
 * Run alone: `node bin/run-ts.js bench/instances.ts` (BENCH_DURATION, BENCH_CONNECTIONS, BENCH_WARMUP,
 * BENCH_LOG_LEVEL as for bench/run.ts; BENCH_DATABASE_URL for a server of your own). From bench/run.ts:
 * `await benchTwoInstances({ root, connections, durationSeconds, warmupSeconds, logLevel, bareRps })`.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runningServerUrl } from '../src/db/embedded.ts';
import { CHANGES_CHANNEL } from '../src/platform/changes/index.ts';
import { startRoundRobinProxy } from './round-robin-proxy.ts';

export interface InstancesBenchOptions {
  /** The repository's root (where bin/nwd.js is). */
  root: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** LOG_LEVEL of both instances (bench/run.ts uses info: one line per request, as in production). */
  logLevel: string;
  /** Extra node flags for both instances. */
  serverNodeArgs?: string[];
  /** Sent as Accept-Encoding when set. */
  acceptEncoding?: string | null;
  /** The bare server's requests per second in the same run, for the ratio. */
  bareRps?: number | null;
  /** A PostgreSQL server both instances use; none: the first instance's bundled one. */
  databaseUrl?: string | null;
  /** Also measure one instance through the same proxy (default true). */
  compareOneInstance?: boolean;
  /** The scenarios (default: the navigator API and page of bench/run.ts). */
  scenarios?: InstancesScenario[];
}

export interface InstancesScenario {
  name: string;
  description: string;
  paths: string[];
}

export const INSTANCE_SCENARIOS: InstancesScenario[] = [
  {
    name: 'navigator-api',
    description: 'GET /api/v1/navigators rotating county names, FIPS codes and ZIP codes (one multi-county)',
    paths: [
      '/api/v1/navigators?county=Hennepin',
      '/api/v1/navigators?county=27137',
      '/api/v1/navigators?zip=55401',
      '/api/v1/navigators?zip=55009',
      '/api/v1/navigators?county=ramsey',
      '/api/v1/navigators?zip=56001',
    ],
  },
  {
    name: 'navigator-page',
    description: 'GET /navigator?county=27053 (server-rendered page)',
    paths: ['/navigator?county=27053'],
  },
];

export interface LoadFigures {
  instances: number;
  requestsPerSecond: number;
  requestsTotal: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  ratioToBare: number | null;
  /** Requests each instance answered. */
  perInstance: number[];
  /** CPU of each instance process, percent of one core. */
  instanceCpuPercent: (number | null)[];
  /** Peak resident memory of each instance process. */
  instancePeakRssMb: (number | null)[];
  /** This process: the load generator and the proxy. */
  loadGeneratorAndProxyCpuPercent: number;
}

export interface InstancesScenarioResult {
  scenario: string;
  description: string;
  paths: string[];
  twoInstances: LoadFigures;
  oneInstance: LoadFigures | null;
  /** Two instances' requests per second over one instance's, through the same proxy. */
  twoOverOne: number | null;
}

export interface InstancesBenchResult {
  scenario: 'two-instances';
  description: string;
  date: string;
  database: 'bundled (first instance), attached by the second' | 'external';
  cores: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  instances: { pid: number; url: string; readyMs: number; rssAtReadyMb: number | null }[];
  scenarios: InstancesScenarioResult[];
  /**
   * From the commit of a change to the public data (a line's hours, announced as `nwd import-pack` and
   * stewardship edits announce) to each instance's home page showing it: five changes, idle.
   */
  changeShownMs: { perInstance: number[][]; max: number };
  note: string;
  /** What went wrong (non-2xx answers, errors, an exit other than 0); empty on a clean run. */
  problems: string[];
}

interface Instance {
  child: ChildProcess;
  pid: number;
  url: string;
  readyMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail: () => string;
}

const READY = /No Wrong Door is ready at (http:\/\/\S+)\r?\n/;

function startInstance(
  root: string,
  label: string,
  nodeArgs: string[],
  env: NodeJS.ProcessEnv,
): Promise<Instance> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, 'bin/nwd.js', 'start'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let text = '';
  let errTail = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errTail = (errTail + chunk.toString('utf8')).slice(-8000);
  });
  return new Promise<Instance>((resolvePromise, reject) => {
    let ready = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      reject(new Error(`${label}: ${why}\n--- stdout ---\n${text.slice(-4000)}\n--- stderr ---\n${errTail}`));
    };
    const timer = setTimeout(() => fail('not ready after 120 s'), 120_000);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then((exit) => {
      if (!ready) fail(`exited before it was ready (code ${exit.code}, signal ${exit.signal})`);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      // After the ready line the request log is read and dropped.
      if (ready) return;
      text += chunk.toString('utf8');
      const match = READY.exec(text);
      if (!match?.[1]) return;
      ready = true;
      clearTimeout(timer);
      const instance: Instance = {
        child,
        pid: child.pid!,
        url: match[1],
        readyMs: performance.now() - started,
        exited,
        stderrTail: () => errTail,
      };
      // The SIGTERM handler is installed just after the ready line: wait for a first answer.
      fetch(`${instance.url}/readyz`)
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
          resolvePromise(instance);
        })
        .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    });
  });
}

async function stopInstance(p: Instance, graceMs = 30_000): Promise<{ code: number | null }> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    p.exited,
    new Promise<null>((done) => {
      timer = setTimeout(() => done(null), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (exit) return exit;
  p.child.kill('SIGKILL');
  return p.exited;
}

function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function fire(
  base: string,
  paths: string[],
  seconds: number,
  connections: number,
  acceptEncoding: string | null,
): Promise<autocannon.Result> {
  const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
  return autocannon({
    url: base + paths[0],
    connections,
    duration: seconds,
    requests: paths.map((path) => ({ method: 'GET' as const, path, headers })),
  });
}

/**
 * Starts two instances on one database behind a round-robin proxy and measures the navigator API and
 * page through it (and, unless `compareOneInstance` is false, through the proxy to one instance).
 * Every process it starts is stopped before it returns, also on failure.
 *
 * @example
 * const result = await benchTwoInstances({ root, connections: 50, durationSeconds: 10, warmupSeconds: 2, logLevel: 'info' });
 * writeFileSync('bench/results/two-instances.json', JSON.stringify(result, null, 2));
 */
export async function benchTwoInstances(options: InstancesBenchOptions): Promise<InstancesBenchResult> {
  const scenarios = options.scenarios ?? INSTANCE_SCENARIOS;
  const nodeArgs = options.serverNodeArgs ?? [];
  const acceptEncoding = options.acceptEncoding ?? null;
  const problems: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'nwd-bench-instances-'));
  // PostgreSQL runs as the postgres user when we are root; mkdtemp makes 0700 directories it cannot enter.
  chmodSync(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    NWD_DATA_DIR: dataDir,
    NWD_PACK: resolve(options.root, 'data/mn'),
    LOG_LEVEL: options.logLevel,
    NODE_ENV: 'production',
    NWD_PUBLIC_URL: 'https://bench.invalid',
    // Every request comes from this machine's address: the per-address API limit (1200 a minute by
    // default) would answer 429 within the first second. Its cost (one upsert a request) stays measured.
    NWD_API_RATE_LIMIT_PER_ADDRESS: '1000000',
  };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const running: Instance[] = [];
  const proxy = await startRoundRobinProxy();
  try {
    const first = await startInstance(options.root, 'first instance', nodeArgs, env);
    running.push(first);
    // The second attaches to the first's bundled server with the master key file it created.
    const url = options.databaseUrl ?? runningServerUrl(dataDir);
    if (!url) throw new Error('The first instance holds no bundled PostgreSQL the second could attach to.');
    if (!options.databaseUrl && !existsSync(join(dataDir, 'master.key')))
      throw new Error('The first instance wrote no master key file for the second to read.');
    const second = await startInstance(options.root, 'second instance', nodeArgs, {
      ...env,
      DATABASE_URL: url,
    });
    running.push(second);
    const instances = [first, second];
    const atReady = instances.map((p) => rssMb(p.pid));

    const measure = async (scenario: InstancesScenario, targets: Instance[]): Promise<LoadFigures> => {
      proxy.setTargets(targets.map((p) => p.url));
      for (const path of scenario.paths) {
        for (let i = 0; i < targets.length; i++) {
          const res = await fetch(proxy.url + path);
          await res.arrayBuffer();
          if (res.status !== 200)
            throw new Error(`${scenario.name}: ${path} answered ${res.status}, not 200`);
        }
      }
      if (options.warmupSeconds > 0)
        await fire(proxy.url, scenario.paths, options.warmupSeconds, options.connections, acceptEncoding);
      proxy.setTargets(targets.map((p) => p.url));
      const peak = targets.map(() => 0);
      const sample = () =>
        targets.forEach((p, i) => {
          peak[i] = Math.max(peak[i] ?? 0, rssMb(p.pid) ?? 0);
        });
      const sampler = setInterval(sample, 250);
      const cpuBefore = targets.map((p) => cpuSeconds(p.pid));
      const ownBefore = process.cpuUsage();
      const started = performance.now();
      const result = await fire(
        proxy.url,
        scenario.paths,
        options.durationSeconds,
        options.connections,
        acceptEncoding,
      );
      const wall = (performance.now() - started) / 1000;
      clearInterval(sampler);
      sample();
      const own = process.cpuUsage(ownBefore);
      const rps = result.requests.average;
      return {
        instances: targets.length,
        requestsPerSecond: round(rps),
        requestsTotal: result.requests.total,
        latencyMs: {
          average: round(result.latency.average),
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
        },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        ratioToBare: options.bareRps ? round(rps / options.bareRps, 3) : null,
        perInstance: proxy.counts(),
        instanceCpuPercent: targets.map((p, i) => {
          const before = cpuBefore[i];
          const after = cpuSeconds(p.pid);
          return before === null || before === undefined || after === null
            ? null
            : Math.round(((after - before) / wall) * 100);
        }),
        instancePeakRssMb: peak.map((v) => v || null),
        loadGeneratorAndProxyCpuPercent: Math.round(((own.user + own.system) / 1e6 / wall) * 100),
      };
    };

    const results: InstancesScenarioResult[] = [];
    for (const scenario of scenarios) {
      const two = await measure(scenario, instances);
      const one = options.compareOneInstance === false ? null : await measure(scenario, [first]);
      for (const figures of [two, one]) {
        if (figures && (figures.non2xx || figures.errors || figures.timeouts))
          problems.push(
            `${scenario.name} (${figures.instances} instance${figures.instances === 1 ? '' : 's'}): ` +
              `${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.timeouts} timeouts`,
          );
      }
      results.push({
        scenario: scenario.name,
        description: scenario.description,
        paths: scenario.paths,
        twoInstances: two,
        oneInstance: one,
        twoOverOne: one ? round(two.requestsPerSecond / one.requestsPerSecond, 3) : null,
      });
    }

    const changeShownMs = await measureChangeShown(url, instances);

    // The second goes first: it uses the first's PostgreSQL.
    for (const p of [second, first]) {
      const exit = await stopInstance(p);
      running.splice(running.indexOf(p), 1);
      if (exit.code !== 0)
        problems.push(`pid ${p.pid} exited with code ${exit.code}, not 0\n${p.stderrTail()}`);
    }

    return {
      scenario: 'two-instances',
      description:
        'two `nwd start` processes on one PostgreSQL behind a round-robin proxy (in the load generator’s process); the same load to one instance through the proxy for comparison',
      date: new Date().toISOString(),
      database: options.databaseUrl ? 'external' : 'bundled (first instance), attached by the second',
      cores: cpus().length,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      instances: instances.map((p, i) => ({
        pid: p.pid,
        url: p.url,
        readyMs: Math.round(p.readyMs),
        rssAtReadyMb: atReady[i] ?? null,
      })),
      scenarios: results,
      changeShownMs,
      note:
        `On ${cpus().length} cores the two instances, their PostgreSQL, the proxy and the load generator share ` +
        'the same cores: a second instance cannot add throughput here, and the proxy’s own hop costs some. ' +
        'The figures show that two instances serve the same pages correctly and at what cost; scaling needs cores (or machines) for each.',
      problems,
    };
  } finally {
    for (const p of [...running].reverse()) await stopInstance(p);
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Commits a change to the statewide line's hours with its announcement, as an edit or a pack import
 * does, and times until each instance's home page shows it; five times.
 */
async function measureChangeShown(
  databaseUrl: string,
  instances: Instance[],
): Promise<InstancesBenchResult['changeShownMs']> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  const perInstance: number[][] = instances.map(() => []);
  try {
    for (let round = 0; round < 5; round++) {
      const hours = `Synthetic bench hours ${Date.now().toString(36)}-${round}`;
      await client.query('begin');
      await client.query(
        'update lines_to_call set hours = $1 where id = (select statewide_line_id from packs order by imported_at desc limit 1)',
        [hours],
      );
      await client.query(
        "update data_versions set version = version + 1, changed_at = now() where name = 'geography'",
      );
      await client.query('select pg_notify($1, $2)', [
        CHANGES_CHANNEL,
        JSON.stringify({ topic: 'geography', detail: { name: 'geography' } }),
      ]);
      await client.query('commit');
      const committed = performance.now();
      await Promise.all(
        instances.map(async (p, i) => {
          for (;;) {
            const res = await fetch(`${p.url}/`);
            if ((await res.text()).includes(hours)) break;
            if (performance.now() - committed > 10_000)
              throw new Error(`instance ${i + 1} did not show a changed line within 10 s`);
            await new Promise((r) => setTimeout(r, 5));
          }
          perInstance[i]!.push(Math.round(performance.now() - committed));
        }),
      );
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return { perInstance, max: Math.max(...perInstance.flat()) };
}

// Run alone: `node bin/run-ts.js bench/instances.ts`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const setting = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return process.env[name] && Number.isFinite(v) ? v : fallback;
  };
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.exitCode = await benchTwoInstances({
    root,
    connections: setting('BENCH_CONNECTIONS', 50),
    durationSeconds: setting('BENCH_DURATION', 10),
    warmupSeconds: setting('BENCH_WARMUP', 2),
    logLevel: process.env.BENCH_LOG_LEVEL || 'info',
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    acceptEncoding: process.env.BENCH_ACCEPT_ENCODING || null,
    databaseUrl: process.env.BENCH_DATABASE_URL || null,
  }).then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      for (const s of result.scenarios)
        console.log(
          `${s.scenario}: two instances ${s.twoInstances.requestsPerSecond} req/s (p99 ${s.twoInstances.latencyMs.p99} ms, split ${s.twoInstances.perInstance.join('/')})` +
            (s.oneInstance
              ? `; one instance ${s.oneInstance.requestsPerSecond} req/s (p99 ${s.oneInstance.latencyMs.p99} ms); two ÷ one ${s.twoOverOne}`
              : ''),
        );
      console.log(
        `a committed change shown on every instance within ${result.changeShownMs.max} ms ` +
          `(per instance: ${result.changeShownMs.perInstance.map((ms) => ms.join(', ')).join(' | ')})`,
      );
      if (result.problems.length) console.error(`Problems:\n  ${result.problems.join('\n  ')}`);
      return result.problems.length ? 1 : 0;
    },
    (error: unknown) => {
      console.error(
        `The two-instance benchmark FAILED:\n  ${error instanceof Error ? error.stack : String(error)}`,
      );
      return 1;
    },
  );
}
