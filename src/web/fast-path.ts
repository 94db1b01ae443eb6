/**
 * The public fast path: answers a public GET whose answer is already serialised (the navigator lookup
 * for a query string the API answered before) straight on the Node request, ahead of the router, with
 * what the router's answer carries — the security headers, `Vary`, the API rate limit and its
 * `RateLimit-*` headers, gzip when asked for, the request log line — and the same freshness check of
 * the reference data first. Anything else (another route or method, a query not answered yet, a bearer
 * token, a `%00`, an `Accept-Encoding` with weights or only deflate) goes to the router unchanged.
 *
 * Why ahead of the router: the framework's own request and response objects cost about half of what
 * this machine can answer (a bare Hono route measures 0.47× a bare node:http server), more than the
 * lookup itself; a cached answer needs none of it.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { gzipSync } from 'node:zlib';
import { resolveClientAddress, TrustedProxies, type ForwardingHeader } from '../platform/client-address.ts';
import {
  addressKey,
  rateLimitHeaders,
  tooManyRequestsProblem,
  type ApiRateLimiter,
} from '../platform/rate-limit/index.ts';
import { contentSecurityPolicy, fixedSecurityHeaders, nextNonce } from '../platform/security.ts';
import type { AccessLog } from './http.ts';

/** An answer ready to write: its bytes and, once a client asked for it, their gzip. */
export interface PreparedBody {
  body: Buffer;
  gzip?: Buffer;
}

export interface FastRoute {
  /** The path, exactly as requested (no trailing slash, no encoding), and the route the log names. */
  path: string;
  /** `Content-Type` of the answer, as the router's handler sets it. */
  contentType: string;
  /** Counted against the API rate limit (a route under `/api/v1/`). */
  rateLimited: boolean;
  /** The prepared answer to the URL's query string (without `?`), or undefined: the router answers. */
  answer(search: string): PreparedBody | undefined;
}

export interface FastPathOptions {
  routes: FastRoute[];
  /** The reference data's freshness check, as the router runs it before every request. */
  fresh(): Promise<void>;
  limiter: ApiRateLimiter;
  trustedProxies?: readonly string[] | undefined;
  trustedProxyHeader?: ForwardingHeader | undefined;
  hsts: boolean;
  log: AccessLog;
}

/** The answer body size from which the router's compression applies (Hono's `compress` threshold). */
const COMPRESS_FROM_BYTES = 1024;

/**
 * The encoding the router would choose for `header`: 'identity' or 'gzip' when that is plain to see,
 * null when only the router can tell (weights, wildcards, deflate).
 */
function encodingFor(header: string | undefined): 'identity' | 'gzip' | null {
  if (header === undefined || header === '') return 'identity';
  if (header.includes(';') || header.includes('*')) return null;
  const lower = header.toLowerCase();
  if (/(^|,)\s*gzip\s*(,|$)/.test(lower)) return 'gzip';
  return /(^|,)\s*deflate\s*(,|$)/.test(lower) ? null : 'identity';
}

/**
 * Builds the fast path.
 *
 * @example
 * const fast = publicFastPath({ routes: [navigatorRoute], fresh, limiter, hsts: true, log: accessLog(log) });
 * serve({ fetch: app.fetch, createServer: createServerWith(fast) });
 */
export function publicFastPath(options: FastPathOptions): (fallback: RequestListener) => RequestListener {
  const routes = new Map(options.routes.map((r) => [r.path, r]));
  const trusted = TrustedProxies.parse(options.trustedProxies ?? []);
  const forwarding = options.trustedProxyHeader ?? 'x-forwarded-for';
  const fixed = fixedSecurityHeaders({ hsts: options.hsts });
  // Client addresses seen lately, as the rate limit counts them (socket address → key).
  const keys = new Map<string, string>();

  const addressOf = (req: IncomingMessage): string => {
    const socket = req.socket.remoteAddress;
    const header = trusted.empty ? undefined : req.headers[forwarding];
    if (header === undefined && socket !== undefined) {
      const known = keys.get(socket);
      if (known !== undefined) return known;
    }
    const key = addressKey(
      resolveClientAddress(
        { socket, header: Array.isArray(header) ? header.join(', ') : header },
        trusted,
        forwarding,
      ),
    );
    if (header === undefined && socket !== undefined) {
      if (keys.size >= 10_000) keys.clear();
      keys.set(socket, key);
    }
    return key;
  };

  const headersFor = (route: FastRoute): Record<string, string> => {
    const headers: Record<string, string> = {
      'Content-Security-Policy': contentSecurityPolicy(nextNonce(), false),
    };
    for (const [name, value] of fixed) headers[name] = value;
    headers['Cache-Control'] = 'no-store';
    headers.Vary = 'Accept-Encoding';
    headers['Content-Type'] = route.contentType;
    return headers;
  };

  async function answer(
    route: FastRoute,
    search: string,
    encoding: 'identity' | 'gzip',
    req: IncomingMessage,
    res: ServerResponse,
    fallback: RequestListener,
    started: number,
  ): Promise<void> {
    await options.fresh();
    const prepared = route.answer(search);
    if (prepared === undefined) {
      fallback(req, res);
      return;
    }
    const headers = headersFor(route);
    if (route.rateLimited) {
      const standing = await options.limiter.count(addressOf(req), null);
      for (const [name, value] of rateLimitHeaders(standing)) headers[name] = value;
      if (!standing.result.allowed) {
        const seconds = Math.max(1, Math.ceil(standing.result.retryAfterSeconds));
        const body = JSON.stringify({ type: 'about:blank', ...tooManyRequestsProblem(seconds) });
        headers['Retry-After'] = String(seconds);
        headers['Content-Type'] = 'application/problem+json; charset=utf-8';
        headers['Content-Length'] = String(Buffer.byteLength(body));
        res.writeHead(429, headers);
        res.end(body);
        options.log('GET', route.path, 429, performance.now() - started);
        return;
      }
    }
    let body = prepared.body;
    if (encoding === 'gzip' && body.length >= COMPRESS_FROM_BYTES) {
      prepared.gzip ??= gzipSync(body);
      body = prepared.gzip;
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(body);
    options.log('GET', route.path, 200, performance.now() - started);
  }

  return (fallback) => (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = q > 0 && req.method === 'GET' ? routes.get(url.slice(0, q)) : undefined;
    const encoding = route ? encodingFor(req.headers['accept-encoding']) : null;
    if (
      route === undefined ||
      encoding === null ||
      req.headers.authorization !== undefined ||
      url.includes('%00')
    ) {
      fallback(req, res);
      return;
    }
    const started = performance.now();
    answer(route, url.slice(q + 1), encoding, req, res, fallback, started).catch(() => {
      // The router answers instead, as it answers any failure (a database away: 503).
      if (!res.headersSent) fallback(req, res);
    });
  };
}

/**
 * A `createServer` for @hono/node-server's `serve()` that puts `fastPath` ahead of the app's listener.
 *
 * @example
 * serve({ fetch: app.fetch, port, createServer: createServerWith(fastPath) });
 */
export function createServerWith(
  fastPath: (fallback: RequestListener) => RequestListener,
): typeof createServer {
  return ((options: ServerOptions, listener: RequestListener) =>
    createServer(options, fastPath(listener))) as unknown as typeof createServer;
}
