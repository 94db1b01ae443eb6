/**
 * Load benchmarks (`npm run bench`): start-up time of the service on a fresh and on an initialised
 * data directory, then autocannon against a bare `node:http` server and against the service's public
 * routes, each reported with its ratio to the bare server measured in the same run.
 *
 * The service runs as `node bin/nwd.js start` in its own process (bundled PostgreSQL in a temporary
 * data directory), like production; the bare server runs in another process; the load generator runs
 * here. Figures go to the terminal and to bench/results/<scenario>.json plus summary.json.
 *
 * Settings (environment):
 *   BENCH_DURATION=10          seconds of measured load per scenario
 *   BENCH_CONNECTIONS=50       concurrent connections
 *   BENCH_WARMUP=2             seconds of unmeasured load before each scenario
 *   BENCH_LOG_LEVEL=info       LOG_LEVEL of the service (info logs one line per request, as in production)
 *   BENCH_ACCEPT_ENCODING=     send this Accept-Encoding (e.g. gzip) to exercise compression; none by default
 *   BENCH_SERVER_NODE_ARGS=    extra node flags for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   BENCH_ONLY=                comma-separated scenarios to run (the bare baseline always runs), e.g. navigator-api
 *   BENCH_RESULTS_DIR=bench/results
 *   BENCH_CASES=20000          synthetic cases for the case-coordination scenarios (ten events each)
 *   BENCH_HOUSING_PROGRAMS=300 housing programs for the bed-board scenarios (bench/housing.ts)
 *   BENCH_SHELTER_REQUESTS=50000  past shelter requests for them, over BENCH_CASES cases
 *   BENCH_EVALUATION_YOUTH=100000 young people's reporting facts over five fiscal years (bench/evaluation.ts)
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BENCH_NAVIGATOR,
  auditShareOfProfile,
  explainCaseQueries,
  sampleActivity,
  type AuditProfileShare,
  seededDirectory,
  type ActivitySample,
  type CasePageTiming,
  type QueryPlan,
  type SeededDirectory,
} from './cases.ts';
import { benchTwoInstances, INSTANCE_SCENARIOS, type InstancesBenchResult } from './instances.ts';
import {
  explainBedBoard,
  HOUSING_SCENARIO_NAMES,
  housingScenarios,
  seededHousingDirectory,
  type HousingPlans,
} from './housing.ts';
import {
  BENCH_EVALUATOR,
  EVALUATION_SCENARIO_NAMES,
  evaluationScenarios,
  explainEvaluation,
  seededEvaluationDirectory,
  type EvaluationPlans,
  type EvaluationSeeded,
} from './evaluation.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function numberSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    console.error(`${name} must be a number ≥ ${min}; got "${raw}".`);
    process.exit(2);
  }
  return value;
}

const settings = {
  durationSeconds: numberSetting('BENCH_DURATION', 10, 1),
  connections: Math.round(numberSetting('BENCH_CONNECTIONS', 50, 1)),
  warmupSeconds: numberSetting('BENCH_WARMUP', 2, 0),
  serverLogLevel: process.env.BENCH_LOG_LEVEL || 'info',
  acceptEncoding: process.env.BENCH_ACCEPT_ENCODING || null,
  serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  only: (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  resultsDir: resolve(root, process.env.BENCH_RESULTS_DIR || 'bench/results'),
  cases: Math.round(numberSetting('BENCH_CASES', 20_000, 100)),
  housingPrograms: Math.round(numberSetting('BENCH_HOUSING_PROGRAMS', 300, 1)),
  shelterRequests: Math.round(numberSetting('BENCH_SHELTER_REQUESTS', 50_000, 1)),
  evaluationYouth: Math.round(numberSetting('BENCH_EVALUATION_YOUTH', 100_000, 100)),
};

/** The aims of the scale-and-speed work: the navigator lookup API, the case pages, the audit append. */
const AIMS = {
  navigatorRatioAtLeast: 0.5,
  navigatorP99AtMostMs: 20,
  casePageP99AtMostMs: 50,
  auditShareAtMost: 0.1,
};

const cpuList = cpus();
const machine = {
  node: process.version,
  cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
  cores: cpuList.length,
  memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  kernel: `${process.platform} ${release()}`,
};
const machineCaveat =
  `This machine has ${machine.cores} core${machine.cores === 1 ? '' : 's'}: the load generator (this process), ` +
  'the service and its PostgreSQL compete for them, so figures are lower than on a dedicated server and ' +
  'the ratio to the bare server is the figure to compare between machines.';

// ---------------------------------------------------------------------------------------------------
// Child processes

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Spawn to the ready line on standard output. */
  readyMs: number;
  /** The service's own figure from its `ready` log line (database, migrations, pack, listen). */
  reportedMs: () => number | null;
  /** Bytes written to standard output since the ready line (request logs), consumed and discarded. */
  stdoutBytes: () => number;
  stderrTail: () => string;
  /** Standard output up to the ready line and the first 64 KB after it (the set-up link). */
  output: () => string;
  exited: Promise<Exit>;
}

/**
 * Spawns `node <args>` and resolves when a line on standard output matches `ready`. Standard output
 * stays piped for the whole life of the process; after the ready line its chunks are only counted,
 * so draining the request log costs this process as little as possible.
 */
