/**
 * Minnesota county shapes for the public `/map` page, as compact SVG path data.
 *
 * Pure module: reads the us-atlas TopoJSON (Census cartographic boundaries, 1:10m) once per
 * process, keeps the 87 Minnesota counties (FIPS 27xxx), projects them with an Albers equal-area
 * conic fitted to Minnesota (north up, true proportions), simplifies each *shared arc* once
 * (Douglas–Peucker), so neighbouring counties keep exactly the same border and no slivers or gaps
 * appear, rounds to a grid and writes relative path data (`m`/`l`/`h`/`v`).
 */
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Polygon, MultiPolygon, Topology } from 'topojson-specification';
import type { Position } from 'geojson';

export interface CountyPath {
  /** Five-digit county FIPS code, e.g. "27053". */
  fips: string;
  /** County name without "County", as in the Census file, e.g. "Hennepin". */
  name: string;
  /** SVG path data in viewBox units. */
  d: string;
  /** A point inside the county (viewBox units), for labels or markers. */
  labelX: number;
  labelY: number;
}

/** Width and height of the map's coordinate system. */
export const MAP_WIDTH = 400;
export const MAP_HEIGHT = 457;
export const MAP_VIEWBOX = `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`;

export interface BuildOptions {
  /** Douglas–Peucker tolerance in viewBox units (0 keeps every source point). */
  tolerance?: number;
  /** Decimal places kept in the path data (0 = integers). */
  decimals?: number;
  /** Empty margin kept around the state, in viewBox units (room for strokes and focus rings). */
  padding?: number;
}

const DEFAULTS: Required<BuildOptions> = { tolerance: 0.6, decimals: 0, padding: 4 };

type Props = { name: string };
type CountyGeometry = Polygon<Props> | MultiPolygon<Props>;

let topologyCache: Topology | undefined;
function loadTopology(): Topology {
  if (!topologyCache) {
    const require = createRequire(import.meta.url);
    topologyCache = require('us-atlas/counties-10m.json') as Topology;
  }
  return topologyCache;
}

// --- projection ---------------------------------------------------------------------------------

const RAD = Math.PI / 180;

/** Spherical Albers equal-area conic with standard parallels and central meridian for Minnesota. */
function albers(phi1: number, phi2: number, phi0: number, lambda0: number) {
  const s1 = Math.sin(phi1 * RAD);
  const n = (s1 + Math.sin(phi2 * RAD)) / 2;
  const c = Math.cos(phi1 * RAD) ** 2 + 2 * n * s1;
  const rho0 = Math.sqrt(c - 2 * n * Math.sin(phi0 * RAD)) / n;
  return (lon: number, lat: number): [number, number] => {
    const rho = Math.sqrt(c - 2 * n * Math.sin(lat * RAD)) / n;
    const theta = n * (lon - lambda0) * RAD;
    // SVG y grows downwards, so negate northing.
    return [rho * Math.sin(theta), -(rho0 - rho * Math.cos(theta))];
  };
}

const project = albers(44.5, 48.5, 46.4, -94.3);

// --- simplification -----------------------------------------------------------------------------

function segmentDistance2(p: Position, a: Position, b: Position): number {
  const [px, py] = p as [number, number];
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

/** Douglas–Peucker; always keeps both end points (the junctions between arcs). */
export function simplify(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2 || tolerance <= 0) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const tol2 = tolerance * tolerance;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    let maxD = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[i] as Position, points[first] as Position, points[last] as Position);
      if (d > maxD) {
        maxD = d;
        index = i;
      }
    }
    if (index !== -1 && maxD > tol2) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

// --- geometry helpers ---------------------------------------------------------------------------

function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    a += xj * yi - xi * yj;
  }
  return a / 2;
}

function pointInRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Area centroid of a ring, or—when that falls outside a concave shape—the middle of the widest
 * horizontal run through the ring at the centroid's height. */
