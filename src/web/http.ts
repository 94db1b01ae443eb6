/**
 * Small pieces every feature's routes use.
 */
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { pino } from 'pino';
import type { Logger } from '../platform/log.ts';
import { pagePath } from './language.ts';

/** Renders a page element with its doctype. */
export async function renderPage(
  c: Context,
  element: unknown,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = await (element as { toString(): string | Promise<string> }).toString();
  return c.html(`<!doctype html>${html}`, status);
}

/** Stands for the response's nonce in a kept page; random, so no page text can hold it by chance. */
const NONCE_MARK = randomBytes(18).toString('base64url');
const keptPages = new WeakMap<object, Map<string, string[]>>();

/**
 * A whole page rendered once for `answer` (a kept answer: the same object for as long as the data it
 * was made from holds) and sent again on every later request with that request's nonce: the page may
 * depend on `answer`, the page's language and address and on the nonce alone — nothing else of the
 * request, no signed-in person.
 *
 * @example
 * return renderPageOnce(c, found, (nonce) => <Layout frame={{ ...frame, nonce }} title="Services">…</Layout>);
 */
export async function renderPageOnce(
  c: Context,
  answer: object,
  page: (nonce: string) => unknown,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  // One page per language and address (the language switch links to the same page in each language).
  const key = `${c.get('locale') ?? 'en'} ${pagePath(c)}`;
  let byPage = keptPages.get(answer);
  if (byPage === undefined) {
    byPage = new Map();
    keptPages.set(answer, byPage);
  }
  let parts = byPage.get(key);
  if (parts === undefined) {
    const html = await (page(NONCE_MARK) as { toString(): string | Promise<string> }).toString();
    parts = `<!doctype html>${html}`.split(NONCE_MARK);
    if (byPage.size < 16) byPage.set(key, parts);
  }
  return c.html(parts.join(c.get('nonce')), status);
}

const serialised = new WeakMap<object, string>();

/**
 * `JSON.stringify(answer)`, once for a kept answer (see `renderPageOnce`), which must not change after.
 *
 * @example
 * return c.body(serialisedOnce(outcome.page), 200, { 'Content-Type': 'application/json' });
 */
export function serialisedOnce(answer: object): string {
  let json = serialised.get(answer);
  if (json === undefined) {
    json = JSON.stringify(answer);
    serialised.set(answer, json);
  }
  return json;
}

/** Writes one request's log line: method, route pattern, status and milliseconds. */
export type AccessLog = (method: string, route: string, status: number, ms: number) => void;

/**
 * The request log's writer: one line per request with method, the route pattern (never the raw URL or
 * its query, which may hold a ZIP code or a name), status and duration.
 *
 * The lines have a fixed shape with no personal field, so they skip pino's generic path (key walk,
 * value serialisers, redaction), which costs more than answering a cached public request: the line is
 * put together here from the logger's own level label, timestamp and bindings and written to its
 * stream, so it reads exactly as `log.info({ method, route, status, ms }, 'request')` would.
 *
 * @example
 * const access = accessLog(log);
 * access('GET', '/api/v1/navigators', 200, 0.4);
 */
export function accessLog(log: Logger): AccessLog {
  const access = log.child({}, { redact: { paths: [] } });
  const internals = access as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as { write(line: string): unknown } | undefined;
  const levelLabel = (internals[pino.symbols.lsCacheSym] as Record<number, string> | undefined)?.[30];
  const time = internals[pino.symbols.timeSym] as (() => string) | undefined;
  const bindings = internals[pino.symbols.chindingsSym] as string | undefined;
  const direct = stream && levelLabel && time && typeof bindings === 'string';
  const routes = new Map<string, string>();
  return (method, route, status, ms) => {
    if (!access.isLevelEnabled('info')) return;
    const rounded = Math.round(ms * 10) / 10;
    if (!direct) {
      access.info({ method, route, status, ms: rounded }, 'request');
      return;
    }
    let routeJson = routes.get(route);
    if (routeJson === undefined) {
      routeJson = JSON.stringify(route);
      if (routes.size < 1000) routes.set(route, routeJson);
    }
    const methodJson = /^[A-Z]+$/.test(method) ? `"${method}"` : JSON.stringify(method);
    stream.write(
      `${levelLabel}${time.call(access)}${bindings},"method":${methodJson},"route":${routeJson},"status":${status},"ms":${rounded},"msg":"request"}\n`,
    );
  };
}

/** One log line per request (see `accessLog`), written by `access` or a new one for `log`. */
export function requestLog(log: Logger | AccessLog): MiddlewareHandler {
  const access = typeof log === 'function' ? log : accessLog(log);
  return async (c, next) => {
    const started = performance.now();
    await next();
    access(c.req.method, c.req.routePath, c.res.status, performance.now() - started);
  };
}

/** Reads a query parameter that may appear once; a repeated parameter counts as its first value. */
export function queryValue(c: Context, name: string): string | undefined {
  const v = c.req.query(name);
  return v === undefined ? undefined : v;
}

/**
 * Refuses a request whose path or query holds a NUL byte: PostgreSQL cannot store one in text, and no
 * honest request needs one.
 */
export function rejectNulBytes(
  onReject: (c: Parameters<MiddlewareHandler>[0]) => Response | Promise<Response>,
): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.url;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      decoded = raw;
    }
    if (decoded.includes('\u0000') || /%00/i.test(raw)) return onReject(c);
    await next();
  };
}
