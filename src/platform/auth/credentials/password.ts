/**
 * Passwords, following NIST SP 800-63B (§3.1.1 of the 2024 revision, "memorized secrets"):
 *
 * - stored as argon2id hashes (`@node-rs/argon2`: a prebuilt binary in a platform package, no install
 *   script; the `argon2` package's binary crashes on Node 20 on these machines);
 * - Unicode-normalised (NFKC) before hashing and before every check, so the same password typed on
 *   another keyboard or pasted from another application still matches;
 * - new passwords: at least 12 and at most 128 characters (code points), no composition rules, and not on
 *   a list of common and breached passwords, not built from the person's email address or name or the
 *   service's name, not just a repeated or sequential run of characters, and not quick to guess by the
 *   patterns attackers try first (keyboard walks, repeats, sequences, common words, words about the
 *   service), estimated as zxcvbn does. Spaces are ordinary characters, so passphrases and password
 *   managers (paste) work.
 *
 * Sign-in pairs `verifyPassword` with `burnVerification` for unknown accounts, so an unknown email costs
 * the same time as a wrong password and the answer does not reveal which accounts exist.
 */
import { createRequire } from 'node:module';
import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import type * as LanguageCommon from '@zxcvbn-ts/language-common';
import { estimateGuesses, MIN_GUESSES, type GuessEstimate, type Pattern } from './guess-estimate.ts';

export { estimateGuesses, MIN_GUESSES, type GuessEstimate } from './guess-estimate.ts';

/**
 * argon2id parameters. Measured on this project's machine (AMD EPYC, 2 CPUs, Node 20.20.2) with
 * `node bin/run-ts.js src/platform/auth/credentials/calibrate.ts 15`: m=64 MiB, t=3, p=1 costs a median
 * of 59–64 ms per hash (m=64 MiB t=4: 82–84 ms; m=46 MiB t=4: 61–67 ms; m=19 MiB t=2, the library
 * default: 11–18 ms). Target 50–100 ms. One thread per hash (p=1) leaves the other CPU to serve requests
 * while a sign-in hashes; 64 MiB per hash bounds memory to 256 MiB with libuv's four worker threads.
 *
 * Changing a value makes `needsRehash` true for existing hashes: rehash at the next successful sign-in
 * (the password is in hand then), and regenerate `DUMMY_HASH` (a test checks it matches).
 */
export const ARGON2_PARAMS: Readonly<{
  algorithm: Algorithm;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  outputLen: number;
}> = Object.freeze({
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a `const enum`, which isolatedModules cannot read)
  memoryCost: 64 * 1024, // KiB
  timeCost: 3,
  parallelism: 1,
  outputLen: 32,
});

/** Argon2 version 0x13 as `parseOptions` reports it (`Version.V0x13`). */
const ARGON2_VERSION_0X13 = 1;

/**
 * An argon2id hash, with `ARGON2_PARAMS`, of a random password that was thrown away: nothing matches it.
 * `burnVerification` verifies against it so that a sign-in for an unknown account costs what a wrong
 * password costs.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=1$CPDm0MKtlnRpsYDx4saPzA$zSMNt/yWqUtT8T6nvdZAqYBrz6vrs4tlkxyhEtTlAFo';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
/**
 * Longer input is refused at sign-in without being hashed against the stored hash (no stored password can
 * be longer than `MAX_PASSWORD_LENGTH`); it still costs one dummy verification.
 */
const MAX_VERIFY_INPUT = 8 * MAX_PASSWORD_LENGTH; // UTF-16 units, before normalisation: room for decomposed forms

function normalise(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Hashes a password with argon2id and `ARGON2_PARAMS` (a fresh random salt each time). Check a new
 * password with `checkNewPassword` first.
 *
 * @returns the PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), about 100 characters, to store.
 * @example
 * const stored = await hashPassword('maple canoe lantern drift');
 * // '$argon2id$v=19$m=65536,t=3,p=1$…'
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2_PARAMS);
}

/**
 * Checks a password against a stored hash. The comparison is constant-time (inside the library); the
 * cost is that of one hash with the parameters recorded in `storedHash`. Throws if `storedHash` is not an
 * argon2 PHC string (damaged data, not a wrong password).
 *
 * @example
 * if (await verifyPassword(user.passwordHash, submitted)) {
 *   if (needsRehash(user.passwordHash)) user.passwordHash = await hashPassword(submitted);
 * }
 */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_VERIFY_INPUT) return burnVerification();
  try {
    return await verify(storedHash, normalise(password));
  } catch {
    // A stored value that is not an argon2 hash (a damaged or imported row) matches nothing.
    return burnVerification();
  }
}

