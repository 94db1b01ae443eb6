/**
 * The application wired to a test database, for requests through `app.request()` or a real server.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApp } from '../src/app.ts';
import type { AppDeps } from '../src/app-types.ts';
import { GeographyCache } from '../src/features/help/repository.ts';
import { createLogger } from '../src/platform/log.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

export const QUICK_EXIT_URL = 'https://www.weather.gov/';

export interface TestApp {
  app: ReturnType<typeof createApp>['app'];
  policies: ReturnType<typeof createApp>['policies'];
  deps: AppDeps;
  database: TestDatabase;
  /** Every line the app logged, for asserting what logs hold. */
  logLines: string[];
  close(): Promise<void>;
}

export async function testApp(): Promise<TestApp> {
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
  const deps: AppDeps = {
    db: database.db,
    geography,
    config: { quickExitUrl: QUICK_EXIT_URL, production: false },
    log,
    lifecycle: { draining: false },
  };
  const { app, policies } = createApp(deps);
  return { app, policies, deps, database, logLines, close: () => database.drop() };
}

export async function listen(
  app: TestApp['app'],
): Promise<{ url: string; server: ServerType; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
