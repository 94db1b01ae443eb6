/**
 * One call per route: it declares the route's policy in the registry (which the route matrix and the
 * docs read), mounts the guard that enforces it, and, for JSON routes, reads the request with the
 * route's schemas. The path is written once; an OpenAPI path `/x/{id}` is declared as Hono's `/x/:id`.
 *
 * - `open` — public pages, probes and the way into the staff side: no guard.
 * - `staff` — staff pages and forms: sign in first (the next sign-in step otherwise); with a
 *   `staffAction` policy, a 403 page for a role that may never take the action. The handler gets the
 *   signed-in person and the page frame. A use case's `AccessDenied` becomes a 403 or 404 page.
 * - `api` — JSON routes: the caller (token or session) is checked before the body is read; 401 without
 *   one, 403 for a role or token that may never take the action. The handler reads the caller with
 *   `callerOf(c)`. A use case's `ServiceError` becomes a 404, 403, 409 or 400 problem.
 */
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context, Handler, MiddlewareHandler } from 'hono';
import type { App, AppDeps } from '../app-types.ts';
import { mayTake, type Actor } from '../platform/access.ts';
import { ServiceError } from '../platform/errors.ts';
import { policyActions, type Policy, type PolicyRegistry } from '../platform/policy.ts';
import { apiCallerMiddleware, refusalProblem } from './api.ts';
import { guardStaffPage, messagePage, STAFF_HOME, type BackLink, type Guarded } from './page.tsx';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Hono's form of an OpenAPI path: `/cases/{id}` → `/cases/:id`. */
export const honoPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/** Whether the person's role may use a route under this policy at all. */
export function policyAllows(policy: Policy, actor: Actor): boolean {
  return policy.kind !== 'staff_action' || policyActions(policy).some((action) => mayTake(actor, action));
}

export interface StaffRouteOptions {
  /** What a person whose role may not use the page is told. */
  refusal?: string;
  /** Where the refusal page links back to (null for none). */
  back?: BackLink | null;
  /** A narrower check than the policy's action, for pages of several actions. */
  allowed?: (actor: Actor) => boolean;
}

export type StaffHandler = (c: Context, guarded: Guarded) => Response | Promise<Response>;

const REFUSAL = 'Your role does not use this page. If you think it should, ask your administrator.';

/** A use case's refusal as a staff page: 404 or 403 with its message; other errors go on. */
export async function refusalPage(c: Context, guarded: Guarded, error: unknown): Promise<Response> {
  if (!(error instanceof ServiceError) || (error.code !== 'not_found' && error.code !== 'forbidden'))
    throw error;
  const notFound = error.code === 'not_found';
  return messagePage(
    c,
    guarded.frame,
    notFound ? 404 : 403,
    notFound ? 'Not found' : 'You cannot do this',
    error.message,
    STAFF_HOME,
  );
}

export function router(app: App, deps: AppDeps, policies: PolicyRegistry) {
  return {
    open(method: Method, path: string, policy: Policy, ...handlers: (Handler | MiddlewareHandler)[]) {
      policies.declare(method, path, policy);
      app.on(method.toUpperCase(), path, ...(handlers as [Handler]));
    },

    staff(
      method: Method,
      path: string,
      policy: Policy,
      handler: StaffHandler,
      options: StaffRouteOptions = {},
    ) {
      policies.declare(method, path, policy);
      const allowed = options.allowed ?? ((actor: Actor) => policyAllows(policy, actor));
      app.on(method.toUpperCase(), path, async (c) => {
        const guarded = await guardStaffPage(
          c,
          deps,
          allowed,
          options.refusal ?? REFUSAL,
          options.back === undefined ? STAFF_HOME : options.back,
          policy.kind === 'staff_action' && policy.hidden ? 404 : 403,
        );
        if (guarded instanceof Response) return guarded;
        try {
          return await handler(c, guarded);
        } catch (error) {
          return refusalPage(c, guarded, error);
        }
      });
    },

    api<R extends RouteConfig>(
      route: R,
      policy: Policy,
      handler: RouteHandler<R>,
      options: { allowed?: (actor: Actor) => boolean } = {},
    ) {
      const path = honoPath(route.path);
      policies.declare(route.method, path, policy);
      if (policy.kind === 'staff_action' || policy.kind === 'signed_in') {
        const action = policy.kind === 'staff_action' ? policy.action : null;
        app.on(
          route.method.toUpperCase(),
          path,
          apiCallerMiddleware(deps, action, options.allowed ?? ((actor) => policyAllows(policy, actor))),
        );
      }
      app.openapi(route, (async (c: Context, next: () => Promise<void>) => {
        try {
          return await (handler as unknown as (c: Context, next: () => Promise<void>) => unknown)(c, next);
        } catch (error) {
          if (error instanceof ServiceError) return refusalProblem(c, error);
          throw error;
        }
      }) as unknown as RouteHandler<R>);
    },
  };
}

export type Router = ReturnType<typeof router>;
