/**
 * The email outbox. An email is written inside the transaction of the change that causes it (an
 * invitation row and its email commit together, or neither does) and sent later by `deliverPending`,
 * which any number of instances may run at once: rows are claimed with `for update skip locked` and a
 * lease, failures are retried with exponential backoff, and an email is marked failed after the last
 * attempt. The recipient and the body (with its secret link) are stored only encrypted.
 */
import { randomUUID } from 'node:crypto';
import { sql, type UpdateObject } from 'kysely';
import { z } from 'zod';
import { decryptField, encryptField } from '../crypto/envelope.ts';
import { SHARED_SCOPE, type Keyring } from '../crypto/keyring.ts';
import type { AnyKysely } from '../crypto/tables.ts';
import type { Logger } from '../log.ts';
import { mailDb, type MailTables } from './tables.ts';
import {
  EmailContentError,
  renderEmail,
  type EmailTemplateName,
  type EmailTemplateParams,
  type SiteOrigin,
} from './templates.ts';
import { PermanentDeliveryError, type MailTransport } from './transport.ts';

const TABLE = 'email_outbox';
const recipientAddress = z.email().max(254);

/** An email to put in the outbox. */
export interface EmailToSend<T extends EmailTemplateName = EmailTemplateName> {
  /** The staff member's address (stored encrypted). */
  to: string;
  template: T;
  params: EmailTemplateParams[T];
  /** Not sent before this time (default: as soon as possible). */
  sendAfter?: Date;
}

/**
 * Renders the email (refusing personal data and foreign links, see `renderEmail`) and writes it to the
 * outbox inside the caller's transaction, with the recipient and body encrypted under the shared data
 * key. Returns the id of the outbox row.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const invitationId = await createInvitation(trx, …);
 *   await enqueueEmail(trx, keyring, {
 *     to: 'staff@example.org',
 *     template: 'invitation',
 *     params: { link: `${origin}/invitations/${token}`, organizationName: 'Synthetic Org', expiresAt },
 *   }, { origin, development: false });
 * });
 */
export async function enqueueEmail<T extends EmailTemplateName>(
  trx: AnyKysely,
  keyring: Keyring,
  email: EmailToSend<T>,
  site: SiteOrigin,
): Promise<{ id: string }> {
  const to = typeof email.to === 'string' ? email.to.trim() : '';
  if (!recipientAddress.safeParse(to).success)
    throw new EmailContentError('The recipient is not a single valid email address.');
  if (email.sendAfter !== undefined && Number.isNaN(email.sendAfter.getTime()))
    throw new EmailContentError('sendAfter is not a valid date.');
  const rendered = renderEmail(email.template, email.params, site);
  const id = randomUUID();
  const at = (field: string) => ({ scope: SHARED_SCOPE, table: TABLE, recordId: id, field });
  const recipient = await encryptField(keyring, at('recipient'), to, trx);
  const body = await encryptField(keyring, at('body_text'), rendered.text, trx);
  await mailDb(trx)
    .insertInto('email_outbox')
    .values({
      id,
      template: email.template,
      recipient,
      subject: rendered.subject,
      body_text: body,
      ...(email.sendAfter ? { send_after: email.sendAfter } : {}),
    })
    .execute();
  return { id };
}

export interface DeliveryOptions {
  /** Emails claimed in one call. */
  batchSize: number;
  /** Attempts before an email is marked failed. */
  maxAttempts: number;
  /** Delay before the first retry (default one minute); it doubles with each attempt. */
  retryBaseMs?: number;
  /** Longest delay between retries (default six hours). */
  retryMaxMs?: number;
  /**
   * How long a claimed email is reserved for this instance (default five minutes). An instance that
   * stops mid-send leaves its emails to others after this; it must exceed the transport's timeouts.
   */
  leaseMs?: number;
  log?: Logger;
}

/** What one `deliverPending` call did. */
export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/**
 * The delay before the next attempt after `attempts` attempts: `retryBaseMs · 2^(attempts − 1)`, at most
 * `retryMaxMs`.
 *
 * @example
 * retryDelayMs(1); // 60_000
 * retryDelayMs(3); // 240_000
 */
export function retryDelayMs(
  attempts: number,
  {
    retryBaseMs = 60_000,
    retryMaxMs = 6 * 3600_000,
  }: Pick<DeliveryOptions, 'retryBaseMs' | 'retryMaxMs'> = {},
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  return Math.min(retryMaxMs, retryBaseMs * 2 ** exponent);
}

interface ClaimedRow {
  id: string;
  subject: string;
  recipient: Buffer;
  body_text: Buffer;
  attempts: number;
}

/**
 * Sends up to `batchSize` due emails through `transport`. Each is marked sent (its body erased), or
 * scheduled for a retry with exponential backoff, or marked failed after `maxAttempts` attempts or when
 * the mail server refuses it for good. Safe to run on several instances at once.
 *
 * @example
 * const report = await deliverPending(db, keyring, transport, { batchSize: 20, maxAttempts: 8, log });
 * // { claimed: 3, sent: 3, retried: 0, failed: 0 }
 */
