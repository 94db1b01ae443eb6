/**
 * The email outbox: typed templates that keep personal data out of emails, an outbox table written in
 * the caller's transaction, delivery safe across instances, and SMTP or console transports.
 */
export {
  EMAIL_TEMPLATES,
  EmailContentError,
  PERSONAL_DATA_KEYS,
  assertNoPersonalDataKeys,
  isPersonalDataKey,
  renderEmail,
  siteOrigin,
  subjectOf,
  type EmailTemplateName,
  type EmailTemplateParams,
  type RenderedEmail,
  type SiteOrigin,
} from './templates.ts';
export {
  deliverPending,
  describeFailure,
  enqueueEmail,
  retryDelayMs,
  type DeliveryOptions,
  type DeliveryReport,
  type EmailToSend,
} from './outbox.ts';
export {
  MailConfigError,
  PermanentDeliveryError,
  consoleTransport,
  smtpTransport,
  transportFromConfig,
  unconfiguredTransport,
  type MailTransport,
  type OutgoingEmail,
  type TransportConfig,
} from './transport.ts';
export { mailDb, type EmailOutboxTable, type EmailStatus, type MailTables } from './tables.ts';
