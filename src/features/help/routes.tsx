/**
 * `/` (get help now) and `/navigator` (who to call for a place).
 */
import { frameFor, type Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { renderPage, renderPageOnce } from '../../web/http.ts';
import { Layout } from '../../web/public-layout.tsx';
import { router } from '../../web/route.ts';
import { keptPlaceSearch, sortedCounties } from './service.ts';
import { foundTitle, HomeIntro, LinesList, NavigatorFound, PlaceSearch, WaysIn } from './views.tsx';

export const helpPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.open('get', '/', PUBLIC, (c) => {
    const geo = deps.geography.get();
    const frame = frameFor(c, deps);
    return renderPage(
      c,
      <Layout
        frame={frame}
        title={frame.t.text('help.home.title')}
        description={frame.t.text('help.home.description')}
      >
        <HomeIntro />
        <PlaceSearch counties={sortedCounties(geo)} />
        <WaysIn />
        <LinesList lines={geo.lines.filter((l) => l.id !== geo.emergencyLine.id)} />
      </Layout>,
    );
  });

  r.open('get', '/navigator', PUBLIC, async (c) => {
    const geo = deps.geography.get();
    const frame = frameFor(c, deps);
    const outcome = keptPlaceSearch(geo, {
      q: c.req.query('q')?.trim(),
      county: c.req.query('county')?.trim(),
      zip: c.req.query('zip')?.trim(),
    });
    switch (outcome.kind) {
      case 'found':
        return renderPageOnce(c, outcome, (nonce) => (
          <Layout
            frame={{ ...frame, nonce }}
            title={foundTitle(frame.t, outcome.lookup, outcome.place)}
            urgent="emergency"
          >
            <NavigatorFound
              lookup={outcome.lookup}
              place={outcome.place}
              alsoIn={outcome.alsoIn}
              notes={outcome.notes}
            />
          </Layout>
        ));
      case 'again':
        return renderPage(
          c,
          <Layout frame={frame} title={frame.t.text(outcome.title)}>
            <PlaceSearch
              counties={sortedCounties(geo)}
              value={outcome.value}
              {...(outcome.question ? { notice: outcome.message } : { error: outcome.message })}
            />
          </Layout>,
          outcome.status,
        );
      case 'form':
        return renderPage(
          c,
          <Layout frame={frame} title={frame.t.text('help.navigator.title')}>
            <PlaceSearch counties={sortedCounties(geo)} />
          </Layout>,
        );
    }
  });
};
