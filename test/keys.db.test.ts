/**
 * Encryption keys at start (`loadKeys`) and the email outbox delivery loop, in process against a
 * database of their own. Synthetic data only.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  Keyring,
  MasterKeyError,
  SHARED_SCOPE,
  blindIndex,
  decryptField,
  encryptField,
  generateMasterKey,
  indexInput,
  readMasterKeyFile,
  rotateMasterKey,
  stagedKeyFilePath,
  wrappedKeyCounts,
  writeMasterKeyFileExclusive,
  type MasterKey,
} from '../src/platform/crypto/index.ts';
import { assertMasterKeyAvailable, loadKeys } from '../src/platform/keys/index.ts';
import { createLogger } from '../src/platform/log.ts';
import { enqueueEmail, mailDb, type MailTransport, type OutgoingEmail } from '../src/platform/mail/index.ts';
import { RATE_LIMIT_INDEX_PURPOSE, rateLimitKeyHash } from '../src/platform/rate-limit/index.ts';
import { startOutboxDelivery } from '../src/server.ts';
import { TEST_SITE } from './app.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

const log = createLogger('silent');
const dirs: string[] = [];
let t: TestDatabase;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nwd-keys-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Something encrypted under `key`, as another instance (or an earlier start) would have left it. */
async function encryptUnder(
  key: MasterKey,
): Promise<{ blob: Buffer; at: Parameters<typeof decryptField>[1] }> {
  const recordId = randomUUID();
  const at = { scope: `person:${recordId}`, table: 'synthetic_people', recordId, field: 'legal_name' };
  const blob = await encryptField(new Keyring(t.db, key), at, 'Synthetic Person Qwxz');
  return { blob, at };
}

beforeEach(async () => {
  t = await freshDatabase();
});
afterEach(async () => {
  await t?.drop();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('loadKeys', () => {
  it('with the bundled PostgreSQL creates the key file (0600) once, warns loudly, and configures rate limits', async () => {
    const dir = tempDir();
    const config = loadConfig({ NWD_DATA_DIR: dir });
    const first = sink();
    const loaded = await loadKeys(t.db, config, log, { warnings: first.stream });
    const keyFile = join(dir, 'master.key');
    expect(loaded.created).toBe(true);
    expect(loaded.source).toBe('file');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readMasterKeyFile(keyFile).id).toBe(loaded.masterKey.id);
    expect(first.text()).toContain(keyFile);
    expect(first.text()).toMatch(/can never be read again/);
    expect(first.text()).toMatch(/separately from the database backups/);
    expect(first.text()).not.toContain(loaded.masterKey.encode());
    // Rate-limit keys are hashed under the keyring's rate-limit index key.
    const indexKey = await loaded.keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE);
    expect(rateLimitKeyHash('synthetic.bucket', '192.0.2.1')).toBe(
      blindIndex(indexKey, indexInput('synthetic.bucket', '192.0.2.1')),
    );

    const second = sink();
    const again = await loadKeys(t.db, config, log, { warnings: second.stream });
    expect(again.created).toBe(false);
    expect(again.masterKey.id).toBe(loaded.masterKey.id);
    expect(second.text()).toBe('');
  });

  it('with DATABASE_URL and no key refuses before anything, and creates no key file', async () => {
    const dir = tempDir();
    const config = loadConfig({ DATABASE_URL: t.url, NWD_DATA_DIR: dir });
    expect(() => assertMasterKeyAvailable(config)).toThrow(/No master key: DATABASE_URL is set/);
    await expect(loadKeys(t.db, config, log)).rejects.toThrow(MasterKeyError);
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
  });

  it('with DATABASE_URL uses NWD_MASTER_KEY, or the key file', async () => {
    const dir = tempDir();
    const key = generateMasterKey();
    const fromEnv = await loadKeys(
      t.db,
      loadConfig({ DATABASE_URL: t.url, NWD_DATA_DIR: dir, NWD_MASTER_KEY: key.encode() }),
      log,
    );
    expect(fromEnv.masterKey.id).toBe(key.id);
    expect(fromEnv.source).toBe('env');
    writeMasterKeyFileExclusive(join(dir, 'master.key'), key);
    const fromFile = await loadKeys(t.db, loadConfig({ DATABASE_URL: t.url, NWD_DATA_DIR: dir }), log);
    expect(fromFile.masterKey.id).toBe(key.id);
    expect(fromFile.source).toBe('file');
  });

  it('refuses when the database holds keys under a master key that is not loaded, naming it', async () => {
    const other = generateMasterKey();
    await encryptUnder(other);
    const mine = generateMasterKey();
    const config = loadConfig({
      DATABASE_URL: t.url,
      NWD_DATA_DIR: tempDir(),
      NWD_MASTER_KEY: mine.encode(),
    });
    const refused = loadKeys(t.db, config, log);
    await expect(refused).rejects.toThrow(MasterKeyError);
    await expect(refused).rejects.toThrow(
      new RegExp(`1 data key and 0 index keys under master key ${other.id}`),
    );
  });

  it('reads what an earlier key encrypted when that key is in NWD_PREVIOUS_MASTER_KEYS', async () => {
    const old = generateMasterKey();
    const { blob, at } = await encryptUnder(old);
    const current = generateMasterKey();
    const { keyring, previous } = await loadKeys(
      t.db,
      loadConfig({
        DATABASE_URL: t.url,
        NWD_DATA_DIR: tempDir(),
        NWD_MASTER_KEY: current.encode(),
        NWD_PREVIOUS_MASTER_KEYS: old.encode(),
      }),
      log,
    );
    expect(previous.map((k) => k.id)).toEqual([old.id]);
    expect(await decryptField(keyring, at, blob)).toBe('Synthetic Person Qwxz');
    // New keys are wrapped under the current key.
    expect((await keyring.dataKeyFor(SHARED_SCOPE)).id).toBeTruthy();
    const counts = await wrappedKeyCounts(t.db);
    expect(counts.find((c) => c.masterKeyId === current.id)?.dataKeys).toBe(1);
  });

  it('accepts keys already re-wrapped under a key staged by a rotation in progress', async () => {
    const dir = tempDir();
    const current = generateMasterKey();
    const next = generateMasterKey();
    const keyFile = join(dir, 'master.key');
    writeMasterKeyFileExclusive(keyFile, current);
    writeMasterKeyFileExclusive(stagedKeyFilePath(keyFile, next.id), next);
    const { blob, at } = await encryptUnder(current);
    await rotateMasterKey(t.db, current, next);
    const { keyring } = await loadKeys(t.db, loadConfig({ DATABASE_URL: t.url, NWD_DATA_DIR: dir }), log);
    expect(keyring.masterKeyId).toBe(current.id);
    expect(await decryptField(keyring, at, blob)).toBe('Synthetic Person Qwxz');
  });

  it('with the bundled PostgreSQL and a missing key file, refuses to replace it when the database holds keys', async () => {
    const lost = generateMasterKey();
    await encryptUnder(lost);
    const dir = tempDir();
    const refused = loadKeys(t.db, loadConfig({ NWD_DATA_DIR: dir }), log);
    await expect(refused).rejects.toThrow(/key file .* is missing, but this database holds 1 data key/);
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
  });
});

