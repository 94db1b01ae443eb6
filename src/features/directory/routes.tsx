/**
 * `/services` (the directory with its filters, working without JavaScript) and `/services/:id`.
 */
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
        <Layout frame={frame} title="Services">
          <FilterProblemView geo={geo} problem={found} languages={found.languages} />
        </Layout>,
        found.status,
      );
    }
    return renderPageOnce(c, found, (nonce) => (
      <Layout
        frame={{ ...frame, nonce }}
        title="Services"
        description="Safe Harbor services, shelter and housing for young people in Minnesota."
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
        <Layout frame={frame} title="Service not found">
          <p>
            We could not find that service. It may have been removed. <a href="/services">See all services</a>
            .
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
