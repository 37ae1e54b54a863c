// Redis going away and coming back, against redis-server behind the bridge with the real client:
// no crash, reads fall through to the source, writes are dropped and counted, the breaker opens
// so a dead Redis costs at most one timeout per operation (counted, not timed), and everything
// recovers by itself. Committed snapshots survive the bridge dying (redis keeps them).
//
// Only Date is faked (the breaker reads it): the clock stands still during an outage, so no probe
// slips in however slow the machine, and the test moves it past the breaker's wait to recover.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { createStore, isStoreUnavailableError, type Store } from "../../../lib/cache/index.js";
import { createLogger, type LogRecord } from "../../../lib/log/index.js";
import { CircuitBreaker } from "../../../lib/resilience/index.js";
import { startUpstashBridge, type UpstashBridge } from "../../../tools/upstash-bridge/server.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";
import { isWhole, makeExport } from "./support/exports.js";
import { pause } from "./support/harness.js";
import { blockRedis } from "./support/redis-tools.js";

const FAILURES_TO_OPEN = 3;
const HALF_OPEN_MS = 60_000;
const item = z.object({ n: z.number() });

let stack: UpstashStack;
let replacement: UpstashBridge | undefined;
let n = 0;

beforeAll(async () => {
  stack = await startUpstashStack();
});
afterAll(async () => {
  await replacement?.close();
  await stack?.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the clock past the breaker's wait, so the next call probes Redis. */
function waitOutBreaker(): void {
  vi.setSystemTime(Date.now() + HALF_OPEN_MS + 1);
}

function open(options: { timeoutMs?: number } = {}): { store: Store; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  const log = createLogger({ level: "debug", write: (_l, r) => logs.push(r) });
  const breaker = new CircuitBreaker("redis", {
    consecutiveFailures: FAILURES_TO_OPEN,
    halfOpenAfterMs: HALF_OPEN_MS,
    isFailure: () => true,
  });
  const settings = {
    UPSTASH_REDIS_REST_URL: stack.url,
    UPSTASH_REDIS_REST_TOKEN: stack.token,
    CACHE_TIMEOUT_MS: options.timeoutMs ?? 2_000,
    CACHE_MAX_ENTRIES: 10_000,
    SNAPSHOT_CHUNK_BYTES: 1_000_000,
    SNAPSHOT_KEEP: 3,
  };
  return { store: createStore(settings, log, { prefix: `deg${++n}`, breaker }), logs };
}

describe("degradation (Upstash over the bridge)", () => {
  it("redis-server killed: reads fall through, writes are dropped, the breaker opens after 3 calls; restarted: it recovers by itself", async () => {
    const { store, logs } = open();
    const cache = store.cache("c");
    let value = 0;
    const source = vi.fn(async () => ({ n: ++value }));
    const opts = { key: "k", ttlMs: 60_000, schema: item };
    await cache.cached(source, opts);
    expect(await cache.cached(source, opts)).toEqual({ n: 1 });
    await store.snapshots.write("s", makeExport("before", 10));
    expect(store.state().state).toBe("up");

    await stack.redis.kill();
    stack.bridge.resetStats();
    for (let i = 0; i < 10; i++) expect(await cache.cached(source, opts)).toEqual({ n: 2 + i });
    expect(source).toHaveBeenCalledTimes(11);

    // Only the calls before the breaker opened reached the bridge; everything after was refused at once.
    const state = store.state();
    expect(stack.bridge.stats().requests).toBe(FAILURES_TO_OPEN);
    expect(state).toMatchObject({ driver: "upstash", state: "down", breaker: "open" });
    expect(state.counters).toMatchObject({
      failures: FAILURES_TO_OPEN,
      timeouts: 0,
      refused: 20 - FAILURES_TO_OPEN,
      droppedWrites: 10,
      fallthroughReads: 10,
    });
    expect(store.stats().c).toMatchObject({ errors: 20, droppedWrites: 10, loads: 11 });

    // Snapshots: reads answer from this instance's last copy, writes fail with a typed error, locks say why.
    expect((await store.snapshots.read("s"))?.source).toBe("instance-copy");
    const e: unknown = await store.snapshots.write("s", makeExport("during", 10)).catch((x: unknown) => x);
    expect(isStoreUnavailableError(e) && e.reason).toBe("breaker-open");
    expect(await store.locks.acquire("l", { ttlMs: 1_000 })).toEqual({ acquired: false, reason: "unavailable" });
    expect(logs.some((r) => r.level === "warn" && r.message.includes("breaker open"))).toBe(true);

    await stack.redis.restart();
    waitOutBreaker();
    // The first call probes, succeeds, and closes the breaker; redis came back empty, so it is a miss.
    expect(await cache.cached(source, opts)).toEqual({ n: 12 });
    expect(store.state()).toMatchObject({ state: "up", breaker: "closed" });
    expect(await cache.cached(source, opts)).toEqual({ n: 12 });
    expect(source).toHaveBeenCalledTimes(12);
    expect(logs.some((r) => r.level === "info" && r.message.includes("breaker closed"))).toBe(true);

    // The snapshot commit had moved the generation to 1; the empty Redis counts from 0 again, and
    // generational reads follow it: after one load, a hit is one round trip again.
    const queries = store.cache("q", { generational: true });
    await queries.cached(source, { ...opts, key: "impact" });
    stack.bridge.resetStats();
    expect(await queries.cached(source, { ...opts, key: "impact" })).toEqual({ n: 13 });
    expect(stack.bridge.stats().requests).toBe(1);
    expect(store.generation.known).toBe(0);
  });

  it("the bridge killed mid-run and restarted on its port: recovery is automatic and the committed snapshot is still there", async () => {
    const { store } = open();
    const cache = store.cache("c");
    await store.snapshots.write("s", makeExport("committed", 500));
    // Fresh for longer than the clock is moved to wait out the breaker.
    await cache.set("k", { n: 1 }, { ttlMs: 10 * HALF_OPEN_MS });
    const port = Number(new URL(stack.url).port);

    await stack.bridge.close();
    const before = store.state().counters;
    for (let i = 0; i < 6; i++) expect(await cache.get("k", item)).toBeUndefined();
    expect(await cache.set("k", { n: 2 }, { ttlMs: 60_000 })).toEqual({ stored: false, reason: "unavailable" });
    const during = store.state().counters;
    expect(during.failures - before.failures).toBe(FAILURES_TO_OPEN);
    expect(during.refused - before.refused).toBe(7 - FAILURES_TO_OPEN);
    expect(store.state().state).toBe("down");

    replacement = await startUpstashBridge({ port, redisPort: stack.redis.port, token: stack.token });
    waitOutBreaker();
    expect(await cache.get("k", item)).toEqual({ n: 1 });
    expect(store.state()).toMatchObject({ state: "up", breaker: "closed" });
    const read = await store.snapshots.read("s");
    expect(read?.source).toBe("store");
    expect(isWhole(read!.export, 500)).toBe(true);
  });

  it("a Redis too slow to answer costs one timeout per call until the breaker opens, then nothing", async () => {
    const { store } = open({ timeoutMs: 100 });
    const cache = store.cache("slow");
    await cache.set("k", { n: 1 }, { ttlMs: 60_000 });
    const bridge = replacement ?? stack.bridge;
    const busy = await blockRedis(stack.redis.port, 800);
    await pause(20);
    bridge.resetStats();
    for (let i = 0; i < 8; i++) expect(await cache.get("k", item)).toBeUndefined();
    const { counters, state } = store.state();
    expect(state).toBe("down");
    expect(counters).toMatchObject({ timeouts: FAILURES_TO_OPEN, failures: FAILURES_TO_OPEN, refused: 8 - FAILURES_TO_OPEN });
    expect(bridge.stats().requests).toBe(FAILURES_TO_OPEN);
    await busy.done;
  });
});
