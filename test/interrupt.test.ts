/**
 * An interrupted test run leaves no PostgreSQL behind: vitest runs a tiny test file with the suite's
 * global setup (which starts the bundled PostgreSQL) in a child process; once the server is up, the
 * child gets SIGINT or SIGTERM, and afterwards no server process of that data directory may remain.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve('.');
// `.tmp/` is ignored by git, so a fresh clone does not have it yet.
mkdirSync(resolve('.tmp'), { recursive: true });
const work = mkdtempSync(join(resolve('.tmp'), 'interrupt-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every running process whose command line names `dir` (PostgreSQL is started with `-D <dir>/pg`). */
function processesOf(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function interruptedRun(signal: 'SIGINT' | 'SIGTERM') {
  const dir = join(work, signal);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // The bundled PostgreSQL runs as the postgres user when the tests run as root: it must reach tmp.
  for (const d of [work, dir, tmp]) chmodSync(d, 0o755);
  writeFileSync(
    join(dir, 'waits.test.ts'),
    `import { it } from 'vitest';\nit('waits', () => new Promise((done) => setTimeout(done, 120_000)), 180_000);\n`,
  );
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    `export default { test: { root: ${JSON.stringify(root)}, include: [${JSON.stringify(`${dir}/waits.test.ts`)}],` +
      ` globalSetup: ['test/global-setup.ts'], hookTimeout: 120000, pool: 'forks' } };\n`,
  );
  const { TEST_DATABASE_URL: _external, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', join(dir, 'vitest.config.mjs')],
    { cwd: root, env: { ...env, TMPDIR: tmp, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await new Promise<void>((ready, fail) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('tests use the bundled PostgreSQL')) ready();
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => fail(new Error(`vitest ended before its PostgreSQL was up:\n${output}`)));
  });
  const dataDirs = readdirSync(tmp).filter((name) => name.startsWith('nwd-test-'));
  expect(dataDirs).toHaveLength(1);
  const dataDir = join(tmp, dataDirs[0]!);
  const before = processesOf(dataDir);
  child.kill(signal);
  await exited;
  return { before, after: processesOf(dataDir), dataDirLeft: existsSync(dataDir) };
}

describe('an interrupted test run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops the bundled PostgreSQL on ${signal}`, async () => {
      const { before, after, dataDirLeft } = await interruptedRun(signal);
      expect(before.length).toBeGreaterThan(0);
      expect(after).toEqual([]);
      expect(dataDirLeft).toBe(false);
    }, 180_000);
  }
});
