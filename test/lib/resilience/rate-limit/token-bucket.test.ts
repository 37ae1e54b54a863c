import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";

import { LocalRateLimiter } from "../../../../lib/resilience/rate-limit/local-rate-limiter.js";
import { TokenBucket } from "../../../../lib/resilience/rate-limit/token-bucket.js";

type Op =
  | { kind: "take"; advanceMs: number; cost: number }
  | { kind: "observe"; advanceMs: number; remaining: number }
  | { kind: "pause"; advanceMs: number; ms: number }
  | { kind: "clockStepsBack"; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("take" as const),
      advanceMs: fc.nat(500),
      cost: fc.double({ min: 0.1, max: 12, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("observe" as const), advanceMs: fc.nat(500), remaining: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const), advanceMs: fc.nat(500), ms: fc.nat(2_000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clockStepsBack" as const), ms: fc.nat(1_000) }) },
);

afterEach(() => {
  vi.useRealTimers();
});

describe("token bucket: never admits more than burst + refill x elapsed", () => {
  it("property: over any sequence of takes, server hints, pauses and clock jumps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.array(op, { maxLength: 120 }),
        (burst, refillPerSecond, ops) => {
          let clock = 1_000_000;
          const start = clock;
          let latest = clock;
          const limiter = new LocalRateLimiter({ burst, refillPerSecond, now: () => clock });
          let admitted = 0;
          for (const o of ops) {
            if (o.kind === "clockStepsBack") clock -= o.ms;
            else clock += o.advanceMs;
            latest = Math.max(latest, clock);
            if (o.kind === "take" && limiter.tryAcquire(o.cost).success) admitted += o.cost;
            if (o.kind === "observe") limiter.observeRemaining(o.remaining);
            if (o.kind === "pause") limiter.pause(o.ms);
            const allowance = burst + (refillPerSecond * (latest - start)) / 1000;
            if (admitted > allowance + 1e-9) return false;
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: waiting acquires (fake timers, random costs and aborts) stay within the same bound", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ cost: fc.integer({ min: 1, max: 8 }), abortAfterMs: fc.option(fc.nat(400)) }), {
          minLength: 1,
          maxLength: 30,
        }),
        async (burst, refillPerSecond, calls) => {
          vi.useFakeTimers();
          try {
            const start = Date.now();
            const limiter = new LocalRateLimiter({ burst, refillPerSecond });
            const grants: { at: number; cost: number }[] = [];
            let aborted = 0;
            let refused = 0;
            const pending = calls.map(async ({ cost, abortAfterMs }) => {
              const ctrl = new AbortController();
              if (abortAfterMs !== null) setTimeout(() => ctrl.abort(), abortAfterMs);
              const r = await limiter.acquire({ cost, signal: ctrl.signal }).catch(() => undefined);
              if (r?.success) grants.push({ at: Date.now(), cost });
              else if (r === undefined) aborted++;
              else if (r.reason === "exceeds-burst") refused++;
            });
            await vi.advanceTimersByTimeAsync(((calls.length * 8) / refillPerSecond) * 1000 + 1_000);
            await Promise.all(pending);
            let sum = 0;
            for (const g of grants) {
              sum += g.cost;
              if (sum > burst + (refillPerSecond * (g.at - start)) / 1000 + 1e-9) return false;
            }
            // nobody waits forever: every call was granted, aborted, or refused as larger than the bucket
            return limiter.queued === 0 && grants.length + aborted + refused === calls.length;
          } finally {
            vi.useRealTimers();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("TokenBucket", () => {
  it("refills continuously up to capacity, and a clock stepping back mints nothing", () => {
    let clock = 0;
    const b = new TokenBucket(10, 5, () => clock, 0);
    clock = 1_000;
    expect(b.tokens).toBeCloseTo(5);
    clock = 500;
    expect(b.tokens).toBeCloseTo(5);
    clock = 1_200;
    expect(b.tokens).toBeCloseTo(6);
    clock = 60_000;
    expect(b.tokens).toBe(10);
  });

  it("says how long until it holds an amount, and refuses impossible shapes", () => {
    const b = new TokenBucket(4, 2, () => 0, 1);
    expect(b.msUntil(1)).toBe(0);
    expect(b.msUntil(3)).toBe(1_000);
    expect(() => new TokenBucket(0, 1, () => 0)).toThrow(/`burst`/);
    expect(() => new TokenBucket(1, 0, () => 0)).toThrow(/`refillPerSecond`/);
  });
});
