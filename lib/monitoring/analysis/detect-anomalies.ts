import type { Point } from "../prometheus/series.js";
import type { Anomaly, AnomalyKind } from "./anomaly.js";
import { detectDrifts } from "./drift.js";
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from "./stats.js";

/** Options of {@link detectAnomalies}. Counts are in points, so they scale with the query step. */
export interface AnomalyOptions {
  /** Trailing points the baseline (median and MAD) is taken from. @default 60 */
  baselinePoints?: number;
  /** Points needed before the first judgement. @default 10 */
  minBaselinePoints?: number;
  /** Robust z-score, |x − median| / (1.4826 × MAD), beyond which a point is anomalous. @default 5 */
  zThreshold?: number;
  /**
   * Smallest departure worth reporting, in the series' unit (a flat series has a MAD of 0, so any
   * wiggle would otherwise be infinitely surprising). @default 0
   */
  minChange?: number;
  /** Points after a run that decide whether it persisted (level shift) or passed (spike). @default 5 */
  persistencePoints?: number;
  /** Points in the window a drift is judged over. @default 60 */
  driftPoints?: number;
  /** Mann-Kendall z beyond which a window trends. @default 5 */
  driftZ?: number;
  /** Change across a trending window, in noise sigmas, for the drift to count. @default 3 */
  driftMinSigmas?: number;
  /** Which departures to report. @default "both" */
  direction?: "up" | "down" | "both";
}

interface Flag {
  index: number;
  dir: 1 | -1;
  z: number;
  baseline: number;
  sigma: number;
}

/**
 * Anomalies in a series against its own recent past, not a fixed line: each point is compared with
 * the median of the points before it, in units of their MAD (a robust z-score, which one outlier in
 * the baseline cannot drag). Runs of anomalous points become one anomaly: a `spike` or `dip` when
 * the series comes back, a `level-shift` when it stays. A separate Mann-Kendall pass finds slow
 * `drift`s that never jump far enough from their trailing median. NaN and infinite points are skipped.
 */
export function detectAnomalies(points: readonly Point[], options: AnomalyOptions = {}): Anomaly[] {
  const { baselinePoints = 60, minBaselinePoints = 10, zThreshold = 5, minChange = 0, persistencePoints = 5 } = options;
  const direction = options.direction ?? "both";
  const series = points.filter((p) => Number.isFinite(p.value));
  const xs = series.map((p) => p.value);
  const anomalies: Anomaly[] = [];
  let run: Flag[] = [];
  // After a level shift the baseline restarts at its onset, so the old level stops feeding the MAD.
  let floor = 0;
  const close = (): void => {
    if (run.length === 0) return;
    const shift = classify(run, xs, zThreshold, minChange, persistencePoints);
    if (shift.kind === "level-shift") floor = run[0]!.index;
    anomalies.push(toAnomaly(run, shift.kind, series, xs));
    run = [];
  };
  for (let i = Math.max(minBaselinePoints, 1); i < xs.length; i++) {
    const last = run[run.length - 1];
    if (last && i - last.index > 2) close();
    const from = Math.max(floor, i - baselinePoints);
    if (i - from < minBaselinePoints) continue;
    const window = xs.slice(from, i);
    const baseline = median(window);
    const sigma = MAD_TO_SIGMA * medianAbsoluteDeviation(window, baseline);
    const dev = xs[i]! - baseline;
    const z = sigma > 0 ? dev / sigma : dev === 0 ? 0 : Math.sign(dev) * Number.POSITIVE_INFINITY;
    const dir = dev > 0 ? 1 : -1;
    if (Math.abs(z) <= zThreshold || Math.abs(dev) < minChange || dev === 0) continue;
    if ((direction === "up" && dir < 0) || (direction === "down" && dir > 0)) continue;
    const prev = run[run.length - 1];
    if (prev && prev.dir !== dir) close();
    run.push({ index: i, dir, z, baseline, sigma });
  }
  close();
  const transient = anomalies.filter((a) => a.kind !== "level-shift");
  const shifts = anomalies.filter((a) => a.kind === "level-shift");
  anomalies.push(...detectDrifts(series, { ...options, direction }, transient, shifts));
  return anomalies.sort((a, b) => a.startMs - b.startMs);
}

/** A run is a level shift when the points after it stay away from the old baseline; else a spike or dip. */
function classify(
  run: readonly Flag[],
  xs: readonly number[],
  zThreshold: number,
  minChange: number,
  persistencePoints: number,
): { kind: AnomalyKind } {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const after = xs.slice(last.index + 1, last.index + 1 + persistencePoints);
  const floor = Math.max((zThreshold / 2) * first.sigma, minChange);
  const persists = after.length > 0 ? (median(after) - first.baseline) * first.dir > floor : run.length >= persistencePoints;
  return { kind: persists ? "level-shift" : first.dir > 0 ? "spike" : "dip" };
}

function toAnomaly(run: readonly Flag[], kind: AnomalyKind, series: readonly Point[], xs: readonly number[]): Anomaly {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const peak = run.reduce((a, b) => (Math.abs(b.z) > Math.abs(a.z) ? b : a));
  return {
    kind,
    direction: first.dir > 0 ? "up" : "down",
    startMs: series[first.index]!.timeMs,
    endMs: series[last.index]!.timeMs,
    peakMs: series[peak.index]!.timeMs,
    peakValue: xs[peak.index]!,
    baseline: first.baseline,
    score: Math.abs(peak.z),
  };
}
