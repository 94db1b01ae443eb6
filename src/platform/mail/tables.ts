/**
 * Table types for the email outbox (migration 0005_email_outbox.sql). The lead merges `MailTables` into
 * `DB` in src/db/types.ts (`export interface DB extends MailTables { … }`).
 */
import type { ColumnType, Generated, Kysely } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Where an email is in its life. */
export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** One email. Columns are documented in the migration (`comment on column`). */
export interface EmailOutboxTable {
  /** Chosen by the application before the insert: the encrypted fields are bound to it. */
  id: string;
  template: string;
  /** Encrypted: `encryptField` under the shared scope, AAD `email_outbox|id|recipient`. */
  recipient: Buffer;
  subject: string;
  /** Encrypted like `recipient` (field `body_text`); null once the email is sent or failed. */
  body_text: Buffer | null;
  created_at: Generated<Date>;
  send_after: DefaultedTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
  locked_until: NullableTimestamp;
  sent_at: NullableTimestamp;
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>;
}

export interface MailTables {
  email_outbox: EmailOutboxTable;
}

/**
 * The same connection or transaction, typed for the outbox table.
 *
 * @example
 * await mailDb(trx).selectFrom('email_outbox').select('status').execute();
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mailDb(db: Kysely<any>): Kysely<MailTables> {
  return db as Kysely<MailTables>;
}
