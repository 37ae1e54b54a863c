import { describe, expect, it } from "vitest";

import { detectAnomalies } from "../../../../lib/monitoring/analysis/detect-anomalies.js";
import { at, series, T0 } from "./series.js";

describe("detectAnomalies", () => {
  it("noise alone: nothing", () => {
    for (let seed = 1; seed <= 5; seed++) expect(detectAnomalies(series(300, 0.2, 0.01, undefined, seed))).toEqual([]);
  });

  it("a spike: found at its minute, with the baseline it left", () => {
    const points = series(200, 0.2, 0.01, (i) => (i === 120 ? 0.15 : 0));
    const [a, ...rest] = detectAnomalies(points);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: "spike", direction: "up", startMs: at(120), endMs: at(120), peakMs: at(120) });
    expect(a!.baseline).toBeCloseTo(0.2, 1);
    expect(a!.score).toBeGreaterThan(5);
  });

  it("a dip is a dip", () => {
    const [a] = detectAnomalies(series(200, 100, 2, (i) => (i >= 150 && i < 152 ? -40 : 0)));
    expect(a).toMatchObject({ kind: "dip", direction: "down", startMs: at(150), endMs: at(151) });
  });

  it("a level shift: found at its onset, reported once, and the new level becomes the baseline", () => {
    const points = series(300, 0.2, 0.01, (i) => (i >= 150 ? 0.1 : 0));
    const found = detectAnomalies(points);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: "level-shift", direction: "up", startMs: at(150) });
  });

  it("a slow drift that never jumps: found by the trend test, its start near the knee", () => {
    // +0.001 per minute from minute 100: 0.1 over 100 minutes, never 5 sigmas above the trailing median.
    const points = series(300, 0.2, 0.01, (i) => (i >= 100 ? Math.min(0.15, 0.001 * (i - 100)) : 0));
    const found = detectAnomalies(points);
    expect(found.map((a) => a.kind)).toEqual(["drift"]);
    expect(Math.abs(found[0]!.startMs - at(100))).toBeLessThanOrEqual(20 * 60_000);
    expect(found[0]!.direction).toBe("up");
  });

  it("direction filters what is reported", () => {
    const points = series(200, 10, 0.2, (i) => (i === 100 ? 5 : i === 150 ? -5 : 0));
    expect(detectAnomalies(points, { direction: "up" }).map((a) => a.kind)).toEqual(["spike"]);
    expect(detectAnomalies(points, { direction: "down" }).map((a) => a.kind)).toEqual(["dip"]);
  });

  it("skips NaN and infinite points instead of failing on them", () => {
    const points = series(200, 0.2, 0.01, (i) => (i === 120 ? 0.15 : 0));
    points[50] = { timeMs: points[50]!.timeMs, value: Number.NaN };
    points[60] = { timeMs: points[60]!.timeMs, value: Infinity };
    expect(detectAnomalies(points).map((a) => a.startMs)).toEqual([at(120)]);
  });

  it("a flat series has no spread: minChange decides what is worth reporting", () => {
    const flat = Array.from({ length: 100 }, (_, i) => ({ timeMs: T0 + i * 60_000, value: i === 80 ? 0.001 : 0 }));
    expect(detectAnomalies(flat)).toHaveLength(1);
    expect(detectAnomalies(flat, { minChange: 0.01 })).toEqual([]);
  });

  it("too short for a baseline: nothing", () => {
    expect(detectAnomalies(series(8, 1, 0.1, (i) => (i === 7 ? 10 : 0)))).toEqual([]);
    expect(detectAnomalies([])).toEqual([]);
  });
});
