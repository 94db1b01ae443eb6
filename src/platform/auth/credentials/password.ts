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

// ---------------------------------------------------------------------------------------------------
// How quickly a password would be guessed
// ---------------------------------------------------------------------------------------------------

/**
 * The fewest guesses a new password may take: zxcvbn's score 3 ("safely unguessable: moderate protection
 * from an offline slow-hash scenario"). Online guessing is throttled besides; this is for a stolen
 * database, where each guess costs an argon2id hash.
 */
export const MIN_GUESSES = 1e8;

/**
 * Words about the service and its work, guessed right after the service's name by someone who targets
 * it (ranked first, like zxcvbn's user inputs).
 */
const SERVICE_VOCABULARY = [
  'trafficking',
  'trafficked',
  'trafficker',
  'traffickers',
  'traffick',
  'exploitation',
  'exploited',
  'exploit',
  'nowrongdoor',
  'wrongdoor',
  'safeharbor',
  'safeharbour',
  'harbor',
  'navigator',
  'navigators',
  'minnesota',
  'survivor',
  'survivors',
  'victim',
  'victims',
  'youth',
  'shelter',
  'referral',
  'referrals',
  'advocate',
  'advocacy',
  'runaway',
  'rescue',
  'safety',
  'safe',
  'nwd',
];

type Pattern = 'dictionary' | 'service' | 'spatial' | 'repeat' | 'sequence' | 'year' | 'bruteforce';

/** A part of the password (code points `i` to `j`, inclusive) and how many guesses find it. */
interface Match {
  i: number;
  j: number;
  pattern: Pattern;
  guesses: number;
}

export interface GuessEstimate {
  /** The estimated number of guesses, as zxcvbn computes it. */
  guesses: number;
  /** The cheapest way to guess it: the patterns, in order, that make up the password. */
  sequence: readonly { pattern: Pattern; token: string }[];
  /** Every pattern found (for saying what makes a password weak). */
  found: readonly { pattern: Pattern; token: string }[];
}

// zxcvbn's constants (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX Security 2016).
const BRUTEFORCE_CARDINALITY = 10;
const MIN_GUESSES_BEFORE_GROWING_SEQUENCE = 10_000;
const MIN_SUBMATCH_GUESSES_SINGLE_CHAR = 10;
const MIN_SUBMATCH_GUESSES_MULTI_CHAR = 50;
const MIN_YEAR_SPACE = 20;
const MAX_SEQUENCE_DELTA = 5;
const SHIFTED = /[~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?]/;

type AdjacencyGraph = Record<string, readonly (string | null)[]>;

interface Dictionaries {
  /** Word → rank (1 is guessed first), per dictionary. */
  ranked: { pattern: 'dictionary' | 'service'; ranks: ReadonlyMap<string, number> }[];
  longest: number;
  graphs: { graph: AdjacencyGraph; keypad: boolean; starts: number; degree: number }[];
}

let dictionaries: Dictionaries | undefined;

/** The ranked word lists and keyboard layouts from `@zxcvbn-ts/language-common`, read at first use. */
function patternData(): Dictionaries {
  if (!dictionaries) {
    const require = createRequire(import.meta.url);
    const { dictionary, adjacencyGraphs } = require('@zxcvbn-ts/language-common') as typeof LanguageCommon;
    const rankedList = (words: readonly string[], rankOf: (index: number) => number) => {
      const ranks = new Map<string, number>();
      words.forEach((word, index) => {
        const key = word.normalize('NFKC').toLowerCase();
        if (!ranks.has(key)) ranks.set(key, rankOf(index));
      });
      return ranks;
    };
    const passwords = dictionary['passwords-common'];
    // The diceware list is alphabetical, not by frequency: each word is one choice in its size.
    const diceware = dictionary['diceware-common'];
    const ranked: Dictionaries['ranked'] = [
      { pattern: 'service', ranks: rankedList(SERVICE_VOCABULARY, (i) => i + 1) },
      { pattern: 'dictionary', ranks: rankedList(passwords, (i) => i + 1) },
      { pattern: 'dictionary', ranks: rankedList(diceware, () => diceware.length) },
    ];
    const longest = Math.max(...ranked.flatMap((d) => [...d.ranks.keys()].map((w) => [...w].length)));
    const graphs = Object.entries(adjacencyGraphs).map(([name, graph]) => {
      const keys = Object.values(graph as AdjacencyGraph);
      const degree = keys.reduce((sum, adj) => sum + adj.filter((a) => a !== null).length, 0) / keys.length;
      return {
        graph: graph as AdjacencyGraph,
        keypad: name.startsWith('keypad'),
        starts: keys.length,
        degree,
      };
    });
    dictionaries = { ranked, longest, graphs };
  }
  return dictionaries;
}

