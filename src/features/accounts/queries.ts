/**
 * The SQL of staff accounts: plain functions over a database or a transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

export type LinkPurpose = 'setup' | 'invitation' | 'password_reset';

/** The columns a person is read with (see readUser in context.ts). */
export const USER_COLUMNS = [
  'id',
  'organization_id',
  'email_encrypted',
  'display_name_encrypted',
  'role',
  'regions',
  'password_hash',
  'totp_enabled_at',
  'disabled_at',
] as const;

/** Ends every open session of a person (after a role change, a reset, disabling). */
export async function endAllSessions(trx: Transaction<DB>, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable('staff_sessions')
    .set({ ended_at: now })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Revokes every API token of a person (when they are disabled). */
export async function revokeAllTokens(trx: Transaction<DB>, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Which of the given region ids are rows of the regions table (the only regions a person can hold). */
export async function existingRegions(db: Kysely<DB>, regionIds: readonly string[]): Promise<Set<string>> {
  if (regionIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('regions')
    .select('id')
    .where('id', 'in', [...regionIds])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** An active state administrator, if there is one. */
export function activeStateAdmin(db: Kysely<DB>) {
  return db
    .selectFrom('staff_users')
    .select('id')
    .where('role', '=', 'state_admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Stores a single-use link by the hash of its secret. */
export async function insertLink(
  trx: Transaction<DB>,
  input: {
    tokenHash: string;
    purpose: LinkPurpose;
    userId: string | null;
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('one_time_links')
    .values({
      token_hash: input.tokenHash,
      purpose: input.purpose,
      user_id: input.userId,
      created_by: input.createdBy,
      expires_at: input.expiresAt,
    })
    .execute();
}

/** Marks an unused, unexpired link used; undefined when there is none (one use, even when two race). */
export function useOpenLink(trx: Transaction<DB>, tokenHash: string, purpose: LinkPurpose, now: Date) {
  return trx
    .updateTable('one_time_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id'])
    .executeTakeFirst();
}

/** Whether an unused, unexpired link exists, without using it. */
export async function openLinkExists(
  db: Kysely<DB>,
  tokenHash: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('one_time_links')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}
