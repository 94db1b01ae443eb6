/**
 * How instances learn of each other's changes: PostgreSQL LISTEN/NOTIFY on one channel.
 *
 * - `announceChange(trx, topic, detail)` sends a notification inside the caller's transaction, so
 *   PostgreSQL delivers it only when that transaction commits (and never when it rolls back).
 * - `ChangeFeed` holds one dedicated connection per instance that listens on the channel and hands each
 *   notification to the subscribers of its topic. When the connection drops it reconnects with backoff;
 *   after every (re)connect each subscriber is told to reload everything (`resync`), since
 *   notifications sent while it was away are lost. While it is not listening, `connected` is false and
 *   the caches fall back to checking the database themselves.
 *
 * Topics and what they invalidate:
 * - `geography`: a `data_versions` row moved (an administrator's edit, `nwd import-pack`): the
 *   in-memory geography (`GeographyCache`) reloads.
 * - `data-key`: a data key was destroyed (crypto-shredding): the keyring drops the unwrapped key from
 *   its caches.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log.ts';

/** The PostgreSQL channel every instance listens on. */
export const CHANGES_CHANNEL = 'nwd_changes';

export type ChangeTopic = 'geography' | 'data-key';

/** What a topic's notification carries (ids and names only: never personal data). */
export interface ChangeDetails {
  geography: { name: string };
  'data-key': { scope: string; id: string | null };
}

/** The topics a notification may name (anything else on the channel is ignored). */
const TOPICS: readonly ChangeTopic[] = ['geography', 'data-key'];

/**
 * Tells every instance (this one included) of a change, when the transaction `db` commits. Outside a
 * transaction it is sent at once.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('data_versions').set({ version: sql`version + 1` }).where('name', '=', 'geography').execute();
 *   await announceChange(trx, 'geography', { name: 'geography' });
 * });
 */
export async function announceChange<T extends ChangeTopic>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  topic: T,
  detail: ChangeDetails[T],
): Promise<void> {
  await sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ topic, detail })})`.execute(db);
}

/** One cache's part in the feed: what to do on a change of its topic, and on a (re)connect. */
export interface ChangeSubscriber<T extends ChangeTopic = ChangeTopic> {
  topic: T;
  /** A change committed on some instance (this one included). */
  change(detail: ChangeDetails[T]): void | Promise<void>;
  /** The feed (re)connected: changes may have been missed, so reload everything. */
  resync(): void | Promise<void>;
}

export interface ChangeFeedOptions {
  log: Logger;
  /** First wait before reconnecting (default 250 ms), doubled after each failure… */
  minBackoffMs?: number;
  /** …up to this (default 10 s). */
  maxBackoffMs?: number;
  /** Longest wait for the connection (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * The listening connection of one instance.
 *
 * @example
 * const feed = new ChangeFeed(databaseUrl, { log });
 * geography.follow(feed);
 * keyring.follow(feed);
 * await feed.start(); // connected, or trying again in the background
 * await feed.stop();
 */
export class ChangeFeed {
  readonly #url: string;
  readonly #log: Logger;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #connectTimeoutMs: number;
  readonly #subscribers = new Set<ChangeSubscriber>();
  #client: pg.Client | null = null;
  #connected = false;
  #stopped = false;
  #backoffMs: number;
  #retry: NodeJS.Timeout | null = null;
  #connecting: Promise<void> | null = null;
  /** Times the feed has (re)connected, for tests and logs. */
  connections = 0;

  constructor(url: string, options: ChangeFeedOptions) {
    this.#url = url;
    this.#log = options.log;
    this.#minBackoffMs = options.minBackoffMs ?? 250;
    this.#maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#backoffMs = this.#minBackoffMs;
  }

  /** True while the connection listens and every subscriber has caught up since it connected. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Adds a subscriber; returns a function that removes it. */
  subscribe<T extends ChangeTopic>(subscriber: ChangeSubscriber<T>): () => void {
    this.#subscribers.add(subscriber as unknown as ChangeSubscriber);
    return () => this.#subscribers.delete(subscriber as unknown as ChangeSubscriber);
  }

  /** Connects once; a failure is logged and retried in the background (it never rejects). */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#connect();
  }

  /** Stops listening and closes the connection; no reconnect follows. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#connected = false;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #open(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client({
      connectionString: this.#url,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: 'nwd-changes',
    });
    // Errors come as events too (a server shut down, a network cut): never an uncaught `error`.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, null));
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.#deliver(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.#log.warn(
        { err: describe(error), retryInMs: this.#backoffMs },
        'could not listen for changes from other instances; checking the database per request until it can',
      );
      this.#scheduleReconnect();
      return;
    }
    if (this.#stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.connections += 1;
    // Listening from here on; what changed before may have been missed, so everything reloads first.
    await Promise.all(
      [...this.#subscribers].map(async (s) => {
        try {
          await s.resync();
        } catch (error) {
          this.#log.warn({ err: describe(error), topic: s.topic }, 'could not reload after (re)connecting');
        }
      }),
    );
    if (this.#client !== client || this.#stopped) return;
    this.#connected = true;
    this.#backoffMs = this.#minBackoffMs;
    if (this.connections > 1) this.#log.info('listening for changes from other instances again');
  }

  #lost(client: pg.Client, error: Error | null): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.#connected = false;
    client.end().catch(() => undefined);
    if (this.#stopped) return;
    this.#log.warn(
      { err: error ? describe(error) : 'connection ended', retryInMs: this.#backoffMs },
      'lost the connection that listens for changes; checking the database per request until it is back',
    );
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#retry) return;
    const wait = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#maxBackoffMs);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect();
    }, wait);
    this.#retry.unref();
  }

  #deliver(payload: string | undefined): void {
    let parsed: { topic?: unknown; detail?: unknown };
    try {
      parsed = JSON.parse(payload ?? '') as typeof parsed;
    } catch {
      return;
    }
    const topic = parsed.topic as ChangeTopic;
    if (!TOPICS.includes(topic) || typeof parsed.detail !== 'object' || parsed.detail === null) return;
    for (const s of this.#subscribers) {
      if (s.topic !== topic) continue;
      Promise.resolve()
        .then(() => s.change(parsed.detail as never))
        .catch((error: unknown) =>
          this.#log.warn({ err: describe(error), topic }, 'could not apply a change from another instance'),
        );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
