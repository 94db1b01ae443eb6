/**
 * Wrapping of data keys and index keys under a master key: `version | iv | wrapped key | tag`, with the
 * AAD `dek:<scope>:<version>` (or `index:<purpose>:<version>`) so that a wrapped key copied to another
 * scope or purpose does not unwrap.
 */
import type { MasterKey } from './master-key.ts';
import { open, seal } from './gcm.ts';

export const WRAP_VERSION = 1;

/** What a wrapped key protects: a data key for a scope, or a blind-index key for a purpose. */
export type WrappedKind = 'dek' | 'index';

/**
 * Wraps `secret` under `master` for `kind` and `name` (the scope or purpose).
 *
 * @example
 * const wrapped = wrapKey(master, 'dek', 'case:7f0c…', randomBytes(32));
 */
export function wrapKey(master: MasterKey, kind: WrappedKind, name: string, secret: Uint8Array): Buffer {
  const header = Buffer.of(WRAP_VERSION);
  return Buffer.concat([header, seal(master.bytes, wrapAad(kind, name, WRAP_VERSION), secret)]);
}

/**
 * Unwraps what {@link wrapKey} produced; null when the master key, kind, name or any byte is wrong.
 *
 * @example
 * const dek = unwrapKey(master, 'dek', row.scope, row.wrapped); // Buffer | null
 */
export function unwrapKey(
  master: MasterKey,
  kind: WrappedKind,
  name: string,
  wrapped: Uint8Array,
): Buffer | null {
  const version = wrapped[0];
  if (version !== WRAP_VERSION) return null;
  return open(master.bytes, wrapAad(kind, name, version), wrapped.subarray(1));
}

function wrapAad(kind: WrappedKind, name: string, version: number): Buffer {
  return Buffer.from(`${kind}:${name}:${version}`, 'utf8');
}
