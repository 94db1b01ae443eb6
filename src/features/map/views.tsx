/**
 * The map views: the server-rendered Minnesota county map (inline SVG), its legend, and the `/map`
 * page body with the same in words (counties by region).
 *
 * The public pages run under a strict Content-Security-Policy (`style-src 'self'`), so nothing here
 * uses `<style>` or `style=""`: colours are SVG presentation attributes. Hover, focus and other
 * states are styled by the page's stylesheet through these classes:
 *
 * - `svg.county-map` — the map; `a.county` — one county link, plus `r-<regionId>` or `r-unknown`,
 *   and `unconfirmed` when the county's region is not verified.
 * - `ul.map-legend` — the legend; `svg.swatch` — one swatch.
 *
 * Colour never carries meaning on its own: every county's link text (its `<title>`) names the region
 * and says "(unconfirmed)", unconfirmed counties are also hatched, and the page lists the counties as
 * text.
 */
import type { Child, FC } from 'hono/jsx';
import { useT, type Translator } from '../../platform/i18n/index.ts';
import { countyNeighbours, MAP_HEIGHT, MAP_VIEWBOX, MAP_WIDTH, minnesotaCountyPaths } from './geometry.ts';

export interface MapCounty {
  fips: string;
  name: string;
  href: string;
  regionId: string | null;
  regionName: string | null;
  verified: boolean;
}

export interface MapRegion {
  id: string;
  name: string;
}

/**
 * Region fills: distinguishable (also under simulated deuteranopia, protanopia and tritanopia) and
 * each at least 3:1 against white, so the county shapes and the white borders between them meet
 * WCAG 1.4.11 non-text contrast.
 */
export const REGION_PALETTE: readonly string[] = [
  '#2233cc', // blue        8.7:1
  '#dd6611', // orange      3.5:1
  '#008855', // green       4.5:1
  '#7711aa', // purple      8.6:1
  '#cc55aa', // pink        3.9:1
  '#664400', // brown       8.8:1
  '#6688ff', // periwinkle  3.2:1
  '#335555', // slate       8.2:1
];

/** Fill for counties without a region. */
export const UNKNOWN_REGION_COLOUR = '#888888'; // 3.5:1

/** Fill for every county of a region (regionId → hex). */
export type RegionColours = Record<string, string>;

/**
 * Assigns palette colours to regions. Up to eight regions each get their own colour, in the order
 * given; with more, regions are coloured greedily so that regions sharing a border never share a
 * colour (the map's county adjacency decides).
 */
export function regionColours(
  regions: readonly MapRegion[],
  counties: readonly MapCounty[] = [],
): RegionColours {
  const colours: RegionColours = {};
  if (regions.length <= REGION_PALETTE.length) {
    regions.forEach((r, i) => (colours[r.id] = REGION_PALETTE[i] as string));
    return colours;
  }
  const regionOf = new Map(counties.map((c) => [c.fips, c.regionId]));
  const touching = new Map<string, Set<string>>(regions.map((r) => [r.id, new Set<string>()]));
  for (const [fips, neighbours] of countyNeighbours()) {
    const a = regionOf.get(fips);
    if (!a) continue;
    for (const n of neighbours) {
      const b = regionOf.get(n);
      if (b && b !== a) touching.get(a)?.add(b);
    }
  }
  regions.forEach((r, i) => {
    const taken = new Set([...(touching.get(r.id) ?? [])].map((n) => colours[n]));
    colours[r.id] =
      REGION_PALETTE.find((c) => !taken.has(c)) ?? (REGION_PALETTE[i % REGION_PALETTE.length] as string);
  });
  return colours;
}

/** `#aabbcc` → `#abc` when possible (bytes count on this page). */
function short(hex: string): string {
  return /^#(.)\1(.)\2(.)\3$/.test(hex) ? `#${hex[1]}${hex[3]}${hex[5]}` : hex;
}

