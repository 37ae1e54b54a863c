import { describe, expect, it } from "vitest";

import type { Anomaly } from "../../../../lib/monitoring/analysis/anomaly.js";
import { assessHealth } from "../../../../lib/monitoring/analysis/health-score.js";
import type { SignalReading } from "../../../../lib/monitoring/analysis/signal-reading.js";
import { defaultThresholds, thresholdState } from "../../../../lib/monitoring/analysis/thresholds.js";
import type { SignalName } from "../../../../lib/monitoring/templates/signals.js";

function reading(signal: SignalName, value: number | undefined, active: Anomaly[] = []): SignalReading {
  const threshold = defaultThresholds[signal];
  const state = value === undefined ? undefined : thresholdState(value, threshold);
  return {
    signal,
    query: "q",
    points: [],
    seriesCount: 1,
    ...(value !== undefined && { latest: { timeMs: 0, value } }),
    anomalies: active,
    active,
    ...(threshold && { threshold }),
    ...(state && { state }),
  };
}

const spike: Anomaly = { kind: "spike", direction: "up", startMs: 0, endMs: 0, peakMs: 0, peakValue: 1, baseline: 0.1, score: 9 };

describe("assessHealth", () => {
  it("everything under warn: 100, healthy", () => {
    const h = assessHealth([
      reading("errorRatio", 0.001),
      reading("latencySeconds", 0.2),
      reading("cpuRatio", 0.3),
      reading("requestsPerSecond", 50),
    ]);
    expect(h).toMatchObject({ status: "healthy", score: 100, coverage: { withData: 4, expected: 4 } });
  });

  it("the formula: weighted mean of clamp((critical − v) / (critical − warn)), halved under an active anomaly", () => {
    // errorRatio 0.03: (0.05 − 0.03) / 0.04 = 0.5, weight 3. latency 0.2 s: 1, weight 2, halved by a spike → 0.5.
    // cpu 0.875: (0.95 − 0.875) / 0.15 = 0.5, weight 1. score = 100 × (1.5 + 1 + 0.5) / 6 = 50.
    const h = assessHealth([reading("errorRatio", 0.03), reading("latencySeconds", 0.2, [spike]), reading("cpuRatio", 0.875)]);
    expect(h.score).toBe(50);
    expect(h.status).toBe("degraded");
    expect(h.signals.map((s) => [s.signal, s.level, s.health])).toEqual([
      ["errorRatio", expect.closeTo(0.5, 6), expect.closeTo(0.5, 6)],
      ["latencySeconds", 1, 0.5],
      ["cpuRatio", expect.closeTo(0.5, 6), expect.closeTo(0.5, 6)],
    ]);
  });

  it("one signal at critical makes it unhealthy even when the others pull the mean up", () => {
    const h = assessHealth([
      reading("errorRatio", 0),
      reading("latencySeconds", 0.1),
      reading("cpuRatio", 0.99),
      reading("memoryRatio", 0.1),
    ]);
    expect(h.score).toBe(86);
    expect(h.status).toBe("unhealthy");
    expect(h.reasons.join("\n")).toContain("cpuRatio 0.99 is at or past critical (0.95)");
  });

  it("latency is compared in seconds: 1.5 s is two thirds of the way from warn to critical", () => {
    const h = assessHealth([reading("latencySeconds", 1.5)]);
    expect(h.score).toBe(33);
    expect(h.status).toBe("unhealthy");
    expect(assessHealth([reading("latencySeconds", 0.6)]).status).toBe("degraded");
  });

  it("no data, or nothing to read: unknown, never healthy", () => {
    expect(assessHealth([reading("errorRatio", undefined), reading("latencySeconds", undefined)])).toMatchObject({
      status: "unknown",
      score: null,
    });
    expect(assessHealth([])).toMatchObject({ status: "unknown", score: null });
    expect(assessHealth([reading("latencySeconds", Number.NaN)]).signals).toHaveLength(1);
  });

  it("an infinite latency (histogram_quantile past the last bucket) is critical", () => {
    expect(assessHealth([reading("latencySeconds", Infinity)])).toMatchObject({ status: "unhealthy", score: 0 });
  });
});
