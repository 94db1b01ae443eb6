/**
 * Reads a jurisdiction's geography (counties, regions, navigators, lines, ZIPs) from the database
 * into the in-memory form the lookups use.
 */
import type { Database } from '../../db/database.ts';
import type { ChangeFeed } from '../../platform/changes/index.ts';
import { normalizePlace } from './names.ts';
import type { Geography, Line, Membership, ZipEntry } from './rules.ts';

export class NoPackError extends Error {}

export async function loadGeography(db: Database): Promise<Geography> {
  const pack = await db.selectFrom('packs').selectAll().orderBy('imported_at', 'desc').executeTakeFirst();
  if (!pack) throw new NoPackError('No jurisdiction pack is loaded. Run "nwd import-pack data/mn".');
  const j = pack.jurisdiction;
  const [counties, regions, memberships, organizations, lines, zips] = await Promise.all([
    db.selectFrom('counties').selectAll().where('jurisdiction', '=', j).orderBy('name').execute(),
    db.selectFrom('regions').selectAll().where('jurisdiction', '=', j).orderBy('name').execute(),
    db
      .selectFrom('region_counties')
      .innerJoin('regions', 'regions.id', 'region_counties.region_id')
      .selectAll('region_counties')
      .where('regions.jurisdiction', '=', j)
      .orderBy('region_counties.effective_from', 'desc')
      .execute(),
    db.selectFrom('organizations').selectAll().where('jurisdiction', '=', j).execute(),
    db.selectFrom('lines_to_call').selectAll().where('jurisdiction', '=', j).orderBy('sort_order').execute(),
    db
      .selectFrom('zip_counties')
      .innerJoin('counties', 'counties.fips', 'zip_counties.county_fips')
      .selectAll('zip_counties')
      .where('counties.jurisdiction', '=', j)
      .orderBy('zip')
      .orderBy('share', 'desc')
      .execute(),
  ]);

  const lineList: Line[] = lines.map((l) => ({
    id: l.id,
    name: l.name,
    description: l.description,
    scope: l.scope,
    call: l.call_dial && l.call_display ? { dial: l.call_dial, display: l.call_display } : null,
    text:
      l.text_dial && l.text_display
        ? { dial: l.text_dial, display: l.text_display, body: l.text_body }
        : null,
    url: l.url,
    hours: l.hours,
    source: l.source,
    retrieved: l.retrieved,
    verified: l.verified,
    note: l.note,
  }));
  const statewideLine = lineList.find((l) => l.id === pack.statewide_line_id);
  const emergencyLine = lineList.find((l) => l.id === pack.emergency_line_id);
  if (!statewideLine || !emergencyLine)
    throw new NoPackError('The pack names a statewide or emergency line it does not hold.');

  const membershipsByCounty = new Map<string, Membership[]>();
  for (const m of memberships) {
    const list = membershipsByCounty.get(m.county_fips) ?? [];
    list.push({
      regionId: m.region_id,
      fips: m.county_fips,
      effectiveFrom: m.effective_from,
      effectiveTo: m.effective_to,
      source: m.source,
      retrieved: m.retrieved,
      verified: m.verified,
      note: m.note,
    });
    membershipsByCounty.set(m.county_fips, list);
  }

  const zipMap = new Map<string, ZipEntry>();
  const zipsByCity = new Map<string, string[]>();
  for (const z of zips) {
    let entry = zipMap.get(z.zip);
    if (!entry) {
      entry = { zip: z.zip, city: z.city, counties: [] };
      zipMap.set(z.zip, entry);
      const key = normalizePlace(z.city);
      zipsByCity.set(key, [...(zipsByCity.get(key) ?? []), z.zip]);
    }
    entry.counties.push({ fips: z.county_fips, share: Number(z.share) });
  }
  const firstZip = zips[0];

  return {
    jurisdiction: j,
    name: pack.name,
    timezone: pack.timezone,
    lines: lineList,
    statewideLine,
    emergencyLine,
    counties: new Map(
      counties.map((c) => [
        c.fips,
        {
          fips: c.fips,
          name: c.name,
          slug: c.slug,
          source: c.source,
          retrieved: c.retrieved,
          verified: c.verified,
          note: c.note,
        },
      ]),
    ),
    countiesByName: new Map(counties.map((c) => [normalizePlace(c.name), c.fips])),
    countiesBySlug: new Map(counties.map((c) => [c.slug, c.fips])),
    regions: new Map(
      regions.map((r) => [
        r.id,
        {
          id: r.id,
          name: r.name,
          navigatorOrganizationId: r.navigator_organization_id,
          effectiveFrom: r.effective_from,
          effectiveTo: r.effective_to,
          source: r.source,
          retrieved: r.retrieved,
          verified: r.verified,
          note: r.note,
        },
      ]),
    ),
    organizations: new Map(
      organizations.map((o) => [
        o.id,
        {
          id: o.id,
          name: o.name,
          description: o.description,
          city: o.city,
          website: o.website,
          email: o.email,
          phones: o.phones,
          source: o.source,
          retrieved: o.retrieved,
          verified: o.verified,
          note: o.note,
        },
      ]),
    ),
    membershipsByCounty,
    zips: zipMap,
    zipsByCity,
    zipProvenance: firstZip
      ? { source: firstZip.source, retrieved: firstZip.retrieved, verified: firstZip.verified, note: null }
      : null,
  };
}

