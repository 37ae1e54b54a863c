import { describe, expect, it } from "vitest";

import { remainingReadsOf } from "../../../../lib/resilience/rate-limit/arm-rate-limit-headers.js";

describe("remainingReadsOf", () => {
  it("takes the lower of the regional and the global remaining reads, either alone, and ignores malformed values", () => {
    const regional = "x-ms-ratelimit-remaining-subscription-reads";
    const global = "x-ms-ratelimit-remaining-subscription-global-reads";
    expect(remainingReadsOf({ [regional]: "200", [global]: "12" })).toBe(12);
    expect(remainingReadsOf({ [regional]: "5", [global]: "12" })).toBe(5);
    expect(remainingReadsOf({ [global]: "9" })).toBe(9);
    expect(remainingReadsOf({ [regional]: "9" })).toBe(9);
    expect(remainingReadsOf({ [regional]: "9", [global]: "lots" })).toBe(9);
    expect(remainingReadsOf({})).toBeUndefined();
  });
});
