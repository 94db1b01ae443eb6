import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MasterKeyError } from './errors.ts';
import { previousKeyFilePath, promoteStagedKeyFile, stagedKeyFilePath, stagedKeyFiles } from './key-file.ts';
import {
  generateMasterKey,
  keyFileResolver,
  loadOrCreateMasterKey,
  loadPreviousMasterKeys,
  masterKeyId,
  MasterKey,
  parseMasterKey,
  readMasterKeyFile,
  writeMasterKeyFileExclusive,
} from './master-key.ts';

let dir: string;
let keyFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nwd-key-'));
  keyFile = join(dir, 'master.key');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noEnv = {};

describe('parseMasterKey', () => {
  const bytes = randomBytes(32);

  it('accepts 32 bytes as hex, base64 or base64url, with surrounding whitespace', () => {
    const ids = [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64url'),
    ].map((text) => parseMasterKey(`  ${text}\n`, 'TEST').id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 16));
    expect(masterKeyId(bytes)).toBe(ids[0]);
  });

  it.each([
    ['31 bytes', randomBytes(31).toString('base64')],
    ['33 bytes', randomBytes(33).toString('hex')],
    ['not an encoding', 'correct horse battery staple correct horse battery'],
    ['empty', ''],
  ])('refuses %s, naming the source and never echoing the value', (_label, text) => {
    let error: unknown;
    try {
      parseMasterKey(text, 'NWD_MASTER_KEY');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MasterKeyError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^NWD_MASTER_KEY must hold a 32-byte key written as 64 hex digits or 44 base64 characters/,
    );
    if (text) expect(message).not.toContain(text);
  });

  it('refuses an all-zero key', () => {
    expect(() => parseMasterKey('0'.repeat(64), 'NWD_MASTER_KEY')).toThrow(/all zero bytes/);
  });

  it('shows only the key id when printed or serialised', () => {
    const key = generateMasterKey();
    const shown = [inspect(key), JSON.stringify({ key }), String(key), inspect({ nested: { key } })].join(
      ' ',
    );
    expect(shown).toContain(key.id);
    for (const secret of [key.bytes.toString('hex'), key.bytes.toString('base64'), key.encode()]) {
      expect(shown).not.toContain(secret);
    }
  });
});

