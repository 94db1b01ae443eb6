/**
 * Blind indexes: HMAC-SHA256 of a normalised value, truncated to 16 bytes (32 hex characters), for
 * exact-match lookups on encrypted columns (an email, a normalised name with a date of birth).
 *
 * Each purpose has its own random index key, stored wrapped under the master key in `index_keys` (see
 * `Keyring.indexKeyFor`): rotating the master key re-wraps it, so index values stay the same. The HMAC
 * key is derived from it with HKDF-SHA256 (info `nwd blind index v1:<purpose>`), so different purposes
 * give unrelated indexes even for the same value, and an index column copied to another purpose matches
 * nothing. An index reveals which rows share a value, so index only what lookups need.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';

export const BLIND_INDEX_BYTES = 16;
const PURPOSE = /^[a-z][a-z0-9_.:-]{0,62}$/;

/** The HMAC key for one purpose. Printing or serialising it shows the purpose only. */
export class BlindIndexKey {
  readonly #key: Buffer;

  constructor(
    readonly purpose: string,
    secret: Uint8Array,
  ) {
    assertPurpose(purpose);
    if (secret.length < 32) throw new RangeError('A blind-index secret must be at least 32 bytes.');
    this.#key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `nwd blind index v1:${purpose}`, 32));
  }

  /** @internal */
  hmac(value: string): Buffer {
    return createHmac('sha256', this.#key).update(value, 'utf8').digest();
  }

  toJSON(): { blindIndexPurpose: string } {
    return { blindIndexPurpose: this.purpose };
  }

  [inspect.custom](): string {
    return `BlindIndexKey(${this.purpose})`;
  }
}

/**
 * The blind index of an already normalised value under `key` (32 hex characters).
 *
 * @example
 * const key = await keyring.indexKeyFor('staff-email');
 * blindIndex(key, normaliseForIndex('Test.Person@Example.org')); // '9c1f…' (32 hex)
 */
export function blindIndex(key: BlindIndexKey, normalisedValue: string): string {
  return key.hmac(normalisedValue).subarray(0, BLIND_INDEX_BYTES).toString('hex');
}

/**
 * A common normalisation for exact matching: Unicode NFKC, case folded, whitespace trimmed and
 * collapsed. Apply the same normalisation when storing and when looking up.
 *
 * @example
 * normaliseForIndex('  Zyxwv   PERSON ') === 'zyxwv person'; // true
 */
export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Joins several normalised parts (say name and date of birth) unambiguously for one index.
 *
 * @example
 * blindIndex(key, indexInput(normaliseForIndex(name), '2008-04-01'));
 */
export function indexInput(...parts: string[]): string {
  return parts.map((p) => `${p.length}:${p}`).join('|');
}

/**
 * Throws unless `purpose` is a short lowercase name such as `staff-email` or `person.name-dob`.
 *
 * @example
 * assertPurpose('staff-email');
 */
export function assertPurpose(purpose: string): void {
  if (!PURPOSE.test(purpose)) {
    throw new RangeError(
      `A blind-index purpose must match ${PURPOSE} (got ${JSON.stringify(purpose.slice(0, 70))}).`,
    );
  }
}
