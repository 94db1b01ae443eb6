/**
 * What the features get from the application: the database, the cached geography, the keyring that
 * encrypts personal data, the public origin for links, configuration and the logger, and the registry
 * where each route declares who may call it.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { GeographyCache } from './features/help/queries.ts';
import type { Keyring } from './platform/crypto/index.ts';
import type { Logger } from './platform/log.ts';
import type { PackRules } from './pack/rules.ts';
import type { SiteOrigin } from './platform/mail/index.ts';
import type { PolicyRegistry } from './platform/policy.ts';
import type { PageFrame } from './web/public-layout.tsx';
import type { Context } from 'hono';
import { translator } from './platform/i18n/index.ts';
import { pagePath } from './web/language.ts';

export interface AppDeps {
  db: Database;
  geography: GeographyCache;
  /** The pack's rules: the pathway's rules and the business calendar (holidays, time zone). */
  rules: PackRules;
  /** Data keys and blind-index keys under the master key: `encryptField(deps.keyring, …)`. */
  keyring: Keyring;
  /**
   * The service's public origin, for links in emails (`enqueueEmail(trx, deps.keyring, email, deps.site)`).
   * Read it when the link is made: without NWD_PUBLIC_URL in development it is set once the port is known.
   */
  site: SiteOrigin;
  /**
   * `caseRetentionDays` unset: the default (NWD_CASE_RETENTION_DAYS's, 2555 days). `trustedProxies`
   * unset: no proxy is trusted, the socket's address is the client's. `apiRateLimit` unset: the defaults.
   */
  config: Pick<Config, 'quickExitUrl' | 'production'> &
    Partial<
      Pick<
        Config,
        | 'caseRetentionDays'
        | 'dataStaleMonths'
        | 'housingStaleHours'
        | 'settingTrainingDays'
        | 'trainingDueDays'
        | 'shelterHoldMinutes'
        | 'shelterEscalateMinutes'
        | 'smallNumberThreshold'
        | 'trustedProxies'
        | 'trustedProxyHeader'
        | 'apiRateLimit'
      >
    >;
  log: Logger;
  /** Set while the instance shuts down, so the load balancer stops sending it requests. */
  lifecycle: { draining: boolean };
}

export type App = OpenAPIHono;

export interface Feature {
  (app: App, deps: AppDeps, policies: PolicyRegistry): void;
}

export function frameFor(c: Context, deps: AppDeps): PageFrame {
  const geo = deps.geography.get();
  return {
    nonce: c.get('nonce'),
    t: translator(c.get('locale') ?? 'en'),
    path: pagePath(c),
    quickExitUrl: deps.config.quickExitUrl,
    emergency: geo.emergencyLine,
    statewide: geo.statewideLine,
  };
}
