import { describe, expect, it } from 'vitest';
import { translator } from '../../platform/i18n/index.ts';
import { LEARN_PAGES } from './content.tsx';
import { PrivacyBody } from './views.tsx';

/** Phone and text numbers listed in DOMAIN.md §6 (digits only, without the leading US country code). */
const KNOWN_NUMBERS = new Set([
  '911',
  '8662231111', // Day One
  '6123999995', // Day One text
  '8883737888', // National Human Trafficking Hotline
  '233733', // National Human Trafficking Hotline text
  '8008435678', // NCMEC 1-800-THE-LOST
  '8663852699', // Minnesota Crime Victim Support Line
]);

const KNOWN_ROUTES = new Set([
  '/',
  '/navigator',
  '/services',
  '/map',
  '/privacy',
  '/#lines',
  '/help/contact-me',
  '/identify',
  '/rules',
  ...LEARN_PAGES.map((p) => `/learn/${p.slug}`),
]);

const FORBIDDEN_WORDS = /prostitute|patron/i;
const en = translator('en');
const MAX_BODY_BYTES = 4000;

async function render(Body: (typeof LEARN_PAGES)[number]['Body']): Promise<string> {
  return String(await (<Body />).toString());
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
}

function isAllowedHref(href: string): boolean {
  const phone = /^(tel|sms):\+?([\d-]+)$/.exec(href);
  if (phone) {
    const digits = (phone[2] ?? '').replace(/-/g, '');
    const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    return KNOWN_NUMBERS.has(national);
  }
  return KNOWN_ROUTES.has(href);
}

const bodies = [
  ...LEARN_PAGES.map((p) => ({ name: `/learn/${p.slug}`, Body: p.Body })),
  { name: '/privacy', Body: PrivacyBody },
];

describe('learn pages', () => {
  it('have unique, URL-safe slugs and non-empty titles and summaries', () => {
    const slugs = LEARN_PAGES.map((p) => p.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const page of LEARN_PAGES) {
      expect(page.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(en.text(page.title).trim()).not.toBe('');
      expect(en.text(page.summary).trim()).not.toBe('');
    }
  });

  it('include the pages the site links to', () => {
    expect(LEARN_PAGES.map((p) => p.slug).sort()).toEqual(
      [
        'for-professionals',
        'help-a-friend',
        'signs',
        'staying-safe-online',
        'what-is-exploitation',
        'your-rights',
      ].sort(),
    );
  });

  for (const { name, Body } of bodies) {
    describe(name, () => {
      it('renders body-only HTML with sections and no styles, scripts or outside links', async () => {
        const html = await render(Body);
        expect(html).not.toMatch(/<h1/i);
        expect(html).toMatch(/<h2/);
        expect(html).not.toMatch(/style=/i);
        expect(html).not.toMatch(/<script/i);
        expect(html).not.toMatch(/<img|<iframe|<link|<form/i);
        expect(html).not.toMatch(/https?:\/\//i);
        expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
      });

      it('uses no stigmatising words', async () => {
        expect(await render(Body)).not.toMatch(FORBIDDEN_WORDS);
      });

      it(`is at most ${MAX_BODY_BYTES} bytes`, async () => {
        expect(Buffer.byteLength(await render(Body), 'utf8')).toBeLessThanOrEqual(MAX_BODY_BYTES);
      });

      it('links only to known routes and to the lines in DOMAIN.md §6', async () => {
        for (const href of hrefs(await render(Body))) {
          expect(isAllowedHref(href), `unexpected link ${href}`).toBe(true);
        }
      });

      it(name === '/privacy' ? 'points to Day One for questions' : 'names its sources', async () => {
        const html = await render(Body);
        expect(html).toMatch(name === '/privacy' ? /Day One/ : /<strong>Sources:<\/strong>/);
      });
    });
  }

  it('uses no stigmatising words in titles or summaries', () => {
    for (const page of LEARN_PAGES) {
      expect(`${en.text(page.title)} ${en.text(page.summary)}`).not.toMatch(FORBIDDEN_WORDS);
    }
  });

  it('marks the professional page as general information, not legal advice', async () => {
    const page = LEARN_PAGES.find((p) => p.slug === 'for-professionals');
    if (!page) throw new Error('for-professionals page missing');
    expect(await render(page.Body)).toContain('This is general information, not legal advice.');
  });
});
