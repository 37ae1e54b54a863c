// The shared limiter against real redis-server behind the Upstash REST bridge, with the real
// @upstash/redis client: the Lua script itself, its atomicity, and failing open when Redis dies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SharedRateLimiter } from "../../../../lib/resilience/rate-limit/shared-rate-limiter.js";
import { startUpstashStack, type UpstashStack } from "../../../support/redis.js";

let stack: UpstashStack;
let n = 0;
const freshKey = (): string => `test:rl:${process.pid}:${++n}`;

beforeAll(async () => {
  stack = await startUpstashStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe("SharedRateLimiter on redis-server via the Upstash REST API", () => {
  it("two instances with their own clients share one bucket; the script refills by the clock it is sent", async () => {
    let clock = 1_700_000_000_000;
    const key = freshKey();
    const make = (): SharedRateLimiter =>
      new SharedRateLimiter({ redis: stack.client(), key, burst: 5, refillPerSecond: 2, now: () => clock });
    const a = make();
    const b = make();
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).check()));
    expect(first.filter((r) => r.success)).toHaveLength(5);
    expect(first.filter((r) => !r.success).every((r) => r.reason === "empty" && r.remaining === 0)).toBe(true);

    clock += 1_000;
    const second = await Promise.all(Array.from({ length: 4 }, () => a.check()));
    expect(second.filter((r) => r.success)).toHaveLength(2);
    expect(second.find((r) => r.success === false)?.reset).toBe(clock + 2_500);
  });

  it("is atomic under contention: 40 concurrent checks from 4 clients against a burst of 12 grant exactly 12", async () => {
    const key = freshKey();
    const now = (): number => 1_700_000_000_000;
    const limiters = Array.from(
      { length: 4 },
      () => new SharedRateLimiter({ redis: stack.client(), key, burst: 12, refillPerSecond: 1, now }),
    );
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 4]!.check()));
    expect(results.filter((r) => r.success)).toHaveLength(12);
  });

  it("observeRemaining and pause lower the shared level, and the key expires when it would be full", async () => {
    let clock = 1_700_000_000_000;
    const key = freshKey();
    const l = new SharedRateLimiter({ redis: stack.client(), key, burst: 10, refillPerSecond: 10, now: () => clock });
    await l.observeRemaining(1);
    expect((await l.check()).success).toBe(true);
    expect((await l.check()).success).toBe(false);
    await l.pause(1_000);
    clock += 1_000;
    expect((await l.check()).success).toBe(false);
    clock += 100;
    expect(await l.check()).toMatchObject({ success: true, remaining: 0 });
    const redis = stack.client();
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_000);
  });

  it("fails open with a reason, promptly, when redis-server is down", async () => {
    const l = new SharedRateLimiter({
      redis: stack.client({ retry: { retries: 0 } }),
      key: freshKey(),
      burst: 1,
      refillPerSecond: 1,
      timeoutMs: 2_000,
    });
    expect((await l.check()).success).toBe(true);
    await stack.redis.kill();
    try {
      const started = Date.now();
      const r = await l.check();
      expect(r).toMatchObject({ success: true, remaining: -1 });
      expect(r.reason).toMatch(/^redis-(error|timeout)$/);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await stack.redis.restart();
    }
    expect((await l.check()).success).toBe(true);
  });
});
