import { describe, expect, it } from "vitest";

import { isInvalidTimeRangeError } from "../../../../lib/monitoring/errors/invalid-time-range-error.js";
import { resolveTimeRange } from "../../../../lib/monitoring/services/time-range.js";

const now = (): number => Date.UTC(2026, 10, 28, 12, 0, 0);

describe("resolveTimeRange", () => {
  it("defaults to the last hour at 15 s", () => {
    expect(resolveTimeRange({}, now)).toEqual({ startMs: now() - 3_600_000, endMs: now(), stepSeconds: 15 });
  });

  it("scales the default step with the span (about 240 points)", () => {
    expect(resolveTimeRange({ startMs: now() - 24 * 3_600_000 }, now).stepSeconds).toBe(360);
  });

  it.each([
    [{ startMs: now(), endMs: now() }, "startMs"],
    [{ startMs: Number.NaN }, "startMs"],
    [{ endMs: Infinity }, "endMs"],
    [{ startMs: now() - 40 * 24 * 3_600_000 }, "startMs"],
    [{ stepSeconds: 0 }, "stepSeconds"],
    [{ startMs: now() - 7 * 24 * 3_600_000, stepSeconds: 15 }, "stepSeconds"],
  ])("%j is refused naming %s", (input, field) => {
    let error: unknown;
    try {
      resolveTimeRange(input, now);
    } catch (e) {
      error = e;
    }
    expect(isInvalidTimeRangeError(error)).toBe(true);
    expect(error).toMatchObject({ field, code: "TOPDECK_MONITORING_INVALID_RANGE" });
  });
});
