import type { PointerSwap, PointerSwapResult, ScanPage, StoreDriver } from "../store-driver.js";
import { globMatch } from "./glob-match.js";
import { MemoryKeyspace } from "./memory-keyspace.js";

/**
 * The embedded driver: a {@link MemoryKeyspace} behind the {@link StoreDriver} operations, with the
 * same semantics as the Upstash driver (glob, SCAN cursors, lock and commit atomicity).
 *
 * Warning: nothing is shared between processes; each Functions instance has its own cache, locks
 * only exclude callers in the same process, and snapshots die with the instance.
 */
export class MemoryDriver implements StoreDriver {
  readonly name = "memory" as const;

  constructor(
    /** The data; pass one keyspace to several drivers to share it. @default a new keyspace */
    readonly keyspace: MemoryKeyspace = new MemoryKeyspace(),
  ) {}

  /** @inheritdoc */
  async get(key: string): Promise<string | null> {
    return this.string(key);
  }

  /** @inheritdoc */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((k) => this.string(k));
  }

  /** @inheritdoc */
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.keyspace.write(key, value, ttlMs);
  }

  /** @inheritdoc */
  async del(keys: readonly string[]): Promise<number> {
    return keys.filter((k) => this.keyspace.delete(k)).length;
  }

  /** @inheritdoc */
  async exists(key: string): Promise<boolean> {
    return this.keyspace.read(key) !== undefined;
  }

  /** @inheritdoc */
  async pexpire(keys: readonly string[], ttlMs: number): Promise<void> {
    for (const key of keys) this.keyspace.expire(key, ttlMs);
  }

  /** @inheritdoc */
  async incr(key: string): Promise<number> {
    const next = Number(this.string(key) ?? "0") + 1;
    if (!Number.isSafeInteger(next)) throw new Error("ERR value is not an integer or out of range");
    this.keyspace.write(key, String(next));
    return next;
  }

  /**
   * @inheritdoc
   * The cursor is the last key returned in sorted order, so keys that exist for the whole scan are
   * returned exactly once, as Redis guarantees at least once.
   */
  async scan(cursor: string, match: string, count: number): Promise<ScanPage> {
    const after = cursor === "0" ? undefined : cursor.slice(1);
    const keys = [...this.keyspace.keys()].filter((k) => after === undefined || k > after).sort();
    const page = keys.slice(0, Math.max(1, count));
    const last = page[page.length - 1];
    return {
      cursor: page.length < keys.length && last !== undefined ? `>${last}` : "0",
      keys: page.filter((k) => globMatch(match, k)),
    };
  }

  /** @inheritdoc */
  async listRange(key: string): Promise<string[]> {
    const value = this.keyspace.read(key);
    return Array.isArray(value) ? [...value] : [];
  }

  /** @inheritdoc */
  async listRemove(key: string, value: string): Promise<void> {
    const list = this.keyspace.read(key);
    if (!Array.isArray(list)) return;
    const rest = list.filter((v) => v !== value);
    if (rest.length === 0) this.keyspace.delete(key);
    else this.keyspace.write(key, rest);
  }

  /** @inheritdoc */
  async acquireLock(key: string, fenceKey: string, owner: string, ttlMs: number): Promise<number | null> {
    if (this.keyspace.read(key) !== undefined) return null;
    this.keyspace.write(key, owner, ttlMs);
    return this.incr(fenceKey);
  }

  /** @inheritdoc */
  async renewLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.string(key) === owner && this.keyspace.expire(key, ttlMs);
  }

  /** @inheritdoc */
  async releaseLock(key: string, owner: string): Promise<boolean> {
    return this.string(key) === owner && this.keyspace.delete(key);
  }

  /** @inheritdoc */
  async swapPointer(swap: PointerSwap): Promise<PointerSwapResult> {
    if (this.string(swap.pointerKey) !== swap.expected) return { status: "conflict" };
    if (swap.fence !== undefined) {
      const holder = this.string(swap.fence.lockKey);
      const token = Number(this.string(swap.fence.fenceKey) ?? "0");
      if (holder !== swap.fence.owner || token !== swap.fence.token) return { status: "fenced", holder, token };
    }
    const missing = swap.requiredKeys.find((k) => this.keyspace.read(k) === undefined);
    if (missing !== undefined) return { status: "missing", key: missing };
    for (const key of swap.requiredKeys) this.keyspace.expire(key, undefined);
    this.keyspace.write(swap.pointerKey, swap.next);
    if (swap.listAppend.length > 0) {
      const list = this.keyspace.read(swap.listKey);
      this.keyspace.write(swap.listKey, [...(Array.isArray(list) ? list : []), ...swap.listAppend]);
    }
    return { status: "committed", counter: await this.incr(swap.counterKey) };
  }

  /** @inheritdoc */
  async setIfValue(key: string, expected: string | null, value: string, ttlMs: number): Promise<boolean> {
    if (this.string(key) !== expected) return false;
    this.keyspace.write(key, value, ttlMs);
    return true;
  }

  private string(key: string): string | null {
    const value = this.keyspace.read(key);
    if (Array.isArray(value)) throw new Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    return value ?? null;
  }
}
