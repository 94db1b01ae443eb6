/**
 * Test set-up for housing and shelter requests: a synthetic housing program (an emergency shelter in the
 * West Metro region by default) and its beds available now.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/database.ts';

export interface TestProgram {
  name: string;
  available: number;
  total?: number;
  genders?: string[];
  minAge?: number;
  maxAge?: number;
  serves?: string[];
  regions?: string[];
}

/** Adds a program of the organization with a fresh count of beds; answers its id. */
export async function addProgram(db: Database, organizationId: string, p: TestProgram): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('housing_programs')
    .values({
      id,
      organization_id: organizationId,
      name: p.name,
      program_type: 'emergency_shelter',
      min_age: p.minAge ?? 12,
      max_age: p.maxAge ?? 17,
      genders: p.genders ?? ['female', 'nonbinary'],
      serves: p.serves ?? [],
      region_ids: p.regions ?? ['west-metro'],
      beds_total: p.total ?? 6,
      beds_available: p.available,
      availability_updated_at: new Date(),
    })
    .execute();
  return id;
}

/** The program's beds available now. */
export const bedsOf = async (db: Database, id: string): Promise<number | null> =>
  (
    await db
      .selectFrom('housing_programs')
      .select('beds_available')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).beds_available;
