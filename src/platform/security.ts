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

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
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

/**
 * Sets the headers. Pages are `no-store`: a browser cache entry is a trace someone checking the
 * device could find.
 */
export function securityHeaders(options: { hsts: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const nonce = randomBytes(12).toString('base64');
    c.set('nonce', nonce);
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', contentSecurityPolicy(nonce));
    for (const [name, value] of STATIC_HEADERS) h.set(name, value);
    if (options.hsts) h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    // Public responses never set a cookie.
    h.delete('Set-Cookie');
  };
}
