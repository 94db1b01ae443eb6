/**
 * What every staff route shares: the session cookie, CSRF protection, the request's origin for the
 * audit log, and the guards that turn the permission model into HTTP answers.
 *
 * Public pages never pass through here: the session middleware is mounted on `/staff/*` only, so the
 * help finder still sets no cookie and reads none.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../app-types.ts';
import { can, type Action, type Target } from '../platform/access.ts';
import { clientAddress } from '../platform/client-address.ts';
import { sameSecret } from '../platform/crypto/secrets.ts';
import {
  sessionFromToken,
  type AccountsContext,
  type CurrentSession,
  type RequestOrigin,
} from '../features/accounts/service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    session: CurrentSession | null;
  }
}

export function accountsContext(deps: AppDeps): AccountsContext {
  return { db: deps.db, keyring: deps.keyring, site: deps.site };
}

/** `__Host-` binds the cookie to this exact origin over HTTPS; plain HTTP in development cannot use it. */
export function sessionCookieName(deps: AppDeps): string {
  return deps.site.development ? 'nwd_session' : '__Host-nwd_session';
}

export function setSessionCookie(c: Context, deps: AppDeps, token: string): void {
  setCookie(c, sessionCookieName(deps), token, {
    httpOnly: true,
    secure: !deps.site.development,
    sameSite: 'Strict',
    path: '/',
  });
}

export function clearSessionCookie(c: Context, deps: AppDeps): void {
  deleteCookie(c, sessionCookieName(deps), { path: '/', secure: !deps.site.development });
}

/**
 * Who is asking, for the audit log and the sign-in throttle: the client address (the load balancer's
 * own unless it is a trusted proxy, see `src/platform/client-address.ts`) and the browser.
 */
export function requestOrigin(c: Context): RequestOrigin {
  return {
    ip: clientAddress(c),
    userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null,
  };
}

/** Reads the session cookie on staff routes. */
export function staffSession(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const token = getCookie(c, sessionCookieName(deps));
    const session = token ? await sessionFromToken(accountsContext(deps), token) : null;
    if (token && !session) clearSessionCookie(c, deps);
    c.set('session', session);
    await next();
  };
}

const FORM_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;

const formMac = (deps: AppDeps, stamp: string) =>
  deps.keyring.blindIndex('staff-form-token', `form:${stamp}`);

/**
 * The CSRF token for a form. With a session it is the session's own token; before sign-in it is a
 * time-stamped HMAC, so forms like sign-in cannot be posted from another site either.
 */
export async function csrfToken(c: Context, deps: AppDeps): Promise<string> {
  const session = c.get('session');
  if (session) return session.csrfToken;
  const stamp = Date.now().toString(36);
  return `f.${stamp}.${await formMac(deps, stamp)}`;
}

async function csrfValid(c: Context, deps: AppDeps, submitted: string): Promise<boolean> {
  const session = c.get('session');
  if (session) return sameSecret(submitted, session.csrfToken);
  const m = /^f\.([0-9a-z]{1,12})\.([0-9a-f]{32,64})$/.exec(submitted);
  if (!m) return false;
  const stamp = parseInt(m[1] ?? '', 36);
  if (!Number.isFinite(stamp) || Date.now() - stamp > FORM_TOKEN_TTL_MS || stamp - Date.now() > 60_000)
    return false;
  return sameSecret(m[2] ?? '', await formMac(deps, m[1] ?? ''));
}

/**
 * CSRF protection on every state-changing staff request: the Origin (or, failing that,
 * Sec-Fetch-Site) must be this site, and the form must carry the right token.
 */
export function csrfProtection(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const origin = c.req.header('Origin');
    const fetchSite = c.req.header('Sec-Fetch-Site');
    // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` on form posts; then the
    // browser's own Sec-Fetch-Site says whether the form came from this site.
    const sameOrigin =
      origin && origin !== 'null' ? origin === deps.site.origin : fetchSite === 'same-origin';
    const form = sameOrigin ? await c.req.parseBody().catch(() => null) : null;
    const submitted = form && typeof form.csrf === 'string' ? form.csrf : '';
    if (!sameOrigin || !(await csrfValid(c, deps, submitted))) {
      return c.text(
        'This form has expired or did not come from this site. Go back, reload the page and try again.',
        403,
      );
    }
    await next();
  };
}

/** Where to send someone whose session is missing or not yet complete. */
export function nextStepFor(session: CurrentSession | null): string | null {
  if (!session) return '/staff/sign-in';
  if (session.stage === 'second_factor') return '/staff/sign-in/code';
  if (session.stage === 'enrol_second_factor') return '/staff/two-factor';
  return null;
}

/**
 * The signed-in session, or a response: a redirect to the next sign-in step, or 403 when the person
 * may not take the action.
 */
export function requireStaff(c: Context, action?: Action, target: Target = {}): CurrentSession | Response {
  const session = c.get('session');
  const next = nextStepFor(session);
  if (next || !session) return c.redirect(next ?? '/staff/sign-in', 303);
  if (action && !can(session.actor, action, target)) {
    return c.text('You do not have permission to see this page.', 403);
  }
  return session;
}