describe('loadOrCreateMasterKey', () => {
  it('prefers NWD_MASTER_KEY and creates no file', () => {
    const key = generateMasterKey();
    const loaded = loadOrCreateMasterKey({
      env: { NWD_MASTER_KEY: key.encode() },
      keyFile,
      allowCreate: true,
    });
    expect(loaded).toMatchObject({ created: false, source: 'env' });
    expect(loaded.key.id).toBe(key.id);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('refuses a malformed NWD_MASTER_KEY even when creation is allowed', () => {
    expect(() =>
      loadOrCreateMasterKey({ env: { NWD_MASTER_KEY: 'abc123' }, keyFile, allowCreate: true }),
    ).toThrow(/NWD_MASTER_KEY must hold a 32-byte key/);
  });

  it('creates the key file with mode 0600 once, then reads it back', () => {
    const first = loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: true });
    expect(first.created).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['master.key']); // no temporary file left behind
    const second = loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: true });
    expect(second).toMatchObject({ created: false, source: 'file' });
    expect(second.key.id).toBe(first.key.id);
  });

  it('creates missing parent directories for the key file', () => {
    const nested = join(dir, 'a', 'b', 'master.key');
    expect(loadOrCreateMasterKey({ env: noEnv, keyFile: nested, allowCreate: true }).created).toBe(true);
    expect(readMasterKeyFile(nested)).toBeInstanceOf(MasterKey);
  });

  it('never overwrites a key file that appeared first (the other process wins)', () => {
    const theirs = generateMasterKey();
    expect(writeMasterKeyFileExclusive(keyFile, theirs)).toBe(true);
    expect(writeMasterKeyFileExclusive(keyFile, generateMasterKey())).toBe(false);
    const loaded = loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: true });
    expect(loaded).toMatchObject({ created: false });
    expect(loaded.key.id).toBe(theirs.id);
    expect(readdirSync(dir)).toEqual(['master.key']);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %s', (mode) => {
    writeMasterKeyFileExclusive(keyFile, generateMasterKey());
    chmodSync(keyFile, mode);
    expect(() => loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: true })).toThrow(
      new RegExp(`has mode 0${mode.toString(8)}: other users may read it\\. Run "chmod 600 `),
    );
  });

  it('accepts a key file with mode 0400', () => {
    const key = generateMasterKey();
    writeMasterKeyFileExclusive(keyFile, key);
    chmodSync(keyFile, 0o400);
    expect(loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: false }).key.id).toBe(key.id);
  });

  it('refuses a key file that does not hold a key', () => {
    writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
    expect(() => loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: true })).toThrow(
      `The key file ${keyFile} must hold a 32-byte key`,
    );
  });

  it('without a key and without creation, names NWD_MASTER_KEY and the key file', () => {
    expect(() => loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: false })).toThrow(
      `No master key: set NWD_MASTER_KEY (32 bytes, base64 or hex) or provide the key file ${keyFile}.`,
    );
    expect(existsSync(keyFile)).toBe(false);
  });

  it('logs the key id, never the key, and warns when the environment and the key file disagree', () => {
    const lines: string[] = [];
    const log = {
      info: (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? '')),
      warn: (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? '')),
    } as never;
    const onDisk = generateMasterKey();
    writeMasterKeyFileExclusive(keyFile, onDisk);
    const key = generateMasterKey();
    loadOrCreateMasterKey({ env: { NWD_MASTER_KEY: key.encode() }, keyFile, allowCreate: false, log });
    const text = lines.join('\n');
    expect(text).toContain(key.id);
    expect(text).toContain('differs from the key in the key file');
    expect(text).not.toContain(key.encode());
    expect(text).not.toContain(onDisk.encode());
  });
});

describe('rotation files', () => {
  it('loads previous keys from NWD_PREVIOUS_MASTER_KEYS and <file>.previous-<id>', () => {
    const [a, b, c] = [generateMasterKey(), generateMasterKey(), generateMasterKey()];
    writeMasterKeyFileExclusive(previousKeyFilePath(keyFile, c.id), c);
    const keys = loadPreviousMasterKeys({
      env: { NWD_PREVIOUS_MASTER_KEYS: `${a.encode()}, ${b.bytes.toString('hex')}` },
      keyFile,
    });
    expect(keys.map((k) => k.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(() => loadPreviousMasterKeys({ env: { NWD_PREVIOUS_MASTER_KEYS: 'oops' }, keyFile })).toThrow(
      /NWD_PREVIOUS_MASTER_KEYS \(entry 1\) must hold/,
    );
  });

  it('stages, resolves and promotes a new key without ever losing one', () => {
    const current = loadOrCreateMasterKey({ env: noEnv, keyFile, allowCreate: true }).key;
    const next = generateMasterKey();
    expect(writeMasterKeyFileExclusive(stagedKeyFilePath(keyFile, next.id), next)).toBe(true);
    expect(stagedKeyFiles(keyFile)).toEqual([stagedKeyFilePath(keyFile, next.id)]);
    const resolve = keyFileResolver(keyFile);
    expect(resolve(next.id)?.id).toBe(next.id);
    expect(resolve(generateMasterKey().id)).toBeUndefined();

    promoteStagedKeyFile(keyFile, current.id, next.id);
    expect(readMasterKeyFile(keyFile).id).toBe(next.id);
    expect(readMasterKeyFile(previousKeyFilePath(keyFile, current.id)).id).toBe(current.id);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(stagedKeyFiles(keyFile)).toEqual([]);
    expect(resolve(current.id)?.id).toBe(current.id);
    expect(loadPreviousMasterKeys({ env: noEnv, keyFile }).map((k) => k.id)).toEqual([current.id]);
    expect(readFileSync(keyFile, 'utf8')).toBe(`${next.encode()}\n`);
  });
});
