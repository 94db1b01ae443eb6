/**
 * Configuration from the environment, validated once at start. Anything wrong stops the process with
 * a message naming the variable, rather than failing later in a request. Secrets (master keys, the SMTP
 * URL with its password) are kept in a `ConfigSecrets` that never prints or serialises its values.
 */
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';
import { FORWARDING_HEADERS, TrustedProxies, type ForwardingHeader } from './platform/client-address.ts';
import { parseMasterKey } from './platform/crypto/master-key.ts';
import { siteOrigin } from './platform/mail/templates.ts';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** A master key (or a comma-separated list of them) that parses; the message never holds the value. */
function masterKeyVariable(list = false) {
  return optionalText.superRefine((value, ctx) => {
    if (value === undefined) return;
    const parts = list ? value.split(',').filter((p) => p.trim() !== '') : [value];
    parts.forEach((part, i) => {
      try {
        parseMasterKey(part, list ? `entry ${i + 1}` : 'the value');
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });
  });
}

// The same rule as the mail transport's: `Name <address@host>` or `address@host`, one line.
const MAIL_FROM = /^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  NWD_DATA_DIR: z.string().min(1).default('./data'),
  NWD_PACK: z.string().min(1).default('./data/mn'),
  NWD_QUICK_EXIT_URL: z.string().url().default('https://www.weather.gov/'),
  NWD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  NWD_MASTER_KEY: masterKeyVariable(),
  NWD_MASTER_KEY_FILE: optionalText,
  NWD_PREVIOUS_MASTER_KEYS: masterKeyVariable(true),
  NWD_NEW_MASTER_KEY: masterKeyVariable(),
  NWD_PUBLIC_URL: optionalText,
  SMTP_URL: optionalText.refine(
    (v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v),
    'an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.org',
  ),
  NWD_MAIL_FROM: z
    .string()
    .trim()
    .regex(MAIL_FROM, 'an email address, e.g. "No Wrong Door <no-reply@nwd.example.org>"')
    .default('No Wrong Door <no-reply@localhost>'),
  NWD_ESCALATE_AFTER_BUSINESS_HOURS: z.coerce
    .number()
    .positive('a number of business hours above 0, e.g. 4')
    .max(200, 'at most 200 business hours')
    .default(4),
  NWD_ESCALATE_TO_STATE_AFTER_HOURS: z.coerce
    .number()
    .positive('a number of hours above 0, e.g. 24')
    .max(720, 'at most 720 hours')
    .default(24),
  NWD_CASE_RETENTION_DAYS: z.coerce
    .number()
    .int('a whole number of days, e.g. 2555 (7 years)')
    .min(30, 'at least 30 days')
    .max(36500, 'at most 36500 days (100 years)')
    .default(2555),
  NWD_DATA_STALE_MONTHS: z.coerce
    .number()
    .int('a whole number of months, e.g. 12')
    .min(1, 'at least 1 month')
    .max(120, 'at most 120 months')
    .default(12),
  NWD_HOUSING_STALE_HOURS: z.coerce
    .number()
    .positive('a number of hours above 0, e.g. 24')
    .max(720, 'at most 720 hours')
    .default(24),
  NWD_SETTING_TRAINING_DAYS: z.coerce
    .number()
    .int('a whole number of days, e.g. 30')
    .positive('a number of days above 0, e.g. 30')
    .max(365, 'at most 365 days')
    .default(30),
  NWD_TRAINING_DUE_DAYS: z.coerce
    .number()
    .int('a whole number of days, e.g. 90')
    .positive('a number of days above 0, e.g. 90')
    .max(3650, 'at most 3650 days')
    .default(90),
  NWD_SHELTER_HOLD_MINUTES: z.coerce
    .number()
    .int('a whole number of minutes, e.g. 120')
    .min(15, 'at least 15 minutes')
    .max(1440, 'at most 1440 minutes')
    .default(120),
  NWD_SHELTER_ESCALATE_MINUTES: z.coerce
    .number()
    .int('a whole number of minutes, e.g. 30')
    .min(5, 'at least 5 minutes')
    .max(1440, 'at most 1440 minutes')
    .default(30),
  NWD_SMALL_NUMBER_THRESHOLD: z.coerce
    .number()
    .int('a whole number, e.g. 10')
    .min(2, 'at least 2')
    .max(100, 'at most 100')
    .default(10),
  NWD_TASK_REMIND_BEFORE_HOURS: z.coerce
    .number()
    .min(0, 'a number of hours, 0 or more (0 reminds at the due time), e.g. 24')
    .max(720, 'at most 720 hours')
    .default(24),
  NWD_TASK_ESCALATE_AFTER_BUSINESS_HOURS: z.coerce
    .number()
    .positive('a number of business hours above 0, e.g. 4')
    .max(200, 'at most 200 business hours')
    .default(4),
  NWD_REFERRAL_REMIND_AFTER_BUSINESS_DAYS: z.coerce
    .number()
    .int('a whole number of business days, e.g. 2')
    .min(1, 'at least 1 business day')
    .max(30, 'at most 30 business days')
    .default(2),
  NWD_REFERRAL_ESCALATE_AFTER_BUSINESS_DAYS: z.coerce
    .number()
    .int('a whole number of business days, e.g. 2')
    .min(1, 'at least 1 business day')
    .max(30, 'at most 30 business days')
    .default(2),
  NWD_TRUSTED_PROXIES: optionalText.superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      TrustedProxies.parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  NWD_TRUSTED_PROXY_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(FORWARDING_HEADERS, { message: 'x-forwarded-for or forwarded' }))
    .default('x-forwarded-for'),
  NWD_API_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  NWD_API_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  NWD_API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

