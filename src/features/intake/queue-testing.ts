/**
 * Test support for the navigator queue (synthetic data only): staff of each role, intake items written
 * straight into the database, sessions for page requests, and a Minnesota business calendar.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { Actor, Role } from '../../platform/access.ts';
import { BusinessCalendar, loadHolidays } from '../../platform/calendar.ts';
import { encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { hashSecret, newSecret } from '../accounts/secrets.ts';
import { emailIndex } from '../accounts/service.ts';
import { sealPayload, type IntakePayload } from './payload.ts';
import type { AgeBand, IntakeKind, Urgency } from './tables.ts';

export const minnesotaCalendar = (): BusinessCalendar =>
  new BusinessCalendar('America/Chicago', loadHolidays('data/mn/holidays.json'));

export interface TestStaff {
  id: string;
  email: string;
  name: string;
  actor: Actor;
}

let organizationId: string | null = null;

async function testOrganization(db: Database): Promise<string> {
  const existing = await db
    .selectFrom('member_organizations')
    .select('id')
    .where('name', '=', 'Synthetic Queue Host')
    .executeTakeFirst();
  if (existing) return existing.id;
  return (
    await db
      .insertInto('member_organizations')
      .values({ name: 'Synthetic Queue Host', type: 'navigator_host' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

/** A signed-up staff member (password set, so they count as active) with a synthetic name and email. */
export async function addStaff(
  deps: { db: Database; keyring: Keyring },
  role: Role,
  regions: string[] = [],
  options: { name?: string; disabled?: boolean } = {},
): Promise<TestStaff> {
  organizationId = await testOrganization(deps.db);
  const id = randomUUID();
  const email = `${role}.${id.slice(0, 8)}@example.org`;
  const name = options.name ?? `Synthetic ${role} ${id.slice(0, 4)}`;
  const at = (field: string) => ({ scope: `staff:${id}`, table: 'staff_users', recordId: id, field });
  await deps.db
    .insertInto('staff_users')
    .values({
      id,
      organization_id: organizationId,
      email_index: await emailIndex(deps, email),
      email_encrypted: await encryptField(deps.keyring, at('email'), email),
      display_name_encrypted: await encryptField(deps.keyring, at('display_name'), name),
      role,
      regions,
      password_hash: 'not-used-in-this-test',
      updated_at: new Date(),
      disabled_at: options.disabled ? new Date() : null,
    })
    .execute();
  return { id, email, name, actor: { userId: id, role, organizationId, regions } };
}

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

/** A complete session for page requests: the cookie header and the CSRF token. */
export async function sessionFor(db: Database, userId: string): Promise<{ cookie: string; csrf: string }> {
  const token = newSecret('nwds');
  const csrf = newSecret('nwdt');
  const now = new Date();
  await db
    .insertInto('staff_sessions')
    .values({
      id_hash: hashSecret(token),
      user_id: userId,
      stage: 'complete',
      csrf_token: csrf,
      created_at: now,
      last_seen_at: now,
      reauthenticated_at: now,
    })
    .execute();
  return { cookie: `nwd_session=${token}`, csrf };
}
