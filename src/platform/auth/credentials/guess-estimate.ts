/**
 * How quickly a password would be guessed: a zxcvbn-style estimate (dictionary words, the service's
 * vocabulary, keyboard walks, repeats, sequences, recent years and brute force), used by
 * `checkNewPassword` in password.ts.
 */
import { createRequire } from 'node:module';
import type * as LanguageCommon from '@zxcvbn-ts/language-common';

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

export type Pattern = 'dictionary' | 'service' | 'spatial' | 'repeat' | 'sequence' | 'year' | 'bruteforce';

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
