/**
 * `/` (get help now) and `/navigator` (who to call for a place).
 */
import { frameFor, type Feature } from '../../app-types.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { renderPage, renderPageOnce } from '../../web/http.ts';
import { Layout } from '../../web/public-layout.tsx';
import { router } from '../../web/route.ts';
import { keptPlaceSearch, sortedCounties } from './service.ts';
import { foundTitle, LinesList, NavigatorFound, PlaceSearch, WaysIn } from './views.tsx';

export const helpPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.open('get', '/', PUBLIC, (c) => {
    const geo = deps.geography.get();
    return renderPage(
      c,
      <Layout
        frame={frameFor(c, deps)}
        title="Get help now"
        description="Who to call for help in Minnesota, safely. For young people 24 and under and the people who care about them."
      >
        <p>
          If someone is pressuring you to trade sex or sexual pictures for money, a place to stay, food, rides
          or anything else, it is not your fault. Help is free and you can ask for it any time.
        </p>
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
            title={foundTitle(outcome.lookup, outcome.place)}
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
          <Layout frame={frame} title={outcome.title}>
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
          <Layout frame={frame} title="Find your navigator">
            <PlaceSearch counties={sortedCounties(geo)} />
          </Layout>,
        );
    }
  });
};
