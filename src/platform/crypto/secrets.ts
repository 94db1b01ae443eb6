/**
 * Bearer secrets (session ids, single-use link tokens, API tokens): random, shown once, stored only as
 * a SHA-256 hash, so a copy of the database cannot be used to sign in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new secret with a readable prefix (so a leaked one can be recognised and reported).
 *
 * @example
 * newSecret('nwds') // 'nwds_3q2…' (43 random base64url characters after the prefix)
 */
export function newSecret(prefix: 'nwds' | 'nwdl' | 'nwdt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * @example
 * hashSecret('nwds_abc') // 64 hex characters
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A well-formed secret of the given kind: the shape is checked before any database lookup. */
export function looksLikeSecret(
  value: string | undefined | null,
  prefix: 'nwds' | 'nwdl' | 'nwdt',
): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`).test(value);
}