function labelPoint(ring: Position[]): [number, number] {
  const a = ringArea(ring);
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    const f = xj * yi - xi * yj;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  cx /= 6 * a;
  cy /= 6 * a;
  if (pointInRing(cx, cy, ring)) return [cx, cy];
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > cy !== yj > cy) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
  }
  xs.sort((p, q) => p - q);
  let best: [number, number] = [cx, cy];
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const w = (xs[i + 1] as number) - (xs[i] as number);
    if (w > width) {
      width = w;
      best = [((xs[i] as number) + (xs[i + 1] as number)) / 2, cy];
    }
  }
  return best;
}

// --- path data ----------------------------------------------------------------------------------

/** Shortest decimal text for a number: no leading zero ("-.5"), no trailing zeros. */
function num(n: number, decimals: number): string {
  const s = Number(n.toFixed(decimals)).toString();
  return s.replace(/^(-?)0\./, '$1.');
}

class PathWriter {
  out = '';
  private cmd = '';
  private last = '';
  constructor(private readonly decimals: number) {}

  /** Appends a command and its numbers, omitting a repeated command letter and needless spaces. */
  add(cmd: string, ...values: number[]): void {
    const texts = values.map((v) => num(v, this.decimals));
    let s = '';
    if (cmd !== this.cmd || cmd === 'z') {
      s = cmd;
      this.last = '';
    }
    for (const t of texts) {
      const needsSep =
        this.last !== '' && !t.startsWith('-') && !(t.startsWith('.') && this.last.includes('.'));
      s += (needsSep ? ' ' : '') + t;
      this.last = t;
    }
    this.out += s;
    // Numbers straight after a moveto are linetos: relative after "m", absolute after "M".
    this.cmd = cmd === 'm' ? 'l' : cmd === 'M' ? 'L' : cmd;
  }
}

/** Path data for polygons given in grid units (integers scaled by 10^decimals). */
function pathData(rings: [number, number][][], decimals: number): string {
  const k = 10 ** decimals;
  const w = new PathWriter(decimals);
  let cx = 0; // current point: the start of the previous ring after "z"
  let cy = 0;
  rings.forEach((ring, r) => {
    const [sx, sy] = ring[0] as [number, number];
    if (r === 0) w.add('M', sx / k, sy / k);
    else w.add('m', (sx - cx) / k, (sy - cy) / k);
    let [px, py] = [sx, sy];
    // GeoJSON rings repeat the first point at the end; "z" closes the ring instead.
    for (let i = 1; i < ring.length - 1; i++) {
      const [x, y] = ring[i] as [number, number];
      const dx = x - px;
      const dy = y - py;
      if (dy === 0) w.add('h', dx / k);
      else if (dx === 0) w.add('v', dy / k);
      else w.add('l', dx / k, dy / k);
      [px, py] = [x, y];
    }
    w.add('z');
    [cx, cy] = [sx, sy];
  });
  return w.out;
}

/** Drops consecutive duplicates (they appear once points are snapped to the grid). */
function dedupe(points: [number, number][]): [number, number][] {
  return points.filter((p, i) => i === 0 || p[0] !== points[i - 1]![0] || p[1] !== points[i - 1]![1]);
}

// --- building -----------------------------------------------------------------------------------

function minnesotaGeometries(topology: Topology): CountyGeometry[] {
  const counties = topology.objects.counties as GeometryCollection<Props>;
  return counties.geometries.filter(
    (g): g is CountyGeometry =>
      String(g.id).startsWith('27') && (g.type === 'Polygon' || g.type === 'MultiPolygon'),
  );
}

function arcIndices(g: CountyGeometry): number[] {
  const polys = g.type === 'Polygon' ? [g.arcs] : g.arcs;
  return polys.flat(2).map((i) => (i < 0 ? ~i : i));
}

