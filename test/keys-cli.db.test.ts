/**
 * `nwd keys rotate`, `nwd keys status` and `nwd audit verify` as an operator runs them, against a
 * database of their own through DATABASE_URL (so, as in production, while the service could be
 * running). Synthetic data only.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tamper } from '../src/platform/audit/testing.ts';
import {
  Keyring,
  MasterKeyUnavailableError,
  decryptField,
  encryptField,
  generateMasterKey,
  previousKeyFilePath,
  readMasterKeyFile,
  stagedKeyFiles,
  wrappedKeyCounts,
  writeMasterKeyFileExclusive,
  type FieldTarget,
  type MasterKey,
} from '../src/platform/crypto/index.ts';
import { runNwd, type CommandResult } from './cli.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

const PERSON = 'Synthetic Person Qwxz';
const EMAIL = 'synthetic.person@example.org';

let t: TestDatabase;
let dir: string;
let keyFile: string;
let oldKey: MasterKey;
let values: { at: FieldTarget; blob: Buffer; text: string }[];
let emailIndex: string;

beforeEach(async () => {
  t = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'nwd-rotate-'));
  chmodSync(dir, 0o755);
  keyFile = join(dir, 'master.key');
  oldKey = generateMasterKey();
  const keyring = new Keyring(t.db, oldKey);
  values = [];
  for (let i = 0; i < 3; i++) {
    const recordId = randomUUID();
    const at = { scope: `person:${recordId}`, table: 'synthetic_people', recordId, field: 'legal_name' };
    const text = `${PERSON} ${i}`;
    values.push({ at, blob: await encryptField(keyring, at, text), text });
  }
  emailIndex = await keyring.blindIndex('person-email', EMAIL);
});
afterEach(async () => {
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function nwd(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return runNwd(args, { DATABASE_URL: t.url, NWD_DATA_DIR: dir, ...env });
}

async function expectReadableWith(key: MasterKey): Promise<void> {
  const keyring = new Keyring(t.db, key);
  for (const v of values) expect(await decryptField(keyring, v.at, v.blob)).toBe(v.text);
  expect(await keyring.blindIndex('person-email', EMAIL)).toBe(emailIndex);
}

function expectNoKeyIn(text: string, ...keys: MasterKey[]): void {
  for (const key of keys) {
    for (const encoded of [key.encode(), key.bytes.toString('hex'), key.bytes.toString('base64url')]) {
      expect(text).not.toContain(encoded);
    }
  }
}

async function auditRows() {
  const rows = await t.pool.query<{ seq: number; actor_kind: string; details: Record<string, unknown> }>(
    `select seq, actor_kind, details from audit_events where action = 'keys.rotate' order by seq`,
  );
  return rows.rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

describe('nwd keys rotate with a key file', () => {
  beforeEach(() => {
    writeMasterKeyFileExclusive(keyFile, oldKey);
  });

  it('re-wraps every key under a new key, keeps the old one as .previous-<id> (0600), audits it; audit verify catches tampering', async () => {
    const rotated = await nwd(['keys', 'rotate']);
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    const newKey = readMasterKeyFile(keyFile);
    expect(newKey.id).not.toBe(oldKey.id);
    const previous = previousKeyFilePath(keyFile, oldKey.id);
    expect(statSync(previous).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readMasterKeyFile(previous).id).toBe(oldKey.id);
    expect(stagedKeyFiles(keyFile)).toEqual([]);
    expect(rotated.stdout).toContain(`now holds master key ${newKey.id}`);
    expect(rotated.stdout).toMatch(/Back up .*master\.key now, separately from the database backups/);
    expectNoKeyIn(rotated.stdout + rotated.stderr, oldKey, newKey);

    // Everything reads with the new key alone; the old key alone reads nothing.
    await expectReadableWith(newKey);
    const oldOnly = new Keyring(t.db, oldKey);
    await expect(decryptField(oldOnly, values[0]!.at, values[0]!.blob)).rejects.toThrow(
      MasterKeyUnavailableError,
    );
    expect((await wrappedKeyCounts(t.db)).map((c) => c.masterKeyId)).toEqual([newKey.id]);

    const audit = await auditRows();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_kind: 'system',
      details: { from: oldKey.id, to: newKey.id, dataKeys: 3, indexKeys: 1 },
    });

    const verified = await nwd(['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Audit chain intact: 1 rows/);
    const head = /Head: row (\d+), sha256 ([0-9a-f]{64})/.exec(verified.stdout);
    expect(head).not.toBeNull();
    const anchored = await nwd(['audit', 'verify', '--anchor', `${head![1]}:${head![2]}`]);
    expect(anchored.code).toBe(0);

    const status = await nwd(['keys', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${newKey.id}: 3 data keys, 1 index key — current key`);

    // Alter the row in SQL, as the tests' superuser with the append-only trigger disabled.
    await tamper(
      t.pool,
      `update audit_events set details = jsonb_set(details, '{dataKeys}', '0') where seq = $1`,
      [audit[0]!.seq],
    );
    const broken = await nwd(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain(`Audit chain broken at row ${audit[0]!.seq} (altered)`);
  });

  it('stops with exit 1 and the remaining count when keys are locked, and a second run resumes', async () => {
    // Another transaction holds one data key: the rotation skips it and cannot finish.
    const locker = await t.pool.connect();
    let first: CommandResult;
    try {
      await locker.query('begin');
      await locker.query(`select id from data_keys where scope = $1 for update`, [values[1]!.at.scope]);
      first = await nwd(['keys', 'rotate', '--batch-size', '1']);
    } finally {
      await locker.query('rollback');
      locker.release();
    }
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/Not finished: 1 key remains not under master key/);
    expect(first.stderr).toMatch(/Run "nwd keys rotate" again: it resumes with the staged key/);
    const staged = stagedKeyFiles(keyFile);
    expect(staged).toHaveLength(1);
    expect(statSync(staged[0]!).mode & 0o777).toBe(0o600);
    const next = readMasterKeyFile(staged[0]!);
    // The key file is unchanged until every key is under the new key, and nothing was audited yet.
    expect(readMasterKeyFile(keyFile).id).toBe(oldKey.id);
    expect(await auditRows()).toHaveLength(0);

    const second = await nwd(['keys', 'rotate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Resuming the rotation to master key ${next.id}`);
    expect(readMasterKeyFile(keyFile).id).toBe(next.id);
    await expectReadableWith(next);
    const audit = await auditRows();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ from: oldKey.id, to: next.id, dataKeys: 1, indexKeys: 0 });
  });

  it('with the bundled PostgreSQL held by a running service, says to stop the service first', async () => {
    // This test process stands in for the service holding the data directory's lock.
    writeFileSync(join(dir, 'nwd.lock'), `${process.pid}\n`);
    const r = await runNwd(['keys', 'rotate'], { NWD_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already using the data directory/);
    expect(r.stderr).toMatch(/stop the service first/);
    expect(readMasterKeyFile(keyFile).id).toBe(oldKey.id);
  });
});

describe('nwd keys rotate with NWD_MASTER_KEY', () => {
  it('refuses without NWD_NEW_MASTER_KEY rather than print a generated key', async () => {
    const r = await nwd(['keys', 'rotate'], { NWD_MASTER_KEY: oldKey.encode() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NWD_NEW_MASTER_KEY/);
    expect(r.stderr).toMatch(/keys are never printed/);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    expect((await wrappedKeyCounts(t.db)).map((c) => c.masterKeyId)).toEqual([oldKey.id]);
  });

  it('rotates to NWD_NEW_MASTER_KEY, tells what to set, prints no key; later re-wraps keys an old instance made', async () => {
    const newKey = generateMasterKey();
    const r = await nwd(['keys', 'rotate'], {
      NWD_MASTER_KEY: oldKey.encode(),
      NWD_PREVIOUS_MASTER_KEYS: newKey.encode(),
      NWD_NEW_MASTER_KEY: newKey.encode(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Set NWD_MASTER_KEY to the value of NWD_NEW_MASTER_KEY/);
    expect(r.stdout).toMatch(/Set NWD_PREVIOUS_MASTER_KEYS to the old NWD_MASTER_KEY value/);
    expectNoKeyIn(r.stdout + r.stderr, oldKey, newKey);
    expect(readdirSync(dir)).toEqual([]);
    await expectReadableWith(newKey);

    // An instance not yet restarted still wraps new data keys under the old key …
    await new Keyring(t.db, oldKey).dataKeyFor(`person:${randomUUID()}`);
    // … and after the restart (new settings), the command re-wraps them without a new key.
    const after = { NWD_MASTER_KEY: newKey.encode(), NWD_PREVIOUS_MASTER_KEYS: oldKey.encode() };
    const status = await nwd(['keys', 'status'], after);
    expect(status.stdout).toContain(`${oldKey.id}: 1 data key, 0 index keys — previous key`);
    const catchUp = await nwd(['keys', 'rotate'], after);
    expect(catchUp.code).toBe(0);
    expect(catchUp.stdout).toMatch(new RegExp(`no key remains under ${oldKey.id}`));
    expect((await wrappedKeyCounts(t.db)).map((c) => c.masterKeyId)).toEqual([newKey.id]);
    const audit = await auditRows();
    expect(audit.map((a) => a.details)).toEqual([
      { from: oldKey.id, to: newKey.id, dataKeys: 3, indexKeys: 1 },
      { from: oldKey.id, to: newKey.id, dataKeys: 1, indexKeys: 0 },
    ]);
  });
});

describe('nwd keys rotate refuses', () => {
  it('when keys are wrapped under a master key it does not hold, naming it, and changes nothing', async () => {
    const stranger = generateMasterKey();
    await new Keyring(t.db, stranger).dataKeyFor(`person:${randomUUID()}`);
    writeMasterKeyFileExclusive(keyFile, oldKey);
    const r = await nwd(['keys', 'rotate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`master key ${stranger.id} is not loaded`);
    expect(stagedKeyFiles(keyFile)).toEqual([]);
    expect(readMasterKeyFile(keyFile).id).toBe(oldKey.id);
    expect(existsSync(previousKeyFilePath(keyFile, oldKey.id))).toBe(false);
  });
});