describe('startOutboxDelivery', () => {
  it('sends the outbox on its timer, never two runs at once, and stop() waits for the run in progress', async () => {
    const keyring = new Keyring(t.db, generateMasterKey());
    for (let i = 0; i < 3; i++) {
      await t.db.transaction().execute((trx) =>
        enqueueEmail(
          trx,
          keyring,
          {
            to: `synthetic.staff.${i}@example.org`,
            template: 'notification',
            params: { link: `${TEST_SITE.origin}/staff`, headline: 'A referral is waiting for your answer' },
          },
          TEST_SITE,
        ),
      );
    }
    const sent: OutgoingEmail[] = [];
    let inFlight = 0;
    let mostAtOnce = 0;
    let closed = false;
    const transport: MailTransport = {
      kind: 'test',
      async send(email) {
        inFlight++;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        await new Promise((r) => setTimeout(r, 60));
        sent.push(email);
        inFlight--;
      },
      async close() {
        closed = true;
      },
    };
    // Batches of one every 10 ms, each send taking 60 ms: runs would overlap if they were allowed to.
    const delivery = startOutboxDelivery({
      db: t.db,
      keyring,
      transport,
      log,
      intervalMs: 10,
      delivery: { batchSize: 1, maxAttempts: 5 },
    });
    const until = Date.now() + 10_000;
    while (sent.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    await delivery.stop();
    expect(closed).toBe(true);
    expect(inFlight).toBe(0);
    expect(mostAtOnce).toBe(1);
    const after = sent.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.length).toBe(after); // nothing runs after stop()
    const rows = await mailDb(t.db).selectFrom('email_outbox').select('status').execute();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(after);
    expect(rows.filter((r) => r.status === 'sending')).toHaveLength(0);
    expect(sent.map((e) => e.to).sort()).toEqual(
      [0, 1, 2].slice(0, after).map((i) => `synthetic.staff.${i}@example.org`),
    );
  });
});
