import { gzipSync } from 'node:zlib';
import { describe, it, expect } from 'vitest';
import { countyNeighbours, MAP_HEIGHT, MAP_VIEWBOX, MAP_WIDTH, minnesotaCountyPaths } from './geometry.ts';
import type { MapCounty, MapRegion } from './views.tsx';
import { CountyMap, MapLegend, REGION_PALETTE, regionColours, UNKNOWN_REGION_COLOUR } from './views.tsx';

const SVG_GZIP_BUDGET = 7 * 1024;

/** Absolute vertices of path data made of M/m/L/l/H/h/V/v/Z/z commands. */
function vertices(d: string): [number, number][] {
  const out: [number, number][] = [];
  let cmd = '';
  let [x, y, sx, sy] = [0, 0, 0, 0];
  let pending: number[] = [];
  for (const m of d.matchAll(/([MmLlHhVvZz])|(-?(?:\d+\.?\d*|\.\d+))/g)) {
    if (m[1]) {
      cmd = m[1];
      if (cmd === 'z' || cmd === 'Z') [x, y] = [sx, sy];
      continue;
    }
    pending.push(Number(m[2]));
    if (pending.length < ('HhVv'.includes(cmd) ? 1 : 2)) continue;
    const [a, b] = pending as [number, number];
    pending = [];
    if (cmd === 'M' || cmd === 'm') {
      [x, y] = cmd === 'M' ? [a, b] : [x + a, y + b];
      [sx, sy] = [x, y];
      cmd = cmd === 'M' ? 'L' : 'l';
    } else if (cmd === 'L') [x, y] = [a, b];
    else if (cmd === 'l') [x, y] = [x + a, y + b];
    else if (cmd === 'H') x = a;
    else if (cmd === 'h') x += a;
    else if (cmd === 'V') y = a;
    else if (cmd === 'v') y += a;
    else throw new Error(`unexpected command ${cmd}`);
    out.push([x, y]);
  }
  expect(pending).toEqual([]);
  return out;
}

