/**
 * The keyring: data keys (one per scope) and blind-index keys (one per purpose), created on first use,
 * stored wrapped under the current master key and unwrapped with whichever loaded master key wrapped
 * them. Unwrapped keys stay in a bounded memory cache; they are never logged (printing a key shows its id).
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { sql } from 'kysely';
import { BlindIndexKey, assertPurpose, blindIndex } from './blind-index.ts';
import {
  DataKeyDestroyedError,
  DataKeyNotFoundError,
  DecryptionError,
  MasterKeyError,
  MasterKeyUnavailableError,
} from './errors.ts';
import { announceChange, type ChangeFeed } from '../changes/index.ts';
import { KEY_BYTES } from './gcm.ts';
import { LruCache } from './lru.ts';
import type { MasterKey } from './master-key.ts';
import { cryptoDb, type AnyKysely } from './tables.ts';
import { unwrapKey, wrapKey } from './wrap.ts';

/** The scope for data that belongs to no single case or person. */
export const SHARED_SCOPE = 'shared';
const SCOPE = /^[\x21-\x7e]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An unwrapped data key. Printing or serialising it shows its id and scope only. */
export class DataKey {
  readonly #key: Buffer;

  constructor(
    readonly id: string,
    readonly scope: string,
    key: Buffer,
  ) {
    this.#key = key;
  }

  get key(): Buffer {
    return this.#key;
  }

  toJSON(): { dataKeyId: string; scope: string } {
    return { dataKeyId: this.id, scope: this.scope };
  }

  [inspect.custom](): string {
    return `DataKey(${this.id})`;
  }
}

export interface KeyringOptions {
  /** Unwrapped keys kept in memory (default 1000). */
  cacheSize?: number;
  /**
   * How long an unwrapped key stays cached (default 5 minutes). A keyring that follows a `ChangeFeed`
   * drops a destroyed data key as soon as the destruction is announced, and reads data keys from the
   * database while the feed is not listening; without a feed, this is also how long another instance
   * may keep decrypting with a data key after it was destroyed here.
   */
  cacheTtlMs?: number;
  /** Called for a master key id that is not loaded (e.g. `keyFileResolver(keyFile)` during a rotation). */
  resolveMasterKey?: (masterKeyId: string) => MasterKey | undefined | Promise<MasterKey | undefined>;
}

interface WrappedRow {
  wrapped: Buffer;
  master_key_id: string;
  /** Created by the current transaction (so not known to be committed): never cached. */
  fresh: boolean;
}
interface DataKeyRow extends WrappedRow {
  id: string;
  scope: string;
  destroyed_at: Date | null;
}

const freshColumn = sql<boolean>`created_at = now()`.as('fresh');

export class Keyring {
  readonly #db: AnyKysely;
  readonly #current: MasterKey;
  readonly #masterKeys: Map<string, MasterKey>;
  readonly #resolve: KeyringOptions['resolveMasterKey'];
  readonly #dataKeys: LruCache<string, DataKey>;
  readonly #indexKeys: LruCache<string, BlindIndexKey>;
  // Keys created inside a caller's transaction are cached only for it: it may still roll back.
  readonly #pendingDataKeys = new WeakMap<object, Map<string, DataKey>>();
  readonly #pendingIndexKeys = new WeakMap<object, Map<string, BlindIndexKey>>();
  // Whether cached data keys may be used: always without a feed; while it listens with one.
  #dataKeysCurrent: () => boolean = () => true;
  // Counts announced destructions: a key read before one arrived may be the destroyed one, so it is
  // not cached (the read raced the announcement).
  #destructions = 0;
  #unfollow: (() => void) | null = null;

  /**
   * @param masterKeys the current master key first (it wraps new keys), then keys accepted for reading.
   * @example
   * const keyring = new Keyring(db, [current, ...loadPreviousMasterKeys({ env: process.env, keyFile })]);
   */
  constructor(db: AnyKysely, masterKeys: MasterKey | readonly MasterKey[], options: KeyringOptions = {}) {
    const list: readonly MasterKey[] = Array.isArray(masterKeys) ? masterKeys : [masterKeys as MasterKey];
    const current = list[0];
    if (!current) throw new MasterKeyError('A keyring needs at least one master key.');
    this.#db = db;
    this.#current = current;
    this.#masterKeys = new Map(list.map((k) => [k.id, k]));
    this.#resolve = options.resolveMasterKey;
    this.#dataKeys = new LruCache(options.cacheSize ?? 1000, options.cacheTtlMs ?? 5 * 60_000);
    this.#indexKeys = new LruCache(100, options.cacheTtlMs ?? 5 * 60_000);
  }

  /** The id of the master key that wraps new keys. */
  get masterKeyId(): string {
    return this.#current.id;
  }