function startProcess(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  let text = '';
  let isReady = false;
  let bytes = 0;
  let errTail = '';
  let reportedMs: number | null = null;
  let scanned = 0;
  let early = '';
  // The service's `ready` log line comes just before the ready line but may arrive in a later chunk.
  const scanForReportedMs = (chunkText: string) => {
    for (const line of chunkText.split('\n')) {
      if (!line.startsWith('{') || !line.includes('"msg":"ready"')) continue;
      try {
        const entry = JSON.parse(line) as { ms?: number };
        if (typeof entry.ms === 'number') reportedMs = entry.ms;
      } catch {
        // a partial line
      }
    }
  };
  child.stderr!.on('data', (chunk: Buffer) => {
    errTail = (errTail + chunk.toString('utf8')).slice(-8000);
  });
  return new Promise<ServerProcess>((resolvePromise, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      reject(new Error(`${label}: ${why}\n--- stdout ---\n${text.slice(-4000)}\n--- stderr ---\n${errTail}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs / 1000} s`), timeoutMs);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then((exit) => {
      if (!isReady) fail(`exited before it was ready (code ${exit.code}, signal ${exit.signal})`);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (isReady) {
        bytes += chunk.length;
        if (scanned < 65_536) {
          scanned += chunk.length;
          early += chunk.toString('utf8');
          if (reportedMs === null) scanForReportedMs(chunk.toString('utf8'));
        }
        return;
      }
      text += chunk.toString('utf8');
      const match = ready.exec(text);
      if (!match?.[1]) return;
      const readyMs = performance.now() - started;
      isReady = true;
      clearTimeout(timer);
      scanForReportedMs(text);
      resolvePromise({
        child,
        pid: child.pid!,
        url: match[1],
        readyMs,
        reportedMs: () => reportedMs,
        stdoutBytes: () => bytes,
        stderrTail: () => errTail,
        output: () => text + early,
        exited,
      });
    });
  });
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. */
async function stopProcess(p: ServerProcess, graceMs = 30_000): Promise<Exit & { ms: number }> {
  const started = performance.now();
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    p.exited,
    new Promise<null>((done) => {
      timer = setTimeout(() => done(null), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (exit) return { ...exit, ms: performance.now() - started };
  p.child.kill('SIGKILL');
  return { ...(await p.exited), ms: performance.now() - started };
}

function appEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    NWD_DATA_DIR: dataDir,
    NWD_PACK: resolve(root, 'data/mn'),
    LOG_LEVEL: settings.serverLogLevel,
    NODE_ENV: 'production',
    // Production requires the public origin for links in emails; the benchmark sends none.
    NWD_PUBLIC_URL: 'https://bench.invalid',
    // One client sends every request: the API's per-address limit is raised so the load is answered
    // rather than refused (it is still counted in PostgreSQL, as in production).
    NWD_API_RATE_LIMIT_PER_ADDRESS: '1000000',
  };
  delete env.DATABASE_URL;
  return env;
}

function startApp(dataDir: string, label: string, nodeArgs: string[] = []): Promise<ServerProcess> {
  return startProcess(
    label,
    [...settings.serverNodeArgs, ...nodeArgs, 'bin/nwd.js', 'start'],
    appEnv(dataDir),
    /No Wrong Door is ready at (http:\/\/\S+)\r?\n/,
  ).then(async (p) => {
    // `nwd start` installs its SIGTERM handler just after printing the ready line; a SIGTERM sent in
    // between kills it outright (seen about 1 run in 4). Once it has answered a request the handler is there.
    try {
      const response = await fetch(`${p.url}/readyz`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/readyz answered ${response.status}`);
      return p;
    } catch (error) {
      await stopProcess(p);
      throw new Error(`${label}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Measuring the server process

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** User and system (kernel) CPU time of a process in seconds (Linux clock ticks, 100 per second). */
function cpuSeconds(pid: number): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 is state; utime and stime are fields 14 and 15 of the whole line.
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return null;
  }
}

/**
 * CPU seconds of every process below `rootPid` (the bundled PostgreSQL and its backends), including
 * children they have already reaped. Backends that exit unreaped between two readings are missed.
 */
function descendantsCpuSeconds(rootPid: number): number {
  const parentOf = new Map<number, number>();
  const ticksOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(f[1]));
      ticksOf.set(Number(entry), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
    } catch {
      // the process ended while we read
    }
  }
  let total = 0;
  for (const [pid, ticks] of ticksOf) {
    let up = parentOf.get(pid);
    for (let depth = 0; up !== undefined && up > 1 && depth < 8; depth += 1) {
      if (up === rootPid) {
        total += ticks;
        break;
      }
      up = parentOf.get(up);
    }
  }
  return total / 100;
}

function mb(kb: number | null): number | null {
  return kb === null ? null : Math.round((kb / 1024) * 10) / 10;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------------
// Scenarios

interface Scenario {
  name: string;
  description: string;
  paths: string[];
  /** A request other than a plain GET (a form post, a signed-in page), and the status it must answer. */
  request?: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; status: number };
  /** Concurrent connections when not `BENCH_CONNECTIONS`. */
  connections?: number;
}

const BARE: Scenario = {
  name: 'bare-baseline',
  description: 'node:http answering a fixed JSON body (the ceiling)',
  paths: ['/'],
};

const HONO_FLOOR: Scenario = {
  name: 'hono-baseline',
  description: 'one Hono route on @hono/node-server serialising the same JSON (the framework floor)',
  paths: ['/'],
};

const SCENARIOS: Scenario[] = [
  // The navigator API and page: the same as the two-instance scenario runs.
  ...INSTANCE_SCENARIOS,
  {
    name: 'services-api',
    description:
      'GET /api/v1/services?type=shelter_housing&age=15 (directory search in PostgreSQL, HSDS page)',
    paths: ['/api/v1/services?type=shelter_housing&age=15'],
  },
  {
    name: 'services-page',
    description: 'GET /services?county=27123 (directory search, rendered page)',
    paths: ['/services?county=27123'],
  },
  {
    name: 'pathway-api',
    description:
      'POST /api/v1/pathway: a teacher worried about a 15-year-old in Hennepin County with two risk factors (validation, rules, navigator lookup)',
    paths: ['/api/v1/pathway'],
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reporterRole: 'education',
        age: 15,
        exchangeForValue: 'yes',
        thirdPartyProfit: 'unknown',
        county: 'Hennepin',
        riskFactors: ['homeless_or_runaway', 'survival_sex'],
      }),
      status: 200,
    },
  },
];

const STAFF_SCENARIO_NAMES = ['staff-sign-in', 'staff-page'];
const CASE_SCENARIO_NAMES = ['cases-dashboard', 'case-page'];
const INSTANCES_SCENARIO_NAME = 'two-instances';
for (const name of settings.only) {
  if (
    !SCENARIOS.some((s) => s.name === name) &&
    !STAFF_SCENARIO_NAMES.includes(name) &&
    !CASE_SCENARIO_NAMES.includes(name) &&
    !HOUSING_SCENARIO_NAMES.includes(name) &&
    !EVALUATION_SCENARIO_NAMES.includes(name) &&
    name !== INSTANCES_SCENARIO_NAME
  ) {
    console.error(
      `BENCH_ONLY: unknown scenario "${name}"; known: ${[...SCENARIOS.map((s) => s.name), ...STAFF_SCENARIO_NAMES, ...CASE_SCENARIO_NAMES, ...HOUSING_SCENARIO_NAMES, ...EVALUATION_SCENARIO_NAMES, INSTANCES_SCENARIO_NAME].join(', ')}.`,
    );
    process.exit(2);
  }
}

