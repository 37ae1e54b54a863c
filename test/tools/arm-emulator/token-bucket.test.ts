import { describe, expect, it } from "vitest";

import { ReadThrottle } from "../../../tools/arm-emulator/throttle.js";
import { TokenBucket } from "../../../tools/arm-emulator/token-bucket.js";

describe("TokenBucket", () => {
  it("allows a burst, then refuses with a whole-second Retry-After rounded up", () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()].map((t) => t.remaining)).toEqual([2, 1, 0]);
    expect(bucket.take()).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    now += 250; // half a token back: still refused, the wait is still rounded up to 1 s
    expect(bucket.take()).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    now += 250;
    expect(bucket.take()).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("asks for several seconds when the refill is slow, and never refills past the burst", () => {
    let now = 0;
    const bucket = new TokenBucket(2, 0.25, () => now);
    bucket.take();
    bucket.take();
    expect(bucket.take().retryAfterSeconds).toBe(4);
    now += 3_600_000;
    expect(bucket.peek()).toBe(2);
  });
});

describe("ReadThrottle", () => {
  it("keeps one bucket per subscription (any casing) and one for the tenant", () => {
    const throttle = new ReadThrottle({ burst: 5, refillPerSecond: 1 }, () => 0);
    throttle.take({ kind: "subscription", subscriptionId: "AAAA" });
    throttle.take({ kind: "subscription", subscriptionId: "aaaa" });
    expect(throttle.peek({ kind: "subscription", subscriptionId: "aaaa" })).toBe(3);
    expect(throttle.peek({ kind: "subscription", subscriptionId: "bbbb" })).toBe(5);
    expect(throttle.peek({ kind: "tenant" })).toBe(5);
  });

  it("allows everything when off", () => {
    const throttle = new ReadThrottle("off");
    for (let i = 0; i < 1000; i++) expect(throttle.take({ kind: "tenant" }).allowed).toBe(true);
    expect(throttle.peek({ kind: "tenant" })).toBeUndefined();
  });
});
