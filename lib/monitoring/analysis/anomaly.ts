/** What kind of departure from the baseline. */
export type AnomalyKind = "spike" | "dip" | "level-shift" | "drift";

/** One anomaly in a series. Times are epoch milliseconds; values are in the series' unit. */
export interface Anomaly {
  kind: AnomalyKind;
  direction: "up" | "down";
  /** First anomalous point. */
  startMs: number;
  /** Last anomalous point. */
  endMs: number;
  /** The point furthest from the baseline, and its value. */
  peakMs: number;
  peakValue: number;
  /** The baseline (median of the window before the start). */
  baseline: number;
  /** Strength: the largest robust z-score (spikes, shifts) or Mann-Kendall z (drifts). */
  score: number;
}