/** Diagonal white stripes over the region colour: the "unconfirmed" marking. */
function Hatch(props: { id: string; colour: string }) {
  return (
    <pattern id={props.id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill={short(props.colour)} />
      <path d="M1 0v6" stroke="#fff" stroke-width="2" />
    </pattern>
  );
}

function countyTitle(t: Translator, c: MapCounty): string {
  if (c.regionId === null || c.regionName === null) return t.text('map.county.unknown', { county: c.name });
  return t.text(c.verified ? 'map.county.region' : 'map.county.unconfirmed', {
    county: c.name,
    region: c.regionName,
  });
}

export interface CountyMapProps {
  counties: MapCounty[];
  regions: MapRegion[];
  /** Accessible name of the map (also its tooltip). */
  title: string;
  /** Id of an element on the page that describes the map, e.g. the text list's heading or intro. */
  descId?: string;
  /** Prefix for the ids inside the SVG; change it only if a page shows two maps. */
  idPrefix?: string;
  /** Extra class names for the `<svg>` (always has `county-map`). */
  class?: string;
}

/**
 * The 87 counties as links. Each `<a>` has a `<title>` child: it is the link's accessible name and
 * the tooltip when hovering any part of the county. The SVG is a `role="group"` (not `img`: an
 * `img` hides its links from assistive technology) named by its own `<title>`.
 */
export function CountyMap(props: CountyMapProps) {
  const t = useT();
  const prefix = props.idPrefix ?? 'cm';
  const colours = regionColours(props.regions, props.counties);
  const byFips = new Map(props.counties.map((c) => [c.fips, c]));
  const fillOf = (c: MapCounty | undefined) =>
    (c?.regionId != null ? colours[c.regionId] : undefined) ?? UNKNOWN_REGION_COLOUR;

  // One hatch pattern per colour that has unconfirmed counties.
  const hatched = [
    ...new Set(props.counties.filter((c) => !c.verified && c.regionId !== null).map((c) => short(fillOf(c)))),
  ];
  const hatchId = (colour: string) => `${prefix}-h${hatched.indexOf(colour)}`;

  const paths: Child[] = minnesotaCountyPaths().map((shape) => {
    const c = byFips.get(shape.fips);
    if (!c) return <path d={shape.d} fill={short(UNKNOWN_REGION_COLOUR)} />;
    const colour = short(fillOf(c));
    const unconfirmed = !c.verified && c.regionId !== null;
    const cls = `county r-${c.regionId ?? 'unknown'}${unconfirmed ? ' unconfirmed' : ''}`;
    return (
      <a href={t.path(c.href)} class={cls}>
        <title>{countyTitle(t, c)}</title>
        <path d={shape.d} fill={unconfirmed ? `url(#${hatchId(colour)})` : colour} />
      </a>
    );
  });

  return (
    <svg
      viewBox={MAP_VIEWBOX}
      width={MAP_WIDTH}
      height={MAP_HEIGHT}
      role="group"
      aria-labelledby={`${prefix}-t`}
      aria-describedby={props.descId}
      class={props.class ? `county-map ${props.class}` : 'county-map'}
    >
      <title id={`${prefix}-t`}>{props.title}</title>
      {hatched.length > 0 && (
        <defs>
          {hatched.map((colour) => (
            <Hatch id={hatchId(colour)} colour={colour} />
          ))}
        </defs>
      )}
      <g stroke="#fff" stroke-width=".8" stroke-linejoin="round">
        {paths}
      </g>
    </svg>
  );
}

export interface MapLegendProps {
  regions: MapRegion[];
  /** The same counties as given to the map: decides colours (above eight regions) and extra rows. */
  counties?: MapCounty[];
  /** Prefix for the ids inside the swatches; change it only if a page shows two legends. */
  idPrefix?: string;
}

function Swatch(props: { fill: string; hatchId?: string }) {
  return (
    <svg class="swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {props.hatchId && (
        <defs>
          <Hatch id={props.hatchId} colour={props.fill} />
        </defs>
      )}
      <rect width="16" height="16" fill={props.hatchId ? `url(#${props.hatchId})` : short(props.fill)} />
    </svg>
  );
}

/**
 * The map's key as an HTML list: one swatch per region, then "not confirmed" (hatched) and
 * "region not known" rows when the counties include such cases (all shown when `counties` is omitted).
 */
export function MapLegend(props: MapLegendProps) {
  const t = useT();
  const prefix = props.idPrefix ?? 'ml';
  const colours = regionColours(props.regions, props.counties ?? []);
  const counties = props.counties;
  const anyUnconfirmed = !counties || counties.some((c) => !c.verified && c.regionId !== null);
  const anyUnknown = !counties || counties.some((c) => c.regionId === null);
  return (
    <ul class="map-legend">
      {props.regions.map((r) => (
        <li>
          <Swatch fill={colours[r.id] ?? UNKNOWN_REGION_COLOUR} />
          {r.name}
        </li>
      ))}
      {anyUnconfirmed && (
        <li>
          <Swatch fill={UNKNOWN_REGION_COLOUR} hatchId={`${prefix}-h`} />
          {t('map.legend.unconfirmed')}
        </li>
      )}
      {anyUnknown && (
        <li>
          <Swatch fill={UNKNOWN_REGION_COLOUR} />
          {t('map.legend.unknown')}
        </li>
      )}
    </ul>
  );
}

const CountyLinks = ({ counties }: { counties: MapCounty[] }) => {
  const t = useT();
  return (
    <ul class="cols">
      {counties.map((c) => (
        <li>
          <a href={t.path(c.href)}>{c.name}</a>
        </li>
      ))}
    </ul>
  );
};

export const MapPage: FC<{ counties: MapCounty[]; regions: MapRegion[] }> = ({ counties, regions }) => {
  const t = useT();
  const byRegion = regions.map((r) => ({
    region: r,
    counties: counties.filter((c) => c.regionId === r.id),
  }));
  const none = counties.filter((c) => c.regionId === null);
  return (
    <>
      <p id="map-desc">{t('map.intro')}</p>
      <div class="map">
        <CountyMap counties={counties} regions={regions} title={t.text('map.title')} descId="map-desc" />
      </div>
      <MapLegend regions={regions} counties={counties} />
      <h2 id="list-h">{t('map.list.heading')}</h2>
      {byRegion.map(({ region, counties: list }) => (
        <section aria-labelledby={`reg-${region.id}`}>
          <h3 id={`reg-${region.id}`}>
            {list.some((c) => !c.verified)
              ? t('map.list.regionUnconfirmed', { region: region.name })
              : region.name}
          </h3>
          <CountyLinks counties={list} />
        </section>
      ))}
      {none.length ? (
        <section aria-labelledby="reg-none">
          <h3 id="reg-none">{t('map.legend.unknown')}</h3>
          <CountyLinks counties={none} />
        </section>
      ) : null}
    </>
  );
};
