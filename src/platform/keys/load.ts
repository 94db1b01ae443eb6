/**
 * The master key at start: from `NWD_MASTER_KEY` or the key file, created on first start only with the
 * bundled PostgreSQL (and then announced loudly on standard error), checked against the keys the
 * database holds, and turned into the service's `Keyring`. Rate-limit hashing is configured from it.
 *
 * With `DATABASE_URL` a missing key is refused rather than created: a key made silently beside a
 * shared production database would leave the only copy on one machine, and could not read what other
 * instances already encrypted.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../../config.ts';
import {
  Keyring,
  MASTER_KEY_ENV,
  MasterKeyError,
  keyFileResolver,
  loadOrCreateMasterKey,
  loadPreviousMasterKeys,
  wrappedKeyCounts,
  type MasterKey,
  type WrappedKeyCount,
} from '../crypto/index.ts';
import type { AnyKysely } from '../crypto/tables.ts';
import type { Logger } from '../log.ts';
import { RATE_LIMIT_INDEX_PURPOSE, configureRateLimitHashing } from '../rate-limit/index.ts';

/** What key loading reads from the configuration. */
export type KeySettings = Pick<Config, 'databaseUrl' | 'masterKeyFile' | 'secrets'>;

export interface LoadedKeys {
  keyring: Keyring;
  /** The current master key: it wraps every new data key. */
  masterKey: MasterKey;
  /** Keys accepted for reading (NWD_PREVIOUS_MASTER_KEYS and `<file>.previous-<id>` files). */
  previous: MasterKey[];
  /** True when this start created the key file (the operator was told to back it up). */
  created: boolean;
  source: 'env' | 'file';
}

export interface LoadKeysOptions {
  /** Where the warning about a new key file goes (standard error by default). */
  warnings?: NodeJS.WritableStream;
}

