/**
 * The master key: 32 bytes from `NWD_MASTER_KEY` (base64, base64url or hex) or from a key file. It only
 * wraps data keys and index keys; it never encrypts personal data directly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import type { Logger } from '../log.ts';
import { MasterKeyError } from './errors.ts';
import { KEY_BYTES } from './gcm.ts';
import {
  previousKeyFilePath,
  previousKeyFiles,
  readSecretFile,
  stagedKeyFilePath,
  writeSecretFileExclusive,
} from './key-file.ts';

export const MASTER_KEY_ENV = 'NWD_MASTER_KEY';
/** Other keys accepted for reading (comma-separated), e.g. the old key while a rotation finishes. */
export const PREVIOUS_MASTER_KEYS_ENV = 'NWD_PREVIOUS_MASTER_KEYS';
/** The key `nwd keys rotate` moves to; without it a key is generated into the key file. */
export const NEW_MASTER_KEY_ENV = 'NWD_NEW_MASTER_KEY';

/** A master key and its id. Printing or serialising it shows the id only. */
export class MasterKey {
  /** First 8 bytes of SHA-256(key), hex: names the key in rows and messages without revealing it. */
  readonly id: string;
  readonly #bytes: Buffer;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== KEY_BYTES) {
      throw new MasterKeyError(`A master key must be exactly ${KEY_BYTES} bytes (got ${bytes.length}).`);
    }
    if (bytes.every((b) => b === 0)) throw new MasterKeyError('A master key of all zero bytes is not a key.');
    this.#bytes = Buffer.from(bytes);
    this.id = masterKeyId(this.#bytes);
  }

  /** The raw key, for wrapping and unwrapping only. */
  get bytes(): Buffer {
    return this.#bytes;
  }

  /** The key as base64, for the key file or a secret store. */
  encode(): string {
    return this.#bytes.toString('base64');
  }

  toJSON(): { masterKeyId: string } {
    return { masterKeyId: this.id };
  }

  toString(): string {
    return `MasterKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * The id of a master key: the first 8 bytes of its SHA-256, as hex.
 *
 * @example
 * masterKeyId(Buffer.alloc(32, 1)); // '72cd6e8422c407fb'
 */
export function masterKeyId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest().subarray(0, 8).toString('hex');
}

/**
 * A new random master key.
 *
 * @example
 * const key = generateMasterKey(); // key.id → '3f9a…'
 */
export function generateMasterKey(): MasterKey {
  return new MasterKey(randomBytes(KEY_BYTES));
}

/**
 * Parses a master key written as 64 hex digits, 44 base64 characters or 43 base64url characters.
 * The error names `source` and the expected forms, never the value.
 *
 * @example
 * parseMasterKey(process.env.NWD_MASTER_KEY ?? '', 'NWD_MASTER_KEY');
 */
export function parseMasterKey(text: string, source: string): MasterKey {
  const value = text.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(value)) bytes = Buffer.from(value, 'base64');
  else if (/^[A-Za-z0-9_-]{43}$/.test(value)) bytes = Buffer.from(value, 'base64url');
  if (bytes === null) {
    throw new MasterKeyError(
      `${source} must hold a ${KEY_BYTES}-byte key written as 64 hex digits or 44 base64 characters ` +
        `(it has ${value.length} characters). Generate one with: ` +
        `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  try {
    return new MasterKey(bytes);
  } catch (error) {
    throw new MasterKeyError(`${source}: ${(error as Error).message}`);
  }
}

/**
 * Reads a master key file (refused when group or others may read it).
 *
 * @example
 * const key = readMasterKeyFile('data/master.key');
 */
export function readMasterKeyFile(path: string): MasterKey {
  return parseMasterKey(readSecretFile(path), `The key file ${path}`);
}

/**
 * Writes `key` to a new file with mode 0600, atomically; returns false (writing nothing) when the file
 * already exists.
 *
 * @example
 * writeMasterKeyFileExclusive(stagedKeyFilePath(keyFile, next.id), next);
 */
export function writeMasterKeyFileExclusive(path: string, key: MasterKey): boolean {
  return writeSecretFileExclusive(path, `${key.encode()}\n`);
}

/**
 * For `Keyring`'s `resolveMasterKey`: finds a key that is not loaded by its id among the key file and its
 * `.next-<id>` / `.previous-<id>` siblings, so that a running service keeps reading rows that a
 * concurrent `nwd keys rotate` has already re-wrapped under the new key.
 *
 * @example
 * new Keyring(db, [current], { resolveMasterKey: keyFileResolver('data/master.key') });
 */
