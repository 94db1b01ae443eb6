/**
 * What the map shows, worked out from the geography: each county with its region (and whether that is
 * confirmed), and the regions that have counties.
 */
import { navigatorForCounty, type Geography } from '../help/index.ts';
import type { MapCounty, MapRegion } from './views.tsx';

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
