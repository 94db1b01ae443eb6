/**
 * Encryption of personal data at rest: master key, keyring (data keys per scope, blind-index keys per
 * purpose), field encryption, blind indexes and master-key rotation.
 */
export * from './errors.ts';
export * from './master-key.ts';
export {
  previousKeyFilePath,
  previousKeyFiles,
  promoteStagedKeyFile,
  stagedKeyFilePath,
  stagedKeyFiles,
} from './key-file.ts';
export { DataKey, Keyring, SHARED_SCOPE, assertScope, type KeyringOptions } from './keyring.ts';
export {
  FIELD_FORMAT_VERSION,
  decryptField,
  encryptField,
  fieldDataKeyId,
  type FieldAddress,
  type FieldTarget,
} from './envelope.ts';
export { BlindIndexKey, blindIndex, indexInput, normaliseForIndex } from './blind-index.ts';
export * from './rotate.ts';
export type { CryptoTables, DataKeysTable, IndexKeysTable } from './tables.ts';
