/**
 * AES-256-GCM with a fresh 12-byte random IV per message and a 16-byte tag: `iv | ciphertext | tag`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * Encrypts and authenticates `plaintext`, binding `aad`.
 *
 * @example
 * const sealed = seal(randomBytes(32), Buffer.from('cases|42|notes'), Buffer.from('text'));
 */
export function seal(key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/**
 * Reverses {@link seal}; returns null when the key, the AAD or any byte is wrong.
 *
 * @example
 * const plaintext = open(key, aad, sealed); // Buffer, or null when it does not authenticate
 */
export function open(key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer | null {
  if (sealed.length < IV_BYTES + TAG_BYTES) return null;
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}
