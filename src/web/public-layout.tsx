/**
 * The frame of every public page: skip link, quick exit, the lines to call, navigation and footer.
 */
import type { Child, FC } from 'hono/jsx';
import type { Line } from '../features/help/rules.ts';
import { QUICK_EXIT_JS, SITE_CSS } from './assets.ts';

export interface PageFrame {
  nonce: string;
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
export const CallLink: FC<{ line: Line }> = ({ line }) => (
  <>
    {line.call ? (
      <a class="btn call" href={`tel:${line.call.dial}`}>
        Call <Tel display={line.call.display} />
      </a>
    ) : null}
    {line.text ? (
      <>
        {line.call ? ' ' : null}
        <a
          class="btn call alt"
          href={`sms:${line.text.dial}${line.text.body ? `?body=${encodeURIComponent(line.text.body)}` : ''}`}
        >
          Text <Tel display={line.text.display} />
        </a>
      </>
    ) : null}
  </>
);

/**
 * The short "call now" box. `emergency` keeps only the emergency line: for a page that already shows
 * the statewide line in its body, or a later step of a flow whose first step showed the whole box.
 */
export const UrgentLines: FC<{ emergency: Line; statewide: Line; only?: 'emergency' }> = ({
  emergency,
  statewide,
  only,
}) =>
  only === 'emergency' ? (
    <aside class="lines short" aria-label="In danger right now">
      <p>
        <strong>In danger right now?</strong>
        <CallLink line={emergency} />
      </p>
    </aside>
  ) : (
    <aside class="lines" aria-labelledby="urgent-h">
      <h2 id="urgent-h">Need help now?</h2>
      <ul>
        <li>
          <strong>In danger right now:</strong>
          <CallLink line={emergency} />
        </li>
        <li>
          <span>
            <strong>{statewide.name}</strong>, free, any time:
          </span>
          <CallLink line={statewide} />
        </li>
      </ul>
    </aside>
  );

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
}> = ({ nonce, title, description, noindex, css }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    {noindex ? <meta name="robots" content="noindex" /> : null}
    <title>{title}</title>
    {description ? <meta name="description" content={description} /> : null}
    <link rel="icon" href="data:," />
    <style nonce={nonce} dangerouslySetInnerHTML={{ __html: SITE_CSS + (css ?? '') }} />
  </head>
);

/** The public site's pages, linked from every page's footer. */
const SITE_LINKS = [
  ['/', 'Get help now'],
  ['/navigator', 'Find your navigator'],
  ['/services', 'Services'],
  ['/map', 'Map'],
  ['/learn', 'Learn'],
  ['/privacy', 'Privacy'],
] as const;

export const Layout: FC<{
  frame: PageFrame;
  title: string;
  description?: string;
  children?: Child;
  /** The help box: whole (default), only the emergency line, or none. */
  urgent?: boolean | 'emergency';
  css?: string;
}> = ({ frame, title, description, children, urgent = true, css }) => (
  <html lang="en">
    <PageHead
      nonce={frame.nonce}
      title={`${title} | No Wrong Door Minnesota`}
      description={description}
      css={css}
    />
    <body>
      <a class="skip" href="#main">
        Skip to main content
      </a>
      <header class="top">
        <a class="home" href="/">
          No Wrong Door
        </a>
        <a id="quick-exit" class="exit" href={frame.quickExitUrl} rel="noreferrer">
          Quick exit
        </a>
      </header>
      <p class="exit-note">
        <span class="exit-key">
          Press <kbd>Esc</kbd> or tap
        </span>
        <span class="exit-tap">Tap</span> Quick exit to leave this site fast.{' '}
        <a href="/learn/staying-safe-online">Cover your tracks</a>
      </p>
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
          <nav aria-label="Site">
            <ul>
              {SITE_LINKS.map(([href, text]) => (
                <li>
                  <a href={href}>{text}</a>
                </li>
              ))}
            </ul>
          </nav>
          <p>This site sets no cookies and shares nothing with other companies.</p>
        </div>
      </footer>
      <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: QUICK_EXIT_JS }} />
    </body>
  </html>
);
