/**
 * Running the service: database (bundled or given), migrations, the encryption keys, the jurisdiction
 * pack, the feed of changes from other instances (LISTEN/NOTIFY), the HTTP server, the email outbox
 * delivery, the audit chainer, the background jobs (pg-boss), and a clean shutdown — stop taking
 * requests, let those in flight finish, stop the jobs, email delivery, audit chainer and change feed,
 * close the pool, then stop the bundled PostgreSQL.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database, type DatabaseHandle } from './db/database.ts';
import { lockDataDir, runningServerUrl, startEmbedded, type EmbeddedServer } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { GeographyCache } from './features/help/queries.ts';
import { importPack } from './pack/import.ts';
import { loadPackRules } from './pack/rules.ts';
import { createSetupLink } from './features/accounts/service.ts';
import { escalationJob } from './features/queue/jobs.ts';
import { ChangeFeed } from './platform/changes/index.ts';
import type { Keyring } from './platform/crypto/index.ts';
import { startJobs } from './platform/jobs/index.ts';
import { retentionJob } from './features/retention/service.ts';
import { searchTermsJob } from './features/cases/index.ts';
import { taskRemindersJob } from './features/tasks/jobs.ts';
import { housingRemindersJob } from './features/housing/jobs.ts';
import { settingRemindersJob } from './features/certified-settings/index.ts';
import { eventRemindersJob } from './features/events/index.ts';
import { trainingRemindersJob } from './features/training/index.ts';
import { keepTranslationsFresh } from './features/translations/index.ts';
import { shelterRequestsJob } from './features/shelter-requests/jobs.ts';
import { referralReminderJob } from './features/referrals/jobs.ts';
import { healthDigestJob } from './features/stewardship/jobs.ts';
import { evaluationFactsJob } from './features/evaluation/index.ts';
import { pruneRateLimits } from './platform/rate-limit/index.ts';
import { startBackgroundLoop, type BackgroundLoop } from './platform/jobs/loop.ts';
import { startAuditChainer } from './platform/audit/audit.ts';
import { assertMasterKeyAvailable, loadKeys, type LoadedKeys } from './platform/keys/index.ts';
import type { Logger } from './platform/log.ts';
import { createServerWith } from './web/fast-path.ts';
import {
  deliverPending,
  describeFailure,
  transportFromConfig,
  type DeliveryOptions,
  type MailTransport,
  type SiteOrigin,
} from './platform/mail/index.ts';

export interface DatabaseSetup {
  url: string;
  handle: DatabaseHandle;
  embedded: EmbeddedServer | null;
  release: () => Promise<void>;
}

/**
 * Longest a query may wait for its answer once the service serves requests (start-up work such as
 * migrations has no limit). Past it the connection is closed and the request answered 503.
 */
export const QUERY_TIMEOUT_MS = 30_000;

/**
 * Opens the configured database, starting the bundled server when no DATABASE_URL is set. With
 * `attach` (a command run beside the service), a bundled server that a running service already holds is
 * used as it is, neither started nor stopped.
 */
export async function openConfiguredDatabase(
  config: Config,
  log: Logger,
  { attach = false }: { attach?: boolean } = {},
): Promise<DatabaseSetup> {
  // A lost connection is logged and dropped by the pool; it never reaches the process as an uncaught error.
  const options = {
    onConnectionError: (error: Error) =>
      log.warn(
        { err: { message: error.message, code: (error as { code?: string }).code } },
        'a database connection was lost; the pool will open a new one',
      ),
  };
  if (config.databaseUrl) {
    const handle = openDatabase(config.databaseUrl, config.dbPoolSize, options);
    return { url: config.databaseUrl, handle, embedded: null, release: () => handle.close() };
  }
  const running = attach ? runningServerUrl(config.dataDir) : null;
  if (running) {
    const handle = openDatabase(running, config.dbPoolSize, options);
    return { url: running, handle, embedded: null, release: () => handle.close() };
  }
  const unlock = lockDataDir(config.dataDir);
  let embedded: EmbeddedServer;
  try {
    embedded = await startEmbedded(config.dataDir, log);
  } catch (error) {
    unlock();
    throw error;
  }
  const handle = openDatabase(embedded.url, config.dbPoolSize, options);
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
  /** A one-time link to set up the first state administrator, when there is none yet. */
  setupLink: string | null;
  server: ServerType;
  stop(reason: string): Promise<void>;
}

/** What a caller may change about a service it starts (tests: where development emails are printed). */
export interface ServiceOptions {
  /** Where the development mail transport prints emails (standard output by default). */
  mailConsole?: NodeJS.WritableStream;
}

