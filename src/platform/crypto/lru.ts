/**
 * A bounded least-recently-used map whose entries also expire after a time to live.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; expires: number }>();

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    readonly now: () => number = Date.now,
  ) {
    if (!(maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  /**
   * The value, marked as most recently used; undefined when absent or expired.
   *
   * @example
   * cache.get('id:3f…');
   */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores the value, dropping the least recently used entry when full.
   *
   * @example
   * cache.set('id:3f…', dataKey);
   */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  /**
   * Removes one entry.
   *
   * @example
   * cache.delete('id:3f…');
   */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /**
   * Removes every entry.
   *
   * @example
   * cache.clear();
   */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
