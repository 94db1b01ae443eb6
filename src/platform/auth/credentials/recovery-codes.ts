/**
 * Two-factor recovery codes: ten single-use codes shown once at enrolment, stored hashed.
 *
 * Each code is 10 characters from a 31-character alphabet without look-alikes (no 0/O, 1/I/L), drawn
 * with `crypto.randomInt` (uniform): 10 × log2(31) ≈ 49.5 bits each. Shown as `ABCDE-FGHJK`; typed in
 * any case, with or without the hyphen or spaces.
 *
 * Why HMAC-SHA256 with a server-side key rather than argon2: the codes are random, not chosen by people,
 * so there is no dictionary to slow down — what protects a stolen table is the key. Without it, 2^49
 * guesses are out of reach of an attacker holding only the database dump; with a slow salted hash
 * instead, a recovery attempt would cost ten argon2 verifications (one per stored code, about 0.6 s),
 * a cheap lever for tying up the server. The HMAC is computed once per attempt and compared with every
 * stored hash in constant time. The caller supplies the key (32 bytes or more, kept outside the database,
 * e.g. derived from the master key) and must use the same key to hash and to match.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A–Z without I, L, O; 2–9 (no 0, 1). */
export const RECOVERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_LENGTH = 10;
const MIN_KEY_BYTES = 32;
const HASH_BYTES = 32;
const STORED_HASH = /^[0-9a-f]{64}$/i;
const VALID_CODE = new RegExp(`^[${RECOVERY_CODE_ALPHABET}]{${RECOVERY_CODE_LENGTH}}$`);

/**
 * Ten new recovery codes, all different, formatted for display (`ABCDE-FGHJK`). Show them once; store
 * only `hashRecoveryCode` of each.
 *
 * @example
 * const codes = newRecoveryCodes(); // ['7KQ2M-XW9RT', …] (ten)
 * const hashes = codes.map((code) => hashRecoveryCode(code, key));
 */
export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    let code = '';
    for (let i = 0; i < RECOVERY_CODE_LENGTH; i++)
      code += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
    codes.add(`${code.slice(0, 5)}-${code.slice(5)}`);
  }
  return [...codes];
}

/**
 * A code as typed, reduced to its 10 characters: Unicode-normalised (NFKC, so full-width characters
 * count), upper-cased, without spaces or hyphens (or dashes). Returns undefined when what remains is
 * not a possible code.
 *
 * @example
 * normaliseRecoveryCode(' abcde fghjk '); // 'ABCDEFGHJK'
 */
export function normaliseRecoveryCode(code: string): string | undefined {
  const normalised = code
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212]+/gu, '');
  return VALID_CODE.test(normalised) ? normalised : undefined;
}

/**
 * The value to store for a recovery code: HMAC-SHA256 under `key` of the normalised code, as 64 hex
 * characters. Throws on something that is not a code (a programming error: hash what `newRecoveryCodes`
 * returned).
 *
 * @example
 * hashRecoveryCode('ABCDE-FGHJK', key) === hashRecoveryCode('abcdefghjk', key); // true
 */
export function hashRecoveryCode(code: string, key: Uint8Array): string {
  const normalised = normaliseRecoveryCode(code);
  if (normalised === undefined) throw new RangeError('Not a recovery code.');
  return hmac(normalised, key).toString('hex');
}

/**
 * Finds a typed code among the stored hashes. Every stored hash is compared, in constant time, whatever
 * matches. Returns the index of the matching hash, or -1. The caller removes (or marks used) the
 * matched hash in the same transaction, so a code works once.
 *
 * @example
 * const index = matchRecoveryCode(typed, user.recoveryCodeHashes, key);
 * if (index >= 0) await useRecoveryCode(user.id, user.recoveryCodeHashes[index]);
 */
export function matchRecoveryCode(code: string, hashes: readonly string[], key: Uint8Array): number {
  const normalised = normaliseRecoveryCode(code);
  // A malformed input ends here: that reveals only the format of codes, which is public.
  if (normalised === undefined) return -1;
  const candidate = hmac(normalised, key);
  let found = -1;
  hashes.forEach((stored, index) => {
    const wellFormed = STORED_HASH.test(stored);
    const equal = timingSafeEqual(
      candidate,
      wellFormed ? Buffer.from(stored, 'hex') : Buffer.alloc(HASH_BYTES),
    );
    if (equal && wellFormed && found === -1) found = index;
  });
  return found;
}

function hmac(normalised: string, key: Uint8Array): Buffer {
  if (key.length < MIN_KEY_BYTES)
    throw new RangeError(`A recovery-code key must be at least ${MIN_KEY_BYTES} bytes.`);
  return createHmac('sha256', key).update(`nwd recovery code v1:${normalised}`, 'utf8').digest();
}
