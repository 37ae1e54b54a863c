import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { backoffDelayMs } from "../../../../lib/resilience/retry/backoff.js";

describe("backoffDelayMs", () => {
  it("doubles from the base and stops at the cap when there is no jitter", () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, o, () => 0.7))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it("jitter only shortens: with random 0 the full delay, with random ~1 the delay minus the jitter share", () => {
    const o = { baseDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.5 };
    expect(backoffDelayMs(3, o, () => 0)).toBe(4_000);
    expect(backoffDelayMs(3, o, () => 0.999_999)).toBeCloseTo(2_000, 0);
  });

  it("at the cap, jitter cannot push the delay past it (the old helper's bug)", () => {
    const o = { baseDelayMs: 1_000, maxDelayMs: 5_000, jitter: 1 };
    for (const r of [0, 0.25, 0.5, 0.999]) expect(backoffDelayMs(20, o, () => r)).toBeLessThanOrEqual(5_000);
  });

  it("property: every delay is within [0, cap], for any attempt, settings and random source", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 2_000 }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.double({ min: -10, max: 10 }),
        (retry, baseDelayMs, maxDelayMs, jitter, random) => {
          const d = backoffDelayMs(retry, { baseDelayMs, maxDelayMs, jitter }, () => random);
          return Number.isFinite(d) && d >= 0 && d <= maxDelayMs;
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
