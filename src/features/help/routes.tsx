/**
 * `/` (get help now) and `/navigator` (who to call for a place).
 */
import type { Context } from 'hono';
import { frameFor, type AppDeps, type Feature } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { Layout } from '../../web/public-layout.tsx';
import { lookupNavigator, type Lookup } from './lookup.ts';
import { findPlace, navigatorForCounty, todayIn, type CountyInfo, type Geography } from './rules.ts';
import { LinesList, NavigatorResult, PlaceSearch, WhichCounty } from './views.tsx';

function sortedCounties(geo: Geography) {
  return [...geo.counties.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const WaysIn = () => (
  <section aria-labelledby="ways-h">
    <h2 id="ways-h">Where do you want to start?</h2>
    <ul class="ways">
      <li>
        <a href="/learn/your-rights">Something is happening to me</a>
      </li>
      <li>
        <a href="/learn/help-a-friend">I'm worried about a friend</a>
      </li>
      <li>
        <a href="/learn/for-professionals">I work with young people</a>
      </li>
      <li>
        <a href="/help/contact-me">Ask a navigator to contact me, safely</a>
      </li>
      <li>
        <a href="/identify">I&rsquo;m worried about a young person: what do I do now?</a>
      </li>
    </ul>
  </section>
);

function home(c: Context, deps: AppDeps) {
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
}

function navigatorPage(c: Context, deps: AppDeps) {
  const geo = deps.geography.get();
  const frame = frameFor(c, deps);
  const counties = sortedCounties(geo);
  const q = c.req.query('q')?.trim();
  const county = c.req.query('county')?.trim();
  const zip = c.req.query('zip')?.trim();

  const showLookup = (lookup: Lookup, place: string, alsoIn: CountyInfo[] = []) =>
    renderPage(
      c,
      <Layout
        frame={frame}
        title={
          lookup.ambiguous
            ? 'Which county?'
            : `Your navigator: ${lookup.results[0]?.county.name ?? place} County`
        }
      >
        {lookup.ambiguous ? (
          <WhichCounty lookup={lookup} place={place} />
        ) : (
          lookup.results.map((r) => <NavigatorResult answer={r} heading="h2" />)
        )}
        {alsoIn.length ? (
          <p>
            Parts of {place} are also in{' '}
            {alsoIn.map((c, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={`/navigator?county=${c.fips}`}>{c.name} County</a>
              </>
            ))}
            .
          </p>
        ) : null}
        <p>
          <a href="/navigator">Search for another place</a>
        </p>
      </Layout>,
    );

  const searchAgain = (title: string, message: string, status: 400 | 404, value?: string) =>
    renderPage(
      c,
      <Layout frame={frame} title={title}>
        <PlaceSearch counties={counties} value={value} error={message} />
      </Layout>,
      status,
    );

  if (county || zip) {
    const outcome = lookupNavigator(geo, { county, zip });
    if (!outcome.ok)
      return searchAgain(
        outcome.status === 404 ? 'We could not find that place' : 'Check what you typed',
        outcome.detail,
        outcome.status,
        county ?? zip,
      );
    return showLookup(outcome.lookup, zip ?? county ?? '');
  }
  if (q) {
    const match = findPlace(geo, q);
    const asOf = todayIn(geo.timezone);
    switch (match.kind) {
      case 'county': {
        const outcome = lookupNavigator(geo, { county: match.county.fips });
        if (outcome.ok) return showLookup(outcome.lookup, match.county.name);
        break;
      }
      case 'zip': {
        const outcome = lookupNavigator(geo, { zip: match.zip.zip });
        if (outcome.ok) return showLookup(outcome.lookup, `ZIP code ${match.zip.zip}`);
        break;
      }
      case 'city': {
        const answers = (match.primary ? [match.primary] : match.fips)
          .map((f) => navigatorForCounty(geo, f, asOf))
          .filter((a) => a !== null)
          .map((a) => ({ ...a, share: null }));
        const others = match.primary ? match.fips.filter((f) => f !== match.primary) : [];
        return showLookup(
          {
            query: {},
            asOf,
            ambiguous: answers.length > 1,
            results: answers,
            statewide: geo.statewideLine,
            emergency: geo.emergencyLine,
          },
          match.city,
          others.map((f) => geo.counties.get(f)).filter((c) => c !== undefined),
        );
      }
      case 'none':
        return searchAgain(
          'We could not find that place',
          `We could not find "${q}" in ${geo.name}.` +
            (match.suggestions.length
              ? ` Did you mean ${match.suggestions.join(', ')}?`
              : ' Try a ZIP code, or choose your county from the list.'),
          404,
          q,
        );
      case 'invalid':
        return searchAgain(
          'Check what you typed',
          'Type a five-digit ZIP code, a city or a county name.',
          400,
          q,
        );
    }
  }
  return renderPage(
    c,
    <Layout frame={frame} title="Find your navigator">
      <PlaceSearch counties={counties} />
    </Layout>,
  );
}

export const helpPages: Feature = (app, deps, policies) => {
  policies.declare('GET', '/', PUBLIC);
  policies.declare('GET', '/navigator', PUBLIC);
  app.get('/', (c) => home(c, deps));
  app.get('/navigator', (c) => navigatorPage(c, deps));
};
