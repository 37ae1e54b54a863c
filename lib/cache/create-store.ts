import { Redis } from "@upstash/redis";

import type { Config } from "../config/index.js";
import { type Logger, registerSecret } from "../log/index.js";
import { MemoryDriver } from "./driver/memory/memory-driver.js";
import { MemoryKeyspace } from "./driver/memory/memory-keyspace.js";
import type { StoreDriver } from "./driver/store-driver.js";
import { UpstashDriver } from "./driver/upstash/upstash-driver.js";
import { Store, type StoreOptions } from "./store.js";

/** The settings the store reads (CACHE_MAX_BYTES optional, for callers that build settings by hand). */
export type StoreSettings = Pick<
  Config,
  | "UPSTASH_REDIS_REST_URL"
  | "UPSTASH_REDIS_REST_TOKEN"
  | "CACHE_TIMEOUT_MS"
  | "CACHE_MAX_ENTRIES"
  | "SNAPSHOT_CHUNK_BYTES"
  | "SNAPSHOT_KEEP"
> &
  Partial<Pick<Config, "CACHE_MAX_BYTES">>;

/** Overrides for {@link createStore}, for tests and tools. */
export type CreateStoreOverrides = Omit<StoreOptions, "driver" | "log" | "timeoutMs">;

/**
 * The store the settings ask for: Upstash when UPSTASH_REDIS_REST_URL and _TOKEN are set, the
 * in-memory driver otherwise. Logs which one it uses.
 *
 * Warning: call it once per process (module scope) and reuse the store; a store per invocation
 * loses single-flight, statistics and the breaker's memory, and with the in-memory driver, the data.
 */
export function createStore(config: StoreSettings, log: Logger, overrides: CreateStoreOverrides = {}): Store {
  const driver = driverFor(config);
  const snapshots = { chunkBytes: config.SNAPSHOT_CHUNK_BYTES, keep: config.SNAPSHOT_KEEP, ...overrides.snapshots };
  const store = new Store({ ...overrides, snapshots, driver, log, timeoutMs: config.CACHE_TIMEOUT_MS });
  if (driver.name === "upstash") {
    log.info("store: using Upstash Redis", {
      driver: "upstash",
      endpoint: endpointOf(config.UPSTASH_REDIS_REST_URL),
      timeoutMs: config.CACHE_TIMEOUT_MS,
    });
  } else {
    log.info("store: using the in-memory driver; nothing is shared between instances (set UPSTASH_REDIS_REST_URL to share)", {
      driver: "memory",
      maxEntries: config.CACHE_MAX_ENTRIES,
      maxBytes: config.CACHE_MAX_BYTES,
    });
  }
  return store;
}

function driverFor(config: StoreSettings): StoreDriver {
  const url = config.UPSTASH_REDIS_REST_URL;
  const token = config.UPSTASH_REDIS_REST_TOKEN;
  if (url === undefined || token === undefined) {
    return new MemoryDriver(
      new MemoryKeyspace({
        maxEntries: config.CACHE_MAX_ENTRIES,
        ...(config.CACHE_MAX_BYTES !== undefined && { maxBytes: config.CACHE_MAX_BYTES }),
      }),
    );
  }
  registerSecret(token);
  const redis = new Redis({
    url,
    token,
    // Values are strings the store encodes itself; the client must not turn "12" into 12.
    automaticDeserialization: false,
    // The store's breaker and timeout handle failures; client retries would outlast the timeout.
    retry: { retries: 0 },
    // Every value is UTF-8 (JSON text, base64 chunks), so replies need no base64 layer: a third
    // fewer bytes, and no per-byte decoding of multi-megabyte snapshot chunks in the client.
    responseEncoding: false,
    enableTelemetry: false,
  });
  return new UpstashDriver({ redis });
}

function endpointOf(url: string | undefined): string {
  try {
    return new URL(url ?? "").host;
  } catch {
    return "(invalid url)";
  }
}
