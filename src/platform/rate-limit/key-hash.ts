/**
 * Rate-limit keys (a client address, an account's blind index) are stored only as an HMAC-SHA256 of the
 * bucket and the key, under a secret that is not in the database.
 *
 * Why: an address is personal data and, for a young person, may point to where they are. A plain
 * SHA-256 of an IPv4 address is undone by hashing all 2^32 addresses, so the hash must be keyed; the key
 * comes from the keyring (wrapped under the master key), so a database dump without the master key
 * reveals no address or account. The bucket is part of the input, so the same address gives unrelated
 * hashes in different buckets. Every instance must use the same key, or each counts on its own.
 */
import { BlindIndexKey, blindIndex, indexInput } from '../crypto/blind-index.ts';

/** The keyring purpose of the rate-limit hashing key: `keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE)`. */
export const RATE_LIMIT_INDEX_PURPOSE = 'rate-limit';

let hashingKey: BlindIndexKey | null = null;

export class RateLimitNotConfiguredError extends Error {
  constructor() {
    super(
      'Rate limits have no hashing key: call configureRateLimitHashing(await keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE)) at start.',
    );
    this.name = 'RateLimitNotConfiguredError';
  }
}

/**
 * Sets the key under which rate-limit keys are hashed, once at start (before any request). Without
 * it every rate-limit call throws: counting raw keys, or under a per-process random key (which would
 * split the counters between instances), is never the fallback.
 *
 * @example
 * configureRateLimitHashing(await keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE));
 */
export function configureRateLimitHashing(key: BlindIndexKey): void {
  if (!(key instanceof BlindIndexKey))
    throw new TypeError('configureRateLimitHashing needs a BlindIndexKey.');
  hashingKey = key;
}

/**
 * The stored form of `key` in `bucket`: 32 hex characters.
 *
 * @example
 * rateLimitKeyHash('sign-in.address-failures', '192.0.2.10'); // '5be0…' (32 hex)
 */
export function rateLimitKeyHash(bucket: string, key: string): string {
  if (!hashingKey) throw new RateLimitNotConfiguredError();
  return blindIndex(hashingKey, indexInput(bucket, key));
}
