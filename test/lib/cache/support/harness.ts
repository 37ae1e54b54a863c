// One behavioural suite, two drivers: `useDrivers()` starts redis-server behind the Upstash REST
// bridge for the file, and hands each test a fresh key prefix with a way to open stores on it as
// separate "processes" would (own client for Upstash, a shared keyspace for memory).
import { afterAll, beforeAll } from "vitest";

import {
  createStore,
  type DriverName,
  MemoryDriver,
  MemoryKeyspace,
  Store,
  type StoreDriver,
  type StoreOptions,
  UpstashDriver,
} from "../../../../lib/cache/index.js";
import { createLogger, type LogRecord } from "../../../../lib/log/index.js";
import { startUpstashStack, type UpstashStack } from "../../../support/redis.js";

/** The drivers every behavioural test runs against. */
export const DRIVERS: readonly DriverName[] = ["upstash", "memory"];

/** Store options a test may set (the driver and the prefix come from the harness). */
export type OpenOptions = Omit<StoreOptions, "driver" | "prefix">;

/** A test's view of one driver: a prefix of its own, stores on it, raw driver access, logs. */
export interface DriverUnderTest {
  readonly name: DriverName;
  readonly prefix: string;
  /** Log lines of every store opened here. */
  readonly logs: LogRecord[];
  /** A new store on this test's prefix, as a new instance of the app would open it. */
  open(options?: OpenOptions): Store;
  /** A raw driver on the same data, to tamper with or inspect keys. */
  raw(): StoreDriver;
  /** The Upstash stack (undefined for memory). */
  readonly stack: UpstashStack | undefined;
}

/**
 * Registers beforeAll/afterAll that start and stop redis-server plus the bridge for this file.
 * `bridgeOptions.maxRequestBytes` makes the bridge refuse larger requests, as Upstash does.
 */
export function useDrivers(bridgeOptions: { maxRequestBytes?: number } = {}): (name: DriverName) => DriverUnderTest {
  let stack: UpstashStack | undefined;
  const keyspace = new MemoryKeyspace({ maxEntries: 1_000_000 });
  let n = 0;
  beforeAll(async () => {
    stack = await startUpstashStack(bridgeOptions);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  return (name) => {
    const prefix = `t${process.pid}-${++n}`;
    const logs: LogRecord[] = [];
    const log = createLogger({ level: "debug", write: (_line, record) => logs.push(record) });
    const raw = (): StoreDriver => {
      if (name === "memory") return new MemoryDriver(keyspace);
      if (stack === undefined) throw new Error("the Upstash stack did not start");
      return new UpstashDriver({ redis: stack.client({ automaticDeserialization: false, retry: { retries: 0 } }) });
    };
    return {
      name,
      prefix,
      logs,
      get stack() {
        return name === "upstash" ? stack : undefined;
      },
      raw,
      open: (options = {}) => {
        // Generous default timeout: these tests are about behaviour, and the machine is shared.
        const opts = { timeoutMs: 5_000, ...options, prefix };
        if (name === "memory" || stack === undefined) return new Store({ log, ...opts, driver: raw() });
        const { timeoutMs, log: ownLog, ...overrides } = opts;
        const settings = {
          UPSTASH_REDIS_REST_URL: stack.url,
          UPSTASH_REDIS_REST_TOKEN: stack.token,
          CACHE_TIMEOUT_MS: timeoutMs,
          CACHE_MAX_ENTRIES: 10_000,
          SNAPSHOT_CHUNK_BYTES: 1_000_000,
          SNAPSHOT_KEEP: 3,
        };
        return createStore(settings, ownLog ?? log, overrides);
      },
    };
  };
}

/** Resolves after `ms` of real time; only for TTLs a real server enforces (keep it under 50 ms). */
export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
