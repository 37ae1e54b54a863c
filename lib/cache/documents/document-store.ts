import type { ZodType } from "zod";

import type { StoreGuard } from "../guard/store-guard.js";
import type { KeyInput, KeyLayout } from "../keys/key-layout.js";

/** Longest wait for one document operation: state writes must land, so longer than a cache read. */
const DOCUMENT_TIMEOUT_MS = 5_000;

/**
 * JSON documents with a time to live: state that work spread over instances shares (a discovery
 * run's record, each subscription's report). Unlike the caches, a failure is not a miss: reads
 * and writes throw StoreUnavailableError, so the caller retries (a queue message is redelivered).
 * A stored value that fails its schema reads as absent.
 */
export class DocumentStore {
  constructor(
    private readonly guard: StoreGuard,
    private readonly layout: KeyLayout,
  ) {}

  /** The document at `key` of `namespace`, or undefined when absent or not of `schema`'s shape. */
  async get<T>(namespace: string, key: KeyInput, schema: ZodType<T>): Promise<T | undefined> {
    const [value] = await this.getMany(namespace, [key], schema);
    return value;
  }

  /** Several documents of one namespace in one round trip, in the order of `keys`. */
  async getMany<T>(namespace: string, keys: readonly KeyInput[], schema: ZodType<T>): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const raw = await this.guard.call(
      "document.get",
      (d) => d.mget(keys.map((k) => this.layout.document(namespace, k))),
      DOCUMENT_TIMEOUT_MS,
    );
    return raw.map((text) => parse(text, schema));
  }

  /**
   * The document at `key` with its version, for a later {@link setIfVersion}: undefined when
   * absent or not of `schema`'s shape. The version is opaque (today the stored text itself).
   *
   * Warning: a stored value of another shape reads as undefined but is not absent, so
   * `setIfVersion(..., null)` keeps refusing until it expires; treat repeated refusals as a
   * conflict, not as a reason to loop.
   * @throws StoreUnavailableError when the store cannot answer.
   */
  async getVersioned<T>(namespace: string, key: KeyInput, schema: ZodType<T>): Promise<{ value: T; version: string } | undefined> {
    const fullKey = this.layout.document(namespace, key);
    const text = await this.guard.call("document.get", (d) => d.get(fullKey), DOCUMENT_TIMEOUT_MS);
    const value = parse(text, schema);
    return value === undefined || text === null ? undefined : { value, version: text };
  }

  /**
   * Compare-and-set: writes the document at `key` (expiring after `ttlMs`) only if it is still at
   * version `expected` from {@link getVersioned}, or absent when `expected` is null, in one atomic
   * step. @returns false when it did not match (someone else wrote first: read again).
   * @throws StoreUnavailableError when the store fails; the write may or may not have happened,
   *   so read again before deciding.
   */
  async setIfVersion(namespace: string, key: KeyInput, value: unknown, ttlMs: number, expected: string | null): Promise<boolean> {
    const fullKey = this.layout.document(namespace, key);
    const text = JSON.stringify(value);
    return this.guard.call("document.cas", (d) => d.setIfValue(fullKey, expected, text, ttlMs), DOCUMENT_TIMEOUT_MS);
  }

  /** Writes the document at `key`, expiring after `ttlMs`. */
  async set(namespace: string, key: KeyInput, value: unknown, ttlMs: number): Promise<void> {
    const text = JSON.stringify(value);
    await this.guard.call("document.set", (d) => d.set(this.layout.document(namespace, key), text, ttlMs), DOCUMENT_TIMEOUT_MS);
  }
}

function parse<T>(text: string | null, schema: ZodType<T>): T | undefined {
  if (text === null) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
