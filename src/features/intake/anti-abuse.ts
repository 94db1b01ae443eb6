/**
 * Holding off abuse of the public intake forms without a third party and without a cookie:
 *
 * - a **time token** in each form: the moment it was shown, signed with an HMAC under a keyring index
 *   key (the staff side's pre-session token, with a purpose of its own). A form sent sooner than a
 *   person could fill it, or hours after it was shown, is not accepted as it is; a forged or missing
 *   token is refused. Each token is accepted once, so a refreshed confirmation page or a replayed post
 *   creates nothing twice;
 * - a **honeypot**: a field people never see (the `hidden` attribute) that scripts filling every field
 *   fill in;
 * - **rate limits** per client address, in PostgreSQL through the platform's limiter, which stores only
 *   a keyed hash of the address;
 * - a form posted from another site (the browser's `Sec-Fetch-Site: cross-site`) is refused.
 *
 * Nothing here logs what was typed.
 */
import type { Context } from 'hono';
import type { Database } from '../../db/database.ts';
import { clientAddress as clientAddressOf } from '../../platform/client-address.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { addressKey, hit, type RateLimitResult } from '../../platform/rate-limit/index.ts';
import { sameSecret } from '../../platform/crypto/secrets.ts';

/** The forms that carry a time token; the name is signed, so a token works only for its own form. */
export type FormName = 'contact-me' | 'refer' | 'event-registration';

export const FORM_TOKEN_FIELD = 'form_token';
/** The honeypot's name: something a form-filling script is glad to fill in. */
export const HONEYPOT_FIELD = 'website';

const TOKEN_PURPOSE = 'intake-form-token';

export interface FormTokenTiming {
  /** A form sent sooner than this after it was shown was not filled in by a person. */
  minAgeMs: number;
  /** A form shown longer ago than this is shown again with a fresh token. */
  maxAgeMs: number;
}

export const DEFAULT_FORM_TOKEN_TIMING: Readonly<FormTokenTiming> = {
  minAgeMs: 3_000,
  maxAgeMs: 4 * 60 * 60 * 1000,
};

let timing: FormTokenTiming = { ...DEFAULT_FORM_TOKEN_TIMING };

/** The timing in force. */
export function formTokenTiming(): Readonly<FormTokenTiming> {
  return timing;
}

/**
 * Changes the timing for this process (a browser test shortens the minimum; nothing else should).
 *
 * @example
 * configureFormTokenTiming({ minAgeMs: 200 });
 */
export function configureFormTokenTiming(change: Partial<FormTokenTiming>): void {
  const next = { ...timing, ...change };
  if (!(next.minAgeMs >= 0 && next.maxAgeMs > next.minAgeMs && next.maxAgeMs <= 24 * 60 * 60 * 1000))
    throw new RangeError('A form token needs 0 ≤ minimum < maximum ≤ 24 hours.');
  timing = next;
}

const mac = (keyring: Keyring, form: FormName, stamp: string) =>
  keyring.blindIndex(TOKEN_PURPOSE, `${form}:${stamp}`);

/**
 * A time token for `form`, shown at `now`: `<time in base 36>.<HMAC>`.
 *
 * @example
 * await issueFormToken(deps.keyring, 'contact-me') // 'm3k2x1ab.9f2c…' (32 hex after the dot)
 */
export async function issueFormToken(keyring: Keyring, form: FormName, now = new Date()): Promise<string> {
  const stamp = now.getTime().toString(36);
  return `${stamp}.${await mac(keyring, form, stamp)}`;
}

export type FormTokenCheck = 'ok' | 'too_fast' | 'expired' | 'invalid';

/**
 * Whether a submitted token is genuine and of the right age.
 *
 * @example
 * await checkFormToken(deps.keyring, 'contact-me', token) // 'ok' | 'too_fast' | 'expired' | 'invalid'
 */
export async function checkFormToken(
  keyring: Keyring,
  form: FormName,
  token: string,
  now = new Date(),
): Promise<FormTokenCheck> {
  const m = /^([0-9a-z]{1,12})\.([0-9a-f]{32})$/.exec(token);
  if (!m) return 'invalid';
  const [, stamp = '', signature = ''] = m;
  if (!sameSecret(signature, await mac(keyring, form, stamp))) return 'invalid';
  const age = now.getTime() - parseInt(stamp, 36);
  // A token from the future (clocks of several instances differ a little) is forged or broken.
  if (!Number.isFinite(age) || age < -60_000) return 'invalid';
  if (age < timing.minAgeMs) return 'too_fast';
  if (age > timing.maxAgeMs) return 'expired';
  return 'ok';
}

/**
 * Marks a token as used; true the first time, false when it was used before (a refresh of the
 * confirmation, a replay). Kept as a rate-limit counter of limit 1 over the token's lifetime, so only a
 * keyed hash of the token is stored and it is pruned with the other counters.
 */
export async function firstUseOfToken(db: Database, token: string, now = new Date()): Promise<boolean> {
  const result = await hit(db, {
    bucket: 'intake.form-token-used',
    key: token,
    limit: 1,
    windowSeconds: Math.ceil(timing.maxAgeMs / 1000) + 60,
    now,
  });
  return result.allowed;
}

/** True when the honeypot holds anything: a person never sees it. */
export function honeypotFilled(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined;
}

/** Sends of an intake form (a referral, a consultation, a request to be contacted) per address. */
export const SUBMIT_LIMIT = { bucket: 'intake.submit', limit: 10, windowSeconds: 60 * 60 } as const;
/** Reference-code look-ups per address. */
export const STATUS_LIMIT = { bucket: 'intake.status', limit: 20, windowSeconds: 10 * 60 } as const;

/**
 * The key a request is counted under: the client address (behind a trusted proxy, the visitor's own;
 * see docs/deployment.md) as `addressKey` normalises it (an IPv6 client by its /64).
 */
export function clientAddress(c: Context): string {
  return addressKey(clientAddressOf(c));
}

/**
 * Counts one request under `limit` for the request's client address.
 *
 * @example
 * const r = await countRequest(deps.db, c, SUBMIT_LIMIT);
 * if (!r.allowed) return slowDownPage(c, r);
 */
export function countRequest(
  db: Database,
  c: Context,
  limit: typeof SUBMIT_LIMIT | typeof STATUS_LIMIT,
  now?: Date,
): Promise<RateLimitResult> {
  return hit(db, { ...limit, key: clientAddress(c), now });
}

/** A form posted from another site, by the browser's own account (absent headers are not refused). */
export function postedFromAnotherSite(c: Context): boolean {
  return c.req.header('Sec-Fetch-Site') === 'cross-site';
}
