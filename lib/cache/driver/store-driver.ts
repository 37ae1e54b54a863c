/** Which backend holds the data. */
export type DriverName = "upstash" | "memory";

/** One page of a SCAN: the next cursor (`"0"` when done) and the keys found. */
export interface ScanPage {
  cursor: string;
  keys: string[];
}

/**
 * The lock a pointer swap is fenced by: the swap happens only while `lockKey` holds `owner` and
 * the lock's fencing counter `fenceKey` still equals `token`.
 */
export interface SwapFence {
  lockKey: string;
  fenceKey: string;
  owner: string;
  token: number;
}

/**
 * An atomic pointer swap (the snapshot commit): if `pointerKey` still holds `expected`, the
 * `fence` (when given) still stands and every `requiredKeys` exists, make them persistent, set the
 * pointer to `next`, push `listAppend` onto `listKey` and increment `counterKey`, all at once.
 */
export interface PointerSwap {
  pointerKey: string;
  /** The value the pointer must hold; null for "absent". */
  expected: string | null;
  next: string;
  requiredKeys: readonly string[];
  counterKey: string;
  listKey: string;
  listAppend: readonly string[];
  /** Commit only while this lock is held by this owner under this fencing token. */
  fence?: SwapFence;
}

/** Outcome of a {@link PointerSwap}: committed with the counter's new value, or why not. */
export type PointerSwapResult =
  | { status: "committed"; counter: number }
  | { status: "conflict" }
  | { status: "missing"; key: string }
  /** The fence no longer stands: who holds the lock now (null: nobody) and the counter's value. */
  | { status: "fenced"; holder: string | null; token: number };

/**
 * The operations TopDeck needs from Redis: plain commands plus atomic compounds (locks and
 * the commit). Implemented over @upstash/redis ({@link UpstashDriver}) and in process
 * ({@link MemoryDriver}); values are strings, TTLs milliseconds.
 */
export interface StoreDriver {
  readonly name: DriverName;
  get(key: string): Promise<string | null>;
  /** Values of `keys` in one round trip and one atomic read. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /**
   * Sets `key`, with a TTL when `ttlMs` is given. `alone` sends it in a request of its own, never
   * batched with other commands: for values close to the request-size limit.
   */
  set(key: string, value: string, ttlMs?: number, alone?: boolean): Promise<void>;
  /** Deletes `keys`; resolves to how many existed. */
  del(keys: readonly string[]): Promise<number>;
  exists(key: string): Promise<boolean>;
  /** Sets the time to live of every existing key of `keys`. */
  pexpire(keys: readonly string[], ttlMs: number): Promise<void>;
  incr(key: string): Promise<number>;
  /** One SCAN step with MATCH `match` (a Redis glob); never KEYS. */
  scan(cursor: string, match: string, count: number): Promise<ScanPage>;
  listRange(key: string): Promise<string[]>;
  listRemove(key: string, value: string): Promise<void>;
  /** SET key owner NX PX ttl and, when that took, INCR fenceKey: the fencing token, or null when held. */
  acquireLock(key: string, fenceKey: string, owner: string, ttlMs: number): Promise<number | null>;
  /** Resets the lock's TTL if `owner` still holds it. */
  renewLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Deletes the lock if `owner` still holds it (compare-and-delete). */
  releaseLock(key: string, owner: string): Promise<boolean>;
  /** The snapshot commit; see {@link PointerSwap}. Checks, in order: pointer, fence, required keys. */
  swapPointer(swap: PointerSwap): Promise<PointerSwapResult>;
  /**
   * Compare-and-set: sets `key` to `value` with a TTL only if it still holds `expected` (null:
   * only if absent), in one atomic step. @returns whether it wrote.
   */
  setIfValue(key: string, expected: string | null, value: string, ttlMs: number): Promise<boolean>;
}
