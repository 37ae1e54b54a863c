import type { Redis } from "@upstash/redis";

import type { PointerSwap, PointerSwapResult, ScanPage, StoreDriver } from "../store-driver.js";
import { ACQUIRE_LOCK, RELEASE_LOCK, RENEW_LOCK, SET_IF_VALUE, SWAP_POINTER } from "./scripts.js";

/** The @upstash/redis commands the driver uses; the real `Redis` satisfies it, and so does a small fake. */
export type UpstashCommands = Pick<
  Redis,
  "get" | "mget" | "set" | "del" | "exists" | "pexpire" | "incr" | "scan" | "lrange" | "lrem" | "eval" | "pipeline"
>;

/** Options of {@link UpstashDriver}. */
export interface UpstashDriverOptions {
  /**
   * The client. Build it with `automaticDeserialization: false` (values are strings the store
   * encodes itself) and `retry: { retries: 0 }` (the store's breaker and timeout handle failures).
   */
  redis: UpstashCommands;
  /**
   * Values longer than this (in characters) are sent in a request of their own instead of riding
   * the client's auto-pipeline, so one request never carries two large values. @default 16_384
   */
  soloValueChars?: number;
}

/**
 * {@link StoreDriver} over the Upstash REST API. Reads of one logical value are one command (so
 * one HTTP round trip, batched with concurrent ones by the client's auto-pipelining); locks and
 * the snapshot commit are Lua scripts.
 *
 * Warning: a client with automatic deserialization on turns stored strings such as `"12"` into
 * numbers; the driver expects raw strings.
 */
export class UpstashDriver implements StoreDriver {
  readonly name = "upstash" as const;
  private readonly redis: UpstashCommands;
  private readonly soloValueChars: number;

  constructor(options: UpstashDriverOptions) {
    this.redis = options.redis;
    this.soloValueChars = options.soloValueChars ?? 16_384;
  }

  /** @inheritdoc */
  async get(key: string): Promise<string | null> {
    return asString(await this.redis.get<string>(key));
  }

  /** @inheritdoc */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget<(string | null)[]>(...keys);
    return values.map(asString);
  }

  /** @inheritdoc */
  async set(key: string, value: string, ttlMs?: number, alone = false): Promise<void> {
    const opts = ttlMs === undefined ? undefined : { px: Math.max(1, Math.ceil(ttlMs)) };
    if (alone || value.length > this.soloValueChars) {
      // An explicit pipeline is its own HTTP request, holding only this command.
      await this.redis.pipeline().set(key, value, opts).exec();
      return;
    }
    await this.redis.set(key, value, opts);
  }

  /** @inheritdoc */
  async del(keys: readonly string[]): Promise<number> {
    return keys.length === 0 ? 0 : this.redis.del(...keys);
  }

  /** @inheritdoc */
  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) > 0;
  }

  /** @inheritdoc */
  async pexpire(keys: readonly string[], ttlMs: number): Promise<void> {
    await Promise.all(keys.map((k) => this.redis.pexpire(k, Math.max(1, Math.ceil(ttlMs)))));
  }

  /** @inheritdoc */
  async incr(key: string): Promise<number> {
    return this.redis.incr(key);
  }

  /** @inheritdoc */
  async scan(cursor: string, match: string, count: number): Promise<ScanPage> {
    const [next, keys] = await this.redis.scan(cursor, { match, count });
    return { cursor: String(next), keys: keys.map(String) };
  }

  /** @inheritdoc */
  async listRange(key: string): Promise<string[]> {
    return (await this.redis.lrange<string>(key, 0, -1)).map(String);
  }

  /** @inheritdoc */
  async listRemove(key: string, value: string): Promise<void> {
    await this.redis.lrem(key, 0, value);
  }

  /** @inheritdoc */
  async acquireLock(key: string, fenceKey: string, owner: string, ttlMs: number): Promise<number | null> {
    const token = Number(await this.redis.eval(ACQUIRE_LOCK, [key, fenceKey], [owner, String(Math.ceil(ttlMs))]));
    return token > 0 ? token : null;
  }

  /** @inheritdoc */
  async renewLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return Number(await this.redis.eval(RENEW_LOCK, [key], [owner, String(Math.ceil(ttlMs))])) === 1;
  }

  /** @inheritdoc */
  async releaseLock(key: string, owner: string): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE_LOCK, [key], [owner])) === 1;
  }

  /** @inheritdoc */
  async swapPointer(swap: PointerSwap): Promise<PointerSwapResult> {
    const { fence } = swap;
    const fenceKeys = fence === undefined ? [] : [fence.lockKey, fence.fenceKey];
    const keys = [swap.pointerKey, swap.counterKey, swap.listKey, ...fenceKeys, ...swap.requiredKeys];
    const fenceArgs = fence === undefined ? ["0", "", ""] : ["1", fence.owner, String(fence.token)];
    const args = [swap.expected === null ? "0" : "1", swap.expected ?? "", swap.next, ...fenceArgs, ...swap.listAppend];
    const reply = await this.redis.eval(SWAP_POINTER, keys, args);
    const [status, detail, extra] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (status === "committed") return { status, counter: Number(detail) };
    if (status === "conflict") return { status };
    // Lua's false (a nil GET) arrives as null.
    if (status === "fenced") return { status, holder: typeof detail === "string" ? detail : null, token: Number(extra) };
    if (status === "missing") return { status, key: String(detail) };
    throw new TypeError(`unexpected reply from the commit script: ${JSON.stringify(reply)}`);
  }

  /** @inheritdoc */
  async setIfValue(key: string, expected: string | null, value: string, ttlMs: number): Promise<boolean> {
    const args = [expected === null ? "0" : "1", expected ?? "", value, String(Math.max(1, Math.ceil(ttlMs)))];
    return Number(await this.redis.eval(SET_IF_VALUE, [key], args)) === 1;
  }
}

function asString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}
