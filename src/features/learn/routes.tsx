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

  r.open('get', '/learn', PUBLIC, (c) => {
    const frame = frameFor(c, deps);
    return renderPage(
      c,
      <Layout
        frame={frame}
        title={frame.t.text('learn.index.title')}
        description={frame.t.text('learn.index.description')}
      >
        <LearnIndex pages={LEARN_PAGES} />
      </Layout>,
    );
  });

  r.open('get', '/learn/:slug', PUBLIC, (c) => {
    const page = LEARN_PAGES.find((p) => p.slug === c.req.param('slug'));
    if (!page) return c.notFound();
    const frame = frameFor(c, deps);
    return renderPage(
      c,
      <Layout frame={frame} title={frame.t.text(page.title)} description={frame.t.text(page.summary)}>
        <LearnArticle page={page} />
      </Layout>,
    );
  });

  r.open('get', '/privacy', PUBLIC, (c) => {
    const frame = frameFor(c, deps);
    return renderPage(
      c,
      <Layout frame={frame} title={frame.t.text('privacy.title')}>
        <PrivacyBody />
      </Layout>,
    );
  });
};
