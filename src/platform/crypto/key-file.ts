/**
 * Secret files: read only when no one but the owner may read them, created atomically and never
 * overwritten, and the `<file>.next-<id>` / `<file>.previous-<id>` names a master-key rotation uses.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MasterKeyError } from './errors.ts';

/**
 * The text of a secret file, refused when it is not a regular file or when group or others have any
 * permission on it (mode wider than 0600).
 *
 * @example
 * const text = readSecretFile('data/master.key');
 */
export function readSecretFile(path: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new MasterKeyError(
      `Cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
  if (!stat.isFile()) throw new MasterKeyError(`The key file ${path} is not a regular file.`);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `The key file ${path} has mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}: other users may read it. ` +
        `Run "chmod 600 ${path}" (and consider the key exposed if others could read it).`,
    );
  }
  return readFileSync(path, 'utf8');
}

/**
 * Creates `path` with mode 0600 holding `text`, atomically and only if it does not exist: the content is
 * written and flushed to a temporary file, then hard-linked into place (which fails when the name is
 * taken, so two processes never both create it). Returns false when the file already existed.
 *
 * @example
 * if (!writeSecretFileExclusive('data/master.key', key.encode() + '\n')) useTheExistingOne();
 */
export function writeSecretFileExclusive(path: string, text: string): boolean {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: exclusive creation still holds, without the atomic content.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return writeExclusiveInPlace(path, text);
    throw error;
  } finally {
    unlinkSync(temp);
  }
  syncDirectory(dir);
  return true;
}

function writeExclusiveInPlace(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Where `nwd keys rotate` keeps a generated new key until every row is re-wrapped under it.
 *
 * @example
 * stagedKeyFilePath('data/master.key', 'a1b2c3d4e5f60718'); // 'data/master.key.next-a1b2c3d4e5f60718'
 */
export function stagedKeyFilePath(keyFile: string, masterKeyId: string): string {
  return `${keyFile}.next-${masterKeyId}`;
}

/**
 * Where the replaced key is kept after a rotation, until the operator removes it.
 *
 * @example
 * previousKeyFilePath('data/master.key', 'a1b2c3d4e5f60718'); // 'data/master.key.previous-a1b2c3d4e5f60718'
 */
export function previousKeyFilePath(keyFile: string, masterKeyId: string): string {
  return `${keyFile}.previous-${masterKeyId}`;
}

/**
 * The `<keyFile>.previous-<id>` files beside the key file, oldest name first.
 *
 * @example
 * previousKeyFiles('data/master.key'); // ['data/master.key.previous-a1b2c3d4e5f60718']
 */
export function previousKeyFiles(keyFile: string): string[] {
  return siblings(keyFile, 'previous');
}

/**
 * The `<keyFile>.next-<id>` files beside the key file (a rotation in progress or interrupted).
 *
 * @example
 * stagedKeyFiles('data/master.key'); // ['data/master.key.next-0f1e2d3c4b5a6978']
 */
export function stagedKeyFiles(keyFile: string): string[] {
  return siblings(keyFile, 'next');
}

/**
 * Finishes a rotation on disk once every row is under the new key: the current key file is linked to
 * `<keyFile>.previous-<oldId>`, then the staged `<keyFile>.next-<newId>` is renamed over the key file.
 * Each step is atomic and a crash between them leaves both keys on disk.
 *
 * @example
 * promoteStagedKeyFile('data/master.key', oldKey.id, newKey.id);
 */
export function promoteStagedKeyFile(keyFile: string, oldMasterKeyId: string, newMasterKeyId: string): void {
  const previous = previousKeyFilePath(keyFile, oldMasterKeyId);
  try {
    linkSync(keyFile, previous);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  renameSync(stagedKeyFilePath(keyFile, newMasterKeyId), keyFile);
  syncDirectory(dirname(keyFile));
}

function siblings(keyFile: string, kind: 'next' | 'previous'): string[] {
  const dir = dirname(keyFile);
  const prefix = `${basename(keyFile)}.${kind}-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^[0-9a-f]{16}$/.test(n.slice(prefix.length)))
    .sort()
    .map((n) => join(dir, n));
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the file itself is already flushed.
  }
}