/**
 * Spends the time of one password verification and answers `false`. Call it when the account is unknown
 * (or disabled), so every failed sign-in takes the same time.
 *
 * @example
 * const ok = user ? await verifyPassword(user.passwordHash, submitted) : await burnVerification(submitted);
 */
export async function burnVerification(password = 'no account'): Promise<false> {
  await verify(DUMMY_HASH, normalise(password.slice(0, MAX_VERIFY_INPUT)));
  return false;
}

/**
 * True when a stored hash was made with other parameters than `ARGON2_PARAMS` (or another algorithm, or
 * is not a hash at all). Rehash after the next successful sign-in.
 *
 * @example
 * needsRehash('$argon2id$v=19$m=19456,t=2,p=1$…'); // true: weaker than ARGON2_PARAMS
 */
export function needsRehash(storedHash: string): boolean {
  let used;
  try {
    used = parseOptions(storedHash);
  } catch {
    return true;
  }
  return (
    used.algorithm !== ARGON2_PARAMS.algorithm ||
    used.version !== ARGON2_VERSION_0X13 ||
    used.memoryCost !== ARGON2_PARAMS.memoryCost ||
    used.timeCost !== ARGON2_PARAMS.timeCost ||
    used.parallelism !== ARGON2_PARAMS.parallelism ||
    used.outputLen !== ARGON2_PARAMS.outputLen
  );
}

// ---------------------------------------------------------------------------------------------------
// Choosing a new password
// ---------------------------------------------------------------------------------------------------

export type PasswordCheck = { ok: true } | { ok: false; reason: string };

export interface PasswordContext {
  /** The person's email address, as they gave it. */
  email?: string;
  /** The person's name as shown in the service. */
  displayName?: string;
}

