/**
 * Not found, the database being away, and unexpected errors: a page (or problem body, under /api) a
 * person can act on. The error itself goes to the log, without the request's query or body.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Child } from 'hono/jsx';
import { frameFor, type AppDeps } from '../../app-types.ts';
import { isDatabaseUnavailable } from '../../db/database.ts';
import { renderPage } from '../../web/http.ts';
import { problem } from '../../platform/problem.ts';
import { Layout, UrgentLines, type PageFrame } from '../../web/public-layout.tsx';
import { STAFF_HOME, messagePage, staffFrame } from '../../web/page.tsx';
import type { CurrentSession } from '../accounts/service.ts';

const isApi = (c: Context) => c.req.path.startsWith('/api/');

/** A page saying the service could not answer, with the lines to call (the emergency line not urgent). */
function apology(c: Context, frame: PageFrame, title: string, status: 500 | 503, body: Child) {
  return renderPage(
    c,
    <Layout frame={frame} title={title} urgent={false}>
      {body}
      <UrgentLines emergency={frame.emergency} statewide={frame.statewide} />
    </Layout>,
    status,
  );
}

export function notFoundPage(c: Context, deps: AppDeps): Response | Promise<Response> {
  if (isApi(c))
    return problem(c, {
      title: 'Not found',
      status: 404,
      detail: `There is no API resource at ${c.req.path}. See /api/openapi.json.`,
    });
  const english = (c.get('locale') ?? 'en') === 'en';
  if (english && (c.req.path === '/staff' || c.req.path.startsWith('/staff/'))) return staffNotFound(c, deps);
  const frame = frameFor(c, deps);
  const { t } = frame;
  return renderPage(
    c,
    <Layout frame={frame} title={t.text('errors.notFound.title')}>
      <p>{t('errors.notFound.body')}</p>
      <p>
        <a href={t.path('/')}>{t('errors.notFound.home')}</a>
      </p>
    </Layout>,
    404,
  );
}

/** A staff address that leads nowhere: the staff frame, and the way back to the staff home page. */
async function staffNotFound(c: Context, deps: AppDeps): Promise<Response> {
  const session = (c.get('session') as CurrentSession | null | undefined) ?? null;
  return messagePage(
    c,
    await staffFrame(c, deps, session),
    404,
    'Page not found',
    'We could not find that page. Check the address, or start again from the staff home page.',
    STAFF_HOME,
  );
}

export function errorPage(c: Context, deps: AppDeps, error: Error): Response | Promise<Response> {
  if (error instanceof HTTPException && error.status < 500) {
    if (isApi(c))
      return problem(c, {
        title: 'The request is not valid',
        status: error.status,
        detail: error.message || 'The request could not be read.',
      });
    return c.text(error.message || 'The request could not be read.', error.status);
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable(c, deps, error);
  deps.log.error(
    { err: { type: error.name, message: error.message, stack: error.stack }, route: c.req.routePath },
    'unexpected error',
  );
  if (isApi(c)) {
    return problem(c, {
      title: 'Something went wrong on our side',
      status: 500,
      detail: `The service could not answer just now. Try again in a minute. ${HELP_NOW}`,
    });
  }
  let frame;
  try {
    frame = frameFor(c, deps);
  } catch {
    frame = null;
  }
  if (!frame) {
    return c.html(
      '<!doctype html><html lang="en"><title>Something went wrong</title><h1>Something went wrong</h1><p>In danger now: call 911. Day One, any time: call 1-866-223-1111 or text 612-399-9995.</p></html>',
      500,
    );
  }
  return apology(c, frame, frame.t.text('errors.failed.title'), 500, <p>{frame.t('errors.failed.body')}</p>);
}

/** The last sentence of an API problem from our side: where to get help now. */
const HELP_NOW = 'If you need help now, call or text Day One: 1-866-223-1111.';

/** Seconds a client is asked to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The database cannot be reached just now (refused, lost, shutting down, not answering): 503 with
 * `Retry-After`, never a 500. The pool reconnects by itself, so the next request after the database is
 * back succeeds. Logged as a warning without a stack: the cause is outside the code.
 */
function databaseUnavailable(c: Context, deps: AppDeps, error: Error): Response | Promise<Response> {
  const code = (error as { code?: unknown }).code;
  deps.log.warn(
    {
      err: { type: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) },
      route: c.req.routePath,
    },
    'the database is unavailable; answered 503',
  );
  c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  if (isApi(c)) {
    return problem(c, {
      title: 'The service is briefly unavailable',
      status: 503,
      detail: `The service cannot reach its records just now. Try again in a few seconds. ${HELP_NOW}`,
    });
  }
  // The lines to call come from the reference data in memory, which needs no database.
  const frame = frameFor(c, deps);
  return apology(
    c,
    frame,
    frame.t.text('errors.unavailable.title'),
    503,
    <>
      <p>{frame.t('errors.unavailable.body')}</p>
      <p>{frame.t('errors.unavailable.again')}</p>
    </>,
  );
}
