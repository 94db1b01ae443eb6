import { defineConfig } from 'vitest/config';

/**
 * Two tiers. The full suite (`npm test`) runs everything on one PostgreSQL started by the global setup.
 * The fast tier (`npm run test:unit`, NWD_TEST_TIER=unit) runs only what needs neither a database nor
 * a browser nor a process of its own, so it starts no PostgreSQL at all.
 */
const unit = process.env.NWD_TEST_TIER === 'unit';

/** Tests that start PostgreSQL or the `nwd` command themselves (not through the global setup). */
export const PROCESS_TESTS = [
  'test/lifecycle.test.ts',
  'test/bundled-database-faults.test.ts',
  'test/interrupt.test.ts',
];

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: unit
      ? ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'test/**/*.test.ts']
      : ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: unit
      ? ['**/node_modules/**', '**/*.db.test.*', 'e2e/**', ...PROCESS_TESTS]
      : ['**/node_modules/**'],
    globalSetup: unit ? [] : ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
