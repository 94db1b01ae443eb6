/**
 * Staff notifications' SQL: the active people to tell, writing a notification, and reading and marking
 * a person's notifications.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';

// ---------------------------------------------------------------------------------------------------
// Who to tell

/** A person to tell: their id and sealed email address. */
export interface Recipient {
  id: string;
  email_encrypted: Buffer;
}

/**
 * Active people (account set up, not disabled, organization not disabled), for the caller to narrow:
 * by role, region, organization or id.
 */
export function activeStaffQuery(db: Database | Transaction<DB>) {
  return db
    .selectFrom('staff_users as u')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select(['u.id', 'u.email_encrypted'])
    .where('u.disabled_at', 'is', null)
    .where('o.disabled_at', 'is', null)
    .where('u.password_hash', 'is not', null);
}

/** Active people with the role, and for `regionId` only those of the region; by id. */
export async function activeStaff(
  db: Database | Transaction<DB>,
  role: 'navigator' | 'state_admin',
  regionId?: string,
): Promise<Recipient[]> {
  let q = activeStaffQuery(db).where('u.role', '=', role);
  if (regionId !== undefined) q = q.where((eb) => eb(eb.val(regionId), '=', eb.fn.any('u.regions')));
  return q.orderBy('u.id').execute();
}

// ---------------------------------------------------------------------------------------------------
// Telling them

/** A new notification row (inside the caller's transaction). */
export async function addNotification(
  trx: Transaction<DB>,
  notification: { userId: string; kind: string; text: string; link: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('staff_notifications')
    .values({
      id: randomUUID(),
      user_id: notification.userId,
      kind: notification.kind,
      text: notification.text,
      link: notification.link,
      created_at: notification.at,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// Reading them

export interface StaffNotification {
  id: string;
  kind: string;
  text: string;
  link: string | null;
  createdAt: Date;
  read: boolean;
}

/** The person's notifications, unread first, then newest first. */
export async function listNotifications(
  db: Database,
  userId: string,
  limit = 20,
): Promise<{ unread: number; notifications: StaffNotification[] }> {
  const [count, rows] = await Promise.all([
    db
      .selectFrom('staff_notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('staff_notifications')
      .select(['id', 'kind', 'text', 'link', 'created_at', 'read_at'])
      .where('user_id', '=', userId)
      .orderBy(sql`read_at is null`, 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute(),
  ]);
  return {
    unread: Number(count.n),
    notifications: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      text: r.text,
      link: r.link,
      createdAt: r.created_at,
      read: r.read_at !== null,
    })),
  };
}

/** Marks one of the person's notifications read (`id`, a UUID), or all of them when `id` is null. */
export async function markRead(
  db: Database,
  m: { userId: string; id: string | null; at: Date },
): Promise<number> {
  const { userId, id } = m;
  let q = db
    .updateTable('staff_notifications')
    .set({ read_at: m.at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (id !== null) {
    // The notice and its repeats (the same words and link), which show as one line.
    const one = db
      .selectFrom('staff_notifications')
      .where('id', '=', id.toLowerCase())
      .where('user_id', '=', userId);
    q = q.where((eb) =>
      eb.or([
        eb('id', '=', id.toLowerCase()),
        eb.and([eb('text', '=', one.select('text')), eb('link', 'is not distinct from', one.select('link'))]),
      ]),
    );
  }
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Marks read the unread notifications that point at `link` — the person's, once they open the page,
 * or everyone's (`userId` null) once what they point at is gone.
 */
export async function markLinkRead(
  trx: Transaction<DB>,
  link: string,
  at: Date,
  userId: string | null,
): Promise<void> {
  let q = trx.updateTable('staff_notifications').set({ read_at: at });
  if (userId !== null) q = q.where('user_id', '=', userId);
  await q.where('link', '=', link).where('read_at', 'is', null).execute();
}
