/**
 * Telling staff: in-app notifications (a fixed sentence and a link, never personal data) and the email
 * that goes with one, the active people to tell, and reading a person's notifications.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { decryptField, type Keyring } from '../../platform/crypto/index.ts';
import { enqueueEmail, siteOrigin, type SiteOrigin } from '../../platform/mail/index.ts';
import * as q from './queries.ts';

export {
  activeStaff,
  activeStaffQuery,
  addNotification,
  listNotifications,
  markLinkRead,
  type Recipient,
  type StaffNotification,
} from './queries.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One in-app notification and one email (the headline — the notification's sentence unless another is
 * given — and the link, never anything about the young person) to each person, once each, inside the
 * caller's transaction. Answers how many people were told.
 */
export async function notifyStaff(
  trx: Transaction<DB>,
  deps: { keyring: Keyring; site: SiteOrigin },
  people: readonly q.Recipient[],
  message: { kind: string; text: string; link: string; at: Date },
  emailHeadline: string = message.text,
): Promise<number> {
  const unique = [...new Map(people.map((p) => [p.id, p])).values()];
  const origin = siteOrigin(deps.site);
  for (const person of unique) {
    await q.addNotification(trx, { userId: person.id, ...message });
    const to = await decryptField(
      deps.keyring,
      { table: 'staff_users', recordId: person.id, field: 'email' },
      person.email_encrypted,
      trx,
    );
    await enqueueEmail(
      trx,
      deps.keyring,
      { to, template: 'notification', params: { link: `${origin}${message.link}`, headline: emailHeadline } },
      deps.site,
    );
  }
  return unique.length;
}

/** Marks one of the person's notifications read, or all of them when `id` is null; how many. */
export async function markNotificationsRead(
  db: Database,
  userId: string,
  id: string | null,
  now = new Date(),
): Promise<number> {
  if (id !== null && !UUID.test(id)) return 0;
  return q.markRead(db, { userId, id, at: now });
}