  /**
   * The data key of `scope` (e.g. `case:<uuid>`, `person:<uuid>` or {@link SHARED_SCOPE}), created on
   * first use inside `trx` when given. Throws `DataKeyDestroyedError` when it was destroyed.
   *
   * @example
   * await db.transaction().execute(async (trx) => {
   *   const key = await keyring.dataKeyFor(`case:${caseId}`, trx);
   * });
   */
  async dataKeyFor(scope: string, trx?: AnyKysely): Promise<DataKey> {
    assertScope(scope);
    const known =
      this.#cachedDataKey(`scope:${scope}`) ??
      this.#pending(this.#pendingDataKeys, trx)?.get(`scope:${scope}`);
    if (known) return known;
    const epoch = this.#destructions;
    const db = cryptoDb(trx ?? this.#db);
    const existing = await this.#selectDataKey(db, 'scope', scope);
    if (existing) return this.#acceptDataKey(existing, trx, epoch);
    const secret = randomBytes(KEY_BYTES);
    const inserted = await db
      .insertInto('data_keys')
      .values({
        scope,
        wrapped: wrapKey(this.#current, 'dek', scope, secret),
        master_key_id: this.#current.id,
      })
      .onConflict((oc) => oc.column('scope').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      const key = new DataKey(inserted.id, scope, secret);
      this.#rememberDataKey(key, trx, trx?.isTransaction !== true);
      return key;
    }
    // A concurrent transaction created it first: use theirs.
    const raced = await this.#selectDataKey(db, 'scope', scope);
    if (!raced) throw concurrentCreation('data key');
    return this.#acceptDataKey(raced, trx, epoch);
  }

  /**
   * The data key with this id (as referenced by an encrypted field).
   *
   * @example
   * const key = await keyring.dataKeyById(fieldDataKeyId(blob));
   */
  async dataKeyById(id: string, trx?: AnyKysely): Promise<DataKey> {
    if (!UUID.test(id)) throw new DataKeyNotFoundError(id);
    const known =
      this.#cachedDataKey(`id:${id}`) ?? this.#pending(this.#pendingDataKeys, trx)?.get(`id:${id}`);
    if (known) return known;
    const epoch = this.#destructions;
    const row = await this.#selectDataKey(cryptoDb(trx ?? this.#db), 'id', id);
    if (!row) throw new DataKeyNotFoundError(id);
    return this.#acceptDataKey(row, trx, epoch);
  }

  /**
   * Crypto-shredding: empties the wrapped data key of `scope` and marks it destroyed, so that every field
   * encrypted under it becomes unreadable. Returns false when the scope had no live key. The shared scope
   * cannot be destroyed. Backups taken before still hold the wrapped key: they stay readable with the
   * master key of their time, so shredding reaches them only once that master key is retired.
   *
   * @example
   * await keyring.destroyDataKey(`person:${personId}`, trx);
   */
  async destroyDataKey(scope: string, trx?: AnyKysely): Promise<boolean> {
    assertScope(scope);
    if (scope === SHARED_SCOPE)
      throw new RangeError('The shared data key protects many records and cannot be destroyed.');
    const row = await cryptoDb(trx ?? this.#db)
      .updateTable('data_keys')
      .set({ wrapped: Buffer.alloc(0), destroyed_at: sql<Date>`now()` })
      .where('scope', '=', scope)
      .where('destroyed_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    // Every instance drops the key from its memory once this commits.
    if (row) await announceChange(trx ?? this.#db, 'data-key', { scope, id: row.id });
    this.#dataKeys.delete(`scope:${scope}`);
    const pending = this.#pending(this.#pendingDataKeys, trx);
    pending?.delete(`scope:${scope}`);
    if (row) {
      this.#dataKeys.delete(`id:${row.id}`);
      pending?.delete(`id:${row.id}`);
    }
    return row !== undefined;
  }

  /**
   * The blind-index key of `purpose`, created on first use inside `trx` when given.
   *
   * @example
   * const key = await keyring.indexKeyFor('staff-email');
   */
  async indexKeyFor(purpose: string, trx?: AnyKysely): Promise<BlindIndexKey> {
    assertPurpose(purpose);
    const known = this.#indexKeys.get(purpose) ?? this.#pending(this.#pendingIndexKeys, trx)?.get(purpose);
    if (known) return known;
    const db = cryptoDb(trx ?? this.#db);
    const select = () =>
      db
        .selectFrom('index_keys')
        .select(['wrapped', 'master_key_id', freshColumn])
        .where('purpose', '=', purpose)
        .executeTakeFirst();
    let row: WrappedRow | undefined = await select();
    if (!row) {
      const secret = randomBytes(KEY_BYTES);
      const inserted = await db
        .insertInto('index_keys')
        .values({
          purpose,
          wrapped: wrapKey(this.#current, 'index', purpose, secret),
          master_key_id: this.#current.id,
        })
        .onConflict((oc) => oc.column('purpose').doNothing())
        .returning('purpose')
        .executeTakeFirst();
      if (inserted)
        return this.#rememberIndexKey(new BlindIndexKey(purpose, secret), trx, trx?.isTransaction !== true);
      row = await select();
      if (!row) throw concurrentCreation('blind-index key');
    }
    const master = await this.#masterKey(row.master_key_id, `The blind-index key for ${purpose}`);
    const secret = unwrapKey(master, 'index', purpose, row.wrapped);
    if (!secret)
      throw new DecryptionError(
        `The blind-index key for ${purpose} does not unwrap: the stored key was altered.`,
      );
    return this.#rememberIndexKey(new BlindIndexKey(purpose, secret), trx, !row.fresh);
  }

  /**
   * The blind index of an already normalised value for `purpose` (32 hex characters).
   *
   * @example
   * const emailIndex = await keyring.blindIndex('staff-email', normaliseForIndex(email));
   */
  async blindIndex(purpose: string, normalisedValue: string, trx?: AnyKysely): Promise<string> {
    return blindIndex(await this.indexKeyFor(purpose, trx), normalisedValue);
  }

  /**
   * Drops every unwrapped key from memory.
   *
   * @example
   * keyring.forgetCachedKeys();
   */
  forgetCachedKeys(): void {
    this.#dataKeys.clear();
    this.#indexKeys.clear();
  }

  /**
   * Drops a data key destroyed on any instance as soon as the destruction is announced, forgets every
   * cached key whenever the feed (re)connects (an announcement may have been missed), and reads data
   * keys from the database while the feed is not listening.
   *
   * @example
   * keyring.follow(feed);
   */
  follow(feed: ChangeFeed): void {
    this.#unfollow?.();
    this.#dataKeysCurrent = () => feed.connected;
    this.#unfollow = feed.subscribe({
      topic: 'data-key',
      change: ({ scope, id }) => {
        this.#destructions += 1;
        this.#dataKeys.delete(`scope:${scope}`);
        if (id) this.#dataKeys.delete(`id:${id}`);
      },
      resync: () => {
        this.#destructions += 1;
        this.forgetCachedKeys();
      },
    });
  }

  #cachedDataKey(key: string): DataKey | undefined {
    return this.#dataKeysCurrent() ? this.#dataKeys.get(key) : undefined;
  }

  #selectDataKey(
    db: ReturnType<typeof cryptoDb>,
    by: 'id' | 'scope',
    value: string,
  ): Promise<DataKeyRow | undefined> {
    return db
      .selectFrom('data_keys')
      .select(['id', 'scope', 'wrapped', 'master_key_id', 'destroyed_at', freshColumn])
      .where(by, '=', value)
      .executeTakeFirst();
  }

  async #acceptDataKey(row: DataKeyRow, trx: AnyKysely | undefined, epoch: number): Promise<DataKey> {
    if (row.destroyed_at !== null) throw new DataKeyDestroyedError(row.id);
    const master = await this.#masterKey(row.master_key_id, `Data key ${row.id}`);
    const secret = unwrapKey(master, 'dek', row.scope, row.wrapped);
    if (!secret) {
      throw new DecryptionError(
        `Data key ${row.id} does not unwrap under master key ${master.id}: the stored key was altered or moved to another scope.`,
      );
    }
    const key = new DataKey(row.id, row.scope, secret);
    this.#rememberDataKey(key, trx, !row.fresh && epoch === this.#destructions);
    return key;
  }

  #rememberDataKey(key: DataKey, trx: AnyKysely | undefined, committed: boolean): void {
    const target = committed ? this.#dataKeys : this.#pendingFor(this.#pendingDataKeys, trx);
    target?.set(`scope:${key.scope}`, key);
    target?.set(`id:${key.id}`, key);
  }

  #rememberIndexKey(key: BlindIndexKey, trx: AnyKysely | undefined, committed: boolean): BlindIndexKey {
    (committed ? this.#indexKeys : this.#pendingFor(this.#pendingIndexKeys, trx))?.set(key.purpose, key);
    return key;
  }

  #pending<V>(map: WeakMap<object, Map<string, V>>, trx: AnyKysely | undefined): Map<string, V> | undefined {
    return trx?.isTransaction ? map.get(trx) : undefined;
  }