function binomial(n: number, k: number): number {
  if (k > n) return 0;
  let r = 1;
  for (let d = 1; d <= k; d++) r = (r * (n - d + 1)) / d;
  return r;
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

/** Guesses added by capital letters in a word: none, first or last or all (×2), or mixed. */
function uppercaseVariations(token: string): number {
  const upper = [...token].filter((c) => c !== c.toLowerCase()).length;
  const lower = [...token].filter((c) => c !== c.toUpperCase()).length;
  if (upper === 0) return 1;
  if (lower === 0 || /^\p{Lu}[^\p{Lu}]*$/u.test(token) || /^[^\p{Lu}]*\p{Lu}$/u.test(token)) return 2;
  let variations = 0;
  for (let i = 1; i <= Math.min(upper, lower); i++) variations += binomial(upper + lower, i);
  return variations;
}

function dictionaryMatches(chars: string[], lower: string[], data: Dictionaries): Match[] {
  const out: Match[] = [];
  for (let i = 0; i < chars.length; i++) {
    for (let j = i; j < Math.min(chars.length, i + data.longest); j++) {
      const word = lower.slice(i, j + 1).join('');
      const reversed = lower
        .slice(i, j + 1)
        .reverse()
        .join('');
      const token = chars.slice(i, j + 1).join('');
      for (const { pattern, ranks } of data.ranked) {
        const rank = ranks.get(word);
        if (rank !== undefined) out.push({ i, j, pattern, guesses: rank * uppercaseVariations(token) });
        const reversedRank = j > i ? ranks.get(reversed) : undefined;
        if (reversedRank !== undefined)
          out.push({ i, j, pattern, guesses: reversedRank * uppercaseVariations(token) * 2 });
      }
    }
  }
  return out;
}

/** Runs of keys next to each other ('qwerty', 'zxcvbn', '7412'), three keys or more. */
function spatialMatches(chars: string[], data: Dictionaries): Match[] {
  const out: Match[] = [];
  for (const { graph, keypad, starts, degree } of data.graphs) {
    let i = 0;
    while (i < chars.length - 1) {
      let j = i + 1;
      let lastDirection: number | null = null;
      let turns = 0;
      let shifted = !keypad && SHIFTED.test(chars[i]!) ? 1 : 0;
      for (;;) {
        const adjacent = graph[chars[j - 1]!] ?? [];
        let found = false;
        if (j < chars.length) {
          const next = chars[j]!;
          for (let direction = 0; direction < adjacent.length; direction++) {
            const keys = adjacent[direction];
            if (!keys?.includes(next)) continue;
            found = true;
            if (keys.indexOf(next) === 1) shifted += 1;
            if (lastDirection !== direction) {
              turns += 1;
              lastDirection = direction;
            }
            break;
          }
        }
        if (found) {
          j += 1;
          continue;
        }
        if (j - i > 2) {
          const length = j - i;
          let guesses = 0;
          for (let n = 2; n <= length; n++) {
            for (let t = 1; t <= Math.min(turns, n - 1); t++)
              guesses += binomial(n - 1, t - 1) * starts * degree ** t;
          }
          if (shifted > 0) {
            const unshifted = length - shifted;
            if (unshifted === 0) guesses *= 2;
            else {
              let variations = 0;
              for (let k = 1; k <= Math.min(shifted, unshifted); k++) variations += binomial(length, k);
              guesses *= variations;
            }
          }
          out.push({ i, j: j - 1, pattern: 'spatial', guesses });
        }
        i = j;
        break;
      }
    }
  }
  return out;
}

/** Runs with a constant step ('abcd', '9753', 'xyz'): three characters or more, or two one apart. */
function sequenceMatches(chars: string[]): Match[] {
  const out: Match[] = [];
  const emit = (i: number, j: number, delta: number): void => {
    if (!(j - i > 1 || Math.abs(delta) === 1)) return;
    if (delta === 0 || Math.abs(delta) > MAX_SEQUENCE_DELTA) return;
    const first = chars[i]!;
    let base = ['a', 'A', 'z', 'Z', '0', '1', '9'].includes(first) ? 4 : /\d/.test(first) ? 10 : 26;
    if (delta < 0) base *= 2;
    out.push({ i, j, pattern: 'sequence', guesses: base * (j - i + 1) });
  };
  if (chars.length < 2) return out;
  let i = 0;
  let lastDelta: number | null = null;
  for (let k = 1; k < chars.length; k++) {
    const delta = chars[k]!.codePointAt(0)! - chars[k - 1]!.codePointAt(0)!;
    lastDelta ??= delta;
    if (delta === lastDelta) continue;
    emit(i, k - 1, lastDelta);
    i = k - 1;
    lastDelta = delta;
  }
  emit(i, chars.length - 1, lastDelta ?? 0);
  return out;
}

/** The leftmost, longest repeats ('aaaa', 'abcabc'), each guessed as its unit times the repeats. */
function repeatMatches(chars: string[], lower: string[]): Match[] {
  const out: Match[] = [];
  let p = 0;
  while (p < lower.length - 1) {
    let span = 0;
    for (let size = 1; p + 2 * size <= lower.length; size++) {
      let count = 1;
      while (p + (count + 1) * size <= lower.length) {
        let same = true;
        for (let x = 0; x < size && same; x++) same = lower[p + count * size + x] === lower[p + x];
        if (!same) break;
        count += 1;
      }
      if (count >= 2 && count * size > span) span = count * size;
    }
    if (span === 0) {
      p += 1;
      continue;
    }
    const token = lower.slice(p, p + span);
    let unit = 1;
    while (span % unit !== 0 || token.some((c, x) => c !== token[x % unit])) unit += 1;
    const base = cheapestSequence(chars.slice(p, p + unit), true).guesses;
    out.push({ i: p, j: p + span - 1, pattern: 'repeat', guesses: base * (span / unit) });
    p += span;
  }
  return out;
}

/** Recent years ('1987', '2024'), guessed as their distance from this year (at least 20). */
function yearMatches(chars: string[]): Match[] {
  const out: Match[] = [];
  const thisYear = new Date().getUTCFullYear();
  for (let i = 0; i + 4 <= chars.length; i++) {
    const token = chars.slice(i, i + 4).join('');
    if (!/^(19\d\d|20\d\d)$/.test(token)) continue;
    out.push({
      i,
      j: i + 3,
      pattern: 'year',
      guesses: Math.max(Math.abs(Number(token) - thisYear), MIN_YEAR_SPACE),
    });
  }
  return out;
}

function allMatches(chars: string[]): Match[] {
  const data = patternData();
  const lower = chars.map((c) => c.toLowerCase());
  return [
    ...dictionaryMatches(chars, lower, data),
    ...spatialMatches(chars, data),
    ...sequenceMatches(chars),
    ...repeatMatches(chars, lower),
    ...yearMatches(chars),
  ];
}

/**
 * zxcvbn's search for the cheapest way to guess the whole password: a sequence of patterns (with
 * brute force between them) minimising l! × Π guesses + 10000^(l−1), over sequences of l patterns.
 */
function cheapestSequence(chars: string[], excludeAdditive = false): { guesses: number; sequence: Match[] } {
  const n = chars.length;
  if (n === 0) return { guesses: 1, sequence: [] };
  const matches = allMatches(chars);
  const byEnd: Match[][] = Array.from({ length: n }, () => []);
  for (const m of matches) byEnd[m.j]!.push(m);
  const best = Array.from({ length: n }, () => new Map<number, { m: Match; pi: number; g: number }>());
  const estimate = (m: Match): number => {
    const length = m.j - m.i + 1;
    const floor =
      length === n ? 1 : length === 1 ? MIN_SUBMATCH_GUESSES_SINGLE_CHAR : MIN_SUBMATCH_GUESSES_MULTI_CHAR;
    return Math.max(m.guesses, floor);
  };
  const update = (m: Match, l: number): void => {
    let pi = estimate(m);
    if (l > 1) pi *= best[m.i - 1]!.get(l - 1)!.pi;
    let g = factorial(l) * pi;
    if (!excludeAdditive) g += MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** (l - 1);
    for (const [otherL, other] of best[m.j]!) {
      if (otherL <= l && other.g <= g) return;
    }
    best[m.j]!.set(l, { m, pi, g });
  };
  const bruteforce = (i: number, j: number): Match => {
    const length = j - i + 1;
    const floor = length === 1 ? MIN_SUBMATCH_GUESSES_SINGLE_CHAR + 1 : MIN_SUBMATCH_GUESSES_MULTI_CHAR + 1;
    return { i, j, pattern: 'bruteforce', guesses: Math.max(BRUTEFORCE_CARDINALITY ** length, floor) };
  };
  for (let k = 0; k < n; k++) {
    for (const m of byEnd[k]!) {
      if (m.i > 0) for (const l of [...best[m.i - 1]!.keys()]) update(m, l + 1);
      else update(m, 1);
    }
    update(bruteforce(0, k), 1);
    for (let i = 1; i <= k; i++) {
      const m = bruteforce(i, k);
      for (const [l, previous] of [...best[i - 1]!]) {
        if (previous.m.pattern !== 'bruteforce') update(m, l + 1);
      }
    }
  }
  let bestL = 0;
  let guesses = Infinity;
  for (const [l, entry] of best[n - 1]!) {
    if (entry.g < guesses) {
      guesses = entry.g;
      bestL = l;
    }
  }
  const sequence: Match[] = [];
  for (let k = n - 1, l = bestL; k >= 0 && l > 0; l--) {
    const m = best[k]!.get(l)!.m;
    sequence.unshift(m);
    k = m.i - 1;
  }
  return { guesses, sequence };
}

/**
 * Estimates how many guesses an attacker needs, as zxcvbn does: the cheapest combination of dictionary
 * words (common passwords, diceware words, words about this service; reversed and capitalised too),
 * keyboard walks, repeats, sequences, recent years and brute force. Compare with `MIN_GUESSES`.
 *
 * @example
 * estimateGuesses('qwertyuiopas').guesses; // about 1.5e4: a keyboard row
 * estimateGuesses('maple canoe lantern drift').guesses; // above 1e20
 */
export function estimateGuesses(password: string): GuessEstimate {
  const chars = [...password.normalize('NFKC')];
  const { guesses, sequence } = cheapestSequence(chars);
  const token = (m: Match) => chars.slice(m.i, m.j + 1).join('');
  return {
    guesses,
    sequence: sequence.map((m) => ({ pattern: m.pattern, token: token(m) })),
    found: allMatches(chars).map((m) => ({ pattern: m.pattern, token: token(m) })),
  };
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
