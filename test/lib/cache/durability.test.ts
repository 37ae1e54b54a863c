// redis-server SIGKILLed in the middle of a snapshot write, then started again: a committed
// snapshot is never lost, a half-written one is never visible, and the writer gets a typed error
// and succeeds once Redis is back. Redis here persists what it acknowledges, as Upstash does.
import { randomUUID } from "node:crypto";

import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isStoreUnavailableError, Store, type StoreDriver, UpstashDriver } from "../../../lib/cache/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { CircuitBreaker } from "../../../lib/resilience/index.js";
import { startUpstashBridge, type UpstashBridge } from "../../../tools/upstash-bridge/server.js";
import { type DurableRedis, startDurableRedis } from "./support/durable-redis.js";
import { isWhole, makeExport } from "./support/exports.js";
import { pause } from "./support/harness.js";

const SIZE = 3_000;
const HALF_OPEN_MS = 20;
let redis: DurableRedis;
let bridge: UpstashBridge;

beforeAll(async () => {
  redis = await startDurableRedis();
  bridge = await startUpstashBridge({ redisPort: redis.port, token: randomUUID() });
});
afterAll(async () => {
  await bridge?.close();
  await redis?.stop();
});

/** A store whose driver awaits `before(call)` ahead of each call of `method`: a plug to pull at a chosen moment. */
function openStore(prefix: string, method?: keyof StoreDriver, before?: (call: number) => Promise<void>): Store {
  const client = new Redis({
    url: bridge.url,
    token: bridge.token,
    automaticDeserialization: false,
    retry: { retries: 0 },
    enableTelemetry: false,
  });
  const driver = new UpstashDriver({ redis: client });
  let calls = 0;
  const hooked = new Proxy(driver, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || before === undefined || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await before(++calls);
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return new Store({
    driver: hooked,
    prefix,
    breaker: new CircuitBreaker("redis", { consecutiveFailures: 3, halfOpenAfterMs: HALF_OPEN_MS, isFailure: () => true }),
    timeoutMs: 2_000,
    log: createLogger({ write: () => {} }),
    snapshots: { chunkBytes: 16_384, writeConcurrency: 1 },
  });
}

async function restartRedis(): Promise<void> {
  await redis.start();
  await pause(HALF_OPEN_MS + 5);
}

describe("snapshots across a redis-server crash (persistent Redis, SIGKILL)", () => {
  it("killed while chunks are being staged: the committed snapshot survives, the new one is invisible, a retry commits it", async () => {
    let armedAt: number | undefined = undefined;
    const store = openStore("dur1", "set", async (call) => {
      if (armedAt !== undefined && call === armedAt + 2) await redis.kill();
    });
    await store.snapshots.write("s", makeExport("committed", SIZE));
    const before = await store.snapshots.list("s");
    expect(before[0]?.chunks).toBeGreaterThan(3);
    armedAt = before[0]!.chunks;

    const e: unknown = await store.snapshots.write("s", makeExport("next", SIZE)).catch((x: unknown) => x);
    expect(isStoreUnavailableError(e)).toBe(true);
    await restartRedis();

    const reader = openStore("dur1");
    const read = await reader.snapshots.read("s");
    expect(read?.export.runId).toBe("committed");
    expect(isWhole(read!.export, SIZE)).toBe(true);
    expect((await reader.snapshots.list("s")).map((m) => m.runId)).toEqual(["committed"]);

    await store.snapshots.write("s", makeExport("next", SIZE));
    expect((await reader.snapshots.read("s"))?.export.runId).toBe("next");
  });

  it("killed at the commit: the old snapshot stays current; after restart the same staged snapshot commits", async () => {
    let armed = false;
    const store = openStore("dur2", "swapPointer", async () => {
      if (armed) {
        armed = false;
        await redis.kill();
      }
    });
    await store.snapshots.write("s", makeExport("committed", SIZE));
    armed = true;
    const staged = await store.snapshots.stage("s", makeExport("next", SIZE));
    const e: unknown = await store.snapshots.commit(staged).catch((x: unknown) => x);
    expect(isStoreUnavailableError(e)).toBe(true);
    await restartRedis();

    const reader = openStore("dur2");
    expect((await reader.snapshots.read("s"))?.export.runId).toBe("committed");
    const gen = await reader.generation.current();
    const committed = await store.snapshots.commit(staged);
    expect(committed.generation).toBe(gen + 1);
    const read = await reader.snapshots.read("s");
    expect(read?.export.runId).toBe("next");
    expect(isWhole(read!.export, SIZE)).toBe(true);
  });
});
