import { describe, expect, it } from "vitest";

import type { Anomaly } from "../../../../lib/monitoring/analysis/anomaly.js";
import { rankBottlenecks } from "../../../../lib/monitoring/analysis/bottlenecks.js";
import type { SignalReading } from "../../../../lib/monitoring/analysis/signal-reading.js";
import { defaultThresholds, thresholdState } from "../../../../lib/monitoring/analysis/thresholds.js";
import type { SignalName } from "../../../../lib/monitoring/templates/signals.js";

function reading(signal: SignalName, values: number[], active: Array<Pick<Anomaly, "kind" | "startMs">> = []): SignalReading {
  const threshold = defaultThresholds[signal];
  const points = values.map((value, i) => ({ timeMs: i * 60_000, value }));
  const latest = points[points.length - 1];
  const state = latest && thresholdState(latest.value, threshold);
  const anomalies = active.map((a) => ({
    ...a,
    direction: "up" as const,
    endMs: a.startMs,
    peakMs: a.startMs,
    peakValue: 1,
    baseline: 0,
    score: 9,
  }));
  return {
    signal,
    query: "q",
    points,
    seriesCount: 1,
    ...(latest && { latest }),
    anomalies,
    active: anomalies,
    ...(threshold && { threshold }),
    ...(state && { state }),
  };
}

describe("rankBottlenecks", () => {
  it("the deepest resource whose trouble began first is the likely cause, not the loudest victim", () => {
    const { ranked, likelyCause } = rankBottlenecks([
      // The web app is far past warn, but only since minute 5.
      {
        key: "web",
        distance: 0,
        type: "Microsoft.Web/sites",
        kind: "appService",
        readings: [reading("latencySeconds", [0.1, 0.1, 0.1, 0.1, 0.1, 1.8, 1.9])],
      },
      // The database crossed warn at minute 3 and has a level shift since minute 3.
      {
        key: "db",
        distance: 1,
        type: "Microsoft.Sql/servers/databases",
        kind: "database",
        readings: [reading("cpuRatio", [0.5, 0.5, 0.5, 0.85, 0.9, 0.9, 0.9], [{ kind: "level-shift", startMs: 180_000 }])],
      },
      {
        key: "cache",
        distance: 1,
        type: "Microsoft.Cache/redis",
        kind: "database",
        readings: [reading("cpuRatio", [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])],
      },
      { key: "vault", distance: 2, type: "Microsoft.KeyVault/vaults", readings: [] },
    ]);
    expect(ranked.map((c) => [c.key, c.isBottleneck])).toEqual([
      ["web", true],
      ["db", true],
      ["cache", false],
      ["vault", false],
    ]);
    expect(ranked[0]).toMatchObject({ pressure: 3.8, worstSignal: "latencySeconds", onsetMs: 300_000 });
    expect(likelyCause).toMatchObject({ key: "db", onsetMs: 180_000, anomalies: [{ signal: "cpuRatio", kind: "level-shift" }] });
    expect(ranked.find((c) => c.key === "vault")).toMatchObject({ unmonitored: true, pressure: 0 });
  });

  it("no bottleneck: no likely cause", () => {
    const { likelyCause, ranked } = rankBottlenecks([{ key: "a", distance: 0, type: "t", readings: [reading("errorRatio", [0, 0])] }]);
    expect(likelyCause).toBeUndefined();
    expect(ranked[0]!.isBottleneck).toBe(false);
  });

  it("equal onsets: the deeper resource is the cause", () => {
    const { likelyCause } = rankBottlenecks([
      { key: "up", distance: 0, type: "t", readings: [reading("errorRatio", [0.2, 0.2])] },
      { key: "down", distance: 2, type: "t", readings: [reading("errorRatio", [0.2, 0.2])] },
    ]);
    expect(likelyCause?.key).toBe("down");
  });
});
