/**
 * Security headers for every response, and the per-response nonce that lets a page carry its own small
 * style sheet and script under a strict Content-Security-Policy (nothing else may run).
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    nonce: string;
  }
}

/**
 * The policy of a response. Staff pages (`staff`) also load the design system's style sheet and fonts
 * from this site; public pages load nothing but themselves.
 */
export function contentSecurityPolicy(nonce: string, staff = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    staff ? `style-src 'self' 'nonce-${nonce}'` : `style-src 'nonce-${nonce}'`,
    ...(staff ? ["font-src 'self'"] : []),
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const STATIC_HEADERS: [string, string][] = [
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()'],
  ['X-Robots-Tag', 'noarchive'],
];

// Random bytes drawn in blocks: one call to the system's generator serves many responses.
const NONCE_BYTES = 16;
let pool = Buffer.alloc(0);
let offset = 0;
export function nextNonce(): string {
  if (offset + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * 256);
    offset = 0;
  }
  const nonce = pool.toString('base64', offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}

/**
 * The headers every response carries besides the Content-Security-Policy and `Cache-Control` (the
 * public fast path writes them itself, in the same order).
 */
export function fixedSecurityHeaders(options: { hsts: boolean }): readonly [string, string][] {
  return options.hsts
    ? [...STATIC_HEADERS, ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']]
    : STATIC_HEADERS;
}

/**
 * Sets the headers. Responses are `no-store` unless a route says otherwise: a browser cache entry is
 * a trace someone checking the device could find. No route sets a cookie (a test checks every public
 * route).
 */
export function securityHeaders(options: { hsts: boolean }): MiddlewareHandler {
  const fixed = fixedSecurityHeaders(options);
  return async (c, next) => {
    const nonce = nextNonce();
    c.set('nonce', nonce);
    // Set before the handler runs, so they go out with the response it builds. Changing the response's
    // headers afterwards would turn the server's fast response path into a slow copy.
    const path = c.req.path;
    const staff = path === '/staff' || path.startsWith('/staff/');
    c.header('Content-Security-Policy', contentSecurityPolicy(nonce, staff));
    for (const [name, value] of fixed) c.header(name, value);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
