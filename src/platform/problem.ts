/**
 * Errors as RFC 9457 problem details: a title and a detail a person can act on, never a stack trace.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  /** The request field the problem is about, when there is one. */
  field?: string;
  [extra: string]: unknown;
}

export function problem(c: Context, p: Problem): Response {
  return c.body(JSON.stringify({ type: p.type ?? 'about:blank', ...p }), p.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json; charset=utf-8',
  });
}

export function badRequest(c: Context, field: string, detail: string): Response {
  return problem(c, { title: 'The request is not valid', status: 400, field, detail });
}

export function notFound(c: Context, detail: string, extra: Record<string, unknown> = {}): Response {
  return problem(c, { title: 'Not found', status: 404, detail, ...extra });
}