/** Names of the environment variables whose values are secrets. */
export type SecretName = 'NWD_MASTER_KEY' | 'NWD_PREVIOUS_MASTER_KEYS' | 'NWD_NEW_MASTER_KEY' | 'SMTP_URL';

/**
 * Secret settings. The values live in a private field: logging, `JSON.stringify` or `inspect` of the
 * configuration shows `[secrets]`, never a key or a password.
 */
export class ConfigSecrets {
  readonly #values: Readonly<Record<SecretName, string | undefined>>;

  constructor(values: Partial<Record<SecretName, string | undefined>> = {}) {
    this.#values = Object.freeze({
      NWD_MASTER_KEY: values.NWD_MASTER_KEY,
      NWD_PREVIOUS_MASTER_KEYS: values.NWD_PREVIOUS_MASTER_KEYS,
      NWD_NEW_MASTER_KEY: values.NWD_NEW_MASTER_KEY,
      SMTP_URL: values.SMTP_URL,
    });
  }

  get(name: SecretName): string | undefined {
    return this.#values[name];
  }

  /** The master-key variables, in the shape `loadOrCreateMasterKey` and `loadPreviousMasterKeys` read. */
  masterKeyEnv(): Readonly<Record<string, string | undefined>> {
    const { NWD_MASTER_KEY, NWD_PREVIOUS_MASTER_KEYS, NWD_NEW_MASTER_KEY } = this.#values;
    return { NWD_MASTER_KEY, NWD_PREVIOUS_MASTER_KEYS, NWD_NEW_MASTER_KEY };
  }

  toJSON(): string {
    return '[secrets]';
  }

  [inspect.custom](): string {
    return 'ConfigSecrets([secrets])';
  }
}

export interface Config {
  port: number;
  host: string;
  /** Null means: run the bundled PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  packDir: string;
  quickExitUrl: string;
  dbPoolSize: number;
  /** The master key file (`NWD_MASTER_KEY_FILE`, default `<dataDir>/master.key`), used unless NWD_MASTER_KEY is set. */
  masterKeyFile: string;
  /**
   * The public origin for links in emails (`NWD_PUBLIC_URL`, e.g. `https://nwd.example.org`). Null in
   * development when unset: `http://localhost:<the port the server listens on>`.
   */
  publicUrl: string | null;
  /** The From address of emails. */
  mailFrom: string;
  /** Master keys and the SMTP URL. */
  secrets: ConfigSecrets;
  /**
   * When an unclaimed referral escalates: to all of its region's navigators after `afterBusinessHours`
   * business hours, to the state administrators after `toStateAfterHours` clock hours (weekends
   * included).
   */
  escalation: { afterBusinessHours: number; toStateAfterHours: number };
  /** Days a closed case is kept before its data key is destroyed (`NWD_CASE_RETENTION_DAYS`). */
  caseRetentionDays: number;
  /** A public fact not checked for this many months shows on the data-health page (`NWD_DATA_STALE_MONTHS`). */
  dataStaleMonths: number;
  /** A housing program's beds available older than this many hours show as stale, and it is reminded (`NWD_HOUSING_STALE_HOURS`). */
  housingStaleHours: number;
  /**
   * A certified setting's direct-contact staff member who started more than this many days ago without
   * the 5-module training shows as overdue (`NWD_SETTING_TRAINING_DAYS`, default 30: a local default,
   * not from a source — check it against the commissioner's timeline).
   */
  settingTrainingDays: number;
  /**
   * Days after a person's start when a required training is due, for a rule that gives no number of days
   * (`NWD_TRAINING_DUE_DAYS`, default 90: a local default, not from a source).
   */
  trainingDueDays: number;
  /** How long an offer of a shelter holds its bed, in minutes (`NWD_SHELTER_HOLD_MINUTES`, default 120). */
  shelterHoldMinutes: number;
  /** A shelter request nobody answered in this many minutes escalates (`NWD_SHELTER_ESCALATE_MINUTES`, default 30). */
  shelterEscalateMinutes: number;
  /** Reports hide every count from 1 to this less one (`NWD_SMALL_NUMBER_THRESHOLD`, default 10). */
  smallNumberThreshold: number;
  /**
   * Tasks: the assignee is reminded `remindBeforeHours` before the due time (0: at it); an overdue task
   * is escalated to the region's other navigators `escalateAfterBusinessHours` business hours after it.
   */
  tasks: { remindBeforeHours: number; escalateAfterBusinessHours: number };
  /**
   * A sent referral without an answer: its organization is reminded after `remindAfterBusinessDays`
   * business days, and the sending region told `escalateAfterBusinessDays` business days after that.
   */
  referrals: { remindAfterBusinessDays: number; escalateAfterBusinessDays: number };
  /**
   * The load balancers and reverse proxies whose forwarding header names the client
   * (`NWD_TRUSTED_PROXIES`, normalised CIDRs); empty: the socket's address is the client's.
   */
  trustedProxies: string[];
  /** The header those proxies write (`NWD_TRUSTED_PROXY_HEADER`). */
  trustedProxyHeader: ForwardingHeader;
  /** Requests to /api/v1 per window, per bearer token and per client address (`NWD_API_RATE_LIMIT_*`). */
  apiRateLimit: { perToken: number; perAddress: number; windowSeconds: number };
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  production: boolean;
}