const SUGGESTION = 'Choose another — a few unrelated words work well.';
export const PASSWORD_REASONS = Object.freeze({
  tooShort: `Use at least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words, with spaces if you like, are easy to remember and hard to guess.`,
  tooLong: `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
  trivial: `This password is only repeated or sequential characters, which attackers try first. ${SUGGESTION}`,
  common: `This password is on a list of passwords that attackers try first. ${SUGGESTION}`,
  commonWithAdditions: `This password is a common password with a few characters added, which attackers try first. ${SUGGESTION}`,
  personal: `This password contains part of your email address or name, which someone who knows you could guess. ${SUGGESTION}`,
  service: `This password contains the name of this service, which attackers try first. ${SUGGESTION}`,
  serviceWords: `This password is mostly a word about this service or its work (such as "trafficking") with little added, which attackers try first. ${SUGGESTION}`,
  keyboard: `This password follows keys that sit next to each other on a keyboard (such as "qwerty" or "asdf"), which attackers try first. ${SUGGESTION}`,
  repetitive: `This password is mostly repeated or sequential characters (such as "aaaa" or "1234"), which attackers try first. ${SUGGESTION}`,
  commonWords: `This password is made of a common word or password with little added, which attackers try first. Add two or three more unrelated words, or choose another.`,
  guessable: `This password would be quick to guess. Make it longer — a few unrelated words, with spaces if you like, work well.`,
});

/** The service's and programme's names, letters only, lower case. */
const SERVICE_WORDS = ['nowrongdoor', 'safeharbor'];
/** Parts of the email address or name shorter than this are not refused (too many passphrases hold them). */
const MIN_PERSONAL_PART = 4;
/** A common password counts inside a longer one ("dragon2024!!") only when at least this long. */
const MIN_COMMON_CORE = 4;

let commonSet: ReadonlySet<string> | undefined;

/**
 * The bundled list of common and breached passwords (lower-cased): `passwords-common` from
 * `@zxcvbn-ts/language-common` (see `data/passwords/README.md`), read from the package at first use.
 *
 * @example
 * commonPasswords().has('letmein'); // true
 */
export function commonPasswords(): ReadonlySet<string> {
  if (!commonSet) {
    // Loaded on first use: the package decompresses its lists (about 50 ms) when it is required.
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof LanguageCommon;
    const list = dictionary['passwords-common'];
    if (!Array.isArray(list) || list.length < 10_000) {
      throw new Error('@zxcvbn-ts/language-common no longer provides its passwords-common list.');
    }
    commonSet = new Set(list.map((entry) => entry.normalize('NFKC').toLowerCase()));
  }
  return commonSet;
}

/**
 * Checks a password someone is choosing (at enrolment, reset or change) against NIST SP 800-63B's rules.
 * No composition rules: any characters, spaces included. Counts Unicode code points after NFKC
 * normalisation, so 'é' and an emoji such as '🦊' are one character each.
 *
 * @returns `{ ok: true }`, or `{ ok: false, reason }` with a reason to show as it is.
 * @example
 * checkNewPassword('maple canoe lantern drift', { email: 'synthetic.person@example.org' }); // { ok: true }
 * checkNewPassword('letmein12345'); // { ok: false, reason: 'This password is a common password with …' }
 */
export function checkNewPassword(password: string, context: PasswordContext = {}): PasswordCheck {
  const normalised = normalise(password);
  const length = [...normalised].length;
  if (length < MIN_PASSWORD_LENGTH) return refuse('tooShort');
  if (length > MAX_PASSWORD_LENGTH) return refuse('tooLong');

  const lower = normalised.toLowerCase();
  const compact = lower.replace(/\s+/gu, '');
  if (isTrivial([...compact])) return refuse('trivial');

  const common = commonPasswords();
  const unit = repetitionUnit(compact);
  for (const candidate of new Set([lower, compact, unit ?? compact])) {
    if (common.has(candidate)) return refuse('common');
  }
  for (const candidate of new Set([lower, compact])) {
    const core = candidate.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (core !== candidate && [...core].length >= MIN_COMMON_CORE && common.has(core)) {
      return refuse('commonWithAdditions');
    }
  }

  const lettersAndDigits = lower.replace(/[^\p{L}\p{N}]+/gu, '');
  if (personalParts(context).some((part) => lettersAndDigits.includes(part))) return refuse('personal');
  const letters = lower.replace(/[^\p{L}]+/gu, '');
  if (SERVICE_WORDS.some((word) => letters.includes(word))) return refuse('service');

  const estimate = estimateGuesses(normalised);
  if (estimate.guesses < MIN_GUESSES) return refuse(weakestPattern(estimate));

  return { ok: true };
}

function refuse(reason: keyof typeof PASSWORD_REASONS): PasswordCheck {
  return { ok: false, reason: PASSWORD_REASONS[reason] };
}

/**
 * Only one character repeated ('aaaaaaaaaaaa'), a run up or down ('abcdefghijkl', '123456789012',
 * '987654321098': digits wrap round), or a short run repeated ('abcabcabcabc', '121212121212').
 */
function isTrivial(chars: string[]): boolean {
  if (isRun(chars)) return true;
  const unit = repetitionUnit(chars.join(''));
  return unit !== undefined && ([...unit].length <= 3 || isRun([...unit]));
}

function isRun(chars: string[]): boolean {
  if (chars.length < 2) return true;
  const step = stepBetween(chars[0]!, chars[1]!);
  if (step === undefined || Math.abs(step) > 1) return false;
  for (let i = 2; i < chars.length; i++) {
    if (stepBetween(chars[i - 1]!, chars[i]!) !== step) return false;
  }
  return true;
}

function stepBetween(a: string, b: string): number | undefined {
  const x = a.codePointAt(0);
  const y = b.codePointAt(0);
  if (x === undefined || y === undefined) return undefined;
  if (a === '9' && b === '0') return 1;
  if (a === '0' && b === '9') return -1;
  return y - x;
}

/** The shortest string that, repeated twice or more, makes `s`; undefined when there is none. */
function repetitionUnit(s: string): string | undefined {
  const chars = [...s];
  const n = chars.length;
  for (let size = 1; size <= n / 2; size++) {
    if (n % size !== 0) continue;
    let repeats = true;
    for (let i = size; i < n && repeats; i++) repeats = chars[i] === chars[i - size];
    if (repeats) return chars.slice(0, size).join('');
  }
  return undefined;
}

/** The email's local part (without any +tag) and the parts of it and of the name, letters and digits only. */
function personalParts(context: PasswordContext): string[] {
  const parts = new Set<string>();
  const add = (text: string): void => {
    const whole = text.normalize('NFKC').toLowerCase();
    const pieces = whole.split(/[^\p{L}\p{N}]+/u);
    for (const piece of [whole.replace(/[^\p{L}\p{N}]+/gu, ''), ...pieces]) {
      if ([...piece].length >= MIN_PERSONAL_PART) parts.add(piece);
    }
  };
  if (context.email) {
    const at = context.email.lastIndexOf('@');
    const local = at >= 0 ? context.email.slice(0, at) : context.email;
    add(local.split('+')[0] ?? local);
  }
  if (context.displayName) add(context.displayName);
  return [...parts];
}

/** What to tell someone whose password is quick to guess: the most telling pattern in it. */
function weakestPattern(estimate: GuessEstimate): keyof typeof PASSWORD_REASONS {
  const length = (t: string) => [...t].length;
  const has = (pattern: Pattern, minLength: number, among = estimate.found) =>
    among.some((m) => m.pattern === pattern && length(m.token) >= minLength);
  if (has('service', 3, estimate.sequence)) return 'serviceWords';
  if (has('spatial', 4)) return 'keyboard';
  if (has('repeat', 4) || has('sequence', 4)) return 'repetitive';
  if (has('dictionary', 1, estimate.sequence)) return 'commonWords';
  return 'guessable';
}
