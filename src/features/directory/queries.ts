/**
 * SQL for the service directory. Filters run on columns derived from each HSDS record at write time
 * (see taxonomy.ts); the HSDS record itself is kept whole for export.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, DirectoryServicesTable } from '../../db/types.ts';
import type { Provenance } from '../../pack/schema.ts';
import { withoutConfidentialAddress } from './hsds.ts';
import { facetsOf, type DirectoryFacets } from './taxonomy.ts';
import { announceChange } from '../../platform/changes/index.ts';

type Executor = Database | Transaction<DB>;

/** A service as the pages and the API read it: its facets (as stored), its HSDS and provenance. */
export interface ServiceRow extends Omit<DirectoryFacets, 'programTypes' | 'genders'> {
  id: string;
  name: string;
  organizationName: string | null;
  description: string | null;
  programTypes: string[];
  genders: string[];
  hsds: Record<string, unknown>;
  source: string;
  retrieved: string;
  verified: boolean;
  note: string | null;
}

export interface ServiceQuery {
  type?: string | undefined;
  /** Program types to leave out (services with any of them are not listed). */
  excludeTypes?: readonly string[] | undefined;
  /** County FIPS codes, any of which the service must serve (or serve the whole state). */
  countyFips?: string[] | undefined;
  age?: number | undefined;
  gender?: string | undefined;
  language?: string | undefined;
  culturallySpecific?: boolean | undefined;
  lgbtqAffirming?: boolean | undefined;
  text?: string | undefined;
  limit: number;
  offset: number;
}

/** Writes one HSDS service (insert or replace) with its filter columns. */
export async function saveService(
  db: Executor,
  input: {
    jurisdiction: string;
    service: Record<string, unknown>;
    provenance: Provenance;
    origin: 'pack' | 'hsds-import';
  },
): Promise<void> {
  const s = withoutConfidentialAddress(input.service);
  const f = facetsOf(s);
  const org = (s.organization ?? null) as { name?: unknown } | null;
  const row = {
    id: String(s.id),
    jurisdiction: input.jurisdiction,
    name: String(s.name),
    organization_name: typeof org?.name === 'string' ? org.name : null,
    description: typeof s.description === 'string' ? s.description : null,
    program_types: f.programTypes,
    genders: f.genders,
    minimum_age: f.minimumAge,
    maximum_age: f.maximumAge,
    languages: f.languages,
    county_fips: f.countyFips,
    statewide: f.statewide,
    culturally_specific: f.culturallySpecific,
    culturally_specific_for: f.culturallySpecificFor,
    lgbtq_affirming: f.lgbtqAffirming,
    confidential_location: f.confidentialLocation,
    hsds: JSON.stringify(s),
    origin: input.origin,
    source: input.provenance.source,
    retrieved: input.provenance.retrieved,
    verified: input.provenance.verified,
    note: input.provenance.note ?? null,
  };
  const { id: _id, ...update } = row;
  await db
    .insertInto('directory_services')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...update, updated_at: sql`now()` }))
    .execute();
}

export async function bumpDataVersion(db: Executor, name: 'geography' | 'directory'): Promise<void> {
  await db
    .updateTable('data_versions')
    .set({ version: sql`version + 1`, changed_at: sql`now()` })
    .where('name', '=', name)
    .execute();
  // Every instance reloads what it keeps in memory once this commits.
  await announceChange(db, 'geography', { name });
}

function toRow(r: Pick<Selectable<DirectoryServicesTable>, (typeof COLUMNS)[number]>): ServiceRow {
  return {
    id: r.id,
    name: r.name,
    organizationName: r.organization_name,
    description: r.description,
    programTypes: r.program_types,
    genders: r.genders,
    minimumAge: r.minimum_age,
    maximumAge: r.maximum_age,
    languages: r.languages,
    countyFips: r.county_fips,
    statewide: r.statewide,
    culturallySpecific: r.culturally_specific,
    culturallySpecificFor: r.culturally_specific_for,
    lgbtqAffirming: r.lgbtq_affirming,
    confidentialLocation: r.confidential_location,
    hsds: r.hsds,
    source: r.source,
    retrieved: r.retrieved,
    verified: r.verified,
    note: r.note,
  };
}

const COLUMNS = [
  'id',
  'name',
  'organization_name',
  'description',
  'program_types',
  'genders',
  'minimum_age',
  'maximum_age',
  'languages',
  'county_fips',
  'statewide',
  'culturally_specific',
  'culturally_specific_for',
  'lgbtq_affirming',
  'confidential_location',
  'hsds',
  'source',
  'retrieved',
  'verified',
  'note',
] as const;

/** Services matching every given filter, ordered by name, with the total count for paging. */
export async function searchServices(
  db: Database,
  q: ServiceQuery,
): Promise<{ total: number; items: ServiceRow[] }> {
  let query = db.selectFrom('directory_services');
  if (q.type) query = query.where(sql<boolean>`${q.type} = any(program_types)`);
  if (q.excludeTypes && q.excludeTypes.length > 0) {
    const excluded = [...q.excludeTypes];
    query = query.where(sql<boolean>`not (program_types && ${sql.val(excluded)}::text[])`);
  }
  if (q.countyFips && q.countyFips.length > 0) {
    const wanted = q.countyFips;
    query = query.where((eb) =>
      eb.or([eb('statewide', '=', true), eb(sql`county_fips`, '&&', sql`${sql.val(wanted)}::text[]`)]),
    );
  }
  if (q.age !== undefined) {
    const age = q.age;
    query = query
      .where((eb) => eb.or([eb('minimum_age', 'is', null), eb('minimum_age', '<=', age)]))
      .where((eb) => eb.or([eb('maximum_age', 'is', null), eb('maximum_age', '>=', age)]));
  }
  if (q.gender) {
    const gender = q.gender;
    query = query.where(
      sql<boolean>`(${gender} = any(genders) or 'any' = any(genders) or cardinality(genders) = 0)`,
    );
  }
  if (q.language) query = query.where(sql<boolean>`${q.language} = any(languages)`);
  if (q.culturallySpecific) query = query.where('culturally_specific', '=', true);
  if (q.lgbtqAffirming) query = query.where('lgbtq_affirming', '=', true);
  if (q.text) {
    const like = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', like),
        eb('organization_name', 'ilike', like),
        eb('description', 'ilike', like),
      ]),
    );
  }
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    query.select(COLUMNS).orderBy('name').orderBy('id').limit(q.limit).offset(q.offset).execute(),
  ]);
  return { total: Number(count.n), items: rows.map(toRow) };
}

export async function findService(db: Database, id: string): Promise<ServiceRow | null> {
  const row = await db
    .selectFrom('directory_services')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function allServicesHsds(db: Database): Promise<Record<string, unknown>[]> {
  const rows = await db.selectFrom('directory_services').select('hsds').orderBy('id').execute();
  return rows.map((r) => r.hsds);
}

/** Languages that at least one service lists, for the filter's choices. */
export async function languagesOffered(db: Database): Promise<string[]> {
  const rows = await sql<{
    code: string;
  }>`select distinct unnest(languages) as code from directory_services order by 1`.execute(db);
  return rows.rows.map((r) => r.code);
}
