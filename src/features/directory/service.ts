/**
 * The directory's use cases: search the services (for the page and the API), one service, and the
 * whole directory as HSDS — all public; and the partner export, for signed-in partners who may see the
 * bed board, which adds the network's housing programs with their beds now. What is published never
 * carries a confidential address, and the public side never a live count.
 */
import type { Database } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { todayIn, type Geography } from '../help/index.ts';
import { partnerPrograms, type HousingContext } from '../housing/index.ts';
import { housingService } from './capacity.ts';
import { hsdsPage, publishedService, withoutConfidentialAddress, type HsdsPage } from './hsds.ts';
import {
  allServicesHsds,
  findService,
  languagesOffered,
  searchServices,
  type ServiceRow,
} from './queries.ts';
import { lastPage, toServiceQuery, type FilterOutcome } from './rules.ts';
import { ServiceFiltersSchema, type ServiceFilters } from './schema.ts';

/** Longest service id looked up; longer ones cannot exist. */
const MAX_ID_LENGTH = 200;

export type FilterProblem = Extract<FilterOutcome, { ok: false }>;

/** What the `/services` page shows: the results for the filters, or why the filters are wrong. */
export type DirectorySearch = { languages: string[] } & (
  | {
      ok: true;
      filters: ServiceFilters;
      countyValue: string | undefined;
      total: number;
      items: ServiceRow[];
      /** The page asked for, when it was past the end and the last page is shown instead. */
      pastEnd: number | null;
    }
  | FilterProblem
);

/**
 * Searches answered for the loaded reference data. The geography is reloaded whenever any data
 * version moves — the directory's too (`data_versions`, bumped by every directory edit and import) —
 * so one `Geography` object stands for one state of the directory: an edit committed on any instance
 * starts new answers on the next request. Kept per day as well (a region's counties are read as of
 * today) and bounded; a search that fails is not kept.
 */
const SEARCHES_KEPT = 500;
/** Longer filter sets are answered but not kept (the cache stays small whatever is sent). */
const KEY_LIMIT = 400;
const searches = new WeakMap<Geography, { date: string; answers: Map<string, Promise<unknown>> }>();

function remembered<T>(geo: Geography, key: string, answer: () => Promise<T>): Promise<T> {
  const date = todayIn(geo.timezone);
  let kept = searches.get(geo);
  if (!kept || kept.date !== date) {
    kept = { date, answers: new Map() };
    searches.set(geo, kept);
  }
  const known = kept.answers.get(key) as Promise<T> | undefined;
  if (known) return known;
  if (key.length > KEY_LIMIT) return answer();
  const answers = kept.answers;
  if (answers.size >= SEARCHES_KEPT) answers.clear();
  const pending = answer();
  answers.set(key, pending);
  pending.catch(() => answers.delete(key));
  return pending;
}

/** The filters as typed into the page (query parameters, empty ones left out). */
export function searchDirectory(
  db: Database,
  geo: Geography,
  raw: Record<string, string>,
): Promise<DirectorySearch> {
  const key = `page:${JSON.stringify(Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
  return remembered(geo, key, () => searchDirectoryNow(db, geo, raw));
}

async function searchDirectoryNow(
  db: Database,
  geo: Geography,
  raw: Record<string, string>,
): Promise<DirectorySearch> {
  const languages = await languagesOffered(db);
  const parsed = ServiceFiltersSchema.safeParse(raw);
  const outcome: FilterOutcome = parsed.success
    ? toServiceQuery(geo, parsed.data)
    : {
        ok: false,
        status: 400,
        field: String(parsed.error.issues[0]?.path[0] ?? 'filters'),
        detail: parsed.error.issues[0]?.message ?? 'not valid',
      };
  if (!outcome.ok) return { languages, ...outcome };
  let { total, items } = await searchServices(db, outcome.query);
  let f = outcome.filters;
  let pastEnd: number | null = null;
  const last = lastPage(total, f.perPage);
  if (f.page > last) {
    // Past the end: show the last page (and say so) rather than a count above an empty list.
    pastEnd = f.page;
    f = { ...f, page: last };
    if (total > 0)
      ({ total, items } = await searchServices(db, {
        ...outcome.query,
        offset: (last - 1) * f.perPage,
      }));
  }
  const countyValue =
    outcome.query.countyFips?.length === 1 && !f.region ? outcome.query.countyFips[0] : undefined;
  return { languages, ok: true, filters: f, countyValue, total, items, pastEnd };
}

/** The search for the API: a page of published services, or the filter problem. */
export function searchPublished(
  db: Database,
  geo: Geography,
  filters: ServiceFilters,
): Promise<{ ok: true; page: HsdsPage<Record<string, unknown>> } | FilterProblem> {
  return remembered(geo, `api:${JSON.stringify(filters)}`, () => searchPublishedNow(db, geo, filters));
}

async function searchPublishedNow(
  db: Database,
  geo: Geography,
  filters: ServiceFilters,
): Promise<{ ok: true; page: HsdsPage<Record<string, unknown>> } | FilterProblem> {
  const outcome = toServiceQuery(geo, filters);
  if (!outcome.ok) return outcome;
  const { total, items } = await searchServices(db, outcome.query);
  return {
    ok: true,
    page: hsdsPage(items.map(publishedService), total, outcome.filters.page, outcome.filters.perPage),
  };
}

/** One service, or null when there is none with that id. */
export async function serviceById(db: Database, id: string): Promise<ServiceRow | null> {
  return id.length <= MAX_ID_LENGTH ? findService(db, id) : null;
}

/** The whole directory, HSDS 3.1, in one page. */
export async function directoryExport(db: Database): Promise<HsdsPage<Record<string, unknown>>> {
  const services = await allServicesHsds(db);
  return hsdsPage(
    services.map((s) => withoutConfidentialAddress(s)),
    services.length,
    1,
    Math.max(1, services.length),
  );
}

/**
 * The partner export: the whole directory as in the public export, then every housing program of an
 * active organization as an HSDS 3.1 service with its beds now (`capacities`, unit `bed`). Only for
 * those who may see the bed board (`housing.read`: navigators, state administrators, and tokens with
 * that scope); never an address.
 *
 * @example
 * const page = await partnerExport(housingContext(deps), navigator);
 * page.contents.at(-1).capacities // [{ unit: { name: 'Bed', … }, available: 2, maximum: 8, updated: '…' }]
 */
export async function partnerExport(
  ctx: HousingContext,
  actor: Actor,
): Promise<HsdsPage<Record<string, unknown>>> {
  const programs = await partnerPrograms(ctx, actor);
  const geo = ctx.geography();
  const today = todayIn(geo.timezone, ctx.now ? ctx.now() : new Date());
  const services = [
    ...(await allServicesHsds(ctx.db)).map((s) => withoutConfidentialAddress(s)),
    ...programs.map((p) => housingService(p, geo, today, ctx.staleHours)),
  ];
  return hsdsPage(services, services.length, 1, Math.max(1, services.length));
}