export async function startService(
  config: Config,
  log: Logger,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const started = performance.now();
  // Before anything starts: with DATABASE_URL a missing master key is refused, never created.
  assertMasterKeyAvailable(config);
  const setup = await openConfiguredDatabase(config, log);
  const { db } = setup.handle;
  let keys: LoadedKeys;
  let transport: MailTransport;
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');
    keys = await loadKeys(db, config, log);
    transport = transportFromConfig({
      smtpUrl: config.secrets.get('SMTP_URL'),
      from: config.mailFrom,
      log,
      production: config.production,
      ...(options.mailConsole ? { console: options.mailConsole } : {}),
    });
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
  // From here on a query that gets no answer fails its request rather than holding it.
  setup.handle.setQueryTimeout(QUERY_TIMEOUT_MS);
  const rules = loadPackRules(config.packDir);
  geography.watch((error) => log.warn({ err: String(error) }, 'could not refresh reference data'));
  const stopTranslations = keepTranslationsFresh(db, log);
  const { keyring } = keys;
  // One listening connection: other instances' changes (an edited navigator, a destroyed data key)
  // reach this one's memory within a moment; while it is down, requests check the database instead.
  const changes = new ChangeFeed(setup.url, { log });
  geography.follow(changes);
  keyring.follow(changes);
  await changes.start();

  const lifecycle = { draining: false };
  const site: SiteOrigin = {
    origin: config.publicUrl ?? `http://localhost:${config.port}`,
    development: !config.production,
  };
  const { app, fastPath } = createApp({ db, geography, rules, keyring, site, config, log, lifecycle });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        // Prepared public answers (the navigator lookup) are written ahead of the router.
        createServer: createServerWith(fastPath),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    // The port is taken, say: nothing may keep the process alive or the bundled PostgreSQL running.
    geography.stop();
    stopTranslations();
    await changes.stop();
    await setup.release();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${address.port}`;
  // Development without NWD_PUBLIC_URL: links point at the port actually listened on (PORT=0 picks one).
  if (config.publicUrl === null) site.origin = `http://localhost:${address.port}`;
  const delivery = startOutboxDelivery({ db, keyring, transport, log });
  // Links committed audit rows into the hash chain every second (one instance at a time does it).
  const chainer = startAuditChainer(db, log);
  // Background jobs (pg-boss, in this database): escalation of unclaimed referrals every minute.
  const jobs = await startJobs({
    url: setup.url,
    log,
    jobs: [
      escalationJob(db, { keyring, site, calendar: rules.calendar, settings: config.escalation, log }),
      retentionJob({ db, keyring }),
      // Cases opened before search existed get their blind indexes (quick once every case has them).
      searchTermsJob({ db, keyring, log }),
      taskRemindersJob(db, { keyring, site, calendar: rules.calendar, settings: config.tasks, log }),
      // Referrals nobody has answered: a reminder, then the sending region (business days).
      referralReminderJob(db, { keyring, site, calendar: rules.calendar, timing: config.referrals, log }),
      // While a public fact needs checking: a weekly digest to the state administrators.
      healthDigestJob(db, {
        keyring,
        site,
        timezone: rules.calendar.timezone,
        staleMonths: config.dataStaleMonths,
      }),
      // Housing programs whose beds available are out of date: their organization is reminded.
      housingRemindersJob(db, { keyring, site, staleHours: config.housingStaleHours, log }),
      // Certified settings: their organization and the state are told 60 and 30 days before expiry.
      settingRemindersJob(db, { keyring, site, timezone: rules.calendar.timezone, log }),
      // Events: the day before, everyone with a place gets a reminder by email.
      eventRemindersJob({ db, keyring, site, timezone: rules.calendar.timezone, log }),
      // Required trainings: a person and their administrators are told once when a training becomes due or overdue.
      trainingRemindersJob(db, {
        keyring,
        site,
        timezone: rules.calendar.timezone,
        dueDays: config.trainingDueDays,
        log,
      }),
      // Shelter requests: held beds whose time ran out go back; requests nobody answered escalate.
      shelterRequestsJob(db, { keyring, site, escalateMinutes: config.shelterEscalateMinutes, log }),
      // The evaluation's reporting facts of cases changed since the last run (codes and days only).
      evaluationFactsJob({ db, keyring, calendar: rules.calendar, vocabularies: rules.vocabularies, log }),
      // Rate-limit rows hold hashed client addresses: they go as soon as their window has passed.
      { name: 'rate-limits-prune', cron: '*/10 * * * *', run: (now: Date) => pruneRateLimits(db, now) },
    ],
  }).catch(async (error: unknown) => {
    await chainer.stop();
    await delivery.stop();
    await changes.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await setup.release();
    throw error;
  });
  // With no state administrator yet, a single-use link to create the first one (printed by `nwd start`).
  const setupLink = await createSetupLink({ db, keyring, site });
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
      stopTranslations();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections hold close() open; in-flight requests still finish.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        const force = setTimeout(() => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }, 10_000);
        force.unref();
      });
      // A job run in progress finishes (up to 10 s) and pg-boss closes its connections.
      await jobs
        .stop()
        .catch((error: unknown) =>
          log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'background jobs did not stop cleanly',
          ),
        );
      // A delivery in progress finishes (or fails and is retried later) before the pool closes.
      await delivery.stop();
      // The rows of the last requests are linked now rather than by another instance later.
      await chainer.stop();
      await changes.stop();
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
  return { url, server, stop, setupLink };
}

export interface OutboxDeliverySettings {
  db: Database;
  keyring: Keyring;
  transport: MailTransport;
  log: Logger;
  /** Time between runs (default 5 s). */
  intervalMs?: number;
  delivery?: Omit<DeliveryOptions, 'log'>;
}

/**
 * Sends the email outbox every `intervalMs` on an unref'd timer (it never keeps the process alive);
 * a run that is still going when the next is due is not overlapped. `stop()` waits for the run in
 * progress, then closes the transport.
 *
 * @example
 * const delivery = startOutboxDelivery({ db, keyring, transport, log });
 * await delivery.stop(); // before the pool closes
 */
export function startOutboxDelivery(settings: OutboxDeliverySettings): BackgroundLoop {
  const { db, keyring, transport, log } = settings;
  const options: DeliveryOptions = { batchSize: 20, maxAttempts: 5, ...settings.delivery, log };
  return startBackgroundLoop(() => deliverPending(db, keyring, transport, options), {
    intervalMs: settings.intervalMs ?? 5_000,
    // The message is cleaned of addresses and URLs; the outbox keeps the emails for the next run.
    onError: (error) => log.warn({ err: describeFailure(error) }, 'email delivery failed; will retry'),
    afterStop: () => transport.close(),
  });
}