export class ConfigError extends Error {}

/** Checks NWD_PUBLIC_URL: an origin (no path), https, or http on a loopback host in development. */
function publicOrigin(value: string, production: boolean): string {
  const invalid = (why: string) => new ConfigError(`Configuration is not valid:\n  NWD_PUBLIC_URL: ${why}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('not a URL (expected e.g. https://nwd.example.org).');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw invalid('the public origin only (scheme, host and port), without a path, query or fragment.');
  }
  try {
    return siteOrigin({ origin: url.toString(), development: !production });
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

/**
 * @example
 * loadConfig({ PORT: '8080' }).port // 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration is not valid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.NWD_PUBLIC_URL === undefined) {
    throw new ConfigError(
      'Configuration is not valid:\n  NWD_PUBLIC_URL: required when NODE_ENV=production: the https origin ' +
        'staff reach the service at, used for the links in emails (e.g. https://nwd.example.org).',
    );
  }
  const dataDir = resolve(e.NWD_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir,
    packDir: resolve(e.NWD_PACK),
    quickExitUrl: e.NWD_QUICK_EXIT_URL,
    dbPoolSize: e.NWD_DB_POOL_SIZE,
    masterKeyFile: e.NWD_MASTER_KEY_FILE ? resolve(e.NWD_MASTER_KEY_FILE) : join(dataDir, 'master.key'),
    publicUrl: e.NWD_PUBLIC_URL === undefined ? null : publicOrigin(e.NWD_PUBLIC_URL, production),
    mailFrom: e.NWD_MAIL_FROM,
    secrets: new ConfigSecrets({
      NWD_MASTER_KEY: e.NWD_MASTER_KEY,
      NWD_PREVIOUS_MASTER_KEYS: e.NWD_PREVIOUS_MASTER_KEYS,
      NWD_NEW_MASTER_KEY: e.NWD_NEW_MASTER_KEY,
      SMTP_URL: e.SMTP_URL,
    }),
    escalation: {
      afterBusinessHours: e.NWD_ESCALATE_AFTER_BUSINESS_HOURS,
      toStateAfterHours: e.NWD_ESCALATE_TO_STATE_AFTER_HOURS,
    },
    caseRetentionDays: e.NWD_CASE_RETENTION_DAYS,
    dataStaleMonths: e.NWD_DATA_STALE_MONTHS,
    housingStaleHours: e.NWD_HOUSING_STALE_HOURS,
    settingTrainingDays: e.NWD_SETTING_TRAINING_DAYS,
    trainingDueDays: e.NWD_TRAINING_DUE_DAYS,
    shelterHoldMinutes: e.NWD_SHELTER_HOLD_MINUTES,
    shelterEscalateMinutes: e.NWD_SHELTER_ESCALATE_MINUTES,
    smallNumberThreshold: e.NWD_SMALL_NUMBER_THRESHOLD,
    tasks: {
      remindBeforeHours: e.NWD_TASK_REMIND_BEFORE_HOURS,
      escalateAfterBusinessHours: e.NWD_TASK_ESCALATE_AFTER_BUSINESS_HOURS,
    },
    referrals: {
      remindAfterBusinessDays: e.NWD_REFERRAL_REMIND_AFTER_BUSINESS_DAYS,
      escalateAfterBusinessDays: e.NWD_REFERRAL_ESCALATE_AFTER_BUSINESS_DAYS,
    },
    trustedProxies:
      e.NWD_TRUSTED_PROXIES === undefined ? [] : TrustedProxies.parse(e.NWD_TRUSTED_PROXIES).cidrs,
    trustedProxyHeader: e.NWD_TRUSTED_PROXY_HEADER,
    apiRateLimit: {
      perToken: e.NWD_API_RATE_LIMIT_PER_TOKEN,
      perAddress: e.NWD_API_RATE_LIMIT_PER_ADDRESS,
      windowSeconds: e.NWD_API_RATE_LIMIT_WINDOW_SECONDS,
    },
    logLevel: e.LOG_LEVEL,
    production,
  };
}
