import { describe, expect, it } from 'vitest';
import { isLocalizedPage, localePath, LOCALES, splitLocalePath } from './locales.ts';

describe('language prefixes', () => {
  it('reads the language from the address and gives the path without it', () => {
    expect(splitLocalePath('/es/navigator')).toEqual({ locale: 'es', path: '/navigator' });
    expect(splitLocalePath('/hmn')).toEqual({ locale: 'hmn', path: '/' });
    expect(splitLocalePath('/so/')).toEqual({ locale: 'so', path: '/' });
    expect(splitLocalePath('/navigator')).toEqual({ locale: 'en', path: '/navigator' });
    // Not a prefix: a page whose name starts with the letters.
    expect(splitLocalePath('/essay')).toEqual({ locale: 'en', path: '/essay' });
    expect(splitLocalePath('/hmnx/a')).toEqual({ locale: 'en', path: '/hmnx/a' });
  });

  it('round-trips every language and path', () => {
    for (const locale of LOCALES)
      for (const path of ['/', '/navigator', '/learn/your-rights', '/help/contact-me'])
        expect(splitLocalePath(localePath(locale, path))).toEqual({ locale, path });
  });

  it('has the public pages in every language, and not staff pages, the API or calendar files', () => {
    for (const path of ['/', '/navigator', '/learn/signs', '/identify', '/help/contact-me', '/events/x'])
      expect(isLocalizedPage(path), path).toBe(true);
    for (const path of [
      '/staff',
      '/staff/sign-in',
      '/api/v1/navigators',
      '/events.ics',
      '/events/x/calendar.ics',
      '/healthz',
      '/learnx',
    ])
      expect(isLocalizedPage(path), path).toBe(false);
  });
});
