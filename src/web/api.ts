/**
 * What every staff API route shares: the caller (a bearer token from `nwd tokens create`, or a complete
 * staff session), the same-site check on writes signed in with the session cookie, the 401 and 403
 * problems, and a service's refusal (a `CaseError`, `QueueError` …) as problem details.
 */
import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps } from '../app-types.ts';
import type { Action, Actor } from '../platform/access.ts';
import { problem, problemResponse, type Problem } from '../platform/problem.ts';
import { actorFromBearer, sessionFromToken, type RequestOrigin } from '../features/accounts/service.ts';
import { accountsContext, requestOrigin, sessionCookieName } from './session.ts';

/** The actor behind the request, from a bearer token or a complete session; null when neither. */
export async function apiActor(c: Context, deps: AppDeps): Promise<Actor | null> {
  const header = c.req.header('Authorization');
  if (header !== undefined) {
    const m = /^Bearer (\S+)$/.exec(header);
    return m ? actorFromBearer(accountsContext(deps), m[1]) : null;
  }
  const session = await sessionFromToken(accountsContext(deps), getCookie(c, sessionCookieName(deps)));
  return session?.stage === 'complete' ? session.actor : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request signed in with the session cookie came from this site: its `Origin` is the site's
 * origin or, when a browser sends no usable Origin (`null` under `no-referrer`), `Sec-Fetch-Site` says
 * `same-origin`. A request with `Authorization` is not cookie-authenticated (`apiActor` reads only the
 * header then), and one without the session cookie signs in as nobody: neither is refused here.
 */
export function fromThisSite(c: Context, deps: AppDeps): boolean {
  if (c.req.header('Authorization') !== undefined) return true;
  if (getCookie(c, sessionCookieName(deps)) === undefined) return true;
  const origin = c.req.header('Origin');
  return origin && origin !== 'null'
    ? origin === deps.site.origin
    : c.req.header('Sec-Fetch-Site') === 'same-origin';
}

/**
 * Refuses (403 problem details) every state-changing API request that carries the session cookie and
 * comes from another site, before any route reads its body: the cookie is `SameSite=Strict`, so this is
 * the second lock, for every write route at once rather than one route at a time. Reads pass.
 *
 * @example
 * app.use('/api/*', sameSiteWrites(deps));
 */
export function sameSiteWrites(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || fromThisSite(c, deps)) return next();
    return problem(c, {
      title: 'Not permitted',
      status: 403,
      detail:
        'A request signed in with a cookie must come from this site. Programs should send Authorization: Bearer <token> instead.',
    });
  };
}

/** 401, with how to authenticate. */
export function unauthorised(c: Context): Response {
  c.header('WWW-Authenticate', 'Bearer realm="nwd"');
  return problem(c, {
    title: 'Sign-in required',
    status: 401,
    detail: 'Send Authorization: Bearer <token> with a token from `nwd tokens create`, or sign in.',
  });
}

/** 403 for an action the token or account may not take. */
export function notPermitted(c: Context, action: Action | null, detail?: string): Response {
  return problem(c, {
    title: 'Not permitted',
    status: 403,
    detail:
      detail ??
      (action
        ? `This token or account may not take the action ${action}.`
        : 'This token or account may not do this.'),
  });
}

/**
 * The caller when `allowed` says their role (and token) may take `action` somewhere; otherwise the
 * answer: 401 without a valid token or session, 403 for a role or token that may not.
 */
export async function apiCaller(
  c: Context,
  deps: AppDeps,
  action: Action | null,
  allowed: (actor: Actor) => boolean,
): Promise<Actor | Response> {
  const actor = await apiActor(c, deps);
  if (!actor) return unauthorised(c);
  if (!allowed(actor)) return notPermitted(c, action);
  return actor;
}

/**
 * `apiCaller` as middleware, checked before the body is read; the handler reads the caller with
 * `callerOf(c)`.
 */
export function apiCallerMiddleware(
  deps: AppDeps,
  action: Action | null,
  allowed: (actor: Actor) => boolean,
): MiddlewareHandler {
  return async (c, next) => {
    const caller = await apiCaller(c, deps, action, allowed);
    if (caller instanceof Response) return caller;
    callers.set(c.req.raw, caller);
    await next();
  };
}

const callers = new WeakMap<Request, Actor>();

/** The caller `apiCallerMiddleware` let through. */
export const callerOf = (c: Context): Actor => callers.get(c.req.raw)!;

