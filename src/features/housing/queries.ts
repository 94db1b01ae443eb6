/**
 * The database side of housing: programs, their availability and its history, the bed board's rows and
 * the reminder job's candidates. No access checks here: the service decides who may call what.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { BoardFilter } from './rules.ts';
import type { BedTypeCount } from './tables.ts';

type Db = Database | Transaction<DB>;

const PROGRAM_COLUMNS = [
  'p.id',
  'p.organization_id',
  'p.name',
  'p.program_type',
  'p.min_age',
  'p.max_age',
  'p.genders',
  'p.serves',
  'p.culturally_specific_for',
  'p.languages',
  'p.region_ids',
  'p.county_fips',
  'p.beds_total',
  'p.beds_available',
  'p.bed_types',
  'p.availability_updated_at',
  'p.stale_reminded_at',
  'p.created_at',
] as const;

/** `column @> array[value]`: the array holds the value (a form a GIN index on the column serves). */
const holds = (column: string, values: readonly string[]) =>
  sql<boolean>`${sql.ref(column)} @> ${sql.val([...values])}::text[]`;

/**
 * A program's row (without its sealed address) and its organization's name. `board` narrows the rows in
 * SQL to those that may fit the bed board's filter — the rules' `fits` still decides (the language is
 * left to it) — so a board over hundreds of programs reads only the few that can fit.
 */
export async function programRows(
  db: Db,
  where: { id?: string; organizationId?: string; active?: boolean; board?: BoardFilter },
) {
  let q = db
    .selectFrom('housing_programs as p')
    .innerJoin('member_organizations as o', 'o.id', 'p.organization_id')
    .select([...PROGRAM_COLUMNS, 'o.name as organization_name']);
  if (where.id !== undefined) q = q.where('p.id', '=', where.id);
  if (where.organizationId !== undefined) q = q.where('p.organization_id', '=', where.organizationId);
  if (where.active) q = q.where('o.disabled_at', 'is', null);
  const f = where.board;
  if (f?.age !== undefined) q = q.where('p.min_age', '<=', f.age).where('p.max_age', '>=', f.age);
  if (f?.gender !== undefined) q = q.where(holds('p.genders', [f.gender]));
  if (f?.needs?.length) q = q.where(holds('p.serves', f.needs));
  if (f?.types?.length) q = q.where('p.program_type', 'in', [...f.types]);
  if (f?.regionId !== undefined) q = q.where(holds('p.region_ids', [f.regionId]));
  if (f?.county) {
    const { fips, regionId } = f.county;
    q = q.where((eb) =>
      eb.or([
        holds('p.county_fips', [fips]),
        ...(regionId !== null ? [holds('p.region_ids', [regionId])] : []),
      ]),
    );
  }
  if (f?.when === 'tonight') q = q.where('p.beds_available', '>', 0);
  return q.orderBy('p.name').orderBy('p.id').execute();
}
export type ProgramRow = Awaited<ReturnType<typeof programRows>>[number];

