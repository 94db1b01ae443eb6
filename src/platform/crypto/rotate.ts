/**
 * Master-key rotation: re-wraps every data key and blind-index key from old master keys to a new one,
 * in batches of one transaction each (`for update skip locked`), so it is resumable, idempotent (rows
 * already under the new key are never selected) and safe while the service runs. Field ciphertexts and
 * blind-index values do not change: only the wrapping of their keys does.
 *
 * Intended `nwd keys rotate` flow (wired by the CLI; re-authentication required when started from the UI):
 *  1. Load the current key (`loadOrCreateMasterKey({ allowCreate: false })`) and the keys still accepted
 *     (`loadPreviousMasterKeys`). Run `wrappedKeyCounts`: rows under a key that is not loaded stop here.
 *  2. The new key is `NWD_NEW_MASTER_KEY` (`parseMasterKey`). Without it, and with a key file in use,
 *     generate one (`generateMasterKey`) and write it with `writeMasterKeyFileExclusive(
 *     stagedKeyFilePath(keyFile, next.id), next)` BEFORE any row is re-wrapped: a crash mid-rotation must
 *     never leave rows under a key that exists only in memory. The key file itself is replaced only in
 *     step 4. (An interrupted run finds the staged file with `stagedKeyFiles` and resumes with it.) With
 *     `NWD_MASTER_KEY` in the environment, refuse without `NWD_NEW_MASTER_KEY`: there is nowhere safe to
 *     write a generated key. Print key ids only, never a key.
 *  3. `rotateMasterKey(db, [current, ...previous], next, { batchSize, onBatch })`, printing progress.
 *     `remaining` not empty (rows locked at that moment, or created meanwhile by an instance that still
 *     wraps under the old key) → say so and exit 1; running the command again resumes.
 *  4. Key file: `promoteStagedKeyFile(keyFile, current.id, next.id)` links the old file to
 *     `<keyFile>.previous-<oldId>` and renames the staged key over the key file. Environment: tell the
 *     operator to set `NWD_MASTER_KEY=<new>` and `NWD_PREVIOUS_MASTER_KEYS=<old>` in the secret store.
 *  5. Tell the operator to restart the instances. Until then they wrap new data keys under the old key
 *     (they read re-wrapped rows through `keyFileResolver`; instances configured by environment need the
 *     new key in `NWD_PREVIOUS_MASTER_KEYS` before step 3). After the restart, `nwd keys rotate` with the
 *     previous keys still holding rows re-wraps those rows to the current key without a new one
 *     (`rotateMasterKey(db, previous, current)`); once `wrappedKeyCounts` shows nothing under the old id
 *     the operator may delete `<keyFile>.previous-<oldId>` — but backups taken before the rotation still
 *     need the old key, so it is archived as long as they are kept.
 */
import { sql } from 'kysely';
import { DecryptionError, MasterKeyError } from './errors.ts';
import type { MasterKey } from './master-key.ts';
import { cryptoDb, type AnyKysely } from './tables.ts';
import { unwrapKey, wrapKey } from './wrap.ts';

export interface RotationCounts {
  /** Live data keys re-wrapped. */
  dataKeys: number;
  /** Blind-index keys re-wrapped. */
  indexKeys: number;
  /** Destroyed data keys (nothing to re-wrap) moved to the new master key id. */
  destroyed: number;
}

export interface RotationResult extends RotationCounts {
  batches: number;
  /** Rows still not under the new key, by master key id (empty when the rotation is complete). */
  remaining: WrappedKeyCount[];
}

export interface WrappedKeyCount {
  masterKeyId: string;
  dataKeys: number;
  indexKeys: number;
}

export interface RotateOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Called (and awaited) after each batch with the running totals. */
  onBatch?: (totals: RotationCounts) => void | Promise<void>;
}

/**
 * Re-wraps every key wrapped under `oldKey` (or any of the old keys) to `newKey`, batch after batch,
 * until none is left that this call can lock.
 *
 * @example
 * const result = await rotateMasterKey(db, [current, ...previous], next, { batchSize: 500 });
 * if (result.remaining.length > 0) console.error('Some keys are still under the old master key: run it again.');
 */
export async function rotateMasterKey(
  db: AnyKysely,
  oldKey: MasterKey | readonly MasterKey[],
  newKey: MasterKey,
  options: RotateOptions = {},
): Promise<RotationResult> {
  const from = Array.isArray(oldKey) ? (oldKey as readonly MasterKey[]) : [oldKey as MasterKey];
  const totals: RotationCounts = { dataKeys: 0, indexKeys: 0, destroyed: 0 };
  let batches = 0;
  for (;;) {
    const batch = await rotateBatch(db, from, newKey, options.batchSize ?? 500);
    if (batch.dataKeys + batch.indexKeys + batch.destroyed === 0) break;
    batches += 1;
    totals.dataKeys += batch.dataKeys;
    totals.indexKeys += batch.indexKeys;
    totals.destroyed += batch.destroyed;
    await options.onBatch?.({ ...totals });
  }
  const remaining = (await wrappedKeyCounts(db)).filter((c) => c.masterKeyId !== newKey.id);
  return { ...totals, batches, remaining };
}

