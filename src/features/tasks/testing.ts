/**
 * Test support for tasks, transfers and safety plans (synthetic data only): a case row written straight
 * into the database (as the cases module would open it), a request origin, the Minnesota calendar and its
 * wall-clock times.
 * Staff and their sessions: test/staff.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { AgeBand } from '../intake/tables.ts';
import { sealPersonal, type CasePersonal, type RequestOrigin } from '../cases/core.ts';
import { minnesotaCalendar } from '../queue/testing.ts';

/** The Minnesota business calendar (weekends and state holidays). */
export const calendar = minnesotaCalendar();
/** A Minnesota wall-clock time as an instant. */
export const mn = (date: string, hour: number, minute = 0) => calendar.instant(date, hour, minute);

export const ORIGIN: RequestOrigin = { ip: '127.0.0.1', userAgent: 'vitest' };

export const SYNTHETIC_PERSON: CasePersonal = {
  chosenName: 'Synthetic Sky',
  legalName: null,
  dateOfBirth: null,
  age: 16,
  pronouns: 'they/them',
  genderIdentity: [],
  raceEthnicity: [],
  sexualOrientation: null,
  languages: ['English'],
  tribalAffiliation: null,
  safeContact: { method: 'text_message', value: '555-0100', times: 'after school', codeWord: 'bluebird' },
  door: null,
  exploitation: [],
  entryHousing: null,
};

export interface TestCase {
  regionId?: string;
  countyFips?: string | null;
  ageBand?: AgeBand;
  status?: 'open' | 'closed';
  person?: Partial<CasePersonal>;
  openedBy?: string | null;
}

/** An open case of the region (default West Metro, Hennepin County, under 18). */
export async function addCase(deps: { db: Database; keyring: Keyring }, c: TestCase = {}): Promise<string> {
  const id = randomUUID();
  const closed = c.status === 'closed';
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('cases')
      .values({
        id,
        jurisdiction: 'mn',
        region_id: c.regionId ?? 'west-metro',
        county_fips: c.countyFips === undefined ? '27053' : c.countyFips,
        age_band: c.ageBand ?? 'under18',
        status: closed ? 'closed' : 'open',
        closed_at: closed ? new Date() : null,
        personal_encrypted: await sealPersonal(deps.keyring, id, { ...SYNTHETIC_PERSON, ...c.person }, trx),
        opened_by: c.openedBy ?? null,
      })
      .execute();
  });
  return id;
}
