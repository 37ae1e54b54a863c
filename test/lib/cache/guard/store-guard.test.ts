import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isStoreUnavailableError, MemoryDriver, StoreGuard, type StoreUnavailableError } from "../../../../lib/cache/index.js";
import { CircuitBreaker } from "../../../../lib/resilience/index.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse("2026-01-02T00:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

const never = (): Promise<never> => new Promise(() => {});

async function failure(p: Promise<unknown>): Promise<StoreUnavailableError> {
  const e: unknown = await p.catch((x: unknown) => x);
  if (!isStoreUnavailableError(e)) throw new Error(`expected a StoreUnavailableError, got ${String(e)}`);
  return e;
}

describe("StoreGuard", () => {
  it("a hung Redis costs the timeout per call until the breaker opens, then nothing; a probe closes it again", async () => {
    const guard = new StoreGuard({
      driver: new MemoryDriver(),
      timeoutMs: 250,
      breaker: new CircuitBreaker("redis", { consecutiveFailures: 3, halfOpenAfterMs: 5_000, isFailure: () => true }),
    });
    const hung = vi.fn(never);
    for (let i = 0; i < 3; i++) {
      const call = failure(guard.call("get", hung));
      await vi.advanceTimersByTimeAsync(250);
      expect((await call).reason).toBe("timeout");
    }
    expect(guard.state()).toMatchObject({ state: "down", breaker: "open" });
    const refused = await failure(guard.call("get", hung));
    expect(refused.reason).toBe("breaker-open");
    expect(hung).toHaveBeenCalledTimes(3);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(await guard.call("get", (d) => d.get("k"))).toBeNull();
    expect(guard.state()).toMatchObject({
      state: "up",
      breaker: "closed",
      counters: { operations: 5, failures: 3, timeouts: 3, refused: 1 },
    });
  });

  it("reports degraded after a failure while the breaker is still closed, and keeps error messages short", async () => {
    const guard = new StoreGuard({ driver: new MemoryDriver() });
    await failure(guard.call("set", () => Promise.reject(new Error(`boom ${"x".repeat(5_000)}`))));
    const state = guard.state();
    expect(state).toMatchObject({ state: "degraded", breaker: "closed", counters: { failures: 1, timeouts: 0 } });
    expect(state.lastError?.length).toBeLessThanOrEqual(300);
  });
});
