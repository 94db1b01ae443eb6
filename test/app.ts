/**
 * The application wired to a test database, for requests through `app.request()` or a real server.
 * Each test app has a random master key of its own (its keyring encrypts into its own database) and
 * configures rate-limit hashing with it.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../src/app.ts';
import type { AppDeps } from '../src/app-types.ts';
import { GeographyCache } from '../src/features/help/queries.ts';
import { loadPackRules } from '../src/pack/rules.ts';
import { Keyring, generateMasterKey, type MasterKey } from '../src/platform/crypto/index.ts';
import { createLogger } from '../src/platform/log.ts';
import type { SiteOrigin } from '../src/platform/mail/index.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing } from '../src/platform/rate-limit/index.ts';
import { createServerWith } from '../src/web/fast-path.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

export const QUICK_EXIT_URL = 'https://www.weather.gov/';
/** The origin links in a test app's emails point at. */
export const TEST_SITE: Readonly<SiteOrigin> = { origin: 'http://localhost:3000', development: true };

export interface TestApp {
  app: ReturnType<typeof createApp>['app'];
  policies: ReturnType<typeof createApp>['policies'];
  /** The public fast path, to put ahead of the app on a Node server (`listen(app, fastPath)`). */
  fastPath: ReturnType<typeof createApp>['fastPath'];
  deps: AppDeps;
  database: TestDatabase;
  /** This app's master key (random per test app). */
  masterKey: MasterKey;
  /** Every line the app logged, for asserting what logs hold. */
  logLines: string[];
  close(): Promise<void>;
}

/** `config` adds to the test app's configuration, e.g. `{ trustedProxies: ['10.0.0.0/8'] }`. */
export async function testApp(config: Partial<AppDeps['config']> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('info', sink);
  const geography = new GeographyCache(database.db);
  await geography.load();
  const masterKey = generateMasterKey();
  const keyring = new Keyring(database.db, masterKey);
  // Module-wide, as in the service: the most recently built test app's key counts.
  configureRateLimitHashing(await keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE));
  const deps: AppDeps = {
    db: database.db,
    geography,
    rules: loadPackRules(resolve('data/mn')),
    keyring,
    site: { ...TEST_SITE },
    config: { quickExitUrl: QUICK_EXIT_URL, production: false, ...config },
    log,
    lifecycle: { draining: false },
  };
  const { app, policies, fastPath } = createApp(deps);
  return { app, policies, fastPath, deps, database, masterKey, logLines, close: () => database.drop() };
}

/** Serves `app` on a free port; with `fastPath`, as the service does (the fast path ahead of it). */
export async function listen(
  app: TestApp['app'],
  fastPath?: TestApp['fastPath'],
): Promise<{ url: string; server: ServerType; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        ...(fastPath ? { createServer: createServerWith(fastPath) } : {}),
      },
      () => resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