/** The program's row locked for a change, with its sealed address. */
export async function lockProgram(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('housing_programs')
    .select(['id', 'organization_id', 'beds_total', 'beds_available', 'bed_types', 'address_encrypted'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The sealed address of a program. */
export async function sealedAddress(db: Db, id: string): Promise<Buffer | null> {
  const row = await db
    .selectFrom('housing_programs')
    .select('address_encrypted')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.address_encrypted ?? null;
}

export interface ProgramColumns {
  name: string;
  program_type: string;
  min_age: number;
  max_age: number;
  genders: string[];
  serves: string[];
  culturally_specific_for: string | null;
  languages: string[];
  region_ids: string[];
  county_fips: string[];
  address_encrypted: Buffer | null;
  beds_total: number;
  bed_types: BedTypeCount[];
}

export async function insertProgram(
  trx: Transaction<DB>,
  row: ProgramColumns & { id: string; organization_id: string; created_by: string | null; at: Date },
): Promise<void> {
  const { at, bed_types, ...rest } = row;
  await trx
    .insertInto('housing_programs')
    .values({ ...rest, bed_types: JSON.stringify(bed_types), created_at: at, updated_at: at })
    .execute();
}

export async function updateProgram(
  trx: Transaction<DB>,
  id: string,
  row: ProgramColumns & { beds_available: number | null; at: Date },
): Promise<void> {
  const { at, bed_types, ...rest } = row;
  await trx
    .updateTable('housing_programs')
    .set({ ...rest, bed_types: JSON.stringify(bed_types), updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Writes the beds now on the program and one row of its history. */
export async function recordAvailability(
  trx: Transaction<DB>,
  update: {
    programId: string;
    available: number;
    total: number;
    bedTypes: BedTypeCount[];
    via: 'page' | 'api' | 'synthetic';
    by: string | null;
    at: Date;
  },
): Promise<void> {
  const bedTypes = JSON.stringify(update.bedTypes);
  await trx
    .updateTable('housing_programs')
    .set({
      beds_available: update.available,
      beds_total: update.total,
      bed_types: bedTypes,
      availability_updated_at: update.at,
      availability_updated_by: update.by,
    })
    .where('id', '=', update.programId)
    .execute();
  await trx
    .insertInto('housing_availability_updates')
    .values({
      id: randomUUID(),
      program_id: update.programId,
      beds_available: update.available,
      beds_total: update.total,
      bed_types: bedTypes,
      via: update.via,
      updated_by: update.by,
      created_at: update.at,
    })
    .execute();
}

/** The latest updates of a program, newest first. */
export async function availabilityHistory(db: Db, programId: string, limit: number) {
  return db
    .selectFrom('housing_availability_updates')
    .select(['id', 'beds_available', 'beds_total', 'bed_types', 'via', 'updated_by', 'created_at'])
    .where('program_id', '=', programId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
export type HistoryRow = Awaited<ReturnType<typeof availabilityHistory>>[number];

/**
 * Programs to remind at `now`: availability older than `staleBefore` (or never given, for a program made
 * before then), of an organization not disabled, and not reminded since `staleBefore`.
 */
export async function staleCandidates(db: Db, staleBefore: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('housing_programs as p')
    .innerJoin('member_organizations as o', 'o.id', 'p.organization_id')
    .select('p.id')
    .where('o.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('p.availability_updated_at', '<', staleBefore),
        eb.and([eb('p.availability_updated_at', 'is', null), eb('p.created_at', '<', staleBefore)]),
      ]),
    )
    .where((eb) =>
      eb.or([eb('p.stale_reminded_at', 'is', null), eb('p.stale_reminded_at', '<=', staleBefore)]),
    )
    .orderBy('p.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The program locked for the reminder, skipped when another run holds it. */
export async function lockForReminder(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('housing_programs')
    .select(['id', 'name', 'organization_id', 'availability_updated_at', 'created_at', 'stale_reminded_at'])
    .where('id', '=', id)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export async function markReminded(trx: Transaction<DB>, id: string, at: Date): Promise<void> {
  await trx.updateTable('housing_programs').set({ stale_reminded_at: at }).where('id', '=', id).execute();
}

/**
 * Takes one bed off the program's beds available, under its row lock: the first type of bed with one
 * free, for a program with types. False when no bed is free (nothing changes).
 */
export async function takeBed(trx: Transaction<DB>, id: string): Promise<boolean> {
  const row = await trx
    .selectFrom('housing_programs')
    .select(['beds_available', 'bed_types'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || (row.beds_available ?? 0) <= 0) return false;
  const types = row.bed_types.map((t) => ({ ...t }));
  const free = types.find((t) => t.available > 0);
  if (free) free.available--;
  const done = await trx
    .updateTable('housing_programs')
    .set({ beds_available: row.beds_available! - 1, bed_types: JSON.stringify(types) })
    .where('id', '=', id)
    .where('beds_available', '>', 0)
    .executeTakeFirst();
  return done.numUpdatedRows === 1n;
}

/**
 * How many beds of each program are held now for shelter requests (offers holding until a time still
 * to come): they are off the beds available until confirmed or given back.
 */
export async function heldBeds(
  db: Db,
  programIds: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  if (programIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('shelter_offers')
    .select(['program_id', (eb) => eb.fn.countAll<string>().as('held')])
    .where('program_id', 'in', programIds)
    .where('status', '=', 'holding')
    .where('held_until', '>', now)
    .groupBy('program_id')
    .execute();
  return new Map(rows.map((r) => [r.program_id, Number(r.held)]));
}

/** Gives one bed back to the program's beds available (never above its beds in all), under its row lock. */
export async function giveBedBack(trx: Transaction<DB>, id: string): Promise<void> {
  const row = await trx
    .selectFrom('housing_programs')
    .select(['beds_available', 'beds_total', 'bed_types'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.beds_available === null || row.beds_available >= row.beds_total) return;
  const types = row.bed_types.map((t) => ({ ...t }));
  const held = types.find((t) => t.available < t.total);
  if (held) held.available++;
  await trx
    .updateTable('housing_programs')
    .set({ beds_available: row.beds_available + 1, bed_types: JSON.stringify(types) })
    .where('id', '=', id)
    .execute();
}