interface ScenarioResult {
  scenario: string;
  /** pg_stat_activity sampled during the load (the case scenarios). */
  activity?: ActivitySample;
  description: string;
  date: string;
  machine: typeof machine;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  serverLogLevel: string;
  acceptEncoding: string | null;
  target: string;
  paths: string[];
  responseBytes: Record<string, number>;
  requestsPerSecond: { average: number; stddev: number; min: number; max: number };
  requestsTotal: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  throughputBytesPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  ratioToBare: number | null;
  server: {
    pid: number;
    peakRssMb: number | null;
    vmHwmMb: number | null;
    cpuPercentOfOneCore: number | null;
    /** The part of it spent in the kernel (socket and pipe writes, mostly). */
    systemCpuPercentOfOneCore: number | null;
    /** Server CPU time divided by the requests answered in the measured run. */
    cpuMicrosecondsPerRequest: number | null;
    /** The service's child processes: the bundled PostgreSQL (0 for the bare server). */
    childProcessesCpuPercentOfOneCore: number;
    logBytesPerRequest: number | null;
  };
  loadGeneratorCpuPercentOfOneCore: number;
}

/** One request per path before the load: every path must answer 200; gives each body's size. */
async function preflight(
  base: string,
  paths: string[],
  request?: Scenario['request'],
): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const path of paths) {
    const response = await fetch(base + path, {
      method: request?.method ?? 'GET',
      redirect: 'manual',
      headers: { 'accept-encoding': 'identity', ...(request?.headers ?? {}) },
      ...(request?.body ? { body: request.body } : {}),
    });
    const body = await response.arrayBuffer();
    if (response.status !== (request?.status ?? 200)) {
      throw new Error(
        `${path} answered ${response.status}, not 200:\n${Buffer.from(body).toString('utf8').slice(0, 500)}`,
      );
    }
    sizes[path] = body.byteLength;
  }
  return sizes;
}

function fire(
  base: string,
  paths: string[],
  durationSeconds: number,
  request?: Scenario['request'],
  connections = settings.connections,
): Promise<autocannon.Result> {
  const headers = {
    ...(settings.acceptEncoding ? { 'accept-encoding': settings.acceptEncoding } : {}),
    ...(request?.headers ?? {}),
  };
  return autocannon({
    url: base + paths[0],
    connections,
    duration: durationSeconds,
    requests: paths.map((path) => ({
      method: request?.method ?? ('GET' as const),
      path,
      headers,
      ...(request?.body ? { body: request.body } : {}),
    })),
  });
}

