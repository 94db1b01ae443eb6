/**
 * The languages of the public pages and where each lives: English at the site's root, every other
 * language under its own path prefix (`/es/…`, `/so/…`, `/hmn/…`). No cookie and no query parameter
 * carries the language: the address alone says it, so a shared screen's history shows no more than the
 * page itself.
 */
export const LOCALES = ['en', 'es', 'so', 'hmn'] as const;
export type Locale = (typeof LOCALES)[number];

/** The language the catalogue is written in; every other language translates it. */
export const SOURCE_LOCALE: Locale = 'en';

/** Each language named in itself, as the language switch shows it. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  so: 'Soomaali',
  hmn: 'Hmoob',
};

/** The language's name in English, for staff screens and reports. */
export const LOCALE_ENGLISH_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Spanish',
  so: 'Somali',
  hmn: 'Hmong',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language of a request path and the path without its prefix: `/es/navigator` → es, `/navigator`;
 * `/es` and `/es/` → es, `/`; anything else → en, unchanged.
 *
 * @example
 * splitLocalePath('/hmn/learn/signs'); // { locale: 'hmn', path: '/learn/signs' }
 */
export function splitLocalePath(path: string): { locale: Locale; path: string } {
  for (const locale of LOCALES) {
    if (locale === SOURCE_LOCALE) continue;
    const prefix = `/${locale}`;
    if (path === prefix || path === `${prefix}/`) return { locale, path: '/' };
    if (path.startsWith(`${prefix}/`)) return { locale, path: path.slice(prefix.length) };
  }
  return { locale: SOURCE_LOCALE, path };
}

/**
 * A site path in a language: English unchanged, others under their prefix (the home page as `/es/`).
 *
 * @example
 * localePath('so', '/navigator'); // '/so/navigator'
 * localePath('es', '/'); // '/es/'
 */
export function localePath(locale: Locale, path: string): string {
  if (locale === SOURCE_LOCALE) return path;
  if (path === '/') return `/${locale}/`;
  return path.startsWith('/') ? `/${locale}${path}` : path;
}

/**
 * The public pages that exist in every language (path patterns without prefix; `*` one or more
 * segments). A prefixed address outside them (a staff page, the API, a calendar feed) is not found.
 */
export const LOCALIZED_PAGES: readonly string[] = [
  '/',
  '/navigator',
  '/services',
  '/services/*',
  '/map',
  '/learn',
  '/learn/*',
  '/privacy',
  '/identify',
  '/identify/*',
  '/help/contact-me',
  '/help/contact-me/*',
  '/referral-status',
  '/events',
  '/events/*',
  '/certificates',
  '/certificates/*',
];

/** Whether `path` (without prefix) is a page every language has. Calendar files (`.ics`) are not. */
export function isLocalizedPage(path: string): boolean {
  if (path.endsWith('.ics')) return false;
  return LOCALIZED_PAGES.some((pattern) =>
    pattern.endsWith('/*')
      ? path.startsWith(pattern.slice(0, -1)) && path.length > pattern.length - 1
      : path === pattern,
  );
}
