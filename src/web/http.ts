/**
 * Small pieces every feature's routes use.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../platform/log.ts';

/** Renders a page element with its doctype. */
export async function renderPage(
  c: Context,
  element: unknown,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = await (element as { toString(): string | Promise<string> }).toString();
  return c.html(`<!doctype html>${html}`, status);
}

/**
 * One log line per request: method, the route pattern (never the raw URL or its query, which may hold
 * a ZIP code or a name), status and duration.
 */
export function requestLog(log: Logger): MiddlewareHandler {
  // These lines have a fixed shape with no personal field, so they skip the redaction pass, which
  // costs more than the rest of the line.
  const access = log.child({}, { redact: { paths: [] } });
  return async (c, next) => {
    const started = performance.now();
    await next();
    access.info(
      {
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
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
