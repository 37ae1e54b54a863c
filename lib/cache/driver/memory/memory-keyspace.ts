/** A value held in memory: a string, or a list for the few list commands the store uses. */
export type MemoryValue = string | string[];

interface Entry {
  value: MemoryValue;
  /** Epoch ms after which the entry is gone; undefined for persistent entries. */
  expiresAt?: number;
}

/** Options of {@link MemoryKeyspace}. */
export interface MemoryKeyspaceOptions {
  /** Most entries held; past it the least recently used entry is evicted. @default 10_000 */
  maxEntries?: number;
  /**
   * Most characters (keys and values) the entries with a TTL hold together (caches, run state);
   * past it the least recently used of them are evicted, and a value larger than the whole budget
   * is not kept at all. Persistent entries (snapshot chunks) are not counted. @default 67_108_864
   */
  maxBytes?: number;
  /** Clock for TTLs. @default Date.now */
  now?: () => number;
}

/**
 * The in-memory driver's data: bounded, with TTLs, evicting least recently used entries that have a
 * TTL first (like Redis's volatile-lru), and persistent ones only when nothing else is left.
 * Share one keyspace between several stores to act like instances sharing a Redis.
 *
 * Warning: a `maxEntries` smaller than what committed snapshots need (their chunks are persistent)
 * evicts snapshot chunks; reads then fall back to an older snapshot or fail.
 */
export class MemoryKeyspace {
  /** How many entries were evicted to stay within `maxEntries`. */
  evictions = 0;
  /** Characters held by entries with a TTL. */
  volatileBytes = 0;
  private readonly volatile = new Map<string, Entry>();
  private readonly persistent = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: MemoryKeyspaceOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`Expected \`maxEntries\` to be an integer from 1 and up, got ${max}`);
    this.maxEntries = max;
    const maxBytes = options.maxBytes ?? 67_108_864;
    if (!(maxBytes >= 1)) throw new RangeError(`Expected \`maxBytes\` to be a number from 1 and up, got ${maxBytes}`);
    this.maxBytes = maxBytes;
    this.now = options.now ?? Date.now;
  }

  /** Live entries (expired ones are dropped as they are met). */
  get size(): number {
    return this.volatile.size + this.persistent.size;
  }

  /** The value of a live entry, marking it recently used. */
  read(key: string): MemoryValue | undefined {
    const entry = this.live(key);
    if (entry === undefined) return undefined;
    this.touch(key, entry);
    return entry.value;
  }

  /** Stores `value`, with a TTL when `ttlMs` is given (else persistent), evicting if full. */
  write(key: string, value: MemoryValue, ttlMs?: number): void {
    this.remove(key);
    const entry: Entry = ttlMs === undefined ? { value } : { value, expiresAt: this.now() + ttlMs };
    if (entry.expiresAt !== undefined) {
      const bytes = sizeOf(key, value);
      // Larger than the whole budget: keeping it would evict everything else and then itself.
      if (bytes > this.maxBytes) {
        this.evictions++;
        return;
      }
      this.volatileBytes += bytes;
      this.volatile.set(key, entry);
    } else {
      this.persistent.set(key, entry);
    }
    this.evict();
  }

  /** Deletes a live entry; true when there was one. */
  delete(key: string): boolean {
    const had = this.live(key) !== undefined;
    this.remove(key);
    return had;
  }

  /** Sets (`ttlMs`) or clears (undefined) the TTL of a live entry; true when there was one. */
  expire(key: string, ttlMs: number | undefined): boolean {
    const entry = this.live(key);
    if (entry === undefined) return false;
    this.remove(key);
    this.write(key, entry.value, ttlMs);
    return true;
  }

  /** Live keys, in no particular order. */
  *keys(): IterableIterator<string> {
    for (const map of [this.volatile, this.persistent]) {
      for (const key of [...map.keys()]) if (this.live(key) !== undefined) yield key;
    }
  }

  private live(key: string): Entry | undefined {
    const entry = this.volatile.get(key) ?? this.persistent.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.removeVolatile(key);
      return undefined;
    }
    return entry;
  }

  private touch(key: string, entry: Entry): void {
    const map = entry.expiresAt === undefined ? this.persistent : this.volatile;
    map.delete(key);
    map.set(key, entry);
  }

  private remove(key: string): void {
    this.removeVolatile(key);
    this.persistent.delete(key);
  }

  private removeVolatile(key: string): void {
    const entry = this.volatile.get(key);
    if (entry === undefined) return;
    this.volatileBytes -= sizeOf(key, entry.value);
    this.volatile.delete(key);
  }

  private evict(): void {
    while (this.size > this.maxEntries || this.volatileBytes > this.maxBytes) {
      const victim = this.volatile.keys().next();
      if (!victim.done) {
        const entry = this.volatile.get(victim.value);
        this.removeVolatile(victim.value);
        // An already expired entry is not an eviction, just overdue housekeeping.
        if (entry?.expiresAt !== undefined && entry.expiresAt > this.now()) this.evictions++;
        continue;
      }
      // Only the entry count evicts persistent entries; the byte budget counts TTL'd ones.
      if (this.size <= this.maxEntries) return;
      const oldest = this.persistent.keys().next();
      if (oldest.done) return;
      this.persistent.delete(oldest.value);
      this.evictions++;
    }
  }
}

/** Characters an entry holds: its key and its value (every item of a list). */
function sizeOf(key: string, value: MemoryValue): number {
  return key.length + (typeof value === "string" ? value.length : value.reduce((n, item) => n + item.length, 0));
}