function inside(px: number, py: number, ring: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

async function render(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}

const byName = (name: string) => {
  const c = minnesotaCountyPaths().find((p) => p.name === name);
  if (!c) throw new Error(`no county ${name}`);
  return c;
};

/** Synthetic assignment: eight regions by position, a few unverified, a few unknown. */
function synthetic(): { counties: MapCounty[]; regions: MapRegion[] } {
  const regions: MapRegion[] = Array.from({ length: 8 }, (_, i) => ({
    id: `region-${i}`,
    name: `Region ${i}`,
  }));
  const counties = minnesotaCountyPaths().map((p, i): MapCounty => {
    const col = Math.min(1, Math.floor(p.labelX / (MAP_WIDTH / 2)));
    const row = Math.min(3, Math.floor(p.labelY / (MAP_HEIGHT / 4)));
    const region = regions[row * 2 + col]!;
    const unknown = i % 29 === 5;
    return {
      fips: p.fips,
      name: p.name,
      href: `/help/county/${p.fips}`,
      regionId: unknown ? null : region.id,
      regionName: unknown ? null : region.name,
      verified: i % 7 !== 3,
    };
  });
  return { counties, regions };
}

describe('minnesotaCountyPaths', () => {
  const paths = minnesotaCountyPaths();

  it('has the 87 Minnesota counties, each once', () => {
    expect(paths).toHaveLength(87);
    expect(new Set(paths.map((p) => p.fips)).size).toBe(87);
    expect(paths.every((p) => /^27\d{3}$/.test(p.fips))).toBe(true);
    expect(new Set(paths.map((p) => p.name)).size).toBe(87);
    expect(byName('Hennepin').fips).toBe('27053');
  });

  it('is computed once per process', () => {
    expect(minnesotaCountyPaths()).toBe(paths);
  });

  it('writes compact relative path data', () => {
    for (const p of paths) {
      expect(p.d).toMatch(/^M[-\d.]+[ -]?[-\d.]+[lhv]/);
      expect(p.d).toMatch(/z$/);
      expect(p.d).not.toMatch(/[LHV]| {2}|, /);
    }
  });

  it('keeps every vertex and label point inside the viewBox', () => {
    expect(MAP_VIEWBOX).toBe(`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`);
    for (const p of paths) {
      const pts = vertices(p.d);
      expect(pts.length).toBeGreaterThanOrEqual(3);
      for (const [x, y] of [...pts, [p.labelX, p.labelY] as [number, number]]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(MAP_WIDTH);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(MAP_HEIGHT);
      }
    }
  });

  it('puts each label point inside its county', () => {
    for (const p of paths) expect(inside(p.labelX, p.labelY, vertices(p.d)), p.name).toBe(true);
  });

  it('is oriented north up, east right', () => {
    expect(byName('Hennepin').labelX).toBeGreaterThan(byName('Lac qui Parle').labelX);
    expect(byName('Kittson').labelY).toBeLessThan(byName('Houston').labelY);
    expect(byName('Cook').labelX).toBeGreaterThan(byName('Kittson').labelX);
  });

  it('knows which counties border each other', () => {
    const n = countyNeighbours();
    expect(n.get('27053')).toContain('27123'); // Hennepin – Ramsey
    expect(n.get('27123')).toContain('27053');
    expect(n.get('27031')).toEqual(['27075']); // Cook touches only Lake
  });
});

describe('CountyMap', () => {
  it('renders every county as a titled link, within the size budget, without inline styles', async () => {
    const { counties, regions } = synthetic();
    const svg = await render(<CountyMap counties={counties} regions={regions} title="Regions by county" />);

    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('role="group"');
    expect(svg).toContain('aria-labelledby="cm-t"');
    expect(svg).toContain('<title id="cm-t">Regions by county</title>');
    expect(svg).not.toContain('aria-describedby');

    const links = [...svg.matchAll(/<a href="([^"]+)" class="([^"]+)"><title>([^<]+)<\/title><path d="/g)];
    expect(links).toHaveLength(87);
    for (const c of counties) {
      const link = links.find((l) => l[1] === c.href);
      expect(link, c.name).toBeDefined();
      const cls = link![2] ?? '';
      const title = link![3];
      expect(cls.split(' ')).toContain('county');
      expect(cls.split(' ')).toContain(`r-${c.regionId ?? 'unknown'}`);
      if (c.regionName === null) expect(title).toBe(`${c.name} — region not known`);
      else if (c.verified) expect(title).toBe(`${c.name} — ${c.regionName}`);
      else {
        expect(title).toBe(`${c.name} — ${c.regionName} (unconfirmed)`);
        expect(cls.split(' ')).toContain('unconfirmed');
      }
    }

    // Strict CSP: presentation attributes only.
    expect(svg).not.toMatch(/style=|<style/i);

    const gz = gzipSync(svg).length;
    expect(gz).toBeLessThanOrEqual(SVG_GZIP_BUDGET);
  });

  it('hatches unconfirmed counties and colours the rest by region', async () => {
    const { counties, regions } = synthetic();
    const svg = await render(
      <CountyMap counties={counties} regions={regions} title="Map" descId="map-help" />,
    );
    expect(svg).toContain('aria-describedby="map-help"');
    const colours = regionColours(regions, counties);
    const fills = new Map(
      [...svg.matchAll(/<a href="([^"]+)"[^>]*><title>[^<]*<\/title><path d="[^"]+" fill="([^"]+)"/g)].map(
        (m) => [m[1], m[2]],
      ),
    );
    for (const c of counties) {
      const fill = fills.get(c.href);
      if (c.regionId === null) expect(fill).toBe('#888');
      else if (!c.verified) {
        expect(fill).toMatch(/^url\(#cm-h\d\)$/);
        expect(svg).toContain(`<pattern id="${fill!.slice(5, -1)}"`);
      } else expect(fill!.length === 4 ? fill!.replace(/[0-9a-f]/g, '$&$&') : fill).toBe(colours[c.regionId]);
    }
  });

  it('draws counties missing from the data unlinked, and nothing hatched when all are verified', async () => {
    const { counties, regions } = synthetic();
    const some = counties.slice(0, 10).map((c) => ({ ...c, verified: true, regionId: 'region-0' }));
    const svg = await render(<CountyMap counties={some} regions={regions} title="Map" />);
    expect(svg.match(/<a /g)).toHaveLength(10);
    expect(svg.match(/<path /g)).toHaveLength(87);
    expect(svg).not.toContain('<pattern');
  });
});

describe('region colours', () => {
  it('meet 3:1 contrast against white', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    expect(REGION_PALETTE.length).toBeLessThanOrEqual(8);
    for (const c of [...REGION_PALETTE, UNKNOWN_REGION_COLOUR])
      expect(1.05 / (luminance(c) + 0.05)).toBeGreaterThanOrEqual(3);
  });

  it('gives up to eight regions distinct colours and, beyond that, never the same to neighbours', () => {
    const { counties, regions } = synthetic();
    expect(new Set(Object.values(regionColours(regions))).size).toBe(8);

    // 16 regions on a 4×4 grid.
    const many: MapRegion[] = Array.from({ length: 16 }, (_, i) => ({ id: `g${i}`, name: `G${i}` }));
    const paths = new Map(minnesotaCountyPaths().map((p) => [p.fips, p]));
    const assigned = counties.map((c) => {
      const p = paths.get(c.fips)!;
      const id = `g${Math.min(3, Math.floor((p.labelY / MAP_HEIGHT) * 4)) * 4 + Math.min(3, Math.floor((p.labelX / MAP_WIDTH) * 4))}`;
      return { ...c, regionId: id, regionName: id };
    });
    const colours = regionColours(many, assigned);
    const regionOf = new Map(assigned.map((c) => [c.fips, c.regionId]));
    for (const [fips, neighbours] of countyNeighbours())
      for (const n of neighbours) {
        const [a, b] = [regionOf.get(fips)!, regionOf.get(n)!];
        if (a !== b) expect(colours[a], `${a}/${b}`).not.toBe(colours[b]);
      }
  });

  it('legend shows the same colours as the map', async () => {
    const { counties, regions } = synthetic();
    const html = await render(<MapLegend regions={regions} counties={counties} />);
    const colours = regionColours(regions, counties);
    expect(html.startsWith('<ul class="map-legend">')).toBe(true);
    expect(html).not.toMatch(/style=|<style/i);
    for (const r of regions) {
      const hex = colours[r.id]!;
      const short = hex.replace(/^#(.)\1(.)\2(.)\3$/, '#$1$2$3');
      expect(html).toContain(`fill="${short}"></rect></svg>${r.name}</li>`);
    }
    expect(html).toContain('region not confirmed');
    expect(html).toContain('Region not known');
    const allVerified = counties.map((c) => ({ ...c, verified: true, regionId: 'region-0' }));
    const plain = await render(<MapLegend regions={regions} counties={allVerified} />);
    expect(plain).not.toContain('not confirmed');
    expect(plain).not.toContain('not known');
  });
});
