/**
 * What the referral pages share: a status in words (with its reason), and one labelled value.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { ReferralStatus } from '../../cases/index.ts';
import { STATUS_NAMES, reasonLabel } from '../rules.ts';

export function statusText(
  deps: AppDeps,
  r: { status: ReferralStatus; statusReason: string | null },
): string {
  const reason = reasonLabel(r.status, r.statusReason, deps.rules.vocabularies.declineReasons);
  return reason ? `${STATUS_NAMES[r.status]}: ${reason}` : STATUS_NAMES[r.status];
}

export const Field: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) => (
  <div>
    <dt>{label}</dt>
    <dd>{value === null || value === undefined || value === '' ? 'Not given' : value}</dd>
  </div>
);
