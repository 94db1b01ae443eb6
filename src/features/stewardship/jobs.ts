/**
 * The weekly data-health digest: on Mondays at 14:00 UTC (morning in Minnesota), while any public fact
 * needs checking, every state administrator is told how many and where (no personal data).
 */
import type { Database } from '../../db/database.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { sendHealthDigest } from './service.ts';

export const HEALTH_DIGEST_JOB = 'data-health-digest';

export function healthDigestJob(
  db: Database,
  deps: { keyring: Keyring; site: SiteOrigin; timezone: string; staleMonths: number },
): { name: string; cron: string; run(now: Date): Promise<{ open: number; told: number }> } {
  return {
    name: HEALTH_DIGEST_JOB,
    cron: '0 14 * * 1',
    run: (now: Date) => sendHealthDigest({ db, ...deps }, now),
  };
}