export async function deliverPending(
  db: AnyKysely,
  keyring: Keyring,
  transport: MailTransport,
  options: DeliveryOptions,
): Promise<DeliveryReport> {
  const { batchSize, maxAttempts, leaseMs = 5 * 60_000, log } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be at least 1.');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError('maxAttempts must be at least 1.');
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  report.failed += await giveUpExhausted(db, maxAttempts);
  const claimed = await claimDue(db, batchSize, maxAttempts, leaseMs);
  report.claimed = claimed.length;
  for (const row of claimed) {
    let to: string | undefined;
    try {
      to = await decryptField(keyring, { table: TABLE, recordId: row.id, field: 'recipient' }, row.recipient);
      const text = await decryptField(
        keyring,
        { table: TABLE, recordId: row.id, field: 'body_text' },
        row.body_text,
      );
      await transport.send({ to, subject: row.subject, text });
    } catch (error) {
      const reason = describeFailure(error, to);
      const giveUp = error instanceof PermanentDeliveryError || row.attempts >= maxAttempts;
      if (giveUp) {
        await finish(db, row, { status: 'failed', body_text: null, locked_until: null, last_error: reason });
        report.failed++;
      } else {
        const delayMs = retryDelayMs(row.attempts, options);
        await finish(db, row, {
          status: 'pending',
          locked_until: null,
          last_error: reason,
          send_after: sql<Date>`now() + ${delayMs}::double precision * interval '1 millisecond'`,
        });
        report.retried++;
      }
      log?.warn(
        { emailId: row.id, attempts: row.attempts, error: reason, retry: !giveUp },
        giveUp
          ? 'An email could not be sent and was given up.'
          : 'An email could not be sent; it will be retried.',
      );
      continue;
    }
    await finish(db, row, {
      status: 'sent',
      sent_at: sql<Date>`now()`,
      body_text: null,
      locked_until: null,
      last_error: null,
    });
    report.sent++;
  }
  if (report.claimed > 0 || report.failed > 0) log?.info({ ...report }, 'Email outbox delivered.');
  return report;
}

/** Claims due emails (and emails whose sender's lease ran out) for this instance. */
async function claimDue(db: AnyKysely, batchSize: number, maxAttempts: number, leaseMs: number) {
  const result = await sql<ClaimedRow>`
    with due as (
      select id from email_outbox
      where attempts < ${maxAttempts}
        and ((status = 'pending' and send_after <= now()) or (status = 'sending' and locked_until <= now()))
      order by send_after, created_at
      limit ${batchSize}
      for update skip locked
    )
    update email_outbox o
       set status = 'sending',
           attempts = o.attempts + 1,
           locked_until = now() + ${leaseMs}::double precision * interval '1 millisecond'
      from due
     where o.id = due.id
    returning o.id, o.subject, o.recipient, o.body_text, o.attempts`.execute(db);
  return result.rows;
}

/**
 * Marks failed the emails that have no attempt left but were never concluded: their sender stopped
 * mid-send after the last attempt (lease expired), or `maxAttempts` was lowered.
 */
async function giveUpExhausted(db: AnyKysely, maxAttempts: number): Promise<number> {
  const rows = await mailDb(db)
    .updateTable('email_outbox')
    .set({
      status: 'failed',
      body_text: null,
      locked_until: null,
      last_error: sql<string>`coalesce(last_error, 'Delivery was interrupted and no attempt is left.')`,
    })
    .where('attempts', '>=', maxAttempts)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', sql<Date>`now()`)]),
      ]),
    )
    .returning('id')
    .execute();
  return rows.length;
}

type Conclusion = UpdateObject<MailTables, 'email_outbox'>;

/** Records the outcome, unless another instance took the email over after this one's lease ran out. */
async function finish(db: AnyKysely, row: ClaimedRow, set: Conclusion): Promise<void> {
  await mailDb(db)
    .updateTable('email_outbox')
    .set(set)
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .execute();
}

const EMAIL_LIKE = /[^\s@<>"]+@[^\s@<>"]+/g;
const URL_LIKE = /\b(?:https?|smtps?):\/\/\S+/gi;

/**
 * Why a delivery failed, for `last_error` and the log: the error's code and message with the recipient,
 * anything that looks like an address and any URL removed.
 *
 * @example
 * describeFailure(new Error('550 <staff@example.org> unknown'), 'staff@example.org'); // '550 <[address]> unknown'
 */
export function describeFailure(error: unknown, recipient?: string): string {
  const parts: string[] = [];
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown; cause?: unknown };
  const cause = (e.cause ?? {}) as { code?: unknown; responseCode?: unknown };
  for (const code of [e.code, cause.code]) {
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) && !parts.includes(code)) parts.push(code);
  }
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : cause.responseCode;
  if (typeof responseCode === 'number') parts.push(String(responseCode));
  let message = typeof e.message === 'string' ? e.message : String(error);
  if (recipient) {
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    message = message.replace(new RegExp(escape(recipient), 'gi'), '[address]');
    const local = recipient.split('@')[0] ?? '';
    if (local.length >= 3) message = message.replace(new RegExp(escape(local), 'gi'), '[address]');
  }
  message = message.replace(URL_LIKE, '[url]').replace(EMAIL_LIKE, '[address]').replace(/\s+/g, ' ').trim();
  parts.push(message);
  return parts.join(' ').slice(0, 1000);
}
