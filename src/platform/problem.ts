/**
 * Errors as RFC 9457 problem details: a title and a detail a person can act on, never a stack trace.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';

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

/** Refuses a body over `maxBytes` with a 413 problem naming the limit. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problem(c, {
        title: 'The request is too large',
        status: 413,
        field: 'body',
        detail: `Send at most ${maxBytes / 1024} KB of JSON.`,
      }),
  });
}

/**
 * The request's JSON body, or a 400 problem: the wrong content type ("Send <what> as JSON …"), or text
 * that is not JSON.
 */
export async function readJsonBody(c: Context, what: string): Promise<{ json: unknown } | Response> {
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type))
    return badRequest(c, 'body', `Send ${what} as JSON with "Content-Type: application/json".`);
  try {
    return { json: JSON.parse(await c.req.text()) };
  } catch {
    return badRequest(c, 'body', 'The body is not valid JSON.');
  }
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    field: z.string().optional(),
    suggestions: z.array(z.string()).optional(),
  })
  .openapi('Problem');

/** An OpenAPI response documented as problem details. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});
