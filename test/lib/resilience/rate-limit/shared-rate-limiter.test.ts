import type { Redis } from "@upstash/redis";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";

import { CircuitBreaker } from "../../../../lib/resilience/breaker/circuit-breaker.js";
import type { RateLimitResult } from "../../../../lib/resilience/rate-limit/rate-limit-result.js";
import { type RedisScriptRunner, SharedRateLimiter } from "../../../../lib/resilience/rate-limit/shared-rate-limiter.js";
import { FakeRedis } from "./fake-redis.js";

afterEach(() => {
  vi.useRealTimers();
});

/** Fake timers drive both the clock the script is sent and the sleeps. */
function setup(extra: Partial<ConstructorParameters<typeof SharedRateLimiter>[0]> = {}) {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
  const redis = new FakeRedis();
  const limiter = new SharedRateLimiter({
    redis,
    key: "rl:arm:tenant",
    burst: 3,
    refillPerSecond: 2,
    ...extra,
  });
  return { redis, limiter, advance: (ms: number) => vi.advanceTimersByTime(ms), now: () => Date.now() };
}

describe("SharedRateLimiter (fake Redis)", () => {
  it("takes the narrow interface @upstash/redis's Redis satisfies", () => {
    expectTypeOf<Pick<Redis, "eval">>().toExtend<RedisScriptRunner>();
  });

  it("sends one script call per decision with the bucket's shape, the cost and the clock", async () => {
    const { redis, limiter, now } = setup();
    expect(await limiter.check()).toEqual({ success: true, remaining: 2, reset: now() + 500, reason: "granted" });
    expect(redis.calls).toEqual([{ keys: ["rl:arm:tenant"], args: ["3", "2", "1", String(now()), ""] }]);
  });

  it("instances sharing the key share the bucket", async () => {
    const redis = new FakeRedis();
    const clock = () => 5_000;
    const a = new SharedRateLimiter({ redis, key: "k", burst: 3, refillPerSecond: 1, now: clock });
    const b = new SharedRateLimiter({ redis, key: "k", burst: 3, refillPerSecond: 1, now: clock });
    const results = await Promise.all([a.check(), b.check(), a.check(), b.check()]);
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({ reason: "empty", remaining: 0 });
  });

  it("acquire sleeps as long as the script says, then asks again", async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.acquire();
    let result: RateLimitResult | undefined;
    void limiter.acquire({ cost: 2 }).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toMatchObject({ success: true, reason: "granted" });
  });

  it("acquire refuses with max-wait instead of sleeping past the caller's limit", async () => {
    const { limiter, redis } = setup();
    await limiter.acquire({ cost: 3 });
    let result: RateLimitResult | undefined;
    void limiter.acquire({ cost: 1, maxWaitMs: 499 }).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(0);
    expect(result).toMatchObject({ success: false, reason: "max-wait" });
    expect(redis.calls).toHaveLength(2);
  });

  it("acquire is abortable while it sleeps", async () => {
    vi.useFakeTimers();
    const redis = new FakeRedis();
    const limiter = new SharedRateLimiter({ redis, key: "k", burst: 1, refillPerSecond: 1 });
    await limiter.acquire();
    const ctrl = new AbortController();
    const p = limiter.acquire({ signal: ctrl.signal });
    const settled = expect(p).rejects.toThrow("stop");
    await vi.advanceTimersByTimeAsync(100);
    ctrl.abort(new Error("stop"));
    await settled;
    expect(redis.calls).toHaveLength(2);
  });

  it("observeRemaining and pause lower the shared level through the same script", async () => {
    const { redis, limiter, now, advance } = setup();
    await limiter.observeRemaining(1);
    expect(redis.calls.at(-1)?.args).toEqual(["3", "2", "0", String(now()), "1"]);
    expect((await limiter.check()).success).toBe(true);
    expect((await limiter.check()).success).toBe(false);
    await limiter.pause(2_000);
    expect(redis.calls.at(-1)?.args[4]).toBe("-4");
    advance(2_000);
    expect((await limiter.check()).success).toBe(false);
    advance(500);
    expect((await limiter.check()).success).toBe(true);
  });

  it("fails open, visibly, when Redis errs", async () => {
    const seen: RateLimitResult[] = [];
    const { redis, limiter, now } = setup({ onFailOpen: (r) => seen.push(r) });
    redis.behaviour = "error";
    const r = await limiter.acquire();
    expect(r).toEqual({ success: true, remaining: -1, reset: now(), reason: "redis-error", detail: "ECONNREFUSED 127.0.0.1:6379" });
    expect(seen).toEqual([r]);
  });

  it("fails open on a reply it does not understand", async () => {
    const { redis, limiter } = setup();
    redis.behaviour = "garbage";
    expect(await limiter.check()).toMatchObject({
      success: true,
      reason: "redis-error",
      detail: expect.stringContaining("unexpected reply") as unknown,
    });
  });

  it("fails open when Redis does not answer in time", async () => {
    vi.useFakeTimers();
    const redis = new FakeRedis();
    redis.behaviour = "hang";
    const limiter = new SharedRateLimiter({ redis, key: "k", burst: 1, refillPerSecond: 1, timeoutMs: 250 });
    const p = limiter.check();
    await vi.advanceTimersByTimeAsync(250);
    expect(await p).toMatchObject({ success: true, reason: "redis-timeout" });
  });

  it("with a breaker on the Redis endpoint, stops asking a dead Redis and fails open at once", async () => {
    const breaker = new CircuitBreaker("redis:upstash", { consecutiveFailures: 2, isFailure: () => true });
    const { redis, limiter } = setup({ breaker });
    redis.behaviour = "error";
    await limiter.check();
    await limiter.check();
    expect(await limiter.check()).toMatchObject({ success: true, reason: "redis-circuit-open" });
    expect(redis.calls).toHaveLength(2);
  });

  it("a cost above the burst is refused without a round trip", async () => {
    const { redis, limiter } = setup();
    expect(await limiter.acquire({ cost: 4 })).toMatchObject({ success: false, reason: "exceeds-burst" });
    expect(redis.calls).toHaveLength(0);
  });
});
