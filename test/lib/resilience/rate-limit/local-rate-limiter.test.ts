import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { LocalRateLimiter } from "../../../../lib/resilience/rate-limit/local-rate-limiter.js";
import type { RateLimitResult } from "../../../../lib/resilience/rate-limit/rate-limit-result.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

function track(p: Promise<RateLimitResult>): { settled: () => RateLimitResult | undefined; error: () => unknown } {
  let result: RateLimitResult | undefined;
  let error: unknown;
  p.then(
    (r) => (result = r),
    (e: unknown) => (error = e),
  );
  return { settled: () => result, error: () => error };
}

describe("LocalRateLimiter", () => {
  it("grants a burst at once, then one token per refill interval", async () => {
    const l = new LocalRateLimiter({ burst: 5, refillPerSecond: 10 });
    for (let i = 0; i < 5; i++) expect((await l.acquire()).success).toBe(true);
    const next = track(l.acquire());
    await vi.advanceTimersByTimeAsync(99);
    expect(next.settled()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(next.settled()).toMatchObject({ success: true, reason: "granted", remaining: 0 });
  });

  it("answers as data: success, remaining, reset, reason", () => {
    const l = new LocalRateLimiter({ burst: 4, refillPerSecond: 2 });
    expect(l.tryAcquire(3)).toEqual({ success: true, remaining: 1, reset: 1_500, reason: "granted" });
    expect(l.tryAcquire(2)).toEqual({ success: false, remaining: 1, reset: 1_500, reason: "empty" });
    expect(l.tryAcquire(5)).toMatchObject({ success: false, reason: "exceeds-burst" });
  });

  it("serves waiters first come, first served: a cheap call does not overtake an expensive one", async () => {
    const l = new LocalRateLimiter({ burst: 3, refillPerSecond: 1, initialTokens: 0 });
    const order: string[] = [];
    const big = l.acquire({ cost: 3 }).then(() => order.push("big"));
    const small = l.acquire({ cost: 1 }).then(() => order.push("small"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([]);
    expect(l.tryAcquire(1).reason).toBe("empty");
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all([big, small]);
    expect(order).toEqual(["big", "small"]);
  });

  it("an abort gives up the place at once and lets the next waiter through; nothing is left behind", async () => {
    const l = new LocalRateLimiter({ burst: 5, refillPerSecond: 1, initialTokens: 1 });
    const ctrl = new AbortController();
    const big = track(l.acquire({ cost: 5, signal: ctrl.signal }));
    const small = track(l.acquire({ cost: 1 }));
    await vi.advanceTimersByTimeAsync(10);
    expect(l.queued).toBe(2);
    ctrl.abort(new Error("caller gave up"));
    await vi.advanceTimersByTimeAsync(0);
    expect(big.error()).toMatchObject({ message: "caller gave up" });
    expect(small.settled()).toMatchObject({ success: true });
    expect(l.queued).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an already-aborted signal is refused without queueing", async () => {
    const l = new LocalRateLimiter({ burst: 1, refillPerSecond: 1 });
    await expect(l.acquire({ signal: AbortSignal.abort(new Error("no")) })).rejects.toThrow("no");
    expect(l.tryAcquire().success).toBe(true);
  });

  it("refuses at once with max-wait when the queue ahead is longer than the caller will wait", async () => {
    const l = new LocalRateLimiter({ burst: 2, refillPerSecond: 10, initialTokens: 0 });
    void l.acquire({ cost: 2 });
    expect(await l.acquire({ cost: 1, maxWaitMs: 250 })).toMatchObject({ success: false, reason: "max-wait" });
    expect(l.queued).toBe(1);
    const within = track(l.acquire({ cost: 1, maxWaitMs: 300 }));
    await vi.advanceTimersByTimeAsync(300);
    expect(within.settled()).toMatchObject({ success: true });
  });

  it("adapts down to the server's remaining budget, and never up", async () => {
    const l = new LocalRateLimiter({ burst: 250, refillPerSecond: 25 });
    l.observeRemaining(2);
    expect(l.tryAcquire(2).success).toBe(true);
    expect(l.tryAcquire().success).toBe(false);
    l.observeRemaining(10_000);
    expect(l.tryAcquire().success).toBe(false);
    const next = track(l.acquire());
    await vi.advanceTimersByTimeAsync(40);
    expect(next.settled()).toMatchObject({ success: true });
  });

  it("a server hint while callers wait makes them wait longer (no lock held while sleeping)", async () => {
    const l = new LocalRateLimiter({ burst: 10, refillPerSecond: 10, initialTokens: 0 });
    const waiting = track(l.acquire({ cost: 1 }));
    await vi.advanceTimersByTimeAsync(50);
    l.pause(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(waiting.settled()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(waiting.settled()).toMatchObject({ success: true });
  });

  it("pause: nothing is granted for the server's wait, then the bucket refills from empty", async () => {
    const l = new LocalRateLimiter({ burst: 250, refillPerSecond: 25 });
    l.pause(2_000);
    expect(l.tryAcquire().success).toBe(false);
    vi.advanceTimersByTime(2_000);
    expect(l.tryAcquire().success).toBe(false);
    vi.advanceTimersByTime(40);
    expect(l.tryAcquire().success).toBe(true);
    expect(l.tryAcquire().success).toBe(false);
  });

  it("rejects a cost that is not a positive number", async () => {
    const l = new LocalRateLimiter({ burst: 1, refillPerSecond: 1 });
    expect(() => l.tryAcquire(0)).toThrow(/`cost`/);
    await expect(l.acquire({ cost: Number.NaN })).rejects.toThrow(/`cost`/);
  });
});
