/**
 * `/map`: the counties coloured by region, each a link to its navigator, with a text list that says
 * the same thing for anyone who does not use the picture.
 */
import { frameFor, type Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import { Layout } from '../../web/public-layout.tsx';
import { router } from '../../web/route.ts';
import { todayIn } from '../help/index.ts';
import { mapModel } from './rules.ts';
import { MapPage } from './views.tsx';

export const mapPages: Feature = (app, deps, policies) => {
  router(app, deps, policies).open('get', '/map', PUBLIC, (c) => {
    const geo = deps.geography.get();
    const { counties, regions } = mapModel(geo, todayIn(geo.timezone));
    const frame = frameFor(c, deps);
    return renderPage(
      c,
      <Layout frame={frame} title={frame.t.text('map.pageTitle')}>
        <MapPage counties={counties} regions={regions} />
      </Layout>,
    );
  });
};
