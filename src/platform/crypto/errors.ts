/**
 * Errors of the encryption layer. Messages name keys by id and records by table, id and field — never
 * a plaintext, a key or a ciphertext.
 */

/** The master key is missing, malformed or stored unsafely (a configuration problem). */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

/** A stored key is wrapped under a master key this process does not hold. */
export class MasterKeyUnavailableError extends Error {
  override name = 'MasterKeyUnavailableError';
  constructor(
    readonly masterKeyId: string,
    loaded: readonly string[],
    what: string,
  ) {
    super(
      `${what} is wrapped under master key ${masterKeyId}, which is not loaded (loaded: ${loaded.join(', ') || 'none'}). ` +
        `Set NWD_MASTER_KEY (or the key file) to the key this database was encrypted with; during a rotation ` +
        `both the old and the new key must be available.`,
    );
  }
}

/** The data key was destroyed (crypto-shredding): whatever it protected is gone for good. */
export class DataKeyDestroyedError extends Error {
  override name = 'DataKeyDestroyedError';
  constructor(readonly dataKeyId: string) {
    super(`Data key ${dataKeyId} was destroyed: the data encrypted under it can no longer be read.`);
  }
}

/** No data key with this id exists. */
export class DataKeyNotFoundError extends Error {
  override name = 'DataKeyNotFoundError';
  constructor(readonly dataKeyId: string) {
    super(`Data key ${dataKeyId} does not exist in this database.`);
  }
}

/** Authenticated decryption failed: the bytes were altered, moved to another place, or are malformed. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}
