/**
 * `/learn`, `/learn/:slug` and `/privacy`: plain-language pages from the content module.
 */
import type { Feature } from '../../app-types.ts';
import { frameFor } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import { Layout } from '../../web/public-layout.tsx';
import { router } from '../../web/route.ts';
import { LEARN_PAGES } from './content.tsx';
import { LearnArticle, LearnIndex, PrivacyBody } from './views.tsx';

export const learnPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.open('get', '/learn', PUBLIC, (c) =>
    renderPage(
      c,
      <Layout
        frame={frameFor(c, deps)}
        title="Learn"
        description="Sexual exploitation, trafficking and your rights under Minnesota's Safe Harbor law, in plain words."
      >
        <LearnIndex pages={LEARN_PAGES} />
      </Layout>,
    ),
  );

  r.open('get', '/learn/:slug', PUBLIC, (c) => {
    const page = LEARN_PAGES.find((p) => p.slug === c.req.param('slug'));
    if (!page) return c.notFound();
    return renderPage(
      c,
      <Layout frame={frameFor(c, deps)} title={page.title} description={page.summary}>
        <LearnArticle page={page} />
      </Layout>,
    );
  });

  r.open('get', '/privacy', PUBLIC, (c) =>
    renderPage(
      c,
      <Layout frame={frameFor(c, deps)} title="Privacy: what this site records">
        <PrivacyBody />
      </Layout>,
    ),
  );
};
