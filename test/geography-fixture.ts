/**
 * A small synthetic geography for the pure lookups' tests: three counties, two regions (one added
 * later), one confirmed navigator with a phone, one ZIP in two counties.
 */
import { normalizePlace, countySlug } from '../src/features/help/names.ts';
import type {
  Geography,
  Line,
  Membership,
  OrganizationInfo,
  RegionInfo,
} from '../src/features/help/rules.ts';

const p = (verified: boolean) => ({
  source: 'synthetic test data',
  retrieved: '2026-01-01',
  verified,
  note: null,
});

export function syntheticGeography(): Geography {
  const line = (id: string, name: string, scope: Line['scope']): Line => ({
    id,
    name,
    description: `${name} line`,
    scope,
    call: { dial: '+15550100', display: '555-0100' },
    text: null,
    url: null,
    hours: null,
    ...p(true),
  });
  const statewide = line('statewide', 'Statewide Line', 'statewide');
  const emergency = line('emergency', 'Emergency', 'emergency');
  const counties = [
    { fips: '27001', name: 'Alpha' },
    { fips: '27003', name: 'St. Beta' },
    { fips: '27005', name: 'Gamma Lake' },
  ].map((c) => ({ ...c, slug: countySlug(c.name), ...p(true) }));
  const organizations: OrganizationInfo[] = [
    {
      id: 'org-a',
      name: 'Alpha Navigators',
      description: 'd',
      city: 'Alphaville',
      website: null,
      email: null,
      phones: [{ dial: '+15550199', display: '555-0199', description: null }],
      ...p(true),
    },
    {
      id: 'org-b',
      name: 'Beta Youth',
      description: 'd',
      city: null,
      website: null,
      email: null,
      phones: [],
      ...p(false),
    },
  ];
  const regions: RegionInfo[] = [
    {
      id: 'north',
      name: 'North',
      navigatorOrganizationId: 'org-a',
      effectiveFrom: '2014-08-01',
      effectiveTo: null,
      ...p(true),
    },
    {
      id: 'east',
      name: 'East',
      navigatorOrganizationId: 'org-b',
      effectiveFrom: '2020-01-01',
      effectiveTo: null,
      ...p(false),
    },
  ];
  const memberships: Membership[] = [
    { regionId: 'north', fips: '27001', effectiveFrom: '2014-08-01', effectiveTo: null, ...p(true) },
    // St. Beta moved from North to East when East was created in 2020.
    { regionId: 'north', fips: '27003', effectiveFrom: '2014-08-01', effectiveTo: '2020-01-01', ...p(true) },
    { regionId: 'east', fips: '27003', effectiveFrom: '2020-01-01', effectiveTo: null, ...p(false) },
  ];
  const byCounty = new Map<string, Membership[]>();
  for (const m of memberships) byCounty.set(m.fips, [...(byCounty.get(m.fips) ?? []), m]);
  const zips = new Map([
    ['55001', { zip: '55001', city: 'Alphaville', counties: [{ fips: '27001', share: 100 }] }],
    [
      '55002',
      {
        zip: '55002',
        city: 'Twin Falls',
        counties: [
          { fips: '27001', share: 70 },
          { fips: '27003', share: 30 },
        ],
      },
    ],
    ['55003', { zip: '55003', city: 'Twin Falls', counties: [{ fips: '27003', share: 100 }] }],
  ]);
  const zipsByCity = new Map<string, string[]>();
  for (const z of zips.values())
    zipsByCity.set(normalizePlace(z.city), [...(zipsByCity.get(normalizePlace(z.city)) ?? []), z.zip]);
  return {
    jurisdiction: 'test',
    name: 'Testland',
    timezone: 'America/Chicago',
    lines: [emergency, statewide],
    statewideLine: statewide,
    emergencyLine: emergency,
    counties: new Map(counties.map((c) => [c.fips, c])),
    countiesByName: new Map(counties.map((c) => [normalizePlace(c.name), c.fips])),
    countiesBySlug: new Map(counties.map((c) => [c.slug, c.fips])),
    regions: new Map(regions.map((r) => [r.id, r])),
    organizations: new Map(organizations.map((o) => [o.id, o])),
    membershipsByCounty: byCounty,
    zips,
    zipsByCity,
    zipProvenance: p(true),
  };
}
