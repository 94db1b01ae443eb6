import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { decryptField, encryptField, type FieldTarget } from './envelope.ts';
import {
  DataKeyDestroyedError,
  DecryptionError,
  MasterKeyError,
  MasterKeyUnavailableError,
} from './errors.ts';
import { Keyring } from './keyring.ts';
import { generateMasterKey, type MasterKey } from './master-key.ts';
import { rotateBatch, rotateMasterKey, wrappedKeyCounts } from './rotate.ts';
import { cryptoDb } from './tables.ts';

let t: TestDatabase;
let keyA: MasterKey;
let keyB: MasterKey;
let fields: { at: FieldTarget; blob: Buffer; text: string }[];
let shredded: { at: FieldTarget; blob: Buffer };
let emailIndex: string;

const LIVE_DATA_KEYS = 4;

beforeEach(async () => {
  t = await freshDatabase();
  keyA = generateMasterKey();
  keyB = generateMasterKey();
  const keyring = new Keyring(t.db, keyA);
  fields = [];
  for (let i = 0; i < LIVE_DATA_KEYS; i++) {
    const recordId = randomUUID();
    for (const field of ['legal_name', 'notes']) {
      const at = { scope: `person:${recordId}`, table: 'people', recordId, field };
      const text = `Synthetic Person ${i} ${field}`;
      fields.push({ at, blob: await encryptField(keyring, at, text), text });
    }
  }
  const gone = randomUUID();
  const at = { scope: `person:${gone}`, table: 'people', recordId: gone, field: 'legal_name' };
  shredded = { at, blob: await encryptField(keyring, at, 'Synthetic Shredded') };
  await keyring.destroyDataKey(at.scope);
  emailIndex = await keyring.blindIndex('person-email', 'synthetic.person@example.org');
});
afterEach(async () => {
  await t?.drop();
});

async function expectAllReadable(keyring: Keyring): Promise<void> {
  for (const f of fields) expect(await decryptField(keyring, f.at, f.blob)).toBe(f.text);
  await expect(decryptField(keyring, shredded.at, shredded.blob)).rejects.toThrow(DataKeyDestroyedError);
  expect(await keyring.blindIndex('person-email', 'synthetic.person@example.org')).toBe(emailIndex);
}

