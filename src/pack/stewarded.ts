/**
 * The rows of a pack that administrators maintain after import (organizations, regions, county
 * memberships, directory services): the pack is their seed, the database their truth. A re-import
 * writes a pack row unless an administrator edited the stored row on or after the day the pack's source
 * was read; then the stored row is kept and reported, never overwritten silently.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB } from '../db/types.ts';
import type { Pack } from './load.ts';
import type { Provenance } from './schema.ts';

/** A stored row an import kept because an administrator edited it after the pack's source was read. */
export interface KeptEdit {
  kind: 'organization' | 'region' | 'membership' | 'service';
  id: string;
  editedAt: string;
}

/** What a row written from the pack says about who checked it: the pack, not a person. */
export const FROM_PACK = { checked_by: 'Jurisdiction pack', edited_by: null, edited_at: null } as const;

/** A pack row's provenance as the columns every stored fact has (no note: null). */
export const provenanceColumns = (p: Provenance) => ({
  source: p.source,
  retrieved: p.retrieved,
  verified: p.verified,
  note: p.note ?? null,
});

/**
 * Writes a row, or, when a row with the same key is stored, updates every other column of it (the key
 * stays as it is).
 */
export async function upsert<T extends keyof DB & string>(
  trx: Transaction<DB>,
  table: T,
  key: readonly (keyof DB[T] & string)[],
  row: Insertable<DB[T]>,
): Promise<void> {
  const update = Object.fromEntries(Object.entries(row).filter(([column]) => !key.includes(column as never)));
  await trx
    .insertInto(table)
    .values(row as never)
    .onConflict((oc) => oc.columns(key as never).doUpdateSet(update as never))
    .execute();
}

/** Writes a county's membership of a region: the same start date updates the stored one. */
export async function putMembership(trx: Transaction<DB>, row: Insertable<DB['region_counties']>) {
  await upsert(trx, 'region_counties', ['region_id', 'county_fips', 'effective_from'], row);
}

type Stewarded = 'organizations' | 'regions' | 'directory_services';

/** When an administrator last edited each of the rows (absent: never). */
export async function editedAt(
  trx: Transaction<DB>,
  table: Stewarded,
  ids: readonly string[],
): Promise<Map<string, Date>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom(table)
    .select(['id', 'edited_at'])
    .where('id', 'in', ids)
    .where('edited_at', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.edited_at as Date]));
}

/** True (and reported) when the stored row's edit is as new as the pack's source, or newer. */
export function keepEdit(
  edited: Date | undefined,
  retrieved: string,
  kind: KeptEdit['kind'],
  id: string,
  kept: KeptEdit[],
): boolean {
  if (!edited) return false;
  const day = edited.toISOString().slice(0, 10);
  if (day < retrieved) return false;
  kept.push({ kind, id, editedAt: edited.toISOString() });
  return true;
}

const membershipKey = (regionId: string, fips: string, from: string) => `${regionId}/${fips}/${from}`;

/** Writes the pack's organizations, regions and memberships, keeping administrators' newer edits. */
export async function importStewardedRows(
  trx: Transaction<DB>,
  j: string,
  pack: Pack,
  kept: KeptEdit[],
): Promise<void> {
  const orgIds = pack.organizations.map((o) => o.id);
  const editedOrgs = await editedAt(trx, 'organizations', orgIds);
  for (const o of pack.organizations) {
    if (keepEdit(editedOrgs.get(o.id), o.retrieved, 'organization', o.id, kept)) continue;
    const row = {
      id: o.id,
      jurisdiction: j,
      name: o.name,
      description: o.description,
      city: o.city,
      website: o.website,
      email: o.email,
      phones: JSON.stringify(o.phones),
      ...provenanceColumns(o),
      ...FROM_PACK,
    };
    await upsert(trx, 'organizations', ['id'], row);
  }

  const regionIds = pack.regions.map((r) => r.id);
  const editedRegions = await editedAt(trx, 'regions', regionIds);
  const editedMemberships = new Map(
    (
      await trx
        .selectFrom('region_counties')
        .select(['region_id', 'county_fips', 'effective_from', 'edited_at'])
        .where('edited_at', 'is not', null)
        .execute()
    ).map((m) => [membershipKey(m.region_id, m.county_fips, m.effective_from), m.edited_at as Date]),
  );
  const packMemberships = new Set<string>();
  for (const r of pack.regions) {
    if (!keepEdit(editedRegions.get(r.id), r.retrieved, 'region', r.id, kept)) {
      const row = {
        id: r.id,
        jurisdiction: j,
        name: r.name,
        navigator_organization_id: r.navigatorOrganizationId,
        effective_from: r.effectiveFrom,
        effective_to: r.effectiveTo,
        ...provenanceColumns(r),
        ...FROM_PACK,
      };
      await upsert(trx, 'regions', ['id'], row);
    }
    for (const m of r.counties) {
      const key = membershipKey(r.id, m.fips, m.effectiveFrom);
      packMemberships.add(key);
      if (keepEdit(editedMemberships.get(key), m.retrieved, 'membership', key, kept)) continue;
      const row = {
        region_id: r.id,
        county_fips: m.fips,
        effective_from: m.effectiveFrom,
        effective_to: m.effectiveTo,
        ...provenanceColumns(m),
        ...FROM_PACK,
      };
      await putMembership(trx, row);
    }
  }

  // What the pack no longer lists goes, unless an administrator edited it.
  const stored = await trx
    .selectFrom('region_counties')
    .innerJoin('regions', 'regions.id', 'region_counties.region_id')
    .select(['region_counties.region_id', 'region_counties.county_fips', 'region_counties.effective_from'])
    .where('regions.jurisdiction', '=', j)
    .where('region_counties.edited_at', 'is', null)
    .execute();
  for (const m of stored) {
    if (packMemberships.has(membershipKey(m.region_id, m.county_fips, m.effective_from))) continue;
    await trx
      .deleteFrom('region_counties')
      .where('region_id', '=', m.region_id)
      .where('county_fips', '=', m.county_fips)
      .where('effective_from', '=', m.effective_from)
      .execute();
  }
  const staleRegions = trx.deleteFrom('regions').where('jurisdiction', '=', j).where('edited_at', 'is', null);
  await (regionIds.length ? staleRegions.where('id', 'not in', regionIds) : staleRegions).execute();
  const staleOrgs = trx
    .deleteFrom('organizations')
    .where('jurisdiction', '=', j)
    .where('edited_at', 'is', null)
    .where(
      'id',
      'not in',
      sql<string>`(select navigator_organization_id from regions where navigator_organization_id is not null)`,
    );
  await (orgIds.length ? staleOrgs.where('id', 'not in', orgIds) : staleOrgs).execute();
}
