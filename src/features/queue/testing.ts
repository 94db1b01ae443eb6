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

type ItemColumn = 'status' | 'claimed_by' | 'claimed_at' | 'escalation_level';

/** Columns of one intake item's row, as stored. */
export async function itemRow<C extends ItemColumn>(db: Database, id: string, columns: readonly C[]) {
  return db.selectFrom('intake_items').select(columns).where('id', '=', id).executeTakeFirstOrThrow();
}

/** An item's events, oldest first (only those named `event` when given). */
export async function itemEvents(db: Database, id: string, event?: string) {
  let q = db
    .selectFrom('intake_events')
    .select(['id', 'event', 'detail', 'actor_user_id'])
    .where('item_id', '=', id);
  if (event) q = q.where('event', '=', event);
  return q.orderBy('id').execute();
}

/** The audit records about a subject, oldest first (only those of `action` when given). */
export async function auditOf(db: Database, subjectId: string, action?: string) {
  let q = db.selectFrom('audit_events').selectAll().where('subject_id', '=', subjectId);
  if (action) q = q.where('action', '=', action);
  return q.orderBy('seq').execute();
}

/** Unread notifications for a person (kind `intake_new`), each with its text and link. */
export async function addNotifications(
  db: Database,
  userId: string,
  notes: readonly { text: string; link: string }[],
): Promise<void> {
  await db
    .insertInto('staff_notifications')
    .values(notes.map((n) => ({ id: randomUUID(), user_id: userId, kind: 'intake_new', ...n })))
    .execute();
}