describe('rotateMasterKey', () => {
  it('re-wraps every key from A to B: B alone reads everything, A alone nothing', async () => {
    const batches: number[] = [];
    const result = await rotateMasterKey(t.db, keyA, keyB, {
      batchSize: 2,
      onBatch: (c) => void batches.push(c.dataKeys + c.destroyed + c.indexKeys),
    });
    expect(result).toEqual({
      dataKeys: LIVE_DATA_KEYS,
      indexKeys: 1,
      destroyed: 1,
      batches: 3,
      remaining: [],
    });
    expect(batches).toEqual([2, 4, 6]);
    expect(await wrappedKeyCounts(t.db)).toEqual([
      { masterKeyId: keyB.id, dataKeys: LIVE_DATA_KEYS + 1, indexKeys: 1 },
    ]);

    await expectAllReadable(new Keyring(t.db, keyB));
    const onlyA = new Keyring(t.db, keyA);
    await expect(decryptField(onlyA, fields[0]!.at, fields[0]!.blob)).rejects.toThrow(
      MasterKeyUnavailableError,
    );
    await expect(onlyA.blindIndex('person-email', 'x')).rejects.toThrow(
      `The blind-index key for person-email is wrapped under master key ${keyB.id}, which is not loaded (loaded: ${keyA.id})`,
    );
    const rows = await cryptoDb(t.db)
      .selectFrom('data_keys')
      .select(['rotated_at', 'destroyed_at', 'wrapped'])
      .execute();
    expect(rows.every((r) => r.rotated_at instanceof Date)).toBe(true);
    expect(rows.filter((r) => r.destroyed_at !== null).map((r) => r.wrapped.length)).toEqual([0]);
  });

  it('is idempotent', async () => {
    await rotateMasterKey(t.db, keyA, keyB);
    expect(await rotateMasterKey(t.db, [keyA], keyB)).toEqual({
      dataKeys: 0,
      indexKeys: 0,
      destroyed: 0,
      batches: 0,
      remaining: [],
    });
    await expectAllReadable(new Keyring(t.db, keyB));
  });

  it('resumes after an interruption, and [B, A] reads everything in between', async () => {
    const step = await rotateBatch(t.db, [keyA], keyB, 1);
    expect(step.dataKeys + step.destroyed + step.indexKeys).toBe(1);
    expect(step.indexKeys).toBe(0); // data keys come first
    expect(await wrappedKeyCounts(t.db)).toEqual(
      [
        { masterKeyId: keyA.id, dataKeys: LIVE_DATA_KEYS, indexKeys: 1 },
        { masterKeyId: keyB.id, dataKeys: 1, indexKeys: 0 },
      ].sort((x, y) => x.masterKeyId.localeCompare(y.masterKeyId)),
    );
    // A running service holding both keys, or the old key plus a resolver for the new one, reads on.
    await expectAllReadable(new Keyring(t.db, [keyB, keyA]));
    await expectAllReadable(
      new Keyring(t.db, keyA, { resolveMasterKey: (id) => (id === keyB.id ? keyB : undefined) }),
    );
    const onlyB = new Keyring(t.db, keyB);
    const results = await Promise.allSettled(fields.map((f) => decryptField(onlyB, f.at, f.blob)));
    // Only the two fields of the re-wrapped key, when the step took a live one.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(step.dataKeys * 2);

    const rest = await rotateMasterKey(t.db, keyA, keyB, { batchSize: 1 });
    expect(rest).toMatchObject({
      dataKeys: LIVE_DATA_KEYS - step.dataKeys,
      indexKeys: 1,
      destroyed: 1 - step.destroyed,
      remaining: [],
    });
    expect(rest.batches).toBe(LIVE_DATA_KEYS + 1);
    await expectAllReadable(new Keyring(t.db, keyB));
  });

  it('catches keys created under the old master key while it runs', async () => {
    const service = new Keyring(t.db, keyA); // an instance not yet restarted with the new key
    const late: { at: FieldTarget; blob: Buffer }[] = [];
    const result = await rotateMasterKey(t.db, keyA, keyB, {
      batchSize: 2,
      onBatch: async () => {
        if (late.length > 0) return;
        const recordId = randomUUID();
        const at = { scope: `case:${recordId}`, table: 'cases', recordId, field: 'notes' };
        late.push({ at, blob: await encryptField(service, at, 'Synthetic late note') });
      },
    });
    expect(result.remaining).toEqual([]);
    expect(result.dataKeys).toBe(LIVE_DATA_KEYS + 1);
    expect(await decryptField(new Keyring(t.db, keyB), late[0]!.at, late[0]!.blob)).toBe(
      'Synthetic late note',
    );
  });

  it('skips rows locked by another transaction and reports them as remaining', async () => {
    const client = await t.pool.connect();
    try {
      await client.query('begin');
      await client.query(`select 1 from data_keys where destroyed_at is null order by id limit 1 for update`);
      const first = await rotateMasterKey(t.db, keyA, keyB, { batchSize: 2 });
      expect(first.dataKeys).toBe(LIVE_DATA_KEYS - 1);
      expect(first.remaining).toEqual([{ masterKeyId: keyA.id, dataKeys: 1, indexKeys: 0 }]);
      await client.query('commit');
    } finally {
      client.release();
    }
    const second = await rotateMasterKey(t.db, keyA, keyB);
    expect(second).toMatchObject({ dataKeys: 1, remaining: [] });
    await expectAllReadable(new Keyring(t.db, keyB));
  });

  it('reports keys under a master key it was not given, and leaves them alone', async () => {
    const keyC = generateMasterKey();
    await new Keyring(t.db, keyC).dataKeyFor('case:under-c');
    const result = await rotateMasterKey(t.db, keyA, keyB);
    expect(result.remaining).toEqual([{ masterKeyId: keyC.id, dataKeys: 1, indexKeys: 0 }]);
    // Finishing later with every old key moves the rest.
    expect(await rotateMasterKey(t.db, [keyB, keyC], keyB)).toMatchObject({ dataKeys: 1, remaining: [] });
  });

  it('stops on a tampered wrapped key, rolling back only its batch', async () => {
    await sql`update data_keys set wrapped = set_byte(wrapped, 20, get_byte(wrapped, 20) # 1)
              where id = (select id from data_keys where destroyed_at is null order by id desc limit 1)`.execute(
      t.db,
    );
    await expect(rotateMasterKey(t.db, keyA, keyB, { batchSize: 1 })).rejects.toThrow(DecryptionError);
    const counts = await wrappedKeyCounts(t.db);
    expect(counts.find((c) => c.masterKeyId === keyA.id)?.dataKeys).toBeGreaterThan(0);
  });

  it('refuses to rotate a key to itself', async () => {
    await expect(rotateMasterKey(t.db, keyA, keyA)).rejects.toThrow(MasterKeyError);
    await expect(rotateBatch(t.db, [keyA], keyB, 0)).rejects.toThrow(/batchSize/);
  });
});
