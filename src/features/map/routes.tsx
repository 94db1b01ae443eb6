/**
 * `/map`: the counties coloured by region, each a link to its navigator, with a text list that says
 * the same thing for anyone who does not use the picture.
 */
import type { Feature } from '../../app-types.ts';
import { frameFor } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { Layout } from '../../web/public-layout.tsx';
import { navigatorForCounty, todayIn, type Geography } from '../help/rules.ts';
import { CountyMap, MapLegend, type MapCounty, type MapRegion } from './render.tsx';

export function mapModel(geo: Geography, asOf: string): { counties: MapCounty[]; regions: MapRegion[] } {
  const counties = [...geo.counties.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c): MapCounty => {
      const answer = navigatorForCounty(geo, c.fips, asOf);
      const region = answer?.region ?? null;
      return {
        fips: c.fips,
        name: c.name,
        href: `/navigator?county=${c.fips}`,
        regionId: region?.id ?? null,
        regionName: region?.name ?? null,
        verified: Boolean(region?.verified && region.membership.verified),
      };
    });
  const used = new Set(counties.map((c) => c.regionId));
  const regions = [...geo.regions.values()]
    .filter((r) => used.has(r.id))
    .map((r) => ({ id: r.id, name: r.name }));
  return { counties, regions };
}

const CountyLinks = ({ counties }: { counties: MapCounty[] }) => (
  <ul class="cols">
    {counties.map((c) => (
      <li>
        <a href={c.href}>{c.name}</a>
      </li>
    ))}
  </ul>
);

export const mapPages: Feature = (app, deps, policies) => {
  policies.declare('GET', '/map', PUBLIC);
  app.get('/map', (c) => {
    const geo = deps.geography.get();
    const { counties, regions } = mapModel(geo, todayIn(geo.timezone));
    const byRegion = regions.map((r) => ({
      region: r,
      counties: counties.filter((c) => c.regionId === r.id),
    }));
    const none = counties.filter((c) => c.regionId === null);
    return renderPage(
      c,
      <Layout frame={frameFor(c, deps)} title="Map of navigator regions">
        <p id="map-desc">Choose your county on the map or in the list below to see who to contact.</p>
        <div class="map">
          <CountyMap
            counties={counties}
            regions={regions}
            title="Minnesota counties by Safe Harbor region"
            descId="map-desc"
          />
        </div>
        <MapLegend regions={regions} counties={counties} />
        <h2 id="list-h">Counties by region</h2>
        {byRegion.map(({ region, counties: list }) => (
          <section aria-labelledby={`reg-${region.id}`}>
            <h3 id={`reg-${region.id}`}>
              {region.name}
              {list.some((c) => !c.verified) ? ' (not confirmed)' : ''}
            </h3>
            <CountyLinks counties={list} />
          </section>
        ))}
        {none.length ? (
          <section aria-labelledby="reg-none">
            <h3 id="reg-none">Region not known</h3>
            <CountyLinks counties={none} />
          </section>
        ) : null}
      </Layout>,
    );
  });
};
