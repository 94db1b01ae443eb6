/**
 * Test support for the navigator queue (synthetic data only): intake items written straight into the
 * database and a Minnesota business calendar. Staff and their sessions: test/staff.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { BusinessCalendar, loadHolidays } from '../../platform/calendar.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { sealPayload, type IntakePayload } from '../intake/payload.ts';
import type { AgeBand, IntakeKind, Urgency } from '../intake/tables.ts';

export const minnesotaCalendar = (): BusinessCalendar =>
  new BusinessCalendar('America/Chicago', loadHolidays('data/mn/holidays.json'));

export const SYNTHETIC_PAYLOAD: IntakePayload = {
  youth: {
    name: 'Synthetic Youth',
    contactMethod: 'text_message',
    contactValue: '555-0100',
    safeTimes: 'after school',
    codeWord: 'bluebird',
    language: 'English',
    agreedToContact: true,
  },
  referrer: {
    name: 'Synthetic Referrer',
    role: 'School counsellor',
    organization: 'Synthetic High School',
    phone: '555-0199',
    email: 'referrer@example.org',
    callbackTimes: 'weekdays',
  },
  observed: 'Synthetic observation for a test.',
  screening: null,
};

export interface TestItem {
  kind?: IntakeKind;
  regionId?: string | null;
  countyFips?: string | null;
  age?: number | null;
  ageBand?: AgeBand;
  urgency?: Urgency;
  createdAt?: Date;
  payload?: IntakePayload;
}

/** An intake item as the intake service would write it (status new), with a 'received' event. */
export async function addItem(
  deps: { db: Database; keyring: Keyring },
  item: TestItem = {},
): Promise<string> {
  const id = randomUUID();
  const createdAt = item.createdAt ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('intake_items')
      .values({
        id,
        kind: item.kind ?? 'professional_referral',
        jurisdiction: 'mn',
        region_id: item.regionId === undefined ? 'west-metro' : item.regionId,
        county_fips: item.countyFips === undefined ? '27053' : item.countyFips,
        age: item.age === undefined ? 16 : item.age,
        age_band: item.ageBand ?? 'under18',
        urgency: item.urgency ?? 'soon',
        payload_encrypted: await sealPayload(deps.keyring, id, item.payload ?? SYNTHETIC_PAYLOAD, trx),
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    await trx
      .insertInto('intake_events')
      .values({ item_id: id, at: createdAt, actor_user_id: null, event: 'received' })
      .execute();
  });
  return id;
}
