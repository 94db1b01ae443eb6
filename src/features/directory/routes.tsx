/**
 * `/services` (the directory with its filters, working without JavaScript) and `/services/:id`.
 */
import type { Child } from 'hono/jsx';
import { frameFor, type Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { renderPage, renderPageOnce } from '../../web/http.ts';
import { Layout } from '../../web/public-layout.tsx';
import { router } from '../../web/route.ts';
import { searchDirectory, serviceById } from './service.ts';
import { FilterProblemView, ServiceDetail, ServiceList } from './views.tsx';

export const directoryPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.open('get', '/services', PUBLIC, async (c) => {
    const geo = deps.geography.get();
    const frame = frameFor(c, deps);
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
    const found = await searchDirectory(deps.db, geo, raw);
    if (!found.ok) {
      return renderPage(
        c,
        <Layout frame={frame} title={frame.t.text('directory.title')}>
          <FilterProblemView geo={geo} problem={found} languages={found.languages} />
        </Layout>,
        found.status,
      );
    }
    return renderPageOnce(c, found, (nonce) => (
      <Layout
        frame={{ ...frame, nonce }}
        title={frame.t.text('directory.title')}
        description={frame.t.text('directory.description')}
      >
        <ServiceList
          geo={geo}
          f={found.filters}
          raw={raw}
          languages={found.languages}
          countyValue={found.countyValue}
          total={found.total}
          items={found.items}
          pastEnd={found.pastEnd}
        />
      </Layout>
    ));
  });

  r.open('get', '/services/:id', PUBLIC, async (c) => {
    const frame = frameFor(c, deps);
    const s = await serviceById(deps.db, c.req.param('id') ?? '');
    if (!s) {
      return renderPage(
        c,
        <Layout frame={frame} title={frame.t.text('directory.notFound.title')}>
          <p>
            {frame.t('directory.notFound.body', {
              link: (chunks: Child[]) => <a href={frame.t.path('/services')}>{chunks}</a>,
            })}
          </p>
        </Layout>,
        404,
      );
    }
    return renderPage(
      c,
      <Layout frame={frame} title={s.name}>
        <ServiceDetail geo={deps.geography.get()} s={s} />
      </Layout>,
    );
  });
};
