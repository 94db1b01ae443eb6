/**
 * The connection pool and the typed query builder, and what the service does when PostgreSQL goes away:
 * no connection error ever reaches the process as an uncaught `error` event, a query that gets no answer
 * ends its connection after a deadline, and `isDatabaseUnavailable` tells the error handler to answer
 * 503 rather than 500. The pool opens new connections on demand, so service resumes by itself when the
 * database is back.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './types.ts';

// Dates stay strings (`YYYY-MM-DD`): a calendar date has no time zone, and turning it into a JS Date
// would shift it by one day west of UTC.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  /**
   * Sets the longest a query may wait for its answer (null: no limit). Past it the connection is closed,
   * so a database that accepts connections but never answers (stopped, or cut off by the network) fails
   * the request instead of holding it and its connection for ever.
   */
  setQueryTimeout(ms: number | null): void;
  /** Ends the pool; resolves once its connections are closed, so the server may be stopped next. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** See `DatabaseHandle.setQueryTimeout` (default: no limit). */
  queryTimeoutMs?: number | null;
  /** Longest wait for a connection, new or from the pool (default 5 s). */
  connectionTimeoutMs?: number;
  /** Told of each connection error (the pool has already dropped the connection). */
  onConnectionError?: (error: Error) => void;
}

/** A query that got no answer within the deadline; its connection was closed. */
export class QueryTimeoutError extends Error {
  constructor(ms: number, options?: ErrorOptions) {
    super(`The database did not answer within ${ms} ms; the connection was closed.`, options);
    this.name = 'QueryTimeoutError';
  }
}

type Query = (...args: unknown[]) => unknown;

/**
 * Opens the pool (nothing connects until the first query).
 *
 * @example
 * const handle = openDatabase(url, 10);
 * handle.setQueryTimeout(30_000); // once start-up work (migrations) is done
 * await handle.close();
 */
export function openDatabase(url: string, poolSize = 10, options: DatabaseOptions = {}): DatabaseHandle {
  let queryTimeoutMs = options.queryTimeoutMs ?? null;
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    // A server that vanished without closing the connection is noticed on an idle connection too.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'nwd',
  });
  // No connection error crashes the process; `close` waits until the connections are closed.
  const allClosed = guardPool(pool, onConnectionError);
  pool.on('connect', (client) => {
    // The query deadline. `query_timeout` in pg answers the caller but leaves the connection waiting
    // for the lost answer; closing the socket frees it and fails whatever else was queued on it.
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args: unknown[]) => {
      const result = query(...args);
      const ms = queryTimeoutMs;
      if (ms === null || !(result instanceof Promise)) return result;
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      }, ms);
      return result.then(
        (value: unknown) => {
          clearTimeout(timer);
          return value;
        },
        (error: unknown) => {
          clearTimeout(timer);
          throw expired ? new QueryTimeoutError(ms, { cause: error }) : error;
        },
      );
    };
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | null = null;
  return {
    db,
    pool,
    setQueryTimeout(ms) {
      queryTimeoutMs = ms;
    },
    close() {
      closed ??= db.destroy().then(() => allClosed());
      return closed;
    },
  };
}

/**
 * Makes `pool` safe to lose its server under, and to stop that server after:
 * - every connection error goes to `onError` instead of reaching the process as an unhandled `error`
 *   event: an idle client losing its server (a restart, a shutdown) through the pool's `error`, and a
 *   client checked out (by Kysely, between the queries of a transaction), which has no listener of the
 *   pool's, through its own. The query in progress fails on its own; the pool drops the client.
 * - the function returned resolves once every connection the pool opened is closed, or after `graceMs`.
 *   `pool.end()` resolves as soon as it has asked its idle connections to close, before they are
 *   closed; a PostgreSQL stopped in between sends those still open "terminating connection due to
 *   administrator command". Await it after `pool.end()` (or Kysely's `destroy()`), before stopping the
 *   server.
 *
 * Call it right after making the pool: it counts the connections opened from then on.
 *
 * @example
 * const allClosed = guardPool(pool, (error) => log.warn({ err: { message: error.message } }, 'connection lost'));
 * await db.destroy();
 * await allClosed();
 * await embedded.stop();
 */
export function guardPool(
  pool: pg.Pool,
  onError: (error: Error) => void,
): (graceMs?: number) => Promise<void> {
  const open = new Set<pg.Client>();
  pool.on('error', (error) => onError(error));
  pool.on('connect', (client) => {
    open.add(client);
    client.on('error', (error) => onError(error));
  });
  pool.on('remove', (client) => open.delete(client));
  return (graceMs = 5_000) => {
    if (open.size === 0) return Promise.resolve();
    return new Promise<void>((done) => {
      const finish = () => {
        clearTimeout(timer);
        pool.off('remove', check);
        done();
      };
      const check = () => {
        if (open.size === 0) finish();
      };
      const timer = setTimeout(finish, graceMs);
      pool.on('remove', check);
    });
  };
}

export async function databaseReady(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** System errors of a connection that could not be made or was lost. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/**
 * PostgreSQL's SQLSTATEs for "not now": the server is shutting down or starting up, or has no
 * connection left. (Class 08, connection exceptions, is matched as a class.)
 */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, or a fast shutdown
  '57P02', // crash_shutdown: another backend crashed and the server is resetting
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
]);

/** What pg and pg-pool say when a connection is lost, times out, or the pool is closing. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^Connection ended unexpectedly/,
];

/**
 * Whether `error` means the database cannot be reached just now (refused, lost, terminated, shutting
 * down, too slow to answer) rather than a fault in the request or the code: the first is answered 503
 * with `Retry-After`, the second 500. Follows `cause` and the errors of an `AggregateError` (a host
 * name with several addresses reports one per address).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof QueryTimeoutError) return true;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (CONNECTION_CODES.has(code) || UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))
      return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
