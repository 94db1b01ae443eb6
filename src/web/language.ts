/**
 * The language of a public page comes from its address: `/es/…`, `/so/…`, `/hmn/…`, or English at the
 * root. The router sees the address without the prefix (`withoutLanguagePrefix`, Hono's `getPath`), so
 * each page is written once; `publicLanguage` sets `c.get('locale')` and answers "not found" to a
 * prefixed address that is not a public page (a staff page, the API, a calendar feed).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
import { isLocalizedPage, localePath, splitLocalePath, type Locale } from '../platform/i18n/index.ts';

declare module 'hono' {
  interface ContextVariableMap {
    locale: Locale;
  }
}

/** Hono's path of a request, without its language prefix. */
export function withoutLanguagePrefix(request: Request): string {
  return splitLocalePath(getPath(request)).path;
}

/** Sets the page's language from the address; a prefixed address outside the public pages is not found. */
export function publicLanguage(): MiddlewareHandler {
  return async (c, next) => {
    const { locale } = splitLocalePath(getPath(c.req.raw));
    c.set('locale', locale);
    if (locale !== 'en' && !isLocalizedPage(c.req.path)) return c.notFound();
    await next();
  };
}

/** The page's address without its language prefix, with its query: what the language switch links to. */
export function pagePath(c: Context): string {
  const url = c.req.url;
  const query = url.indexOf('?');
  return query === -1 ? c.req.path : `${c.req.path}${url.slice(query)}`;
}

/** A redirect to a site path in the page's language. */
export function redirectInLanguage(c: Context, path: string, status: 302 | 303 = 303): Response {
  return c.redirect(localePath(c.get('locale') ?? 'en', path), status);
}
