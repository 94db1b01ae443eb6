/**
 * Running the service: database (bundled or given), migrations, the jurisdiction pack, the HTTP
 * server, and a clean shutdown — stop taking requests, let those in flight finish, close the pool,
 * then stop the bundled PostgreSQL.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { lockDataDir, startEmbedded, type EmbeddedServer } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { GeographyCache } from './features/help/repository.ts';
import { importPack } from './pack/import.ts';
import type { Logger } from './platform/log.ts';

export interface DatabaseSetup {
  url: string;
  handle: DatabaseHandle;
  embedded: EmbeddedServer | null;
  release: () => Promise<void>;
}

/** Opens the configured database, starting the bundled server when no DATABASE_URL is set. */
export async function openConfiguredDatabase(config: Config, log: Logger): Promise<DatabaseSetup> {
  if (config.databaseUrl) {
    const handle = openDatabase(config.databaseUrl, config.dbPoolSize);
    return { url: config.databaseUrl, handle, embedded: null, release: () => handle.close() };
  }
  const unlock = lockDataDir(config.dataDir);
  let embedded: EmbeddedServer;
  try {
    embedded = await startEmbedded(config.dataDir, log);
  } catch (error) {
    unlock();
    throw error;
  }
  const handle = openDatabase(embedded.url, config.dbPoolSize);
  return {
    url: embedded.url,
    handle,
    embedded,
    async release() {
      await handle.close();
      await embedded.stop();
      unlock();
    },
  };
}

export interface RunningService {
  url: string;
  server: ServerType;
  stop(reason: string): Promise<void>;
}

export async function startService(config: Config, log: Logger): Promise<RunningService> {
  const started = performance.now();
  const setup = await openConfiguredDatabase(config, log);
  const { db } = setup.handle;
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');
    const imported = await importPack(db, config.packDir, { force: false });
    if (imported.imported)
      log.info(
        { jurisdiction: imported.jurisdiction, version: imported.version, ...imported.counts },
        'jurisdiction pack loaded',
      );
  } catch (error) {
    await setup.release();
    throw error;
  }
  const geography = new GeographyCache(db);
  await geography.load();
  geography.watch((error) => log.warn({ err: String(error) }, 'could not refresh reference data'));

  const lifecycle = { draining: false };
  const { app } = createApp({ db, geography, config, log, lifecycle });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${address.port}`;
  log.info(
    { url, ms: Math.round(performance.now() - started), database: setup.embedded ? 'bundled' : 'external' },
    'ready',
  );

  let stopping: Promise<void> | null = null;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down: finishing requests in flight');
      lifecycle.draining = true;
      geography.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections hold close() open; in-flight requests still finish.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        const force = setTimeout(() => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }, 10_000);
        force.unref();
      });
      await setup.release();
      log.info('stopped');
    })();
    return stopping;
  };

  if (setup.embedded) {
    setup.embedded.exited.then((code) => {
      if (stopping) return;
      log.fatal(
        { code },
        'the bundled PostgreSQL stopped unexpectedly; exiting so the service can be restarted',
      );
      void stop('database stopped').finally(() => log.flush(() => process.exit(1)));
    });
  }
  return { url, server, stop };
}
