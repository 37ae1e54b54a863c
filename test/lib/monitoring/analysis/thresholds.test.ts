import { describe, expect, it } from "vitest";

import {
  checkThresholds,
  defaultThresholds,
  millisecondsToSeconds,
  thresholdState,
} from "../../../../lib/monitoring/analysis/thresholds.js";

describe("thresholds", () => {
  it("merges over the defaults", () => {
    expect(checkThresholds({ latencySeconds: { warn: 0.2, critical: 1 } })).toEqual({
      ...defaultThresholds,
      latencySeconds: { warn: 0.2, critical: 1 },
    });
    expect(checkThresholds(undefined)).toEqual(defaultThresholds);
  });

  it("refuses a latency in milliseconds, a ratio as a percentage, warn above critical, unknown names", () => {
    expect(() => checkThresholds({ latencySeconds: { warn: 500, critical: 1000 } })).toThrow(/latencySeconds is in seconds/);
    expect(() => checkThresholds({ errorRatio: { warn: 1, critical: 5 } })).toThrow(/between 0 and 1/);
    expect(() => checkThresholds({ cpuRatio: { warn: 0.9, critical: 0.8 } })).toThrow(/warn must be below critical/);
    expect(() => checkThresholds({ latencyMs: { warn: 1, critical: 2 } })).toThrow(RangeError);
  });

  it("states, and a millisecond measurement converted before the comparison", () => {
    const t = { warn: 0.5, critical: 2 };
    expect(thresholdState(millisecondsToSeconds(1200), t)).toBe("warn");
    expect(thresholdState(0.1, t)).toBe("ok");
    expect(thresholdState(2, t)).toBe("critical");
    expect(thresholdState(Number.NaN, t)).toBeUndefined();
    expect(thresholdState(1, undefined)).toBeUndefined();
  });
});