export async function dataVersion(db: Database): Promise<string> {
  const rows = await db.selectFrom('data_versions').select(['name', 'version']).orderBy('name').execute();
  return rows.map((r) => `${r.name}:${r.version}`).join(',');
}

/**
 * Keeps the geography in memory and reloads it when an administrator, another instance or
 * `nwd import-pack` changed the data.
 *
 * Following a `ChangeFeed` (`follow`), it reloads when a `geography` change is announced and whenever
 * the feed (re)connects, and `fresh()` returns at once without touching the database. While the feed is
 * not listening (or none is followed), `fresh()` runs before each request: one cheap read of
 * `data_versions` (shared by the requests that arrive while it runs), and a reload only when a version
 * moved, so an edit committed on any instance shows on the next request everywhere. When the database
 * does not answer within `freshWithinMs`, the request is served from memory. `watch` keeps a slower
 * check off the request path as well.
 */
export class GeographyCache {
  private current: Geography | null = null;
  private version = '';
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<boolean> | null = null;
  private requested: Promise<boolean> | null = null;
  private feed: ChangeFeed | null = null;
  private unsubscribe: (() => void) | null = null;
  /** An announced change could not be loaded: requests check the database again until one can. */
  private behind = false;

  constructor(
    private readonly db: Database,
    private readonly checkEveryMs = 15_000,
    private readonly freshWithinMs = 250,
  ) {}

  async load(): Promise<Geography> {
    const version = await dataVersion(this.db);
    this.current = await loadGeography(this.db);
    this.version = version;
    return this.current;
  }

  get(): Geography {
    if (!this.current) throw new NoPackError('The geography has not been loaded yet.');
    return this.current;
  }

  /** Reloads if the stored version moved; returns true when it did. Concurrent calls share one check. */
  refresh(): Promise<boolean> {
    this.checking ??= (async () => {
      try {
        const version = await dataVersion(this.db);
        const moved = version !== this.version;
        if (moved) await this.load();
        this.behind = false;
        return moved;
      } finally {
        this.checking = null;
      }
    })();
    return this.checking;
  }

  /**
   * A check that starts after the one in flight, if any: that one may have read the versions before
   * the announced change committed. Changes announced while this waits share it.
   */
  private refreshAfterChange(): Promise<boolean> {
    this.requested ??= (this.checking ?? Promise.resolve(false))
      .catch(() => false)
      .then(() => {
        this.requested = null;
        return this.refresh();
      });
    return this.requested;
  }

  /**
   * Reloads on every announced `geography` change and whenever the feed (re)connects; while the feed
   * listens, `fresh()` no longer reads the database.
   *
   * @example
   * geography.follow(feed);
   */
  follow(feed: ChangeFeed): void {
    this.unsubscribe?.();
    this.feed = feed;
    const catchUp = () =>
      this.refreshAfterChange().then(
        () => undefined,
        (error: unknown) => {
          this.behind = true;
          throw error;
        },
      );
    this.unsubscribe = feed.subscribe({ topic: 'geography', change: catchUp, resync: catchUp });
  }

  /**
   * Brings the copy up to date before a request; never fails: a database that is away or slow leaves
   * the copy in memory as it is (`onError` is told). While a followed feed listens, changes arrive
   * through it and this returns at once.
   */
  async fresh(onError: (error: unknown) => void = () => undefined): Promise<void> {
    if (!this.current || (this.feed?.connected && !this.behind)) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.freshWithinMs);
      timer.unref();
    });
    await Promise.race([this.refresh().then(() => undefined, onError), late]);
    clearTimeout(timer);
  }

  watch(onError: (error: unknown) => void): void {
    this.timer = setInterval(() => {
      this.refresh().catch(onError);
    }, this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.feed = null;
  }
}
