import type { Point } from "../prometheus/series.js";
import type { Anomaly } from "./anomaly.js";
import type { AnomalyOptions } from "./detect-anomalies.js";
import { median, noiseSigma } from "./stats.js";

const sign = (d: number): number => (d > 0 ? 1 : d < 0 ? -1 : 0);

interface Window {
  start: number;
  end: number;
  z: number;
  dir: 1 | -1;
}

/**
 * Slow drifts, at three scales (`driftPoints`, twice and four times that, as far as the series
 * allows): windows whose Mann-Kendall trend statistic passes `driftZ` and whose change (median of
 * the last third minus median of the first) passes `driftMinSigmas` noise sigmas and `minChange`.
 * The statistic's variance is widened for autocorrelated noise (lag-1, of the detrended window),
 * which would otherwise read as a trend. Spikes already found are replaced by their baseline first,
 * and windows that hold a level shift are skipped (a step looks like a trend to Mann-Kendall). A
 * drift's start is the knee of a flat-then-linear fit, not the start of the window that caught it.
 */
export function detectDrifts(
  series: readonly Point[],
  options: AnomalyOptions,
  transient: readonly Anomaly[],
  shifts: readonly Anomaly[],
): Anomaly[] {
  const { driftPoints = 60 } = options;
  const xs = series.map((p) => {
    const hit = transient.find((a) => p.timeMs >= a.startMs && p.timeMs <= a.endMs);
    return hit ? hit.baseline : p.value;
  });
  const blocked = series.map((p) => shifts.some((a) => p.timeMs >= a.startMs && p.timeMs <= a.endMs));
  const windows: Window[] = [];
  for (const d of [driftPoints, driftPoints * 2, driftPoints * 4]) {
    if (d < 8 || d > xs.length) break;
    windows.push(...trendingWindows(xs, blocked, d, options));
  }
  windows.sort((a, b) => a.start - b.start || a.end - b.end);
  const drifts: Anomaly[] = [];
  // A group of overlapping trending windows. The knee is fitted up to the earliest window end, where
  // the trend was first seen: later data may hold the plateau after the ramp, which drags the fit early.
  let current: { start: number; firstEnd: number; end: number; z: number; dir: 1 | -1 } | undefined;
  const flush = (): void => {
    if (!current) return;
    const { start, firstEnd, end, z, dir } = current;
    const knee = kneeOf(xs, start, firstEnd);
    drifts.push({
      kind: "drift",
      direction: dir > 0 ? "up" : "down",
      startMs: series[knee]!.timeMs,
      endMs: series[end]!.timeMs,
      peakMs: series[end]!.timeMs,
      peakValue: xs[end]!,
      baseline: median(xs.slice(start, Math.max(knee, start + 3))),
      score: z,
    });
  };
  for (const w of windows) {
    if (current && current.dir === w.dir && w.start <= current.end) {
      current.end = Math.max(current.end, w.end);
      current.firstEnd = Math.min(current.firstEnd, w.end);
      current.z = Math.max(current.z, Math.abs(w.z));
      continue;
    }
    flush();
    current = { start: w.start, firstEnd: w.end, end: w.end, z: Math.abs(w.z), dir: w.dir };
  }
  flush();
  return drifts;
}

function trendingWindows(xs: readonly number[], blocked: readonly boolean[], d: number, options: AnomalyOptions): Window[] {
  const { driftZ = 5, driftMinSigmas = 3, minChange = 0, direction = "both" } = options;
  const variance = (d * (d - 1) * (2 * d + 5)) / 18;
  const third = Math.max(3, Math.floor(d / 3));
  let s = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) s += sign(xs[j]! - xs[i]!);
  const found: Window[] = [];
  for (let end = d - 1; end < xs.length; end++) {
    const start = end - d + 1;
    if (end > d - 1) {
      // Slide by one: drop the pairs of the point that left, add those of the point that came.
      const gone = start - 1;
      for (let k = gone + 1; k < end; k++) s -= sign(xs[k]! - xs[gone]!);
      for (let k = start; k < end; k++) s += sign(xs[end]! - xs[k]!);
    }
    const raw = (s - sign(s)) / Math.sqrt(variance);
    if (Math.abs(raw) < driftZ) continue;
    const dir = raw > 0 ? 1 : -1;
    if ((direction === "up" && dir < 0) || (direction === "down" && dir > 0)) continue;
    if (blocked.slice(start, end + 1).some(Boolean)) continue;
    const window = xs.slice(start, end + 1);
    const change = median(window.slice(-third)) - median(window.slice(0, third));
    if (change * dir < Math.max(driftMinSigmas * noiseSigma(window), minChange)) continue;
    const z = raw / Math.sqrt(inflation(window, change / (d - third)));
    if (Math.abs(z) >= driftZ) found.push({ start, end, z, dir });
  }
  return found;
}

/**
 * How much autocorrelated noise widens the Mann-Kendall variance: (1 + ρ) / (1 − ρ) for the lag-1
 * autocorrelation ρ of the window once its trend is taken out (1 for ρ ≤ 0).
 */
function inflation(window: readonly number[], slope: number): number {
  const mid = (window.length - 1) / 2;
  const detrended = window.map((x, i) => x - slope * (i - mid));
  const center = median(detrended);
  const r = detrended.map((x) => x - center);
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += r[i]! * r[i]!;
    if (i > 0) num += r[i]! * r[i - 1]!;
  }
  const rho = den > 0 ? Math.min(0.95, num / den) : 0;
  return rho > 0 ? (1 + rho) / (1 - rho) : 1;
}

/**
 * Where a trend in xs[start..end] begins: the k minimising the squared error of "flat until k,
 * then a straight line" (least squares for the line, the mean for the flat part).
 */
function kneeOf(xs: readonly number[], start: number, end: number): number {
  let best = start;
  let bestErr = Number.POSITIVE_INFINITY;
  for (let k = start; k <= end - 3; k++) {
    const flat = xs.slice(start, k);
    const level = flat.length > 0 ? flat.reduce((a, b) => a + b, 0) / flat.length : xs[k]!;
    let err = flat.reduce((a, x) => a + (x - level) ** 2, 0);
    // The line starts at the flat level at k, and its slope is fitted by least squares.
    let sxy = 0;
    let sxx = 0;
    for (let i = k; i <= end; i++) {
      sxy += (i - k) * (xs[i]! - level);
      sxx += (i - k) ** 2;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    for (let i = k; i <= end; i++) err += (xs[i]! - level - slope * (i - k)) ** 2;
    if (err < bestErr) {
      bestErr = err;
      best = k;
    }
  }
  return best;
}
