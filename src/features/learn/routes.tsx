/**
 * `/learn`, `/learn/:slug` and `/privacy`: plain-language pages from the content module.
 */
import type { Feature } from '../../app-types.ts';
import { frameFor } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { Layout } from '../../web/public-layout.tsx';
import { LEARN_PAGES } from './content.tsx';
import { PrivacyBody } from './privacy.tsx';

const AUDIENCE: Record<string, string> = {
  youth: 'For young people',
  friend: 'For friends and family',
  professional: 'For people who work with young people',
  everyone: 'For everyone',
};

export const learnPages: Feature = (app, deps, policies) => {
  policies.declare('GET', '/learn', PUBLIC);
  policies.declare('GET', '/learn/:slug', PUBLIC);
  policies.declare('GET', '/privacy', PUBLIC);

  app.get('/learn', (c) =>
    renderPage(
      c,
      <Layout
        frame={frameFor(c, deps)}
        title="Learn"
        description="Sexual exploitation, trafficking and your rights under Minnesota's Safe Harbor law, in plain words."
      >
        <ul class="plain">
          {LEARN_PAGES.map((p) => (
            <li class="card">
              <h2>
                <a href={`/learn/${p.slug}`}>{p.title}</a>
              </h2>
              <p>{p.summary}</p>
              <p class="hint">{AUDIENCE[p.audience]}</p>
            </li>
          ))}
        </ul>
      </Layout>,
    ),
  );

  app.get('/learn/:slug', (c) => {
    const page = LEARN_PAGES.find((p) => p.slug === c.req.param('slug'));
    if (!page) return c.notFound();
    const Body = page.Body;
    return renderPage(
      c,
      <Layout frame={frameFor(c, deps)} title={page.title} description={page.summary}>
        <Body />
        <p>
          <a href="/learn">More to read</a> · <a href="/navigator">Find your navigator</a>
        </p>
      </Layout>,
    );
  });

  app.get('/privacy', (c) =>
    renderPage(
      c,
      <Layout frame={frameFor(c, deps)} title="Privacy: what this site records">
        <PrivacyBody />
      </Layout>,
    ),
  );
};