export function keyFileResolver(keyFile: string): (masterKeyId: string) => MasterKey | undefined {
  return (id) => {
    if (!/^[0-9a-f]{16}$/.test(id)) return undefined;
    for (const path of [stagedKeyFilePath(keyFile, id), previousKeyFilePath(keyFile, id), keyFile]) {
      if (!existsSync(path)) continue;
      const key = readMasterKeyFile(path);
      if (key.id === id) return key;
    }
    return undefined;
  };
}

export interface LoadMasterKeyOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Where the key lives when `NWD_MASTER_KEY` is not set. */
  keyFile: string;
  /** Create the key file when it is missing (the embedded, zero-configuration default). */
  allowCreate: boolean;
  log?: Pick<Logger, 'info' | 'warn'>;
}

export interface LoadedMasterKey {
  key: MasterKey;
  /** True when this call created the key file: the caller must tell the operator to back it up. */
  created: boolean;
  source: 'env' | 'file';
}

/**
 * The current master key: `NWD_MASTER_KEY` if set, else the key file (refused when group or others may
 * read it), else — with `allowCreate` — a new key written to the key file with mode 0600.
 *
 * @example
 * const { key, created } = loadOrCreateMasterKey({ env: process.env, keyFile: 'data/master.key', allowCreate: true, log });
 * if (created) console.error(`NEW MASTER KEY in data/master.key (id ${key.id}): BACK IT UP. Without it the data is lost.`);
 */
export function loadOrCreateMasterKey(options: LoadMasterKeyOptions): LoadedMasterKey {
  const { env, keyFile, allowCreate, log } = options;
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const key = parseMasterKey(fromEnv, MASTER_KEY_ENV);
    warnIfKeyFileDiffers(keyFile, key, log);
    log?.info({ masterKeyId: key.id }, `master key from ${MASTER_KEY_ENV}`);
    return { key, created: false, source: 'env' };
  }
  if (existsSync(keyFile)) {
    const key = readMasterKeyFile(keyFile);
    log?.info({ masterKeyId: key.id }, 'master key from the key file');
    return { key, created: false, source: 'file' };
  }
  if (!allowCreate) {
    throw new MasterKeyError(
      `No master key: set ${MASTER_KEY_ENV} (32 bytes, base64 or hex) or provide the key file ${keyFile}. ` +
        `If this database already holds encrypted data, only its original key can read it.`,
    );
  }
  const fresh = generateMasterKey();
  const created = writeMasterKeyFileExclusive(keyFile, fresh);
  // Another process may have created it first: theirs wins, so every process uses the same key.
  const key = created ? fresh : readMasterKeyFile(keyFile);
  log?.warn(
    { masterKeyId: key.id },
    created ? 'created a new master key file' : 'master key from the key file',
  );
  return { key, created, source: 'file' };
}

/**
 * Keys accepted for reading besides the current one: `NWD_PREVIOUS_MASTER_KEYS` (comma-separated) and the
 * `<keyFile>.previous-<id>` files a rotation leaves behind. Pass them to `Keyring` after the current key.
 *
 * @example
 * const keyring = new Keyring(db, [current, ...loadPreviousMasterKeys({ env: process.env, keyFile })]);
 */
export function loadPreviousMasterKeys(options: Pick<LoadMasterKeyOptions, 'env' | 'keyFile'>): MasterKey[] {
  const keys = new Map<string, MasterKey>();
  const list = options.env[PREVIOUS_MASTER_KEYS_ENV] ?? '';
  list
    .split(',')
    .filter((part) => part.trim() !== '')
    .forEach((part, i) => {
      const key = parseMasterKey(part, `${PREVIOUS_MASTER_KEYS_ENV} (entry ${i + 1})`);
      keys.set(key.id, key);
    });
  for (const file of previousKeyFiles(options.keyFile)) {
    const key = readMasterKeyFile(file);
    keys.set(key.id, key);
  }
  return [...keys.values()];
}

function warnIfKeyFileDiffers(keyFile: string, key: MasterKey, log: LoadMasterKeyOptions['log']): void {
  if (!log || !existsSync(keyFile)) return;
  try {
    const other = readMasterKeyFile(keyFile);
    if (other.id !== key.id) {
      log.warn(
        { masterKeyId: key.id, keyFileMasterKeyId: other.id },
        `${MASTER_KEY_ENV} differs from the key in the key file; the key file is ignored`,
      );
    }
  } catch {
    // An unreadable key file does not matter while the environment provides the key.
  }
}