async function runScenario(
  scenario: Scenario,
  server: ServerProcess,
  bareRps: number | null,
): Promise<ScenarioResult> {
  const responseBytes = await preflight(server.url, scenario.paths, scenario.request);
  process.stdout.write(`  ${scenario.name}: warm-up ${settings.warmupSeconds} s, `);
  if (settings.warmupSeconds > 0)
    await fire(server.url, scenario.paths, settings.warmupSeconds, scenario.request, scenario.connections);
  process.stdout.write(`load ${settings.durationSeconds} s … `);

  let peakRssKb = 0;
  const sample = () => {
    const kb = procStatusKb(server.pid, 'VmRSS');
    if (kb !== null && kb > peakRssKb) peakRssKb = kb;
  };
  sample();
  const sampler = setInterval(sample, 250);
  const cpuBefore = cpuSeconds(server.pid);
  const dbCpuBefore = descendantsCpuSeconds(server.pid);
  const ownCpuBefore = process.cpuUsage();
  const logBytesBefore = server.stdoutBytes();
  const wallStart = performance.now();

  const result = await fire(
    server.url,
    scenario.paths,
    settings.durationSeconds,
    scenario.request,
    scenario.connections,
  );

  const wallSeconds = (performance.now() - wallStart) / 1000;
  clearInterval(sampler);
  sample();
  const cpuAfter = cpuSeconds(server.pid);
  const dbCpuAfter = descendantsCpuSeconds(server.pid);
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const logBytes = server.stdoutBytes() - logBytesBefore;
  const rps = result.requests.average;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  console.log(`${Math.round(rps)} req/s`);

  return {
    scenario: scenario.name,
    description: scenario.description,
    date: new Date().toISOString(),
    machine,
    connections: scenario.connections ?? settings.connections,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: settings.warmupSeconds,
    serverLogLevel: scenario === BARE ? 'none (the bare server does not log)' : settings.serverLogLevel,
    acceptEncoding: settings.acceptEncoding,
    target: server.url,
    paths: scenario.paths,
    responseBytes,
    requestsPerSecond: {
      average: round(rps),
      stddev: round(result.requests.stddev),
      min: result.requests.min,
      max: result.requests.max,
    },
    requestsTotal: result.requests.total,
    latencyMs: {
      average: round(result.latency.average),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    throughputBytesPerSecond: Math.round(result.throughput.average),
    // For a scenario that expects another status (a sign-in answers 303), count answers that differ.
    non2xx: scenario.request
      ? Object.entries(statusCodes).reduce(
          (n, [code, count]) => n + (Number(code) === scenario.request?.status ? 0 : count),
          0,
        )
      : result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    ratioToBare: bareRps ? round(rps / bareRps, 3) : null,
    server: {
      pid: server.pid,
      peakRssMb: mb(peakRssKb || null),
      vmHwmMb: mb(procStatusKb(server.pid, 'VmHWM')),
      cpuPercentOfOneCore:
        cpuBefore && cpuAfter
          ? Math.round(
              ((cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / wallSeconds) * 100,
            )
          : null,
      systemCpuPercentOfOneCore:
        cpuBefore && cpuAfter ? Math.round(((cpuAfter.system - cpuBefore.system) / wallSeconds) * 100) : null,
      cpuMicrosecondsPerRequest:
        cpuBefore && cpuAfter && result.requests.total
          ? Math.round(
              ((cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) /
                result.requests.total) *
                1e6,
            )
          : null,
      childProcessesCpuPercentOfOneCore: Math.round(((dbCpuAfter - dbCpuBefore) / wallSeconds) * 100),
      logBytesPerRequest: result.requests.total ? Math.round(logBytes / result.requests.total) : null,
    },
    loadGeneratorCpuPercentOfOneCore: Math.round(((ownCpu.user + ownCpu.system) / 1e6 / wallSeconds) * 100),
  };
}

// ---------------------------------------------------------------------------------------------------
// Output

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function show(n: number | null, digits = 0): string {
  return n === null ? '–' : n.toFixed(digits);
}

function writeJson(name: string, value: unknown): void {
  writeFileSync(join(settings.resultsDir, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------------

let argon2MsPerHash: number | null = null;

/**
 * What a browser sends with a same-site form under `Referrer-Policy: no-referrer` (`Origin: null`, and
 * Sec-Fetch-Site), which the CSRF check accepts; the service's public origin here is a placeholder.
 */
const BROWSER_FORM = { origin: 'null', 'sec-fetch-site': 'same-origin' };

/**
 * Follows a single-use link (first set-up or invitation) with `linkForm` and the password, signs in,
 * enrols two-step verification (unless `enrol` is false: roles without personal data), and returns the session cookie and the sign-in form's token.
 */
async function signInThroughLink(
  url: string,
  link: string,
  email: string,
  password: string,
  linkForm: Record<string, string>,
  enrol = true,
): Promise<{ cookie: string; formToken: string }> {
  const { totpCodeAt } = await import('../src/platform/auth/credentials/totp.ts');
  const origin = new URL(url).origin;
  let cookie = '';
  const call = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(origin + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', ...BROWSER_FORM } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return { status: response.status, html: await response.text() };
  };
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const first = await call(link);
  const created = await call(link, { csrf: csrfOf(first.html), ...linkForm, password });
  if (created.status !== 303)
    throw new Error(
      `${link.split('/').slice(0, 3).join('/')} answered ${created.status}: ${created.html.slice(0, 300)}`,
    );
  const signIn = await call('/staff/sign-in');
  const formToken = csrfOf(signIn.html);
  await call('/staff/sign-in', { csrf: formToken, email, password });
  if (!enrol) {
    // A role without personal data (an evaluator) signs in with a password alone.
    const home = await call('/staff');
    if (home.status !== 200 || !cookie)
      throw new Error(`Could not sign in ${email} (answer ${home.status}).`);
    return { cookie, formToken };
  }
  const enrolment = await call('/staff/two-factor');
  const key = (/Key: <code>([A-Z2-7 ]+)<\/code>/.exec(enrolment.html)?.[1] ?? '').replace(/ /g, '');
  if (!key) throw new Error(`Could not start two-step enrolment for ${email} (answer ${enrolment.status}).`);
  const done = await call('/staff/two-factor', { csrf: csrfOf(enrolment.html), code: await totpCodeAt(key) });
  if (done.status !== 200 || !cookie) throw new Error(`Could not sign in ${email}.`);
  return { cookie, formToken };
}

/**
 * The staff side: creates the first state administrator through the set-up link the service printed,
 * signs in and enrols two-step verification (synthetic account), and returns two scenarios — the
 * password step of signing in (one argon2id verification and a new session each), and a signed-in page.
 */
async function staffScenarios(app: ServerProcess): Promise<{ scenarios: Scenario[]; argon2Ms: number }> {
  const { hashPassword } = await import('../src/platform/auth/credentials/password.ts');
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await hashPassword('bench synthetic passphrase');
    times.push(performance.now() - t0);
  }
  const argon2Ms = times.sort((a, b) => a - b)[2] ?? 0;

  const link = /\/staff\/setup\/nwdl_[A-Za-z0-9_-]{43}/.exec(app.output())?.[0];
  if (!link)
    throw new Error('The service printed no set-up link: the staff scenarios need a fresh data directory.');
  const email = 'bench.admin@example.org';
  const password = 'granite willow compass ember';
  const { cookie, formToken } = await signInThroughLink(app.url, link, email, password, {
    organizationName: 'Synthetic Bench Agency',
    displayName: 'Bench Admin',
    email,
  });
  const signedIn = cookie;
  return {
    argon2Ms,
    scenarios: [
      {
        name: 'staff-page',
        description: 'GET /staff/sessions signed in: session lookup, permission check, page',
        paths: ['/staff/sessions'],
        request: { method: 'GET', headers: { cookie: signedIn }, status: 200 },
      },
      {
        name: 'staff-sign-in',
        description:
          'POST /staff/sign-in with a correct password, four at a time (one account may have at most five sign-ins in flight from one address; the hashing runs on four threads): argon2id verification, throttle bookkeeping, a new session, audit row; answers 303',
        connections: 4,
        paths: ['/staff/sign-in'],
        request: {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...BROWSER_FORM },
          body: new URLSearchParams({ csrf: formToken, email, password }).toString(),
          status: 303,
        },
      },
    ],
  };
}

/**
 * The navigator's day at scale: a service on a data directory seeded with `settings.cases` synthetic
 * cases, a navigator of West Metro signed in through their invitation, and two scenarios — the
 * dashboard (their region's open cases, one page) and one case's page.
 */
async function caseScenarios(
  seeded: SeededDirectory,
  app: ServerProcess,
): Promise<{ scenarios: Scenario[]; caseId: string }> {
  const { cookie } = await signInThroughLink(
    app.url,
    seeded.invitationPath,
    BENCH_NAVIGATOR.email,
    BENCH_NAVIGATOR.password,
    {},
  );
  const dashboard = await fetch(`${app.url}/staff/cases?view=open`, { headers: { cookie } });
  const html = await dashboard.text();
  const caseId = /\/staff\/cases\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(
    html,
  )?.[1];
  if (dashboard.status !== 200 || !caseId)
    throw new Error(`The case dashboard answered ${dashboard.status} without a case link.`);
  const signedIn = { method: 'GET' as const, headers: { cookie }, status: 200 };
  return {
    caseId,
    scenarios: [
      {
        name: 'cases-dashboard',
        description: `GET /staff/cases?view=open as a West Metro navigator, ${seeded.cases} cases in the database: one page of the region's open cases (names decrypted), audited`,
        paths: ['/staff/cases?view=open'],
        request: signedIn,
      },
      {
        name: 'case-page',
        description: `GET /staff/cases/:id: one case with its details, notes, services and timeline decrypted, audited (${seeded.cases} cases, ten events each)`,
        paths: [`/staff/cases/${caseId}`],
        request: signedIn,
      },
    ],
  };
}

/**
 * The case page's load once more, on a service started with `--cpu-prof`, and the audit append's share
 * of its CPU time read from the profile written at exit.
 */
async function profileCasePage(dataDir: string, scenario: Scenario): Promise<AuditProfileShare> {
  const dir = mkdtempSync(join(tmpdir(), 'nwd-bench-prof-'));
  try {
    const app = await startApp(dataDir, 'service under a CPU profile', [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
    ]);
    try {
      process.stdout.write('  case-page under a CPU profile … ');
      await fire(app.url, scenario.paths, Math.min(settings.durationSeconds, 5), scenario.request);
    } finally {
      await stopProcess(app);
    }
    // The main thread's profile is the largest (the module loader's thread writes one as well).
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
    if (!file) throw new Error('The service wrote no CPU profile.');
    const share = auditShareOfProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    console.log(`audit append ${round(share.share * 100, 1)}% of the server's time`);
    return share;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  mkdirSync(settings.resultsDir, { recursive: true });
  console.log(`No Wrong Door load benchmarks — ${new Date().toISOString()}`);
  console.log(
    `Node ${machine.node}, ${machine.cpuModel} × ${machine.cores}, ${machine.memoryGb} GB, ${machine.kernel}`,
  );
  console.log(
    `${settings.connections} connections, ${settings.durationSeconds} s per scenario after ${settings.warmupSeconds} s warm-up; ` +
      `service LOG_LEVEL=${settings.serverLogLevel}` +
      (settings.acceptEncoding
        ? `; Accept-Encoding: ${settings.acceptEncoding}`
        : '; no Accept-Encoding (no compression)') +
      (settings.serverNodeArgs.length ? `; service node flags: ${settings.serverNodeArgs.join(' ')}` : ''),
  );
  console.log(`Note: ${machineCaveat}`);
  const loadBefore = round(loadavg()[0] ?? 0);
  console.log(
    `Load average before the run: ${loadBefore}` +
      (loadBefore > machine.cores / 4
        ? ' — other work is running (or a run just ended); figures may be lower and noisier.\n'
        : '\n'),
  );

  const wantCases = !settings.only.length || CASE_SCENARIO_NAMES.some((n) => settings.only.includes(n));
  const wantHousing = !settings.only.length || HOUSING_SCENARIO_NAMES.some((n) => settings.only.includes(n));
  const housingScale = {
    programs: settings.housingPrograms,
    requests: settings.shelterRequests,
    cases: settings.cases,
  };
  let seeded: SeededDirectory | null = null;
  let housingSeeded: SeededDirectory | null = null;
  let housingPlans: HousingPlans | null = null;
  const wantEvaluation =
    !settings.only.length || EVALUATION_SCENARIO_NAMES.some((n) => settings.only.includes(n));
  let evaluationSeeded: EvaluationSeeded | null = null;
  let evaluationPlans: EvaluationPlans | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'nwd-bench-'));
  // PostgreSQL runs as the postgres user when we are root; mkdtemp makes 0700 directories it cannot enter.
  chmodSync(dataDir, 0o755);
  const running: ServerProcess[] = [];
  const problems: string[] = [];

  try {
    if (wantCases) {
      process.stdout.write(`Seeding ${settings.cases} synthetic cases for the case scenarios … `);
      seeded = await seededDirectory(root, settings.cases);
      console.log(`${seeded.seedSeconds.toFixed(1)} s\n  ${seeded.seedSummary}`);
    }
    if (wantHousing) {
      process.stdout.write(
        `Seeding ${housingScale.programs} housing programs and ${housingScale.requests} past shelter requests (${housingScale.cases} cases) for the bed board … `,
      );
      housingSeeded = await seededHousingDirectory(root, housingScale);
      console.log(`${housingSeeded.seedSeconds.toFixed(1)} s\n  ${housingSeeded.seedSummary}`);
    }
    if (wantEvaluation) {
      process.stdout.write(
        `Seeding the reporting facts of ${settings.evaluationYouth} young people over five fiscal years … `,
      );
      evaluationSeeded = await seededEvaluationDirectory(root, settings.evaluationYouth);
      console.log(`${evaluationSeeded.seedSeconds.toFixed(1)} s\n  ${evaluationSeeded.seedSummary}`);
    }

    // 1. Start-up.
    process.stdout.write('Cold start (initdb + migrate + pack) … ');
    const cold = await startApp(dataDir, 'cold start');
    running.push(cold);
    console.log(`${Math.round(cold.readyMs)} ms`);
    const coldStop = await stopProcess(cold);
    running.splice(running.indexOf(cold), 1);
    if (coldStop.code !== 0)
      problems.push(
        `after the cold start, SIGTERM ended the service with code ${coldStop.code} (signal ${coldStop.signal}), not 0`,
      );

    process.stdout.write('Warm start (initialised data directory) … ');
    const app = await startApp(dataDir, 'warm start');
    running.push(app);
    console.log(`${Math.round(app.readyMs)} ms — ${app.url} (pid ${app.pid})`);
    const rssAtReadyMb = mb(procStatusKb(app.pid, 'VmRSS'));

    // 2. The bare server, with a body as large as an average navigator answer.
    const navigatorPaths = SCENARIOS[0]!.paths;
    const navigatorSizes = Object.values(await preflight(app.url, navigatorPaths));
    const bareBytes = Math.round(navigatorSizes.reduce((a, b) => a + b, 0) / navigatorSizes.length);
    const bare = await startProcess(
      'bare server',
      ['bench/bare-server.mjs'],
      { ...process.env, BARE_BODY_BYTES: String(bareBytes) },
      /bare server listening at (http:\/\/\S+) /,
    );
    running.push(bare);

    const honoFloor = await startProcess(
      'hono floor',
      ['bench/bare-server.mjs'],
      { ...process.env, BARE_BODY_BYTES: String(bareBytes), BARE_FRAMEWORK: 'hono' },
      /bare server listening at (http:\/\/\S+) /,
    );
    running.push(honoFloor);

    // 3. Load.
    console.log('\nLoad:');
    const bareResult = await runScenario(BARE, bare, null);
    bareResult.ratioToBare = 1;
    const bareRps = bareResult.requestsPerSecond.average;
    const honoResult = await runScenario(HONO_FLOOR, honoFloor, bareRps);
    const results: ScenarioResult[] = [bareResult, honoResult];
    for (const scenario of SCENARIOS) {
      if (settings.only.length && !settings.only.includes(scenario.name)) continue;
      results.push(await runScenario(scenario, app, bareRps));
    }
    const wantStaff = (name: string) => !settings.only.length || settings.only.includes(name);
    if (wantStaff('staff-sign-in') || wantStaff('staff-page')) {
      const staff = await staffScenarios(app);
      console.log(`  argon2id: ${staff.argon2Ms.toFixed(1)} ms per hash (median of 5, in this process)`);
      argon2MsPerHash = staff.argon2Ms;
      for (const scenario of staff.scenarios)
        if (wantStaff(scenario.name)) results.push(await runScenario(scenario, app, bareRps));
    }

    let plans: QueryPlan[] = [];
    let timing: CasePageTiming | null = null;
    let auditProfile: AuditProfileShare | null = null;
    if (seeded) {
      const casesApp = await startApp(seeded.dataDir, 'service with synthetic cases');
      running.push(casesApp);
      const cases = await caseScenarios(seeded, casesApp);
      for (const scenario of cases.scenarios)
        if (!settings.only.length || settings.only.includes(scenario.name)) {
          // Does any request wait on a lock (the audit log's above all)? Sampled while the load runs.
          const sampler = await sampleActivity(seeded.dataDir);
          const result = await runScenario(scenario, casesApp, bareRps);
          result.activity = await sampler.stop();
          results.push(result);
        }
      const casesStop = await stopProcess(casesApp);
      running.splice(running.indexOf(casesApp), 1);
      if (casesStop.code !== 0)
        problems.push(`the service with synthetic cases exited with code ${casesStop.code}, not 0`);
      const casePage = cases.scenarios.find((x) => x.name === 'case-page');
      if (casePage && (!settings.only.length || settings.only.includes('case-page')))
        auditProfile = await profileCasePage(seeded.dataDir, casePage);
      ({ plans, timing } = await explainCaseQueries(root, seeded.dataDir, cases.caseId));
      writeFileSync(
        join(settings.resultsDir, 'case-query-plans.json'),
        `${JSON.stringify({ date: new Date().toISOString(), cases: seeded.cases, seedSeconds: round(seeded.seedSeconds, 1), auditProfile, timing, plans }, null, 2)}\n`,
      );
    }

    // The bed board at 300 programs and 50,000 past shelter requests, then its query plans.
    if (housingSeeded) {
      const housingApp = await startApp(housingSeeded.dataDir, 'service with synthetic housing');
      running.push(housingApp);
      const { cookie } = await signInThroughLink(
        housingApp.url,
        housingSeeded.invitationPath,
        BENCH_NAVIGATOR.email,
        BENCH_NAVIGATOR.password,
        {},
      );
      for (const scenario of housingScenarios(cookie, housingScale))
        if (!settings.only.length || settings.only.includes(scenario.name))
          results.push(await runScenario(scenario, housingApp, bareRps));
      const housingStop = await stopProcess(housingApp);
      running.splice(running.indexOf(housingApp), 1);
      if (housingStop.code !== 0)
        problems.push(`the service with synthetic housing exited with code ${housingStop.code}, not 0`);
      housingPlans = await explainBedBoard(root, housingSeeded, housingScale);
      writeJson('housing-query-plans', { ...housingPlans, loadAverageBefore: loadBefore });
    }

    // The evaluation's reports over 100,000 young people's facts, then their timing at one client and plans.
    if (evaluationSeeded) {
      const evaluationApp = await startApp(
        evaluationSeeded.dataDir,
        'service with synthetic reporting facts',
      );
      running.push(evaluationApp);
      const { cookie } = await signInThroughLink(
        evaluationApp.url,
        evaluationSeeded.invitationPath,
        BENCH_EVALUATOR.email,
        BENCH_EVALUATOR.password,
        {},
        false,
      );
      for (const scenario of evaluationScenarios(cookie, settings.evaluationYouth))
        if (!settings.only.length || settings.only.includes(scenario.name))
          results.push(await runScenario(scenario, evaluationApp, bareRps));
      const evaluationStop = await stopProcess(evaluationApp);
      running.splice(running.indexOf(evaluationApp), 1);
      if (evaluationStop.code !== 0)
        problems.push(
          `the service with synthetic reporting facts exited with code ${evaluationStop.code}, not 0`,
        );
      evaluationPlans = await explainEvaluation(root, evaluationSeeded);
      writeJson('evaluation-query-plans', { ...evaluationPlans, loadAverageBefore: loadBefore });
    }

    // Two instances on one PostgreSQL behind a round-robin proxy (and one, through the same proxy).
    let two: InstancesBenchResult | null = null;
    if (!settings.only.length || settings.only.includes(INSTANCES_SCENARIO_NAME)) {
      console.log('\nTwo instances behind a round-robin proxy:');
      two = await benchTwoInstances({
        root,
        connections: settings.connections,
        durationSeconds: settings.durationSeconds,
        warmupSeconds: settings.warmupSeconds,
        logLevel: settings.serverLogLevel,
        serverNodeArgs: settings.serverNodeArgs,
        acceptEncoding: settings.acceptEncoding,
        bareRps,
      });
      writeJson(INSTANCES_SCENARIO_NAME, two);
      problems.push(...two.problems);
    }

    // 4. Shut down and check the exits.
    await stopProcess(honoFloor);
    running.splice(running.indexOf(honoFloor), 1);
    const bareStop = await stopProcess(bare);
    running.splice(running.indexOf(bare), 1);
    if (bareStop.code !== 0)
      problems.push(`the bare server exited with code ${bareStop.code} (signal ${bareStop.signal}), not 0`);
    const appStop = await stopProcess(app);
    running.splice(running.indexOf(app), 1);
    if (appStop.code !== 0) {
      problems.push(
        `SIGTERM ended the service with code ${appStop.code} (signal ${appStop.signal}), not 0\n${app.stderrTail()}`,
      );
    }

    for (const r of results) {
      if (r.non2xx || r.errors || r.timeouts) {
        problems.push(
          `${r.scenario}: ${r.non2xx} non-2xx responses, ${r.errors} errors, ${r.timeouts} timeouts (status codes ${JSON.stringify(r.statusCodes)})`,
        );
      }
    }

    const startup = {
      scenario: 'startup',
      date: new Date().toISOString(),
      machine,
      coldStart: {
        description:
          'spawn of `node bin/nwd.js start` on a fresh data directory to its ready line: initdb, PostgreSQL start, migrations, Minnesota pack',
        readyMs: Math.round(cold.readyMs),
        serviceReportedMs: cold.reportedMs(),
        shutdownMs: Math.round(coldStop.ms),
        exitCode: coldStop.code,
      },
      warmStart: {
        description:
          'the same on the now initialised data directory: PostgreSQL start, nothing to migrate or load',
        readyMs: Math.round(app.readyMs),
        serviceReportedMs: app.reportedMs(),
        shutdownMs: Math.round(appStop.ms),
        exitCode: appStop.code,
        rssAtReadyMb,
      },
      note: 'readyMs includes starting Node and compiling the TypeScript sources through tsx; serviceReportedMs is the service’s own figure from its ready log line.',
    };

    // 5. Report.
    const nav = results.find((r) => r.scenario === 'navigator-api');
    const navAims = !nav
      ? []
      : [
          {
            aim: `navigator-api throughput ≥ ${AIMS.navigatorRatioAtLeast * 100}% of the bare server`,
            measured: `${round((nav.ratioToBare ?? 0) * 100, 1)}%`,
            met: (nav.ratioToBare ?? 0) >= AIMS.navigatorRatioAtLeast,
          },
          {
            aim: 'navigator-api throughput beside the framework floor (a bare Hono route, for context)',
            measured: `${round((nav.requestsPerSecond.average / honoResult.requestsPerSecond.average) * 100, 1)}% of the Hono floor`,
            met: true,
            context: true,
          },
          {
            aim: `navigator-api p99 latency ≤ ${AIMS.navigatorP99AtMostMs} ms at ${settings.connections} connections`,
            measured: `${nav.latencyMs.p99} ms`,
            met: nav.latencyMs.p99 <= AIMS.navigatorP99AtMostMs,
          },
        ];
    const caseAims = [
      ...results
        .filter((r) => r.activity)
        .flatMap((r) => [
          {
            aim: `${r.scenario} p99 ≤ ${AIMS.casePageP99AtMostMs} ms at ${settings.connections} connections (${seeded?.cases} cases)`,
            measured: `${r.latencyMs.p99} ms`,
            met: r.latencyMs.p99 <= AIMS.casePageP99AtMostMs,
          },
          {
            aim: `${r.scenario}: no request waits on a lock (pg_stat_activity sampled)`,
            measured: `${r.activity!.lockWaits} lock waits in ${r.activity!.samples} samples`,
            met: r.activity!.lockWaits === 0,
          },
        ]),
      ...(timing
        ? [
            ...(auditProfile
              ? [
                  {
                    aim: `the audit append ≤ ${AIMS.auditShareAtMost * 100}% of the case page's server time (CPU profile under load)`,
                    measured: `${round(auditProfile.share * 100, 1)}%`,
                    met: auditProfile.share <= AIMS.auditShareAtMost,
                  },
                ]
              : []),
            {
              aim: `the audit append beside the case page's service call at one connection (wall time, in process; context)`,
              measured: `${round(timing.auditShare * 100, 1)}%`,
              met: true,
              context: true,
            },
          ]
        : []),
    ];
    const aims = [...navAims, ...caseAims];

    for (const r of results) writeJson(r.scenario, r);
    writeJson('startup', startup);
    writeJson('summary', {
      argon2MsPerHash,
      date: new Date().toISOString(),
      machine,
      machineCaveat,
      loadAverageBefore: loadBefore,
      settings: {
        connections: settings.connections,
        durationSeconds: settings.durationSeconds,
        warmupSeconds: settings.warmupSeconds,
        serverLogLevel: settings.serverLogLevel,
        acceptEncoding: settings.acceptEncoding,
        serverNodeArgs: settings.serverNodeArgs,
      },
      startup: {
        coldStartMs: startup.coldStart.readyMs,
        warmStartMs: startup.warmStart.readyMs,
        rssAtReadyMb,
      },
      scenarios: results.map((r) => ({
        scenario: r.scenario,
        requestsPerSecond: r.requestsPerSecond.average,
        ratioToBare: r.ratioToBare,
        p50Ms: r.latencyMs.p50,
        p99Ms: r.latencyMs.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        serverCpuPercent: r.server.cpuPercentOfOneCore,
        serverCpuMicrosecondsPerRequest: r.server.cpuMicrosecondsPerRequest,
        postgresCpuPercent: r.server.childProcessesCpuPercentOfOneCore,
        loadGeneratorCpuPercent: r.loadGeneratorCpuPercentOfOneCore,
        peakRssMb: r.server.peakRssMb,
        responseBytes: Math.round(Object.values(r.responseBytes).reduce((a, b) => a + b, 0) / r.paths.length),
      })),
      aims,
      problems,
      ok: problems.length === 0,
    });

    console.log('\nStart-up');
    console.log(
      table([
        ['', 'to ready (ms)', 'service says (ms)', 'shutdown (ms)', 'exit'],
        [
          'cold start (initdb + migrate + pack)',
          String(startup.coldStart.readyMs),
          show(cold.reportedMs()),
          String(startup.coldStart.shutdownMs),
          String(coldStop.code),
        ],
        [
          'warm start',
          String(startup.warmStart.readyMs),
          show(app.reportedMs()),
          String(startup.warmStart.shutdownMs),
          String(appStop.code),
        ],
      ]),
    );
    console.log(`\nLoad: ${settings.connections} connections, ${settings.durationSeconds} s each`);
    console.log(
      table([
        [
          'scenario',
          'req/s',
          'ratio',
          'p50 ms',
          'p99 ms',
          'non-2xx',
          'errors',
          'body B',
          'server CPU %',
          'µs CPU/req',
          'PG CPU %',
          'loadgen CPU %',
          'peak RSS MB',
        ],
        ...results.map((r) => [
          r.scenario,
          show(r.requestsPerSecond.average),
          r.ratioToBare === null ? '–' : r.ratioToBare.toFixed(2),
          show(r.latencyMs.p50),
          show(r.latencyMs.p99),
          String(r.non2xx),
          String(r.errors + r.timeouts),
          show(Object.values(r.responseBytes).reduce((a, b) => a + b, 0) / r.paths.length),
          show(r.server.cpuPercentOfOneCore),
          show(r.server.cpuMicrosecondsPerRequest),
          show(r.server.childProcessesCpuPercentOfOneCore),
          show(r.loadGeneratorCpuPercentOfOneCore),
          show(r.server.peakRssMb, 1),
        ]),
      ]),
    );
    console.log(
      'ratio = requests/s ÷ the bare server’s requests/s in this run; CPU % is of one core; ' +
        `peak RSS is the server process alone (the service’s is ${show(rssAtReadyMb, 1)} MB at ready; PostgreSQL not counted).`,
    );
    console.log(`Note: ${machineCaveat}`);
    console.log('\nAims (reported, not enforced):');
    for (const a of aims)
      console.log(`  ${'context' in a ? 'CONTEXT' : a.met ? 'MET    ' : 'NOT MET'}  ${a.aim}: ${a.measured}`);
    for (const r of results.filter((x) => x.activity)) {
      const a = r.activity!;
      console.log(
        `\npg_stat_activity during ${r.scenario} (${a.samples} samples, every ${a.everyMs} ms): ` +
          `${a.activeBackendsAverage} statements running on average; lock waits ${a.lockWaits} ` +
          `(advisory ${a.advisoryLockWaits}, on audit tables ${a.auditLockWaits}); ` +
          `waits: ${
            Object.entries(a.waitEvents)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ') || 'none'
          }`,
      );
    }
    if (auditProfile)
      console.log(
        `\nCPU profile of the service under the case-page load: the audit append ${auditProfile.auditMs} ms of ` +
          `${auditProfile.serverMs} ms = ${round(auditProfile.share * 100, 1)}% of the server's time.`,
      );
    if (timing)
      console.log(
        `\nCase page in process (median of ${timing.rounds}): ${timing.casePageMedianMs} ms; its audit append alone ` +
          `${timing.auditAppendMedianMs} ms = ${round(timing.auditShare * 100, 1)}% of it. Statements per page: ` +
          `${Object.entries(timing.statementsPerPage)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')} (the session's aside).`,
      );
    if (plans.length) {
      console.log(
        `\nQuery plans at ${seeded?.cases} cases (EXPLAIN ANALYZE of every SELECT the page sends):`,
      );
      for (const plan of plans)
        console.log(
          `  [${plan.page}] ${plan.executionMs} ms — ${plan.indexes.length ? `indexes: ${plan.indexes.join(', ')}` : 'no index'}` +
            `${plan.fullScans.length ? `; full scans: ${plan.fullScans.join(', ')}` : ''}\n      ${plan.query}`,
        );
    }
    if (housingPlans) {
      const t = housingPlans.tables;
      console.log(
        `\nBed board at ${Object.entries(t)
          .map(([k, v]) => `${k} ${v.rows} rows (${v.pages} pages)`)
          .join(', ')}: ` +
          `in process ${housingPlans.timing.bedBoardMedianMs} ms (median of ${housingPlans.timing.rounds}), ` +
          `${housingPlans.timing.programsShown} programs shown, ${housingPlans.timing.statements} statement(s). Query plans:`,
      );
      for (const plan of housingPlans.plans)
        console.log(
          `  [${plan.page}] ${plan.executionMs} ms — ${plan.indexes.length ? `indexes: ${plan.indexes.join(', ')}` : 'no index'}` +
            `${plan.fullScans.length ? `; full scans: ${plan.fullScans.join(', ')}` : ''}\n      ${plan.nodes.join(' → ')}\n      ${plan.query}`,
        );
    }
    if (evaluationPlans) {
      const t = evaluationPlans.tables;
      console.log(
        `\nEvaluation reports at ${Object.entries(t)
          .map(([k, v]) => `${k} ${v.rows} rows (${v.pages} pages)`)
          .join(', ')}, in process at one client:`,
      );
      for (const [name, x] of Object.entries(evaluationPlans.timing))
        console.log(
          `  ${name}: median ${x.medianMs} ms, slowest ${x.maxMs} ms of ${x.rounds}; ${x.statements} statements`,
        );
      for (const [by, x] of Object.entries(evaluationPlans.jsSide))
        console.log(
          `  by ${by} (${x.groups} groups, ${x.periods} periods) without the trend: ${x.reportMedianMs} ms, of which the queries alone ${x.queriesMedianMs} ms`,
        );
      console.log('  Query plans of youth_served by race:');
      for (const plan of evaluationPlans.plans)
        console.log(
          `  ${plan.executionMs} ms — ${plan.indexes.length ? `indexes: ${plan.indexes.join(', ')}` : 'no index'}` +
            `${plan.fullScans.length ? `; full scans: ${plan.fullScans.join(', ')}` : ''}\n      ${plan.query}`,
        );
    }
    if (two) {
      console.log(`\nTwo instances on one PostgreSQL behind a round-robin proxy (${two.cores} cores):`);
      for (const x of two.scenarios)
        console.log(
          `  ${x.scenario}: two instances ${Math.round(x.twoInstances.requestsPerSecond)} req/s, p99 ${x.twoInstances.latencyMs.p99} ms; ` +
            (x.oneInstance
              ? `one instance through the proxy ${Math.round(x.oneInstance.requestsPerSecond)} req/s, p99 ${x.oneInstance.latencyMs.p99} ms (×${x.twoOverOne})`
              : 'one instance not measured'),
        );
      console.log(
        `  a change to the public data showed on every instance within ${two.changeShownMs.max} ms`,
      );
    }
    console.log(`\nResults written to ${settings.resultsDir}/`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const p of running) {
      const exit = await stopProcess(p);
      if (exit.code !== 0)
        problems.push(
          `pid ${p.pid} exited with code ${exit.code} (signal ${exit.signal}) when stopped after a failure`,
        );
    }
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    if (seeded && existsSync(seeded.dataDir)) rmSync(seeded.dataDir, { recursive: true, force: true });
    if (housingSeeded && existsSync(housingSeeded.dataDir))
      rmSync(housingSeeded.dataDir, { recursive: true, force: true });
    if (evaluationSeeded && existsSync(evaluationSeeded.dataDir))
      rmSync(evaluationSeeded.dataDir, { recursive: true, force: true });
  }

  if (problems.length) {
    console.error(`\nThe benchmark run FAILED:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

// A failure anywhere ends the run with a message and exit code 1, never as an unhandled error.
process.exitCode = await main().catch((error: unknown) => {
  console.error(`\nThe benchmark run FAILED:\n  ${error instanceof Error ? error.stack : String(error)}`);
  return 1;
});
