// The scope lock's heartbeat on fake time: renewals every third of the TTL, a store blip is not a
// lost lease, a lost lease aborts the signal; and a run whose lease is lost mid-discovery stops
// waiting for ARM and ends failed, committing nothing.
import { afterEach, describe, expect, it, vi } from "vitest";

import type { ArmReader } from "../../../lib/azure/arm-reader.js";
import { type Lease, type LeaseCheck, MemoryDriver, MemoryKeyspace, Store } from "../../../lib/cache/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { RunService } from "../../../lib/runs/run-service.js";
import { type HeartbeatTimers, ScopeLock } from "../../../lib/runs/scope-lock.js";

const log = createLogger({ level: "error", write: () => undefined });
const store = () => new Store({ driver: new MemoryDriver(new MemoryKeyspace()), log });

describe("ScopeLock.heartbeat", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("renews every third of the TTL; a store blip keeps going, a lost lease aborts the signal", async () => {
    vi.useFakeTimers();
    const answers: LeaseCheck[] = ["held", "unavailable", "lost"];
    const check = vi.fn(async () => answers.shift() ?? "lost");
    const lease = { name: "discovery:test", owner: "run-1", ttlMs: 6_000, check } as unknown as Lease;
    const heartbeat = new ScopeLock(store(), "discovery:test", 6_000).heartbeat(lease);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(check).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(check).toHaveBeenCalledTimes(1);
    expect(heartbeat.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(check).toHaveBeenCalledTimes(2);
    expect(heartbeat.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(heartbeat.signal.aborted).toBe(true);
    expect(String((heartbeat.signal.reason as Error).message)).toContain("was lost");
    heartbeat.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(check).toHaveBeenCalledTimes(3);
  });

  it("a run whose lease is lost while a subscription is discovered stops waiting, ends failed and commits nothing", async () => {
    const s = store();
    let tick: (() => void) | undefined;
    const timers: HeartbeatTimers = { setInterval: (fn) => ((tick = fn), 1), clearInterval: () => (tick = undefined) };
    let reached!: () => void;
    const reading = new Promise<void>((r) => (reached = r));
    // An ARM that never answers the providers list: only the heartbeat can end this delivery.
    const stuck = {
      listProviders: () => {
        reached();
        return new Promise(() => undefined);
      },
      listResources: async function* () {
        await new Promise(() => undefined);
        yield [];
      },
    } as unknown as ArmReader;
    const service = new RunService({
      store: s,
      log,
      scope: "test",
      subscriptions: ["6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c"],
      reader: () => stuck,
      endpoint: "https://127.0.0.1:1",
      concurrency: 1,
      lockTtlMs: 60_000,
      timers,
    });
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    const delivery = service.handle(started.messages[0]!, { dequeueCount: 1 });
    await reading;
    // Another holder takes the scope (the lease expired while this instance was paused).
    await s.locks.resume(service.lockName, started.run.runId, 0, 60_000).release();
    await s.locks.acquire(service.lockName, { ttlMs: 60_000, owner: "newer-run" });
    tick!();
    await expect(delivery).resolves.toEqual([]);
    expect(await service.view(started.run.runId)).toMatchObject({
      status: "failed",
      failure: expect.stringContaining("lost while subscription"),
    });
    expect(await s.snapshots.read("test")).toBeUndefined();
    expect(tick).toBeUndefined();
  });
});
