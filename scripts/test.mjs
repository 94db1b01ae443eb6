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
import { spawnSync } from 'node:child_process';

const vitest = ['node_modules/vitest/vitest.mjs', 'run'];
const unit = process.argv.includes('--unit');
const extra = process.argv.slice(2).filter((arg) => arg !== '--unit');

function run(label, args, env) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, [...vitest, ...args, ...extra], { stdio: 'inherit', env });
  return result.status ?? 1;
}

if (unit) {
  process.exit(run('fast tier: no database, no browser', [], { ...process.env, NWD_TEST_TIER: 'unit' }));
}

const { TEST_DATABASE_URL, ...withoutExternal } = process.env;
let status = run('all tests, bundled PostgreSQL', [], withoutExternal);
if (TEST_DATABASE_URL) {
  status = run('database tests, PostgreSQL at TEST_DATABASE_URL', ['.db.test.'], process.env) || status;
} else if (process.env.CI) {
  console.error(
    '\nCI is set but TEST_DATABASE_URL is not: the suite must also run on a separate PostgreSQL server.',
  );
  status = status || 1;
}
process.exit(status);
