/**
 * Encryption keys in the running service and for operators: `loadKeys` at start (master key from
 * NWD_MASTER_KEY or the key file, created only with the bundled PostgreSQL, checked against the
 * database, keyring, rate-limit hashing), and the `nwd keys rotate` / `nwd keys status` commands.
 */
export {
  assertMasterKeyAvailable,
  describeCounts,
  loadKeys,
  newMasterKeyWarning,
  unavailableKeysError,
  type KeySettings,
  type LoadKeysOptions,
  type LoadedKeys,
} from './load.ts';
export {
  KeysCommandError,
  keysStatusCommand,
  rotateKeysCommand,
  type CommandOutput,
  type RotateCommandOptions,
} from './rotate-command.ts';
