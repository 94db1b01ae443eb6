/**
 * How an email leaves the service: SMTP when `SMTP_URL` is set; otherwise, in local development, the
 * console (the email is printed, not sent). Bodies hold single-use links, which are secrets: they are
 * never written to the structured log.
 */
import { createTransport } from 'nodemailer';
import type { Logger } from '../log.ts';

/** One email to one person, ready to send. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/** Sends emails. `send` rejects when the message was not accepted. */
export interface MailTransport {
  readonly kind: 'smtp' | 'console' | 'unconfigured' | (string & {});
  send(email: OutgoingEmail): Promise<void>;
  close(): Promise<void>;
}

/** The transport could not be set up from configuration. The message never holds the SMTP URL. */
export class MailConfigError extends Error {
  override name = 'MailConfigError';
}

/** Delivery failed for good (the server refused the message or the recipient): do not retry. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

export interface TransportConfig {
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://user:pass@host:465`; none: console or unconfigured. */
  smtpUrl?: string | null | undefined;
  /** The From address, e.g. `No Wrong Door <no-reply@nwd.example.org>`. */
  from: string;
  log: Logger;
  /** Production: the console transport is never used, and SMTP over a network requires TLS. */
  production?: boolean;
  /** Where the console transport prints (standard output by default). */
  console?: NodeJS.WritableStream;
}

/**
 * The transport the configuration asks for: SMTP with `smtpUrl`; without it the console transport in
 * development, and in production a transport that refuses every email (so the outbox retries, then
 * marks them failed) rather than print secret links into the logs.
 *
 * @example
 * const transport = transportFromConfig({ smtpUrl: process.env.SMTP_URL, from: 'No Wrong Door <no-reply@nwd.example.org>', log });
 * await transport.send({ to: 'staff@example.org', subject, text });
 */
export function transportFromConfig(config: TransportConfig): MailTransport {
  const from = checkedFrom(config.from);
  if (config.smtpUrl) {
    return smtpTransport({
      url: config.smtpUrl,
      from,
      log: config.log,
      production: config.production ?? false,
    });
  }
  if (config.production) {
    config.log.warn('SMTP_URL is not set: emails are kept in the outbox and not sent.');
    return unconfiguredTransport();
  }
  config.log.info('SMTP_URL is not set: emails are printed to the console, not sent (development).');
  return consoleTransport({ from, out: config.console ?? process.stdout });
}

export interface SmtpOptions {
  url: string;
  from: string;
  log: Logger;
  production: boolean;
}

/**
 * An SMTP transport (nodemailer) for `smtp://` or `smtps://` URLs. In production, `smtp://` to a host
 * other than the loopback requires STARTTLS (links are secrets); `?requireTLS=false` in the URL
 * overrides it.
 *
 * @example
 * const transport = smtpTransport({ url: 'smtps://user:secret@smtp.example.org', from, log, production: true });
 */
export function smtpTransport(options: SmtpOptions): MailTransport {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new MailConfigError('SMTP_URL is not a URL (expected smtp://… or smtps://…).');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new MailConfigError('SMTP_URL must start with smtp:// or smtps://.');
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const transporter = createTransport(
    {
      url: options.url,
      requireTLS: options.production && url.protocol === 'smtp:' && !loopback,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      // Messages are plain text built here: no attachment may read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    { from: options.from },
  );
  options.log.info({ smtpHost: url.hostname, smtpPort: url.port || null }, 'Emails are sent by SMTP.');
  return {
    kind: 'smtp',
    async send(email) {
      if (/[\r\n]/.test(email.to) || /[\r\n]/.test(email.subject))
        throw new PermanentDeliveryError('The recipient and the subject must be one line each.');
      let info: { rejected?: unknown[] };
      try {
        info = await transporter.sendMail({
          to: email.to,
          subject: email.subject,
          text: email.text,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        const responseCode = (error as { responseCode?: unknown }).responseCode;
        if (typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600) {
          throw new PermanentDeliveryError(`The mail server refused the email (${responseCode}).`, {
            cause: error,
          });
        }
        throw error;
      }
      if (info.rejected && info.rejected.length > 0)
        throw new PermanentDeliveryError('The mail server refused the recipient.');
    },
    async close() {
      transporter.close();
    },
  };
}

export interface ConsoleOptions {
  from: string;
  out: NodeJS.WritableStream;
}

/**
 * Local development: prints each email (recipient, subject and body with its link) instead of sending
 * it, under a banner saying it was not sent.
 *
 * @example
 * const transport = consoleTransport({ from: 'No Wrong Door <no-reply@localhost>', out: process.stdout });
 */
export function consoleTransport(options: ConsoleOptions): MailTransport {
  return {
    kind: 'console',
    async send(email) {
      const text = [
        '',
        '==== development: email not sent ====',
        `From: ${options.from}`,
        `To: ${email.to}`,
        `Subject: ${email.subject}`,
        '',
        email.text,
        '==== end of email ====',
        '',
      ].join('\n');
      await new Promise<void>((resolve, reject) =>
        options.out.write(text, (error) => (error ? reject(error) : resolve())),
      );
    },
    async close() {},
  };
}

/**
 * Production without `SMTP_URL`: refuses every email, so it stays visible in the outbox.
 *
 * @example
 * await unconfiguredTransport().send(email); // rejects
 */
export function unconfiguredTransport(): MailTransport {
  return {
    kind: 'unconfigured',
    async send() {
      throw new Error('Email is not configured (SMTP_URL is not set): the email was not sent.');
    },
    async close() {},
  };
}

function checkedFrom(from: string): string {
  if (/[\r\n]/.test(from)) throw new MailConfigError('The From address must be one line.');
  if (!/^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(from.trim()))
    throw new MailConfigError(
      'The From address must be an email address, e.g. "No Wrong Door <no-reply@…>".',
    );
  return from.trim();
}
