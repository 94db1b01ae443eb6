#!/usr/bin/env node
// The whole test suite, or with --unit the fast tier only.
//
// --unit: the tests that need no database, no browser and no process of their own (no PostgreSQL
// starts); vitest.config.ts reads NWD_TEST_TIER to choose them.
//
// Without it:
// 1. Every test (unit, integration, command-line, lifecycle, browser) on the bundled PostgreSQL.
// 2. When TEST_DATABASE_URL is set, the database tests (*.db.test.*) again on that server, so that
//    the product is proven on both the bundled PostgreSQL and a separately run one.
//
// --bundled-only: step 1 alone, even in CI (where a missing TEST_DATABASE_URL is otherwise an error);
// .ci/run uses it for its second Node.js version, after step 2 has run on the first.
//
// vitest, its workers and every process the tests start run on the Node.js that runs this script
// (process.execPath), so `<node> scripts/test.mjs` tests that version throughout.
//
// A SIGINT or SIGTERM sent to this script goes on to vitest, which then stops its PostgreSQL; the
// script stops too, running nothing after.
import { spawn } from 'node:child_process';

const vitest = ['node_modules/vitest/vitest.mjs', 'run'];
const unit = process.argv.includes('--unit');
const bundledOnly = process.argv.includes('--bundled-only');
const extra = process.argv.slice(2).filter((arg) => arg !== '--unit' && arg !== '--bundled-only');

let interrupted = null;
let current = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = signal;
    current?.kill(signal);
  });
}

async function run(label, args, env) {
  if (interrupted) return 1;
  console.log(`\n=== ${label} ===`);
  current = spawn(process.execPath, [...vitest, ...args, ...extra], { stdio: 'inherit', env });
  const status = await new Promise((done) => current.once('exit', (code) => done(code ?? 1)));
  current = null;
  return interrupted ? 130 : status;
}

if (unit) {
  process.exit(
    await run('fast tier: no database, no browser', [], { ...process.env, NWD_TEST_TIER: 'unit' }),
  );
}

const { TEST_DATABASE_URL, ...withoutExternal } = process.env;
let status = await run(`all tests, bundled PostgreSQL, Node.js ${process.version}`, [], withoutExternal);
if (TEST_DATABASE_URL && !bundledOnly) {
  status =
    (await run('database tests, PostgreSQL at TEST_DATABASE_URL', ['.db.test.'], process.env)) || status;
} else if (process.env.CI && !bundledOnly) {
  console.error(
    '\nCI is set but TEST_DATABASE_URL is not: the suite must also run on a separate PostgreSQL server.',
  );
  status = status || 1;
}
process.exit(status);
