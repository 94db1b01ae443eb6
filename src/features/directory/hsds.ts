/**
 * HSDS documents in and out: the paginated list shape of the HSDS 3.1 API, reading the shapes an
 * import may come in, and removing what a confidential location must never publish.
 */
import type { ServiceRow } from './queries.ts';
import { facetsOf } from './taxonomy.ts';

export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

/**
 * @example
 * hsdsPage([a, b], 12, 2, 5) // { total_items: 12, total_pages: 3, page_number: 2, size: 2, … }
 */
export function hsdsPage<T>(contents: T[], total: number, page: number, perPage: number): HsdsPage<T> {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

type Json = Record<string, unknown>;

function stripLocation(location: unknown): unknown {
  if (!location || typeof location !== 'object') return location;
  const { addresses: _a, latitude: _lat, longitude: _lon, ...rest } = location as Json;
  return rest;
}

/**
 * A copy of the service without street addresses or coordinates when its location is confidential
 * (a shelter whose address could lead someone to the young people it protects).
 */
export function withoutConfidentialAddress(service: Json): Json {
  if (!facetsOf(service).confidentialLocation) return service;
  const copy: Json = { ...service };
  if (Array.isArray(copy.service_at_locations)) {
    copy.service_at_locations = (copy.service_at_locations as Json[]).map((sal) =>
      sal && typeof sal === 'object' ? { ...sal, location: stripLocation(sal.location) } : sal,
    );
  }
  if (copy.organization && typeof copy.organization === 'object') {
    const org = copy.organization as Json;
    if (Array.isArray(org.locations))
      copy.organization = { ...org, locations: (org.locations as unknown[]).map(stripLocation) };
  }
  return copy;
}

/** The services in an HSDS document: a single service, an array of them, or a paginated list. */
export function servicesInDocument(doc: unknown): Json[] | null {
  if (Array.isArray(doc)) return doc as Json[];
  if (doc && typeof doc === 'object') {
    const o = doc as Json;
    if (Array.isArray(o.contents)) return o.contents as Json[];
    if (typeof o.id === 'string' && typeof o.name === 'string') return [o];
  }
  return null;
}

/** The published form of a service: HSDS with its provenance, never a confidential address. */
export function publishedService(
  row: Pick<ServiceRow, 'hsds' | 'source' | 'retrieved' | 'verified' | 'note'>,
): Record<string, unknown> {
  return {
    ...withoutConfidentialAddress(row.hsds),
    provenance: { source: row.source, retrieved: row.retrieved, verified: row.verified, note: row.note },
  };
}

interface HsdsPhone {
  number?: unknown;
  description?: unknown;
}

/** The service's phone numbers, then its organization's. */
export function phonesOf(hsds: Record<string, unknown>): { number: string; description: string | null }[] {
  const fromService = Array.isArray(hsds.phones) ? (hsds.phones as HsdsPhone[]) : [];
  const org = hsds.organization as { phones?: unknown } | undefined;
  const fromOrg = Array.isArray(org?.phones) ? (org.phones as HsdsPhone[]) : [];
  return [...fromService, ...fromOrg]
    .filter((p) => typeof p.number === 'string' && p.number.length > 0)
    .map((p) => ({
      number: p.number as string,
      description: typeof p.description === 'string' ? p.description : null,
    }));
}

/** Where the service is: each location's first address, or its description or name. */
export function placesOf(hsds: Record<string, unknown>): string[] {
  const sals = Array.isArray(hsds.service_at_locations)
    ? (hsds.service_at_locations as { location?: Record<string, unknown> }[])
    : [];
  return sals
    .map((sal) => sal.location)
    .filter((l): l is Record<string, unknown> => Boolean(l))
    .map((l) => {
      const addresses = Array.isArray(l.addresses) ? (l.addresses as Record<string, unknown>[]) : [];
      const a = addresses[0];
      if (a)
        return [a.address_1, a.address_2, a.city, a.state_province, a.postal_code]
          .filter((x) => typeof x === 'string' && x)
          .join(', ');
      return typeof l.description === 'string' ? l.description : typeof l.name === 'string' ? l.name : '';
    })
    .filter((s) => s.length > 0);
}