/** Computes the county paths (uncached; see {@link minnesotaCountyPaths}). */
export function buildCountyPaths(options: BuildOptions = {}): CountyPath[] {
  const { tolerance, decimals, padding } = { ...DEFAULTS, ...options };
  const topology = loadTopology();
  const geometries = minnesotaGeometries(topology);
  const used = [...new Set(geometries.flatMap(arcIndices))];

  // Decode (quantised, delta-encoded) and project the arcs Minnesota uses.
  const [kx, ky] = topology.transform?.scale ?? [1, 1];
  const [tx, ty] = topology.transform?.translate ?? [0, 0];
  const projected = new Map<number, Position[]>();
  for (const i of used) {
    let x = 0;
    let y = 0;
    projected.set(
      i,
      (topology.arcs[i] ?? []).map((p) => {
        if (topology.transform) {
          x += p[0] as number;
          y += p[1] as number;
        } else [x, y] = p as [number, number];
        return project(x * kx + tx, y * ky + ty);
      }),
    );
  }

  // Fit to the viewBox, centred.
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const arc of projected.values())
    for (const [x, y] of arc as [number, number][]) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  const scale = Math.min((MAP_WIDTH - 2 * padding) / (x1 - x0), (MAP_HEIGHT - 2 * padding) / (y1 - y0));
  const ox = (MAP_WIDTH - scale * (x1 - x0)) / 2;
  const oy = (MAP_HEIGHT - scale * (y1 - y0)) / 2;
  const grid = 10 ** decimals;
  for (const [i, arc] of projected)
    projected.set(
      i,
      arc.map(([x, y]) => [((x as number) - x0) * scale + ox, ((y as number) - y0) * scale + oy]),
    );

  // Simplify each arc once and snap to the grid; arcs of a ring that collapses are kept whole.
  const exact = new Set<number>();
  for (let attempt = 0; ; attempt++) {
    const arcs: [number, number][][] = topology.arcs.map(() => []);
    for (const [i, arc] of projected) {
      const kept = simplify(arc, exact.has(i) ? 0 : tolerance);
      arcs[i] = dedupe(
        kept.map(([x, y]) => [Math.round((x as number) * grid), Math.round((y as number) * grid)]),
      );
    }
    const simplified: Topology = {
      type: 'Topology',
      arcs,
      objects: { mn: { type: 'GeometryCollection', geometries } },
    };
    const collection = feature<Props>(simplified, simplified.objects.mn as GeometryCollection<Props>);
    const result: CountyPath[] = [];
    let collapsed = false;
    for (const f of collection.features) {
      const polys =
        f.geometry.type === 'Polygon'
          ? [f.geometry.coordinates]
          : f.geometry.type === 'MultiPolygon'
            ? f.geometry.coordinates
            : [];
      const rings = polys.flat().map((r) => dedupe(r as [number, number][]));
      const bad = rings.some((r) => r.length < 4 || Math.abs(ringArea(r)) === 0);
      if (bad) {
        collapsed = true;
        const g = geometries.find((x) => x.id === f.id);
        if (g) arcIndices(g).forEach((i) => exact.add(i));
        continue;
      }
      const outer = polys
        .map((p) => p[0] as Position[])
        .reduce((a, b) => (Math.abs(ringArea(b)) > Math.abs(ringArea(a)) ? b : a));
      const [lx, ly] = labelPoint(outer);
      result.push({
        fips: String(f.id),
        name: f.properties.name,
        d: pathData(rings, decimals),
        labelX: Math.round(lx / grid),
        labelY: Math.round(ly / grid),
      });
    }
    if (!collapsed || attempt >= 2) return result.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }
}

let cache: CountyPath[] | undefined;

/** The 87 Minnesota counties, alphabetical by name; computed once per process. */
export function minnesotaCountyPaths(): CountyPath[] {
  cache ??= buildCountyPaths();
  return cache;
}

let adjacency: Map<string, string[]> | undefined;

/** FIPS → FIPS of the counties sharing a border with it (computed once). */
export function countyNeighbours(): Map<string, string[]> {
  if (!adjacency) {
    const geometries = minnesotaGeometries(loadTopology());
    const owners = new Map<number, Set<string>>();
    for (const g of geometries)
      for (const i of arcIndices(g)) {
        const set = owners.get(i) ?? new Set<string>();
        set.add(String(g.id));
        owners.set(i, set);
      }
    adjacency = new Map(geometries.map((g) => [String(g.id), [] as string[]]));
    for (const set of owners.values())
      for (const a of set)
        for (const b of set) if (a !== b && !adjacency.get(a)!.includes(b)) adjacency.get(a)!.push(b);
  }
  return adjacency;
}
