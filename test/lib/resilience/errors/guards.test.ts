import { describe, expect, it } from "vitest";

import { BrokenCircuitError, isBrokenCircuitError } from "../../../../lib/resilience/errors/broken-circuit-error.js";
import { isRateLimitedError, RateLimitedError } from "../../../../lib/resilience/errors/rate-limited-error.js";
import { isTimeoutError, TimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";

const cases = [
  {
    guard: isBrokenCircuitError,
    make: () => new BrokenCircuitError("k", "open", 5),
    name: "BrokenCircuitError",
    code: "TOPDECK_BROKEN_CIRCUIT",
  },
  { guard: isTimeoutError, make: () => new TimeoutError(10), name: "TimeoutError", code: "TOPDECK_TIMEOUT" },
  {
    guard: isRateLimitedError,
    make: () => new RateLimitedError({ success: false, remaining: 0, reset: 0, reason: "max-wait" }),
    name: "RateLimitedError",
    code: "TOPDECK_RATE_LIMITED",
  },
];

describe("typed errors", () => {
  for (const { guard, make, name, code } of cases) {
    it(`${name}: has its name and stable code; its guard checks the code, not the class`, () => {
      const e = make();
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
      expect(e.code).toBe(code);
      expect(guard(e)).toBe(true);
      // A copy of the class from another copy of the package: same name and code, different identity.
      class Twin extends Error {
        readonly code = code;
      }
      expect(guard(new Twin("from the other copy"))).toBe(true);
      expect(guard(new Error(name))).toBe(false);
      expect(guard({ code: "OTHER" })).toBe(false);
      expect(guard(undefined)).toBe(false);
    });
  }

  it("passes cause through the constructor", () => {
    const cause = new Error("root");
    expect(new TimeoutError(1, "x", { cause }).cause).toBe(cause);
    expect(new BrokenCircuitError("k", "open", 1, { cause }).cause).toBe(cause);
    expect(new RateLimitedError({ success: false, remaining: 0, reset: 0, reason: "max-wait" }, { cause }).cause).toBe(cause);
  });
});
