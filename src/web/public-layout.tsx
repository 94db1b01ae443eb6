/**
 * The frame of every public page: skip link, quick exit, the lines to call, navigation and footer.
 */
import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Line } from '../features/help/rules.ts';
import {
  LOCALE_NAMES,
  LOCALES,
  localePath,
  TranslatorProvider,
  useT,
  type Locale,
  type Translator,
} from '../platform/i18n/index.ts';
import { QUICK_EXIT_JS, SITE_CSS } from './assets.ts';

export interface PageFrame {
  nonce: string;
  /** The page's messages in its language (`frame.t.text('…')`; views below the layout call `useT()`). */
  t: Translator;
  /** The page's address without the language prefix, with its query: the language switch's links. */
  path: string;
  quickExitUrl: string;
  /** Emergency line and statewide line, always shown. */
  emergency: Line;
  statewide: Line;
}

/** A phone number that never breaks across lines ("1-800-THE-LOST (1-800-843-5678)" may, between its two forms). */
export const Tel: FC<{ display: string }> = ({ display }) => (
  <>
    {display.split(' ').map((part, i) => (
      <>
        {i > 0 ? ' ' : null}
        <span class="tel">{part}</span>
      </>
    ))}
  </>
);

/** Call and text as buttons big enough for a thumb (44 px at least); a number never breaks. */
export const CallLink: FC<{ line: Line }> = ({ line }) => {
  const t = useT();
  return (
    <>
      {line.call ? (
        <a class="btn call" href={`tel:${line.call.dial}`}>
          {t('layout.call')} <Tel display={line.call.display} />
        </a>
      ) : null}
      {line.text ? (
        <>
          {line.call ? ' ' : null}
          <a
            class="btn call alt"
            href={`sms:${line.text.dial}${line.text.body ? `?body=${encodeURIComponent(line.text.body)}` : ''}`}
          >
            {t('layout.text')} <Tel display={line.text.display} />
          </a>
        </>
      ) : null}
    </>
  );
};

/**
 * The short "call now" box. `emergency` keeps only the emergency line: for a page that already shows
 * the statewide line in its body, or a later step of a flow whose first step showed the whole box.
 */
export const UrgentLines: FC<{ emergency: Line; statewide: Line; only?: 'emergency' }> = ({
  emergency,
  statewide,
  only,
}) => {
  const t = useT();
  return only === 'emergency' ? (
    <aside class="lines short" aria-label={t.text('layout.inDangerLabel')}>
      <p>
        <strong>{t('layout.inDanger')}</strong>
        <CallLink line={emergency} />
      </p>
    </aside>
  ) : (
    <aside class="lines" aria-labelledby="urgent-h">
      <h2 id="urgent-h">{t('layout.needHelp')}</h2>
      <ul>
        <li>
          <strong>{t('layout.inDangerNow')}</strong>
          <CallLink line={emergency} />
        </li>
        <li>
          <span>
            {t('layout.freeAnyTime', { name: statewide.name, b: (chunks) => <strong>{chunks}</strong> })}
          </span>
          <CallLink line={statewide} />
        </li>
      </ul>
    </aside>
  );
};

/**
 * The document head of every page, public or staff: the site's style sheet under the response's nonce,
 * no referrer, and an empty icon so the browser asks for nothing else.
 */
export const PageHead: FC<{
  nonce: string;
  title: string;
  description?: string | undefined;
  noindex?: boolean;
  /** Styles of this page only, after the site's. */
  css?: string | undefined;
  /** The same page in other languages (public pages). */
  alternates?: Child;
}> = ({ nonce, title, description, noindex, css, alternates }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    {noindex ? <meta name="robots" content="noindex" /> : null}
    <title>{title}</title>
    {description ? <meta name="description" content={description} /> : null}
    <link rel="icon" href="data:," />
    {alternates}
    <style nonce={nonce} dangerouslySetInnerHTML={{ __html: SITE_CSS + (css ?? '') }} />
  </head>
);