/**
 * One step of a rotation, in one transaction: re-wraps up to `batchSize` keys (data keys first, then
 * index keys) that are under one of `oldKeys` and not locked by another transaction. All zero counts
 * mean there is nothing left to do.
 *
 * @example
 * const step = await rotateBatch(db, [current], next, 100); // { dataKeys: 100, indexKeys: 0, destroyed: 0 }
 */
export async function rotateBatch(
  db: AnyKysely,
  oldKeys: readonly MasterKey[],
  newKey: MasterKey,
  batchSize: number,
): Promise<RotationCounts> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer.');
  const sources = new Map(oldKeys.filter((k) => k.id !== newKey.id).map((k) => [k.id, k]));
  if (sources.size === 0)
    throw new MasterKeyError('Nothing to rotate from: the new master key is the only key given.');
  const ids = [...sources.keys()];
  return cryptoDb(db)
    .transaction()
    .execute(async (trx) => {
      const counts: RotationCounts = { dataKeys: 0, indexKeys: 0, destroyed: 0 };
      const dataKeys = await trx
        .selectFrom('data_keys')
        .select(['id', 'scope', 'wrapped', 'master_key_id', 'destroyed_at'])
        .where('master_key_id', 'in', ids)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of dataKeys) {
        let wrapped: Buffer = Buffer.alloc(0);
        if (row.destroyed_at === null) {
          wrapped = rewrap(sources, newKey, 'dek', row.scope, row, `Data key ${row.id}`);
          counts.dataKeys += 1;
        } else {
          counts.destroyed += 1;
        }
        await trx
          .updateTable('data_keys')
          .set({ wrapped, master_key_id: newKey.id, rotated_at: sql<Date>`now()` })
          .where('id', '=', row.id)
          .execute();
      }
      const room = batchSize - dataKeys.length;
      if (room === 0) return counts;
      const indexKeys = await trx
        .selectFrom('index_keys')
        .select(['purpose', 'wrapped', 'master_key_id'])
        .where('master_key_id', 'in', ids)
        .orderBy('purpose')
        .limit(room)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of indexKeys) {
        const wrapped = rewrap(
          sources,
          newKey,
          'index',
          row.purpose,
          row,
          `The blind-index key for ${row.purpose}`,
        );
        await trx
          .updateTable('index_keys')
          .set({ wrapped, master_key_id: newKey.id, rotated_at: sql<Date>`now()` })
          .where('purpose', '=', row.purpose)
          .execute();
        counts.indexKeys += 1;
      }
      return counts;
    });
}

/**
 * How many data keys and index keys each master key wraps (destroyed data keys included): tells whether
 * a rotation is complete and whether the loaded keys can read this database.
 *
 * @example
 * const counts = await wrappedKeyCounts(db); // [{ masterKeyId: '3f9a…', dataKeys: 1200, indexKeys: 3 }]
 */
export async function wrappedKeyCounts(db: AnyKysely): Promise<WrappedKeyCount[]> {
  const c = cryptoDb(db);
  const [data, index] = await Promise.all([
    c
      .selectFrom('data_keys')
      .select(['master_key_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('master_key_id')
      .execute(),
    c
      .selectFrom('index_keys')
      .select(['master_key_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('master_key_id')
      .execute(),
  ]);
  const counts = new Map<string, WrappedKeyCount>();
  const entry = (id: string) => {
    let e = counts.get(id);
    if (!e) counts.set(id, (e = { masterKeyId: id, dataKeys: 0, indexKeys: 0 }));
    return e;
  };
  for (const r of data) entry(r.master_key_id).dataKeys = Number(r.n);
  for (const r of index) entry(r.master_key_id).indexKeys = Number(r.n);
  return [...counts.values()].sort((a, b) => a.masterKeyId.localeCompare(b.masterKeyId));
}

function rewrap(
  sources: Map<string, MasterKey>,
  to: MasterKey,
  kind: 'dek' | 'index',
  name: string,
  row: { wrapped: Buffer; master_key_id: string },
  what: string,
): Buffer {
  const from = sources.get(row.master_key_id);
  const secret = from && unwrapKey(from, kind, name, row.wrapped);
  if (!from || !secret) {
    throw new DecryptionError(
      `${what} does not unwrap under master key ${row.master_key_id}: the stored key was altered. The rotation ` +
        `stopped; this batch was rolled back and earlier batches stay done.`,
    );
  }
  const wrapped = wrapKey(to, kind, name, secret);
  secret.fill(0);
  return wrapped;
}