  #pendingFor<V>(
    map: WeakMap<object, Map<string, V>>,
    trx: AnyKysely | undefined,
  ): Map<string, V> | undefined {
    if (!trx?.isTransaction) return undefined;
    let pending = map.get(trx);
    if (!pending) map.set(trx, (pending = new Map()));
    return pending;
  }

  async #masterKey(id: string, what: string): Promise<MasterKey> {
    const loaded = this.#masterKeys.get(id);
    if (loaded) return loaded;
    const resolved = await this.#resolve?.(id);
    if (resolved?.id === id) {
      this.#masterKeys.set(id, resolved);
      return resolved;
    }
    throw new MasterKeyUnavailableError(id, [...this.#masterKeys.keys()], what);
  }
}

/**
 * Throws unless `scope` is 1–200 printable ASCII characters without spaces (e.g. `case:<uuid>`).
 *
 * @example
 * assertScope(`person:${personId}`);
 */
export function assertScope(scope: string): void {
  if (!SCOPE.test(scope))
    throw new RangeError('A data-key scope must be 1–200 printable ASCII characters without spaces.');
}

function concurrentCreation(what: string): Error {
  return new Error(
    `A ${what} was created by a concurrent transaction this one cannot see (repeatable read or serializable ` +
      `isolation): retry the transaction.`,
  );
}
