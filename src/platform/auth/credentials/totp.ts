/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) for two-factor
 * sign-in, with `otplib` 13, and the enrolment QR code drawn on the server as SVG (`qrcode`).
 *
 * A code is never accepted twice: the caller stores the time step of the last accepted code
 * (`lastAcceptedStep`) and `verifyTotp` refuses that step and every earlier one. One step of clock drift
 * either way is accepted, so a code typed just as it changes still works.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_ISSUER = 'No Wrong Door';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** 160 bits, the length RFC 4226 recommends for HMAC-SHA-1 secrets. */
export const TOTP_SECRET_BYTES = 20;
/** Steps of clock drift accepted either side of the server's current step. */
export const TOTP_DRIFT_STEPS = 1;

export const QR_LABEL = 'QR code for your authenticator app';

/**
 * A new random TOTP secret: 20 bytes, base32 (32 characters, no padding), as authenticator apps expect.
 * Store it encrypted; it is shown to the person once, at enrolment.
 *
 * @example
 * const secret = newTotpSecret(); // 'HRFYQP2EL67Q73WCGTL57ENON5P4LFYI'
 */
export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/**
 * The `otpauth://totp/…` URI an authenticator app reads from the QR code. The app shows the issuer and
 * the label: pass the person's email address as they gave it and nothing more (no role, no organization).
 * Algorithm, digits and period are the authenticator defaults (SHA-1, 6, 30 s) and left out of the URI.
 *
 * @example
 * otpauthUri({ secret, accountLabel: 'synthetic.person@example.org' });
 * // 'otpauth://totp/No%20Wrong%20Door:synthetic.person%40example.org?secret=…&issuer=No%20Wrong%20Door'
 */
export function otpauthUri(options: { secret: string; accountLabel: string; issuer?: string }): string {
  const issuer = options.issuer ?? TOTP_ISSUER;
  const accountLabel = options.accountLabel.trim();
  if (!accountLabel) throw new RangeError('A TOTP account label is required.');
  return generateURI({ issuer, label: accountLabel, secret: options.secret });
}

export type TotpResult = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/**
 * Checks a code typed by the person. Spaces in the code are ignored ('123 456'). Accepts the current
 * time step and one step either side; refuses any step at or before `lastAcceptedStep`.
 *
 * On `{ ok: true, step }` the caller must store `step` as the new `lastAcceptedStep` in the same
 * transaction that signs the person in (with a conditional update, `WHERE last_step IS NULL OR
 * last_step < step`, so two concurrent requests with the same code cannot both succeed).
 *
 * `'replayed'` means the code was right but its step has been used; show the same message as for a
 * wrong code (the person should wait for the next code).
 *
 * @example
 * const result = await verifyTotp({ secret, token: '123456', lastAcceptedStep: user.totpLastStep });
 * if (result.ok) await saveLastStep(user.id, result.step);
 */
export async function verifyTotp(options: {
  secret: string;
  token: string;
  lastAcceptedStep: number | null;
  now?: Date;
}): Promise<TotpResult> {
  const { secret, lastAcceptedStep } = options;
  if (lastAcceptedStep !== null && !(Number.isSafeInteger(lastAcceptedStep) && lastAcceptedStep >= 0)) {
    throw new RangeError('lastAcceptedStep must be null or a non-negative integer.');
  }
  const epoch = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isFinite(epoch) || epoch < 0) throw new RangeError('now must be a valid date.');
  const token = options.token.replace(/\s+/gu, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'invalid' };

  const window = { secret, token, epoch, epochTolerance: TOTP_DRIFT_STEPS * TOTP_PERIOD_SECONDS };
  const latestStep = Math.floor(epoch / TOTP_PERIOD_SECONDS) + TOTP_DRIFT_STEPS;
  // otplib throws when afterTimeStep lies beyond the window; then no step in the window is still unused.
  if (lastAcceptedStep === null || lastAcceptedStep <= latestStep) {
    const fresh = await verify({
      ...window,
      ...(lastAcceptedStep === null ? {} : { afterTimeStep: lastAcceptedStep }),
    });
    if (fresh.valid && 'timeStep' in fresh) return { ok: true, step: fresh.timeStep };
  }
  if (lastAcceptedStep !== null) {
    const any = await verify(window);
    if (any.valid) return { ok: false, reason: 'replayed' };
  }
  return { ok: false, reason: 'invalid' };
}

/**
 * The current code for a secret (or the code at `now`). For tests and for local development only: the
 * server never needs to show a code.
 *
 * @example
 * const token = await totpCodeAt(secret, new Date('2030-01-01T00:00:00Z'));
 */
export async function totpCodeAt(secret: string, now: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
}

/**
 * The QR code for an `otpauth://` URI as an SVG string, to place inline in the enrolment page. It draws
 * with `fill`/`stroke` attributes only — no `style` attributes, scripts or external references — so it
 * works under a Content Security Policy without 'unsafe-inline'. It has `role="img"`, an `aria-label`
 * and a `<title>`. Error correction level M; a two-module quiet zone.
 *
 * @example
 * const svg = await totpQrSvg(otpauthUri({ secret, accountLabel: email }));
 * // '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="QR code for your authenticator app" …'
 */
export async function totpQrSvg(uri: string, options: { size?: number } = {}): Promise<string> {
  const size = options.size ?? 240;
  if (!Number.isSafeInteger(size) || size < 64 || size > 2048) throw new RangeError('size must be 64–2048.');
  const raw = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: size });
  const opening = '<svg xmlns="http://www.w3.org/2000/svg" ';
  if (!raw.startsWith(opening)) throw new Error('qrcode produced an SVG of an unexpected shape.');
  const svg =
    `${opening}role="img" aria-label="${QR_LABEL}" ` +
    raw.slice(opening.length).replace(/>/, `><title>${QR_LABEL}</title>`).trim();
  // The output is fixed markup plus path data; refuse anything a strict CSP would block or that loads.
  if (/<script|\sstyle\s*=|<style|href\s*=|\son[a-z]+\s*=|url\(/i.test(svg)) {
    throw new Error('qrcode produced an SVG with scripts, styles or references.');
  }
  return svg;
}