const GENERATE_HINT = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`;

/**
 * Refuses, before anything starts, a configuration that cannot have a master key: `DATABASE_URL` set
 * with neither `NWD_MASTER_KEY` nor an existing key file.
 *
 * @example
 * assertMasterKeyAvailable(config); // throws MasterKeyError with what to do
 */
export function assertMasterKeyAvailable(settings: KeySettings): void {
  if (settings.databaseUrl === null) return;
  if (settings.secrets.get(MASTER_KEY_ENV) !== undefined) return;
  if (existsSync(settings.masterKeyFile)) return;
  throw new MasterKeyError(
    [
      'No master key: DATABASE_URL is set, but neither NWD_MASTER_KEY nor the key file',
      `${settings.masterKeyFile} exists.`,
      '',
      'With DATABASE_URL, No Wrong Door never creates a master key on its own: a key made silently beside',
      'a shared database would be the only copy, on this machine alone, and could not read what is',
      'already encrypted there. Give it the key this database was encrypted with:',
      '  - NWD_MASTER_KEY=<32 bytes, base64 or hex> from your secret store, or',
      '  - the key file (mode 0600) at NWD_MASTER_KEY_FILE (default <NWD_DATA_DIR>/master.key).',
      'For a new deployment, generate a key, keep it in the secret store and back it up separately from',
      'the database backups (docs/deployment.md, "The master key"):',
      `  ${GENERATE_HINT}`,
    ].join('\n'),
  );
}

/**
 * The text printed when the key file was just created.
 *
 * @example
 * process.stderr.write(newMasterKeyWarning('/srv/nwd/data/master.key', key.id));
 */
export function newMasterKeyWarning(path: string, masterKeyId: string): string {
  const rule = '!'.repeat(78);
  return [
    '',
    rule,
    '!!  A NEW MASTER KEY WAS CREATED',
    `!!    ${path}`,
    `!!    (key id ${masterKeyId}, mode 0600)`,
    '!!',
    '!!  This file is the only key to the personal data in the database. Without this file the',
    '!!  personal data in the database can never be read again: not by you, not by anyone, not from',
    '!!  any database backup.',
    '!!',
    '!!  BACK IT UP NOW, separately from the database backups (a password manager, a secret store, an',
    '!!  offline copy): a backup that holds both the database and its key protects nothing.',
    '!!  See docs/deployment.md, "The master key".',
    rule,
    '',
    '',
  ].join('\n');
}

/**
 * Loads the master key (creating the key file only with the bundled PostgreSQL), refuses to go on when
 * the database holds keys wrapped under a master key that is not available, builds the keyring and
 * configures rate-limit hashing. Call it after migrations.
 *
 * @example
 * const { keyring, masterKey, created } = await loadKeys(db, config, log);
 */
export async function loadKeys(
  db: AnyKysely,
  settings: KeySettings,
  log: Logger,
  options: LoadKeysOptions = {},
): Promise<LoadedKeys> {
  assertMasterKeyAvailable(settings);
  const env = settings.secrets.masterKeyEnv();
  const keyFile = settings.masterKeyFile;
  const allowCreate = settings.databaseUrl === null;
  if (allowCreate && env[MASTER_KEY_ENV] === undefined && !existsSync(keyFile)) {
    // A database that already holds keys needs its own master key back, not a new one.
    const held = (await wrappedKeyCounts(db)).filter((c) => c.dataKeys + c.indexKeys > 0);
    if (held.length > 0) {
      throw new MasterKeyError(
        `The key file ${keyFile} is missing, but this database holds ${describeCounts(held)}. ` +
          `Restore the key file from its backup (mode 0600), or set NWD_MASTER_KEY to that key. ` +
          `A new key could not read this data, so none was created.`,
      );
    }
  }
  const loaded = loadOrCreateMasterKey({ env, keyFile, allowCreate, log });
  if (loaded.created) (options.warnings ?? process.stderr).write(newMasterKeyWarning(keyFile, loaded.key.id));
  const previous = loadPreviousMasterKeys({ env, keyFile }).filter((k) => k.id !== loaded.key.id);
  const resolveMasterKey = keyFileResolver(keyFile);
  const known = new Set([loaded.key.id, ...previous.map((k) => k.id)]);
  const missing = (await wrappedKeyCounts(db)).filter((c) => !known.has(c.masterKeyId));
  // A rotation in progress (`nwd keys rotate`) stages its new key beside the key file: that one is fine.
  const unavailable = missing.filter((c) => resolveMasterKey(c.masterKeyId) === undefined);
  if (unavailable.length > 0) throw unavailableKeysError(unavailable, [...known]);

  const keyring = new Keyring(db, [loaded.key, ...previous], { resolveMasterKey });
  configureRateLimitHashing(await keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE));
  log.info(
    { masterKeyId: loaded.key.id, previousMasterKeyIds: previous.map((k) => k.id), source: loaded.source },
    'encryption keys loaded',
  );
  return { keyring, masterKey: loaded.key, previous, created: loaded.created, source: loaded.source };
}

/** "3 data keys and 1 index key under master key 0123…" for each entry. */
export function describeCounts(counts: readonly WrappedKeyCount[]): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return counts
    .map(
      (c) =>
        `${plural(c.dataKeys, 'data key')} and ${plural(c.indexKeys, 'index key')} under master key ${c.masterKeyId}`,
    )
    .join('; ');
}

/**
 * The error for keys wrapped under master keys that are not loaded: names each key id.
 *
 * @example
 * throw unavailableKeysError([{ masterKeyId: '0123456789abcdef', dataKeys: 2, indexKeys: 0 }], [current.id]);
 */
export function unavailableKeysError(
  unavailable: readonly WrappedKeyCount[],
  loadedIds: readonly string[],
): MasterKeyError {
  const ids = unavailable.map((c) => c.masterKeyId).join(', ');
  return new MasterKeyError(
    `This database holds ${describeCounts(unavailable)}, and master key ${ids} is not loaded ` +
      `(loaded: ${loadedIds.join(', ')}). Nothing encrypted under it could be read. Give the service that key ` +
      `too: NWD_PREVIOUS_MASTER_KEYS (comma-separated) or a <key file>.previous-<id> file restored from ` +
      `backup; or, if NWD_MASTER_KEY / the key file is simply the wrong one, the right key.`,
  );
}