/** A refusal from a service: what went wrong, and the field at fault when there is one. */
export interface ServiceRefusal {
  code: 'not_found' | 'forbidden' | 'conflict' | 'invalid';
  message: string;
  field?: string;
}

const REFUSALS = {
  not_found: { title: 'Not found', status: 404 },
  forbidden: { title: 'Not permitted', status: 403 },
  conflict: { title: 'Conflict', status: 409 },
  invalid: { title: 'The request is not valid', status: 400 },
} as const;

/**
 * A service's refusal as problem details: 404, 403, 409 or 400, naming the field (as `fieldPath` says
 * where it sits in the API's body) when the refusal names one.
 */
export function refusalProblem(
  c: Context,
  error: ServiceRefusal,
  fieldPath: (field: string) => string = (field) => field,
): Response {
  return problem(c, {
    ...REFUSALS[error.code],
    detail: error.message,
    ...(error.field ? { field: fieldPath(error.field) } : {}),
  });
}

/**
 * A search or lookup refused for what it was asked, as problem details: 404 "Not found" (no such place
 * or record), otherwise 400 "The request is not valid".
 */
export const lookupProblem = (
  c: Context,
  p: Pick<Problem, 'status' | 'detail' | 'field'> & Record<string, unknown>,
): Response => problem(c, { title: p.status === 404 ? 'Not found' : 'The request is not valid', ...p });

/** The answers of a route over one record besides its own: no caller, a caller without the action, no record. */
export const COMMON_ERRORS = {
  401: problemResponse('No valid token or session'),
  403: problemResponse('The role or token may not take this action'),
  404: problemResponse('No such record, or the caller may not see it'),
};

const PATH_ID = { param: { name: 'id', in: 'path' } } as const;

/** The `{id}` of a path: a record's id, at most 100 characters. */
export const idParam = z.object({ id: z.string().max(100).openapi(PATH_ID) });

/** A required JSON request body read by `schema`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** A JSON answer: its description and its schema. */
export const jsonAnswer = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A route's configuration, its path written once; `forbidden` says what its 403 answer means. */
type StaffRouteConfig<P extends string> = Omit<RouteConfig, 'path' | 'security'> & {
  path: P;
  forbidden?: string;
};

/**
 * A route for bearer tokens and sessions: the route's own answers, the 401 of a request without a valid
 * token or session and, with `forbidden`, the 403 of a role or token that may not use it (a route every
 * signed-in person may use has none).
 *
 * @example
 * const listRoute = staffRoute({ method: 'get', path: '/api/v1/x', tags: ['X'], summary: '…',
 *   forbidden: 'The role or token may not read x', responses: { 200: jsonAnswer('The x', XSchema) } });
 */
export const staffRoute = <P extends string, R extends StaffRouteConfig<P>>({ forbidden, ...config }: R) =>
  createRoute({
    ...config,
    security: [{ bearer: [] }],
    responses: {
      ...config.responses,
      401: COMMON_ERRORS[401],
      ...(forbidden === undefined ? {} : { 403: problemResponse(forbidden) }),
    },
  });

/**
 * A route over one record (the path's `{id}`) for bearer tokens and sessions: the route's own answers
 * and those of `COMMON_ERRORS` (401, 403, 404).
 *
 * @example
 * const oneRoute = recordRoute({ method: 'get', path: '/api/v1/x/{id}', tags: ['X'], summary: '…',
 *   responses: { 200: jsonAnswer('The x', XSchema) } });
 */
export const recordRoute = <
  P extends string,
  R extends Omit<RouteConfig, 'path' | 'security' | 'request'> & {
    path: P;
    request?: Omit<NonNullable<RouteConfig['request']>, 'params'>;
  },
>(
  config: R,
) =>
  createRoute({
    ...config,
    security: [{ bearer: [] }],
    request: { params: idParam, ...config.request } as { params: typeof idParam } & R['request'],
    responses: { ...config.responses, ...COMMON_ERRORS },
  });

/**
 * What a use case over the path's record takes beside its context and input: the caller, the record's
 * `{id}` and where the request came from.
 */
export const recordRequest = (
  c: Context<any, any, { out: { param: { id: string } } }>, // eslint-disable-line @typescript-eslint/no-explicit-any
): { actor: Actor; id: string; origin: RequestOrigin } => ({
  actor: callerOf(c),
  id: c.req.valid('param').id,
  origin: requestOrigin(c),
});

/** A date as the API writes it: ISO 8601, or null. */
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