/** The public site's pages, linked from every page's footer. */
const SITE_LINKS = [
  ['/', 'nav.home'],
  ['/navigator', 'nav.navigator'],
  ['/services', 'nav.services'],
  ['/map', 'nav.map'],
  ['/learn', 'nav.learn'],
  ['/privacy', 'nav.privacy'],
] as const;

/** The languages of the page, each named in itself and linking to this page in it. */
export const LanguageSwitch: FC<{ t: Translator; path: string }> = ({ t, path }) => (
  <nav class="langs" aria-label={t.text('layout.languages')}>
    <ul>
      {LOCALES.map((locale) => (
        <li>
          <a
            href={localePath(locale, path)}
            lang={locale}
            hreflang={locale}
            {...(locale === t.locale ? { 'aria-current': 'true' } : {})}
          >
            {LOCALE_NAMES[locale]}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

/** The same page in every language, for search engines and browsers (the address without its query). */
const Alternates: FC<{ path: string }> = ({ path }) => {
  const bare = path.split('?')[0] ?? '/';
  return (
    <>
      {LOCALES.map((locale: Locale) => (
        <link rel="alternate" hreflang={locale} href={localePath(locale, bare)} />
      ))}
      <link rel="alternate" hreflang="x-default" href={bare} />
    </>
  );
};

export const Layout: FC<{
  frame: PageFrame;
  title: string;
  description?: string;
  children?: Child;
  /** The help box: whole (default), only the emergency line, or none. */
  urgent?: boolean | 'emergency';
  css?: string;
}> = async ({ frame, title, description, children, urgent = true, css }) => {
  const { t } = frame;
  // The body first, so the page knows whether every message it shows has been checked.
  const main = await (
    <TranslatorProvider value={t}>
      <main id="main">
        <h1>{title}</h1>
        {urgent ? (
          <UrgentLines
            emergency={frame.emergency}
            statewide={frame.statewide}
            {...(urgent === 'emergency' ? { only: 'emergency' as const } : {})}
          />
        ) : null}
        {children}
      </main>
      <footer class="foot">
        <div class="foot-in">
          <nav aria-label={t.text('layout.siteLinks')}>
            <ul>
              {SITE_LINKS.map(([href, key]) => (
                <li>
                  <a href={t.path(href)}>{t(key)}</a>
                </li>
              ))}
            </ul>
          </nav>
          <p>{t('layout.noCookies')}</p>
        </div>
      </footer>
    </TranslatorProvider>
  ).toString();
  const header = await (
    <TranslatorProvider value={t}>
      <a class="skip" href="#main">
        {t('layout.skip')}
      </a>
      <header class="top">
        <a class="home" href={t.path('/')}>
          {t('layout.siteName')}
        </a>
        <a id="quick-exit" class="exit" href={frame.quickExitUrl} rel="noreferrer">
          {t('layout.quickExit')}
        </a>
      </header>
      <div class="exit-note">
        <p>
          <span class="exit-key">{t('layout.exitKeyboard', { kbd: (chunks) => <kbd>{chunks}</kbd> })}</span>
          <span class="exit-tap">{t('layout.exitTouch')}</span>{' '}
          <a href={t.path('/learn/staying-safe-online')}>{t('layout.coverTracks')}</a>
        </p>
        <LanguageSwitch t={t} path={frame.path} />
      </div>
      {t.allChecked() ? null : (
        <p class="draft-note">
          {t('layout.draftNotice', {
            link: (chunks) => (
              <a href={frame.path} hreflang="en">
                {chunks}
              </a>
            ),
          })}
        </p>
      )}
    </TranslatorProvider>
  ).toString();
  return (
    <html lang={t.locale}>
      <PageHead
        nonce={frame.nonce}
        title={t.text('layout.title', { title })}
        description={description}
        css={css}
        alternates={<Alternates path={frame.path} />}
      />
      <body>
        {raw(header)}
        {raw(main)}
        <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: QUICK_EXIT_JS }} />
      </body>
    </html>
  );
};
