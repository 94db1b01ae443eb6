/**
 * SQL of data stewardship: the facts administrators maintain, their changes, and what the data-health
 * page reads. Functions of a transaction (or the database) and plain values.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { putMembership } from '../../pack/stewarded.ts';
import { announceChange } from '../../platform/changes/index.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Who changed a fact and when: written with every administrator's change. */
/** Where a fact was confirmed, when it was retrieved, and whether it was verified. */
export interface Provenance {
  source: string;
  retrieved: string;
  verified: boolean;
  note: string | null;
}

export interface EditStamp {
  checked_by: string;
  edited_by: string;
  edited_at: Date;
}

export const currentJurisdiction = async (db: Executor): Promise<string | null> =>
  (await db.selectFrom('packs').select('jurisdiction').orderBy('imported_at', 'desc').executeTakeFirst())
    ?.jurisdiction ?? null;

export const listOrganizations = (db: Executor, memberOrganizationId: string | null) => {
  let q = db.selectFrom('organizations').selectAll().orderBy('name');
  if (memberOrganizationId !== null) q = q.where('member_organization_id', '=', memberOrganizationId);
  return q.execute();
};

export const findOrganization = (db: Executor, id: string, lock = false) => {
  const q = db.selectFrom('organizations').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
};

export type OrganizationRow = NonNullable<Awaited<ReturnType<typeof findOrganization>>>;

export async function updateOrganization(
  trx: Transaction<DB>,
  id: string,
  values: {
    name: string;
    type: string;
    phones: { dial: string; display: string; description: string | null }[];
    text_dial: string | null;
    text_display: string | null;
    email: string | null;
    website: string | null;
    hours: string | null;
    languages: string[];
    address_confidential: boolean;
    member_organization_id?: string | null;
  } & Provenance &
    EditStamp,
): Promise<void> {
  await trx
    .updateTable('organizations')
    .set({ ...values, phones: JSON.stringify(values.phones) })
    .where('id', '=', id)
    .execute();
}

export const memberOrganizations = (db: Executor) =>
  db
    .selectFrom('member_organizations')
    .select(['id', 'name'])
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();

export const memberOrganizationName = async (db: Executor, id: string): Promise<string | null> =>
  (await db.selectFrom('member_organizations').select('name').where('id', '=', id).executeTakeFirst())
    ?.name ?? null;

export const listRegions = (db: Executor) => db.selectFrom('regions').selectAll().orderBy('name').execute();

export const findRegion = (db: Executor, id: string, lock = false) => {
  const q = db.selectFrom('regions').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
};

export async function updateRegion(
  trx: Transaction<DB>,
  id: string,
  values: {
    navigator_organization_id: string | null;
  } & Provenance &
    EditStamp,
): Promise<void> {
  await trx.updateTable('regions').set(values).where('id', '=', id).execute();
}

export const listCounties = (db: Executor) =>
  db.selectFrom('counties').select(['fips', 'name', 'slug']).orderBy('name').execute();

export const membershipsOfRegion = (db: Executor, regionId: string) =>
  db
    .selectFrom('region_counties')
    .innerJoin('counties', 'counties.fips', 'region_counties.county_fips')
    .selectAll('region_counties')
    .select('counties.name as county_name')
    .where('region_id', '=', regionId)
    .orderBy('counties.name')
    .orderBy('region_counties.effective_from')
    .execute();

/** Every membership of a county, locked: a move ends one and adds another in one transaction. */
export const membershipsOfCounty = (trx: Transaction<DB>, fips: string) =>
  trx
    .selectFrom('region_counties')
    .selectAll()
    .where('county_fips', '=', fips)
    .orderBy('effective_from')
    .forUpdate()
    .execute();

export type MembershipRow = Awaited<ReturnType<typeof membershipsOfCounty>>[number];

export async function upsertMembership(
  trx: Transaction<DB>,
  row: {
    region_id: string;
    county_fips: string;
    effective_from: string;
    effective_to: string | null;
  } & Provenance &
    EditStamp,
): Promise<void> {
  await putMembership(trx, row);
}

export async function endMembership(
  trx: Transaction<DB>,
  m: { region_id: string; county_fips: string; effective_from: string },
  effectiveTo: string,
  stamp: EditStamp,
): Promise<void> {
  await trx
    .updateTable('region_counties')
    .set({ effective_to: effectiveTo, edited_by: stamp.edited_by, edited_at: stamp.edited_at })
    .where('region_id', '=', m.region_id)
    .where('county_fips', '=', m.county_fips)
    .where('effective_from', '=', m.effective_from)
    .execute();
}

export const listServices = (db: Executor) =>
  db
    .selectFrom('directory_services')
    .select(['id', 'name', 'organization_name', 'verified', 'checked_at'])
    .orderBy('name')
    .execute();

export const findService = (db: Executor, id: string, lock = false) => {
  const q = db.selectFrom('directory_services').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
};

export async function stampService(trx: Transaction<DB>, id: string, stamp: EditStamp): Promise<void> {
  await trx.updateTable('directory_services').set(stamp).where('id', '=', id).execute();
}

export async function bumpVersion(trx: Transaction<DB>, name: 'geography' | 'directory'): Promise<void> {
  await trx
    .updateTable('data_versions')
    .set({ version: sql`version + 1`, changed_at: sql`now()` })
    .where('name', '=', name)
    .execute();
  // Every instance reloads what it keeps in memory once this commits.
  await announceChange(trx, 'geography', { name });
}

/** The facts the data-health page checks, with the columns it needs. */
export async function healthFacts(db: Executor, today: string) {
  const [organizations, regions, memberships, services, counties] = await Promise.all([
    db
      .selectFrom('organizations')
      .select(['id', 'name', 'verified', 'checked_at', 'phones', 'text_dial', 'website'])
      .execute(),
    db
      .selectFrom('regions')
      .select(['id', 'name', 'verified', 'checked_at', 'navigator_organization_id'])
      .execute(),
    db
      .selectFrom('region_counties')
      .innerJoin('counties', 'counties.fips', 'region_counties.county_fips')
      .innerJoin('regions', 'regions.id', 'region_counties.region_id')
      .select([
        'region_counties.region_id',
        'region_counties.county_fips',
        'region_counties.verified',
        'region_counties.checked_at',
        'region_counties.effective_from',
        'counties.name as county_name',
        'regions.name as region_name',
      ])
      .where('region_counties.effective_from', '<=', today)
      .where((eb) =>
        eb.or([
          eb('region_counties.effective_to', 'is', null),
          eb('region_counties.effective_to', '>', today),
        ]),
      )
      .execute(),
    db.selectFrom('directory_services').select(['id', 'name', 'verified', 'checked_at']).execute(),
    db.selectFrom('counties').select(['fips', 'name']).orderBy('name').execute(),
  ]);
  return { organizations, regions, memberships, services, counties };
}
